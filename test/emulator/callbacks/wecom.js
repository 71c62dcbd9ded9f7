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
 * WeCom as the calling platform: URL verification (GET with an encrypted echostr) and event
 * delivery (POST of the encrypted XML envelope, or the JSON variant), and how WeCom reads the
 * receiver's answer. Docs:
 * https://developer.work.weixin.qq.com/document/path/90930 (callback setup),
 * https://developer.work.weixin.qq.com/document/path/91144 (crypto),
 * https://developer.work.weixin.qq.com/document/path/92633 (sys_approval_change).
 *
 * @typedef {import('./core').Generators} Generators
 * @typedef {import('./core').Judgement} Judgement
 * @typedef {import('./core').PreparedCallback} PreparedCallback
 */

/** The plaintext echostr must come back within 1 s (https://developer.work.weixin.qq.com/document/path/90930). */
const VERIFY_DEADLINE_MS = 1000;
/** No answer within 5 s counts as not received; WeCom retries (https://developer.work.weixin.qq.com/document/path/90238). */
const EVENT_DEADLINE_MS = 5000;
/**
 * How WeCom repeats an event it did not count as received: "五秒内收不到响应会断掉连接，并且重新发起请求，
 * 总共重试三次" and any status but HTTP 200 counts as a failure that is retried
 * (https://developer.work.weixin.qq.com/document/path/90238, https://developer.work.weixin.qq.com/document/path/96466).
 * So 3 retries; no pause between them is documented (the request is sent again once the
 * connection is dropped), so intervalMs 0 is the emulator's choice (unverified, configurable).
 * @type {import('./core').RetryPolicy}
 */
const RETRY = Object.freeze({ attempts: 3, intervalMs: 0 });
/** The approval app's AgentID in sys_approval_change (https://developer.work.weixin.qq.com/document/path/92633). */
const APPROVAL_AGENT_ID = 3010040;
/** Receiver id put into forged `receiveId` deliveries: the emulator's other corp. */
const OTHER_CORP_ID = 'wwemucorp0002';
const FORGES = ['signature', 'receiveId', 'stale'];

/** One XML text node; strings in CDATA (split where the text holds "]]>"), numbers bare. */
function node(/** @type {string} */ name, /** @type {unknown} */ value) {
	if (typeof value === 'number') return `<${name}>${value}</${name}>`;
	return `<${name}><![CDATA[${String(value ?? '')
		.split(']]>')
		.join(']]]]><![CDATA[>')}]]></${name}>`;
}

/**
 * SpStatus of the whole application after each StatuChangeEvent. SpStatus values as in
 * https://github.com/Wechat-Group/WxJava/blob/develop/weixin-java-cp/src/main/java/me/chanjar/weixin/cp/bean/message/WxCpXmlApprovalInfo.java;
 * the StatuChangeEvent values come from third-party SDK comments (unverified). The mapping is the
 * emulator's choice.
 */
const SP_STATUS_AFTER = /** @type {Record<number, number>} */ ({
	1: 1,
	2: 2,
	3: 3,
	4: 1,
	5: 1,
	6: 4,
	8: 6,
	10: 1,
});

/**
 * @typedef {object} WeComApprovalOptions  every field optional; defaults describe a leave request by WangWu, approved or not by LiSi
 * @property {number} [statuChangeEvent]   1 submitted (default), 2 agreed, 3 rejected, 4 redirected, 5 urged, 6 withdrawn, 8 withdrawn after approval, 10 comment
 * @property {string} [corpId]
 * @property {number} [agentId]            default 3010040
 * @property {number} [createTime]         unix seconds (default: the emulator clock)
 * @property {string} [spNo]
 * @property {boolean} [spNoStr]           also send SpNoStr (2025 docs), default true
 * @property {string} [spName]
 * @property {number} [spStatus]           default: follows statuChangeEvent
 * @property {string} [templateId]
 * @property {number} [applyTime]
 * @property {{ userId: string, party: string }} [applyer]
 * @property {Array<{ spStatus: number, approverAttr: number, details: Array<{ approver: string, speech?: string, spStatus: number, spTime: number }> }>} [records]
 * @property {string[]} [notifyers]
 * @property {Array<{ userId: string, time: number, content: string, id: string }>} [comments]
 */

