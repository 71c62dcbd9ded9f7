import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ParameterReader } from './parameters';

/**
 * What approval forms on both platforms share: the template read once per run, the values of a
 * resource mapper, and lists typed the way people type them.
 */

const runs = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * One load per key and node run (e.g. a template's form), however many items ask: every item can
 * then be checked before the first call that changes something. A failed load is tried again by
 * the next item.
 */
export async function oncePerRun<T>(
	ctx: IExecuteFunctions,
	key: string,
	load: () => Promise<T>,
): Promise<T> {
	let loads = runs.get(ctx);
	if (!loads) {
		loads = new Map();
		runs.set(ctx, loads);
	}
	let pending = loads.get(key) as Promise<T> | undefined;
	if (!pending) {
		pending = load();
		loads.set(key, pending);
		pending.catch(() => loads?.delete(key));
	}
	return await pending;
}

/**
 * The form values the item gives: mapped in the node, or the item's own fields when auto-mapped
 * (then fields the form does not have are other data of the item, not mistakes).
 */
export function mappedValues(
	ctx: IExecuteFunctions,
	read: ParameterReader,
	name = 'form',
): { values: IDataObject; autoMapped: boolean } {
	const mapper = read.raw(name, {}) as { mappingMode?: string; value?: IDataObject | null };
	if (mapper.mappingMode === 'autoMapInputData') {
		return { values: { ...(ctx.getInputData()[read.itemIndex]?.json ?? {}) }, autoMapped: true };
	}
	return { values: { ...(mapper.value ?? {}) }, autoMapped: false };
}

const text = (value: unknown): string =>
	typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);

/** A list from an array, JSON array text, or text separated by commas (also Chinese ones). */
export function listOf(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((v) => text(v).trim()).filter(Boolean);
	const raw = text(value).trim();
	if (raw.startsWith('[')) {
		try {
			const parsed: unknown = JSON.parse(raw);
			if (Array.isArray(parsed)) return listOf(parsed);
		} catch {
			// Not JSON after all: split it below.
		}
	}
	return raw
		.split(/[,，、;；\n]/)
		.map((part) => part.trim())
		.filter(Boolean);
}
