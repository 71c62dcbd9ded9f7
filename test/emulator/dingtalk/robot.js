// @ts-check
'use strict';

const crypto = require('node:crypto');
const {
	isPlainObject,
	isGiven,
	firstMissingKey,
	countInWindow,
	pruneOlderThan,
} = require('../values');

/**
 * Custom robot webhook (自定义机器人): `POST /robot/send?access_token=…[&timestamp=…&sign=…]` on
 * the old API. Docs: https://open.dingtalk.com/document/development/custom-robots-send-group-messages,
 * https://open.dingtalk.com/document/development/robot-message-type and
 * https://open.dingtalk.com/document/dingstart/customize-robot-security-settings. A public route:
 * the robot's own access_token, not an app token. Answers are HTTP 200 `{errcode, errmsg}` without
 * request_id (as in the doc's sample). Codes and texts of the failures are the ones users see live (GitHub issue
 * threads listed in README.md, Group robots); the doc-only codes 400101 and 410100 are available
 * through settings.
 *
 * Checks, in this order (the first failure answers; nothing is recorded):
 *   1. robot token            unknown, empty or missing → settings.dingtalk.robotInvalidTokenErrcode
 *                             (300001 / 300005 "token is not exist", 400101 "access_token不存在")
 *   2. IP (robots with an ipWhitelist): caller not listed → 310000 "IP not in whitelist"
 *   3. sign (robots with a SEC… secret): no sign → 310000 "sign mismatch"; timestamp missing, not
 *      a number or more than 1 h from the emulator clock → 310000 "timestamp expired"; wrong sign →
 *      310000 "sign mismatch"
 *   4. body                   empty → 40035 "缺少参数 json"; Content-Type not JSON → 43004; malformed JSON or not an object → 40035
 *   5. msgtype                missing or unknown → 400105; the msgtype object and its required keys → 40035
 *   6. keywords (robots with keywords): none in the message text → 310000 "keyword missing"
 *   7. at                     malformed or more than 50 mentions → 40035
 *   8. msgUuid                a msgUuid this robot already posted → `ok`, nothing posted again or counted
 *   9. rate limit             a 21st message within 60 s → settings.dingtalk.robotTooFastErrcode
 *                             (130101 / 410100) and the robot is throttled for 10 min
 * The 310000 texts follow settings.dingtalk.robotErrorWording (SECURITY_ERRMSG below).
 *
 * @typedef {import('../family').RequestContext} RequestContext
 *
 * @typedef {object} RobotMessage                 a message the robot posted to its group
 * @property {number} id                          1, 2, 3… per emulator (restart on reset)
 * @property {string} robot                       the robot's name
 * @property {string} accessToken
 * @property {number} sentAt                      emulator clock, ms
 * @property {string} msgtype
 * @property {Record<string, any>} content        the msgtype object as sent (e.g. {content} for text)
 * @property {{ atMobiles: string[], atUserIds: string[], isAtAll: boolean }} at
 * @property {string | null} msgUuid              idempotency key: a repeat is answered ok and not posted again
 * @property {boolean} signed                     the request carried a valid sign
 *
 * @typedef {{ sentAt: number[], throttledUntil: number | null }} RobotFlow   per access token
 */

const ROBOT_SEND_PATH = '/robot/send';
const TIMESTAMP_TOLERANCE_MS = 3600_000;
const PER_MINUTE = 20;
const MINUTE_MS = 60_000;
const THROTTLE_MS = 10 * MINUTE_MS;
const MAX_AT = 50;

