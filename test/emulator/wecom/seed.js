// @ts-check
'use strict';

/**
 * The deterministic WeCom world every emulator starts with: the main corp with two apps,
 * departments, users (mixed-case ids, some without a license) and tags, plus a second corp whose
 * secret can be tried against the first (errcode 40091).
 *
 * Sizes: `wecomUserCount` numbered users (default 30: user01…user30) and `wecomDepartmentCount`
 * departments (default and minimum 6, the named ones). Beyond 6, departments are generated nested
 * under the named ones, several levels deep; numbered users are then spread over the named member
 * departments and the generated ones, and every 10th numbered user belongs to a second department.
 *
 * Member fields follow user/get (https://developer.work.weixin.qq.com/document/path/96255):
 * `email` is the member's own mailbox (on `wecom.emu.example.com`), `biz_mail` the corp mailbox
 * (企业邮箱, on `emucorp.wecom.work`); get_userid_by_email looks the first up with email_type 2 and
 * the second with email_type 1.
 *
 * @typedef {{ corpId: string, name: string }} WeComCorp
 * @typedef {{ corpId: string, agentId: number, secret: string, name: string }} WeComApp
 * @typedef {{ corpId: string, id: number, name: string, name_en: string, parentid: number, order: number, department_leader: string[] }} WeComDepartment
 * @typedef {object} WeComUser
 * @property {string} corpId
 * @property {string} userid       canonical spelling; WeCom matches userids case-insensitively
 * @property {string} name
 * @property {number[]} department
 * @property {number[]} [order]    order in each department (aligned with `department`), default 0s
 * @property {string} position
 * @property {string} mobile
 * @property {string} email        the member's own mailbox (email_type 2)
 * @property {string} [biz_mail]   corp mailbox (email_type 1)
 * @property {string} gender       "0" unset, "1" male, "2" female (a string, as WeCom sends it)
 * @property {number} status       1 active, 2 disabled, 4 not activated, 5 left
 * @property {number} enable
 * @property {number[]} is_leader_in_dept
 * @property {string[]} [direct_leader]
 * @property {number} [main_department]
 * @property {string} [alias]
 * @property {string} [telephone]
 * @property {string} [address]
 * @property {string} [avatar]
 * @property {string} [thumb_avatar]
 * @property {string} [qr_code]
 * @property {string} [external_position]
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
const NAMED_DEPARTMENT_COUNT = DEPARTMENTS.length;

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
/** Extra fields of named users: English alias, direct leaders (user/get `direct_leader`). */
const NAMED_EXTRAS = /** @type {Record<string, { alias: string, direct_leader: string[] }>} */ ({
	ZhangSan: { alias: 'Zhang San', direct_leader: [] },
	LiSi: { alias: 'Li Si', direct_leader: [] },
	WangWu: { alias: 'Wang Wu', direct_leader: ['LiSi'] },
	ZhaoLiu: { alias: 'Zhao Liu', direct_leader: ['LiSi'] },
	SunQi: { alias: 'Sun Qi', direct_leader: ['ZhangSan'] },
	ZhouBa: { alias: 'Zhou Ba', direct_leader: ['LiSi', 'ZhangSan'] },
	NoLicense01: { alias: '', direct_leader: ['SunQi'] },
	NoLicense02: { alias: '', direct_leader: ['WangWu'] },
});
const NUMBERED_USER_COUNT = 30;
const MEMBER_DEPARTMENTS = [2, 3, 31, 32, 4];
const SURNAMES = [...'王李张刘陈杨黄赵吴周'];
const GIVEN_NAMES = [...'伟芳娜敏静磊洋艳勇军'];
/** Numbered users with another status than 1 (user/get `status`): disabled, not activated. */
const STATUS_OF = /** @type {Record<string, number>} */ ({ user29: 4, user30: 2 });

/** Generated departments: id = GENERATED_ID_BASE + n (n = 1, 2, …). */
const GENERATED_ID_BASE = 1000;
/** Children per department when generating (breadth first under the named member departments). */
const GENERATED_BRANCHING = 4;
const CITIES = [
	['北京', 'Beijing'],
	['上海', 'Shanghai'],
	['广州', 'Guangzhou'],
	['深圳', 'Shenzhen'],
	['杭州', 'Hangzhou'],
	['成都', 'Chengdu'],
	['武汉', 'Wuhan'],
	['西安', "Xi'an"],
	['南京', 'Nanjing'],
	['重庆', 'Chongqing'],
];
/** Unit names by depth below a named department (1, 2, 3, deeper). */
const UNITS = [
	['分部', 'Branch'],
	['中心', 'Center'],
	['小组', 'Team'],
	['项目组', 'Squad'],
];

