// @ts-check
'use strict';

const crypto = require('node:crypto');
const { EmulatorInputError } = require('../inputError');

/**
 * The deterministic DingTalk organisation every emulator starts with. Same ids on every start.
 * Users: five named users plus `user001`…`user320` (count configurable), so recipient chunking
 * above 100 and 5000 can be exercised. Departments: the 13 named ones; with
 * `dingtalkDepartmentCount` above 13 the rest are generated nested under them (see
 * `generateDepartments`), and numbered users are then spread over the generated departments too.
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
 * @property {string} [avatar]                 only users with a custom avatar have one (query-user-details: "员工使用默认头像，不返回该字段")
 * @property {string} [manager_userid]         direct manager, only when set ("直属主管内有值，才会返回该字段")
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

/**
 * Generated departments (only when `dingtalkDepartmentCount` > 13): nested under the named ones,
 * breadth first, three children per parent, never deeper than depth 5 (root = 0), ids 1001, 1002, …
 * Names continue the parent's: "销售部 二区", "销售部 二区 三组", "销售部 二区 三组 一队",
 * "… 五班" ("Sales Area 2 Group 3 Team 1 …"). When every parent has its three, the round starts
 * over, so any count works.
 */
const GENERATED_ID_BASE = 1000;
const MAX_DEPTH = 5;
const CHILDREN_PER_PARENT = 3;
/** Unit of a generated department by its depth: [Chinese, English]. */
const UNITS = { 2: ['区', 'Area'], 3: ['组', 'Group'], 4: ['队', 'Team'], 5: ['班', 'Squad'] };
const CN_DIGITS = [...'零一二三四五六七八九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五; 100 and above in digits. */
function chineseNumber(/** @type {number} */ n) {
	if (n >= 100) return String(n);
	if (n < 10) return CN_DIGITS[n];
	const tens = Math.floor(n / 10);
	const ones = n % 10;
	return `${tens === 1 ? '' : CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ''}`;
}

/**
 * @param {DingTalkDepartment[]} named
 * @param {number} count how many to generate
 * @returns {DingTalkDepartment[]}
 */
function generateDepartments(named, count) {
	/** @type {Map<number, number>} */
	const depth = new Map();
	for (const dept of named)
		depth.set(dept.dept_id, dept.parent_id === null ? 0 : (depth.get(dept.parent_id) ?? 0) + 1);
	/** @type {Map<number, number>} */
	const childCount = new Map();
	const parents = named.filter(
		(dept) => dept.parent_id !== null && (depth.get(dept.dept_id) ?? 0) < MAX_DEPTH,
	);
	/** @type {DingTalkDepartment[]} */
	const generated = [];
	let next = 0;
	while (generated.length < count) {
		if (next >= parents.length) next = 0;
		const parent = parents[next];
		const nth = (childCount.get(parent.dept_id) ?? 0) + 1;
		childCount.set(parent.dept_id, nth);
		const childDepth = /** @type {number} */ (depth.get(parent.dept_id)) + 1;
		const [unit, unitEn] = /** @type {Record<number, string[]>} */ (UNITS)[childDepth];
		const dept = {
			dept_id: GENERATED_ID_BASE + generated.length + 1,
			parent_id: parent.dept_id,
			name: `${parent.name} ${chineseNumber(nth)}${unit}`,
			name_en: `${parent.name_en} ${unitEn} ${nth}`,
			order: named.length + generated.length,
		};
		generated.push(dept);
		depth.set(dept.dept_id, childDepth);
		if (childDepth < MAX_DEPTH) parents.push(dept);
		if (nth % CHILDREN_PER_PARENT === 0) next += 1;
	}
	return generated;
}

/** Title of a numbered user: its department's, else the nearest named ancestor's. */
function titleFor(
	/** @type {number} */ deptId,
	/** @type {Map<number, DingTalkDepartment>} */ byId,
) {
	const titles = /** @type {Record<number, string>} */ ({
		...TITLES,
		2: '研发工程师',
		5: '销售代表',
	});
	for (
		let id = /** @type {number | null} */ (deptId);
		id !== null;
		id = byId.get(id)?.parent_id ?? null
	) {
		if (titles[id]) return titles[id];
	}
	return '';
}

/** Every 47th numbered user has not activated DingTalk (spread over several departments). */
const INACTIVE_EVERY = 47;
/** In generated seeds every 10th numbered user also belongs to a second department. */
const SECOND_DEPARTMENT_EVERY = 10;
/**
 * Serial of numbered user n for unionid, mobile and job number. 9001…9005 belong to the named users,
 * so from user9001 on the serial is n + 1000 (user9001 → 10001): no two users share a mobile or
 * unionid however large the seed (the first 9000 are as before).
 */
const serialOf = (/** @type {number} */ n) => (n < 9001 ? n : n + 1000);
const avatarOf = (/** @type {string} */ userid) =>
	`https://static.dingtalk.emu.example.com/avatar/${userid}.png`;

/**
 * @param {{ dingtalkUserCount?: number, dingtalkDepartmentCount?: number }} [options]
 * @returns {DingTalkOrg}
 */
function createDingTalkOrg(options = {}) {
	const userCount = options.dingtalkUserCount ?? DEFAULT_USER_COUNT;
	const departmentCount = options.dingtalkDepartmentCount ?? DEPARTMENTS.length;
	for (const [key, value] of Object.entries({ userCount, departmentCount })) {
		if (!Number.isInteger(value) || value < 0)
			throw new EmulatorInputError(`seed ${key} must be a whole number ≥ 0, got ${value}`);
	}
	/** @type {DingTalkDepartment[]} */
	const namedDepartments = DEPARTMENTS.map(([dept_id, parent_id, name, name_en], order) => ({
		dept_id: /** @type {number} */ (dept_id),
		parent_id: /** @type {number | null} */ (parent_id),
		name: /** @type {string} */ (name),
		name_en: /** @type {string} */ (name_en),
		order,
	}));
	const generatedDepartments = generateDepartments(
		namedDepartments,
		Math.max(0, departmentCount - namedDepartments.length),
	);
	const departments = [...namedDepartments, ...generatedDepartments];
	const byId = new Map(departments.map((dept) => [dept.dept_id, dept]));
	const generated = generatedDepartments.length > 0;
	/**
	 * Numbered users are placed in turn over these. With generated departments the named member
	 * departments take three turns per round (the original teams stay the big ones, so some
	 * departments need more than one page of 100), each generated department one.
	 */
	const memberDepartments = generated
		? [
				...MEMBER_DEPARTMENTS,
				...MEMBER_DEPARTMENTS,
				...MEMBER_DEPARTMENTS,
				...generatedDepartments.map((dept) => dept.dept_id),
			]
		: MEMBER_DEPARTMENTS;

	const namedUsers = [
		makeUser(
			{
				userid: 'boss01',
				name: '钱多多',
				title: '首席执行官 CEO',
				dept_id_list: [1],
				boss: true,
				avatar: avatarOf('boss01'),
			},
			9001,
		),
		makeUser(
			{
				userid: 'manager01',
				name: '郑研发',
				title: '研发总监',
				dept_id_list: [2],
				leader_in_dept: [{ dept_id: 2, leader: true }],
				avatar: avatarOf('manager01'),
				manager_userid: 'boss01',
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
				avatar: avatarOf('manager02'),
				manager_userid: 'boss01',
			},
			9003,
		),
		makeUser(
			{
				userid: 'admin01',
				name: '卫管理',
				title: 'IT 管理员',
				dept_id_list: [6],
				admin: true,
				avatar: avatarOf('admin01'),
				manager_userid: 'boss01',
			},
			9004,
		),
		makeUser(
			{
				userid: 'multi01',
				name: '褚双岗',
				title: '前端工程师兼产品经理',
				dept_id_list: [21, 3],
				manager_userid: 'manager01',
			},
			9005,
		),
	];
	/** The first numbered user placed in a generated department leads it; the others report to them. */
	/** @type {Map<number, string>} */
	const leaderOf = new Map();
	const numberedUsers = Array.from({ length: userCount }, (_, index) => {
		const n = index + 1;
		const userid = `user${String(n).padStart(3, '0')}`;
		const dept = memberDepartments[index % memberDepartments.length];
		const deptIds =
			generated && n % SECOND_DEPARTMENT_EVERY === 0
				? [
						dept,
						memberDepartments[
							(index + Math.ceil(memberDepartments.length / 2)) % memberDepartments.length
						],
					].filter((id, position, list) => list.indexOf(id) === position)
				: [dept];
		const name =
			SURNAMES[index % SURNAMES.length] +
			GIVEN_NAMES[Math.floor(index / SURNAMES.length) % GIVEN_NAMES.length];
		const isGenerated = dept > GENERATED_ID_BASE;
		const leads = isGenerated && !leaderOf.has(dept);
		if (leads) leaderOf.set(dept, userid);
		/** Sales reps report to the sales director; members of generated departments to their leader. */
		const manager = isGenerated
			? leads
				? undefined
				: leaderOf.get(dept)
			: [51, 52, 511].includes(dept)
				? 'manager02'
				: undefined;
		return makeUser(
			{
				userid,
				name,
				title: generated
					? titleFor(dept, byId)
					: /** @type {Record<number, string>} */ (TITLES)[dept],
				dept_id_list: deptIds,
				leader_in_dept: deptIds.map((dept_id) => ({ dept_id, leader: leads && dept_id === dept })),
				...(n % INACTIVE_EVERY === 0 ? { active: false } : {}),
				...(manager ? { manager_userid: manager } : {}),
			},
			serialOf(n),
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
		departments,
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

module.exports = { createDingTalkOrg, GENERATED_ID_BASE };
