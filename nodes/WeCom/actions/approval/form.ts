import type { IDataObject, INode, ResourceMapperField } from 'n8n-workflow';
import { DECIMAL_HINT, decimalText, listOf } from '../../../shared/actions/formMapping';

import { formatWallTime, instantOf, wallTimeAt, wallTimeOf } from '../../../shared/actions/dates';
import { createValidationError } from '../../../shared/errors';
import { CREATE_LIMITS } from '../../platform/approvals';

/**
 * An approval template's form as the node works with it: parsed from gettemplatedetail's controls
 * (https://developer.work.weixin.qq.com/document/path/91982, reference B17: `property` plus a
 * `config` by control), turned into resource mapper fields keyed by the controls' titles, the
 * values the user entered encoded as applyevent's `apply_data.contents`
 * (https://developer.work.weixin.qq.com/document/path/91853), and an application's contents
 * decoded back into `{title: value}`.
 */
export interface FormControl {
	control: string;
	id: string;
	title: string;
	/** The field's name in the node: the title, or "title (id)" where two controls share a title. */
	key: string;
	required: boolean;
	placeholder: string;
	/** Selector options: `key` is what applyevent sends, `text` what people read. */
	options: Array<{ key: string; text: string }>;
	selectorType?: string;
	/** Date: `day` (a date) or `hour` (a date and a time). */
	dateType?: string;
	/** Contact: `single` or `multi`, of `user`s or `department`s. */
	contactType?: string;
	contactMode?: string;
	/** Table: the controls of one row. */
	children: FormControl[];
	/** Tips: the text the form shows. */
	tips?: string;
}

/** Controls the form shows but applyevent takes nothing for. */
const NOT_SENT = new Set(['Tips']);
/** Controls whose values the node encodes itself; any other control takes its value as JSON. */
const KNOWN = new Set([
	'Text',
	'Textarea',
	'Number',
	'Money',
	'Date',
	'Selector',
	'Contact',
	'File',
	'Table',
]);

const text = (value: unknown): string =>
	typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);

const record = (value: unknown): IDataObject =>
	value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};

/** The text of a `[{text, lang}]` list: the Chinese one where there are several, else the first. */
export function langText(value: unknown): string {
	if (!Array.isArray(value)) return text(value);
	const entries = value.map(record);
	const chosen = entries.find((entry) => entry.lang === 'zh_CN' && text(entry.text)) ?? entries[0];
	return text(chosen?.text);
}

/** A Tips control's plain text (`tips_content[].text.sub_text[].content.plain_text.content`). */
function tipsText(config: IDataObject): string | undefined {
	const content = record(config.tips).tips_content;
	if (!Array.isArray(content)) return undefined;
	const parts = content.flatMap((entry) => {
		const sub = record(record(entry).text).sub_text;
		return Array.isArray(sub)
			? sub.map((part) => {
					const inner = record(record(part).content);
					return text(record(inner.plain_text).content || record(inner.link).title);
				})
			: [];
	});
	const joined = parts.filter(Boolean).join('');
	return joined || undefined;
}

function parseControl(item: unknown): FormControl | undefined {
	const { property: rawProperty, config: rawConfig } = record(item);
	const property = record(rawProperty);
	const config = record(rawConfig);
	const control = text(property.control);
	const id = text(property.id);
	if (!control || !id) return undefined;
	const title = langText(property.title) || id;
	const selector = record(config.selector);
	const contact = record(config.contact);
	const table = record(config.table);
	const parsed: FormControl = {
		control,
		id,
		title,
		key: title,
		required: Number(property.require) === 1,
		placeholder: langText(property.placeholder),
		options: (Array.isArray(selector.options) ? selector.options : []).map((option) => ({
			key: text(record(option).key),
			text: langText(record(option).value) || text(record(option).key),
		})),
		children: parseControls(table.children),
	};
	if (control === 'Selector') parsed.selectorType = text(selector.type) || 'single';
	if (control === 'Date') parsed.dateType = text(record(config.date).type) || 'day';
	if (control === 'Contact') {
		parsed.contactType = text(contact.type) || 'single';
		parsed.contactMode = text(contact.mode) || 'user';
	}
	if (control === 'Tips') parsed.tips = tipsText(config);
	return parsed;
}

