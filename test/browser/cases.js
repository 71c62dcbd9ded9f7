// @ts-check
'use strict';

/**
 * What the browser checks look for and photograph. Data only: edit here when node names, aliases,
 * example workflows, pickers, the emulator's seeded contacts or its approval templates change.
 */

const { CREDENTIALS } = require('../n8n/credentials');

/** A node's reference to the emulator credential of a type, as n8n imports them (credentials.js). */
const emulatorCredential = (/** @type {string} */ type) => {
	const { id, name } = /** @type {{ id: string, name: string }} */ (
		CREDENTIALS.find((credential) => credential.type === type)
	);
	return { [type]: { id, name } };
};

const DINGTALK = 'n8n-nodes-dingtalk-wecom.dingTalk';
const WECOM = 'n8n-nodes-dingtalk-wecom.weCom';

/** Node panel searches: each term must list (at least) these node display names. */
const SEARCHES = [
	{ term: '钉钉', nodes: ['DingTalk'] },
	{ term: 'DingTalk', nodes: ['DingTalk'] },
	{ term: '企业微信', nodes: ['WeCom'] },
	{ term: 'WeCom', nodes: ['WeCom'] },
	// The contacts resources: both nodes answer to 通讯录 (contacts), 部门 (department), 成员 (member).
	{ term: '通讯录', nodes: ['DingTalk', 'WeCom'] },
	{ term: '部门', nodes: ['DingTalk', 'WeCom'] },
	{ term: '成员', nodes: ['DingTalk', 'WeCom'] },
	// The Group Robot resources: 机器人 (robot), 群机器人 (group robot), robot, webhook.
	{ term: '机器人', nodes: ['DingTalk', 'WeCom'] },
	{ term: '群机器人', nodes: ['DingTalk', 'WeCom'] },
	{ term: 'robot', nodes: ['DingTalk', 'WeCom'] },
	{ term: 'webhook', nodes: ['DingTalk', 'WeCom'] },
	// The Approval resources: OA (审批 is below, with the triggers).
	{ term: 'OA', nodes: ['DingTalk', 'WeCom'] },
	// The approval triggers. n8n's panel shows an app's trigger and actions as one entry under the
	// app's name, found by the action node's aliases; the Stream trigger is its own entry.
	{ term: '回调', nodes: ['DingTalk', 'WeCom', 'DingTalk Stream'] },
	{ term: 'callback', nodes: ['DingTalk', 'WeCom', 'DingTalk Stream'] },
	{ term: '事件', nodes: ['DingTalk', 'WeCom', 'DingTalk Stream'] },
	{ term: 'Stream', nodes: ['DingTalk Stream'] },
	{ term: '审批', nodes: ['DingTalk', 'WeCom', 'DingTalk Stream'] },
	// A built-in node: if this fails too, the editor or the harness is broken, not the pack.
	{ term: 'HTTP Request', nodes: ['HTTP Request'] },
];

/** Nodes added from the node panel (search → node → action); the details view is photographed. */
const NEW_NODES = [
	{
		term: '钉钉',
		node: 'DingTalk',
		action: 'Send a work notification',
		parameters: ['resource', 'operation'],
		screenshot: 'dingtalk-new-node.png',
	},
	{
		term: '企业微信',
		node: 'WeCom',
		action: 'Send an app message',
		parameters: ['resource', 'operation'],
		screenshot: 'wecom-new-node.png',
	},
];

/** Nodes of the example workflows (examples/<example>.json), photographed with their settings. */
const EXAMPLE_NODES = [
	{
		example: 'dingtalk-work-notification',
		node: 'Send Work Notification',
		screenshot: 'dingtalk-send.png',
	},
	{ example: 'wecom-app-message', node: 'Send App Message', screenshot: 'wecom-send.png' },
	{
		example: 'dingtalk-bulk-work-notifications',
		node: 'Send Personal Notification',
		// The Throughput options the example sets are shown as fields of their own.
		parameters: ['concurrency', 'maxWaitSeconds'],
		screenshot: 'dingtalk-bulk-send.png',
	},
];

/**
 * Resource locator lists ("From List"), each in a workflow of its own with that one node, filled
 * from the platform emulator (test/emulator/README.md "Seeded data"): the list must show `shows`
 * (among others); typing `search.term` must narrow it to exactly `search.shows`.
 */
const LOCATOR_LISTS = [
	{
		title: 'DingTalk Department → Get: the Department list',
		node: {
			name: 'Get Department',
			type: DINGTALK,
			typeVersion: 1.1,
			parameters: { resource: 'department', operation: 'get' },
			credentials: emulatorCredential('dingTalkApi'),
		},
		parameter: 'departmentId',
		shows: ['销售部 / 华东大区 (51)', '研发部 / 后端组 (22)', '销售部 (5)'],
		search: {
			term: '华东',
			shows: ['销售部 / 华东大区 (51)', '销售部 / 华东大区 / 上海办事处 (511)'],
		},
		screenshot: 'dingtalk-department-picker.png',
	},
	{
		title: 'WeCom Tag → Get Members: the Tag list',
		node: {
			name: 'Get Tag Members',
			type: WECOM,
			typeVersion: 1.1,
			parameters: { resource: 'tag', operation: 'getMembers' },
			credentials: emulatorCredential('weComApi'),
		},
		parameter: 'tagId',
		shows: ['经理 Managers', '平台值班 Platform on-call', '无证用户 Unlicensed', '空标签 Empty'],
	},
];

/**
 * Multi-selects of names (node version 1.1): the list must show `shows`; choosing `pick` must
 * save their IDs, `saves`, in the node's parameter.
 */
