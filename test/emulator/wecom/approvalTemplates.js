// @ts-check
'use strict';

const crypto = require('node:crypto');
const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');
const { corpIndex } = require('./org');
const { MAIN_CORP } = require('./seed');

/**
 * Approval templates (审批模板) of the approval app: the form schema gettemplatedetail returns
 * (https://developer.work.weixin.qq.com/document/path/91982, reference B5/B17) plus the approval
 * flow set in the admin console, which applyevent uses with `use_template_approver: 1`
 * (https://developer.work.weixin.qq.com/document/path/91853). The flow is not part of any API
 * answer; the emulator keeps it next to the form.
 *
 * `property` = {control, id, title[{text,lang}], placeholder[{text,lang}], require 0/1, un_print 0/1};
 * `config` by control (B17): Date `date{type day|hour}`, Selector
 * `selector{type single|multi, options[{key, value[{text,lang}]}]}`, Contact
 * `contact{type single|multi, mode user|department}`, Table `table{children[controls], stat_field[]}`,
 * Tips `tips{tips_content[…]}` (layout from the doc tables as in
 * https://github.com/xen0n/go-workwx/blob/develop/docs/oa.md); Text, Textarea, Number, Money and
 * File have no config (the key is left out).
 *
 * @typedef {{ text: string, lang: string }} LangText
 * @typedef {{ control: string, id: string, title: LangText[], placeholder: LangText[], require: number, un_print: number }} ControlProperty
 * @typedef {{ property: ControlProperty, config?: Record<string, any> }} TemplateControl
 * @typedef {{ attr: number, userid: string[] }} FlowNode   attr 1 OR-sign (或签), 2 AND-sign (会签)
 *
 * @typedef {object} ApprovalTemplate
 * @property {string} corpId
 * @property {string} template_id
 * @property {LangText[]} template_names
 * @property {{ controls: TemplateControl[] }} template_content
 * @property {FlowNode[]} approver       the flow set in the admin console, in order
 * @property {string[]} notifyer
 * @property {number} notify_type         1 cc at submit, 2 cc after approval, 3 both
 * @property {number} [record_type]       getapprovalinfo's record_type filter (1 leave … 9), emulator addition
 */

const zh = (/** @type {string} */ text) => [{ text, lang: 'zh_CN' }];

/** @returns {TemplateControl} */
function control(
	/** @type {string} */ type,
	/** @type {string} */ id,
	/** @type {string} */ title,
	/** @type {number} */ require,
	/** @type {string} */ placeholder,
	/** @type {Record<string, any>} */ config = {},
) {
	return {
		property: {
			control: type,
			id,
			title: zh(title),
			placeholder: placeholder ? zh(placeholder) : [],
			require,
			un_print: 0,
		},
		...(Object.keys(config).length ? { config } : {}),
	};
}

const option = (/** @type {string} */ key, /** @type {string} */ text) => ({
	key,
	value: zh(text),
});

const LEAVE_TEMPLATE_ID = 'C4ZXKAAPcf2kEj4dPXfhW1FmZyXLHnKLdyDuBxTZ4b';
const EXPENSE_TEMPLATE_ID = 'BsAfeBmFNkxeshuJzZ9KQNSQHtk8WHs3E1MwJ1QmEm';

