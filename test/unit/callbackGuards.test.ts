import {
	DEFAULT_DEDUP_MAX_ENTRIES,
	DEFAULT_DEDUP_TTL_MS,
	EventDeduplicator,
} from '../../nodes/shared/callbacks/deduplicator';
import { CallbackConfigError, CallbackRejected } from '../../nodes/shared/callbacks/errors';
import {
	callbackTimestampMs,
	DEFAULT_REPLAY_WINDOW_SECONDS,
	ReplayGuard,
} from '../../nodes/shared/callbacks/replayGuard';
import { FakeClock } from './fakes';

function reasonOf(call: () => unknown): string {
	try {
		call();
	} catch (error) {
		expect(error).toBeInstanceOf(CallbackRejected);
		return (error as CallbackRejected).reason;
	}
	throw new Error('expected the call to throw');
}

describe('replay guard', () => {
	it('reads seconds as WeCom sends them and milliseconds as the DingTalk Java sample does', () => {
		expect(callbackTimestampMs('1476416373')).toBe(1_476_416_373_000);
		expect(callbackTimestampMs('1605695694141')).toBe(1_605_695_694_141);
		expect(callbackTimestampMs(1_700_000_000)).toBe(1_700_000_000_000);
		expect(callbackTimestampMs(1_700_000_000_123)).toBe(1_700_000_000_123);
	});

	it('reads nothing from values that are not plain whole numbers', () => {
		for (const value of [
			undefined,
			null,
			'',
			' 1700000000',
			'1700000000 ',
			'+1700000000',
			'-1700000000',
			'1.7e9',
			'1700000000.5',
			'0x65',
			'17000000000000000000',
			1.5,
			-1,
			Number.NaN,
			Number.POSITIVE_INFINITY,
			['1700000000'],
			{},
		]) {
			expect(callbackTimestampMs(value)).toBeUndefined();
		}
	});

	it('lets a timestamp of now through, in seconds or milliseconds, and returns it in milliseconds', () => {
		const clock = new FakeClock();
		const guard = new ReplayGuard({ now: clock.now });
		expect(guard.check(String(clock.time))).toBe(clock.time);
		expect(guard.check(String(clock.time / 1000))).toBe(clock.time);
		expect(guard.isFresh(clock.time)).toBe(true);
	});

	it('accepts up to 300 seconds either way by default and refuses one second more as stale', () => {
		const clock = new FakeClock();
		const guard = new ReplayGuard({ now: clock.now });
		const seconds = clock.time / 1000;
		expect(DEFAULT_REPLAY_WINDOW_SECONDS).toBe(300);
		expect(guard.isFresh(String(seconds - 300))).toBe(true);
		expect(guard.isFresh(String(seconds + 300))).toBe(true);
		expect(reasonOf(() => guard.check(String(seconds - 301)))).toBe('stale');
		expect(reasonOf(() => guard.check(String(seconds + 301)))).toBe('stale');
		expect(guard.isFresh(String(seconds - 301))).toBe(false);
	});

	it('lets time pass: a request fresh now is stale once the window has gone by', () => {
		const clock = new FakeClock();
		const guard = new ReplayGuard({ now: clock.now });
		const timestamp = String(clock.time);
		expect(guard.isFresh(timestamp)).toBe(true);
		clock.time += 300_000;
		expect(guard.isFresh(timestamp)).toBe(true);
		clock.time += 1;
		expect(reasonOf(() => guard.check(timestamp))).toBe('stale');
	});

	it('takes a configured window', () => {
		const clock = new FakeClock();
		const guard = new ReplayGuard({ windowSeconds: 5, now: clock.now });
		expect(guard.isFresh(clock.time - 5_000)).toBe(true);
		expect(guard.isFresh(clock.time - 5_001)).toBe(false);
		const wide = new ReplayGuard({ windowSeconds: 86_400, now: clock.now });
		expect(wide.isFresh(clock.time - 86_000_000)).toBe(true);
	});

	it("refuses a timestamp that is missing or no whole number as 'format'", () => {
		const guard = new ReplayGuard({ now: new FakeClock().now });
		expect(reasonOf(() => guard.check(undefined))).toBe('format');
		expect(reasonOf(() => guard.check('soon'))).toBe('format');
		expect(reasonOf(() => guard.check(['1', '2']))).toBe('format');
		expect(guard.isFresh('soon')).toBe(false);
	});

	it('refuses a timestamp of 1970 as stale, not as a format error', () => {
		const guard = new ReplayGuard({ now: new FakeClock().now });
		expect(reasonOf(() => guard.check('0'))).toBe('stale');
	});

	it('refuses a window that is not a positive number of seconds', () => {
		for (const windowSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
			expect(() => new ReplayGuard({ windowSeconds })).toThrow(CallbackConfigError);
		}
	});

	it('uses the real clock when none is given', () => {
		expect(new ReplayGuard().isFresh(Date.now())).toBe(true);
	});
});

