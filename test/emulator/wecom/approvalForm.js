// @ts-check
'use strict';

const { isPlainObject } = require('../values');

/**
 * applyevent's `apply_data.contents` checked against the template's controls (审批申请数据,
 * https://developer.work.weixin.qq.com/document/path/91853; value by control: reference B17,
 * field notes of the doc as in https://github.com/xen0n/go-workwx/blob/develop/docs/oa.md).
 *
 * A refusal is `{what, detail?, wrongJson?}`: the live server answers 301025 with errmsg
 * "get approval param error:<what>" (wordings observed, see below), to which the emulator adds
 * ", <detail>" saying exactly what is wrong; `wrongJson` puts WeCom's "Warning: wrong json format. "
 * in front, as it does when a value has the wrong JSON type. Observed wordings:
 * - "invalid control id <id>" — an id the template does not have, or none
 *   (https://developers.weixin.qq.com/community/develop/doc/0000845eccc728bbaf4ef228951400,
 *   https://blog.csdn.net/hlr000000/article/details/136387495);
 * - "has no require control <id>" — a required control left out
 *   (https://developers.weixin.qq.com/community/personal/oCJUsw-tG1BMFQ8klDERWiphccFY/answer);
 * - "<id> is required" — a required control present but empty; with the warning when its value had
 *   the wrong type (`files` an object: https://developers.weixin.qq.com/community/personal/oCJUsw7zLVfgrkTa8HlxmVZMRLqQ/question);
 * - "<id>" — a value in the wrong format (https://blog.csdn.net/hlr000000/article/details/136387495);
 * - "no applydata content" — no contents; with the warning when `new_money` was a JSON number
 *   (https://developers.weixin.qq.com/community/personal/oCJUsw4it-2NGIWNT0yL7o0X2y-A/answer).
 *
 * @typedef {import('./approvalTemplates').TemplateControl} TemplateControl
 * @typedef {{ what: string, detail?: string, wrongJson?: boolean }} FormProblem
 * @typedef {{ control: string, id: string, title: import('./approvalTemplates').LangText[], value: any }} StoredContent
 *
 * @typedef {object} FormLookups                what the checks need from the corp
 * @property {(userid: string) => boolean} isActiveMember   an active (status 1) member of the corp
 * @property {(id: number) => boolean} isDepartment
 * @property {(mediaId: string) => boolean} isUsableMedia   uploaded by the corp within 3 days
 */

/** "目前一个审批申请单，全局仅支持上传6个附件，否则将失败" (File `file_id`, B17). */
const MAX_ATTACHMENTS = 6;
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** s_timestamp: Unix seconds as a string ("时间戳-字符串类型"); 13 digits would be milliseconds. */
const SECONDS = /^\d{1,10}$/;

/**
 * A JSON number where WeCom wants a string of a number (B17: new_number / new_money "a string").
 * @returns {boolean}
 */
function hasNumberTypedValue(/** @type {unknown[]} */ contents) {
	return contents.some((content) => {
		if (!isPlainObject(content) || !isPlainObject(content.value)) return false;
		const { value } = content;
		if (typeof value.new_number === 'number' || typeof value.new_money === 'number') return true;
		return (
			Array.isArray(value.children) &&
			value.children.some(
				(/** @type {unknown} */ row) =>
					isPlainObject(row) && Array.isArray(row.list) && hasNumberTypedValue(row.list),
			)
		);
	});
}

/**
 * One control's value: a problem, or whether it is empty (for the required check).
 * @param {TemplateControl} control
 * @param {Record<string, any>} value
 * @param {FormLookups} lookups
 * @param {{ files: number }} tally attachments counted so far
 * @returns {{ problem: FormProblem } | { empty: boolean }}
 */
