// @ts-check
'use strict';

/**
 * The deterministic WeCom world every emulator starts with: the main corp with two apps,
 * departments, users (mixed-case ids, some without a license) and tags, plus a second corp whose
 * secret can be tried against the first (errcode 40091).
 *
 * @typedef {{ corpId: string, name: string }} WeComCorp
 * @typedef {{ corpId: string, agentId: number, secret: string, name: string }} WeComApp
 * @typedef {{ corpId: string, id: number, name: string, name_en: string, parentid: number, order: number, department_leader: string[] }} WeComDepartment
 * @typedef {object} WeComUser
 * @property {string} corpId
 * @property {string} userid       canonical spelling; WeCom matches userids case-insensitively
 * @property {string} name
 * @property {number[]} department
 * @property {string} position
 * @property {string} mobile
 * @property {string} email
 * @property {string} gender       "1" male, "2" female
 * @property {number} status       1 active
 * @property {number} enable
 * @property {number[]} is_leader_in_dept
 * @property {boolean} licensed     false: listed in `unlicenseduser`, nothing delivered
 * @typedef {{ corpId: string, tagid: number, tagname: string, userlist: string[], partylist: number[] }} WeComTag
 * @typedef {{ key: string, name: string }} WeComRobot
 * @typedef {{ corps: WeComCorp[], apps: WeComApp[], departments: WeComDepartment[], users: WeComUser[], tags: WeComTag[], robots: WeComRobot[] }} WeComWorld
 */

const MAIN_CORP = 'wwemucorp0001';
const OTHER_CORP = 'wwemucorp0002';

/** [id, parentid, name, name_en] of the main corp. */
const DEPARTMENTS = [
	[1, 0, '企业微信模拟有限公司', 'Emulated WeCom Co., Ltd.'],
	[2, 1, '产品部', 'Product'],
	[3, 1, '技术部', 'Engineering'],
	[31, 3, '平台组', 'Platform'],
	[32, 3, '移动组', 'Mobile'],
	[4, 1, '运营部', 'Operations'],
];

/** [userid, name, departments, position, licensed] of the main corp's named users. */
const NAMED_USERS = [
	['ZhangSan', '张三', [2], '产品总监', true],
	['LiSi', '李四', [3], '技术总监', true],
	['WangWu', '王五', [31], '平台工程师', true],
	['ZhaoLiu', '赵六', [32], '移动端工程师', true],
	['SunQi', '孙七', [4], '运营专员', true],
	['ZhouBa', '周八', [31, 4], '平台工程师兼运营', true],
	['NoLicense01', '吴无证', [4], '实习生', false],
	['NoLicense02', '郑无证', [31], '外包工程师', false],
];
const NUMBERED_USER_COUNT = 30;
const MEMBER_DEPARTMENTS = [2, 3, 31, 32, 4];
const SURNAMES = [...'王李张刘陈杨黄赵吴周'];
const GIVEN_NAMES = [...'伟芳娜敏静磊洋艳勇军'];

/**
 * @param {string} corpId
 * @param {[string, string, number[], string, boolean]} row
 * @param {number} n
 * @returns {WeComUser}
 */
function makeUser(corpId, [userid, name, department, position, licensed], n) {
	const serial = String(n).padStart(4, '0');
	return {
		corpId,
		userid,
		name,
		department,
		position,
		mobile: `1370000${serial}`,
		email: `${userid.toLowerCase()}@wecom.emu.example.com`,
		gender: n % 2 ? '1' : '2',
		status: 1,
		enable: 1,
		is_leader_in_dept: department.map(() => 0),
		licensed,
	};
}

/** @param {{ wecomUserCount?: number, wecomDepartmentCount?: number }} [options] @returns {WeComWorld} */
function createWeComWorld(options = {}) {
	const numbered = Array.from({ length: options.wecomUserCount ?? NUMBERED_USER_COUNT }, (_, index) => {
		const n = index + 1;
		const name =
			SURNAMES[index % SURNAMES.length] +
			GIVEN_NAMES[Math.floor(index / SURNAMES.length) % GIVEN_NAMES.length] +
			'员';
		return /** @type {[string, string, number[], string, boolean]} */ ([
			`user${String(n).padStart(2, '0')}`,
			name,
			[MEMBER_DEPARTMENTS[index % MEMBER_DEPARTMENTS.length]],
			'员工',
			true,
		]);
	});
	const users = [...NAMED_USERS, ...numbered].map((row, index) =>
		makeUser(MAIN_CORP, /** @type {any} */ (row), index + 1),
	);
	for (const user of users)
		user.is_leader_in_dept = user.department.map(() =>
			['ZhangSan', 'LiSi'].includes(user.userid) ? 1 : 0,
		);

	return {
		corps: [
			{ corpId: MAIN_CORP, name: '企业微信模拟有限公司' },
			{ corpId: OTHER_CORP, name: '另一家模拟公司 Other Emulated Corp' },
		],
		apps: [
			{
				corpId: MAIN_CORP,
				agentId: 1000002,
				secret: 'emu-wecom-secret-1000002',
				name: '模拟应用 Emulated App',
			},
			{
				corpId: MAIN_CORP,
				agentId: 1000003,
				secret: 'emu-wecom-secret-1000003',
				name: '第二个应用 Second App',
			},
			{
				corpId: OTHER_CORP,
				agentId: 1000002,
				secret: 'emu-wecom-secret-corp2-1000002',
				name: '另一家公司的应用 Other Corp App',
			},
		],
		departments: [
			...DEPARTMENTS.map(([id, parentid, name, name_en], order) => ({
				corpId: MAIN_CORP,
				id: /** @type {number} */ (id),
				parentid: /** @type {number} */ (parentid),
				name: /** @type {string} */ (name),
				name_en: /** @type {string} */ (name_en),
				order: 100000000 - order * 1000,
				department_leader: id === 2 ? ['ZhangSan'] : id === 3 ? ['LiSi'] : [],
			})),
			{
				corpId: OTHER_CORP,
				id: 1,
				parentid: 0,
				name: '另一家模拟公司',
				name_en: 'Other Emulated Corp',
				order: 100000000,
				department_leader: [],
			},
		],
		users: [...users, makeUser(OTHER_CORP, ['OtherUser', '外企员工', [1], '员工', true], 9001)],
		tags: [
			{
				corpId: MAIN_CORP,
				tagid: 1,
				tagname: '经理 Managers',
				userlist: ['ZhangSan', 'LiSi'],
				partylist: [],
			},
			{
				corpId: MAIN_CORP,
				tagid: 2,
				tagname: '平台值班 Platform on-call',
				userlist: ['SunQi'],
				partylist: [31],
			},
			{
				corpId: MAIN_CORP,
				tagid: 3,
				tagname: '无证用户 Unlicensed',
				userlist: ['NoLicense01'],
				partylist: [],
			},
			{ corpId: MAIN_CORP, tagid: 4, tagname: '空标签 Empty', userlist: [], partylist: [] },
		],
		robots: [{ key: 'e0000000-0000-4000-8000-000000000001', name: '群机器人 Group robot' }],
	};
}

module.exports = { createWeComWorld, MAIN_CORP };