/** Mail domains: the member's own mailbox and the corp mailbox (biz_mail). */
const EMAIL_DOMAIN = 'wecom.emu.example.com';
const BIZ_MAIL_DOMAIN = 'emucorp.wecom.work';

/**
 * @param {string} corpId
 * @param {[string, string, number[], string, boolean]} row
 * @param {number} n
 * @returns {WeComUser}
 */
function makeUser(corpId, [userid, name, department, position, licensed], n) {
	const serial = String(n).padStart(4, '0');
	const lower = userid.toLowerCase();
	const extras = NAMED_EXTRAS[userid];
	const status = STATUS_OF[userid] ?? 1;
	return {
		corpId,
		userid,
		name,
		department,
		order: department.map(() => 0),
		position,
		// 137 + 8 digits: 13700000001 for n = 1 (11 digits for every n below 10^8).
		mobile: `137${String(n).padStart(8, '0')}`,
		email: `${lower}@${EMAIL_DOMAIN}`,
		biz_mail: `${lower}@${BIZ_MAIL_DOMAIN}`,
		gender: n % 2 ? '1' : '2',
		status,
		enable: status === 2 ? 0 : 1,
		is_leader_in_dept: department.map(() => 0),
		direct_leader: extras?.direct_leader ?? [],
		main_department: department[0],
		alias: extras?.alias ?? '',
		telephone: extras ? `020-8888${serial}` : '',
		address: extras ? `广州市海珠区模拟路${n}号` : '',
		avatar: `https://wework.qpic.cn/wwpic/emu${serial}/0`,
		thumb_avatar: `https://wework.qpic.cn/wwpic/emu${serial}/100`,
		qr_code: `https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=emu${serial}`,
		external_position: '',
		licensed,
	};
}

/**
 * Departments beyond the named ones, breadth first: up to GENERATED_BRANCHING children under each
 * named member department (2, 3, 31, 32, 4) in turn, then under the generated ones, so a few hundred
 * departments nest three or four levels below the named ones.
 * @param {number} count how many to generate
 * @returns {WeComDepartment[]}
 */
function generateDepartments(count) {
	/** @type {WeComDepartment[]} */
	const generated = [];
	/** @type {{ id: number, depth: number }[]} */
	const parents = MEMBER_DEPARTMENTS.map((id) => ({ id, depth: 0 }));
	for (let head = 0; generated.length < count; head++) {
		const parent = parents[head];
		for (let child = 0; child < GENERATED_BRANCHING && generated.length < count; child++) {
			const n = generated.length + 1;
			const depth = parent.depth + 1;
			const [city, cityEn] = CITIES[(n - 1) % CITIES.length];
			const [unit, unitEn] = UNITS[Math.min(depth, UNITS.length) - 1];
			const id = GENERATED_ID_BASE + n;
			generated.push({
				corpId: MAIN_CORP,
				id,
				parentid: parent.id,
				name: `${city}${unit}${n}`,
				name_en: `${cityEn} ${unitEn} ${n}`,
				order: 100000000 - (child + 1) * 1000,
				department_leader: [],
			});
			parents.push({ id, depth });
		}
	}
	return generated;
}

/** @param {{ wecomUserCount?: number, wecomDepartmentCount?: number }} [options] @returns {WeComWorld} */
function createWeComWorld(options = {}) {
	const extraDepartments = generateDepartments(
		Math.max(0, (options.wecomDepartmentCount ?? NAMED_DEPARTMENT_COUNT) - NAMED_DEPARTMENT_COUNT),
	);
	const large = extraDepartments.length > 0;
	const memberDepartments = [...MEMBER_DEPARTMENTS, ...extraDepartments.map((dept) => dept.id)];
	const userCount = options.wecomUserCount ?? NUMBERED_USER_COUNT;
	const numbered = Array.from({ length: userCount }, (_, index) => {
		const n = index + 1;
		const name =
			SURNAMES[index % SURNAMES.length] +
			GIVEN_NAMES[Math.floor(index / SURNAMES.length) % GIVEN_NAMES.length] +
			'员';
		const first = memberDepartments[index % memberDepartments.length];
		const second =
			memberDepartments[
				(index + Math.floor(memberDepartments.length / 2)) % memberDepartments.length
			];
		return /** @type {[string, string, number[], string, boolean]} */ ([
			`user${String(n).padStart(2, '0')}`,
			name,
			large && n % 10 === 0 ? [first, second] : [first],
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
			...extraDepartments,
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

module.exports = { createWeComWorld, MAIN_CORP, EMAIL_DOMAIN, BIZ_MAIL_DOMAIN, GENERATED_ID_BASE };
