// @ts-check
'use strict';

const crypto = require('node:crypto');
const {
	isPlainObject,
	isGiven,
	firstMissingKey,
	utf8Length,
	countInWindow,
	pruneOlderThan,
} = require('../values');
const { CODES, WRONG_JSON, weComError, weComOk } = require('./errors');

/**
 * Group robot webhook (群机器人, https://developer.work.weixin.qq.com/document/path/91770):
 * `POST /cgi-bin/webhook/send?key=KEY`. A public
 * route: the robot's key, not an app token. Every answer is HTTP 200 `{errcode, errmsg}`.
 *
 * Checks, in this order (the first failure answers; nothing is recorded):
 *   1. key            missing or unknown → 93000 "invalid webhook url, hint: …" (observed form)
 *   2. body           empty, not JSON or not an object → 40035 "…Warning: wrong json format." (any Content-Type)
 *   3. msgtype        missing or not one of the types below (case-sensitive) → 40035
 *   4. the msgtype object → 40035: required keys and value shapes; text over 2048 bytes, markdown /
 *      markdown_v2 over 4096; image not JPG/PNG, over 2 MB or md5 not the md5 of the decoded bytes
 *   5. rate limit     a 21st message within 60 s → 45009 (nothing else is throttled)
 *
 * Like app messages (README choice 17), every refusal of the message itself is 40035 "invalid
 * parameter, <detail>": the real server's finer codes (40008, 40058, 41006, …) are not emulated.
 *
 * @typedef {import('../family').RequestContext} RequestContext
 *
 * @typedef {object} WebhookMessage              a message the robot posted to its group
 * @property {number} id                         1, 2, 3… per emulator (restart on reset)
 * @property {string} robot                      the robot's name
 * @property {string} key
 * @property {number} sentAt                     emulator clock, ms
 * @property {string} msgtype
 * @property {Record<string, any>} content       the msgtype object as sent
 * @property {string[]} mentionedList            text only: mentioned_list (userids or "@all")
 * @property {string[]} mentionedMobileList      text only: mentioned_mobile_list
 * @property {{ size: number, md5: string } | null} image   image only: decoded size and md5
 */

const WEBHOOK_SEND_PATH = '/cgi-bin/webhook/send';
const PER_MINUTE = 20;
const MINUTE_MS = 60_000;
const TEXT_MAX_BYTES = 2048;
const MARKDOWN_MAX_BYTES = 4096;
const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
const CARD_TYPES = ['text_notice', 'news_notice'];

/** The invalid-key answer (observed live by third parties, not in the doc); weComError adds the hint tail. */
const INVALID_KEY = { errcode: 93000, errmsg: 'invalid webhook url' };

/** What is wrong with the message; answered as 40035 "invalid parameter, <detail>". @typedef {string} Problem */
const badParameter = (/** @type {string} */ detail) => detail;

/** JPG (FF D8 FF) or PNG (89 50 4E 47 0D 0A 1A 0A), by their leading bytes. */
const isJpgOrPng = (/** @type {Buffer} */ bytes) =>
	(bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) ||
	(bytes.length >= 8 &&
		bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])));

/** A string-array field that may be absent. */
function stringList(/** @type {unknown} */ value, /** @type {string} */ at) {
	if (value === undefined || value === null) return { list: /** @type {string[]} */ ([]) };
	if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
		return { problem: badParameter(`${at} must be an array of strings`) };
	return { list: /** @type {string[]} */ (value) };
}

/** A `content` string of at most `max` UTF-8 bytes. @returns {Problem | undefined} */
function contentProblem(
	/** @type {Record<string, any>} */ content,
	/** @type {string} */ type,
	/** @type {number} */ max,
) {
	if (!isGiven(content.content) || typeof content.content !== 'string')
		return badParameter(`missing ${type}.content`);
	const bytes = utf8Length(content.content);
	if (bytes > max) return badParameter(`${type}.content is ${bytes} bytes, at most ${max}`);
	return undefined;
}