/** Body refusals (error table of https://open.dingtalk.com/document/development/custom-robots-send-group-messages). */
const ROBOT_ERRORS = {
	missingJson: { errcode: 40035, errmsg: '缺少参数 json' },
	badContentType: { errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type' },
	unsupportedType: { errcode: 400105, errmsg: '不支持的消息类型' },
};

/**
 * errmsg for an unknown robot token, per settings.dingtalk.robotInvalidTokenErrcode: 300001 and
 * 300005 seen live with this text (https://github.com/timonwong/prometheus-webhook-dingtalk/issues/91,
 * https://github.com/timonwong/prometheus-webhook-dingtalk/issues/226); 400101 is the doc's code
 * (no live capture).
 * @type {Record<import('../settings').Settings['dingtalk']['robotInvalidTokenErrcode'], string>}
 */
const INVALID_TOKEN_ERRMSG = {
	300001: 'token is not exist',
	300005: 'token is not exist',
	400101: 'access_token不存在',
};

/**
 * errmsg for the 21st message in a minute, per settings.dingtalk.robotTooFastErrcode: 130101 with
 * this text seen live (https://github.com/ccfos/nightingale/issues/369); 410100 is the doc's code
 * (no live capture).
 * @type {Record<import('../settings').Settings['dingtalk']['robotTooFastErrcode'], string>}
 */
const TOO_FAST_ERRMSG = {
	130101: 'send too fast, exceed 20 times per minute',
	410100: '发送速度太快而限流',
};

/** The link the older English 310000 texts end with (as captured live, e.g. https://github.com/jenkinsci/dingtalk-plugin/issues/88). */
const LEGACY_MORE = ', more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]';

/** @typedef {'signMismatch' | 'timestampExpired' | 'keywordMissing' | 'ipNotInWhitelist'} SecurityFailure */

/**
 * errcode 310000 texts per settings.dingtalk.robotErrorWording, exactly as captured live (sources
 * in README.md, Group robots); each is a function of the caller's IP. 'current': the newer `description:…;solution:…;` texts, all
 * seen live (the IP one as captured: no IP in it, no trailing ";"). 'legacy': the older English
 * texts with the `, more: […]` link, seen live, except the IP one, which is the doc's form
 * (https://open.dingtalk.com/document/development/custom-robots-send-group-messages) with the caller's address
 * filled in (no live capture, so no link added).
 * @type {Record<import('../settings').Settings['dingtalk']['robotErrorWording'], Record<SecurityFailure, (ip: string) => string>>}
 */
const SECURITY_ERRMSG = {
	current: {
		signMismatch: () =>
			'description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的网址中，请确认机器人的密钥加密和填写正确;link:请参考本接口对应文档获得具体要求，或者在https://open.dingtalk.com/document/  搜索相关文档;',
		timestampExpired: () =>
			'description:机器人发送签名过期;solution:签名生成时间和发送时间请保持在 timestampms 以内;',
		keywordMissing: () =>
			'description:关键词不匹配;solution:请联系群管理员查看此机器人的关键词，并在发送的信息中包含此关键词;',
		ipNotInWhitelist: () =>
			'description:ip 不在白名单中;solution:请联系对应群的管理员，设置机器人安全ip地址段',
	},
	legacy: {
		signMismatch: () => `sign not match${LEGACY_MORE}`,
		timestampExpired: () => `invalid timestamp${LEGACY_MORE}`,
		keywordMissing: () => `keywords not in content${LEGACY_MORE}`,
		ipNotInWhitelist: (ip) => `ip ${ip} not in whitelist`,
	},
};

/**
 * A 310000 answer in the configured wording.
 * @param {RequestContext} ctx @param {SecurityFailure} failure
 */
const securityFailure = (ctx, failure) => ({
	body: {
		errcode: 310000,
		errmsg: SECURITY_ERRMSG[ctx.env.state.settings.dingtalk.robotErrorWording][failure](
			ctx.remoteAddress,
		),
	},
});

/** @param {{ errcode: number, errmsg: string }} code @param {string} [errmsg] */
const answer = (code, errmsg = code.errmsg) => ({ body: { errcode: code.errcode, errmsg } });
/** 40035 for a missing key: "缺少参数 text.content" (the doc's "缺少参数 json" with the key instead). */
const missing = (/** @type {string} */ what) =>
	answer(ROBOT_ERRORS.missingJson, `缺少参数 ${what}`);
/** 40035 for a present but wrong value (wording as the work-notification checks). */
const invalid = (/** @type {string} */ detail) =>
	answer(ROBOT_ERRORS.missingJson, `不合法的参数: ${detail}`);

/**
 * The sign DingTalk expects (https://open.dingtalk.com/document/dingstart/customize-robot-security-settings): Base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)).
 * The URL carries it URL-encoded; this returns the Base64 text before encoding.
 * @param {string} secret the robot's SEC… secret
 * @param {number | string} timestamp ms
 */
function robotSign(secret, timestamp) {
	return crypto.createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/** `?timestamp=…&sign=…` (sign URL-encoded), ready to append to a webhook URL after `&`. */
function robotSignQuery(/** @type {string} */ secret, /** @type {number} */ timestamp) {
	return `timestamp=${timestamp}&sign=${encodeURIComponent(robotSign(secret, timestamp))}`;
}

/** @returns {RobotFlow} */
const flowOf = (/** @type {Record<string, RobotFlow>} */ flows, /** @type {string} */ token) =>
	(flows[token] ??= { sentAt: [], throttledUntil: null });

/** 3. Sign and timestamp of a robot with a secret; `ctx.query` is already URL-decoded. */
function signProblem(/** @type {RequestContext} */ ctx, /** @type {string} */ secret) {
	const { timestamp, sign } = ctx.query;
	if (!sign) return securityFailure(ctx, 'signMismatch');
	if (
		!timestamp ||
		!/^\d+$/.test(timestamp) ||
		Math.abs(Number(timestamp) - ctx.env.clock.now()) > TIMESTAMP_TOLERANCE_MS
	) {
		return securityFailure(ctx, 'timestampExpired');
	}
	const expected = Buffer.from(robotSign(secret, timestamp));
	const given = Buffer.from(sign);
	if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
		return securityFailure(ctx, 'signMismatch');
	return undefined;
}

/**
 * 4. The JSON body as an object, or the refusal.
 * @param {RequestContext} ctx
 * @returns {{ reply: import('../family').Reply } | { body: Record<string, any> }}
 */
function readJsonBody(ctx) {
	const { kind, mediaType, malformedJson } = ctx.bodyInfo;
	if (kind === 'empty') return { reply: answer(ROBOT_ERRORS.missingJson) };
	if (!mediaType.includes('json')) return { reply: answer(ROBOT_ERRORS.badContentType) };
	if (malformedJson || !isPlainObject(ctx.body)) return { reply: answer(ROBOT_ERRORS.missingJson) };
	return { body: ctx.body };
}

/** "0"/"1" options (btnOrientation, hideAvatar): strings per the doc; numbers are accepted too. */
const isZeroOne = (/** @type {unknown} */ value) =>
	value === undefined || value === null || ['0', '1', 0, 1].includes(/** @type {any} */ (value));

/**
 * A list of objects each with `keys` (feedCard.links, actionCard.btns).
 * @param {unknown} list @param {string} at @param {string[]} keys
 */
function listProblem(list, at, keys) {
	if (!Array.isArray(list) || list.length === 0) return missing(at);
	for (const [index, item] of list.entries()) {
		if (!isPlainObject(item)) return invalid(`${at}[${index}] 必须是对象`);
		const key = firstMissingKey(item, keys);
		if (key) return missing(`${at}[${index}].${key}`);
	}
	return undefined;
}

/**
 * Required keys per message type ("Webhook方式" tables of
 * https://open.dingtalk.com/document/development/robot-message-type). The texts a keyword may appear in
 * are returned by `text` (titles and bodies, not URLs).
 * @type {Record<string, { check: (content: Record<string, any>) => ({ body: unknown } | undefined), text: (content: Record<string, any>) => unknown[] }>}
 */
const MESSAGE_TYPES = {
	text: {
		check: (content) => (isGiven(content.content) ? undefined : missing('text.content')),
		text: (content) => [content.content],
	},
	link: {
		check: (content) => {
			const key = firstMissingKey(content, ['title', 'text', 'messageUrl']);
			return key ? missing(`link.${key}`) : undefined;
		},
		text: (content) => [content.title, content.text],
	},
	markdown: {
		check: (content) => {
			const key = firstMissingKey(content, ['title', 'text']);
			return key ? missing(`markdown.${key}`) : undefined;
		},
		text: (content) => [content.title, content.text],
	},
	actionCard: {
		check: (content) => {
			const key = firstMissingKey(content, ['title', 'text']);
			if (key) return missing(`actionCard.${key}`);
			if (!isZeroOne(content.btnOrientation))
				return invalid('actionCard.btnOrientation 只能是 "0" 或 "1"');
			if (!isZeroOne(content.hideAvatar)) return invalid('actionCard.hideAvatar 只能是 "0" 或 "1"');
			// One button: singleTitle + singleURL (btns are then ignored, per
			// https://open.dingtalk.com/document/development/custom-robots-send-group-messages). Otherwise btns.
			if (isGiven(content.singleTitle) || isGiven(content.singleURL)) {
				const single = firstMissingKey(content, ['singleTitle', 'singleURL']);
				return single ? missing(`actionCard.${single}`) : undefined;
			}
			return listProblem(content.btns, 'actionCard.btns', ['title', 'actionURL']);
		},
		text: (content) => [
			content.title,
			content.text,
			content.singleTitle,
			...(Array.isArray(content.btns)
				? content.btns.map((/** @type {any} */ button) => button?.title)
				: []),
		],
	},
	feedCard: {
		check: (content) =>
			listProblem(content.links, 'feedCard.links', ['title', 'messageURL', 'picURL']),
		text: (content) =>
			Array.isArray(content.links)
				? content.links.map((/** @type {any} */ link) => link?.title)
				: [],
	},
};

/**
 * 7. `at`: optional object; lists of strings; isAtAll boolean; at most 50 mentions in all.
 * @param {unknown} at
 * @returns {{ reply: import('../family').Reply } | { at: RobotMessage['at'] }}
 */
function readAt(at) {
	if (at === undefined || at === null)
		return { at: { atMobiles: [], atUserIds: [], isAtAll: false } };
	if (!isPlainObject(at)) return { reply: invalid('at 必须是对象') };
	/** @type {Record<string, string[]>} */
	const lists = {};
	for (const name of ['atMobiles', 'atUserIds']) {
		const value = at[name] ?? [];
		if (
			!Array.isArray(value) ||
			value.some((item) => typeof item !== 'string' && typeof item !== 'number')
		)
			return { reply: invalid(`at.${name} 必须是字符串数组`) };
		lists[name] = [...new Set(value.map(String))];
	}
	const isAtAll = at.isAtAll ?? false;
	if (![true, false, 'true', 'false'].includes(isAtAll))
		return { reply: invalid('at.isAtAll 必须是布尔值') };
	const count = lists.atMobiles.length + lists.atUserIds.length;
	if (count > MAX_AT) return { reply: invalid(`at 最多 ${MAX_AT} 个，收到 ${count} 个`) };
	return {
		at: {
			atMobiles: lists.atMobiles,
			atUserIds: lists.atUserIds,
			isAtAll: isAtAll === true || isAtAll === 'true',
		},
	};
}

/**
 * 9. 20 messages per robot in any 60 s; the 21st throttles the robot for 10 minutes
 * (https://open.dingtalk.com/document/development/custom-robots-send-group-messages). Refused with
 * settings.dingtalk.robotTooFastErrcode meanwhile (130101 live, 410100 in the doc).
 * Only delivered messages count; refusals while throttled do not extend the throttle.
 * @returns {boolean} true when the message may go out (and it is counted)
 */
function admit(/** @type {RobotFlow} */ flow, /** @type {number} */ now) {
	if (flow.throttledUntil !== null && now < flow.throttledUntil) return false;
	flow.throttledUntil = null;
	pruneOlderThan(flow.sentAt, now, MINUTE_MS);
	if (countInWindow(flow.sentAt, now, MINUTE_MS) >= PER_MINUTE) {
		flow.throttledUntil = now + THROTTLE_MS;
		return false;
	}
	flow.sentAt.push(now);
	return true;
}

/**
 * POST /robot/send?access_token=…[&timestamp=…&sign=…]
 * @param {RequestContext} ctx
 * @returns {import('../family').Reply}
 */
function robotSend(ctx) {
	const { state, clock } = ctx.env;
	const world = state.dingtalk;

	const robot = ctx.query.access_token
		? world.robots.find((item) => item.accessToken === ctx.query.access_token)
		: undefined;
	if (!robot) {
		const errcode = state.settings.dingtalk.robotInvalidTokenErrcode;
		return { body: { errcode, errmsg: INVALID_TOKEN_ERRMSG[errcode] } };
	}
	if (robot.ipWhitelist && !robot.ipWhitelist.includes(ctx.remoteAddress))
		return securityFailure(ctx, 'ipNotInWhitelist');
	if (robot.secret) {
		const refused = signProblem(ctx, robot.secret);
		if (refused) return refused;
	}

	const read = readJsonBody(ctx);
	if ('reply' in read) return read.reply;
	const body = read.body;

	const type =
		typeof body.msgtype === 'string' && Object.hasOwn(MESSAGE_TYPES, body.msgtype)
			? MESSAGE_TYPES[body.msgtype]
			: undefined;
	if (!type) return answer(ROBOT_ERRORS.unsupportedType);
	const content = body[body.msgtype];
	if (!isPlainObject(content)) return missing(body.msgtype);
	const problem = type.check(content);
	if (problem) return problem;

	if (robot.keywords.length > 0) {
		const texts = type
			.text(content)
			.filter((value) => typeof value === 'string' || typeof value === 'number')
			.map(String);
		if (!robot.keywords.some((keyword) => texts.some((text) => text.includes(keyword))))
			return securityFailure(ctx, 'keywordMissing');
	}

	const at = readAt(body.at);
	if ('reply' in at) return at.reply;

	// 8. msgUuid is an idempotency key (https://open.dingtalk.com/document/development/custom-robots-send-group-messages):
	// a retry of a posted message is not posted twice.
	const msgUuid = isGiven(body.msgUuid) ? String(body.msgUuid) : null;
	if (
		msgUuid !== null &&
		world.robotMessages.some(
			(message) => message.accessToken === robot.accessToken && message.msgUuid === msgUuid,
		)
	) {
		return { body: { errcode: 0, errmsg: 'ok' } };
	}

	const now = clock.now();
	if (!admit(flowOf(world.robotFlow, robot.accessToken), now)) {
		const errcode = state.settings.dingtalk.robotTooFastErrcode;
		return { body: { errcode, errmsg: TOO_FAST_ERRMSG[errcode] } };
	}

	world.robotMessages.push({
		id: world.robotMessages.length + 1,
		robot: robot.name,
		accessToken: robot.accessToken,
		sentAt: now,
		msgtype: body.msgtype,
		content: structuredClone(content),
		at: at.at,
		msgUuid,
		signed: Boolean(robot.secret),
	});
	return { body: { errcode: 0, errmsg: 'ok' } };
}

/**
 * Messages a robot posted, oldest first; `robot` filters by access token or name.
 * @param {{ robotMessages: RobotMessage[] }} world
 * @param {string} [robot]
 */
function robotMessages(world, robot) {
	return robot
		? world.robotMessages.filter(
				(message) => message.accessToken === robot || message.robot === robot,
			)
		: world.robotMessages;
}

/** Runtime collections for the DingTalk state. */
function createRobotState() {
	return {
		robotMessages: /** @type {RobotMessage[]} */ ([]),
		robotFlow: /** @type {Record<string, RobotFlow>} */ ({}),
	};
}

/** `/robot/send` reads its own body (after the robot token and sign), so the family's body refusals skip it. */
const ownsBodyChecks = (/** @type {RequestContext} */ ctx) => ctx.path === ROBOT_SEND_PATH;

/** @type {import('../family').Route[]} */
const ROBOT_ROUTES = [{ method: 'POST', path: ROBOT_SEND_PATH, public: true, handler: robotSend }];

/**
 * Control-API routes, spread into control.js ROUTES.
 * @type {import('../control').ControlRoute[]}
 */
const DINGTALK_ROBOT_CONTROL_ROUTES = [
	{
		method: 'GET',
		path: '/dingtalk/robot-messages',
		summary: 'messages custom robots posted; ?robot=<access token or name>',
		handler: (emu, { query }) => ({ messages: emu.dingtalk.robotMessages(query.robot) }),
	},
];

module.exports = {
	ROBOT_ROUTES,
	DINGTALK_ROBOT_CONTROL_ROUTES,
	ROBOT_SEND_PATH,
	ownsBodyChecks,
	createRobotState,
	robotMessages,
	robotSign,
	robotSignQuery,
};