/**
 * The decrypted XML of a `sys_approval_change` event (https://developer.work.weixin.qq.com/document/path/92633),
 * with realistic values.
 * @param {Generators} gen
 * @param {number} nowMs
 * @param {WeComApprovalOptions} [options]
 */
function approvalEventXml(gen, nowMs, options = {}) {
	if (!isPlainObject(options))
		throw new EmulatorInputError('the approval event options must be an object');
	const event = Number(options.statuChangeEvent ?? 1);
	if (!(event in SP_STATUS_AFTER))
		throw new EmulatorInputError(
			`statuChangeEvent must be one of ${Object.keys(SP_STATUS_AFTER).join(', ')}, got ${options.statuChangeEvent}`,
		);
	const now = Math.floor(nowMs / 1000);
	const applyTime = options.applyTime ?? now - (event === 1 ? 0 : 3600);
	const n = gen.next('callback-wecom-spno');
	const spNo =
		options.spNo ??
		`${new Date(applyTime * 1000 + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')}${String(n).padStart(4, '0')}`;
	const detailStatus = event === 2 ? 2 : event === 3 ? 3 : event === 4 ? 4 : 1;
	const records = options.records ?? [
		{
			spStatus: detailStatus,
			approverAttr: 1,
			details: [
				{
					approver: 'LiSi',
					speech: event === 2 ? '同意' : event === 3 ? '请补充材料' : '',
					spStatus: detailStatus,
					spTime: detailStatus === 1 ? 0 : now,
				},
			],
		},
	];
	const comments =
		options.comments ??
		(event === 10
			? [
					{
						userId: 'ZhangSan',
						time: now,
						content: '请尽快处理',
						id: gen.hex('callback-wecom-comment', 19).replace(/[a-f]/g, '7'),
					},
				]
			: []);
	const xml = [
		'<xml>',
		node('ToUserName', options.corpId ?? DEFAULT_CALLBACK_CONFIG.wecom.corpId),
		node('FromUserName', 'sys'),
		node('CreateTime', options.createTime ?? now),
		node('MsgType', 'event'),
		node('Event', 'sys_approval_change'),
		node('AgentID', options.agentId ?? APPROVAL_AGENT_ID),
		'<ApprovalInfo>',
		node('SpNo', /^\d{1,15}$/.test(spNo) ? Number(spNo) : spNo),
		...(options.spNoStr === false ? [] : [node('SpNoStr', spNo)]),
		node('SpName', options.spName ?? '请假'),
		node('SpStatus', options.spStatus ?? SP_STATUS_AFTER[event]),
		node(
			'TemplateId',
			options.templateId ??
				`C4NyM${gen.base64url('callback-wecom-template', 30).replace(/[-_]/g, 'x')}`,
		),
		node('ApplyTime', applyTime),
		`<Applyer>${node('UserId', options.applyer?.userId ?? 'WangWu')}${node('Party', options.applyer?.party ?? '31')}</Applyer>`,
		...records.map(
			(record) =>
				`<SpRecord>${node('SpStatus', record.spStatus)}${node('ApproverAttr', record.approverAttr)}${record.details
					.map(
						(detail) =>
							`<Details><Approver>${node('UserId', detail.approver)}</Approver>${node('Speech', detail.speech ?? '')}${node('SpStatus', detail.spStatus)}${node('SpTime', detail.spTime)}</Details>`,
					)
					.join('')}</SpRecord>`,
		),
		...(options.notifyers ?? ['ZhangSan']).map(
			(userId) => `<Notifyer>${node('UserId', userId)}</Notifyer>`,
		),
		...comments.map(
			(comment) =>
				`<Comments><CommentUserInfo>${node('UserId', comment.userId)}</CommentUserInfo>${node('CommentTime', comment.time)}${node('CommentContent', comment.content)}${node('CommentId', comment.id)}</Comments>`,
		),
		node('StatuChangeEvent', event),
		'</ApprovalInfo>',
		'</xml>',
	];
	return xml.join('');
}