describe('event de-duplicator', () => {
	it('reports the first sighting as new and every repeat as seen', () => {
		const dedup = new EventDeduplicator({ now: new FakeClock().now });
		expect(dedup.seen('event-1')).toBe(false);
		expect(dedup.seen('event-1')).toBe(true);
		expect(dedup.seen('event-1')).toBe(true);
		expect(dedup.seen('event-2')).toBe(false);
		expect(dedup.size).toBe(2);
	});

	it('keeps ids apart exactly (no trimming, no case folding)', () => {
		const dedup = new EventDeduplicator({ now: new FakeClock().now });
		expect(dedup.seen('abc')).toBe(false);
		expect(dedup.seen('ABC')).toBe(false);
		expect(dedup.seen(' abc')).toBe(false);
		expect(dedup.seen('')).toBe(false);
		expect(dedup.seen('')).toBe(true);
	});

	it('forgets an id after its time-to-live, counted from the first sighting', () => {
		const clock = new FakeClock();
		const dedup = new EventDeduplicator({ ttlMs: 60_000, now: clock.now });
		expect(dedup.seen('e')).toBe(false);
		clock.time += 59_999;
		// A repeat does not extend the id's life...
		expect(dedup.seen('e')).toBe(true);
		clock.time += 1;
		// ...so it is new again one minute after it was first seen.
		expect(dedup.seen('e')).toBe(false);
		expect(dedup.seen('e')).toBe(true);
	});

	it('remembers for an hour by default, longer than any platform retry or a 300 s replay window', () => {
		const clock = new FakeClock();
		const dedup = new EventDeduplicator({ now: clock.now });
		expect(DEFAULT_DEDUP_TTL_MS).toBe(3_600_000);
		expect(DEFAULT_DEDUP_TTL_MS).toBeGreaterThan(2 * DEFAULT_REPLAY_WINDOW_SECONDS * 1000);
		dedup.seen('e');
		clock.time += DEFAULT_DEDUP_TTL_MS - 1;
		expect(dedup.seen('e')).toBe(true);
		clock.time += 1;
		expect(dedup.seen('e')).toBe(false);
	});

	it('sweeps expired ids, so the size falls back as time passes', () => {
		const clock = new FakeClock();
		const dedup = new EventDeduplicator({ ttlMs: 1_000, now: clock.now });
		for (let n = 0; n < 100; n++) dedup.seen(`e${n}`);
		expect(dedup.size).toBe(100);
		clock.time += 1_000;
		dedup.seen('later');
		expect(dedup.size).toBe(1);
	});

	it('drops the oldest id when full', () => {
		const dedup = new EventDeduplicator({ maxEntries: 3, now: new FakeClock().now });
		for (const id of ['a', 'b', 'c']) dedup.seen(id);
		expect(dedup.seen('d')).toBe(false);
		expect(dedup.size).toBe(3);
		// 'a' went first; b, c and d are still known.
		expect(dedup.seen('b')).toBe(true);
		expect(dedup.seen('c')).toBe(true);
		expect(dedup.seen('d')).toBe(true);
		expect(dedup.seen('a')).toBe(false);
		expect(dedup.size).toBe(3);
	});

	it('holds 10,000 ids by default and stays bounded under a flood', () => {
		const dedup = new EventDeduplicator({ now: new FakeClock().now });
		expect(DEFAULT_DEDUP_MAX_ENTRIES).toBe(10_000);
		const started = Date.now();
		for (let n = 0; n < 100_000; n++) dedup.seen(`flood-${n}`);
		expect(dedup.size).toBe(10_000);
		expect(dedup.seen('flood-99999')).toBe(true);
		expect(dedup.seen('flood-0')).toBe(false);
		expect(Date.now() - started).toBeLessThan(1_000);
	});

	it('lets a forgotten id through again (an event marked but not handed to n8n)', () => {
		const dedup = new EventDeduplicator({ now: new FakeClock().now });
		dedup.seen('e');
		dedup.forget('e');
		expect(dedup.seen('e')).toBe(false);
		expect(dedup.seen('e')).toBe(true);
		expect(() => dedup.forget('never-seen')).not.toThrow();
	});

	it('skips forgotten ids when it drops the oldest', () => {
		const dedup = new EventDeduplicator({ maxEntries: 2, now: new FakeClock().now });
		dedup.seen('a');
		dedup.seen('b');
		dedup.forget('a');
		expect(dedup.seen('c')).toBe(false);
		// Room for c without dropping b.
		expect(dedup.seen('b')).toBe(true);
		// d makes three: b, the oldest still known, goes.
		expect(dedup.seen('d')).toBe(false);
		expect(dedup.seen('c')).toBe(true);
		expect(dedup.seen('d')).toBe(true);
		expect(dedup.seen('b')).toBe(false);
	});

	it('stays fast when ids are forgotten over and over', () => {
		const dedup = new EventDeduplicator({ now: new FakeClock().now });
		const started = Date.now();
		let repeats = 0;
		for (let n = 0; n < 100_000; n++) {
			if (dedup.seen('retried')) repeats++;
			dedup.forget('retried');
		}
		expect(repeats).toBe(0);
		expect(dedup.size).toBe(0);
		expect(Date.now() - started).toBeLessThan(1_000);
	});

	it('stays correct when the clock goes backwards', () => {
		const clock = new FakeClock();
		const dedup = new EventDeduplicator({ ttlMs: 10_000, now: clock.now });
		dedup.seen('a');
		clock.time -= 60_000;
		// 'b' expires 50 s before 'a' but stands behind it in the map.
		dedup.seen('b');
		clock.time += 20_000;
		expect(dedup.seen('b')).toBe(false);
		expect(dedup.seen('a')).toBe(true);
	});

	it('refuses a time-to-live or size that is not positive', () => {
		expect(() => new EventDeduplicator({ ttlMs: 0 })).toThrow(CallbackConfigError);
		expect(() => new EventDeduplicator({ ttlMs: Number.NaN })).toThrow(CallbackConfigError);
		expect(() => new EventDeduplicator({ maxEntries: 0 })).toThrow(CallbackConfigError);
		expect(() => new EventDeduplicator({ maxEntries: 1.5 })).toThrow(CallbackConfigError);
	});
});
