// Figures shared by the benchmarks: medians, sums, seconds, percentages, ranges and plain tables.

export const median = (/** @type {number[]} */ values) => {
	const sorted = [...values].sort((x, y) => x - y);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const sum = (/** @type {number[]} */ values) =>
	values.reduce((total, value) => total + value, 0);
export const seconds = (/** @type {number} */ ms) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
export const percent = (/** @type {number} */ share) => `${(share * 100).toFixed(0)} %`;
export const span = (/** @type {number[]} */ values) => {
	const low = Math.min(...values);
	const high = Math.max(...values);
	return low === high ? String(low) : `${low}–${high}`;
};

/** Columns padded to their widest cell; `right` = indexes of right-aligned columns. */
export function printTable(
	/** @type {string[]} */ headers,
	/** @type {Array<Array<string|number>>} */ rows,
	/** @type {number[]} */ right = [],
) {
	const cells = [headers, ...rows.map((row) => row.map(String))];
	const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
	for (const [index, row] of cells.entries()) {
		const line = row.map((cell, column) =>
			right.includes(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
		);
		console.log(`  ${line.join('  ').trimEnd()}`);
		if (index === 0) console.log(`  ${widths.map((width) => '-'.repeat(width)).join('  ')}`);
	}
}

// ---------------------------------------------------------------------------------------------
