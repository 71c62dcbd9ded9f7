// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * Small helpers for reading request values, shared by both platforms' handlers.
 */

/** @returns {value is Record<string, any>} */
function isPlainObject(/** @type {unknown} */ value) {
	return (
		typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
	);
}

/** A value counts as given when it is not undefined, null or an empty/blank string. */
function isGiven(/** @type {unknown} */ value) {
	return (
		value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '')
	);
}

/**
 * The first of `keys` that `object` lacks (absent, null or blank string), or undefined.
 * @param {Record<string, unknown>} object
 * @param {string[]} keys
 */
function firstMissingKey(object, keys) {
	return keys.find((key) => !isGiven(object[key]));
}

/**
 * Splits "a,b , c" (or "a|b") into trimmed, non-empty items, keeping order and dropping repeats.
 * @param {unknown} value a string (numbers are accepted as one item)
 * @param {string} separator
 */
function splitList(value, separator) {
	if (!isGiven(value)) return [];
	const items = String(value)
		.split(separator)
		.map((item) => item.trim())
		.filter(Boolean);
	return [...new Set(items)];
}

function utf8Length(/** @type {string} */ text) {
	return Buffer.byteLength(text, 'utf8');
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
function truncateUtf8(/** @type {string} */ text, /** @type {number} */ maxBytes) {
	if (utf8Length(text) <= maxBytes) return text;
	let out = '';
	let bytes = 0;
	for (const char of text) {
		const size = utf8Length(char);
		if (bytes + size > maxBytes) break;
		out += char;
		bytes += size;
	}
	return out;
}

/** JSON with sorted object keys, so equal content gives equal text whatever the key order. */
function stableStringify(/** @type {unknown} */ value) {
	return JSON.stringify(value, (_key, item) =>
		isPlainObject(item)
			? Object.fromEntries(
					Object.keys(item)
						.sort()
						.map((key) => [key, item[key]]),
				)
			: item,
	);
}

/** Short fingerprint of some content, for "same content" rules (duplicate checks). */
function contentFingerprint(/** @type {unknown} */ value) {
	return crypto.createHash('sha1').update(stableStringify(value)).digest('hex');
}

/** Booleans arrive as true/false in JSON and as "true"/"false" in form bodies. */
function readBoolean(/** @type {unknown} */ value) {
	if (value === true || value === 'true' || value === 1 || value === '1') return true;
	if (
		value === false ||
		value === 'false' ||
		value === 0 ||
		value === '0' ||
		value === undefined ||
		value === null ||
		value === ''
	)
		return false;
	return undefined;
}

/**
 * How many of `timestamps` fall in the window (now - windowMs, now].
 * @param {number[]} timestamps ascending
 * @param {number} now
 * @param {number} windowMs
 */
function countInWindow(timestamps, now, windowMs) {
	let count = 0;
	for (let i = timestamps.length - 1; i >= 0 && timestamps[i] > now - windowMs; i -= 1) count += 1;
	return count;
}

/** Drops timestamps older than `keepMs` (in place); they can no longer affect any window. */
function pruneOlderThan(
	/** @type {number[]} */ timestamps,
	/** @type {number} */ now,
	/** @type {number} */ keepMs,
) {
	let drop = 0;
	while (drop < timestamps.length && timestamps[drop] <= now - keepMs) drop += 1;
	if (drop) timestamps.splice(0, drop);
}

module.exports = {
	isPlainObject,
	isGiven,
	firstMissingKey,
	splitList,
	utf8Length,
	truncateUtf8,
	stableStringify,
	contentFingerprint,
	readBoolean,
	countInWindow,
	pruneOlderThan,
};
