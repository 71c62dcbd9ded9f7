/**
 * Client-side pacing per app and API, so a workflow that sends hundreds of items in a row stays
 * under the platform's documented per-app per-API rate (DingTalk: 20 calls/s on standard-edition
 * orgs) instead of collecting rate-limit errors and backing off. Shared by every execution in the
 * process, because the platform counts calls per app, not per execution.
 */
export interface ThrottleOptions {
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

export class Throttle {
	private readonly nextSlot = new Map<string, number>();

	private readonly now: () => number;

	private readonly sleep: (ms: number) => Promise<void>;

	constructor(options: ThrottleOptions & { sleep: (ms: number) => Promise<void> }) {
		this.now = options.now ?? (() => Date.now());
		this.sleep = options.sleep;
	}

	/** Waits until `key` may make its next call at `perSecond` calls per second (0 = unlimited). */
	async acquire(key: string, perSecond: number): Promise<void> {
		if (!(perSecond > 0)) return;
		const interval = 1000 / perSecond;
		const now = this.now();
		const slot = Math.max(now, this.nextSlot.get(key) ?? now);
		this.nextSlot.set(key, slot + interval);
		if (this.nextSlot.size > 2000) this.sweep(now);
		if (slot > now) await this.sleep(slot - now);
	}

	private sweep(now: number): void {
		for (const [key, slot] of this.nextSlot) if (slot < now) this.nextSlot.delete(key);
	}
}
