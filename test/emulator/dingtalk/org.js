// @ts-check
'use strict';

const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');

/**
 * Look-ups over the DingTalk organisation, and the records tests may add through
 * `emu.addSeed('dingtalk', kind, record)` / `POST /__emulator/seed/dingtalk/:kind`.
 *
 * @typedef {import('./seed').DingTalkOrg} DingTalkOrg
 */

function findApp(/** @type {DingTalkOrg} */ org, /** @type {string} */ appKey) {
	return org.apps.find((app) => app.appKey === appKey);
}

/** Department ids of `deptId` and all its sub-departments (empty when it does not exist). */
function departmentTree(/** @type {DingTalkOrg} */ org, /** @type {number} */ deptId) {
	/** @type {Set<number>} */
	const tree = new Set();
	if (!org.departments.some((dept) => dept.dept_id === deptId)) return tree;
	tree.add(deptId);
	let grew = true;
	while (grew) {
		grew = false;
		for (const dept of org.departments) {
			if (dept.parent_id !== null && tree.has(dept.parent_id) && !tree.has(dept.dept_id)) {
				tree.add(dept.dept_id);
				grew = true;
			}
		}
	}
	return tree;
}

/** Users belonging to any of the given departments, in seed order. */
function membersOf(/** @type {DingTalkOrg} */ org, /** @type {Set<number>} */ deptIds) {
	return org.users.filter((user) => user.dept_id_list.some((id) => deptIds.has(id)));
}

/** @param {unknown} record @returns {Record<string, any>} */
function requireObject(record) {
	if (!isPlainObject(record)) throw new EmulatorInputError('the record must be a JSON object');
	return record;
}

/** Adders per kind: each checks the record, stores it and returns the stored copy. */
const DINGTALK_SEED_KINDS = {
	/** { appKey?, appSecret?, agentId?, name? } */
	apps(/** @type {DingTalkOrg} */ org, /** @type {unknown} */ input) {
		const record = requireObject(input);
		const n = org.apps.length + 1;
		const app = {
			appKey: String(record.appKey ?? `dingemuappkey${String(n).padStart(4, '0')}`),
			appSecret: String(
				record.appSecret ?? `emu-dingtalk-app-secret-${String(n).padStart(4, '0')}`,
			),
			agentId: Number(record.agentId ?? 3000000 + n),
			name: String(record.name ?? `App ${n}`),
		};
		if (!Number.isInteger(app.agentId)) throw new EmulatorInputError('agentId must be an integer');
		if (findApp(org, app.appKey))
			throw new EmulatorInputError(`app ${app.appKey} already exists`, 409);
		org.apps.push(app);
		return app;
	},
	/** { dept_id?, name, name_en?, parent_id? (default 1) } */
	departments(/** @type {DingTalkOrg} */ org, /** @type {unknown} */ input) {
		const record = requireObject(input);
		if (!record.name) throw new EmulatorInputError('a department needs a name');
		const dept = {
			dept_id: Number(
				record.dept_id ?? Math.max(...org.departments.map((item) => item.dept_id)) + 1,
			),
			parent_id: Number(record.parent_id ?? 1),
			name: String(record.name),
			name_en: String(record.name_en ?? record.name),
			order: org.departments.length,
		};
		if (org.departments.some((item) => item.dept_id === dept.dept_id))
			throw new EmulatorInputError(`department ${dept.dept_id} already exists`, 409);
		if (!org.departments.some((item) => item.dept_id === dept.parent_id))
			throw new EmulatorInputError(`parent department ${dept.parent_id} does not exist`);
		org.departments.push(dept);
		return dept;
	},
	/** { userid, name?, dept_id_list? (default [1]), …any DingTalk user field } */
	users(/** @type {DingTalkOrg} */ org, /** @type {unknown} */ input) {
		const record = requireObject(input);
		if (!record.userid) throw new EmulatorInputError('a user needs a userid');
		if (org.users.some((user) => user.userid === record.userid))
			throw new EmulatorInputError(`user ${record.userid} already exists`, 409);
		const deptIds = (record.dept_id_list ?? [1]).map(Number);
		const unknown = deptIds.filter(
			(/** @type {number} */ id) => !org.departments.some((dept) => dept.dept_id === id),
		);
		if (unknown.length) throw new EmulatorInputError(`unknown department(s) ${unknown.join(', ')}`);
		const serial = String(org.users.length + 1).padStart(4, '0');
		const user = {
			unionid: `emuunionx${serial}`,
			name: String(record.userid),
			mobile: `1390000${serial}`,
			email: `${record.userid}@dingtalk.emu.example.com`,
			title: '',
			job_number: `X${serial}`,
			active: true,
			admin: false,
			boss: false,
			leader_in_dept: deptIds.map((/** @type {number} */ dept_id) => ({ dept_id, leader: false })),
			hired_date: 0,
			...record,
			userid: String(record.userid),
			dept_id_list: deptIds,
		};
		org.users.push(user);
		return user;
	},
	/** { name?, accessToken, secret?, keywords?, ipWhitelist? } */
	robots(/** @type {DingTalkOrg} */ org, /** @type {unknown} */ input) {
		const ipList = (/** @type {unknown} */ value) => {
			if (!Array.isArray(value) || value.some((ip) => typeof ip !== 'string' || !ip))
				throw new EmulatorInputError('robot ipWhitelist must be an array of IP addresses');
			return value.map(String);
		};
		const record = requireObject(input);
		if (!record.accessToken) throw new EmulatorInputError('a robot needs an accessToken');
		if (org.robots.some((robot) => robot.accessToken === String(record.accessToken)))
			throw new EmulatorInputError('a robot with this accessToken already exists', 409);
		if (record.secret !== undefined && !String(record.secret).startsWith('SEC'))
			throw new EmulatorInputError('a robot secret starts with SEC');
		// Keyword security takes 1 to 10 keywords (https://open.dingtalk.com/document/dingstart/customize-robot-security-settings).
		if (
			record.keywords !== undefined &&
			(!Array.isArray(record.keywords) || record.keywords.length > 10)
		) {
			throw new EmulatorInputError('robot keywords must be an array of at most 10 keywords');
		}
		const robot = {
			name: String(record.name ?? `Robot ${org.robots.length + 1}`),
			accessToken: String(record.accessToken),
			...(record.secret !== undefined ? { secret: String(record.secret) } : {}),
			keywords: (record.keywords ?? []).map(String),
			...(record.ipWhitelist !== undefined ? { ipWhitelist: ipList(record.ipWhitelist) } : {}),
		};
		org.robots.push(robot);
		return robot;
	},
};

module.exports = { findApp, departmentTree, membersOf, DINGTALK_SEED_KINDS };