/** Decoded image bytes, or the problem. @returns {{ bytes: Buffer } | { problem: Problem }} */
function readImage(/** @type {Record<string, any>} */ content) {
	const key = firstMissingKey(content, ['base64', 'md5']);
	if (key) return { problem: badParameter(`missing image.${key}`) };
	if (typeof content.base64 !== 'string' || typeof content.md5 !== 'string')
		return { problem: badParameter('image.base64 and image.md5 must be strings') };
	const text = content.base64.replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0)
		return { problem: badParameter('image.base64 is not valid base64') };
	const bytes = Buffer.from(text, 'base64');
	if (bytes.length > IMAGE_MAX_BYTES)
		return { problem: badParameter(`image is ${bytes.length} bytes, at most ${IMAGE_MAX_BYTES}`) };
	if (!isJpgOrPng(bytes)) return { problem: badParameter('image must be JPG or PNG') };
	const md5 = crypto.createHash('md5').update(bytes).digest('hex');
	if (md5 !== content.md5.toLowerCase())
		return { problem: badParameter('image.md5 is not the md5 of the image') };
	return { bytes };
}

/** template_card: card_type text_notice | news_notice, a main title, a card_action (https://developer.work.weixin.qq.com/document/path/91770). @returns {Problem | undefined} */
function templateCardProblem(/** @type {Record<string, any>} */ card) {
	if (!CARD_TYPES.includes(card.card_type))
		return badParameter(`template_card.card_type must be one of ${CARD_TYPES.join(', ')}`);
	const title = isPlainObject(card.main_title) ? card.main_title.title : undefined;
	if (card.card_type === 'text_notice' && !isGiven(title) && !isGiven(card.sub_title_text))
		return badParameter('template_card needs main_title.title or sub_title_text');
	if (card.card_type === 'news_notice' && !isGiven(title))
		return badParameter('missing template_card.main_title.title');
	const action = card.card_action;
	if (!isPlainObject(action)) return badParameter('missing template_card.card_action');
	if (![1, 2].includes(Number(action.type)))
		return badParameter('template_card.card_action.type must be 1 (url) or 2 (mini program)');
	if (Number(action.type) === 1 && !isGiven(action.url))
		return badParameter('missing template_card.card_action.url');
	if (Number(action.type) === 2 && !isGiven(action.appid))
		return badParameter('missing template_card.card_action.appid');
	return undefined;
}

/** @type {Record<string, (content: Record<string, any>) => Problem | undefined>} */
const CHECKS = {
	text: (content) =>
		contentProblem(content, 'text', TEXT_MAX_BYTES) ??
		stringList(content.mentioned_list, 'text.mentioned_list').problem ??
		stringList(content.mentioned_mobile_list, 'text.mentioned_mobile_list').problem,
	markdown: (content) => contentProblem(content, 'markdown', MARKDOWN_MAX_BYTES),
	markdown_v2: (content) => contentProblem(content, 'markdown_v2', MARKDOWN_MAX_BYTES),
	image: (content) => {
		const image = readImage(content);
		return 'problem' in image ? image.problem : undefined;
	},
	news: (content) => {
		const list = content.articles;
		if (!Array.isArray(list) || list.length < 1 || list.length > 8)
			return badParameter('news.articles must hold 1 to 8 articles');
		for (const [index, article] of list.entries()) {
			if (!isPlainObject(article)) return badParameter(`news.articles[${index}] must be an object`);
			const key = firstMissingKey(article, ['title', 'url']);
			if (key) return badParameter(`missing news.articles[${index}].${key}`);
		}
		return undefined;
	},
	file: (content) =>
		isGiven(content.media_id) ? undefined : badParameter('missing file.media_id'),
	voice: (content) =>
		isGiven(content.media_id) ? undefined : badParameter('missing voice.media_id'),
	template_card: templateCardProblem,
};

