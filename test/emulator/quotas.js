// @ts-check
'use strict';

const { EmulatorInputError } = require('./inputError');
const { requestMatcher, describeSelector } = require('./match');
const { countInWindow, pruneOlderThan } = require('./values');

/**
 * QPS/QPM quotas per app per API, counted with sliding windows on the emulator clock: a call is
 * refused when the calls accepted in the last 1000 ms (perSecond) or 60 000 ms (perMinute) for the
 * same app and the same path already reach the limit. Refused calls do not count.
 *
 * A quota applies to calls that carry a valid app token (token endpoints are not counted), also
 * to paths the emulator does not emulate yet (they are counted, then answered as unknown).
 * `app` is the DingTalk appKey or the WeCom corpId; without it, each app is counted separately
 * against the same limit. `set` replaces a quota with the same selector (its counts start afresh).
 *
 * @typedef {import('./match').RequestSelector & { platform: 'dingtalk'|'wecom', app?: string, perSecond?: number, perMinute?: number }} QuotaSpec
 * @typedef {{ window: 'second'|'minute', limit: number }} QuotaVerdict
 */

const SECOND = 1000;
const MINUTE = 60_000;

function readLimit(/** @type {unknown} */ value, /** @type {string} */ name) {
	if (value === undefined || value === null) return undefined;
	const limit = Number(value);
	if (!Number.isInteger(limit) || limit < 0)
		throw new EmulatorInputError(`${name} must be a non-negative integer, got ${String(value)}`);
	return limit;
}

/** @param {{ clock: import('./clock').Clock }} deps */
function createQuotaList({ clock }) {
	/** @type {Array<QuotaSpec & { id: string, matches: (request: import('./match').RequestKey) => boolean, calls: Map<string, number[]> }>} */
	let quotas = [];
	let added = 0;

	const selectorKey = (/** @type {QuotaSpec} */ spec) =>
		JSON.stringify(
			describeSelector({
				platform: spec.platform,
				family: spec.family,
				method: spec.method,
				path: spec.path,
				app: spec.app,
			}),
		);

	const describe = (/** @type {(typeof quotas)[number]} */ quota) => {
		const { matches, calls, ...rest } = quota;
		return describeSelector(rest);
	};

	return {
		/** @param {QuotaSpec} spec */
		set(spec) {
			if (!spec || typeof spec !== 'object')
				throw new EmulatorInputError('a quota spec must be an object');
			if (!spec.platform)
				throw new EmulatorInputError('a quota needs a platform (dingtalk or wecom)');
			const perSecond = readLimit(spec.perSecond, 'perSecond');
			const perMinute = readLimit(spec.perMinute, 'perMinute');
			if (perSecond === undefined && perMinute === undefined)
				throw new EmulatorInputError('a quota needs perSecond and/or perMinute');
			added += 1;
			const quota = {
				...spec,
				perSecond,
				perMinute,
				id: `quota-${added}`,
				matches: requestMatcher(spec),
				calls: new Map(),
			};
			const key = selectorKey(spec);
			quotas = quotas.filter((item) => selectorKey(item) !== key);
			quotas.push(quota);
			return describe(quota);
		},
		clear() {
			quotas = [];
		},
		list: () => quotas.map(describe),
		/**
		 * Counts the call against every matching quota, or refuses it.
		 * @param {import('./match').RequestKey & { appId: string }} request
		 * @returns {QuotaVerdict | undefined}
		 */
		admit(request) {
			const now = clock.now();
			const applicable = quotas.filter(
				(quota) =>
					(quota.app === undefined || quota.app === request.appId) && quota.matches(request),
			);
			const callKey = `${request.appId} ${request.method} ${request.path}`;
			for (const quota of applicable) {
				const calls = quota.calls.get(callKey) ?? [];
				pruneOlderThan(calls, now, MINUTE);
				if (quota.perSecond !== undefined && countInWindow(calls, now, SECOND) >= quota.perSecond)
					return { window: 'second', limit: quota.perSecond };
				if (quota.perMinute !== undefined && calls.length >= quota.perMinute)
					return { window: 'minute', limit: quota.perMinute };
			}
			for (const quota of applicable) {
				const calls = quota.calls.get(callKey) ?? [];
				calls.push(now);
				quota.calls.set(callKey, calls);
			}
			return undefined;
		},
	};
}

/** @typedef {ReturnType<typeof createQuotaList>} QuotaList */

module.exports = { createQuotaList };
