import type { IDataObject, INode, ResourceMapperField } from 'n8n-workflow';

import { createValidationError } from '../../../shared/errors';
import { formatWallTime, wallTimeOf } from '../../../shared/actions/dates';
import { DECIMAL_HINT, decimalText, listOf } from '../../../shared/actions/formMapping';
import { CREATE_LIMITS } from '../../platform/approvals';

/**
 * An approval template's form as the node works with it: parsed from DingTalk's form schema
 * (https://open.dingtalk.com/document/orgapp/obtain-the-form-schema-of-an-approval-template), turned into
 * resource mapper fields, and the values the user typed encoded the way the create call takes them
 * (every value a string; arrays as JSON text, departments comma-separated, tables as rows of
 * name/value cells: https://open.dingtalk.com/document/orgapp/create-an-approval-instance).
 */
export interface FormControl {
	component: string;
	id: string;
	label: string;
	required: boolean;
	/** Choices of select fields. */
	options: string[];
	/** Date fields: yyyy-MM-dd or yyyy-MM-dd HH:mm. */
	format?: string;
	/** Contact fields: whether several people may be chosen. */
	multiple: boolean;
	/** Table fields: the controls of one row. */
	children: FormControl[];
	/** Date ranges: the labels of the start and the end (their label is a JSON array of both). */
	parts?: [string, string];
	/**
	 * The field's name in the node: its label, or "label (id)" when two controls share a label
	 * (then it is sent by its id, which DingTalk also matches).
	 */
	key: string;
	byId: boolean;
}

/** Controls that only show text in the form, and are never sent. */
const NOT_SENT = new Set(['TextNote']);

const text = (value: unknown): string =>
	typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);

/** Select options come as strings, as `{"key":…,"value":…}` JSON text, or as objects. */
function optionText(option: unknown): string {
	if (option && typeof option === 'object') {
		const record = option as IDataObject;
		return text(record.value ?? record.text ?? record.key);
	}
	const raw = text(option);
	if (raw.startsWith('{')) {
		try {
			return optionText(JSON.parse(raw));
		} catch {
			return raw;
		}
	}
	return raw;
}

function rangeParts(label: string): [string, string] {
	try {
		const parsed: unknown = JSON.parse(label);
		if (Array.isArray(parsed) && parsed.length === 2) return [text(parsed[0]), text(parsed[1])];
	} catch {
		// A plain label: name the two halves after it.
	}
	return [`${label} (start)`, `${label} (end)`];
}

function parseControl(item: unknown): FormControl | undefined {
	if (!item || typeof item !== 'object') return undefined;
	const record = item as IDataObject;
	const props = (record.props ?? {}) as IDataObject;
	const component = text(record.componentName);
	const label = text(props.label);
	if (!component || !label || NOT_SENT.has(component)) return undefined;
	const options = [
		...(Array.isArray(props.options) ? props.options : []),
		...(Array.isArray(props.objOptions) ? props.objOptions : []),
	]
		.map(optionText)
		.filter(Boolean);
	const children = Array.isArray(record.children)
		? record.children.map(parseControl).filter((c): c is FormControl => c !== undefined)
		: [];
	return {
		component,
		id: text(props.id),
		label,
		required: props.required === true || props.required === 'true',
		options: [...new Set(options)],
		format: props.format ? text(props.format) : undefined,
		multiple: component === 'InnerContactField' ? text(props.choice) !== '0' : false,
		children,
		...(component === 'DDDateRangeField' ? { parts: rangeParts(label) } : {}),
		key: label,
		byId: false,
	};
}

/** The form's controls from the schema's `schemaContent.items`. */
export function parseFormSchema(items: unknown): FormControl[] {
	const controls = (Array.isArray(items) ? items : [])
		.map(parseControl)
		.filter((c): c is FormControl => c !== undefined);
	const count = new Map<string, number>();
	for (const control of controls) count.set(control.label, (count.get(control.label) ?? 0) + 1);
	for (const control of controls) {
		if ((count.get(control.label) ?? 0) > 1 && control.id && !control.parts) {
			control.key = `${control.label} (${control.id})`;
			control.byId = true;
		}
	}
	return controls;
}

