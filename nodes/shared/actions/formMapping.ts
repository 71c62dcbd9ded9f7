import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { forEachConcurrently } from '../concurrency';
import type { ParameterReader } from './parameters';

/**
 * What approval forms on both platforms share: the template read once per run, the values of a
 * resource mapper, and lists typed the way people type them.
 */

const runs = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * One load per key and node run (e.g. a template's form), however many items ask: every item can
 * then be checked before the first call that changes something.
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
		// A refusal of the platform (wrong template, no permission) holds for the whole run, so the
		// other items get it without asking again; anything else is tried again by the next item.
		pending.catch((error: unknown) => {
			if (!(error instanceof NodeApiError)) loads?.delete(key);
		});
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

/**
 * A decimal number as text, the way both platforms' forms take amounts: commas only between
 * thousands ("1,200.50"), so "1,5" is refused instead of read as 15. Undefined when it is none.
 */
export function decimalText(value: unknown): string | undefined {
	const typed =
		typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value).trim();
	const raw = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(typed) ? typed.replace(/,/g, '') : typed;
	return /^-?\d+(\.\d+)?$/.test(raw) && Number.isFinite(Number(raw)) ? raw : undefined;
}

export const DECIMAL_HINT = 'Use a dot for decimals (1.5); commas only between thousands (1,200).';

/**
 * The Define Form choice and the Form resource mapper of a Create operation: the template's own
 * fields (loaded by `method` once `dependsOn` is set), or the platform's raw JSON.
 */
export function formProperties(options: {
	method: string;
	dependsOn: string;
	jsonDescription: string;
	noFieldsError: string;
}): INodeProperties[] {
	return [
		{
			displayName: 'Define Form',
			name: 'formInput',
			type: 'options',
			options: [
				{
					name: "Using the Template's Fields",
					value: 'fields',
					description: 'Fill in the form field by field, as the template defines it',
				},
				{ name: 'Using JSON', value: 'json', description: options.jsonDescription },
			],
			default: 'fields',
		},
		{
			displayName: 'Form',
			name: 'form',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn: [options.dependsOn],
				resourceMapper: {
					resourceMapperMethod: options.method,
					mode: 'add',
					fieldWords: { singular: 'field', plural: 'fields' },
					addAllFields: true,
					multiKeyMatch: false,
					supportAutoMap: true,
					noFieldsError: options.noFieldsError,
				},
			},
			displayOptions: { show: { formInput: ['fields'] } },
		},
	];
}

/** Get Many's Include Details option: what each listed entry is read for. */
export const includeDetailsOption = (description: string): INodeProperties => ({
	displayName: 'Include Details',
	name: 'includeDetails',
	type: 'boolean',
	default: false,
	description,
});

/** Details read a few at a time for Get Many's Include Details: the throttle paces them anyway. */
const DETAIL_CONCURRENCY = 4;

/** Reads each listed ID's details, in order, a few at a time. */
export async function readDetails<T>(
	ids: string[],
	read: (id: string) => Promise<T>,
): Promise<T[]> {
	const items: T[] = new Array(ids.length);
	await forEachConcurrently(ids.length, DETAIL_CONCURRENCY, async (index) => {
		items[index] = await read(ids[index]);
	});
	return items;
}
