// @ts-check
'use strict';

const nodeCrypto = require('node:crypto');
const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');
const { isEncodingAESKey } = require('./crypto');

/**
 * What both platforms' callers share: option checks, deterministic nonces and random prefixes,
 * timing verdicts. (Sending, judging and recording: index.js.)
 *
 * @typedef {import('./http').ReceiverAnswer} ReceiverAnswer
 * @typedef {{ ok: boolean, reason?: string }} Verdict
 * @typedef {{ accepted: boolean, reason?: string, reply?: string }} Judgement  how the platform reads an answer
 *
 * @typedef {object} PreparedCallback   one callback, built and ready: what index.js sends, records and judges
 * @property {'wecom'|'dingtalk'} platform
 * @property {'verify-url'|'deliver'|'check-url'} kind
 * @property {{ method: string, url: string, headers: Record<string, string>, body: string }} request  the exact bytes (redelivery re-sends them)
 * @property {Record<string, string>} query   signature/timestamp/nonce(/echostr) as sent, decoded
 * @property {string} plaintext               what the ciphertext holds
 * @property {string | null} forge
 * @property {number} deadlineMs              the platform's answer deadline
 * @property {number} waitMs                  when the request is abandoned
 * @property {(answer: ReceiverAnswer) => Judgement} judge
 */

/** Defaults a test can rely on: the receiver settings a trigger credential would hold. */
const DEFAULT_CALLBACK_CONFIG = Object.freeze({
	wecom: Object.freeze({
		token: 'emuWeComCallbackToken',
		encodingAESKey: 'emuWeComCallbackEncodingAESKey0000000000001',
		corpId: 'wwemucorp0001',
		agentId: 1000002,
	}),
	dingtalk: Object.freeze({
		token: 'emuDingTalkToken0001',
		aesKey: 'emuDingTalkCallbackAesKey000000000000000001',
		ownerKey: 'dingemuappkey0001',
		corpId: 'dingemucorp0001',
	}),
});

/** How far back a `forge: 'stale'` timestamp lies: one day (no replay window is documented). */
const STALE_BY_MS = 24 * 60 * 60 * 1000;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** @returns {Record<string, any>} */
function readOptions(/** @type {unknown} */ options, /** @type {string} */ what) {
	if (!isPlainObject(options)) throw new EmulatorInputError(`${what} needs an options object`);
	return options;
}

function requireUrl(/** @type {unknown} */ url) {
	if (typeof url !== 'string' || !/^https?:\/\/[^/]/i.test(url))
		throw new EmulatorInputError(`url must be an absolute http(s) URL, got ${JSON.stringify(url)}`);
	return url;
}

/** A non-empty string option (numbers accepted), or the default. */
function stringOption(
	/** @type {unknown} */ value,
	/** @type {string} */ name,
	/** @type {string} */ fallback,
) {
	if (value === undefined || value === null) return fallback;
	if ((typeof value !== 'string' && typeof value !== 'number') || String(value) === '')
		throw new EmulatorInputError(
			`${name} must be a non-empty string, got ${JSON.stringify(value)}`,
		);
	return String(value);
}

function keyOption(
	/** @type {unknown} */ value,
	/** @type {string} */ name,
	/** @type {string} */ fallback,
) {
	const key = value === undefined || value === null ? fallback : value;
	if (!isEncodingAESKey(key))
		throw new EmulatorInputError(
			`${name} must be 43 letters or digits, got ${JSON.stringify(key)}`,
		);
	return /** @type {string} */ (key);
}

/** A random prefix option: 16 bytes as text, or undefined for the deterministic default. */
function randomOption(/** @type {unknown} */ value) {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' || Buffer.byteLength(value, 'utf8') !== 16)
		throw new EmulatorInputError(`random must be a 16-byte string, got ${JSON.stringify(value)}`);
	return value;
}

