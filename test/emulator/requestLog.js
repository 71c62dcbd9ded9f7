// @ts-check
'use strict';

const { requestMatcher } = require('./match');

/**
 * Every platform request, in arrival order (control-API calls are not recorded). An entry is
 * added when the request arrives and completed when the answer is sent, so in-flight requests
 * show `status: null`. The oldest entries are dropped past `limit` (benchmarks).
 *
 * @typedef {object} RecordedRequest
 * @property {number} seq            1, 2, 3… (restarts on reset, not on clear)
 * @property {number} time           emulator clock at arrival, ms
 * @property {'dingtalk'|'wecom'} platform
 * @property {'oapi'|'api'|'qyapi'} family
 * @property {string} method
 * @property {string} path           platform path, without the emulator prefix
 * @property {Record<string, string>} query
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {unknown} body          parsed body (multipart files as {filename, contentType, size})
 * @property {number | null} status  null while in flight, 0 when a `reset` fault dropped it
 * @property {unknown} response      parsed JSON answer (or its text)
 * @property {string} [fault]        kind of the fault that applied, if any
 *
 * @typedef {import('./match').RequestSelector & { since?: number }} RequestFilter
 */

/** @param {{ limit: number, onComplete?: (entry: RecordedRequest) => void }} options */
function createRequestLog({ limit, onComplete }) {
	/** @type {RecordedRequest[]} */
	let entries = [];
	let seq = 0;

	return {
		/** @param {Omit<RecordedRequest, 'seq' | 'status' | 'response'>} fields */
		start(fields) {
			seq += 1;
			/** @type {RecordedRequest} */
			const entry = { seq, ...fields, status: null, response: undefined };
			entries.push(entry);
			if (entries.length > limit) entries.splice(0, entries.length - limit);
			return entry;
		},
		/** @param {RecordedRequest} entry @param {number} status @param {unknown} response @param {string} [fault] */
		finish(entry, status, response, fault) {
			entry.status = status;
			entry.response = response;
			if (fault) entry.fault = fault;
			onComplete?.(entry);
		},
		/** @param {RequestFilter} [filter] */
		list(filter = {}) {
			const matches = requestMatcher(filter);
			const since = Number(filter.since ?? 0);
			return entries.filter((entry) => entry.seq > since && matches(entry));
		},
		clear() {
			entries = [];
		},
		reset() {
			entries = [];
			seq = 0;
		},
	};
}

/** @typedef {ReturnType<typeof createRequestLog>} RequestLog */

module.exports = { createRequestLog };