/** @returns {{ sentAt: number[] }} */
const flowOf = (
	/** @type {Record<string, { sentAt: number[] }>} */ flows,
	/** @type {string} */ key,
) => (flows[key] ??= { sentAt: [] });

/** POST /cgi-bin/webhook/send?key=… */
function webhookSend(/** @type {RequestContext} */ ctx) {
	const { state, clock } = ctx.env;
	const world = state.wecom;

	const robot = ctx.query.key ? world.robots.find((item) => item.key === ctx.query.key) : undefined;
	if (!robot) return weComError(ctx, INVALID_KEY);

	const { kind, malformedJson } = ctx.bodyInfo;
	if (kind !== 'json' || malformedJson || !isPlainObject(ctx.body))
		return weComError(ctx, CODES.badParameter, WRONG_JSON);
	const body = /** @type {Record<string, any>} */ (ctx.body);

	const msgtype = body.msgtype;
	if (typeof msgtype !== 'string' || !Object.hasOwn(CHECKS, msgtype)) {
		return weComError(
			ctx,
			CODES.badParameter,
			`invalid message type ${JSON.stringify(msgtype ?? null)}`,
		);
	}
	const content = body[msgtype];
	if (!isPlainObject(content)) return weComError(ctx, CODES.badParameter, `missing ${msgtype}`);
	const problem =
		CHECKS[msgtype](content) ?? mediaProblem(world, robot.key, msgtype, content, clock.now());
	if (problem) return weComError(ctx, CODES.badParameter, problem);

	// 20 per robot in any 60 s (https://developer.work.weixin.qq.com/document/path/91770); only delivered messages count.
	const now = clock.now();
	const flow = flowOf(world.robotFlow, robot.key);
	pruneOlderThan(flow.sentAt, now, MINUTE_MS);
	if (countInWindow(flow.sentAt, now, MINUTE_MS) >= PER_MINUTE)
		return weComError(ctx, CODES.freqLimit);
	flow.sentAt.push(now);

	const image = msgtype === 'image' ? readImage(content) : undefined;
	world.robotMessages.push({
		id: world.robotMessages.length + 1,
		robot: robot.name,
		key: robot.key,
		sentAt: now,
		msgtype,
		content: structuredClone(content),
		mentionedList: msgtype === 'text' ? (content.mentioned_list ?? []) : [],
		mentionedMobileList: msgtype === 'text' ? (content.mentioned_mobile_list ?? []) : [],
		image:
			image && 'bytes' in image
				? { size: image.bytes.length, md5: content.md5.toLowerCase() }
				: null,
	});
	return weComOk();
}

const UPLOAD_PATH = '/cgi-bin/webhook/upload_media';
/** Limits of the robot's own upload: every file over 5 bytes; file ≤ 20 MB; voice ≤ 2 MB, AMR. */
const UPLOAD_LIMITS = { file: 20 * 1024 * 1024, voice: 2 * 1024 * 1024 };
const MEDIA_LIFETIME_MS = 3 * 24 * 3600 * 1000;

/**
 * POST /cgi-bin/webhook/upload_media?key=…&type=file|voice, multipart field `media` →
 * {errcode, errmsg, type, media_id, created_at}. The media_id lasts 3 days and works only with the
 * same key (https://developer.work.weixin.qq.com/document/path/91770, as quoted in reference B8;
 * the wording of the refusals is the emulator's).
 */