const dateFormat = (control: FormControl) =>
	/H/.test(control.format ?? '') ? 'yyyy-MM-dd HH:mm' : 'yyyy-MM-dd';

/** What each kind of field takes, shown after its label in the node. */
function fieldHint(control: FormControl): string {
	switch (control.component) {
		// Short: the editor cuts long labels off. A wrong option's error lists the options.
		case 'DDMultiSelectField':
			return control.options.length
				? ` (e.g. ${control.options.slice(0, 2).join(', ')})`
				: ' (comma-separated)';
		case 'DDDateField':
			return ` (${dateFormat(control)})`;
		case 'InnerContactField':
			return control.multiple ? ' (userids)' : ' (a userid)';
		case 'DepartmentField':
			return ' (dept IDs)';
		case 'TableField':
			return ' (JSON rows)';
		case 'DDAttachment':
			return ' (JSON)';
		case 'DDPhotoField':
			return ' (image URLs)';
		default:
			return '';
	}
}

/** Resource mapper fields of the form: one per control, two for a date range. */
export function formFields(controls: FormControl[]): ResourceMapperField[] {
	const fields: ResourceMapperField[] = [];
	const base = { defaultMatch: false, canBeUsedToMatch: false, display: true } as const;
	for (const control of controls) {
		if (control.parts) {
			for (const part of control.parts) {
				fields.push({
					...base,
					id: part,
					displayName: `${part} (${dateFormat(control)})`,
					required: control.required,
					type: 'string',
				});
			}
			continue;
		}
		const select = control.component === 'DDSelectField' && control.options.length > 0;
		fields.push({
			...base,
			id: control.key,
			displayName: `${control.key}${fieldHint(control)}`,
			required: control.required,
			type: select
				? 'options'
				: ['NumberField', 'MoneyField'].includes(control.component)
					? 'number'
					: 'string',
			...(select ? { options: control.options.map((o) => ({ name: o, value: o })) } : {}),
		});
	}
	return fields;
}

export interface FormContext {
	node: INode;
	itemIndex: number;
	/** The workflow's time zone, for dates given as instants. */
	timeZone: string;
}

const isEmpty = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function refuse(ctx: FormContext, message: string, description?: string): never {
	throw createValidationError(ctx.node, message, {
		itemIndex: ctx.itemIndex,
		...(description ? { description } : {}),
	});
}

function encodeDate(control: FormControl, label: string, value: unknown, ctx: FormContext): string {
	const date = wallTimeOf(value, ctx.timeZone);
	if (!date) {
		refuse(
			ctx,
			`'${label}' is not a date: ${JSON.stringify(value)}`,
			`Enter it as ${dateFormat(control)}, e.g. ${dateFormat(control) === 'yyyy-MM-dd' ? '2026-12-03' : '2026-12-03 09:30'}, or map a date from an earlier node.`,
		);
	}
	return formatWallTime(date, dateFormat(control) !== 'yyyy-MM-dd');
}

function encodeNumber(label: string, value: unknown, ctx: FormContext): string {
	const decimal = decimalText(value);
	if (decimal === undefined)
		refuse(ctx, `'${label}' must be a number, got ${JSON.stringify(value)}`, DECIMAL_HINT);
	return decimal;
}

function checkOptions(control: FormControl, chosen: string[], ctx: FormContext) {
	const unknown = chosen.filter((choice) => !control.options.includes(choice));
	if (unknown.length) {
		refuse(
			ctx,
			`'${control.label}' has no option ${unknown.map((u) => `"${u}"`).join(', ')}`,
			`Choose from the template's options: ${control.options.join(', ')}.`,
		);
	}
}

