import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { createValidationError } from '../errors';
import { integerValue, parseJsonField, textValue } from '../validation';

/**
 * Reads one item's parameters and checks them as they are read: every free-text field is text or a
 * number (never an object from an expression), required texts are not blank, numbers are whole and
 * in range. Errors name the field and the item. Dotted names reach into collections
 * (`options.author`).
 */
export class ParameterReader {
	readonly node: INode;

	constructor(
		readonly ctx: IExecuteFunctions,
		readonly itemIndex: number,
	) {
		this.node = ctx.getNode();
	}

	raw(name: string, fallback?: unknown): unknown {
		return this.ctx.getNodeParameter(name, this.itemIndex, fallback as never);
	}

	/** A text field that must not be blank. */
	text(name: string, displayName: string): string {
		const value = this.optionalText(name, displayName);
		if (value.trim() === '') {
			throw createValidationError(this.node, `'${displayName}' is empty`, {
				itemIndex: this.itemIndex,
			});
		}
		return value;
	}

	/** A text field that may be blank ('' then). */
	optionalText(name: string, displayName: string): string {
		return textValue(this.node, this.raw(name, ''), { displayName, itemIndex: this.itemIndex });
	}

	integer(
		name: string,
		displayName: string,
		range: { min: number; max: number; fallback: number },
	): number {
		return integerValue(this.node, this.raw(name, range.fallback), {
			displayName,
			itemIndex: this.itemIndex,
			...range,
		});
	}

	option<T extends string>(name: string, fallback?: T): T {
		return this.raw(name, fallback) as T;
	}

	/** A switch: true or false, also as the text "true"/"false" from an expression. */
	boolean(name: string, displayName: string, fallback = false): boolean {
		const value = this.raw(name, fallback);
		if (typeof value === 'boolean') return value;
		if (value === 'true' || value === 'false') return value === 'true';
		throw createValidationError(
			this.node,
			`'${displayName}' must be true or false, got ${JSON.stringify(value) ?? String(value)}`,
			{ itemIndex: this.itemIndex },
		);
	}

	/**
	 * The rows of a fixed collection, each field checked as text: `fields` maps a row field to its
	 * name in the UI.
	 */
	rows<K extends string>(name: string, fields: Record<K, string>): Array<Record<K, string>> {
		const rows = this.raw(name, []);
		if (!Array.isArray(rows)) return [];
		return rows.map((row: IDataObject, index) => {
			const checked = {} as Record<K, string>;
			for (const key of Object.keys(fields) as K[]) {
				checked[key] = textValue(this.node, row?.[key], {
					displayName: `${fields[key]} (row ${index + 1})`,
					itemIndex: this.itemIndex,
				});
			}
			return checked;
		});
	}

	json<T>(name: string, displayName: string, schema: z.ZodType<T>): T {
		return parseJsonField(this.node, this.raw(name), schema, {
			displayName,
			itemIndex: this.itemIndex,
		});
	}
}

/**
 * A list the user adds rows to (buttons, form rows, query parameters): a fixed collection with one
 * kind of row of text fields, read back with `ParameterReader.rows('<name>.<row name>', …)`.
 */
export function textRowsProperty(options: {
	displayName: string;
	name: string;
	placeholder: string;
	description?: string;
	displayOptions?: INodeProperties['displayOptions'];
	row: { displayName: string; name: string };
	fields: Array<Pick<INodeProperties, 'displayName' | 'name' | 'placeholder'>>;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: options.placeholder,
		default: {},
		...(options.description ? { description: options.description } : {}),
		...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
		options: [
			{
				...options.row,
				values: options.fields.map((field) => ({ ...field, type: 'string' as const, default: '' })),
			},
		],
	};
}