/** The seeded templates of the main corp (fresh objects on every call: reset() restores them). */
function seedTemplates() {
	/** @type {ApprovalTemplate[]} */
	const templates = [
		{
			corpId: MAIN_CORP,
			template_id: LEAVE_TEMPLATE_ID,
			template_names: zh('请假 Leave'),
			template_content: {
				controls: [
					control('Selector', 'Selector-15111111', '请假类型', 1, '请选择', {
						selector: {
							type: 'single',
							options: [
								option('option-1', '年假'),
								option('option-2', '事假'),
								option('option-3', '病假'),
							],
						},
					}),
					control('Date', 'Date-1', '开始时间', 1, '请选择', { date: { type: 'day' } }),
					control('Date', 'Date-2', '结束时间', 1, '请选择', { date: { type: 'day' } }),
					control('Number', 'Number-1', '请假天数', 1, '请输入'),
					control('Textarea', 'Textarea-1', '请假事由', 0, '请输入'),
					control('Contact', 'Contact-1', '工作交接人', 0, '请选择', {
						contact: { type: 'single', mode: 'user' },
					}),
					control('File', 'File-1', '附件', 0, ''),
					control('Tips', 'Tips-1', '说明', 0, '', {
						tips: {
							tips_content: [
								{
									text: {
										sub_text: [
											{
												type: 1,
												content: { plain_text: { content: '请至少提前一天提交请假申请' } },
											},
										],
									},
									lang: 'zh_CN',
								},
							],
						},
					}),
				],
			},
			// Two sequential nodes: LiSi, then ZhangSan; nobody in cc.
			approver: [
				{ attr: 1, userid: ['LiSi'] },
				{ attr: 1, userid: ['ZhangSan'] },
			],
			notifyer: [],
			notify_type: 1,
			record_type: 1,
		},
		{
			corpId: MAIN_CORP,
			template_id: EXPENSE_TEMPLATE_ID,
			template_names: zh('报销 Expense'),
			template_content: {
				controls: [
					control('Money', 'Money-1', '报销金额', 1, '请输入'),
					control('Selector', 'Selector-2', '费用类型', 1, '请选择', {
						selector: {
							type: 'multi',
							options: [
								option('option-a', '交通'),
								option('option-b', '餐饮'),
								option('option-c', '住宿'),
							],
						},
					}),
					control('Date', 'Date-3', '发生时间', 1, '请选择', { date: { type: 'hour' } }),
					control('Contact', 'Contact-2', '费用归属部门', 0, '请选择', {
						contact: { type: 'multi', mode: 'department' },
					}),
					control('Table', 'Table-1', '费用明细', 0, '', {
						table: {
							children: [
								control('Text', 'Text-1', '项目', 1, '请输入'),
								control('Money', 'Money-2', '金额', 1, '请输入'),
							],
							stat_field: [],
						},
					}),
				],
			},
			approver: [{ attr: 1, userid: ['SunQi'] }],
			notifyer: ['ZhouBa'],
			notify_type: 1,
		},
	];
	return templates;
}

/**
 * Control types the approval app knows (91853/91983 tables of contents, reference B5, plus
 * PhoneNumber from the create-template page https://developer.work.weixin.qq.com/document/path/97437).
 * The emulator validates the values of the first ten (B17); the others are stored as sent.
 */
const CONTROL_TYPES = [
	'Text',
	'Textarea',
	'Number',
	'Money',
	'Date',
	'Selector',
	'Contact',
	'Tips',
	'File',
	'Table',
	'Vacation',
	'Attendance',
	'PunchCorrection',
	'DateRange',
	'Location',
	'RelatedApproval',
	'Formula',
	'BankAccount',
	'PhoneNumber',
];

/** A template_id in WeCom's style (C4… + 40 base62 characters), from the template counter. */
function mintTemplateId(/** @type {number} */ n) {
	const digest = crypto.createHash('sha256').update(`n8n-emulator:wecom-template:${n}`).digest();
	const base62 = BigInt(`0x${digest.toString('hex')}`)
		.toString(36)
		.replace(/[a-z]/g, (char, at) => (at % 2 ? char.toUpperCase() : char));
	return `C4${base62.padStart(40, 'x').slice(0, 40)}`;
}

/** @returns {LangText[]} */
function langTexts(/** @type {unknown} */ value, /** @type {string} */ at, required = true) {
	if (value === undefined && !required) return [];
	if (
		!Array.isArray(value) ||
		(required && value.length === 0) ||
		value.some(
			(item) =>
				!isPlainObject(item) || typeof item.text !== 'string' || typeof item.lang !== 'string',
		)
	)
		throw new EmulatorInputError(
			`${at} must be ${required ? 'a non-empty' : 'an'} array of {text, lang} (e.g. [{"text":"请假","lang":"zh_CN"}])`,
		);
	return value.map((item) => ({ text: item.text, lang: item.lang }));
}

/**
 * Checks and copies one template control (addTemplate).
 * @param {unknown} input
 * @param {string} at
 * @param {Set<string>} ids control ids seen so far in the template
 * @param {boolean} inTable
 * @returns {TemplateControl}
 */
