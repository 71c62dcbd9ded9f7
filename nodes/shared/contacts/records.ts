import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

type Kinds = { string: string; number: number };

/**
 * An answer row (a user, a department) checked for the one field the nodes rely on and otherwise
 * kept as the platform sent it: the same object, not a copy, since a 20,000-member answer would
 * otherwise be held twice while it is turned into items.
 */
export function recordWith<K extends string, V extends keyof Kinds>(key: K, kind: V) {
	return z.custom<IDataObject & Record<K, Kinds[V]>>(
		(value) =>
			typeof value === 'object' &&
			value !== null &&
			!Array.isArray(value) &&
			typeof (value as Record<string, unknown>)[key] === kind,
		{ message: `expected an object with a ${kind} "${key}"` },
	);
}
