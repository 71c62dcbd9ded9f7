/**
 * Capped exponential back-off with jitter for reconnecting long-lived connections: the n-th
 * consecutive failure waits about base·2ⁿ, at most `capMs`, and a random half of it is shaved off
 * so that many triggers cut off together do not reconnect together.
 */
export interface BackoffOptions {
	baseMs?: number;
	capMs?: number;
	/** A number in [0, 1); injectable for tests. */
	random?: () => number;
}

export function backoffDelayMs(failures: number, options: BackoffOptions = {}): number {
	const baseMs = options.baseMs ?? 1000;
	const capMs = options.capMs ?? 60_000;
	const random = options.random ?? Math.random;
	const exponent = Math.min(Math.max(failures - 1, 0), 30);
	const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
	return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
