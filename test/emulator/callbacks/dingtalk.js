// @ts-check
'use strict';

const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');
const cbCrypto = require('./crypto');
const {
	DEFAULT_CALLBACK_CONFIG,
	STALE_BY_MS,
	readOptions,
	requireUrl,
	stringOption,
	keyOption,
	randomOption,
	msOption,
	forgeOption,
	excerpt,
} = require('./core');
const { withQuery } = require('./http');

/**
 * DingTalk HTTP event subscription as the calling platform: POST url?signature&timestamp&nonce
 * with {"encrypt"}; the receiver must answer the encrypted "success" as
 * {msg_signature, timeStamp, nonce, encrypt} within 1500 ms. Docs:
 * https://open.dingtalk.com/document/development/http-callback-overview and
 * https://open.dingtalk.com/document/development/test-callback-url-events (crypto, check_url);
 * https://open.dingtalk.com/document/development/event-bpms-instance-change and
 * https://open.dingtalk.com/document/development/event-bpms-task-change (approval events).
 *
 * @typedef {import('./core').Generators} Generators
 * @typedef {import('./core').PreparedCallback} PreparedCallback
 * @typedef {import('./core').Judgement} Judgement
 */

/**
 * check_url must be answered within 1500 ms
 * (https://open.dingtalk.com/document/development/test-callback-url-events); every event too, as
 * the emulator's choice.
 */
const DEADLINE_MS = 1500;
/**
 * How DingTalk repeats a push that failed: a first retry 10 s after the failed push, a second 30 s
 * after that; then the event waits in the failed list (get_call_back_failed_result), "重试规则" table of
 * https://open.dingtalk.com/document/development/obtain-the-event-list-of-failed-push-messages. A
 * push fails without the encrypted "success" in time (https://open.dingtalk.com/document/development/http-callback-overview).
 * @type {import('./core').RetryPolicy}
 */
const RETRY = Object.freeze({ attempts: 2, intervalMs: Object.freeze([10_000, 30_000]) });
/** Owner key put into forged `ownerKey` deliveries: the emulator's second DingTalk app. */
const OTHER_OWNER_KEY = 'dingemuappkey0002';
const FORGES = ['signature', 'ownerKey', 'stale'];
/**
 * Query names: `signature, timestamp` in
 * https://open.dingtalk.com/document/development/http-callback-overview; the official sample reads
 * `msg_signature, timeStamp` first
 * (https://github.com/open-dingtalk/dingtalk-callback-Crypto/blob/main/README.md). Which the live
 * server uses is unverified, so the emulator can send either set or both.
 */
const QUERY_NAMES = ['signature', 'msg_signature', 'both'];
const CHECK_URL_PLAINTEXT = JSON.stringify({ EventType: 'check_url' });
/** A stable approval template of the emulated organisation. */
const PROCESS_CODE = 'PROC-EMU7A1C2E-5B3D-4F6A-9C8E-0D1B2A3C4E5F';

/**
 * @typedef {object} DingTalkApprovalOptions  every field optional
 * @property {'bpms_instance_change'|'bpms_task_change'} [eventType]  default bpms_instance_change
 * @property {string} [type]               instance: start (default), finish, terminate; task: start (default), finish, cancel, comment
 * @property {string} [result]             instance finish: agree (default) | refuse; task finish: agree (default) | refuse | redirect; task comment: audit… (absent where the event pages say so)
 * @property {'current'|'legacy'} [envelope]  current: EventType, EventTime, CorpId, BizId, eventId; legacy: EventType, corpId (older docs and captures)
 * @property {string} [corpId]
 * @property {string} [processInstanceId]
 * @property {string} [processCode]
 * @property {string} [staffId]            instance events: the originator (default user001); task events: the approver (default manager01)
 * @property {string} [originator]         task events: whose application it is (for the title)
 * @property {string} [title]
 * @property {number} [taskId]
 * @property {string} [remark]
 * @property {number} [createTime]         ms
 * @property {number} [finishTime]         ms
 * @property {Record<string, unknown>} [extra]  more fields, merged last
 */

