// @ts-check
'use strict';

const { isPlainObject, isGiven, firstMissingKey, utf8Length } = require('../values');

/**
 * Checks the `msg` of a work notification (types and required keys per
 * https://open.dingtalk.com/document/development/message-types-and-data-format). Each checker returns a description of the first problem, or
 * undefined when the body is acceptable.
 */

/** @typedef {(body: Record<string, any>, at: string) => string | undefined} BodyCheck */

/** @param {string[]} keys @returns {BodyCheck} */
const requires = (keys) => (body, at) => {
	const missing = firstMissingKey(body, keys);
	return missing ? `缺少 ${at}.${missing}` : undefined;
};

/** @type {Record<string, BodyCheck>} */
const CHECKS = {
	text: requires(['content']),
	image: requires(['media_id']),
	file: requires(['media_id']),
	voice: (body, at) =>
		requires(['media_id', 'duration'])(body, at) ??
		// A string holding a positive integer below 60.
		(typeof body.duration === 'string' &&
		/^[1-9]\d?$/.test(body.duration) &&
		Number(body.duration) < 60
			? undefined
			: `${at}.duration 必须是 "1"…"59" 的字符串`),
	link: requires(['messageUrl', 'picUrl', 'title', 'text']),
	oa: (body, at) => {
		const missing = requires(['message_url', 'head', 'body'])(body, at);
		if (missing) return missing;
		if (!isPlainObject(body.head)) return `${at}.head 必须是对象`;
		if (!isPlainObject(body.body)) return `${at}.body 必须是对象`;
		const headMissing = requires(['bgcolor', 'text'])(body.head, `${at}.head`);
		if (headMissing) return headMissing;
		if (!/^[0-9A-Fa-f]{8}$/.test(String(body.head.bgcolor)))
			return `${at}.head.bgcolor 必须是 8 位十六进制 ARGB`;
		if (body.body.form !== undefined && !Array.isArray(body.body.form))
			return `${at}.body.form 必须是数组`;
		if (body.status_bar !== undefined && !isPlainObject(body.status_bar))
			return `${at}.status_bar 必须是对象`;
		return undefined;
	},
	markdown: (body, at) =>
		requires(['title', 'text'])(body, at) ??
		([...String(body.text)].length > 5000 ? `${at}.text 超过 5000 个字符` : undefined),
	action_card: (body, at) => {
		const missing = requires(['markdown'])(body, at);
		if (missing) return missing;
		if (isGiven(body.single_title) !== isGiven(body.single_url))
			return `${at}.single_title 与 single_url 必须同时设置`;
		if (isGiven(body.btn_orientation) !== (body.btn_json_list !== undefined))
			return `${at}.btn_orientation 与 btn_json_list 必须同时设置`;
		if (body.btn_json_list === undefined) return undefined;
		if (!['0', '1'].includes(String(body.btn_orientation)))
			return `${at}.btn_orientation 必须是 "0" 或 "1"`;
		if (!Array.isArray(body.btn_json_list) || body.btn_json_list.length === 0)
			return `${at}.btn_json_list 必须是非空数组`;
		for (const [index, button] of body.btn_json_list.entries()) {
			if (!isPlainObject(button)) return `${at}.btn_json_list[${index}] 必须是对象`;
			const buttonMissing = requires(['title', 'action_url'])(
				button,
				`${at}.btn_json_list[${index}]`,
			);
			if (buttonMissing) return buttonMissing;
		}
		return undefined;
	},
};

const WORK_MESSAGE_TYPES = Object.keys(CHECKS);

/**
 * @param {unknown} msg the parsed `msg`
 * @param {{ maxBytes: number }} limits maxBytes 0 = unlimited
 * @returns {string | undefined}
 */
function workMessageProblem(msg, { maxBytes }) {
	if (!isPlainObject(msg)) return 'msg 必须是 JSON 对象';
	if (maxBytes > 0 && utf8Length(JSON.stringify(msg)) > maxBytes)
		return `msg 超过 ${maxBytes} 字节`;
	const type = msg.msgtype;
	if (!isGiven(type)) return '缺少 msg.msgtype';
	const check = CHECKS[type];
	if (!check) return `msg.msgtype 不支持 ${type}，可用: ${WORK_MESSAGE_TYPES.join(', ')}`;
	// "发送消息时，不支持同时发送多种消息类型" (https://open.dingtalk.com/document/development/asynchronous-sending-of-enterprise-session-messages).
	const others = WORK_MESSAGE_TYPES.filter((other) => other !== type && other in msg);
	if (others.length)
		return `msg 只能包含一种消息类型，msgtype 为 ${type} 但还有 ${others.join(', ')}`;
	if (!isPlainObject(msg[type])) return `缺少 msg.${type}`;
	return check(msg[type], `msg.${type}`);
}

module.exports = { workMessageProblem };
