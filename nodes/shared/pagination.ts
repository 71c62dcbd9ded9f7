/**
 * Return All / Limit over both platforms' paging styles. A page fetcher gets the cursor of the page
 * to read (undefined for the first) and how many entries are still wanted, and returns the entries
 * plus the next cursor (undefined when there is no more).
 */
export interface Page<T, C> {
	items: T[];
	next?: C;
}

export interface PaginateOptions<T, C> {
	returnAll: boolean;
	limit: number;
	fetchPage: (cursor: C | undefined, remaining: number) => Promise<Page<T, C>>;
	/** Safety stop against platforms that keep returning the same cursor. */
	maxPages?: number;
}

export async function paginate<T, C = string | number>(
	options: PaginateOptions<T, C>,
): Promise<T[]> {
	const wanted = options.returnAll ? Infinity : Math.max(0, options.limit);
	const maxPages = options.maxPages ?? 10_000;
	const results: T[] = [];
	const seen = new Set<string>();
	let cursor: C | undefined;
	for (let page = 0; page < maxPages && results.length < wanted; page++) {
		const { items, next } = await options.fetchPage(cursor, wanted - results.length);
		results.push(...items.slice(0, wanted - results.length));
		if (next === undefined || next === null || next === ('' as unknown as C)) break;
		const key = JSON.stringify(next);
		if (seen.has(key)) break;
		seen.add(key);
		cursor = next;
	}
	return results;
}

/** Offset paging ("offset"/"size"): the next offset, or undefined after a short page. */
export function nextOffset(
	offset: number | undefined,
	pageSize: number,
	received: number,
): number | undefined {
	return received < pageSize ? undefined : (offset ?? 0) + received;
}
