import { CallbackConfigError } from './errors';

/**
 * Remembers event ids so a redelivered event starts no second execution. Both platforms deliver
 * at least once:
 *
 * - WeCom retries a callback 3 times when it gets no answer within 5 s, and asks receivers to
 *   deduplicate by MsgId, or by FromUserName + CreateTime for events
 *   (https://developer.work.weixin.qq.com/document/path/90930).
 * - DingTalk re-pushes events that were not acknowledged and may duplicate even acknowledged ones;
 *   dedupe on eventId / messageId (https://github.com/open-dingtalk/developerpedia/blob/main/docs/learn/stream/protocol.md).
 *   Its Python Stream SDK keeps answers per messageId for 5 minutes.
 *
 * Bounded both ways: an id is forgotten after `ttlMs`, and when `maxEntries` ids are held the
 * oldest goes first. Ids are kept in the order first seen; a repeat does not extend its life, so
 * that order is also the order of expiry. Feed it ids from verified, decrypted callbacks only.
 */

/** One hour: well past WeCom's retries and DingTalk's redelivery, and past twice a 300 s replay window. */
export const DEFAULT_DEDUP_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_DEDUP_MAX_ENTRIES = 10_000;

export interface DeduplicatorOptions {
	/** How long an id is remembered (ms). */
	ttlMs?: number;
	/** Ids held at most; the oldest is dropped beyond that. */
	maxEntries?: number;
	/** Clock in milliseconds; injectable for tests. */
	now?: () => number;
}

/** One sighting; the map and the queue share the object, so identity tells a live one. */
interface Sighting {
	id: string;
	expiresAt: number;
}

export class EventDeduplicator {
	/** id → its current sighting. */
	private readonly sightings = new Map<string, Sighting>();

	/**
	 * Sightings oldest first, consumed from `head`. A separate queue, because taking the oldest key
	 * of a Map that keeps losing its first entries walks over every deleted slot (V8 compacts only
	 * when it rehashes): about 5 µs a call at 10,000 ids, where this is constant.
	 */
	private queue: Sighting[] = [];

	private head = 0;

	private readonly ttlMs: number;

	private readonly maxEntries: number;

	private readonly now: () => number;

	constructor(options: DeduplicatorOptions = {}) {
		this.ttlMs = options.ttlMs ?? DEFAULT_DEDUP_TTL_MS;
		this.maxEntries = options.maxEntries ?? DEFAULT_DEDUP_MAX_ENTRIES;
		if (!Number.isFinite(this.ttlMs) || this.ttlMs <= 0) {
			throw new CallbackConfigError('The de-duplication time-to-live must be positive');
		}
		if (!Number.isSafeInteger(this.maxEntries) || this.maxEntries <= 0) {
			throw new CallbackConfigError('The de-duplication size must be a positive whole number');
		}
		this.now = options.now ?? (() => Date.now());
	}

	/** Number of ids currently remembered (expired ones may count until the next call). */
	get size(): number {
		return this.sightings.size;
	}

	/**
	 * Whether `id` was already seen within its time-to-live. A first sighting is remembered and
	 * answers `false`; a repeat answers `true`.
	 */
	seen(id: string): boolean {
		const now = this.now();
		this.sweep(now);
		const known = this.sightings.get(id);
		if (known !== undefined) {
			if (now < known.expiresAt) return true;
			// Expired but not swept: the clock went backwards between sightings, so this id is not
			// in expiry order.
			this.sightings.delete(id);
		}
		const sighting: Sighting = { id, expiresAt: now + this.ttlMs };
		this.sightings.set(id, sighting);
		this.queue.push(sighting);
		while (this.sightings.size > this.maxEntries) this.dropOldest();
		this.compact();
		return false;
	}

	/**
	 * Forgets `id`, so its next delivery counts as new: for an event that was marked but then not
	 * handed to n8n, whose redelivery must get through.
	 */
	forget(id: string): void {
		this.sightings.delete(id);
	}

	private isLive(sighting: Sighting): boolean {
		return this.sightings.get(sighting.id) === sighting;
	}

	/** Drops expired sightings from the front, and forgotten or replaced ones on the way. */
	private sweep(now: number): void {
		while (this.head < this.queue.length) {
			const oldest = this.queue[this.head];
			const live = this.isLive(oldest);
			if (live && now < oldest.expiresAt) return;
			if (live) this.sightings.delete(oldest.id);
			this.head++;
		}
	}

	private dropOldest(): void {
		while (this.head < this.queue.length) {
			const oldest = this.queue[this.head++];
			if (this.isLive(oldest)) {
				this.sightings.delete(oldest.id);
				return;
			}
		}
	}

	/** Keeps the queue near the number of live ids: consumed slots and forgotten ids go. */
	private compact(): void {
		const pending = this.queue.length - this.head;
		if (pending > 2 * this.sightings.size + 1024) {
			this.queue = this.queue.slice(this.head).filter((sighting) => this.isLive(sighting));
			this.head = 0;
		} else if (this.head > 1024 && this.head * 2 > this.queue.length) {
			this.queue = this.queue.slice(this.head);
			this.head = 0;
		}
	}
}
