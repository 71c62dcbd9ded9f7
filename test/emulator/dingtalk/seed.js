// @ts-check
'use strict';

const crypto = require('node:crypto');

/**
 * The deterministic DingTalk organisation every emulator starts with. Same ids on every start.
 * Users: five named users plus `user001`…`user320` (count configurable), so recipient chunking
 * above 100 and 5000 can be exercised.
 *
 * @typedef {{ appKey: string, appSecret: string, agentId: number, name: string }} DingTalkApp
 * @typedef {{ dept_id: number, parent_id: number | null, name: string, name_en: string, order: number }} DingTalkDepartment
 * @typedef {object} DingTalkUser
 * @property {string} userid
 * @property {string} unionid
 * @property {string} name
 * @property {string} mobile
 * @property {string} email
 * @property {string} title
 * @property {string} job_number
 * @property {number[]} dept_id_list
 * @property {boolean} active
 * @property {boolean} admin
 * @property {boolean} boss
 * @property {Array<{ dept_id: number, leader: boolean }>} leader_in_dept
 * @property {number} hired_date
 * @typedef {{ name: string, accessToken: string, secret?: string, keywords: string[], ipWhitelist?: string[] }} DingTalkRobot
 * @typedef {{ corpId: string, corpName: string, apps: DingTalkApp[], departments: DingTalkDepartment[], users: DingTalkUser[], robots: DingTalkRobot[] }} DingTalkOrg
 */

const CORP_ID = 'dingemucorp0001';
const DEFAULT_USER_COUNT = 320;

/** [dept_id, parent_id, name, name_en] – root 1, then up to four levels. */
const DEPARTMENTS = [
	[1, null, '钉钉模拟科技有限公司', 'Emulated DingTalk Co., Ltd.'],
	[2, 1, '研发部', 'R&D'],
	[3, 1, '产品部', 'Product'],
	[4, 1, '市场部', 'Marketing'],
	[5, 1, '销售部', 'Sales'],
	[6, 1, '人力资源部', 'Human Resources'],
	[21, 2, '前端组', 'Frontend'],
	[22, 2, '后端组', 'Backend'],
	[23, 2, '测试组', 'QA'],
	[221, 22, '基础架构组', 'Infrastructure'],
	[51, 5, '华东大区', 'East China'],
	[52, 5, '华南大区', 'South China'],
	[511, 51, '上海办事处', 'Shanghai Office'],
];

/** Numbered users are spread over these departments in turn (32 each with 320 users). */
const MEMBER_DEPARTMENTS = [21, 22, 23, 221, 3, 4, 51, 52, 511, 6];
const TITLES = {
	21: '前端工程师',
	22: '后端工程师',
	23: '测试工程师',
	221: '架构师',
	3: '产品经理',
	4: '市场专员',
	51: '销售代表',
	52: '销售代表',
	511: '客户经理',
	6: 'HRBP',
};
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭'];
const GIVEN_NAMES = [
	'伟',
	'芳',
	'娜',
	'敏',
	'静',
	'磊',
	'洋',
	'艳',
	'勇',
	'军',
	'杰',
	'娟',
	'涛',
	'明',
	'超',
	'秀英',
	'霞',
	'平',
	'刚',
	'桂英',
];
const HIRED_DATE = Date.UTC(2020, 0, 6, 1, 0, 0);

/** 64 hex characters derived from a label: stable robot tokens and secrets. */
const hex64 = (/** @type {string} */ label) =>
	crypto.createHash('sha256').update(`n8n-emulator:dingtalk:${label}`).digest('hex');

/**
 * @param {Partial<DingTalkUser> & { userid: string, name: string, dept_id_list: number[] }} fields
 * @param {number} n sequence number for derived fields
 * @returns {DingTalkUser}
 */
function makeUser(fields, n) {
	const serial = String(n).padStart(4, '0');
	return {
		unionid: `emuunion${serial}`,
		mobile: `1380000${serial}`,
		email: `${fields.userid}@dingtalk.emu.example.com`,
		title: '',
		job_number: `E${serial}`,
		active: true,
		admin: false,
		boss: false,
		leader_in_dept: fields.dept_id_list.map((dept_id) => ({ dept_id, leader: false })),
		hired_date: HIRED_DATE,
		...fields,
	};
}

/** @param {{ dingtalkUserCount?: number }} [options] @returns {DingTalkOrg} */
function createDingTalkOrg(options = {}) {
	const userCount = options.dingtalkUserCount ?? DEFAULT_USER_COUNT;
	const namedUsers = [
		makeUser(
			{ userid: 'boss01', name: '钱多多', title: '首席执行官 CEO', dept_id_list: [1], boss: true },
			9001,
		),
		makeUser(
			{
				userid: 'manager01',
				name: '郑研发',
				title: '研发总监',
				dept_id_list: [2],
				leader_in_dept: [{ dept_id: 2, leader: true }],
			},
			9002,
		),
		makeUser(
			{
				userid: 'manager02',
				name: '冯销售',
				title: '销售总监',
				dept_id_list: [5],
				leader_in_dept: [{ dept_id: 5, leader: true }],
			},
			9003,
		),
		makeUser(
			{ userid: 'admin01', name: '卫管理', title: 'IT 管理员', dept_id_list: [6], admin: true },
			9004,
		),
		makeUser(
			{ userid: 'multi01', name: '褚双岗', title: '前端工程师兼产品经理', dept_id_list: [21, 3] },
			9005,
		),
	];
	const numberedUsers = Array.from({ length: userCount }, (_, index) => {
		const n = index + 1;
		const dept = MEMBER_DEPARTMENTS[index % MEMBER_DEPARTMENTS.length];
		const name =
			SURNAMES[index % SURNAMES.length] +
			GIVEN_NAMES[Math.floor(index / SURNAMES.length) % GIVEN_NAMES.length];
		return makeUser(
			{
				userid: `user${String(n).padStart(3, '0')}`,
				name,
				title: /** @type {Record<number, string>} */ (TITLES)[dept],
				dept_id_list: [dept],
			},
			n,
		);
	});

	return {
		corpId: CORP_ID,
		corpName: '钉钉模拟科技有限公司',
		apps: [
			{
				appKey: 'dingemuappkey0001',
				appSecret: 'emu-dingtalk-app-secret-0001',
				agentId: 3000001,
				name: '模拟通知应用 Emulated Notifier',
			},
			{
				appKey: 'dingemuappkey0002',
				appSecret: 'emu-dingtalk-app-secret-0002',
				agentId: 3000002,
				name: '第二个应用 Second App',
			},
		],
		departments: DEPARTMENTS.map(([dept_id, parent_id, name, name_en], order) => ({
			dept_id: /** @type {number} */ (dept_id),
			parent_id: /** @type {number | null} */ (parent_id),
			name: /** @type {string} */ (name),
			name_en: /** @type {string} */ (name_en),
			order,
		})),
		users: [...namedUsers, ...numberedUsers],
		robots: [
			{
				name: '加签机器人 Signed robot',
				accessToken: hex64('robot-signed'),
				secret: `SEC${hex64('robot-signed-secret')}`,
				keywords: [],
			},
			{
				name: '关键词机器人 Keyword robot',
				accessToken: hex64('robot-keywords'),
				keywords: ['告警', 'alert'],
			},
		],
	};
}

module.exports = { createDingTalkOrg };
