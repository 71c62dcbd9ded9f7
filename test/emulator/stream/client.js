// @ts-check
'use strict';

const { WebSocket } = require('ws');

/**
 * A small DingTalk Stream client for tests of the emulator's gateway (Node 20 has no global
 * WebSocket, so it uses the `ws` package). It opens a ticket, connects, keeps every frame it
 * receives, can answer pings and ack events by itself, and lets a test wait for the next frame
 * that matches.
 *
 * @typedef {{ specVersion?: string, type: string, headers: Record<string, string>, data: string }} Frame
 * @typedef {{ type: string, topic: string }} Subscription
 *
 * @typedef {object} OpenOptions
 * @property {string} apiBaseUrl              emu.baseUrls.dingtalkApi
 * @property {string} clientId                the app's AppKey
 * @property {string} clientSecret            the app's AppSecret
 * @property {Subscription[]} [subscriptions] default [{type: 'EVENT', topic: '*'}]
 * @property {Record<string, string>} [headers]
 */

/** POST connections/open as the SDKs do (Accept: application/json). @param {OpenOptions} options */
async function openTicket({ apiBaseUrl, clientId, clientSecret, subscriptions, headers = {} }) {
	const response = await fetch(`${apiBaseUrl}/v1.0/gateway/connections/open`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
		body: JSON.stringify({
			clientId,
			clientSecret,
			ua: 'emulator-test/1.0',
			subscriptions: subscriptions ?? [{ type: 'EVENT', topic: '*' }],
		}),
	});
	return { status: response.status, body: /** @type {any} */ (await response.json()) };
}

/**
 * Opens the WebSocket; resolves once open, rejects with `error.status` set when the server
 * refuses the upgrade.
 * @param {string} endpoint @param {string} ticket
 * @param {{ answerPings?: boolean, autoAck?: 'SUCCESS' | 'LATER' | null }} [behaviour]
 */
function connect(endpoint, ticket, { answerPings = true, autoAck = null } = {}) {
	const ws = new WebSocket(`${endpoint}?ticket=${encodeURIComponent(ticket)}`);
	/** @type {Frame[]} */
	const frames = [];
	/** @type {Set<number>} */
	const taken = new Set();
	/** @type {Set<() => void>} */
	const listeners = new Set();
	/** @type {Promise<{ code: number, reason: string, framesBefore: number }>} */
	const closed = new Promise((resolve) => {
		ws.on('close', (code, reason) =>
			resolve({ code, reason: reason.toString('utf8'), framesBefore: frames.length }),
		);
	});
	ws.on('error', () => {});

	/** @param {unknown} value */
	const send = (value) => ws.send(typeof value === 'string' ? value : JSON.stringify(value));
	/** Acks an event frame the documented way. @param {Frame | string} frame @param {'SUCCESS'|'LATER'} [status] */
	const ack = (frame, status = 'SUCCESS') =>
		send({
			code: 200,
			headers: {
				contentType: 'application/json',
				messageId: typeof frame === 'string' ? frame : frame.headers.messageId,
			},
			message: 'OK',
			data: JSON.stringify({ status, message: status === 'SUCCESS' ? 'success' : 'retry' }),
		});

	ws.on('message', (raw) => {
		const frame = /** @type {Frame} */ (JSON.parse(raw.toString()));
		frames.push(frame);
		if (answerPings && frame.type === 'SYSTEM' && frame.headers.topic === 'ping')
			send({ code: 200, headers: frame.headers, message: 'OK', data: frame.data });
		if (autoAck && frame.type === 'EVENT') ack(frame, autoAck);
		for (const listener of [...listeners]) listener();
	});

	const client = {
		ws,
		frames,
		closed,
		send,
		ack,
		/** Events received so far (frames of type EVENT). */
		events: () => frames.filter((frame) => frame.type === 'EVENT'),
		/**
		 * The first frame not handed out yet that matches, waiting for it if needed.
		 * @param {(frame: Frame) => boolean} [predicate] default: any frame
		 * @param {number} [timeoutMs]
		 * @returns {Promise<Frame>}
		 */
		next(predicate = () => true, timeoutMs = 5000) {
			return new Promise((resolve, reject) => {
				const look = () => {
					const index = frames.findIndex((frame, i) => !taken.has(i) && predicate(frame));
					if (index === -1) return false;
					taken.add(index);
					done();
					resolve(frames[index]);
					return true;
				};
				const timer = setTimeout(() => {
					done();
					reject(new Error(`no matching Stream frame within ${timeoutMs} ms`));
				}, timeoutMs);
				const listener = () => void look();
				const done = () => {
					clearTimeout(timer);
					listeners.delete(listener);
				};
				if (!look()) listeners.add(listener);
			});
		},
		/** The next EVENT frame. @param {number} [timeoutMs] */
		nextEvent: (timeoutMs = 5000) => client.next((frame) => frame.type === 'EVENT', timeoutMs),
		/** Closes from the client side and waits for the close. */
		async close() {
			if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
			return closed;
		},
	};

	/** @type {Promise<typeof client>} */
	const opened = new Promise((resolve, reject) => {
		ws.once('open', () => resolve(client));
		ws.once('unexpected-response', (request, response) => {
			const error = Object.assign(new Error(`upgrade refused: HTTP ${response.statusCode}`), {
				status: response.statusCode,
			});
			response.resume();
			request.destroy();
			reject(error);
		});
		ws.once('error', (error) => reject(error));
	});
	return opened;
}

/**
 * Ticket + connection in one step; throws when connections/open refuses.
 * @param {OpenOptions & { answerPings?: boolean, autoAck?: 'SUCCESS' | 'LATER' | null }} options
 */
async function openStream(options) {
	const { status, body } = await openTicket(options);
	if (status !== 200) throw new Error(`connections/open refused: ${JSON.stringify(body)}`);
	const client = await connect(body.endpoint, body.ticket, options);
	return Object.assign(client, { endpoint: body.endpoint, ticket: body.ticket });
}

module.exports = { openTicket, connect, openStream };
