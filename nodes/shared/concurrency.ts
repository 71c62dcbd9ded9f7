/** Bounded concurrency without dependencies: a semaphore and a bounded parallel loop. */
import { settle } from './settle';

/** At most `size` holders at a time; the others queue in arrival order. */
export class Semaphore {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(readonly size: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active >= this.size) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		} else {
			this.active++;
		}
		try {
			return await task();
		} finally {
			const next = this.waiting.shift();
			if (next) next();
			else this.active--;
		}
	}
}

/**
 * Runs `task(i)` for i in 0..count-1, at most `limit` at a time, starting them in index order.
 * Once `stopped()` is true, or a task threw, no further task starts; the ones running finish.
 */
export async function forEachConcurrently(
	count: number,
	limit: number,
	task: (index: number) => Promise<void>,
	stopped: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (next < count && !failure && !stopped()) {
			const outcome = await settle(task(next++));
			// No new task after one threw; the others finish and the first error is reported.
			if (!outcome.ok) failure ??= { error: outcome.error };
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
	if (failure) throw failure.error;
}