function msOption(
	/** @type {unknown} */ value,
	/** @type {string} */ name,
	/** @type {number} */ fallback,
) {
	if (value === undefined || value === null) return fallback;
	const ms = Number(value);
	if (!Number.isFinite(ms) || ms <= 0)
		throw new EmulatorInputError(
			`${name} must be a positive number of ms, got ${JSON.stringify(value)}`,
		);
	return ms;
}

function forgeOption(/** @type {unknown} */ value, /** @type {string[]} */ allowed) {
	if (value === undefined || value === null || value === false) return null;
	if (typeof value !== 'string' || !allowed.includes(value))
		throw new EmulatorInputError(
			`forge must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
		);
	return value;
}

/**
 * Deterministic values from the emulator's id source, so two runs that make the same callbacks
 * send the same bytes (reset() restarts them).
 * @param {import('../ids').IdSource} ids
 */
function createGenerators(ids) {
	const alphanumeric = (/** @type {string} */ kind, /** @type {number} */ length) =>
		Array.from(
			ids.digest(kind).subarray(0, length),
			(byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length],
		).join('');
	const digits = (/** @type {string} */ kind, /** @type {number} */ length) => {
		const value = BigInt(`0x${ids.digest(kind).toString('hex')}`) % 10n ** BigInt(length - 1);
		return `${1 + (ids.next(`${kind}:lead`) % 9)}${value.toString().padStart(length - 1, '0')}`;
	};
	return {
		/** WeCom nonces are digits (official sample vectors V1 "47744683", V2 "1597212914", in __tests__/callbacks.test.js). */
		wecomNonce: () => digits('callback-wecom-nonce', 10),
		/** DingTalk nonces are letters and digits (official sample vector D1 "WelUQl6bCqcBa2fM"). */
		dingtalkNonce: () => alphanumeric('callback-dingtalk-nonce', 16),
		/** The 16 bytes in front of the message. */
		random16: () => alphanumeric('callback-random', 16),
		/** WeCom's echostr plaintext is a long number (sample vector V1 "1288432023552776189"). */
		echoPlain: () => digits('callback-wecom-echo', 19),
		hex: (/** @type {string} */ kind, /** @type {number} */ length) =>
			ids.digest(kind).toString('hex').slice(0, length),
		base64url: (/** @type {string} */ kind, /** @type {number} */ length) =>
			ids.digest(kind).toString('base64url').slice(0, length),
		next: (/** @type {string} */ kind) => ids.next(kind),
	};
}

/** @typedef {ReturnType<typeof createGenerators>} Generators */

/**
 * A seeded pseudo-random source: SHA-256 of `seed:block` in counter mode, so the same seed gives
 * the same values on every machine and Node version (forgeries are reproducible from their seed).
 * @param {string} seed
 */
function createSeededRandom(seed) {
	let block = 0;
	let pool = Buffer.alloc(0);
	/** @param {number} n */
	const bytes = (n) => {
		while (pool.length < n) {
			const more = nodeCrypto.createHash('sha256').update(`${seed}:${block}`).digest();
			block += 1;
			pool = Buffer.concat([pool, more]);
		}
		const out = Buffer.from(pool.subarray(0, n));
		pool = pool.subarray(n);
		return out;
	};
	/** An integer in [0, max) (max ≤ 2^32), without modulo bias. @param {number} max */
	const int = (max) => {
		if (max <= 1) return 0;
		const limit = Math.floor(0x1_0000_0000 / max) * max;
		for (;;) {
			const value = bytes(4).readUInt32BE(0);
			if (value < limit) return value % max;
		}
	};
	const from = (/** @type {string} */ alphabet, /** @type {number} */ length) =>
		Array.from({ length }, () => alphabet[int(alphabet.length)]).join('');
	return {
		bytes,
		int,
		/** An integer in [min, max]. */
		between: (/** @type {number} */ min, /** @type {number} */ max) => min + int(max - min + 1),
		/** @template T @param {readonly T[]} list @returns {T} */
		pick: (list) => list[int(list.length)],
		/** Fisher–Yates, in place. @template T @param {T[]} list */
		shuffle(list) {
			for (let i = list.length - 1; i > 0; i--) {
				const j = int(i + 1);
				[list[i], list[j]] = [list[j], list[i]];
			}
			return list;
		},
		alphanumeric: (/** @type {number} */ length) => from(ALPHANUMERIC, length),
		digits: (/** @type {number} */ length) =>
			`${from('123456789', 1)}${from('0123456789', length - 1)}`,
		hex: (/** @type {number} */ length) => from('0123456789abcdef', length),
	};
}

/** @typedef {ReturnType<typeof createSeededRandom>} SeededRandom */

/**
 * @typedef {object} RetryPolicy        how the platform repeats a delivery it did not count as received
 * @property {number} attempts          retries after the first send (0 = none)
 * @property {number | readonly number[]} intervalMs  wait before each retry (a list: per retry, the last repeating)
 */

/**
 * The `retry` option: false/null = no retries, true = the platform's policy, an object = the
 * policy with those fields replaced; undefined = `fallback` (null for deliver(), the platform's
 * policy for deliverApprovalEvents()).
 * @param {unknown} value
 * @param {RetryPolicy} platform
 * @param {RetryPolicy | null} fallback
 * @returns {RetryPolicy | null}
 */
function retryOption(value, platform, fallback) {
	if (value === undefined) return fallback;
	if (value === null || value === false) return null;
	if (value === true) return platform;
	if (!isPlainObject(value))
		throw new EmulatorInputError(
			`retry must be true, false or {attempts?, intervalMs?}, got ${JSON.stringify(value)}`,
		);
	const attempts = value.attempts ?? platform.attempts;
	if (!Number.isInteger(attempts) || attempts < 0 || attempts > 20)
		throw new EmulatorInputError(
			`retry.attempts must be a whole number 0..20, got ${JSON.stringify(value.attempts)}`,
		);
	const intervalMs = value.intervalMs ?? platform.intervalMs;
	const intervals = Array.isArray(intervalMs) ? intervalMs : [intervalMs];
	if (
		intervals.length === 0 ||
		!intervals.every((ms) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)
	)
		throw new EmulatorInputError(
			`retry.intervalMs must be ms ≥ 0 or a list of them, got ${JSON.stringify(value.intervalMs)}`,
		);
	return { attempts, intervalMs: Array.isArray(intervalMs) ? [...intervalMs] : intervalMs };
}

/** The wait before retry `n` (1-based). @param {RetryPolicy} policy @param {number} n */
function retryInterval(policy, n) {
	const { intervalMs } = policy;
	if (!Array.isArray(intervalMs)) return intervalMs;
	return intervalMs[Math.min(n, intervalMs.length) - 1];
}

/**
 * The part of a verdict every platform shares: no answer, a connection error, or too late.
 * @param {ReceiverAnswer} answer
 * @param {number} deadlineMs
 * @returns {Verdict | undefined}
 */
function timingVerdict(answer, deadlineMs) {
	if (answer.timedOut)
		return {
			ok: false,
			reason: `no answer within ${Math.round(answer.elapsedMs)} ms (the platform waits ${deadlineMs} ms)`,
		};
	if (answer.error) return { ok: false, reason: `connection failed: ${answer.error}` };
	if (answer.elapsedMs > deadlineMs)
		return {
			ok: false,
			reason: `answered after ${Math.round(answer.elapsedMs)} ms, later than the ${deadlineMs} ms the platform waits`,
		};
	return undefined;
}

/** Short, printable excerpt of a receiver's body for reasons. */
const excerpt = (/** @type {string} */ text, max = 160) =>
	JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

module.exports = {
	DEFAULT_CALLBACK_CONFIG,
	STALE_BY_MS,
	readOptions,
	requireUrl,
	stringOption,
	keyOption,
	randomOption,
	msOption,
	forgeOption,
	createGenerators,
	createSeededRandom,
	retryOption,
	retryInterval,
	timingVerdict,
	excerpt,
};
