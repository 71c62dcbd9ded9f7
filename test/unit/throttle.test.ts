import { progressReporter } from '../../nodes/shared/actions/router';
import { forEachConcurrently, Semaphore } from '../../nodes/shared/concurrency';
import type { Permit } from '../../nodes/shared/transport/throttle';
import { PACING_MARGIN, QuotaWaitExceeded, Throttle } from '../../nodes/shared/transport/throttle';

/** Lets pending promise callbacks run (the lint allows no timers, so a few microtask turns). */
async function settleMicrotasks(): Promise<void> {
	for (let turn = 0; turn < 50; turn++) await Promise.resolve();
}

/** Timers that fire only when the test lets time pass, so concurrent waits interleave as in life. */
class ManualClock {
	time = 1_000_000;

	private timers: Array<{ at: number; fire: () => void }> = [];

	now = () => this.time;

	sleep = async (ms: number) =>
		await new Promise<void>((fire) => this.timers.push({ at: this.time + ms, fire }));

	/** Fires timers in time order until nothing waits any more. */
	async runUntilIdle(): Promise<void> {
		for (;;) {
			await settleMicrotasks();
			if (!this.timers.length) return;
			this.timers.sort((a, b) => a.at - b.at);
			const next = this.timers.shift()!;
			this.time = Math.max(this.time, next.at);
			next.fire();
		}
	}
}

const FAR = Number.MAX_SAFE_INTEGER;

function setup() {
	const clock = new ManualClock();
	const throttle = new Throttle({ now: clock.now, sleep: clock.sleep });
	return { clock, throttle };
}

async function acquireAll(
	clock: ManualClock,
	throttle: Throttle,
	count: number,
	quota: number,
): Promise<Permit[]> {
	const pending = Array.from(
		{ length: count },
		async () => await throttle.acquire('lane', quota, FAR),
	);
	await clock.runUntilIdle();
	return await Promise.all(pending);
}