function readControl(input, at, ids, inTable) {
	if (!isPlainObject(input) || !isPlainObject(input.property))
		throw new EmulatorInputError(`${at} must be {property: {control, id, title, …}, config?}`);
	const { property } = input;
	const type = property.control;
	if (!CONTROL_TYPES.includes(type))
		throw new EmulatorInputError(
			`${at}.property.control must be one of ${CONTROL_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
		);
	if (inTable && type === 'Table')
		throw new EmulatorInputError(`${at}: a Table cannot hold a Table`);
	if (typeof property.id !== 'string' || !property.id.trim())
		throw new EmulatorInputError(`${at}.property.id must be a non-empty string`);
	if (ids.has(property.id))
		throw new EmulatorInputError(`${at}.property.id ${property.id} is used twice in the template`);
	ids.add(property.id);
	const flag = (/** @type {unknown} */ value, /** @type {string} */ name) => {
		if (value === undefined) return 0;
		if (value !== 0 && value !== 1)
			throw new EmulatorInputError(`${at}.property.${name} must be 0 or 1`);
		return value;
	};
	const config = input.config === undefined ? {} : input.config;
	if (!isPlainObject(config)) throw new EmulatorInputError(`${at}.config must be an object`);
	/** @type {Record<string, any>} */
	let checked = structuredClone(config);
	if (type === 'Date' && !['day', 'hour'].includes(config.date?.type))
		throw new EmulatorInputError(`${at}.config.date.type must be day or hour`);
	if (type === 'Selector') {
		const selector = config.selector;
		if (!isPlainObject(selector) || !['single', 'multi'].includes(selector.type))
			throw new EmulatorInputError(`${at}.config.selector.type must be single or multi`);
		if (!Array.isArray(selector.options) || selector.options.length === 0)
			throw new EmulatorInputError(`${at}.config.selector.options must be a non-empty array`);
		const keys = new Set();
		const options = selector.options.map((/** @type {unknown} */ item, /** @type {number} */ n) => {
			if (!isPlainObject(item) || typeof item.key !== 'string' || !item.key)
				throw new EmulatorInputError(`${at}.config.selector.options[${n}].key must be a string`);
			if (keys.has(item.key))
				throw new EmulatorInputError(`${at}: selector key ${item.key} is used twice`);
			keys.add(item.key);
			return {
				key: item.key,
				value: langTexts(item.value, `${at}.config.selector.options[${n}].value`),
			};
		});
		checked = { ...checked, selector: { ...selector, options } };
	}
	if (
		type === 'Contact' &&
		(!['single', 'multi'].includes(config.contact?.type) ||
			!['user', 'department'].includes(config.contact?.mode))
	)
		throw new EmulatorInputError(
			`${at}.config.contact must be {type: single|multi, mode: user|department}`,
		);
	if (type === 'Table') {
		const children = config.table?.children;
		if (!Array.isArray(children) || children.length === 0)
			throw new EmulatorInputError(`${at}.config.table.children must be a non-empty array`);
		checked = {
			...checked,
			table: {
				...config.table,
				children: children.map((child, n) =>
					readControl(child, `${at}.config.table.children[${n}]`, ids, true),
				),
				stat_field: Array.isArray(config.table.stat_field) ? config.table.stat_field : [],
			},
		};
	}
	return {
		property: {
			control: type,
			id: property.id,
			title: langTexts(property.title, `${at}.property.title`),
			placeholder: langTexts(property.placeholder, `${at}.property.placeholder`, false),
			require: flag(property.require, 'require'),
			un_print: flag(property.un_print, 'un_print'),
		},
		...(Object.keys(checked).length ? { config: checked } : {}),
	};
}

/**
 * Adds a template (control API): the gettemplatedetail shape plus the admin-console flow.
 * `{ template_id?, corpId? (main corp), template_names, template_content: {controls} (or controls),
 *    approver: [{attr 1|2, userid[]}], notifyer?: [userid], notify_type? 1|2|3, record_type? 1…9 }`
 * @param {any} world the live WeCom state
 * @param {unknown} input
 * @returns {ApprovalTemplate}
 */
function addTemplate(world, input) {
	if (!isPlainObject(input)) throw new EmulatorInputError('the template must be an object');
	const corpId = input.corpId ?? MAIN_CORP;
	if (!world.corps.some((/** @type {{ corpId: string }} */ corp) => corp.corpId === corpId))
		throw new EmulatorInputError(`unknown corpId ${JSON.stringify(corpId)}`, 404);
	/** @type {ApprovalTemplate[]} */
	const templates = world.approvalTemplates;
	let templateId = input.template_id;
	if (templateId === undefined) {
		do {
			world.approvalCounters.template += 1;
			templateId = mintTemplateId(world.approvalCounters.template);
		} while (templates.some((item) => item.template_id === templateId));
	} else if (typeof templateId !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(templateId))
		throw new EmulatorInputError('template_id must be 1 to 64 letters, digits or _');
	if (templates.some((item) => item.template_id === templateId))
		throw new EmulatorInputError(`template ${templateId} exists already`, 409);
	const controlsInput = input.template_content?.controls ?? input.controls;
	if (!Array.isArray(controlsInput) || controlsInput.length === 0)
		throw new EmulatorInputError('template_content.controls must be a non-empty array');
	const ids = new Set();
	const controls = controlsInput.map((item, n) =>
		readControl(item, `template_content.controls[${n}]`, ids, false),
	);
	const index = corpIndex(world, corpId);
	const member = (/** @type {unknown} */ userid, /** @type {string} */ at) => {
		const user = typeof userid === 'string' ? index.byLowerId.get(userid.toLowerCase()) : undefined;
		if (!user)
			throw new EmulatorInputError(`${at}: ${JSON.stringify(userid)} is not a member of ${corpId}`);
		return user.userid;
	};
	if (!Array.isArray(input.approver) || input.approver.length === 0)
		throw new EmulatorInputError(
			'approver (the flow set in the admin console) must be a non-empty array of {attr: 1|2, userid: [...]}',
		);
	const approver = input.approver.map((node, n) => {
		if (!isPlainObject(node) || ![1, 2].includes(node.attr ?? 1))
			throw new EmulatorInputError(
				`approver[${n}] must be {attr: 1 (OR) | 2 (AND), userid: [...]}`,
			);
		if (!Array.isArray(node.userid) || node.userid.length === 0)
			throw new EmulatorInputError(`approver[${n}].userid must be a non-empty array`);
		return {
			attr: node.attr ?? 1,
			userid: node.userid.map((/** @type {unknown} */ id) => member(id, `approver[${n}]`)),
		};
	});
	const notifyer = input.notifyer ?? [];
	if (!Array.isArray(notifyer))
		throw new EmulatorInputError('notifyer must be an array of userids');
	const notifyType = input.notify_type ?? 1;
	if (![1, 2, 3].includes(notifyType))
		throw new EmulatorInputError('notify_type must be 1, 2 or 3');
	const recordType = input.record_type;
	if (
		recordType !== undefined &&
		!(Number.isInteger(recordType) && recordType >= 1 && recordType <= 9)
	)
		throw new EmulatorInputError('record_type must be an integer 1…9');
	/** @type {ApprovalTemplate} */
	const template = {
		corpId,
		template_id: templateId,
		template_names: langTexts(input.template_names, 'template_names'),
		template_content: { controls },
		approver,
		notifyer: notifyer.map((id) => member(id, 'notifyer')),
		notify_type: notifyType,
		...(recordType === undefined ? {} : { record_type: recordType }),
	};
	templates.push(template);
	return structuredClone(template);
}

/** The template's name as sp_name shows it: the zh_CN text, else the first. */
const templateName = (/** @type {ApprovalTemplate} */ template) =>
	(template.template_names.find((name) => name.lang === 'zh_CN') ?? template.template_names[0])
		?.text ?? '';

/**
 * A valid leave application for LEAVE_TEMPLATE_ID (`apply_data.contents`): annual leave from
 * 2025-12-04 to 2025-12-05 (China time), 1.5 days. For tests that need an application to exist.
 */
const sampleLeaveContents = () => [
	{
		control: 'Selector',
		id: 'Selector-15111111',
		value: { selector: { type: 'single', options: [{ key: 'option-1' }] } },
	},
	{ control: 'Date', id: 'Date-1', value: { date: { type: 'day', s_timestamp: '1764777600' } } },
	{ control: 'Date', id: 'Date-2', value: { date: { type: 'day', s_timestamp: '1764864000' } } },
	{ control: 'Number', id: 'Number-1', value: { new_number: '1.5' } },
];

module.exports = {
	seedTemplates,
	sampleLeaveContents,
	addTemplate,
	templateName,
	LEAVE_TEMPLATE_ID,
	EXPENSE_TEMPLATE_ID,
	CONTROL_TYPES,
};
