// @ts-check
'use strict';

const { EmulatorInputError } = require('./inputError');
const { requestMatcher, describeSelector } = require('./match');

/**
 * Injected faults. A fault selects requests (see match.js), is consumed by the first `times`
 * matching requests (default 1; Infinity allowed, "Infinity" over HTTP), and faults are tried in
 * insertion order: at most one fault applies to a request.
 *
 * Kinds (extra fields in brackets):
 * - `status`       answer HTTP `status` [body?: object|string, headers?]; default body is a small
 *                  HTML error page, as a gateway in front of the platform would send.
 * - `delay`        wait `ms` (real time), then answer normally (tests client timeouts).
 * - `invalidToken` answer the family's token error although the token is fine
 *                  [reason?: 'invalid' (default) | 'expired' | 'missing'].
 * - `rateLimit`    answer the family's documented rate-limit error [window?: 'second' (default) | 'minute'].
 * - `errcode`      answer a given error: old API/WeCom `{errcode, errmsg?, sub_code?, sub_msg?}`,
 *                  DingTalk v1.0 `{httpStatus?: 400, code, message?}`.
 * - `reset`        destroy the socket without answering.
 *
 * @typedef {'status'|'delay'|'invalidToken'|'rateLimit'|'errcode'|'reset'} FaultKind
 *
 * @typedef {import('./match').RequestSelector & {
 *   kind: FaultKind,
 *   times?: number | string,
 *   status?: number, body?: unknown, headers?: Record<string, string>,
 *   ms?: number,
 *   reason?: 'invalid' | 'expired' | 'missing',
 *   window?: 'second' | 'minute',
 *   errcode?: number, errmsg?: string, sub_code?: string, sub_msg?: string,
 *   httpStatus?: number, code?: string, message?: string,
 * }} FaultSpec
 *
 * @typedef {FaultSpec & { id: string, remaining: number, matches: (request: import('./match').RequestKey) => boolean }} Fault
 */

const KINDS = ['status', 'delay', 'invalidToken', 'rateLimit', 'errcode', 'reset'];

function readTimes(/** @type {unknown} */ times) {
	if (times === undefined) return 1;
	if (times === Infinity || times === 'Infinity') return Infinity;
	const count = Number(times);
	if (!Number.isInteger(count) || count < 1)
		throw new EmulatorInputError(
			`times must be a positive integer or Infinity, got ${String(times)}`,
		);
	return count;
}

/** Rejects specs that could not be applied, so mistakes show up when the fault is added. */
function checkKindFields(/** @type {FaultSpec} */ spec) {
	if (!KINDS.includes(spec.kind))
		throw new EmulatorInputError(
			`fault kind must be one of ${KINDS.join(', ')}, got ${String(spec.kind)}`,
		);
	if (
		spec.kind === 'status' &&
		!(Number.isInteger(spec.status) && Number(spec.status) >= 100 && Number(spec.status) <= 599)
	) {
		throw new EmulatorInputError(
			`a status fault needs an HTTP status 100..599, got ${String(spec.status)}`,
		);
	}
	if (spec.kind === 'delay' && !(Number.isFinite(spec.ms) && Number(spec.ms) >= 0)) {
		throw new EmulatorInputError(`a delay fault needs ms >= 0, got ${String(spec.ms)}`);
	}
	if (spec.kind === 'errcode' && spec.errcode === undefined && spec.code === undefined) {
		throw new EmulatorInputError(
			'an errcode fault needs errcode (old API, WeCom) or code (DingTalk v1.0)',
		);
	}
	if (spec.reason !== undefined && !['invalid', 'expired', 'missing'].includes(spec.reason)) {
		throw new EmulatorInputError(`reason must be invalid, expired or missing, got ${spec.reason}`);
	}
	if (spec.window !== undefined && !['second', 'minute'].includes(spec.window)) {
		throw new EmulatorInputError(`window must be second or minute, got ${spec.window}`);
	}
}

function createFaultList() {
	/** @type {Fault[]} */
	let faults = [];
	let added = 0;

	const describe = (/** @type {Fault} */ fault) => {
		const { matches, ...rest } = fault;
		const json = (/** @type {unknown} */ count) => (count === Infinity ? 'Infinity' : count);
		return describeSelector({
			...rest,
			times: json(readTimes(fault.times)),
			remaining: json(fault.remaining),
		});
	};

	return {
		/** @param {FaultSpec} spec @returns {object} the stored fault, with its id */
		add(spec) {
			if (!spec || typeof spec !== 'object')
				throw new EmulatorInputError('a fault spec must be an object');
			checkKindFields(spec);
			added += 1;
			const remaining = readTimes(spec.times);
			const fault = { ...spec, id: `fault-${added}`, remaining, matches: requestMatcher(spec) };
			faults.push(fault);
			return describe(fault);
		},
		clear() {
			faults = [];
		},
		list: () => faults.map(describe),
		/**
		 * The first fault that matches, counted down (and dropped when used up).
		 * @param {import('./match').RequestKey} request
		 * @returns {Fault | undefined}
		 */
		take(request) {
			const fault = faults.find((item) => item.matches(request));
			if (!fault) return undefined;
			fault.remaining -= 1;
			if (fault.remaining <= 0) faults = faults.filter((item) => item !== fault);
			return fault;
		},
	};
}

/** @typedef {ReturnType<typeof createFaultList>} FaultList */

module.exports = { createFaultList };
