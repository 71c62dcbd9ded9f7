/** Splits `list` into consecutive slices of at most `size` entries. */
export function chunk<T>(list: T[], size: number): T[][] {
	if (size <= 0) throw new RangeError('chunk size must be positive');
	const slices: T[][] = [];
	for (let start = 0; start < list.length; start += size)
		slices.push(list.slice(start, start + size));
	return slices;
}

/**
 * Plans the calls needed to reach several recipient lists that each have their own per-call maximum
 * (e.g. 100 user IDs and 20 department IDs). Call i carries slice i of every list, so the number of
 * calls is the largest number of slices any list needs, and no list is sent twice.
 */
export function planRecipientCalls<K extends string>(
	lists: Record<K, { ids: string[]; max: number }>,
): Array<Record<K, string[]>> {
	const keys = Object.keys(lists) as K[];
	const sliced = keys.map((key) => [key, chunk(lists[key].ids, lists[key].max)] as const);
	const calls = Math.max(1, ...sliced.map(([, slices]) => slices.length));
	const plan: Array<Record<K, string[]>> = [];
	for (let i = 0; i < calls; i++) {
		const call = {} as Record<K, string[]>;
		for (const [key, slices] of sliced) call[key] = slices[i] ?? [];
		plan.push(call);
	}
	return plan;
}