/** One control's value as the create call takes it (always a string). */
function encodeValue(control: FormControl, value: unknown, ctx: FormContext): string {
	const { label } = control;
	switch (control.component) {
		case 'NumberField':
		case 'MoneyField':
		case 'StarRatingField':
			return encodeNumber(label, value, ctx);
		case 'DDSelectField': {
			const choice = text(value).trim();
			if (control.options.length) checkOptions(control, [choice], ctx);
			return choice;
		}
		case 'DDMultiSelectField': {
			const chosen = listOf(value);
			if (control.options.length) checkOptions(control, chosen, ctx);
			return JSON.stringify(chosen);
		}
		case 'DDDateField':
			return encodeDate(control, label, value, ctx);
		case 'InnerContactField': {
			const userIds = listOf(value);
			if (!control.multiple && userIds.length > 1)
				refuse(ctx, `'${label}' takes one person, got ${userIds.length}`);
			return JSON.stringify(userIds);
		}
		case 'DepartmentField': {
			const ids = listOf(value);
			const wrong = ids.find((id) => !/^-?\d+$/.test(id));
			if (wrong !== undefined)
				refuse(ctx, `'${label}' takes department IDs (numbers), got "${wrong}"`);
			return ids.join(',');
		}
		case 'DDPhotoField':
			return JSON.stringify(listOf(value));
		case 'TableField':
			return JSON.stringify(encodeTable(control, value, ctx));
		case 'RelateField':
			return JSON.stringify(listOf(value));
		case 'DDAttachment':
			if (typeof value === 'string') return value;
			return JSON.stringify(Array.isArray(value) ? value : [value]);
		default:
			if (typeof value === 'object') return JSON.stringify(value);
			return text(value);
	}
}

function encodeTable(
	control: FormControl,
	value: unknown,
	ctx: FormContext,
): Array<Array<{ name: string; value: string }>> {
	let rows: unknown = value;
	if (typeof value === 'string') {
		try {
			rows = JSON.parse(value);
		} catch {
			rows = undefined;
		}
	}
	const example = `[{${control.children.map((c) => `"${c.label}": "…"`).join(', ')}}]`;
	if (
		!Array.isArray(rows) ||
		rows.some((row) => !row || typeof row !== 'object' || Array.isArray(row))
	) {
		refuse(
			ctx,
			`'${control.label}' must be a list of rows`,
			`Enter a JSON array with one object per row, e.g. ${example}, or map such an array from an earlier node.`,
		);
	}
	const known = new Set(control.children.map((c) => c.label));
	return (rows as IDataObject[]).map((row, index) => {
		const unknown = Object.keys(row).filter((key) => !known.has(key));
		if (unknown.length)
			refuse(
				ctx,
				`Row ${index + 1} of '${control.label}' has no column ${unknown.map((u) => `"${u}"`).join(', ')}`,
				`Its columns are: ${[...known].join(', ')}.`,
			);
		return control.children.flatMap((child) => {
			const cell = row[child.label];
			if (isEmpty(cell)) {
				if (child.required)
					refuse(ctx, `Row ${index + 1} of '${control.label}' needs '${child.label}'`);
				return [];
			}
			return [{ name: child.label, value: encodeValue(child, cell, ctx) }];
		});
	});
}

export interface FormValue {
	name?: string;
	id?: string;
	value: string;
}

/**
 * The create call's formComponentValues from the values the user entered (keyed by label; a date
 * range by the labels of its two halves). Every missing required field and every wrong value is
 * refused here, naming the field by its label, before anything is created.
 */
