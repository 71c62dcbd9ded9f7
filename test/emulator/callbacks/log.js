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
 * @typedef {'verify-url'|'deliver'|'redeliver'|'retry'|'check-url'} CallbackKind
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
 * @property {number} attempt          1 for a first send (and for each redeliver()); 2, 3… for the platform's automatic retries
 * @property {string | number | null} engineEvent  the approval-engine event sent (deliverApprovalEvents): DingTalk eventId, WeCom event id
 * @property {{ status: number, headers: Record<string, unknown>, body: string } | null} response  null while in flight or when nothing came back
 * @property {number | null} elapsedMs
 * @property {boolean} timedOut
 * @property {boolean} late            an answer came, but after the deadline (not received, for the platform)
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
		/** @param {Pick<CallbackLogEntry, 'time'|'platform'|'kind'|'request'|'query'|'plaintext'|'deadlineMs'> & { forge?: string | null, redeliveryOf?: number | null, attempt?: number, engineEvent?: string | number | null }} fields */
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
				attempt: fields.attempt ?? 1,
				engineEvent: fields.engineEvent ?? null,
				response: null,
				elapsedMs: null,
				timedOut: false,
				late: false,
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
			entry.late = !answer.timedOut && !answer.error && answer.elapsedMs > entry.deadlineMs;
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
				!['verify-url', 'deliver', 'redeliver', 'retry', 'check-url'].includes(kind)
			) {
				throw new EmulatorInputError(
					`kind must be verify-url, deliver, redeliver, retry or check-url, got ${kind}`,
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

/**
 * The forgery log (`emu.callbacks.forgeryLog()`, `GET /__emulator/callbacks/forgeries`): one
 * compact record per forged request, kept apart from the callback log so a run of thousands
 * neither evicts the real deliveries nor holds megabytes of bodies. Bodies are kept as their size
 * and SHA-1 with a short excerpt; the oldest records go past `limit`.
 *
 * @typedef {object} ForgeryRecord
 * @property {number} id               1, 2, 3… across runs (restarts on reset)
 * @property {number} run              the forgeries() call it belongs to
 * @property {number} index            its place in the run (0-based, the order generated)
 * @property {CallbackPlatform} platform
 * @property {string} mutation         the mutation kind, e.g. 'ciphertext-bitflip'
 * @property {string} detail           what exactly was changed
 * @property {string} method
 * @property {string} url              at most 300 characters (huge query values are cut)
 * @property {string} contentType
 * @property {number} bodyBytes
 * @property {string} bodySha1
 * @property {string} bodyExcerpt      the first 120 characters
 * @property {number} status           0 when nothing came back
 * @property {number | null} elapsedMs
 * @property {boolean} timedOut
 * @property {string} [error]
 * @property {string} answerExcerpt    the first 120 characters of the answer
 * @property {boolean} accepted        answered 2xx (a correct receiver never does)
 * @property {boolean} refused         answered 4xx (what a correct receiver does)
 *
 * @typedef {{ run?: number, platform?: CallbackPlatform, mutation?: string, accepted?: boolean, since?: number }} ForgeryFilter
 */

/** @param {{ limit?: number }} [options] */
function createForgeryLog({ limit = 5000 } = {}) {
	/** @type {ForgeryRecord[]} */
	let records = [];
	let lastId = 0;
	let lastRun = 0;
	return {
		nextRun: () => (lastRun += 1),
		/** @param {Omit<ForgeryRecord, 'id'>} record */
		add(record) {
			lastId += 1;
			const stored = { id: lastId, ...record };
			records.push(stored);
			if (records.length > limit) records.splice(0, records.length - limit);
			return stored;
		},
		/** @param {ForgeryFilter} [filter] */
		list(filter = {}) {
			const run = filter.run === undefined ? undefined : Number(filter.run);
			const since = Number(filter.since ?? 0);
			return records.filter(
				(record) =>
					record.id > since &&
					(run === undefined || record.run === run) &&
					(!filter.platform || record.platform === filter.platform) &&
					(!filter.mutation || record.mutation === filter.mutation) &&
					(filter.accepted === undefined || record.accepted === filter.accepted),
			);
		},
		clear() {
			records = [];
		},
		reset() {
			records = [];
			lastId = 0;
			lastRun = 0;
		},
	};
}

/** @typedef {ReturnType<typeof createForgeryLog>} ForgeryLog */

module.exports = { createCallbackLog, createForgeryLog };