/** Field names of controls that share a title get the control's id, so every name is unique. */
function uniqueKeys<T extends { title: string; id: string }>(
	controls: T[],
): Array<T & { key: string }> {
	const counts = new Map<string, number>();
	for (const control of controls) counts.set(control.title, (counts.get(control.title) ?? 0) + 1);
	return controls.map((control) => ({
		...control,
		key: (counts.get(control.title) ?? 0) > 1 ? `${control.title} (${control.id})` : control.title,
	}));
}

/** The template's controls, from gettemplatedetail's `template_content.controls`. */
export function parseControls(controls: unknown): FormControl[] {
	const parsed = (Array.isArray(controls) ? controls : [])
		.map(parseControl)
		.filter((c): c is FormControl => c !== undefined);
	return uniqueKeys(parsed);
}

/** The controls the node fills in (Tips only show text). */
export const sendable = (controls: FormControl[]): FormControl[] =>
	controls.filter((control) => !NOT_SENT.has(control.control));

const dateFormat = (control: FormControl) =>
	control.dateType === 'hour' ? 'yyyy-MM-dd HH:mm' : 'yyyy-MM-dd';

const tableExample = (control: FormControl) =>
	`[{${sendable(control.children)
		.map((child) => `"${child.key}": …`)
		.join(', ')}}]`;

/** What each kind of field takes, shown after its title in the node. */
function fieldHint(control: FormControl): string {
	const several = control.contactType === 'multi';
	switch (control.control) {
		case 'Date':
			return ` (${dateFormat(control)})`;
		case 'Selector':
			return control.selectorType === 'multi'
				? // Short: the editor cuts long labels off. A wrong option's error lists the options.
					` (e.g. ${control.options
						.slice(0, 2)
						.map((o) => o.text)
						.join(', ')})`
				: '';
		case 'Contact':
			if (control.contactMode === 'department') return several ? ' (dept IDs)' : ' (a dept ID)';
			return several ? ' (userids)' : ' (a userid)';
		case 'File':
			return ' (binary fields, e.g. data)';
		case 'Table':
			return ' (JSON rows)';
		default:
			return KNOWN.has(control.control) ? '' : ` (JSON: the ${control.control} value)`;
	}
}

/** Resource mapper fields of the form: one per control the node can fill in. */
export function formFields(controls: FormControl[]): ResourceMapperField[] {
	return sendable(controls).map((control) => {
		const select =
			control.control === 'Selector' &&
			control.selectorType !== 'multi' &&
			control.options.length > 0;
		return {
			id: control.key,
			displayName: `${control.key}${fieldHint(control)}`,
			required: control.required,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: select
				? 'options'
				: ['Number', 'Money'].includes(control.control)
					? 'number'
					: 'string',
			...(select ? { options: control.options.map((o) => ({ name: o.text, value: o.key })) } : {}),
		};
	});
}

/** The template in a readable form (Get Template): each control with what it takes. */
export function describeControl(control: FormControl): IDataObject {
	return {
		id: control.id,
		control: control.control,
		title: control.title,
		required: control.required,
		...(control.placeholder ? { placeholder: control.placeholder } : {}),
		...(control.control === 'Selector'
			? { selectorType: control.selectorType, options: control.options }
			: {}),
		...(control.control === 'Date' ? { dateType: control.dateType } : {}),
		...(control.control === 'Contact'
			? { contactType: control.contactType, contactMode: control.contactMode }
			: {}),
		...(control.control === 'Table' ? { children: control.children.map(describeControl) } : {}),
		...(control.tips ? { tips: control.tips } : {}),
	};
}

export interface FormContext {
	node: INode;
	itemIndex: number;
	/** The workflow's time zone, in which dates are read. */
	timeZone: string;
	/** The names of the item's binary fields, for File controls. */
	binaryFields: string[];
}

const isEmpty = (value: unknown) =>
	value === undefined ||
	value === null ||
	(typeof value === 'string' && value.trim() === '') ||
	(Array.isArray(value) && value.length === 0);

function refuse(ctx: FormContext, message: string, description?: string): never {
	throw createValidationError(ctx.node, message, {
		itemIndex: ctx.itemIndex,
		...(description ? { description } : {}),
	});
}