export function encodeForm(
	controls: FormControl[],
	values: IDataObject,
	ctx: FormContext & { ignoreUnknown?: boolean },
): FormValue[] {
	const known = new Set(controls.flatMap((c) => c.parts ?? [c.key]));
	const unknown = Object.keys(values).filter((key) => !known.has(key) && !isEmpty(values[key]));
	if (unknown.length && !ctx.ignoreUnknown) {
		refuse(
			ctx,
			`The template's form has no field ${unknown.map((u) => `'${u}'`).join(', ')}`,
			`Its fields are: ${[...known].join(', ')}. Reload the fields in the node if the template changed.`,
		);
	}
	const encoded: FormValue[] = [];
	for (const control of controls) {
		if (control.parts) {
			const [start, end] = control.parts.map((part) => values[part]);
			if (isEmpty(start) && isEmpty(end)) {
				if (control.required)
					refuse(ctx, `'${control.parts[0]}' and '${control.parts[1]}' are required`);
				continue;
			}
			if (isEmpty(start) || isEmpty(end))
				refuse(ctx, `'${control.parts[0]}' and '${control.parts[1]}' go together: fill in both`);
			const from = encodeDate(control, control.parts[0], start, ctx);
			const to = encodeDate(control, control.parts[1], end, ctx);
			if (from > to)
				refuse(
					ctx,
					`'${control.parts[1]}' (${to}) is before '${control.parts[0]}' (${from})`,
					'Swap the two dates, or correct one of them.',
				);
			encoded.push({ name: control.label, value: JSON.stringify([from, to]) });
			continue;
		}
		const value = values[control.key];
		if (isEmpty(value) || (Array.isArray(value) && value.length === 0)) {
			if (control.required)
				refuse(
					ctx,
					`'${control.label}' is required by the template`,
					'Fill it in, or map a value to it.',
				);
			continue;
		}
		const string = encodeValue(control, value, ctx);
		if (string.length > CREATE_LIMITS.valueChars)
			refuse(
				ctx,
				`'${control.label}' is ${string.length} characters, more than DingTalk's ${CREATE_LIMITS.valueChars}`,
			);
		encoded.push(
			control.byId ? { id: control.id, value: string } : { name: control.label, value: string },
		);
	}
	return encoded;
}

const parseJson = (value: string): unknown => {
	try {
		return JSON.parse(value);
	} catch {
		return value;
	}
};

/** A form value of an instance as users read it: arrays as arrays, tables as rows, numbers as numbers. */
function decodeValue(componentType: string, value: string): unknown {
	switch (componentType) {
		case 'NumberField':
		case 'MoneyField':
			return value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
		case 'DDMultiSelectField':
		case 'InnerContactField':
		case 'DDPhotoField':
		case 'DDAttachment':
		case 'RelateField':
			return value.startsWith('[') ? parseJson(value) : value;
		case 'DepartmentField':
			return value ? value.split(',').map((id) => id.trim()) : [];
		case 'TableField': {
			const rows = parseJson(value);
			if (!Array.isArray(rows)) return rows;
			return rows.map((row) =>
				Array.isArray(row)
					? Object.fromEntries(
							row.map((cell: IDataObject) => [
								text(cell.name ?? cell.label ?? cell.key),
								cell.value,
							]),
						)
					: row,
			);
		}
		default:
			return value;
	}
}

/** The `{label: value}` object of an instance's formComponentValues (a date range as its two halves). */
export function decodeForm(values: unknown): IDataObject {
	const form: IDataObject = {};
	for (const entry of Array.isArray(values) ? values : []) {
		if (!entry || typeof entry !== 'object') continue;
		const record = entry as IDataObject;
		const name = text(record.name);
		const value = text(record.value);
		const componentType = text(record.componentType);
		if (componentType === 'DDDateRangeField') {
			const parts = rangeParts(name);
			const dates = parseJson(value);
			if (Array.isArray(dates) && dates.length >= 2) {
				form[parts[0]] = dates[0];
				form[parts[1]] = dates[1];
				continue;
			}
		}
		form[name] = decodeValue(componentType, value) as IDataObject[string];
	}
	return form;
}
