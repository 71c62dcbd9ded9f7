/**
 * A number within [min, max] (whole when asked), from a number or from numeric text as
 * expressions give it; undefined for anything else. The callers word the refusal for their field.
 */
export function numberInRange(
	value: unknown,
	range: { min: number; max: number; whole?: boolean },
): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
	if (range.whole && !Number.isInteger(number)) return undefined;
	return number >= range.min && number <= range.max ? number : undefined;
}

/** "0–3, 5": item (or call) numbers as ranges, for messages. */
export function describeItemNumbers(indexes: number[]): string {
	const parts: string[] = [];
	for (let k = 0; k < indexes.length; k++) {
		const start = indexes[k];
		while (k + 1 < indexes.length && indexes[k + 1] === indexes[k] + 1) k++;
		parts.push(start === indexes[k] ? String(start) : `${start}–${indexes[k]}`);
	}
	return parts.join(', ');
}