/** A File slot of the contents, filled with the media_id of the binary field's upload. */
export interface Attachment {
	field: string;
	/** The field of the form it belongs to, for errors. */
	label: string;
	slot: IDataObject;
}

interface Encoding {
	ctx: FormContext;
	attachments: Attachment[];
}

function encodeNumber(label: string, value: unknown, ctx: FormContext): string {
	const decimal = decimalText(value);
	if (decimal === undefined)
		refuse(ctx, `${label} must be a number, got ${JSON.stringify(value)}`, DECIMAL_HINT);
	return decimal;
}

/** s_timestamp: Unix seconds as a string, of the wall-clock date (and time) in the time zone. */
function encodeDate(control: FormControl, label: string, value: unknown, ctx: FormContext): string {
	const wall = wallTimeOf(value, ctx.timeZone);
	if (!wall) {
		const format = dateFormat(control);
		refuse(
			ctx,
			`${label} is not a date: ${JSON.stringify(value)}`,
			`Enter it as ${format}, e.g. ${format === 'yyyy-MM-dd' ? '2026-12-03' : '2026-12-03 09:30'}, or map a date from an earlier node. It is read in the workflow's time zone (${ctx.timeZone}).`,
		);
	}
	const day = control.dateType !== 'hour';
	const instant = instantOf(day ? { ...wall, hour: 0, minute: 0 } : wall, ctx.timeZone);
	return String(Math.floor(instant.getTime() / 1000));
}

function chooseOptions(
	control: FormControl,
	label: string,
	chosen: string[],
	ctx: FormContext,
): Array<{ key: string }> {
	const keys: string[] = [];
	const unknown: string[] = [];
	for (const choice of chosen) {
		const option =
			control.options.find((o) => o.key === choice) ??
			control.options.find((o) => o.text === choice);
		if (!option) unknown.push(choice);
		else if (!keys.includes(option.key)) keys.push(option.key);
	}
	if (unknown.length) {
		refuse(
			ctx,
			`${label} has no option ${unknown.map((u) => `"${u}"`).join(', ')}`,
			`Choose from the template's options: ${control.options.map((o) => `${o.text} (${o.key})`).join(', ')}.`,
		);
	}
	return keys.map((key) => ({ key }));
}

function encodeTable(control: FormControl, label: string, value: unknown, encoding: Encoding) {
	const { ctx } = encoding;
	let rows: unknown = value;
	if (typeof value === 'string') {
		try {
			rows = JSON.parse(value);
		} catch {
			rows = undefined;
		}
	}
	if (rows && typeof rows === 'object' && !Array.isArray(rows)) rows = [rows];
	if (
		!Array.isArray(rows) ||
		rows.some((row) => !row || typeof row !== 'object' || Array.isArray(row))
	) {
		refuse(
			ctx,
			`${label} must be a list of rows`,
			`Enter a JSON array with one object per row, e.g. ${tableExample(control)}, or map such an array from an earlier node.`,
		);
	}
	const columns = sendable(control.children);
	const known = new Set(columns.map((c) => c.key));
	return (rows as IDataObject[]).map((row, index) => {
		const where = `row ${index + 1} of '${control.key}'`;
		const unknown = Object.keys(row).filter((key) => !known.has(key));
		if (unknown.length)
			refuse(
				ctx,
				`${where[0].toUpperCase()}${where.slice(1)} has no column ${unknown.map((u) => `"${u}"`).join(', ')}`,
				`Its columns are: ${[...known].join(', ')}.`,
			);
		const list = columns.flatMap((child) => {
			const cell = row[child.key];
			if (isEmpty(cell)) {
				if (child.required)
					refuse(
						ctx,
						`${where[0].toUpperCase()}${where.slice(1)} needs '${child.key}'`,
						`'${child.key}' is required in every row of '${control.key}'.`,
					);
				return [];
			}
			return [encodeContent(child, `'${child.key}' in ${where}`, cell, encoding)];
		});
		return { list };
	});
}

