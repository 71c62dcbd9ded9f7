// @ts-check
'use strict';

const http = require('node:http');
const https = require('node:https');
const { performance } = require('node:perf_hooks');
const { EmulatorInputError } = require('../inputError');

/**
 * Outgoing HTTP for callbacks: one new connection per request (no keep-alive, as a platform's
 * callback would arrive), exact bytes, timing, and a wait limit after which the request is
 * abandoned the way a platform gives up on a receiver. close() aborts whatever is in flight.
 *
 * @typedef {object} OutgoingRequest
 * @property {string} method
 * @property {string} url       full URL including the query
 * @property {Record<string, string>} headers
 * @property {string} [body]    sent as UTF-8
 * @property {number} waitMs    give up (abort) after this many ms
 *
 * @typedef {object} ReceiverAnswer
 * @property {number} status          0 when nothing came back (timeout, connection error)
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {string} body            the answer as UTF-8 text ('' when none)
 * @property {number} elapsedMs       from sending to the end of the answer (or to giving up)
 * @property {boolean} timedOut
 * @property {string} [error]         connection error, e.g. "ECONNREFUSED"
 */

function createSender() {
	/** @type {Set<() => void>} */
	const inFlight = new Set();

	/**
	 * @param {OutgoingRequest} request
	 * @returns {Promise<ReceiverAnswer>}
	 */
	function send({ method, url, headers, body, waitMs }) {
		let target;
		try {
			target = new URL(url);
		} catch {
			throw new EmulatorInputError(
				`url must be an absolute http(s) URL, got ${JSON.stringify(url)}`,
			);
		}
		if (target.protocol !== 'http:' && target.protocol !== 'https:')
			throw new EmulatorInputError(`url must be http or https, got ${target.protocol}`);
		const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
		const transport = target.protocol === 'https:' ? https : http;
		const started = performance.now();
		const elapsed = () => Math.round((performance.now() - started) * 10) / 10;

		return new Promise((resolve) => {
			let settled = false;
			/** @param {ReceiverAnswer} answer */
			const finish = (answer) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				inFlight.delete(abort);
				resolve(answer);
			};
			const req = transport.request(target, {
				method,
				agent: false,
				headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
			});
			const giveUp = (/** @type {string} */ why) => {
				finish({
					status: 0,
					headers: {},
					body: '',
					elapsedMs: elapsed(),
					timedOut: why === 'timeout',
					...(why === 'timeout' ? {} : { error: why }),
				});
				req.destroy();
			};
			const abort = () => giveUp('aborted: the emulator closed');
			const timer = setTimeout(() => giveUp('timeout'), waitMs);
			inFlight.add(abort);
			req.on('response', (res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () =>
					finish({
						status: res.statusCode ?? 0,
						headers: { ...res.headers },
						body: Buffer.concat(chunks).toString('utf8'),
						elapsedMs: elapsed(),
						timedOut: false,
					}),
				);
				res.on('error', (error) =>
					giveUp(/** @type {NodeJS.ErrnoException} */ (error).code ?? error.message),
				);
			});
			req.on('error', (error) =>
				giveUp(/** @type {NodeJS.ErrnoException} */ (error).code ?? error.message),
			);
			req.end(payload);
		});
	}

	return {
		send,
		/** Abandons every request in flight (used by emu.close()). */
		abortAll() {
			for (const abort of [...inFlight]) abort();
		},
	};
}

/** @typedef {ReturnType<typeof createSender>} Sender */

/**
 * Appends query parameters to a URL, each value percent-encoded with encodeURIComponent (so
 * base64 `+`, `/`, `=` travel as %2B, %2F, %3D and can never turn into spaces), keeping any query
 * the URL already has.
 * @param {string} url
 * @param {Array<[string, string]>} params
 */
function withQuery(url, params) {
	const [base, hash = ''] = url.split('#');
	const query = params
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
	const joined = base.includes('?')
		? `${base}${base.endsWith('?') || base.endsWith('&') ? '' : '&'}${query}`
		: `${base}?${query}`;
	return hash ? `${joined}#${hash}` : joined;
}

module.exports = { createSender, withQuery };
