import { forEachConcurrently } from '../concurrency';

/**
 * Walks a tree breadth-first from `root`, one `childrenOf` call per node visited, level by level:
 * the calls of one level run concurrently (at most `concurrency` at once, and still under the
 * run's own limits), and the result keeps breadth-first order whatever order the answers came in.
 * With `stop(found)` (a Limit) the departments are asked one at a time in breadth-first order and
 * the walk ends as soon as enough were found, so a Limit costs no call it does not need.
 */
export async function walkBreadthFirst<T>(options: {
	root: number;
	childrenOf: (id: number) => Promise<T[]>;
	idOf: (child: T) => number;
	concurrency: number;
	stop?: (found: number) => boolean;
}): Promise<T[]> {
	const found: T[] = [];
	const seen = new Set<number>([options.root]);
	let level = [options.root];
	while (level.length && !options.stop?.(found.length)) {
		const answers: T[][] = new Array(level.length);
		const ids = level;
		level = [];
		const take = (children: T[]) => {
			for (const child of children) {
				const id = options.idOf(child);
				// A malformed tree (a department listed under two parents) must not loop forever.
				if (seen.has(id)) continue;
				seen.add(id);
				found.push(child);
				level.push(id);
			}
		};
		if (options.stop) {
			for (const id of ids) {
				if (options.stop(found.length)) break;
				take(await options.childrenOf(id));
			}
			continue;
		}
		await forEachConcurrently(ids.length, options.concurrency, async (index) => {
			answers[index] = await options.childrenOf(ids[index]);
		});
		answers.forEach(take);
	}
	return found;
}