const INSTANCE_TYPES = ['start', 'finish', 'terminate'];
const TASK_TYPES = ['start', 'finish', 'cancel', 'comment'];

/**
 * The decrypted JSON object of an approval event (fields per the event pages linked above), with
 * realistic values.
 * @param {Generators} gen
 * @param {number} nowMs
 * @param {(userid: string) => string | undefined} nameOf
 * @param {DingTalkApprovalOptions} [options]
 */
function approvalEventObject(gen, nowMs, nameOf, options = {}) {
	if (!isPlainObject(options))
		throw new EmulatorInputError('the approval event options must be an object');
	const eventType = options.eventType ?? 'bpms_instance_change';
	const task = eventType === 'bpms_task_change';
	if (!task && eventType !== 'bpms_instance_change')
		throw new EmulatorInputError(
			`eventType must be bpms_instance_change or bpms_task_change, got ${JSON.stringify(eventType)}`,
		);
	const type = options.type ?? 'start';
	const types = task ? TASK_TYPES : INSTANCE_TYPES;
	if (!types.includes(type))
		throw new EmulatorInputError(
			`${eventType} type must be one of ${types.join(', ')}, got ${JSON.stringify(type)}`,
		);
	const envelope = options.envelope ?? 'current';
	if (envelope !== 'current' && envelope !== 'legacy')
		throw new EmulatorInputError(
			`envelope must be current or legacy, got ${JSON.stringify(envelope)}`,
		);

	const corpId = options.corpId ?? DEFAULT_CALLBACK_CONFIG.dingtalk.corpId;
	const n = gen.next('callback-dingtalk-instance');
	const createTime = options.createTime ?? nowMs - (type === 'start' && !task ? 0 : 3_600_000);
	const processInstanceId =
		options.processInstanceId ??
		`${gen.base64url('callback-dingtalk-instance-id', 22)}0${String(n % 100).padStart(2, '0')}${Math.floor(createTime / 1000)}`;
	const originator = task ? (options.originator ?? 'user001') : (options.staffId ?? 'user001');
	const staffId = options.staffId ?? (task ? 'manager01' : originator);
	const china = new Date(createTime + 8 * 3_600_000).toISOString();
	const businessId = `${china.slice(0, 10).replace(/-/g, '')}${china.slice(11, 16).replace(':', '')}000${String(n).padStart(6, '0')}`;
	const finished = type !== 'start';
	/** @type {Record<string, unknown>} */
	const result = {};
	// The event pages have `result` on finish events (agree by default) and task comments (audit); elsewhere only when given.
	const defaultResult =
		type === 'finish' ? 'agree' : task && type === 'comment' ? 'audit' : undefined;
	if (options.result !== undefined || defaultResult !== undefined)
		result.result = options.result ?? defaultResult;

	const head =
		envelope === 'current'
			? {
					EventType: eventType,
					EventTime: nowMs,
					CorpId: corpId,
					BizId: processInstanceId,
					eventId: gen.hex('callback-dingtalk-event-id', 32),
				}
			: { EventType: eventType, corpId };
	return {
		...head,
		processInstanceId,
		processCode: options.processCode ?? PROCESS_CODE,
		bizCategoryId: '',
		businessId,
		businessType: '',
		title: options.title ?? `${nameOf(originator) ?? originator}提交的请假`,
		type,
		...result,
		staffId,
		...(task
			? { taskId: options.taskId ?? 80_000_000_000 + gen.next('callback-dingtalk-task') }
			: {}),
		...(task && (type === 'finish' || type === 'comment')
			? { remark: options.remark ?? (type === 'comment' ? '请补充出差行程' : '同意') }
			: {}),
		url: `https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?corpid=${corpId}&dd_share=false&showmenu=true&dd_progress=false&back=native&procInstId=${processInstanceId}&taskId=&swfrom=isv&dinghash=approval&dtaction=os&dd_from=corp#approval`,
		createTime,
		...(finished ? { finishTime: options.finishTime ?? nowMs } : {}),
		...(options.extra ?? {}),
	};
}