function checkValue(control, value, lookups, tally) {
	const { id, control: type } = control.property;
	const config = control.config ?? {};
	const bad = (/** @type {string} */ detail) => ({ problem: { what: id, detail } });
	switch (type) {
		case 'Text':
		case 'Textarea': {
			if (value.text === undefined) return { empty: true };
			if (typeof value.text !== 'string') return bad('text must be a string');
			return { empty: value.text.trim() === '' };
		}
		case 'Number':
		case 'Money': {
			const key = type === 'Number' ? 'new_number' : 'new_money';
			const given = value[key];
			if (given === undefined || given === '') return { empty: true };
			if (typeof given !== 'string' || !DECIMAL.test(given.trim()))
				return bad(
					`${key} must be a number written as a string, e.g. "3.5", got ${JSON.stringify(given)}`,
				);
			return { empty: false };
		}
		case 'Date': {
			if (value.date === undefined) return { empty: true };
			if (!isPlainObject(value.date)) return bad('date must be {type, s_timestamp}');
			const want = config.date?.type;
			if (value.date.type !== want)
				return bad(
					`date.type must be "${want}" (the template's), got ${JSON.stringify(value.date.type ?? null)}`,
				);
			const stamp = value.date.s_timestamp;
			if (stamp === undefined || stamp === '') return { empty: true };
			if (typeof stamp !== 'string')
				return bad('date.s_timestamp must be a string of Unix seconds, e.g. "1700000000"');
			if (/^\d{11,}$/.test(stamp))
				return bad(`date.s_timestamp ${stamp} looks like milliseconds; WeCom wants seconds`);
			if (!SECONDS.test(stamp)) return bad(`date.s_timestamp must be Unix seconds, got "${stamp}"`);
			return { empty: false };
		}
		case 'Selector': {
			if (value.selector === undefined) return { empty: true };
			const selector = value.selector;
			if (!isPlainObject(selector)) return bad('selector must be {type, options: [{key}]}');
			const want = config.selector?.type;
			if (selector.type !== want)
				return bad(
					`selector.type must be "${want}" (the template's), got ${JSON.stringify(selector.type ?? null)}`,
				);
			if (selector.options === undefined) return { empty: true };
			if (!Array.isArray(selector.options)) return bad('selector.options must be an array');
			const known = new Set(
				(config.selector?.options ?? []).map((/** @type {{ key: string }} */ item) => item.key),
			);
			const seen = new Set();
			for (const item of selector.options) {
				const key = isPlainObject(item) ? item.key : undefined;
				if (typeof key !== 'string' || !known.has(key))
					return bad(
						`selector option key ${JSON.stringify(key ?? null)} is not one of ${[...known].join(', ')}`,
					);
				if (seen.has(key)) return bad(`selector option ${key} is chosen twice`);
				seen.add(key);
			}
			if (want === 'single' && selector.options.length > 1)
				return bad('a single selector takes one option');
			return { empty: selector.options.length === 0 };
		}
		case 'Contact': {
			const mode = config.contact?.mode;
			const single = config.contact?.type === 'single';
			const key = mode === 'department' ? 'departments' : 'members';
			const other = mode === 'department' ? 'members' : 'departments';
			if (value[other] !== undefined && !(Array.isArray(value[other]) && value[other].length === 0))
				return bad(`this Contact control takes ${key} (mode ${mode}), not ${other}`);
			const list = value[key];
			if (list === undefined) return { empty: true };
			if (!Array.isArray(list)) return bad(`${key} must be an array`);
			if (single && list.length > 1) return bad(`a single Contact control takes one of ${key}`);
			for (const item of list) {
				if (mode === 'department') {
					const openapiId = isPlainObject(item) ? item.openapi_id : undefined;
					if (typeof openapiId !== 'string' || !/^\d+$/.test(openapiId))
						return bad(
							`departments[].openapi_id must be a department id as a string, got ${JSON.stringify(openapiId ?? null)}`,
						);
					if (!lookups.isDepartment(Number(openapiId)))
						return bad(`department ${openapiId} does not exist`);
				} else {
					const userid = isPlainObject(item) ? item.userid : undefined;
					if (typeof userid !== 'string' || !lookups.isActiveMember(userid))
						return bad(
							`member ${JSON.stringify(userid ?? null)} is not an active member of the corp`,
						);
				}
			}
			return { empty: list.length === 0 };
		}
		case 'File': {
			if (value.files === undefined) return { empty: true };
			if (!Array.isArray(value.files))
				return {
					problem: {
						what: control.property.require ? `${id} is required` : id,
						detail: 'files must be an array of {file_id}',
						wrongJson: true,
					},
				};
			for (const item of value.files) {
				const fileId = isPlainObject(item) ? item.file_id : undefined;
				if (typeof fileId !== 'string' || !lookups.isUsableMedia(fileId))
					return bad(
						`file_id ${JSON.stringify(fileId ?? null)} is not a media_id uploaded with media/upload in the last 3 days`,
					);
			}
			tally.files += value.files.length;
			if (tally.files > MAX_ATTACHMENTS)
				return bad(`an application takes at most ${MAX_ATTACHMENTS} attachments`);
			return { empty: value.files.length === 0 };
		}
		case 'Table': {
			if (value.children === undefined) return { empty: true };
			if (!Array.isArray(value.children)) return bad('children must be an array of {list: [...]}');
			const columns = /** @type {TemplateControl[]} */ (config.table?.children ?? []);
			for (const row of value.children) {
				if (!isPlainObject(row) || !Array.isArray(row.list))
					return bad('each row of children must be {list: [...]}');
				const checked = checkContents(columns, row.list, lookups, tally);
				if ('problem' in checked) return checked;
			}
			return { empty: value.children.length === 0 };
		}
		default:
			// Tips carry no value; the other controls are stored as sent.
			return { empty: Object.keys(value).length === 0 };
	}
}