function webhookUpload(/** @type {RequestContext} */ ctx) {
	const { state, clock, ids } = ctx.env;
	const world = state.wecom;
	const robot = ctx.query.key ? world.robots.find((item) => item.key === ctx.query.key) : undefined;
	if (!robot) return weComError(ctx, INVALID_KEY);
	const type = ctx.query.type;
	if (type !== 'file' && type !== 'voice')
		return weComError(
			ctx,
			CODES.badParameter,
			`invalid media type ${JSON.stringify(type ?? null)}`,
		);
	const file = /** @type {any} */ (ctx.body)?.files?.media;
	if (ctx.bodyInfo.kind !== 'multipart' || !file)
		return weComError(ctx, CODES.badParameter, 'missing media (multipart field "media")');
	if (file.size <= 5)
		return weComError(ctx, CODES.badParameter, 'media file must be larger than 5 bytes');
	if (file.size > UPLOAD_LIMITS[type])
		return weComError(
			ctx,
			CODES.badParameter,
			`media file over ${UPLOAD_LIMITS[type] / 1048576} MB`,
		);
	if (type === 'voice' && !file.data.subarray(0, 6).equals(Buffer.from('#!AMR\n')))
		return weComError(ctx, CODES.badParameter, 'voice must be AMR');
	const now = clock.now();
	const mediaId = `robot-${type}-${ids.next('wecomRobotMedia')}`;
	world.robotMedia.push({
		mediaId,
		key: robot.key,
		type,
		filename: file.filename,
		size: file.size,
		createdAt: now,
	});
	return weComOk({ type, media_id: mediaId, created_at: String(Math.floor(now / 1000)) });
}

/** A file or voice message must name media this robot uploaded within 3 days. */
function mediaProblem(
	/** @type {any} */ world,
	/** @type {string} */ key,
	/** @type {string} */ msgtype,
	/** @type {any} */ content,
	/** @type {number} */ now,
) {
	if (msgtype !== 'file' && msgtype !== 'voice') return undefined;
	const media = world.robotMedia.find(
		(/** @type {any} */ item) => item.mediaId === content.media_id,
	);
	if (
		!media ||
		media.key !== key ||
		media.type !== msgtype ||
		now - media.createdAt > MEDIA_LIFETIME_MS
	)
		return `invalid media_id ${JSON.stringify(content.media_id)}`;
	return undefined;
}

/**
 * Messages a robot posted, oldest first; `robot` filters by key or name.
 * @param {{ robotMessages: WebhookMessage[] }} world
 * @param {string} [robot]
 */
function webhookMessages(world, robot) {
	return robot
		? world.robotMessages.filter((message) => message.key === robot || message.robot === robot)
		: world.robotMessages;
}

/** Runtime collections for the WeCom state. */
function createWebhookState() {
	return {
		robotMessages: /** @type {WebhookMessage[]} */ ([]),
		robotFlow: /** @type {Record<string, { sentAt: number[] }>} */ ({}),
		/** Files and voices robots uploaded (upload_media). */
		robotMedia:
			/** @type {Array<{ mediaId: string, key: string, type: string, filename: string, size: number, createdAt: number }>} */ ([]),
	};
}

/** `/cgi-bin/webhook/send` reads its own body (after the key), so the family's body refusal skips it. */
const ownsBodyChecks = (/** @type {RequestContext} */ ctx) =>
	ctx.path === WEBHOOK_SEND_PATH || ctx.path === UPLOAD_PATH;

/** @type {import('../family').Route[]} */
const WEBHOOK_ROUTES = [
	{ method: 'POST', path: WEBHOOK_SEND_PATH, public: true, handler: webhookSend },
	{ method: 'POST', path: UPLOAD_PATH, public: true, handler: webhookUpload },
];

/**
 * Control-API routes, spread into control.js ROUTES.
 * @type {import('../control').ControlRoute[]}
 */
const WECOM_ROBOT_CONTROL_ROUTES = [
	{
		method: 'GET',
		path: '/wecom/robot-messages',
		summary: 'messages group robots posted; ?robot=<key or name>',
		handler: (emu, { query }) => ({ messages: emu.wecom.robotMessages(query.robot) }),
	},
];

module.exports = {
	WEBHOOK_ROUTES,
	WECOM_ROBOT_CONTROL_ROUTES,
	WEBHOOK_SEND_PATH,
	ownsBodyChecks,
	createWebhookState,
	webhookMessages,
};