/**
 * The receiver's answer as DingTalk reads it: HTTP 200 with {msg_signature, timeStamp, nonce, encrypt}
 * whose signature verifies and whose encrypt decrypts (with the right ownerKey) to "success".
 * @param {import('./http').ReceiverAnswer} answer
 * @param {{ token: string, aesKey: string, ownerKey: string }} config
 * @returns {Judgement}
 */
function judgeDingTalkAnswer({ status, body }, { token, aesKey, ownerKey }) {
	const needs =
		'DingTalk needs the encrypted "success" as JSON {msg_signature, timeStamp, nonce, encrypt}';
	if (status !== 200)
		return { accepted: false, reason: `answered HTTP ${status}; ${needs} with HTTP 200` };
	if (body.trim() === 'success' || body.trim() === '"success"')
		return { accepted: false, reason: `answered the plain text ${excerpt(body)}; ${needs}` };
	let parsed;
	try {
		parsed = JSON.parse(body);
	} catch {
		return { accepted: false, reason: `answered ${excerpt(body)}, which is not JSON; ${needs}` };
	}
	if (!isPlainObject(parsed))
		return { accepted: false, reason: `answered ${excerpt(body)}; ${needs}` };
	const missing = ['msg_signature', 'timeStamp', 'nonce', 'encrypt'].filter(
		(name) => parsed[name] === undefined || parsed[name] === null || parsed[name] === '',
	);
	if (missing.length)
		return {
			accepted: false,
			reason: `the answer lacks ${missing.join(', ')}: ${excerpt(body)}; ${needs}`,
		};
	try {
		const { message } = cbCrypto.verifyAndDecrypt({
			token,
			encodingAESKey: aesKey,
			timestamp: String(parsed.timeStamp),
			nonce: String(parsed.nonce),
			encrypt: String(parsed.encrypt),
			signature: String(parsed.msg_signature),
			receiveId: ownerKey,
		});
		if (message !== 'success')
			return {
				accepted: false,
				reason: `the answer decrypts to ${excerpt(message)}, not "success"`,
				reply: message,
			};
		return { accepted: true, reply: message };
	} catch (error) {
		return {
			accepted: false,
			reason: `the encrypted answer does not hold up: ${/** @type {Error} */ (error).message}`,
		};
	}
}

/**
 * The query of a push under one of the name sets (QUERY_NAMES).
 * @param {string} queryNames @param {string} signature @param {string} timestamp @param {string} nonce
 * @returns {Array<[string, string]>}
 */
function queryParams(queryNames, signature, timestamp, nonce) {
	if (queryNames === 'signature')
		return [
			['signature', signature],
			['timestamp', timestamp],
			['nonce', nonce],
		];
	if (queryNames === 'msg_signature')
		return [
			['msg_signature', signature],
			['timeStamp', timestamp],
			['nonce', nonce],
		];
	return [
		['signature', signature],
		['msg_signature', signature],
		['timestamp', timestamp],
		['timeStamp', timestamp],
		['nonce', nonce],
	];
}

/**
 * @param {{ now: () => number, gen: Generators, nameOf: (userid: string) => string | undefined }} deps
 */
