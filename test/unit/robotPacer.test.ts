import { RobotPacer, RobotWaitCancelled, RobotWaitExceeded } from '../../nodes/shared/robot/pacer';

/** A clock that only moves when a waiter sleeps (the pacer's sole way to pass time). */
function manualClock(start = 1_000_000) {
	let now = start;
	const sleeps: number[] = [];
	return {
		now: () => now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
		sleeps,
		advance: (ms: number) => {
			now += ms;
		},
	};
}

describe('robot pacer', () => {
	it('lets 20 posts a minute through at once and makes the 21st wait for the window plus a margin', async () => {
		const clock = manualClock();
		const pacer = new RobotPacer(clock);
		const waits: number[] = [];
		for (let i = 0; i < 20; i++) waits.push(await pacer.take('robot-a', 0));
		expect(waits.every((ms) => ms === 0)).toBe(true);
		expect(await pacer.take('robot-a', 120_000)).toBe(61_000);
		// Another robot has its own window.
		expect(await pacer.take('robot-b', 0)).toBe(0);
	});

	it('queues concurrent posts in the order they asked, before any of them waits', async () => {
		const clock = manualClock();
		const pacer = new RobotPacer(clock, 2, 10_000, 0);
		const first = pacer.nextSlot('r');
		const slots = await Promise.all([0, 1, 2, 3].map(() => pacer.take('r', 60_000)));
		// Two at once, then two more after the window (the clock moved by the first wait).
		expect(slots.slice(0, 2)).toEqual([0, 0]);
		expect(slots[2]).toBe(10_000);
		expect(first).toBe(1_000_000);
	});

	it('refuses a wait longer than allowed, saying when the robot takes the next post, without reserving it', async () => {
		const clock = manualClock();
		const pacer = new RobotPacer(clock);
		for (let i = 0; i < 20; i++) await pacer.take('r', 0);
		const refused = await pacer.take('r', 5_000).catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(RobotWaitExceeded);
		expect(refused).toMatchObject({ waitMs: 61_000, nextAt: 1_061_000, throttled: false });
		clock.advance(61_000);
		expect(await pacer.take('r', 0)).toBe(0);
	});

	it('holds every post back while the platform throttles the robot', async () => {
		const clock = manualClock();
		const pacer = new RobotPacer(clock);
		pacer.blockUntil('r', clock.now() + 600_000);
		const refused = await pacer.take('r', 60_000).catch((error: unknown) => error);
		expect(refused).toMatchObject({ waitMs: 600_000, throttled: true });
		expect(await pacer.take('r', 600_000)).toBe(600_000);
	});

	it('keeps the margin also for a post that comes between the window and the window plus the margin', async () => {
		const clock = manualClock();
		const pacer = new RobotPacer(clock);
		for (let i = 0; i < 20; i++) await pacer.take('r', 0);
		clock.advance(60_000);
		expect(await pacer.take('r', 5_000)).toBe(1_000);
	});

	it('holds back a post already waiting when the platform throttles the robot meanwhile', async () => {
		const clock = manualClock();
		const pacer = new RobotPacer(clock, 1, 10_000, 0);
		await pacer.take('r', 0);
		const waiting = pacer.take('r', 60_000);
		// While the second post waits for its slot, a refusal blocks the robot for 30 s.
		pacer.blockUntil('r', 1_000_000 + 30_000);
		expect(await waiting).toBe(30_000);
	});

	it('stops waiting when the execution is cancelled, and frees the slot', async () => {
		const clock = manualClock();
		const pacer = new RobotPacer(clock, 1, 10_000, 0);
		await pacer.take('r', 0);
		let cancel = false;
		const waiting = pacer.take('r', 60_000, () => cancel);
		cancel = true;
		await expect(waiting).rejects.toBeInstanceOf(RobotWaitCancelled);
		expect(pacer.nextSlot('r')).toBe(1_000_000 + 10_000);
	});
});
