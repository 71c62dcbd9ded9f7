// @ts-check
'use strict';

const { isPlainObject, firstMissingKey } = require('../values');

/**
 * Structure checks of app-message bodies (types and required keys per
 * https://developer.work.weixin.qq.com/document/path/90236). Text/markdown are emulated fully; the other types are accepted when their required
 * keys are present. Each check returns the first problem or undefined.
 */

/** @typedef {(body: Record<string, any>, at: string) => string | undefined} BodyCheck */

/** @param {string[]} keys @returns {BodyCheck} */
const requires = (keys) => (body, at) => {
	const missing = firstMissingKey(body, keys);
	return missing ? `missing ${at}.${missing}` : undefined;
};

/**
 * A list of 1..8 articles, each with the given keys ("一个图文消息支持1到8条图文",
 * https://developer.work.weixin.qq.com/document/path/90236).
 * @param {string[]} keys @returns {BodyCheck}
 */
const articles = (keys) => (body, at) => {
	const list = body.articles;
	if (!Array.isArray(list) || list.length < 1 || list.length > 8)
		return `${at}.articles must hold 1 to 8 articles`;
	for (const [index, article] of list.entries()) {
		if (!isPlainObject(article)) return `${at}.articles[${index}] must be an object`;
		const problem = requires(keys)(article, `${at}.articles[${index}]`);
		if (problem) return problem;
	}
	return undefined;
};

const CARD_TYPES = [
	'text_notice',
	'news_notice',
	'button_interaction',
	'vote_interaction',
	'multiple_interaction',
];
/** Template cards users act on; they get a `response_code` (https://developer.work.weixin.qq.com/document/path/94945). */
const INTERACTIVE_CARD_TYPES = ['button_interaction', 'vote_interaction', 'multiple_interaction'];

/** @type {Record<string, BodyCheck>} */
const CHECKS = {
	text: requires(['content']),
	markdown: requires(['content']),
	image: requires(['media_id']),
	voice: requires(['media_id']),
	file: requires(['media_id']),
	video: requires(['media_id']),
	textcard: requires(['title', 'description', 'url']),
	news: articles(['title']),
	mpnews: articles(['title', 'thumb_media_id', 'content']),
	miniprogram_notice: requires(['appid', 'title']),
	template_card: (body, at) => {
		if (!CARD_TYPES.includes(body.card_type))
			return `${at}.card_type must be one of ${CARD_TYPES.join(', ')}`;
		if (INTERACTIVE_CARD_TYPES.includes(body.card_type)) return requires(['task_id'])(body, at);
		return undefined;
	},
	taskcard: (body, at) => {
		const missing = requires(['title', 'description', 'task_id'])(body, at);
		if (missing) return missing;
		if (!Array.isArray(body.btn) || body.btn.length === 0)
			return `${at}.btn must be a non-empty array`;
		const badButton = body.btn.findIndex(
			(/** @type {unknown} */ button) =>
				!isPlainObject(button) || firstMissingKey(button, ['key', 'name']),
		);
		return badButton >= 0 ? `${at}.btn[${badButton}] needs key and name` : undefined;
	},
};

const APP_MESSAGE_TYPES = Object.keys(CHECKS);

/**
 * @param {Record<string, any>} request the message/send body
 * @returns {string | undefined}
 */
function appMessageProblem(request) {
	const type = request.msgtype;
	if (!type) return 'missing msgtype';
	const check = CHECKS[type];
	if (!check) return `msgtype ${type} is not one of ${APP_MESSAGE_TYPES.join(', ')}`;
	if (!isPlainObject(request[type])) return `missing ${type}`;
	return check(request[type], type);
}

const isInteractiveCard = (/** @type {Record<string, any>} */ request) =>
	request.msgtype === 'template_card' &&
	INTERACTIVE_CARD_TYPES.includes(request.template_card?.card_type);

module.exports = { appMessageProblem, isInteractiveCard };
