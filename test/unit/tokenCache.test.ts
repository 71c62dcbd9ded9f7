import { TokenCache } from '../../nodes/shared/transport/tokenCache';
import { FakeClock } from './fakes';

describe('TokenCache', () => {
	it('fetches once for 100 concurrent callers of the same key', async () => {
		const clock = new FakeClock();
		const cache = new TokenCache({ now: clock.now });
		let fetches = 0;
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const fetchToken = async () => {
			fetches++;
			await gate;
			return { token: 'T1', expiresInSeconds: 7200 };
		};
		const pending = Array.from({ length: 100 }, () => cache.get('app', fetchToken));
		release();
		const tokens = await Promise.all(pending);
		expect(fetches).toBe(1);
		expect(new Set(tokens)).toEqual(new Set(['T1']));
		expect(cache.fetchCount).toBe(1);
	});

	it('keeps apps apart', async () => {
		const cache = new TokenCache();
		const a = await cache.get('app-a', async () => ({ token: 'A', expiresInSeconds: 7200 }));
		const b = await cache.get('app-b', async () => ({ token: 'B', expiresInSeconds: 7200 }));
		expect([a, b]).toEqual(['A', 'B']);
		expect(await cache.get('app-a', async () => ({ token: 'never', expiresInSeconds: 1 }))).toBe(
			'A',
		);
	});

	it('refreshes proactively inside the refresh window (5 minutes before a 2-hour expiry)', async () => {
		const clock = new FakeClock();
		const cache = new TokenCache({ now: clock.now });
		let n = 0;
		const fetchToken = async () => ({ token: `T${++n}`, expiresInSeconds: 7200 });
		expect(await cache.get('app', fetchToken)).toBe('T1');
		clock.time += (7200 - 301) * 1000;
		expect(await cache.get('app', fetchToken)).toBe('T1');
		clock.time += 2 * 1000;
		expect(await cache.get('app', fetchToken)).toBe('T2');
	});

	it('scales the refresh margin down for short-lived tokens', async () => {
		const clock = new FakeClock();
		const cache = new TokenCache({ now: clock.now });
		let n = 0;
		const fetchToken = async () => ({ token: `T${++n}`, expiresInSeconds: 10 });
		await cache.get('app', fetchToken);
		clock.time += 8_900;
		expect(await cache.get('app', fetchToken)).toBe('T1');
		clock.time += 200;
		expect(await cache.get('app', fetchToken)).toBe('T2');
	});

	it('serves the old token if an early refresh fails while it is still valid', async () => {
		const clock = new FakeClock();
		const cache = new TokenCache({ now: clock.now });
		await cache.get('app', async () => ({ token: 'OLD', expiresInSeconds: 7200 }));
		clock.time += 7000 * 1000;
		const failing = async () => {
			throw new Error('platform down');
		};
		expect(await cache.get('app', failing)).toBe('OLD');
		clock.time += 300 * 1000;
		await expect(cache.get('app', failing)).rejects.toThrow('platform down');
	});

	it('invalidates only the token that was rejected', async () => {
		const cache = new TokenCache();
		let n = 0;
		const fetchToken = async () => ({ token: `T${++n}`, expiresInSeconds: 7200 });
		await cache.get('app', fetchToken);
		cache.invalidate('app', 'T1');
		expect(await cache.get('app', fetchToken)).toBe('T2');
		// A late failure that still carries T1 must not throw away the fresh T2.
		cache.invalidate('app', 'T1');
		expect(await cache.get('app', fetchToken)).toBe('T2');
		expect(n).toBe(2);
	});

	it('does not cache a failed fetch', async () => {
		const cache = new TokenCache();
		await expect(
			cache.get('app', async () => {
				throw new Error('wrong secret');
			}),
		).rejects.toThrow('wrong secret');
		expect(await cache.get('app', async () => ({ token: 'OK', expiresInSeconds: 7200 }))).toBe(
			'OK',
		);
	});

	it('evicts expired entries first when full', async () => {
		const clock = new FakeClock();
		const cache = new TokenCache({ now: clock.now, maxEntries: 2 });
		await cache.get('short', async () => ({ token: 'S', expiresInSeconds: 1 }));
		await cache.get('long', async () => ({ token: 'L', expiresInSeconds: 7200 }));
		clock.time += 2000;
		await cache.get('new', async () => ({ token: 'N', expiresInSeconds: 7200 }));
		expect(cache.has('long')).toBe(true);
		expect(cache.has('new')).toBe(true);
		expect(cache.has('short')).toBe(false);
	});
});
