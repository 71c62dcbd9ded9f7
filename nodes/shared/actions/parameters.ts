import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import type { ZodType } from 'zod';

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

	json<T>(name: string, displayName: string, schema: ZodType<T>): T {
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
