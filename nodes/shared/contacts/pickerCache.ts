import { createHash } from 'crypto';

/**
 * A short-lived cache for what pickers load (a department tree, a member list), per app, so a
 * user typing a search does not reload a large org on every keystroke. Entries expire after
 * `ttlMs`; a failed load is not kept. `Date.now` is the clock unless a test passes another.
 */
const caches = new Set<{ clear(): void }>();

/**
 * The cache key of one credential: a hash over everything that decides what the platform answers
 * (app, secret, base URLs), so another credential with the same app ID but a wrong secret never
 * reads this one's cache, and no secret sits in a key in clear.
 */
export function credentialKey(parts: unknown[]): string {
	return createHash('sha256')
		.update(JSON.stringify(parts.map((part) => String(part ?? ''))))
		.digest('hex');
}

/** Empties every picker cache of the process (tests start each case from nothing). */
export function clearPickerCaches(): void {
	for (const cache of caches) cache.clear();
}

export class PickerCache<T> {
	private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

	constructor(
		private readonly ttlMs: number,
		private readonly now: () => number = () => Date.now(),
		private readonly maxEntries = 50,
	) {
		caches.add(this);
	}

	async get(key: string, load: () => Promise<T>): Promise<T> {
		const hit = this.entries.get(key);
		if (hit && this.now() - hit.at < this.ttlMs) return await hit.value;
		const value = load();
		this.entries.set(key, { at: this.now(), value });
		if (this.entries.size > this.maxEntries) {
			this.entries.delete(this.entries.keys().next().value as string);
		}
		value.catch(() => {
			if (this.entries.get(key)?.value === value) this.entries.delete(key);
		});
		return await value;
	}

	/** Whether a fresh entry exists (loaded or loading) for the key. */
	has(key: string): boolean {
		const hit = this.entries.get(key);
		return hit !== undefined && this.now() - hit.at < this.ttlMs;
	}

	clear(): void {
		this.entries.clear();
	}
}