/** One control's `{control, id, value}` for applyevent. `label` names it in errors. */
function encodeContent(
	control: FormControl,
	label: string,
	value: unknown,
	encoding: Encoding,
): IDataObject {
	const { ctx } = encoding;
	const content = (inner: IDataObject): IDataObject => ({
		control: control.control,
		id: control.id,
		value: inner,
	});
	switch (control.control) {
		case 'Text':
		case 'Textarea': {
			if (typeof value === 'object')
				refuse(ctx, `${label} must be text, got ${JSON.stringify(value)}`);
			return content({ text: text(value) });
		}
		case 'Number':
			return content({ new_number: encodeNumber(label, value, ctx) });
		case 'Money':
			return content({ new_money: encodeNumber(label, value, ctx) });
		case 'Date':
			return content({
				date: {
					type: control.dateType ?? 'day',
					s_timestamp: encodeDate(control, label, value, ctx),
				},
			});
		case 'Selector': {
			const chosen = listOf(value);
			if (control.selectorType !== 'multi' && chosen.length > 1)
				refuse(ctx, `${label} takes one option, got ${chosen.length}`);
			return content({
				selector: {
					type: control.selectorType ?? 'single',
					options: chooseOptions(control, label, chosen, ctx),
				},
			});
		}
		case 'Contact': {
			const ids = listOf(value);
			const department = control.contactMode === 'department';
			if (control.contactType !== 'multi' && ids.length > 1)
				refuse(
					ctx,
					`${label} takes one ${department ? 'department' : 'person'}, got ${ids.length}`,
				);
			if (department) {
				const wrong = ids.find((id) => !/^\d+$/.test(id));
				if (wrong !== undefined)
					refuse(ctx, `${label} takes department IDs (numbers), got "${wrong}"`);
				return content({ departments: ids.map((id) => ({ openapi_id: id })) });
			}
			return content({ members: ids.map((userid) => ({ userid })) });
		}
		case 'File': {
			const fields = listOf(value);
			const missing = fields.find((field) => !ctx.binaryFields.includes(field));
			if (missing !== undefined)
				refuse(
					ctx,
					`${label} names the binary field '${missing}', which the item does not have`,
					ctx.binaryFields.length
						? `Its binary fields are: ${ctx.binaryFields.join(', ')}.`
						: 'The item has no binary data: read or download the file first (e.g. Read/Write Files from Disk, HTTP Request).',
				);
			const files = fields.map((field) => {
				const slot: IDataObject = { file_id: '' };
				encoding.attachments.push({ field, label, slot });
				return slot;
			});
			return content({ files });
		}
		case 'Table':
			return content({ children: encodeTable(control, label, value, encoding) });
		default: {
			let parsed: unknown = value;
			if (typeof value === 'string') {
				try {
					parsed = JSON.parse(value);
				} catch {
					parsed = undefined;
				}
			}
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
				refuse(
					ctx,
					`${label} must be a JSON object: the value of a ${control.control} control as WeCom takes it`,
					'See the applyevent page of the WeCom docs for the shape, or use Define Form: Using JSON.',
				);
			return content(parsed as IDataObject);
		}
	}
}

export interface EncodedForm {
	contents: IDataObject[];
	/** File slots to fill with media_ids when the item runs, in form order. */
	attachments: Attachment[];
}

/**
 * applyevent's `apply_data.contents` from the values the user entered (keyed by the fields'
 * names). Every missing required field and every wrong value is refused here, naming the field by
 * its title and the item, before anything is sent.
 */
