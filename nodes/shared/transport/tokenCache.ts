import type { FetchedToken } from '../platform/types';

/**
 * In-process access-token cache shared by every execution in this n8n process.
 *
 * - Keyed by credential identity (platform + token endpoint + app id + secret hash), so two apps never
 *   share a token, and editing a credential's secret starts a fresh entry.
 * - Single-flight: concurrent callers for one key wait on the same fetch, so 100 items (or 100
 *   parallel executions) cause exactly one token request.
 * - Proactive: a token is refreshed once it enters its refresh window (before `expires_in` runs out);
 *   if that early refresh fails while the old token is still valid, the old token keeps working.
 * - `invalidate(key, token)` drops a token the platform rejected, but only if it is still the cached
 *   one, so many items failing with the same stale token trigger one refresh, not many.
 */

interface CacheEntry {
	token: string;
	fetchedAt: number;
	expiresAt: number;
	refreshAt: number;
}

export interface TokenCacheOptions {
	/** Clock in milliseconds; injectable for tests. */
	now?: () => number;
	/** Refresh this long before expiry at most (ms). */
	maxRefreshMarginMs?: number;
	/** ...and never more than this fraction of the token's lifetime. */
	refreshMarginRatio?: number;
	/** Entries kept at most; expired entries are swept first when the cache is full. */
	maxEntries?: number;
}

export class TokenCache {
	private readonly entries = new Map<string, CacheEntry>();

	private readonly inFlight = new Map<string, Promise<string>>();

	private readonly now: () => number;

	private readonly maxRefreshMarginMs: number;

	private readonly refreshMarginRatio: number;

	private readonly maxEntries: number;

	/** Number of token fetches started, for diagnostics and tests. */
	fetchCount = 0;

	constructor(options: TokenCacheOptions = {}) {
		this.now = options.now ?? (() => Date.now());
		this.maxRefreshMarginMs = options.maxRefreshMarginMs ?? 5 * 60 * 1000;
		this.refreshMarginRatio = options.refreshMarginRatio ?? 0.1;
		this.maxEntries = options.maxEntries ?? 500;
	}

	/** Returns a usable token for `key`, fetching it (once, however many callers) when needed. */
	async get(key: string, fetchToken: () => Promise<FetchedToken>): Promise<string> {
		const entry = this.entries.get(key);
		const now = this.now();
		if (entry && now < entry.refreshAt) return entry.token;

		const stillValid = entry !== undefined && now < entry.expiresAt;
		const outcome = await this.refresh(key, fetchToken).then(
			(token) => ({ token }),
			(error: unknown) => ({ error }),
		);
		if ('token' in outcome) return outcome.token;
		// An early refresh that fails must not break calls the old token can still serve.
		const current = this.entries.get(key);
		if (stillValid && current && this.now() < current.expiresAt) return current.token;
		throw outcome.error;
	}

	/** Forgets `token` for `key` if it is still the cached one (the platform rejected it). */
	invalidate(key: string, token: string): void {
		const entry = this.entries.get(key);
		if (entry && entry.token === token) this.entries.delete(key);
	}

	/** Forgets everything; used by tests and when the process wants a clean slate. */
	clear(): void {
		this.entries.clear();
		this.inFlight.clear();
		this.fetchCount = 0;
	}

	/** Whether a token for `key` is cached and not expired (diagnostics and tests). */
	has(key: string): boolean {
		const entry = this.entries.get(key);
		return entry !== undefined && this.now() < entry.expiresAt;
	}

	private refresh(key: string, fetchToken: () => Promise<FetchedToken>): Promise<string> {
		const pending = this.inFlight.get(key);
		if (pending) return pending;

		this.fetchCount++;
		const promise = (async () => {
			try {
				const fetched = await fetchToken();
				this.store(key, fetched);
				return fetched.token;
			} finally {
				this.inFlight.delete(key);
			}
		})();
		this.inFlight.set(key, promise);
		return promise;
	}

	private store(key: string, fetched: FetchedToken): void {
		const fetchedAt = this.now();
		const lifetimeMs = Math.max(0, fetched.expiresInSeconds) * 1000;
		const margin = Math.min(this.maxRefreshMarginMs, lifetimeMs * this.refreshMarginRatio);
		if (!this.entries.has(key) && this.entries.size >= this.maxEntries) this.evict(fetchedAt);
		this.entries.set(key, {
			token: fetched.token,
			fetchedAt,
			expiresAt: fetchedAt + lifetimeMs,
			refreshAt: fetchedAt + lifetimeMs - margin,
		});
	}

	private evict(now: number): void {
		for (const [key, entry] of this.entries) {
			if (entry.expiresAt <= now) this.entries.delete(key);
		}
		if (this.entries.size < this.maxEntries) return;
		// Still full: drop the oldest entry (Map keeps insertion order).
		const oldest = this.entries.keys().next();
		if (!oldest.done) this.entries.delete(oldest.value);
	}
}
