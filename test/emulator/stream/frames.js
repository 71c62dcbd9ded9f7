// @ts-check
'use strict';

const crypto = require('node:crypto');
const { uuid } = require('../ids');
const { isPlainObject } = require('../values');

/**
 * The frames of DingTalk's Stream protocol, server side: what the gateway sends (SYSTEM and EVENT
 * downstream frames) and how it reads what a client sends back (replies to them). Shapes follow
 * the protocol page of open-dingtalk/developerpedia (docs/learn/stream/protocol.md) and the
 * official SDKs' readers and writers (open-dingtalk/dingtalk-stream-sdk-nodejs src/client.ts,
 * open-dingtalk/dingtalk-stream-sdk-python dingtalk_stream/frames.py and handlers.py); README.md
 * "DingTalk Stream gateway" lists where they were silent.
 *
 * @typedef {Record<string, string>} FrameHeaders
 * @typedef {{ specVersion: '1.0', type: 'SYSTEM'|'EVENT', headers: FrameHeaders, data: string }} DownstreamFrame
 *
 * What a client frame turned out to be (`reply`: it names a messageId; the gateway decides what it answers).
 * @typedef {{ kind: 'reply', messageId: string, code: unknown, message: unknown, data: unknown, parsedData: unknown }
 *   | { kind: 'malformed', problem: string }} ClientFrame
 *
 * How an event reply reads: SUCCESS (consumed) or LATER (push again), and which form said so.
 * @typedef {{ status: 'SUCCESS'|'LATER', form: 'status'|'code', code: unknown, message?: string }} AckReading
 */

const SPEC_VERSION = '1.0';
const CONTENT_TYPE = 'application/json';

/** Lower-case UUID text (tickets, connection ids, ping opaques), from 32 pseudo-random bytes. */
const lowerUuid = (/** @type {Buffer} */ bytes) => uuid(bytes).toLowerCase();

/**
 * A messageId in the layout of the documented ones ("213d841d_972_1898bb26334_70a7": 8 hex, a
 * small number, the send time in hex ms, a hex counter). Only the time part follows the clock.
 * @param {Buffer} bytes @param {number} now @param {number} n
 */
function messageIdOf(bytes, now, n) {
	const host = bytes.subarray(0, 4).toString('hex');
	const worker = 100 + (bytes.readUInt16BE(4) % 900);
	return `${host}_${worker}_${Math.max(0, Math.floor(now)).toString(16)}_${n.toString(16)}`;
}

/** The app's "unified app id" (appId / eventUnifiedAppId headers): a UUID fixed per appKey. */
function unifiedAppIdOf(/** @type {string} */ appKey) {
	return lowerUuid(
		crypto.createHash('sha256').update(`n8n-emulator:dingtalk-unified-app:${appKey}`).digest(),
	);
}

/**
 * A SYSTEM frame (ping, disconnect, and CONNECTED/REGISTERED when announced). Headers as in the
 * SDK's logged disconnect frame: contentType, messageId, time, topic.
 * @param {string} topic @param {string} messageId @param {number} now @param {Record<string, unknown>} payload
 * @returns {DownstreamFrame}
 */
function systemFrame(topic, messageId, now, payload) {
	return {
		specVersion: SPEC_VERSION,
		type: 'SYSTEM',
		headers: { contentType: CONTENT_TYPE, messageId, time: String(now), topic },
		data: JSON.stringify(payload),
	};
}

/**
 * An EVENT frame: headers with the event envelope (times as strings), `data` the event body as a
 * JSON string, topic "*" (the EVENT subscription).
 * @param {{ messageId: string, eventType: string, eventBornTime: number, eventId: string, corpId: string, appId: string, data: string }} event
 * @param {string} connectionId
 * @param {number} now
 * @returns {DownstreamFrame}
 */
function eventFrame(event, connectionId, now) {
	return {
		specVersion: SPEC_VERSION,
		type: 'EVENT',
		headers: {
			appId: event.appId,
			connectionId,
			contentType: CONTENT_TYPE,
			messageId: event.messageId,
			time: String(now),
			topic: '*',
			eventType: event.eventType,
			eventBornTime: String(event.eventBornTime),
			eventId: event.eventId,
			eventCorpId: event.corpId,
			eventUnifiedAppId: event.appId,
		},
		data: event.data,
	};
}