/** The "Options" collection of an operation: optional fields behind "Add Option". */
export function optionsProperty(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** A row field of a list that can also come as JSON: its name there may also be the platform's. */
export interface ListField<K extends string> {
	displayName: string;
	name: K;
	placeholder?: string;
	/** Other keys accepted in the JSON form, e.g. the platform's own spelling (`messageURL`). */
	aliases?: string[];
}

export interface ListSpec<K extends string> {
	/** The list in the UI, e.g. 'Articles'; one row of it, e.g. 'Article'. */
	displayName: string;
	name: string;
	row: { displayName: string; name: string };
	fields: Array<ListField<K>>;
	/** One row as the JSON form's example. */
	example: Partial<Record<K, string>>;
}

/**
 * A list of rows (news articles, feed-card links) that is built with fields in the UI or comes as
 * a JSON array, typically an expression over the item (`{{ $json.articles }}`). Read back with
 * `readListRows`.
 */
export function listProperties<K extends string>(spec: ListSpec<K>): INodeProperties[] {
	const keys = spec.fields.map((f) => f.name).join(', ');
	return [
		{
			displayName: `Define ${spec.displayName}`,
			name: `${spec.name}Input`,
			type: 'options',
			options: [
				{ name: 'Using Fields Below', value: 'fields' },
				{
					name: 'Using JSON',
					value: 'json',
					description: 'An array from an expression, e.g. built by an earlier node',
				},
			],
			default: 'fields',
		},
		{
			...textRowsProperty({
				displayName: spec.displayName,
				name: spec.name,
				placeholder: `Add ${spec.row.displayName}`,
				row: spec.row,
				fields: spec.fields.map(({ displayName, name, placeholder }) => ({
					displayName,
					name,
					...(placeholder ? { placeholder } : {}),
				})),
			}),
			displayOptions: { show: { [`${spec.name}Input`]: ['fields'] } },
		},
		{
			displayName: `${spec.displayName} (JSON)`,
			name: `${spec.name}Json`,
			type: 'json',
			// Empty, so switching to JSON never posts an example by mistake.
			default: '[]',
			description: `An array of objects with ${keys}, typed here or from an expression over the item, e.g. ${JSON.stringify([spec.example])}`,
			displayOptions: { show: { [`${spec.name}Input`]: ['json'] } },
		},
	];
}

const listRowsSchema = z.array(z.record(z.string(), z.unknown()));

/** The rows of a `listProperties` list, from its fields or its JSON, each value checked as text. */
export function readListRows<K extends string>(
	read: ParameterReader,
	spec: ListSpec<K>,
): Array<Record<K, string>> {
	if (read.option<string>(`${spec.name}Input`, 'fields') !== 'json') {
		return read.rows(
			`${spec.name}.${spec.row.name}`,
			Object.fromEntries(
				spec.fields.map((f) => [f.name, `${spec.row.displayName} ${f.displayName}`]),
			) as Record<K, string>,
		);
	}
	const displayName = `${spec.displayName} (JSON)`;
	const rows = read.json(`${spec.name}Json`, displayName, listRowsSchema);
	const known = new Map<string, K>();
	for (const field of spec.fields) {
		for (const key of [field.name, ...(field.aliases ?? [])]) known.set(key, field.name);
	}
	return rows.map((row, index) => {
		const checked = Object.fromEntries(spec.fields.map((f) => [f.name, ''])) as Record<K, string>;
		for (const [key, value] of Object.entries(row)) {
			const name = known.get(key);
			if (!name) {
				throw createValidationError(
					read.node,
					`'${displayName}' has an unknown key '${key}' in ${spec.row.displayName.toLowerCase()} ${index + 1}`,
					{
						itemIndex: read.itemIndex,
						description: `Each ${spec.row.displayName.toLowerCase()} takes ${[...known.keys()].join(', ')}.`,
					},
				);
			}
			if (value === undefined || value === null) continue;
			checked[name] = textValue(read.node, value, {
				displayName: `${displayName}: ${key} of ${spec.row.displayName.toLowerCase()} ${index + 1}`,
				itemIndex: read.itemIndex,
			});
		}
		return checked;
	});
}