/** The value of an XML element (CDATA or plain text), or undefined. */
function xmlValue(/** @type {string} */ xml, /** @type {string} */ name) {
	const match = new RegExp(
		`<${name}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${name}>`,
	).exec(xml);
	return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * The POST body WeCom sends (envelope of https://github.com/sbzhu/weworkapi_python/blob/master/callback/Sample.py;
 * JSON variant of callback_json/Sample.py), with the Content-Type that goes with it.
 * @param {'xml'|'json'} format @param {string} corpId @param {string} encrypt @param {string} agentId
 */
function envelope(format, corpId, encrypt, agentId) {
	return format === 'xml'
		? {
				contentType: 'text/xml; charset=utf-8',
				body: [
					`<xml>${node('ToUserName', corpId)}`,
					node('Encrypt', encrypt),
					`${node('AgentID', agentId)}</xml>`,
				].join('\n'),
			}
		: {
				contentType: 'application/json; charset=utf-8',
				body: JSON.stringify({ tousername: corpId, encrypt, agentid: agentId }),
			};
}

/**
 * Checks an encrypted passive reply the way WeCom reads it: XML as in
 * https://github.com/sbzhu/weworkapi_python/blob/master/callback_python3/WXBizMsgCrypt.py, or the JSON
 * variant of https://github.com/sbzhu/weworkapi_python/blob/master/callback_json_python3/WXBizJsonMsgCrypt.py.
 * @param {string} body
 * @param {{ token: string, encodingAESKey: string, corpId: string }} config
 * @returns {Judgement}
 */
function judgeEncryptedReply(body, { token, encodingAESKey, corpId }) {
	const trimmed = body.trim();
	/** @type {Record<string, string | undefined>} */
	let fields;
	if (trimmed.startsWith('<')) {
		fields = {
			encrypt: xmlValue(trimmed, 'Encrypt'),
			signature: xmlValue(trimmed, 'MsgSignature'),
			timestamp: xmlValue(trimmed, 'TimeStamp'),
			nonce: xmlValue(trimmed, 'Nonce'),
		};
	} else {
		let parsed;
		try {
			parsed = JSON.parse(trimmed);
		} catch {
			return {
				accepted: false,
				reason: `answered ${excerpt(body)}: neither empty, "success" nor an encrypted reply`,
			};
		}
		if (!isPlainObject(parsed))
			return {
				accepted: false,
				reason: `answered ${excerpt(body)}: neither empty, "success" nor an encrypted reply`,
			};
		const str = (/** @type {unknown} */ value) =>
			value === undefined || value === null ? undefined : String(value);
		fields = {
			encrypt: str(parsed.encrypt),
			signature: str(parsed.msgsignature),
			timestamp: str(parsed.timestamp),
			nonce: str(parsed.nonce),
		};
	}
	const names = trimmed.startsWith('<')
		? { encrypt: 'Encrypt', signature: 'MsgSignature', timestamp: 'TimeStamp', nonce: 'Nonce' }
		: { encrypt: 'encrypt', signature: 'msgsignature', timestamp: 'timestamp', nonce: 'nonce' };
	const missing = Object.entries(names)
		.filter(([key]) => !fields[key])
		.map(([, name]) => name);
	if (missing.length)
		return {
			accepted: false,
			reason: `the encrypted reply lacks ${missing.join(', ')}: ${excerpt(body)}`,
		};
	try {
		const { message } = cbCrypto.verifyAndDecrypt({
			token,
			encodingAESKey,
			timestamp: /** @type {string} */ (fields.timestamp),
			nonce: /** @type {string} */ (fields.nonce),
			encrypt: /** @type {string} */ (fields.encrypt),
			signature: /** @type {string} */ (fields.signature),
			receiveId: corpId,
		});
		return { accepted: true, reply: message };
	} catch (error) {
		return {
			accepted: false,
			reason: `the encrypted reply does not hold up: ${/** @type {Error} */ (error).message}`,
		};
	}
}

/**
 * @param {{ now: () => number, gen: Generators }} deps
 */
function createWeComCallbacks({ now, gen }) {
	/** Options shared by both calls. @param {Record<string, any>} options */
	function common(options) {
		const defaults = DEFAULT_CALLBACK_CONFIG.wecom;
		const forge = forgeOption(options.forge, FORGES);
		const config = {
			token: stringOption(options.token, 'token', defaults.token),
			encodingAESKey: keyOption(options.encodingAESKey, 'encodingAESKey', defaults.encodingAESKey),
			corpId: stringOption(options.corpId ?? options.receiveId, 'corpId', defaults.corpId),
		};
		const nowSeconds = Math.floor((now() - (forge === 'stale' ? STALE_BY_MS : 0)) / 1000);
		const timestamp = stringOption(options.timestamp, 'timestamp', String(nowSeconds));
		const nonce = stringOption(options.nonce, 'nonce', gen.wecomNonce());
		const random = randomOption(options.random) ?? gen.random16();
		/** Encrypts and signs a plaintext, applying the forge. @param {string} plaintext */
		const seal = (plaintext) => {
			const encrypt = cbCrypto.encrypt(
				config.encodingAESKey,
				plaintext,
				forge === 'receiveId' ? OTHER_CORP_ID : config.corpId,
				{ random },
			);
			const signature = cbCrypto.signature(
				forge === 'signature' ? `${config.token}-forged` : config.token,
				timestamp,
				nonce,
				encrypt,
			);
			return { encrypt, signature };
		};
		return { config, forge, timestamp, nonce, seal };
	}

	return {
		/**
		 * URL verification (https://developer.work.weixin.qq.com/document/path/90930):
		 * GET url?msg_signature&timestamp&nonce&echostr; the receiver must
		 * answer the decrypted echostr, exactly, within 1 s.
		 * @param {unknown} input { url, token?, encodingAESKey?, corpId?, echo?, forge?, timestamp?, nonce?, random?, deadlineMs?, waitMs? }
		 * @returns {PreparedCallback}
		 */
		prepareVerifyUrl(input) {
			const options = readOptions(input, 'wecom.verifyUrl');
			const url = requireUrl(options.url);
			const { forge, timestamp, nonce, seal } = common(options);
			const echo = stringOption(options.echo, 'echo', gen.echoPlain());
			const { encrypt: echostr, signature } = seal(echo);
			const query = { msg_signature: signature, timestamp, nonce, echostr };
			const deadlineMs = msOption(options.deadlineMs, 'deadlineMs', VERIFY_DEADLINE_MS);
			return {
				platform: 'wecom',
				kind: 'verify-url',
				request: {
					method: 'GET',
					url: withQuery(url, Object.entries(query)),
					headers: {},
					body: '',
				},
				query,
				plaintext: echo,
				forge,
				deadlineMs,
				waitMs: msOption(options.waitMs, 'waitMs', deadlineMs),
				judge: (answer) => {
					const { status, body } = answer;
					if (status !== 200)
						return {
							accepted: false,
							reason: `answered HTTP ${status}; WeCom needs HTTP 200 with the decrypted echostr ${echo}`,
						};
					if (body === echo) return { accepted: true };
					if (body.replace(/^\uFEFF/, '') === echo)
						return {
							accepted: false,
							reason: 'the echostr plaintext starts with a BOM; WeCom compares it exactly',
						};
					if (body.trim() === echo)
						return {
							accepted: false,
							reason: `answered ${excerpt(body)}: the echostr plaintext with whitespace or a newline around it; WeCom compares it exactly`,
						};
					if (body === JSON.stringify(echo))
						return {
							accepted: false,
							reason: `answered the echostr plaintext in quotes (${body}); WeCom needs it bare`,
						};
					if (body === echostr || body.trim() === echostr)
						return {
							accepted: false,
							reason: 'answered the encrypted echostr unchanged instead of its decrypted plaintext',
						};
					return {
						accepted: false,
						reason: `answered ${excerpt(body)}, not the decrypted echostr ${echo}`,
					};
				},
			};
		},

		/**
		 * Event delivery (envelope as in https://github.com/sbzhu/weworkapi_python/blob/master/callback/Sample.py):
		 * POST url?msg_signature&timestamp&nonce with the encrypted envelope.
		 * Received = HTTP 200 with an empty body, "success" or an encrypted reply, within 5 s.
		 * @param {unknown} input { url, message? (plaintext XML/JSON), approval? (sys_approval_change options), format? 'xml'|'json', agentId?, token?, encodingAESKey?, corpId?, forge?, timestamp?, nonce?, random?, deadlineMs?, waitMs? }
		 * @returns {PreparedCallback}
		 */
		prepareDeliver(input) {
			const options = readOptions(input, 'wecom.deliver');
			const url = requireUrl(options.url);
			const format = options.format ?? 'xml';
			if (format !== 'xml' && format !== 'json')
				throw new EmulatorInputError(`format must be xml or json, got ${JSON.stringify(format)}`);
			const { config, forge, timestamp, nonce, seal } = common(options);
			if (options.message !== undefined && options.approval !== undefined)
				throw new EmulatorInputError('give message or approval, not both');
			if (options.message !== undefined && typeof options.message !== 'string')
				throw new EmulatorInputError('message must be the plaintext string (XML or JSON)');
			const plaintext =
				options.message ??
				approvalEventXml(gen, now(), { corpId: config.corpId, ...(options.approval ?? {}) });
			const agentId = stringOption(
				options.agentId,
				'agentId',
				xmlValue(plaintext, 'AgentID') ?? String(DEFAULT_CALLBACK_CONFIG.wecom.agentId),
			);
			const { encrypt, signature } = seal(plaintext);
			const query = { msg_signature: signature, timestamp, nonce };
			const { body, contentType } = envelope(format, config.corpId, encrypt, agentId);
			const deadlineMs = msOption(options.deadlineMs, 'deadlineMs', EVENT_DEADLINE_MS);
			return {
				platform: 'wecom',
				kind: 'deliver',
				request: {
					method: 'POST',
					url: withQuery(url, Object.entries(query)),
					headers: { 'content-type': contentType },
					body,
				},
				query,
				plaintext,
				forge,
				deadlineMs,
				waitMs: msOption(options.waitMs, 'waitMs', deadlineMs),
				judge: (answer) => {
					if (answer.status !== 200)
						return {
							accepted: false,
							reason: `answered HTTP ${answer.status}; WeCom counts only HTTP 200 as received (and retries)`,
						};
					if (answer.body === '' || answer.body === 'success') return { accepted: true };
					return judgeEncryptedReply(answer.body, config);
				},
			};
		},

		/** The decrypted XML of a sys_approval_change event, as deliver({approval}) would send it. @param {WeComApprovalOptions} [options] */
		approvalEvent: (options) => approvalEventXml(gen, now(), options),
	};
}

module.exports = {
	createWeComCallbacks,
	approvalEventXml,
	envelope,
	node,
	xmlValue,
	RETRY,
	OTHER_CORP_ID,
	VERIFY_DEADLINE_MS,
	EVENT_DEADLINE_MS,
	APPROVAL_AGENT_ID,
};
