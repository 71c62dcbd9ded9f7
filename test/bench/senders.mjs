// The hand-written undici senders the pack is compared with (no n8n, no pack code):
//   bareLoop    (b) one keep-alive connection, one call after the other, token fetched once
//   cappedLoop  (c) `concurrency` calls in flight on a keep-alive pool, paced by an interval pacer
//               (a token bucket of one) at `perSecond`, token fetched once
// Both fetch the token before the clock starts (the pack's token is already cached by then) and
// deliver every item: a rate-limit answer is counted, waited out for RETRY_AFTER_RATE_LIMIT_MS
// and the call sent again. Any other failure is a benchmark bug and throws.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Pool } from 'undici';

import { isOkAnswer, isRateLimitAnswer } from './platforms.mjs';

export const RETRY_AFTER_RATE_LIMIT_MS = 100;

/**
 * @typedef {import('./platforms.mjs').HttpCall} HttpCall
 * @typedef {import('./platforms.mjs').BenchItem} BenchItem
 * @typedef {{ origin: string, token: HttpCall, tokenOf: (body: any) => string, send: (token: string, item: BenchItem) => HttpCall }} PlatformCalls
 * @typedef {{ ms: number, sent: number, rateLimitAnswers: number }} LoopOutcome
 */

/** @param {import('undici').Dispatcher} dispatcher @param {HttpCall} call */
async function answerOf(dispatcher, call) {
	const response = await dispatcher.request(call);
	const text = await response.body.text();
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = text;
	}
	return { status: response.statusCode, body };
}

/** @param {import('undici').Dispatcher} dispatcher @param {PlatformCalls} calls */
async function fetchToken(dispatcher, calls) {
	const { status, body } = await answerOf(dispatcher, calls.token);
	if (!isOkAnswer(status, body))
		throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
	return calls.tokenOf(body);
}

/**
 * @param {import('undici').Dispatcher} dispatcher @param {HttpCall} call
 * @param {{ rateLimitAnswers: number }} stats @param {() => Promise<void>} [beforeAttempt]
 */
async function deliver(dispatcher, call, stats, beforeAttempt) {
	for (;;) {
		await beforeAttempt?.();
		const { status, body } = await answerOf(dispatcher, call);
		if (isOkAnswer(status, body)) return;
		if (!isRateLimitAnswer(status, body))
			throw new Error(`send failed: ${status} ${JSON.stringify(body)}`);
		stats.rateLimitAnswers++;
		await sleep(RETRY_AFTER_RATE_LIMIT_MS);
	}
}

/**
 * (b) Sequential on one keep-alive connection; the token is fetched on the first send and kept.
 * @param {PlatformCalls} calls
 */
export function openBareSender(calls) {
	const client = new Client(calls.origin);
	/** @type {Promise<string> | undefined} */
	let token;
	return {
		/** @param {BenchItem[]} items @returns {Promise<LoopOutcome>} */
		async send(items) {
			token ??= fetchToken(client, calls);
			const held = await token;
			const stats = { rateLimitAnswers: 0 };
			const started = performance.now();
			for (const item of items) await deliver(client, calls.send(held, item), stats);
			return { ms: performance.now() - started, sent: items.length, ...stats };
		},
		close: async () => await client.close(),
	};
}

/** (b) for one run: its own connection and token. */
export async function bareLoop(
	/** @type {PlatformCalls} */ calls,
	/** @type {BenchItem[]} */ items,
) {
	const sender = openBareSender(calls);
	try {
		return await sender.send(items);
	} finally {
		await sender.close();
	}
}

/** Calls at most `perSecond` per second, evenly spaced (0 = unpaced). */
export function intervalPacer(/** @type {number} */ perSecond) {
	if (!(perSecond > 0)) return async () => {};
	const interval = 1000 / perSecond;
	let nextSlot = 0;
	return async () => {
		const now = performance.now();
		const slot = Math.max(now, nextSlot);
		nextSlot = slot + interval;
		if (slot > now) await sleep(slot - now);
	};
}

/**
 * (c) `concurrency` workers on a keep-alive pool of as many connections, every attempt paced.
 * @param {PlatformCalls} calls @param {BenchItem[]} items
 * @param {{ concurrency: number, perSecond: number }} limits
 * @returns {Promise<LoopOutcome>}
 */
export async function cappedLoop(calls, items, { concurrency, perSecond }) {
	const pool = new Pool(calls.origin, { connections: concurrency });
	try {
		const token = await fetchToken(pool, calls);
		const stats = { rateLimitAnswers: 0 };
		const pace = intervalPacer(perSecond);
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const item = items[next++];
				await deliver(pool, calls.send(token, item), stats, pace);
			}
		};
		const started = performance.now();
		await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
		return { ms: performance.now() - started, sent: items.length, ...stats };
	} finally {
		await pool.close();
	}
}
