/**
 * Limits and figures of one node run, looked up by its execution context: how many platform calls
 * may be in flight at once (items and the calls of a split send share them), how long one call may
 * wait for the quota, and what the throttle did (for the execution log and hints). The router sets
 * them up; the API client reads them, so operations need not pass them along.
 */
import { Semaphore } from '../concurrency';

export interface RunStats {
	calls: number;
	/** Calls that had to wait for a slot or a cool-down, and how long they waited together. */
	throttledCalls: number;
	waitedMs: number;
	longestWaitMs: number;
	/** Rate-limit answers from the platform that were waited out and retried. */
	rateLimitAnswers: number;
	/** Group robot posts: how many waited for the robot's per-minute limit, and its throttle answers. */
	robot: RobotStats;
}

export interface RobotStats {
	posts: number;
	waitedPosts: number;
	waitedMs: number;
	longestWaitMs: number;
	throttleAnswers: number;
}

export interface RunLimits {
	slots: Semaphore;
	maxWaitMs: number;
	stats: RunStats;
	/** Lanes (app + API) where a call of this run gave up waiting, with when they open again. */
	exhaustedLanes: Map<string, number>;
	/** Set when the run stops at its first failure: split sends start no further calls either. */
	stopped: boolean;
}

/** Used by contexts the router did not set up (pickers, credential tests, other nodes). */
export const DEFAULT_MAX_WAIT_MS = 60_000;

const runs = new WeakMap<object, RunLimits>();

export function startRun(ctx: object, concurrency: number, maxWaitMs: number): RunLimits {
	const limits: RunLimits = {
		slots: new Semaphore(concurrency),
		maxWaitMs,
		stats: {
			calls: 0,
			throttledCalls: 0,
			waitedMs: 0,
			longestWaitMs: 0,
			rateLimitAnswers: 0,
			robot: { posts: 0, waitedPosts: 0, waitedMs: 0, longestWaitMs: 0, throttleAnswers: 0 },
		},
		exhaustedLanes: new Map(),
		stopped: false,
	};
	runs.set(ctx, limits);
	return limits;
}

export function runLimitsOf(ctx: object): RunLimits | undefined {
	return runs.get(ctx);
}
