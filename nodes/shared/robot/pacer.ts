/**
 * Group robots take about 20 messages a minute each, and going over throttles the robot (DingTalk
 * for 10 minutes). The pacer reserves each post a slot in a sliding window per robot, shared by
 * every item and execution of this n8n process, so posts wait instead of failing; when the wait
 * would be longer than the caller allows, it says when the robot takes the next message.
 */
export interface PacerClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export class RobotWaitExceeded extends Error {
	constructor(
		/** When the robot takes the next message (ms since the epoch). */
		readonly nextAt: number,
		readonly waitMs: number,
		/** The platform throttled the robot, rather than this process holding it back. */
		readonly throttled: boolean,
	) {
		super('robot wait exceeded');
	}
}

/** The execution was cancelled while the post waited for its slot. */
export class RobotWaitCancelled extends Error {
	constructor() {
		super('robot wait cancelled');
	}
}

interface RobotWindow {
	/** Start times of the posts in the current window (reserved, including future ones). */
	slots: number[];
	/** The platform refused posts until then. */
	blockedUntil: number;
}

export class RobotPacer {
	private readonly robots = new Map<string, RobotWindow>();

	constructor(
		private clock: PacerClock,
		readonly perWindow = 20,
		readonly windowMs = 60_000,
		/** Slack for the clocks of n8n and the platform, which never agree to the millisecond. */
		readonly marginMs = 1000,
	) {}

	/** Tests run the pacer on a clock they move themselves. */
	useClock(clock: PacerClock): void {
		this.clock = clock;
	}

	now(): number {
		return this.clock.now();
	}

	private windowOf(key: string): RobotWindow {
		let robot = this.robots.get(key);
		if (!robot) {
			robot = { slots: [], blockedUntil: 0 };
			this.robots.set(key, robot);
		}
		return robot;
	}

	/** When a post reserved now could go out, without reserving it. */
	nextSlot(key: string): number {
		const now = this.clock.now();
		const robot = this.windowOf(key);
		// Slots stay counted for the window plus the margin, so the margin is never skipped.
		robot.slots = robot.slots.filter((at) => at > now - this.windowMs - this.marginMs);
		const byWindow =
			robot.slots.length < this.perWindow
				? now
				: robot.slots[robot.slots.length - this.perWindow] + this.windowMs + this.marginMs;
		return Math.max(now, byWindow, robot.blockedUntil);
	}

	/**
	 * Reserves the next slot of the robot and waits for it, unless that would take longer than
	 * `maxWaitMs`. The reservation is made before waiting, so concurrent items queue in order.
	 */
	async take(
		key: string,
		maxWaitMs: number,
		cancelled: () => boolean = () => false,
	): Promise<number> {
		const started = this.clock.now();
		// Only a real wait counts: the clock may tick a millisecond between two readings.
		let slept = false;
		for (;;) {
			const now = this.clock.now();
			const at = this.nextSlot(key);
			const robot = this.windowOf(key);
			if (at - now > maxWaitMs - (now - started))
				throw new RobotWaitExceeded(at, at - now, robot.blockedUntil >= at);
			robot.slots.push(at);
			robot.slots.sort((a, b) => a - b);
			// In steps of at most a second, so a cancelled execution stops waiting (and posting).
			while (this.clock.now() < at) {
				if (cancelled()) {
					robot.slots.splice(robot.slots.indexOf(at), 1);
					throw new RobotWaitCancelled();
				}
				slept = true;
				await this.clock.sleep(Math.min(1000, at - this.clock.now()));
			}
			// A throttle the platform answered while this post waited holds it back too.
			if (robot.blockedUntil <= this.clock.now()) return slept ? this.clock.now() - started : 0;
			robot.slots.splice(robot.slots.indexOf(at), 1);
		}
	}

	/** The platform throttled the robot: nothing goes out before `untilMs`. */
	blockUntil(key: string, untilMs: number): void {
		const robot = this.windowOf(key);
		robot.blockedUntil = Math.max(robot.blockedUntil, untilMs);
	}

	clear(): void {
		this.robots.clear();
	}
}
