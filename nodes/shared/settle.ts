/**
 * A promise's outcome as a value, so callers can decide what to throw after looking at it (and
 * wrap foreign errors instead of re-throwing them from a catch block).
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value): Settled<T> => ({ ok: true, value }),
		(error: unknown): Settled<T> => ({ ok: false, error }),
	);
}