/**
 * Checks contents against controls (the template's, or a Table's columns for one row).
 * @param {TemplateControl[]} controls
 * @param {unknown[]} contents
 * @param {FormLookups} lookups
 * @param {{ files: number }} tally
 * @returns {{ problem: FormProblem } | { given: Map<string, { content: Record<string, any>, control: TemplateControl }> }}
 */
function checkContents(controls, contents, lookups, tally) {
	const byId = new Map(controls.map((item) => [item.property.id, item]));
	/** @type {Map<string, { content: Record<string, any>, control: TemplateControl }>} */
	const given = new Map();
	/** @type {Set<string>} */
	const empty = new Set();
	for (const content of contents) {
		const id = isPlainObject(content) ? content.id : undefined;
		const control = typeof id === 'string' ? byId.get(id) : undefined;
		if (!isPlainObject(content) || !control)
			return { problem: { what: `invalid control id ${typeof id === 'string' ? id : ''}` } };
		if (given.has(id)) return { problem: { what: id, detail: 'the control is given twice' } };
		const type = control.property.control;
		if (content.control !== type)
			return {
				problem: {
					what: id,
					detail: `control must be "${type}" (the template's), got ${JSON.stringify(content.control ?? null)}`,
				},
			};
		if (!isPlainObject(content.value))
			return { problem: { what: id, detail: 'value must be an object' } };
		const checked = checkValue(control, content.value, lookups, tally);
		if ('problem' in checked) return checked;
		if (checked.empty) empty.add(id);
		given.set(id, { content, control });
	}
	for (const control of controls) {
		const { id, require, control: type } = control.property;
		if (!require || type === 'Tips') continue;
		if (!given.has(id)) return { problem: { what: `has no require control ${id}` } };
		if (empty.has(id)) return { problem: { what: `${id} is required` } };
	}
	return { given };
}

/**
 * The stored form: the given contents in template order, each with the template's title; selector
 * options carry their texts as getapprovaldetail shows them (B5 `apply_data` "as submitted").
 * @param {TemplateControl[]} controls
 * @param {Map<string, { content: Record<string, any>, control: TemplateControl }>} given
 * @returns {StoredContent[]}
 */
function storedContents(controls, given) {
	return controls
		.filter((control) => given.has(control.property.id))
		.map((control) => {
			const { content } = /** @type {{ content: Record<string, any> }} */ (
				given.get(control.property.id)
			);
			const value = structuredClone(content.value);
			const config = control.config ?? {};
			if (control.property.control === 'Selector' && Array.isArray(value.selector?.options))
				value.selector.options = value.selector.options.map(
					(/** @type {{ key: string }} */ item) => ({
						key: item.key,
						value:
							(config.selector?.options ?? []).find(
								(/** @type {{ key: string }} */ known) => known.key === item.key,
							)?.value ?? [],
					}),
				);
			if (control.property.control === 'Table' && Array.isArray(value.children)) {
				const columns = /** @type {TemplateControl[]} */ (config.table?.children ?? []);
				value.children = value.children.map((/** @type {{ list: unknown[] }} */ row) => ({
					list: storedContents(
						columns,
						new Map(
							row.list.map((/** @type {any} */ item) => [
								item.id,
								{
									content: item,
									control: /** @type {TemplateControl} */ (
										columns.find((c) => c.property.id === item.id)
									),
								},
							]),
						),
					),
				}));
			}
			return {
				control: control.property.control,
				id: control.property.id,
				title: structuredClone(control.property.title),
				value,
			};
		});
}

/**
 * Checks `apply_data` against the template.
 * @param {TemplateControl[]} controls
 * @param {unknown} applyData
 * @param {FormLookups} lookups
 * @returns {{ problem: FormProblem } | { contents: StoredContent[], attachments: number }}
 */
function checkApplyData(controls, applyData, lookups) {
	const contents = isPlainObject(applyData) ? applyData.contents : undefined;
	if (Array.isArray(contents) && hasNumberTypedValue(contents))
		return {
			problem: {
				what: 'no applydata content',
				detail: 'new_number and new_money must be strings of numbers, not JSON numbers',
				wrongJson: true,
			},
		};
	if (!Array.isArray(contents) || contents.length === 0)
		return {
			problem: {
				what: 'no applydata content',
				detail: 'apply_data.contents must be a non-empty array of {control, id, value}',
			},
		};
	const tally = { files: 0 };
	const checked = checkContents(controls, contents, lookups, tally);
	if ('problem' in checked) return checked;
	return { contents: storedContents(controls, checked.given), attachments: tally.files };
}

module.exports = { checkApplyData, MAX_ATTACHMENTS };
