import type { INode } from 'n8n-workflow';
import type { ZodType } from 'zod';

import { createApiError, createValidationError } from './errors';
import { numberInRange } from './numbers';

/** A UI field as error messages name it. */
export interface FieldRef {
	displayName: string;
	itemIndex?: number;
}

function describeIssues(issues: Array<{ path: Array<string | number>; message: string }>): string {
	return issues
		.slice(0, 5)
		.map((issue) =>
			issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
		)
		.join('; ');
}

/**
 * Parses JSON the user typed or mapped (a string or an already-parsed object) and checks its shape.
 * Errors name the field, the item and the first offending paths.
 */
export function parseJsonField<T>(
	node: INode,
	value: unknown,
	schema: ZodType<T>,
	field: FieldRef,
): T {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') {
			throw createValidationError(node, `'${field.displayName}' is empty`, {
				itemIndex: field.itemIndex,
				description: 'Enter a JSON object.',
			});
		}
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw createValidationError(
				node,
				`'${field.displayName}' is not valid JSON: ${(error as Error).message}`,
				{
					itemIndex: field.itemIndex,
					description: 'Check quotes, commas and brackets, or build the value with an expression.',
				},
			);
		}
	}
	const result = schema.safeParse(parsed);
	if (!result.success) {
		throw createValidationError(
			node,
			`'${field.displayName}' has a wrong shape: ${describeIssues(result.error.issues)}`,
			{
				itemIndex: field.itemIndex,
			},
		);
	}
	return result.data;
}

/** Checks the fields we read from a platform answer; a surprise becomes a NodeApiError, not a crash. */
export function parseResponse<T>(
	node: INode,
	body: unknown,
	schema: ZodType<T>,
	context: {
		platform: string;
		method: string;
		path: string;
		itemIndex?: number;
		requestId?: string;
	},
): T {
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	throw createApiError(
		node,
		{
			errmsg: `unexpected response shape: ${describeIssues(result.error.issues)}`,
			requestId: context.requestId,
		},
		{
			...context,
			hint: `${context.platform} answered in a shape this node does not know. If the platform changed its API, use the Custom API Call resource meanwhile.`,
		},
	);
}

const ID_SEPARATORS = /[\s,，;；|]+/;

/**
 * Reads a list of IDs from what users enter or map: "a,b", "a|b", one per line, a single number,
 * or an array from an expression. Keeps order, drops blanks and duplicates.
 */
export function parseIdList(
	node: INode,
	value: unknown,
	field: FieldRef & { numeric?: boolean; numericHint?: string },
): string[] {
	const raw: unknown[] = [];
	const collect = (entry: unknown): void => {
		if (entry === undefined || entry === null) return;
		if (Array.isArray(entry)) entry.forEach(collect);
		else if (typeof entry === 'number' && Number.isFinite(entry)) raw.push(String(entry));
		else if (typeof entry === 'string') raw.push(...entry.split(ID_SEPARATORS));
		else if (typeof entry === 'object' && 'value' in (entry as object))
			collect((entry as { value: unknown }).value);
		else
			throw createValidationError(
				node,
				`'${field.displayName}' contains a value that is not an ID: ${JSON.stringify(entry)}`,
				{
					itemIndex: field.itemIndex,
				},
			);
	};
	collect(value);
	const ids = [...new Set(raw.map((id) => String(id).trim()).filter((id) => id !== ''))];
	if (field.numeric) {
		const bad = ids.find((id) => !/^\d+$/.test(id) || !Number.isSafeInteger(Number(id)));
		if (bad !== undefined) {
			throw createValidationError(
				node,
				`'${field.displayName}' contains '${bad}', which is not a numeric ID (a whole number of at most 16 digits)`,
				{
					itemIndex: field.itemIndex,
					description: field.numericHint ?? 'These IDs are numbers.',
				},
			);
		}
	}
	return ids;
}

function describeKind(value: unknown): string {
	if (Array.isArray(value)) return 'a list (array)';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A free-text field as it may be sent: strings as they are, numbers as their digits. Anything else
 * (an object or array from an expression) would go out as "[object Object]" or "a,b", so it is
 * refused with the field's name. Empty is '' (callers decide whether that is allowed).
 */
export function textValue(node: INode, value: unknown, field: FieldRef): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw createValidationError(
		node,
		`'${field.displayName}' must be text, but the expression gave ${describeKind(value)}`,
		{
			itemIndex: field.itemIndex,
			description:
				'Map a single text or number field (for example {{ $json.message }}), or turn the value into text yourself, for example with {{ JSON.stringify($json.data) }}.',
		},
	);
}

/** A whole number within [min, max], from a number field or an expression. */
export function integerValue(
	node: INode,
	value: unknown,
	field: FieldRef & { min: number; max: number },
): number {
	const number = numberInRange(value, { ...field, whole: true });
	if (number === undefined) {
		throw createValidationError(
			node,
			`'${field.displayName}' must be a whole number from ${field.min} to ${field.max}, got ${JSON.stringify(value) ?? String(value)}`,
			{ itemIndex: field.itemIndex },
		);
	}
	return number;
}
