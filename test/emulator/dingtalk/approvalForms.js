// @ts-check
'use strict';

const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');

/**
 * Approval form schemas (审批表单) and the encoding of form values on create. Docs:
 * - schema shape `items[] = {componentName, props, children}`:
 *   https://open.dingtalk.com/document/development/obtain-the-form-schema
 * - the controls' props and "FormComponentValues 参数说明" (one example value per control):
 *   https://open.dingtalk.com/document/development/oa-formcomponent-message
 * - the create page's request-example comments and 特别提醒 (options must be configured, contacts
 *   must be active members, departments must exist, related instances must exist):
 *   https://open.dingtalk.com/document/development/create-an-approval-instance
 *
 * `value` is always a string; arrays and objects travel as JSON text inside it (reference A15).
 *
 * @typedef {{ componentName: string, props: Record<string, any>, children?: FormItem[] }} FormItem
 * @typedef {{ id: string, name: string, value: string, extValue: string, componentType: string, bizAlias: string }} FormValue
 * @typedef {object} FormLookups               what the checks need from the organisation
 * @property {(userid: string) => { active: boolean } | undefined} user
 * @property {(deptId: number) => boolean} department
 * @property {(instanceId: string) => boolean} instance
 * @typedef {{ values: FormValue[] } | { illegal: string } | { failed: string }} FormReading
 *   `illegal`: a malformed entry (illegalComponent); `failed`: the control that failed (formConverterError)
 */

/** componentName values of the schema page, plus TimeAndLocationField from the create page. */
const COMPONENT_NAMES = [
	'TextField',
	'TextareaField',
	'NumberField',
	'MoneyField',
	'DDSelectField',
	'DDMultiSelectField',
	'DDDateField',
	'DDDateRangeField',
	'TextNote',
	'PhoneField',
	'DDPhotoField',
	'TableField',
	'DDAttachment',
	'InnerContactField',
	'DepartmentField',
	'RelateField',
	'AddressField',
	'StarRatingField',
	'FormRelateField',
	'TimeAndLocationField',
];

/** Create-page limits: formComponentValues ≤ 150 entries, value and extValue ≤ 65535 characters. */
const MAX_FORM_VALUES = 150;
const MAX_VALUE_LENGTH = 65535;
/** Template-side limits (oa-formcomponent-message): id and bizAlias ≤ 64, label ≤ 20 (JSON labels of ranges excepted), TextNote content ≤ 500. */
const MAX_ID_LENGTH = 64;
const MAX_LABEL_LENGTH = 20;
const MAX_NOTE_LENGTH = 500;
/** The attachment keys the create page says every file must carry. */
const ATTACHMENT_KEYS = ['spaceId', 'fileName', 'fileSize', 'fileType', 'fileId'];

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/;
/** Domestic numbers with or without +86, foreign ones with their country code, landlines with or without the area code (create page comment). */
const PHONE = /^\+?[0-9][0-9 -]{3,24}$/;