/**
 * Reads one frame from a client. Anything that is not a JSON object naming `headers.messageId`
 * is malformed (the gateway records it and carries on).
 * @param {import('ws').RawData} raw @param {boolean} isBinary
 * @returns {ClientFrame}
 */
function readClientFrame(raw, isBinary) {
	if (isBinary)
		return { kind: 'malformed', problem: 'binary frame (the protocol sends JSON text)' };
	const text = rawText(raw);
	let value;
	try {
		value = JSON.parse(text);
	} catch {
		return { kind: 'malformed', problem: 'not JSON' };
	}
	if (!isPlainObject(value)) return { kind: 'malformed', problem: 'not a JSON object' };
	const { headers } = value;
	if (!isPlainObject(headers) || typeof headers.messageId !== 'string' || !headers.messageId)
		return { kind: 'malformed', problem: 'no headers.messageId' };
	let parsedData;
	if (typeof value.data === 'string') {
		try {
			parsedData = JSON.parse(value.data);
		} catch {
			parsedData = undefined;
		}
	}
	return {
		kind: 'reply',
		messageId: headers.messageId,
		code: value.code,
		message: value.message,
		data: value.data,
		parsedData,
	};
}

const isOkCode = (/** @type {unknown} */ code) => code === 200 || code === '200';

/**
 * What an event reply means. Documented form: code 200 with data `{"status":"SUCCESS"|"LATER"}`
 * (protocol.md, Node SDK). The Python SDK answers with a code only (200, or 400/404/500 for a
 * failed handler) and echoes the event data. So: status LATER, or a code other than 200, means
 * "push again"; status SUCCESS, or code 200 without a status, means consumed; neither a code nor
 * a status is not an ack.
 * @param {Extract<ClientFrame, { kind: 'reply' }>} frame
 * @returns {AckReading | undefined}
 */
function readAck(frame) {
	const status = isPlainObject(frame.parsedData) ? frame.parsedData.status : undefined;
	const message =
		isPlainObject(frame.parsedData) && typeof frame.parsedData.message === 'string'
			? frame.parsedData.message
			: undefined;
	const hasCode = frame.code !== undefined && frame.code !== null;
	const extra = message === undefined ? {} : { message };
	if (status === 'LATER') return { status: 'LATER', form: 'status', code: frame.code, ...extra };
	if (hasCode && !isOkCode(frame.code))
		return { status: 'LATER', form: 'code', code: frame.code, ...extra };
	if (status === 'SUCCESS')
		return { status: 'SUCCESS', form: 'status', code: frame.code, ...extra };
	if (hasCode) return { status: 'SUCCESS', form: 'code', code: frame.code, ...extra };
	return undefined;
}

/**
 * Whether a reply to a ping is the documented echo: code 200 and data carrying the same opaque.
 * @param {Extract<ClientFrame, { kind: 'reply' }>} frame @param {string} opaque
 * @returns {string | undefined} the problem, if any
 */
function pingEchoProblem(frame, opaque) {
	if (!isOkCode(frame.code)) return `code ${JSON.stringify(frame.code)}, expected 200`;
	const echoed = isPlainObject(frame.parsedData) ? frame.parsedData.opaque : undefined;
	if (echoed !== opaque)
		return `data ${JSON.stringify(frame.data)} does not echo opaque ${JSON.stringify(opaque)}`;
	return undefined;
}

/** Text of a received frame, whatever buffer form ws hands over. */
function rawText(/** @type {import('ws').RawData} */ raw) {
	if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
	if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
	return raw.toString('utf8');
}

module.exports = {
	SPEC_VERSION,
	CONTENT_TYPE,
	lowerUuid,
	messageIdOf,
	unifiedAppIdOf,
	systemFrame,
	eventFrame,
	readClientFrame,
	readAck,
	pingEchoProblem,
	rawText,
};