const MULTI_SELECTS = [
	{
		title: 'DingTalk Work Notification → Send: the Departments multi-select',
		node: {
			name: 'Send Work Notification',
			type: DINGTALK,
			typeVersion: 1.1,
			parameters: { resource: 'workNotification', operation: 'send', sendTo: 'specific' },
			credentials: emulatorCredential('dingTalkApi'),
		},
		/** Other fields and the value they must show. */
		fields: { sendTo: 'Users and Departments' },
		parameter: 'departmentIds',
		shows: ['销售部', '研发部 / 后端组', '销售部 / 华东大区', '销售部 / 华东大区 / 上海办事处'],
		pick: ['销售部 / 华东大区', '研发部 / 后端组'],
		saves: [51, 22],
	},
];

/**
 * Pickers behind a switch that asks for a second credential (node version 1.1), each in a workflow
 * of its own with that one node: with the switch off the node shows only `credentials`; switched
 * on it shows one credential field more, whose list offers `adds` (the emulator credential, by
 * name and type) to choose. Then `add` adds a row of `collection` whose resource locator
 * `parameter` lists `shows` from the emulator's contacts in From List mode; typing `search.term`
 * narrows it to exactly `search.shows`; choosing `pick` saves `saves` in the node's parameters.
 */
const SWITCHED_PICKERS = [
	{
		title: 'DingTalk Group Robot → Send (Text): Pick Mentions From Contacts',
		node: {
			name: 'Send Robot Message',
			type: DINGTALK,
			typeVersion: 1.1,
			parameters: { resource: 'groupRobot', operation: 'send', messageType: 'text' },
			credentials: emulatorCredential('dingTalkRobotApi'),
		},
		/** The credential fields shown with the switch off: label and the credential chosen. */
		credentials: [{ label: 'Credential for DingTalk Robot API', chosen: 'DingTalk robot' }],
		switch: 'pickMentionsFromContacts',
		adds: { name: emulatorCredential('dingTalkApi').dingTalkApi.name, type: 'DingTalk API' },
		collection: 'mentionPeople',
		add: 'Add Person',
		parameter: 'user',
		shows: ['钱多多 (boss01)', '郑研发 (manager01)', '褚双岗 (multi01)'],
		search: { term: '多多', shows: ['钱多多 (boss01)'] },
		pick: '钱多多 (boss01)',
		saves: {
			pickMentionsFromContacts: true,
			mentionPeople: { person: [{ user: { __rl: true, mode: 'list', value: 'boss01' } }] },
		},
		screenshot: 'dingtalk-robot-mention-picker.png',
	},
];

/**
 * Resource mappers (node version 1.1), each in a workflow of its own with that one node: before a
 * choice in `locator` the mapper shows `notice`; choosing `pick` from its list (which shows
 * `shows`) loads `fields` (label, and whether required: n8n offers no button to remove it and
 * flags it while empty), the dropdown `dropdown.field` offering exactly `dropdown.shows`. Filling
 * in `fill` (by field ID: a dropdown's option by name, other fields typed) clears the flags;
 * saving (Ctrl+S) stores `saves` (the mapper's `form.value` exactly). Choosing `then.pick` then
 * loads `then.fields` instead, with none of the values filled in before: saved, `then.saves`.
 */
const RESOURCE_MAPPERS = [
	{
		title: 'DingTalk Approval → Create: the Form of the template chosen',
		node: {
			name: 'Create Approval',
			type: DINGTALK,
			typeVersion: 1.1,
			parameters: { resource: 'approval', operation: 'create' },
			credentials: emulatorCredential('dingTalkApi'),
		},
		locator: 'processCode',
		notice: 'Pick a template first.',
		shows: ['请假 Leave request', '报销 Expense claim'],
		pick: '请假 Leave request',
		fields: [
			{ label: '请假类型', required: true },
			// The leave period, a date range in DingTalk's form: its two labels, one field each.
			{ label: '开始时间 (yyyy-MM-dd)', required: true },
			{ label: '结束时间 (yyyy-MM-dd)', required: true },
			{ label: '请假天数', required: true },
			{ label: '请假事由', required: false },
			{ label: '工作交接人 (a userid)', required: false },
		],
		dropdown: { field: '请假类型', shows: ['年假', '事假', '病假'] },
		fill: {
			请假类型: '年假',
			开始时间: '2026-12-03',
			结束时间: '2026-12-04',
			请假天数: '2',
			请假事由: 'Family matters',
		},
		saves: {
			processCode: { __rl: true, mode: 'list', value: 'PROC-EMU-LEAVE' },
			form: {
				mappingMode: 'defineBelow',
				value: {
					请假类型: '年假',
					开始时间: '2026-12-03',
					结束时间: '2026-12-04',
					请假天数: 2,
					请假事由: 'Family matters',
				},
			},
		},
		screenshot: 'dingtalk-approval-form.png',
		then: {
			pick: '报销 Expense claim',
			fields: [
				{ label: '报销金额', required: true },
				{ label: '费用类型 (e.g. 交通, 餐饮)', required: true },
				{ label: '发生日期 (yyyy-MM-dd)', required: true },
				{ label: '费用归属部门 (dept IDs)', required: false },
				{ label: '费用明细 (JSON rows)', required: false },
				{ label: '附件 (JSON)', required: false },
			],
			saves: {
				processCode: { __rl: true, mode: 'list', value: 'PROC-EMU-EXPENSE' },
				form: { mappingMode: 'defineBelow', value: {} },
			},
		},
	},
];

module.exports = {
	SEARCHES,
	NEW_NODES,
	EXAMPLE_NODES,
	LOCATOR_LISTS,
	MULTI_SELECTS,
	SWITCHED_PICKERS,
	RESOURCE_MAPPERS,
};
