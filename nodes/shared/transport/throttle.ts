/**
 * Client-side pacing per app and API, shared by every execution in this n8n process (platforms
 * count calls per app and API, not per execution). It keeps calls under the quota instead of on it:
 * - pacing below the quota (PACING_MARGIN unless the platform profile says otherwise), because
 *   pacing exactly at it collides with the platform's one-second window (measured: 9 rate-limit
 *   answers per 200 calls);
 * - one cool-down per app and API after a rate-limit answer, which every caller of that lane waits
 *   out, instead of each call probing the platform on its own;
 * - additive increase / multiplicative decrease of the pace, so several n8n workers that share an
 *   app without sharing state settle below the quota together;
 * - a deadline per call: a call that would have to wait past it gets a QuotaWaitExceeded.
 */
export const PACING_MARGIN = 0.92;

/** The credential field that holds the quota, as the form and error messages name it. */
export const QUOTA_FIELD_LABEL = 'Quota per API (Calls per Second)';

export interface ThrottleOptions {
	now?: () => number;
	sleep: (ms: number) => Promise<void>;
	/** First cool-down after a rate-limit answer; doubles while answers keep coming. */
	coolDownMs?: number;
	maxCoolDownMs?: number;
}

/** Pace after a rate-limit answer, as a share of the pace before it. */
const DECREASE_FACTOR = 0.5;
/** Pace regained per successful call, as a share of the full pace. */
const INCREASE_SHARE = 0.02;
/** The pace never drops below this share of the full pace (nor below one call per 2 s). */
const MIN_SHARE = 0.05;
const MAX_LANES = 2000;

interface Lane {
	/** Calls per second allowed by the settings (already below the quota); 0 = not paced. */
	ceiling: number;
	/** Current pace, ≤ ceiling, lowered after rate-limit answers. */
	rate: number;
	nextSlot: number;
	coolUntil: number;
	/** When the current cool-down started: answers to calls sent before it belong to the same burst. */
	coolStartedAt: number;
	/** Rate-limit answers since the last success. */
	strikes: number;
	lastUsed: number;
}

/** A granted call: when it left, so its answer can be matched to the cool-down it belongs to. */
export interface Permit {
	key: string;
	sentAt: number;
	/** How long this call waited for its slot. */
	waitedMs: number;
}

/** The call would have to wait past its deadline: the quota is exhausted for now. */
export class QuotaWaitExceeded extends Error {
	constructor(
		/** When the next call of this lane may go out (epoch ms). */
		readonly retryAt: number,
		/** How long this wait for a slot had lasted. */
		readonly waitedMs: number,
		/** How much longer it would have had to wait. */
		readonly retryInMs: number,
		/** An earlier call of the same run already gave up on this lane; this one did not wait. */
		readonly earlierCall = false,
	) {
		super('quota wait exceeded');
	}
}

export class Throttle {
	private readonly lanes = new Map<string, Lane>();

	readonly now: () => number;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly coolDownMs: number;

	private readonly maxCoolDownMs: number;

	constructor(options: ThrottleOptions) {
		this.now = options.now ?? (() => Date.now());
		this.sleep = options.sleep;
		this.coolDownMs = options.coolDownMs ?? 1000;
		this.maxCoolDownMs = options.maxCoolDownMs ?? 30_000;
	}

	/**
	 * Waits until `key` may make its next call at `quotaPerSecond` (0 = no pacing, cool-downs still
	 * apply), or throws QuotaWaitExceeded when that would be after `deadline`.
	 */
	async acquire(
		key: string,
		quotaPerSecond: number,
		deadline: number,
		margin = PACING_MARGIN,
	): Promise<Permit> {
		const start = this.now();
		const lane = this.lane(key, quotaPerSecond * margin, start);
		for (;;) {
			const now = this.now();
			const paced = lane.rate > 0 ? Math.max(now, lane.nextSlot) : now;
			const at = Math.max(paced, lane.coolUntil);
			if (at > now && at > deadline) throw new QuotaWaitExceeded(at, now - start, at - now);
			if (lane.rate > 0) lane.nextSlot = at + 1000 / lane.rate;
			if (at <= now) return { key, sentAt: now, waitedMs: now - start };
			const coolUntil = lane.coolUntil;
			await this.sleep(at - now);
			// A cool-down that began while this call waited applies to it too: take a new slot.
			if (lane.coolUntil === coolUntil) {
				const sentAt = this.now();
				return { key, sentAt, waitedMs: sentAt - start };
			}
		}
	}

	/**
	 * The call was answered normally: regain some pace. Calls that left before the current
	 * cool-down started say nothing about the slower pace, so they change nothing.
	 */
	succeeded(permit: Permit): void {
		const lane = this.lanes.get(permit.key);
		if (!lane || permit.sentAt <= lane.coolStartedAt) return;
		lane.strikes = 0;
		if (lane.ceiling > 0) {
			lane.rate = Math.min(lane.ceiling, lane.rate + lane.ceiling * INCREASE_SHARE);
		}
	}

	/**
	 * The platform answered with its rate limit: start (or extend) the lane's shared cool-down and
	 * slow the pace down. Answers to calls that left before the current cool-down started belong to
	 * the burst that caused it and change nothing.
	 */
	rateLimited(permit: Permit): void {
		const lane = this.lanes.get(permit.key);
		if (!lane || permit.sentAt <= lane.coolStartedAt) return;
		const now = this.now();
		lane.strikes++;
		if (lane.ceiling > 0) {
			const floor = Math.max(lane.ceiling * MIN_SHARE, Math.min(0.5, lane.ceiling));
			lane.rate = Math.max(floor, lane.rate * DECREASE_FACTOR);
		}
		const coolDown = Math.min(this.maxCoolDownMs, this.coolDownMs * 2 ** (lane.strikes - 1));
		lane.coolStartedAt = now;
		lane.coolUntil = Math.max(lane.coolUntil, now + coolDown);
		lane.nextSlot = lane.coolUntil;
	}

	clear(): void {
		this.lanes.clear();
	}

	/** The lane's current pace in calls per second (0 = not paced); for logs and tests. */
	paceOf(key: string): number {
		return this.lanes.get(key)?.rate ?? 0;
	}

	private lane(key: string, pacePerSecond: number, now: number): Lane {
		const ceiling = pacePerSecond > 0 ? pacePerSecond : 0;
		let lane = this.lanes.get(key);
		if (!lane) {
			if (this.lanes.size >= MAX_LANES) this.sweep(now);
			lane = {
				ceiling,
				rate: ceiling,
				nextSlot: now,
				coolUntil: 0,
				coolStartedAt: -Infinity,
				strikes: 0,
				lastUsed: now,
			};
			this.lanes.set(key, lane);
		} else if (lane.ceiling !== ceiling) {
			// The credential's quota was edited: start from the new figure.
			lane.ceiling = ceiling;
			lane.rate = ceiling;
		}
		lane.lastUsed = now;
		return lane;
	}

	/** Forgets lanes idle for a minute, so a long-running n8n does not keep every API it ever called. */
	private sweep(now: number): void {
		for (const [key, lane] of this.lanes) {
			if (now - lane.lastUsed > 60_000 && lane.coolUntil < now) this.lanes.delete(key);
		}
	}
}