function createDingTalkCallbacks({ now, gen, nameOf }) {
	/**
	 * Builds one signed, encrypted POST.
	 * @param {'check-url'|'deliver'} kind
	 * @param {Record<string, any>} options
	 * @param {(config: { corpId: string }) => string} plaintextOf
	 * @returns {PreparedCallback}
	 */
	function prepare(kind, options, plaintextOf) {
		const defaults = DEFAULT_CALLBACK_CONFIG.dingtalk;
		const url = requireUrl(options.url);
		const forge = forgeOption(options.forge, FORGES);
		const config = {
			token: stringOption(options.token, 'token', defaults.token),
			aesKey: keyOption(options.aesKey ?? options.encodingAESKey, 'aesKey', defaults.aesKey),
			ownerKey: stringOption(options.ownerKey, 'ownerKey', defaults.ownerKey),
			corpId: stringOption(options.corpId, 'corpId', defaults.corpId),
		};
		const queryNames = options.queryNames ?? 'signature';
		if (!QUERY_NAMES.includes(queryNames))
			throw new EmulatorInputError(
				`queryNames must be one of ${QUERY_NAMES.join(', ')}, got ${JSON.stringify(queryNames)}`,
			);
		const unit = options.timestampUnit ?? 'ms';
		if (unit !== 'ms' && unit !== 's')
			throw new EmulatorInputError(`timestampUnit must be ms or s, got ${JSON.stringify(unit)}`);
		const at = now() - (forge === 'stale' ? STALE_BY_MS : 0);
		const timestamp = stringOption(
			options.timestamp,
			'timestamp',
			String(unit === 'ms' ? at : Math.floor(at / 1000)),
		);
		const nonce = stringOption(options.nonce, 'nonce', gen.dingtalkNonce());
		const random = randomOption(options.random) ?? gen.random16();
		const plaintext = plaintextOf(config);
		const encrypt = cbCrypto.encrypt(
			config.aesKey,
			plaintext,
			forge === 'ownerKey' ? OTHER_OWNER_KEY : config.ownerKey,
			{ random },
		);
		const signature = cbCrypto.signature(
			forge === 'signature' ? `${config.token}x` : config.token,
			timestamp,
			nonce,
			encrypt,
		);
		const params = queryParams(queryNames, signature, timestamp, nonce);
		const deadlineMs = msOption(options.deadlineMs, 'deadlineMs', DEADLINE_MS);
		return {
			platform: 'dingtalk',
			kind,
			request: {
				method: 'POST',
				url: withQuery(url, params),
				headers: { 'content-type': 'application/json; charset=utf-8' },
				body: JSON.stringify({ encrypt }),
			},
			query: Object.fromEntries(params),
			plaintext,
			forge,
			deadlineMs,
			waitMs: msOption(options.waitMs, 'waitMs', deadlineMs),
			judge: (answer) => judgeDingTalkAnswer(answer, config),
		};
	}

	return {
		/**
		 * check_url (https://open.dingtalk.com/document/development/test-callback-url-events): the body decrypts to
		 * {"EventType":"check_url"}.
		 * @param {unknown} input { url, token?, aesKey?, ownerKey?, queryNames?, timestampUnit?, forge?, timestamp?, nonce?, random?, deadlineMs?, waitMs? }
		 */
		prepareCheckUrl(input) {
			return prepare(
				'check-url',
				readOptions(input, 'dingtalk.checkUrl'),
				() => CHECK_URL_PLAINTEXT,
			);
		},
		/**
		 * An event (docs linked at the top): `event` (an object or its JSON text) or `approval` options (default: a
		 * bpms_instance_change start).
		 * @param {unknown} input { url, event?, approval?, …the checkUrl options }
		 */
		prepareDeliver(input) {
			const options = readOptions(input, 'dingtalk.deliver');
			if (options.event !== undefined && options.approval !== undefined)
				throw new EmulatorInputError('give event or approval, not both');
			if (
				options.event !== undefined &&
				typeof options.event !== 'string' &&
				!isPlainObject(options.event)
			)
				throw new EmulatorInputError('event must be an object or its JSON text');
			return prepare('deliver', options, ({ corpId }) => {
				if (typeof options.event === 'string') return options.event;
				if (options.event) return JSON.stringify(options.event);
				return JSON.stringify(
					approvalEventObject(gen, now(), nameOf, { corpId, ...(options.approval ?? {}) }),
				);
			});
		},
		/** The decrypted JSON object of an approval event, as deliver({approval}) would send it. @param {DingTalkApprovalOptions} [options] */
		approvalEvent: (options) => approvalEventObject(gen, now(), nameOf, options),
	};
}

module.exports = {
	createDingTalkCallbacks,
	approvalEventObject,
	judgeDingTalkAnswer,
	queryParams,
	RETRY,
	QUERY_NAMES,
	DEADLINE_MS,
	CHECK_URL_PLAINTEXT,
	OTHER_OWNER_KEY,
};