export function encodeForm(
	controls: FormControl[],
	values: IDataObject,
	ctx: FormContext & { ignoreUnknown?: boolean },
): EncodedForm {
	const fields = sendable(controls);
	const known = new Set(fields.map((c) => c.key));
	const unknown = Object.keys(values).filter((key) => !known.has(key) && !isEmpty(values[key]));
	if (unknown.length && !ctx.ignoreUnknown) {
		refuse(
			ctx,
			`The template's form has no field ${unknown.map((u) => `'${u}'`).join(', ')}`,
			`Its fields are: ${[...known].join(', ')}. Reload the fields in the node if the template changed.`,
		);
	}
	const encoding: Encoding = { ctx, attachments: [] };
	const contents: IDataObject[] = [];
	for (const control of fields) {
		const value = values[control.key];
		if (isEmpty(value)) {
			if (control.required)
				refuse(
					ctx,
					`'${control.key}' is required by the template`,
					'Fill it in, or map a value to it.',
				);
			continue;
		}
		const content = encodeContent(control, `'${control.key}'`, value, encoding);
		const inner = record(content.value);
		const emptyChoice =
			(control.control === 'Selector' && !(record(inner.selector).options as unknown[])?.length) ||
			(control.control === 'Contact' &&
				!((inner.members ?? inner.departments) as unknown[])?.length) ||
			(['File', 'Table'].includes(control.control) &&
				!((inner.files ?? inner.children) as unknown[])?.length);
		if (emptyChoice) {
			if (control.required) refuse(ctx, `'${control.key}' is required by the template`);
			continue;
		}
		contents.push(content);
	}
	if (encoding.attachments.length > CREATE_LIMITS.attachments) {
		refuse(
			ctx,
			`The form has ${encoding.attachments.length} attachments, more than WeCom's ${CREATE_LIMITS.attachments} per application`,
			'Attach at most 6 files in all (File fields and File columns of tables together).',
		);
	}
	return { contents, attachments: encoding.attachments };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as ISO text with the offset of the time zone, e.g. 2026-12-03T09:30:00+08:00. */
export function isoInZone(ms: number, timeZone: string): string {
	const wall = wallTimeAt(new Date(ms), timeZone);
	const minute = Math.floor(ms / 60_000) * 60_000;
	const offset = Math.round(
		(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) - minute) / 60_000,
	);
	const sign = offset < 0 ? '-' : '+';
	const abs = Math.abs(offset);
	const seconds = pad(Math.floor((ms - minute) / 1000));
	return `${formatWallTime(wall, false)}T${pad(wall.hour)}:${pad(wall.minute)}:${seconds}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const numberOf = (value: unknown) => {
	const raw = text(value);
	return raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
};

/** One content's value as users read it. */
function decodeValue(control: string, value: IDataObject, timeZone: string): unknown {
	switch (control) {
		case 'Text':
		case 'Textarea':
			return text(value.text);
		case 'Number':
			return numberOf(value.new_number);
		case 'Money':
			return numberOf(value.new_money);
		case 'Date': {
			const date = record(value.date);
			const seconds = Number(date.s_timestamp);
			if (!Number.isFinite(seconds) || text(date.s_timestamp) === '') return null;
			return date.type === 'hour'
				? isoInZone(seconds * 1000, timeZone)
				: formatWallTime(wallTimeAt(new Date(seconds * 1000), timeZone), false);
		}
		case 'Selector': {
			const selector = record(value.selector);
			const texts = (Array.isArray(selector.options) ? selector.options : []).map(
				(option) => langText(record(option).value) || text(record(option).key),
			);
			return selector.type === 'multi' ? texts : (texts[0] ?? null);
		}
		case 'Contact': {
			const members = Array.isArray(value.members) ? value.members : [];
			const departments = Array.isArray(value.departments) ? value.departments : [];
			return members.length || !departments.length
				? members.map((member) => text(record(member).userid))
				: departments.map((department) => text(record(department).openapi_id));
		}
		case 'File':
			return (Array.isArray(value.files) ? value.files : []).map((file) =>
				text(record(file).file_id),
			);
		case 'Table':
			return (Array.isArray(value.children) ? value.children : []).map((row) =>
				decodeContents(record(row).list, timeZone),
			);
		default:
			return value;
	}
}

/**
 * An application's `apply_data.contents` as `{title: value}`: selectors as their option texts,
 * dates as yyyy-MM-dd (day) or ISO text (hour) in the time zone, people as userids, departments
 * as IDs, files as file ids, tables as rows of `{column title: value}`. Tips are left out.
 */
export function decodeContents(contents: unknown, timeZone: string): IDataObject {
	const entries = uniqueKeys(
		(Array.isArray(contents) ? contents : [])
			.map(record)
			.filter((content) => !NOT_SENT.has(text(content.control)))
			.map((content) => ({
				content,
				id: text(content.id),
				title: langText(content.title) || text(content.id),
			})),
	);
	const form: IDataObject = {};
	for (const { content, key } of entries) {
		form[key] = decodeValue(
			text(content.control),
			record(content.value),
			timeZone,
		) as IDataObject[string];
	}
	return form;
}
