import { CallbackConfigError, CallbackRejected } from './errors';

/**
 * Refuses callbacks whose signed timestamp is too far from now, so a captured request cannot be
 * replayed later: the timestamp is covered by the signature, so it cannot be refreshed without the
 * token. Neither platform documents a window; WeCom's sample and DingTalk's crypto library check
 * none (DingCallbackCrypto.java only defines error 900002 "timestamp"), so ours is configurable.
 *
 * Units differ by sender: WeCom sends Unix seconds; DingTalk's Java sample sends milliseconds
 * (`System.currentTimeMillis()`) and its Python sample seconds
 * (https://github.com/open-dingtalk/dingtalk-callback-Crypto). A value below 10^11 is read as
 * seconds (10^11 s is the year 5138), anything else as milliseconds (10^11 ms is March 1973).
 *
 * The window applies both ways: a timestamp from the future beyond it is as suspect as an old one.
 */

export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

const SECONDS_BELOW = 1e11;
/** 16 digits already reach the year 2286 in milliseconds. */
const MAX_DIGITS = 16;

export interface ReplayGuardOptions {
	/** Greatest accepted distance from now, in seconds (default 300). */
	windowSeconds?: number;
	/** Clock in milliseconds; injectable for tests. */
	now?: () => number;
}

/**
 * A callback timestamp in milliseconds since the epoch, or undefined when it is not a plain
 * non-negative whole number (decimal digits only when a string, as both platforms send it).
 */
export function callbackTimestampMs(value: unknown): number | undefined {
	let number: number;
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value) || value < 0) return undefined;
		number = value;
	} else if (typeof value === 'string') {
		if (value.length === 0 || value.length > MAX_DIGITS) return undefined;
		for (let i = 0; i < value.length; i++) {
			const code = value.charCodeAt(i);
			if (code < 48 || code > 57) return undefined;
		}
		number = Number(value);
	} else {
		return undefined;
	}
	return number < SECONDS_BELOW ? number * 1000 : number;
}

export class ReplayGuard {
	readonly windowMs: number;

	private readonly now: () => number;

	constructor(options: ReplayGuardOptions = {}) {
		const seconds = options.windowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS;
		if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
			throw new CallbackConfigError('The replay window must be a positive number of seconds');
		}
		this.windowMs = seconds * 1000;
		this.now = options.now ?? (() => Date.now());
	}

	/** Whether `timestamp` is a readable timestamp inside the window. */
	isFresh(timestamp: unknown): boolean {
		const ms = callbackTimestampMs(timestamp);
		return ms !== undefined && Math.abs(this.now() - ms) <= this.windowMs;
	}

	/**
	 * The timestamp in milliseconds when it is inside the window; otherwise throws
	 * `CallbackRejected` ('format' for no timestamp, 'stale' for one outside the window).
	 */
	check(timestamp: unknown): number {
		const ms = callbackTimestampMs(timestamp);
		if (ms === undefined) {
			throw new CallbackRejected('format', 'The timestamp is missing or not a whole number');
		}
		if (Math.abs(this.now() - ms) > this.windowMs) {
			throw new CallbackRejected(
				'stale',
				`The timestamp is more than ${this.windowMs / 1000} seconds away from now`,
			);
		}
		return ms;
	}
}
