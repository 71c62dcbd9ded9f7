// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * Deterministic identifiers. Every id the emulator hands out (tokens, request ids, task ids,
 * msgids) comes from a per-kind counter hashed into realistic-looking text, so two runs that make
 * the same calls see the same ids, and `reset()` starts the sequence again.
 *
 * @typedef {object} IdSource
 * @property {(kind: string) => number} next            1, 2, 3… per kind
 * @property {(kind: string) => Buffer} digest          32 pseudo-random bytes for the next id of a kind
 * @property {() => void} reset
 */

/** @returns {IdSource} */
function createIdSource() {
	/** @type {Map<string, number>} */
	let counters = new Map();
	const next = (/** @type {string} */ kind) => {
		const n = (counters.get(kind) ?? 0) + 1;
		counters.set(kind, n);
		return n;
	};
	return {
		next,
		digest: (kind) =>
			crypto
				.createHash('sha256')
				.update(`n8n-emulator:${kind}:${next(kind)}`)
				.digest(),
		reset() {
			counters = new Map();
		},
	};
}

/** Lowercase base-36 text of a fixed length, e.g. DingTalk's request_id "15s9in2w1yat9". */
function base36(/** @type {Buffer} */ bytes, /** @type {number} */ length) {
	const text = BigInt(`0x${bytes.toString('hex')}`).toString(36);
	return text.slice(-length).padStart(length, '0');
}

/** Upper-case UUID layout, as DingTalk's v1.0 `requestid`. */
function uuid(/** @type {Buffer} */ bytes) {
	const hex = bytes.subarray(0, 16).toString('hex').toUpperCase();
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** URL-safe base64 without padding, cut to a length (≤ 43 per 32-byte digest). */
function base64url(/** @type {Buffer} */ bytes, /** @type {number} */ length) {
	return bytes.toString('base64url').slice(0, length);
}

module.exports = { createIdSource, base36, uuid, base64url };
