import type { INodeProperties } from 'n8n-workflow';

import { createValidationError } from '../errors';
import type { ParameterReader } from './parameters';

/** "Return All" plus "Limit" as every n8n Get Many operation has them. */
export function returnAllProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/**
 * How many entries the item wants: Infinity for Return All, else its Limit, which must be a whole
 * number of at least 1 (0, negative or fractional limits would silently return nothing or a surprise).
 */
export function readLimit(read: ParameterReader): number {
	if (read.boolean('returnAll', 'Return All')) return Infinity;
	const raw = read.raw('limit', 50);
	const limit = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw createValidationError(
			read.node,
			`'Limit' must be a whole number of at least 1, got ${JSON.stringify(raw) ?? String(raw)}`,
			{
				itemIndex: read.itemIndex,
				description: "Enter how many results you want, or switch on 'Return All'.",
			},
		);
	}
	return limit;
}