describe('the shared throttle', () => {
	it('paces calls 8% under the quota, evenly, in the order they asked', async () => {
		const { clock, throttle } = setup();
		const permits = await acquireAll(clock, throttle, 21, 20);
		const gaps = permits.slice(1).map((p, i) => p.sentAt - permits[i].sentAt);
		for (const gap of gaps) expect(gap).toBeCloseTo(1000 / (20 * PACING_MARGIN), 6);
		// 21 calls over 20 intervals: under the quota in every one-second window.
		const span = permits.at(-1)!.sentAt - permits[0].sentAt;
		expect(span).toBeGreaterThan(1000);
	});

	it("paces at the platform's own margin when its profile gives one (WeCom: a per-minute window)", async () => {
		const { clock, throttle } = setup();
		const pending = [1, 2, 3].map(
			async () => await throttle.acquire('lane', 166, Number.MAX_SAFE_INTEGER, 0.96),
		);
		await clock.runUntilIdle();
		const [a, b] = await Promise.all(pending);
		expect(b.sentAt - a.sentAt).toBeCloseTo(1000 / (166 * 0.96), 6);
	});

	it('does not pace at all when the quota is 0, but still honours a cool-down', async () => {
		const { clock, throttle } = setup();
		const [first, second] = await acquireAll(clock, throttle, 2, 0);
		expect(second.sentAt).toBe(first.sentAt);
		throttle.rateLimited(second);
		const [after] = await acquireAll(clock, throttle, 1, 0);
		expect(after.sentAt - second.sentAt).toBe(1000);
	});

	it('makes every caller of the lane wait out one cool-down after a rate-limit answer', async () => {
		const { clock, throttle } = setup();
		const [limited] = await acquireAll(clock, throttle, 1, 20);
		// Three callers are queued behind the limited call when its answer arrives.
		const waiting = [1, 2, 3].map(async () => await throttle.acquire('lane', 20, FAR));
		await settleMicrotasks();
		throttle.rateLimited(limited);
		await clock.runUntilIdle();
		const permits = await Promise.all(waiting);
		for (const permit of permits) {
			expect(permit.sentAt).toBeGreaterThanOrEqual(limited.sentAt + 1000);
		}
		// After the cool-down the pace is halved: 9.2 calls/s.
		expect(permits[1].sentAt - permits[0].sentAt).toBeCloseTo(1000 / (20 * PACING_MARGIN * 0.5), 6);
	});

	it('counts answers of one burst once: calls sent before the cool-down do not extend it', async () => {
		const { clock, throttle } = setup();
		const burst = await acquireAll(clock, throttle, 3, 0);
		for (const permit of burst) throttle.rateLimited(permit);
		const [next] = await acquireAll(clock, throttle, 1, 0);
		expect(next.sentAt - burst[0].sentAt).toBe(1000);
		// A call sent after the cool-down that is limited again doubles it.
		throttle.rateLimited(next);
		const [later] = await acquireAll(clock, throttle, 1, 0);
		expect(later.sentAt - next.sentAt).toBe(2000);
	});

	it('halves the pace on each new rate limit and regains it step by step, never above the quota', async () => {
		const { clock, throttle } = setup();
		const ceiling = 20 * PACING_MARGIN;
		let [permit] = await acquireAll(clock, throttle, 1, 20);
		throttle.rateLimited(permit);
		expect(throttle.paceOf('lane')).toBeCloseTo(ceiling / 2, 6);
		[permit] = await acquireAll(clock, throttle, 1, 20);
		throttle.rateLimited(permit);
		expect(throttle.paceOf('lane')).toBeCloseTo(ceiling / 4, 6);
		// Answers to calls sent before the cool-down say nothing about the slower pace.
		for (let i = 0; i < 10; i++) throttle.succeeded(permit);
		expect(throttle.paceOf('lane')).toBeCloseTo(ceiling / 4, 6);
		const after = await acquireAll(clock, throttle, 10, 20);
		for (const fresh of after) throttle.succeeded(fresh);
		expect(throttle.paceOf('lane')).toBeCloseTo(ceiling / 4 + 10 * ceiling * 0.02, 6);
		for (let i = 0; i < 100; i++) throttle.succeeded(after[9]);
		expect(throttle.paceOf('lane')).toBeCloseTo(ceiling, 6);
	});

	it('lets a stale success not reset the doubling of the cool-down', async () => {
		const { clock, throttle } = setup();
		const burst = await acquireAll(clock, throttle, 2, 0);
		throttle.rateLimited(burst[0]);
		throttle.succeeded(burst[1]); // left before the cool-down: stale
		const [next] = await acquireAll(clock, throttle, 1, 0);
		throttle.rateLimited(next);
		const [later] = await acquireAll(clock, throttle, 1, 0);
		expect(later.sentAt - next.sentAt).toBe(2000);
	});

	it('does not refuse a call that needs no wait, even past its deadline', async () => {
		const { clock, throttle } = setup();
		const permit = await throttle.acquire('lane', 20, clock.time - 5);
		expect(permit.waitedMs).toBe(0);
	});

	it('refuses a wait that would pass the deadline, saying when the lane opens again', async () => {
		const { clock, throttle } = setup();
		const [permit] = await acquireAll(clock, throttle, 1, 20);
		throttle.rateLimited(permit);
		const error = await throttle.acquire('lane', 20, clock.time + 500).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(QuotaWaitExceeded);
		expect((error as QuotaWaitExceeded).retryAt).toBe(permit.sentAt + 1000);
		expect((error as QuotaWaitExceeded).retryInMs).toBe(1000);
	});

	it('keeps lanes apart: a rate limit on one API does not slow another', async () => {
		const { clock, throttle } = setup();
		const limited = await throttle.acquire('send', 20, FAR);
		throttle.rateLimited(limited);
		const other = throttle.acquire('read', 20, FAR);
		await clock.runUntilIdle();
		expect((await other).sentAt).toBe(limited.sentAt);
	});
});

