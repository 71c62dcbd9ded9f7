// @ts-check
'use strict';

const { EmulatorInputError } = require('../inputError');

/**
 * Every callback the emulator made as the calling platform, with the receiver's answer, in the
 * order they were started (`emu.callbacks.log()`, `GET /__emulator/callbacks`). An entry is added
 * when the request goes out and completed when the answer is in (or the wait ended), so calls in
 * flight show `response: null, ok: null`. Oldest entries are dropped past `limit`.
 *
 * @typedef {'wecom'|'dingtalk'} CallbackPlatform
 * @typedef {'verify-url'|'deliver'|'redeliver'|'check-url'} CallbackKind
 *
 * @typedef {object} CallbackLogEntry
 * @property {number} id               1, 2, 3… (restarts on reset); what redeliver(id) takes
 * @property {number} time             emulator clock when sent, ms
 * @property {CallbackPlatform} platform
 * @property {CallbackKind} kind
 * @property {{ method: string, url: string, headers: Record<string, string>, body: string }} request  exactly what was sent
 * @property {Record<string, string>} query  the query parameters as sent, decoded
 * @property {string} plaintext        the message inside the ciphertext (echostr plaintext, XML, JSON)
 * @property {string | null} forge     'signature' | 'receiveId' | 'ownerKey' | 'stale', or null
 * @property {number | null} redeliveryOf  id of the delivery this one repeats (always the first send)
 * @property {{ status: number, headers: Record<string, unknown>, body: string } | null} response  null while in flight or when nothing came back
 * @property {number | null} elapsedMs
 * @property {boolean} timedOut
 * @property {string} [error]          connection error
 * @property {number} deadlineMs       how long the platform waits for the answer
 * @property {boolean | null} accepted did the answer count as "received" for the platform (null while in flight)
 * @property {boolean | null} ok       did the receiver behave correctly: accepted a genuine delivery in time, or
 *                                     refused a forged one (null while in flight)
 * @property {string} [reason]         why not ok
 * @property {string} [reply]          the decrypted plaintext of an encrypted reply
 *
 * @typedef {{ platform?: CallbackPlatform, kind?: CallbackKind, since?: number }} CallbackLogFilter
 */

/** @param {{ limit?: number }} [options] */
function createCallbackLog({ limit = 1000 } = {}) {
	/** @type {CallbackLogEntry[]} */
	let entries = [];
	let lastId = 0;

	return {
		/** @param {Pick<CallbackLogEntry, 'time'|'platform'|'kind'|'request'|'query'|'plaintext'|'deadlineMs'> & { forge?: string | null, redeliveryOf?: number | null }} fields */
		start(fields) {
			lastId += 1;
			/** @type {CallbackLogEntry} */
			const entry = {
				id: lastId,
				time: fields.time,
				platform: fields.platform,
				kind: fields.kind,
				request: fields.request,
				query: fields.query,
				plaintext: fields.plaintext,
				forge: fields.forge ?? null,
				redeliveryOf: fields.redeliveryOf ?? null,
				response: null,
				elapsedMs: null,
				timedOut: false,
				deadlineMs: fields.deadlineMs,
				accepted: null,
				ok: null,
			};
			entries.push(entry);
			if (entries.length > limit) entries.splice(0, entries.length - limit);
			return entry;
		},
		/**
		 * @param {CallbackLogEntry} entry
		 * @param {import('./http').ReceiverAnswer} answer
		 * @param {{ ok: boolean, accepted: boolean, reason?: string, reply?: string }} verdict
		 */
		finish(entry, answer, verdict) {
			entry.response = answer.status
				? { status: answer.status, headers: answer.headers, body: answer.body }
				: null;
			entry.elapsedMs = answer.elapsedMs;
			entry.timedOut = answer.timedOut;
			if (answer.error) entry.error = answer.error;
			entry.accepted = verdict.accepted;
			entry.ok = verdict.ok;
			if (verdict.reason) entry.reason = verdict.reason;
			if (verdict.reply !== undefined) entry.reply = verdict.reply;
		},
		/** @param {number} id */
		get(id) {
			const entry = entries.find((candidate) => candidate.id === Number(id));
			if (!entry)
				throw new EmulatorInputError(
					`no callback ${id} in the callback log (cleared or reset?)`,
					404,
				);
			return entry;
		},
		/** @param {CallbackLogFilter} [filter] */
		list(filter = {}) {
			const { platform, kind } = filter;
			if (platform !== undefined && !['wecom', 'dingtalk'].includes(platform))
				throw new EmulatorInputError(`platform must be wecom or dingtalk, got ${platform}`);
			if (
				kind !== undefined &&
				!['verify-url', 'deliver', 'redeliver', 'check-url'].includes(kind)
			) {
				throw new EmulatorInputError(
					`kind must be verify-url, deliver, redeliver or check-url, got ${kind}`,
				);
			}
			const since = Number(filter.since ?? 0);
			return entries.filter(
				(entry) =>
					entry.id > since &&
					(!platform || entry.platform === platform) &&
					(!kind || entry.kind === kind),
			);
		},
		clear() {
			entries = [];
		},
		reset() {
			entries = [];
			lastId = 0;
		},
	};
}

/** @typedef {ReturnType<typeof createCallbackLog>} CallbackLog */

module.exports = { createCallbackLog };
