// @ts-check
'use strict';

const { EmulatorInputError } = require('./inputError');

/**
 * The emulator's notion of "now". It follows real time by default; tests move it forward to cross
 * token expiry, 24-hour windows and quota windows without waiting, or freeze it for runs that must
 * not depend on the wall clock. Only emulated platform time uses it: the `delay` fault and socket
 * timeouts use real time.
 *
 * @typedef {object} Clock
 * @property {() => number} now              milliseconds since the epoch, emulated
 * @property {(ms: number) => number} advance move emulated time forward; returns the new now()
 * @property {(at?: number) => number} freeze stop the clock (at `at`, default the current now())
 * @property {() => void} useRealTime         back to the wall clock, no offset, not frozen
 * @property {() => { now: number, frozen: boolean, offsetMs: number }} describe
 */

/** @returns {Clock} */
function createClock() {
	let offsetMs = 0;
	/** @type {number | null} */
	let frozenAt = null;

	const now = () => (frozenAt === null ? Date.now() + offsetMs : frozenAt);

	return {
		now,
		advance(ms) {
			if (!Number.isFinite(ms) || ms < 0)
				throw new EmulatorInputError(`clock.advance needs a non-negative number of ms, got ${ms}`);
			if (frozenAt === null) offsetMs += ms;
			else frozenAt += ms;
			return now();
		},
		freeze(at) {
			if (at !== undefined && !Number.isFinite(at))
				throw new EmulatorInputError(`clock.freeze needs a time in ms, got ${at}`);
			frozenAt = at ?? now();
			return frozenAt;
		},
		useRealTime() {
			offsetMs = 0;
			frozenAt = null;
		},
		describe: () => ({
			now: now(),
			frozen: frozenAt !== null,
			offsetMs: frozenAt === null ? offsetMs : frozenAt - Date.now(),
		}),
	};
}

module.exports = { createClock };
