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

/**
 * Look-up tables over the org for the contacts APIs (large seeds: 20 000 users must not be
 * filtered per request). Built on first use and kept outside the state (which stays plain JSON);
 * dropped when `addSeed` adds users or departments, and rebuilt when the arrays' lengths no longer
 * match (records pushed into the state directly). Editing an existing record's departments in
 * place is not noticed: call `invalidateOrgIndex(org)` after doing that.
 *
 * @typedef {object} OrgIndex
 * @property {number} userCount               org.users.length when built
 * @property {number} departmentCount         org.departments.length when built
 * @property {Map<number, import('./seed').DingTalkDepartment>} deptById
 * @property {Map<number, number[]>} children      direct sub-department ids, by `order`
 * @property {Map<number, import('./seed').DingTalkUser[]>} members  direct members, in seed order
 * @property {Map<string, import('./seed').DingTalkUser>} userById
 * @property {Map<string, import('./seed').DingTalkUser>} userByUnionId
 * @property {Map<string, import('./seed').DingTalkUser>} userByMobile
 * @property {Map<number, string[]>} leaders       userids with leader_in_dept[].leader for the department
 * @property {Map<number, number>} subtreeMembers  memo: distinct users in the department and below
 * @property {number} activeUsers
 */

/** @type {WeakMap<DingTalkOrg, OrgIndex>} */
const INDEXES = new WeakMap();

/** @returns {OrgIndex} */
function buildIndex(/** @type {DingTalkOrg} */ org) {
	const deptById = new Map(org.departments.map((dept) => [dept.dept_id, dept]));
	/** @type {Map<number, number[]>} */
	const children = new Map();
	const byOrder = [...org.departments].sort((a, b) => a.order - b.order);
	for (const dept of byOrder) {
		if (dept.parent_id === null) continue;
		const list = children.get(dept.parent_id);
		if (list) list.push(dept.dept_id);
		else children.set(dept.parent_id, [dept.dept_id]);
	}
	/** @type {Map<number, import('./seed').DingTalkUser[]>} */
	const members = new Map();
	/** @type {Map<number, string[]>} */
	const leaders = new Map();
	const userById = new Map();
	const userByUnionId = new Map();
	const userByMobile = new Map();
	let activeUsers = 0;
	for (const user of org.users) {
		// The first record wins if a test adds a duplicate mobile or unionid.
		if (!userById.has(user.userid)) userById.set(user.userid, user);
		if (user.unionid && !userByUnionId.has(user.unionid)) userByUnionId.set(user.unionid, user);
		if (user.mobile && !userByMobile.has(user.mobile)) userByMobile.set(user.mobile, user);
		if (user.active !== false) activeUsers += 1;
		for (const id of new Set(user.dept_id_list)) {
			const list = members.get(id);
			if (list) list.push(user);
			else members.set(id, [user]);
		}
		for (const { dept_id, leader } of user.leader_in_dept ?? []) {
			if (!leader) continue;
			const list = leaders.get(dept_id);
			if (list) list.push(user.userid);
			else leaders.set(dept_id, [user.userid]);
		}
	}
	return {
		userCount: org.users.length,
		departmentCount: org.departments.length,
		deptById,
		children,
		members,
		userById,
		userByUnionId,
		userByMobile,
		leaders,
		subtreeMembers: new Map(),
		activeUsers,
	};
}

/** The org's look-up tables (built lazily, see OrgIndex). */
function orgIndex(/** @type {DingTalkOrg} */ org) {
	const cached = INDEXES.get(org);
	if (
		cached &&
		cached.userCount === org.users.length &&
		cached.departmentCount === org.departments.length
	)
		return cached;
	const index = buildIndex(org);
	INDEXES.set(org, index);
	return index;
}

/** Forget the look-up tables; the next orgIndex() rebuilds them. */
function invalidateOrgIndex(/** @type {DingTalkOrg} */ org) {
	INDEXES.delete(org);
}

/** Department ids of `deptId` and all its sub-departments (empty when it does not exist). */
function departmentTree(/** @type {DingTalkOrg} */ org, /** @type {number} */ deptId) {
	const { deptById, children } = orgIndex(org);
	/** @type {Set<number>} */
	const tree = new Set();
	if (!deptById.has(deptId)) return tree;
	const queue = [deptId];
	for (let i = 0; i < queue.length; i += 1) {
		const id = queue[i];
		if (tree.has(id)) continue;
		tree.add(id);
		queue.push(...(children.get(id) ?? []));
	}
	return tree;
}

/** `deptId` and its ancestors up to the root: [self, parent, …, 1] (empty when unknown). */
function departmentPath(/** @type {DingTalkOrg} */ org, /** @type {number} */ deptId) {
	const { deptById } = orgIndex(org);
	/** @type {number[]} */
	const path = [];
	for (let dept = deptById.get(deptId); dept && !path.includes(dept.dept_id); ) {
		path.push(dept.dept_id);
		dept = dept.parent_id === null ? undefined : deptById.get(dept.parent_id);
	}
	return path;
}

/** Distinct users in `deptId` and its sub-departments (memoised per index). */
function subtreeMemberCount(/** @type {DingTalkOrg} */ org, /** @type {number} */ deptId) {
	const index = orgIndex(org);
	const known = index.subtreeMembers.get(deptId);
	if (known !== undefined) return known;
	/** @type {Set<string>} */
	const users = new Set();
	for (const id of departmentTree(org, deptId))
		for (const user of index.members.get(id) ?? []) users.add(user.userid);
	index.subtreeMembers.set(deptId, users.size);
	return users.size;
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
		invalidateOrgIndex(org);
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
		invalidateOrgIndex(org);
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

module.exports = {
	findApp,
	orgIndex,
	invalidateOrgIndex,
	departmentTree,
	departmentPath,
	subtreeMemberCount,
	membersOf,
	DINGTALK_SEED_KINDS,
};