/** JSON text → array, or undefined. */
function jsonArray(/** @type {string} */ text) {
	try {
		const value = JSON.parse(text);
		return Array.isArray(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

/**
 * "yyyy-MM-dd" or "yyyy-MM-dd HH:mm" → ms (as UTC, only for comparisons), or undefined. The
 * create page's comments allow only yyyy-MM-dd, the control page shows "yyyy-MM-dd HH:mm" for
 * hour controls (reference A15: unverified), so both forms are accepted whatever the control's
 * `format`.
 */
function parseDate(/** @type {unknown} */ text) {
	if (typeof text !== 'string') return undefined;
	const match = DATE.exec(text);
	if (!match) return undefined;
	const [year, month, day, hour = 0, minute = 0] = match.slice(1).map((part) => Number(part ?? 0));
	const ms = Date.UTC(year, month - 1, day, hour, minute);
	const date = new Date(ms);
	if (
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day ||
		hour > 23 ||
		minute > 59
	)
		return undefined;
	return ms;
}

/** The option texts of a select: `options` as strings (schema page) or `{value}` (template page), plus `objOptions[].value`. */
function optionValues(/** @type {Record<string, any>} */ props) {
	const options = [...(Array.isArray(props.options) ? props.options : [])].map((option) =>
		isPlainObject(option) ? String(option.value) : String(option),
	);
	if (Array.isArray(props.objOptions))
		for (const option of props.objOptions)
			if (isPlainObject(option)) options.push(String(option.value));
	return options;
}

/** A label is matched exactly; JSON labels (date ranges) also when the JSON is equal. */
function labelMatches(/** @type {unknown} */ label, /** @type {unknown} */ name) {
	if (typeof label !== 'string' || typeof name !== 'string') return false;
	if (label === name) return true;
	const a = jsonArray(label);
	const b = jsonArray(name);
	return Boolean(a && b && JSON.stringify(a) === JSON.stringify(b));
}

/** Multi-valued controls whose empty value is "[]". */
const ARRAY_VALUED = new Set([
	'DDMultiSelectField',
	'DDDateRangeField',
	'InnerContactField',
	'DDPhotoField',
	'DDAttachment',
	'RelateField',
	'TableField',
	'TimeAndLocationField',
]);

/** A value that counts as "not filled in" for the required check. */
function isBlank(/** @type {FormItem} */ item, /** @type {string} */ value) {
	if (value.trim() === '') return true;
	if (!ARRAY_VALUED.has(item.componentName)) return false;
	const list = jsonArray(value);
	return Boolean(list && list.length === 0);
}

const isStringList = (/** @type {unknown[]} */ list) =>
	list.every((item) => typeof item === 'string' && item !== '');

/**
 * Whether a non-blank value is correctly encoded for its control (reference A15, create page).
 * @param {FormItem} item
 * @param {string} value
 * @param {FormLookups} lookups
 * @returns {boolean}
 */
function valueFits(item, value, lookups) {
	const { props } = item;
	switch (item.componentName) {
		case 'TextField':
		case 'TextareaField':
			return true;
		case 'NumberField':
		case 'MoneyField':
			return DECIMAL.test(value.trim());
		case 'DDSelectField':
			return optionValues(props).includes(value);
		case 'DDMultiSelectField': {
			const list = jsonArray(value);
			const options = optionValues(props);
			return Boolean(list && isStringList(list) && list.every((item) => options.includes(item)));
		}
		case 'DDDateField':
			return parseDate(value) !== undefined;
		case 'DDDateRangeField': {
			const list = jsonArray(value);
			if (!list || list.length !== 2) return false;
			const [start, end] = list.map(parseDate);
			return start !== undefined && end !== undefined && start <= end;
		}
		case 'InnerContactField': {
			const list = jsonArray(value);
			if (!list || !isStringList(list)) return false;
			// choice 0 (the default) = single (oa-formcomponent-message: "1标识支持多选，0标识单选，默认为0").
			if (Number(props.choice ?? 0) !== 1 && list.length > 1) return false;
			return list.every((userid) => lookups.user(userid)?.active === true);
		}
		case 'DepartmentField': {
			const ids = value.split(',').map((part) => part.trim());
			if (ids.some((id) => !/^\d+$/.test(id))) return false;
			if (props.multiple === false && ids.length > 1) return false;
			return ids.every((id) => lookups.department(Number(id)));
		}
		case 'DDPhotoField': {
			const list = jsonArray(value);
			return Boolean(list && isStringList(list) && list.every((url) => /^https?:\/\//.test(url)));
		}
		case 'DDAttachment': {
			const list = jsonArray(value);
			return Boolean(
				list?.every(
					(file) =>
						isPlainObject(file) &&
						ATTACHMENT_KEYS.every(
							(key) =>
								(typeof file[key] === 'string' && file[key] !== '') ||
								typeof file[key] === 'number',
						),
				),
			);
		}
		case 'RelateField': {
			const list = jsonArray(value);
			return Boolean(list && isStringList(list) && list.every((id) => lookups.instance(id)));
		}
		case 'PhoneField':
			return PHONE.test(value.trim());
		case 'AddressField': {
			const parts = value.split(',');
			return parts.length >= 2 && parts.length <= 4 && parts.every((part) => part.trim() !== '');
		}
		case 'StarRatingField': {
			const limit = Number(props.limit ?? 5);
			return /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= limit;
		}
		case 'TimeAndLocationField': {
			const list = jsonArray(value);
			return Boolean(list && list.length === 5);
		}
		default:
			return true;
	}
}

/** Matches an entry `{id?, bizAlias?, name}` to a control: by id, then bizAlias, then name = label. */
function findControl(/** @type {FormItem[]} */ items, /** @type {Record<string, any>} */ entry) {
	const byKey = (/** @type {'id'|'bizAlias'} */ key) =>
		typeof entry[key] === 'string' && entry[key] !== ''
			? items.find((item) => item.props[key] === entry[key])
			: undefined;
	return (
		byKey('id') ??
		byKey('bizAlias') ??
		items.find((item) => labelMatches(item.props.label, entry.name))
	);
}

/** The name a failing control is reported by: its label (TextNote: its id). */
const controlName = (/** @type {FormItem} */ item) => String(item.props.label ?? item.props.id);

/**
 * A TableField value: JSON rows × `[{name, value}]` cells, cell name = a child's label (or id /
 * bizAlias); each cell checked like a top-level value, required children filled in every row.
 * Returns the failing control (`表格.子控件`, or the table itself when the JSON is wrong).
 * @param {FormItem} table @param {string} value @param {FormLookups} lookups
 * @returns {string | undefined}
 */
function tableProblem(table, value, lookups) {
	const label = controlName(table);
	const rows = jsonArray(value);
	const children = table.children ?? [];
	if (!rows || !rows.every((row) => Array.isArray(row))) return label;
	for (const row of rows) {
		/** @type {Set<FormItem>} */
		const filled = new Set();
		for (const cell of row) {
			if (!isPlainObject(cell)) return label;
			const child = findControl(children, cell);
			if (!child) return `${label}.${String(cell.name ?? cell.id ?? '')}`;
			const childName = `${label}.${controlName(child)}`;
			if (typeof cell.value !== 'string' || filled.has(child)) return childName;
			if (isBlank(child, cell.value)) continue;
			if (!valueFits(child, cell.value, lookups)) return childName;
			filled.add(child);
		}
		const missing = children.find((child) => child.props.required === true && !filled.has(child));
		if (missing) return `${label}.${controlName(missing)}`;
	}
	return undefined;
}

/**
 * Reads `formComponentValues` against a template's controls.
 * @param {FormItem[]} items the template's top-level controls
 * @param {unknown} entries the request's formComponentValues
 * @param {FormLookups} lookups
 * @returns {FormReading}
 */
function readFormValues(items, entries, lookups) {
	if (entries === undefined || entries === null) entries = [];
	if (!Array.isArray(entries)) return { illegal: 'formComponentValues must be an array' };
	if (entries.length > MAX_FORM_VALUES)
		return { illegal: `formComponentValues holds at most ${MAX_FORM_VALUES} entries` };
	/** @type {Map<FormItem, FormValue>} */
	const given = new Map();
	for (const entry of entries) {
		if (!isPlainObject(entry)) return { illegal: 'an entry is not an object' };
		const hasKey = ['name', 'id', 'bizAlias'].some(
			(key) => typeof entry[key] === 'string' && entry[key] !== '',
		);
		if (!hasKey) return { illegal: 'an entry has no name' };
		if (typeof entry.value === 'string' && entry.value.length > MAX_VALUE_LENGTH)
			return { illegal: `a value is over ${MAX_VALUE_LENGTH} characters` };
		if (
			entry.extValue !== undefined &&
			entry.extValue !== null &&
			(typeof entry.extValue !== 'string' || entry.extValue.length > MAX_VALUE_LENGTH)
		)
			return { illegal: 'extValue must be a string of at most 65535 characters' };
		const item = findControl(items, entry);
		if (!item) return { failed: String(entry.name ?? entry.id ?? entry.bizAlias) };
		const name = controlName(item);
		// TextNote is fixed in the template ("不支持发起审批实例时修改"); a value given twice is refused too.
		if (item.componentName === 'TextNote' || given.has(item)) return { failed: name };
		if (typeof entry.value !== 'string') return { failed: name };
		if (!isBlank(item, entry.value)) {
			const problem =
				item.componentName === 'TableField'
					? tableProblem(item, entry.value, lookups)
					: valueFits(item, entry.value, lookups)
						? undefined
						: name;
			if (problem) return { failed: problem };
		}
		given.set(item, {
			id: String(item.props.id),
			name: String(item.props.label ?? ''),
			value: entry.value,
			extValue: typeof entry.extValue === 'string' ? entry.extValue : '',
			componentType: item.componentName,
			bizAlias: String(item.props.bizAlias ?? ''),
		});
	}
	const missing = items.find(
		(item) =>
			item.props.required === true &&
			item.componentName !== 'TextNote' &&
			(!given.has(item) || isBlank(item, /** @type {FormValue} */ (given.get(item)).value)),
	);
	if (missing) return { failed: controlName(missing) };
	// Stored in the template's order, blank optional values left out (emulator choice).
	return {
		values: items
			.filter(
				(item) =>
					given.has(item) && !isBlank(item, /** @type {FormValue} */ (given.get(item)).value),
			)
			.map((item) => /** @type {FormValue} */ (given.get(item))),
	};
}

/**
 * A template's controls as addTemplate accepts them: the schema page's shape, ids unique (≤ 64),
 * labels present (but for TextNote) and unique, selects with options, tables with children.
 * @param {unknown} items
 * @param {string} [at]
 * @returns {FormItem[]} a deep copy
 */
function checkFormItems(items, at = 'schemaContent.items') {
	if (!Array.isArray(items)) throw new EmulatorInputError(`${at} must be an array of controls`);
	/** @type {Set<string>} */
	const ids = new Set();
	/** @type {Set<string>} */
	const labels = new Set();
	return items.map((item, index) => {
		const where = `${at}[${index}]`;
		if (!isPlainObject(item) || !isPlainObject(item.props))
			throw new EmulatorInputError(`${where} must be {componentName, props, children?}`);
		const { componentName, props } = item;
		if (!COMPONENT_NAMES.includes(componentName))
			throw new EmulatorInputError(
				`${where}.componentName must be one of ${COMPONENT_NAMES.join(', ')}, got ${JSON.stringify(componentName)}`,
			);
		if (typeof props.id !== 'string' || props.id === '' || props.id.length > MAX_ID_LENGTH)
			throw new EmulatorInputError(
				`${where}.props.id must be a string of 1…${MAX_ID_LENGTH} characters`,
			);
		if (ids.has(props.id))
			throw new EmulatorInputError(`${where}.props.id ${props.id} is used twice`);
		ids.add(props.id);
		if (componentName === 'TextNote') {
			if (typeof props.content === 'string' && props.content.length > MAX_NOTE_LENGTH)
				throw new EmulatorInputError(
					`${where}.props.content is over ${MAX_NOTE_LENGTH} characters`,
				);
		} else {
			const label = props.label;
			const isJsonLabel = typeof label === 'string' && jsonArray(label) !== undefined;
			if (
				typeof label !== 'string' ||
				label === '' ||
				(!isJsonLabel && label.length > MAX_LABEL_LENGTH)
			)
				throw new EmulatorInputError(
					`${where}.props.label must be a string of 1…${MAX_LABEL_LENGTH} characters`,
				);
			if (labels.has(label))
				throw new EmulatorInputError(`${where}.props.label ${label} is used twice`);
			labels.add(label);
		}
		if (props.required !== undefined && typeof props.required !== 'boolean')
			throw new EmulatorInputError(`${where}.props.required must be a boolean`);
		if (
			(componentName === 'DDSelectField' || componentName === 'DDMultiSelectField') &&
			optionValues(props).length === 0
		)
			throw new EmulatorInputError(`${where}.props.options must list the choices`);
		/** @type {FormItem} */
		const copy = { componentName, props: structuredClone(props) };
		if (componentName === 'TableField') {
			const children = checkFormItems(item.children, `${where}.children`);
			if (children.length === 0 || children.some((child) => child.componentName === 'TableField'))
				throw new EmulatorInputError(`${where}.children must list the columns (no nested tables)`);
			copy.children = children;
		} else if (item.children !== undefined) {
			throw new EmulatorInputError(`${where}.children: only a TableField has children`);
		}
		return copy;
	});
}

module.exports = { COMPONENT_NAMES, MAX_FORM_VALUES, readFormValues, checkFormItems, parseDate };