describe('bounded concurrency', () => {
	it('a semaphore lets at most its size run at once, the others in arrival order', async () => {
		const semaphore = new Semaphore(2);
		let running = 0;
		let peak = 0;
		const order: number[] = [];
		const gates: Array<() => void> = [];
		const tasks = [0, 1, 2, 3, 4].map((n) =>
			semaphore.run(async () => {
				running++;
				peak = Math.max(peak, running);
				order.push(n);
				await new Promise<void>((open) => gates.push(open));
				running--;
				if (n === 1) throw new Error('task 1 failed');
				return n;
			}),
		);
		for (let k = 0; k < 5; k++) {
			await settleMicrotasks();
			gates.shift()?.();
		}
		const outcomes = await Promise.allSettled(tasks);
		expect(peak).toBe(2);
		expect(order).toEqual([0, 1, 2, 3, 4]);
		// A task that throws still frees its place.
		expect(outcomes.map((o) => o.status)).toEqual([
			'fulfilled',
			'rejected',
			'fulfilled',
			'fulfilled',
			'fulfilled',
		]);
	});

	it('forEachConcurrently starts in index order, stops starting when told, and lets running tasks finish', async () => {
		const started: number[] = [];
		const finished: number[] = [];
		let stop = false;
		await forEachConcurrently(
			10,
			3,
			async (i) => {
				started.push(i);
				await settleMicrotasks();
				if (i === 4) stop = true;
				finished.push(i);
			},
			() => stop,
		);
		expect(started.slice(0, 3)).toEqual([0, 1, 2]);
		expect(started).toEqual(finished.slice().sort((a, b) => a - b));
		expect(started.length).toBeLessThan(10);
		expect(started).toContain(4);
	});

	it('forEachConcurrently reports the first error after the running tasks finished, and starts no more', async () => {
		const finished: number[] = [];
		const error = await forEachConcurrently(8, 2, async (i) => {
			await settleMicrotasks();
			if (i === 1) throw new Error('item 1');
			finished.push(i);
		}).catch((e: Error) => e);
		expect((error as Error).message).toBe('item 1');
		// Item 0 and at most the one its worker had already started; none after the failure.
		expect(finished[0]).toBe(0);
		expect(finished.length).toBeLessThanOrEqual(2);
	});
});

describe('progress of long runs', () => {
	it('reports every 10 s how many items are done and what the quota held back, not at the end', () => {
		let time = 0;
		const messages: string[] = [];
		const logged: string[] = [];
		const ctx = {
			getNode: () => ({ name: 'Send' }),
			logger: { info: (message: string) => logged.push(message) },
			sendMessageToUI: (message: string) => messages.push(message),
		} as unknown as Parameters<typeof progressReporter>[0];
		const stats = {
			calls: 0,
			throttledCalls: 0,
			waitedMs: 0,
			longestWaitMs: 0,
			rateLimitAnswers: 0,
			robot: { posts: 0, waitedPosts: 0, waitedMs: 0, longestWaitMs: 0, throttleAnswers: 0 },
		};
		const progress = progressReporter(ctx, 'DingTalk', 100, stats, () => time);
		for (let i = 1; i <= 100; i++) {
			time = i * 250; // one item every 250 ms: 25 s in all
			stats.calls = i;
			stats.throttledCalls = Math.floor(i / 2);
			stats.waitedMs = i * 100;
			progress.itemDone();
		}
		expect(messages).toEqual([
			"Send: 40 of 100 items done; 20 calls waited 4.0 s for DingTalk's quota, 0 rate-limit answers waited out",
			"Send: 80 of 100 items done; 40 calls waited 8.0 s for DingTalk's quota, 0 rate-limit answers waited out",
		]);
		expect(logged).toEqual(messages);
	});
});
