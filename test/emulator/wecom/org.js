// @ts-check
'use strict';

const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');
const { MAIN_CORP } = require('./seed');

/**
 * Look-ups over the WeCom world (always within one corp), and the records tests may add through
 * `emu.addSeed('wecom', kind, record)` / `POST /__emulator/seed/wecom/:kind`. A record without
 * `corpId` goes to the main corp.
 *
 * @typedef {import('./seed').WeComWorld} WeComWorld
 */

/**
 * @typedef {import('./seed').WeComUser} WeComUser
 * @typedef {import('./seed').WeComDepartment} WeComDepartment
 * @typedef {import('./seed').WeComTag} WeComTag
 *
 * Look-up tables of one corp, built on first use and shared by every request until the world
 * changes (records added through WECOM_SEED_KINDS, or any array of the world growing or
 * shrinking). Read-only for callers.
 * @typedef {object} CorpIndex
 * @property {WeComUser[]} users                      seed order
 * @property {Map<WeComUser, number>} position        index in `users`
 * @property {Map<string, WeComUser>} byLowerId       userid (lower case) → user
 * @property {Map<string, WeComUser>} byMobile        normalised mobile → user
 * @property {Map<string, WeComUser>} byEmail         e-mail (lower case) → user (email_type 2)
 * @property {Map<string, WeComUser>} byBizMail       corp mailbox (lower case) → user (email_type 1)
 * @property {WeComDepartment[]} departments          seed order
 * @property {Map<number, WeComDepartment>} byDeptId
 * @property {Map<number, WeComDepartment[]>} children  sub-departments, by `order` (larger first), then seed order
 * @property {Map<number, WeComUser[]>} membersByDept   direct members, seed order
 * @property {Map<number, WeComTag>} byTagId
 * @property {WeComTag[]} tags                        seed order
 * @property {Map<number, number[]>} subtrees          cache: department → itself and all sub-departments, pre-order
 * @property {Map<string, Set<number>>} visibility     cache: contacts scope → visible department ids
 */

/** @type {WeakMap<WeComWorld, { signature: string, corps: Map<string, CorpIndex> }>} */
const INDEXES = new WeakMap();

const signatureOf = (/** @type {WeComWorld} */ world) =>
	`${world.corps.length}/${world.departments.length}/${world.users.length}/${world.tags.length}`;

/** Drops the cached look-up tables (the next look-up rebuilds them). */
function invalidateWeComIndex(/** @type {WeComWorld} */ world) {
	INDEXES.delete(world);
}

/** Mobile as compared by getuserid: no spaces or dashes, without a leading +86 / 86 country code. */
function normalizeMobile(/** @type {string} */ mobile) {
	const compact = String(mobile).replace(/[\s-]/g, '');
	return compact.replace(/^\+?86(?=1\d{10}$)/, '').replace(/^\+/, '');
}

/** @returns {CorpIndex} */
function emptyCorpIndex() {
	return {
		users: [],
		position: new Map(),
		byLowerId: new Map(),
		byMobile: new Map(),
		byEmail: new Map(),
		byBizMail: new Map(),
		departments: [],
		byDeptId: new Map(),
		children: new Map(),
		membersByDept: new Map(),
		byTagId: new Map(),
		tags: [],
		subtrees: new Map(),
		visibility: new Map(),
	};
}

/** @param {WeComWorld} world */
function buildIndexes(world) {
	/** @type {Map<string, CorpIndex>} */
	const corps = new Map();
	const of = (/** @type {string} */ corpId) => {
		let index = corps.get(corpId);
		if (!index) corps.set(corpId, (index = emptyCorpIndex()));
		return index;
	};
	for (const dept of world.departments) {
		const index = of(dept.corpId);
		index.departments.push(dept);
		if (!index.byDeptId.has(dept.id)) index.byDeptId.set(dept.id, dept);
	}
	for (const index of corps.values()) {
		for (const dept of index.departments) {
			if (dept.parentid === dept.id || !index.byDeptId.has(dept.parentid)) continue;
			const siblings = index.children.get(dept.parentid) ?? [];
			siblings.push(dept);
			index.children.set(dept.parentid, siblings);
		}
		for (const siblings of index.children.values()) siblings.sort((a, b) => b.order - a.order); // stable: seed order among equals
	}
	for (const user of world.users) {
		const index = of(user.corpId);
		index.position.set(user, index.users.length);
		index.users.push(user);
		index.byLowerId.set(user.userid.toLowerCase(), user);
		if (user.mobile) index.byMobile.set(normalizeMobile(user.mobile), user);
		if (user.email) index.byEmail.set(user.email.toLowerCase(), user);
		if (user.biz_mail) index.byBizMail.set(user.biz_mail.toLowerCase(), user);
		for (const id of new Set(user.department)) {
			const members = index.membersByDept.get(id) ?? [];
			members.push(user);
			index.membersByDept.set(id, members);
		}
	}
	for (const tag of world.tags) {
		const index = of(tag.corpId);
		index.tags.push(tag);
		if (!index.byTagId.has(tag.tagid)) index.byTagId.set(tag.tagid, tag);
	}
	return corps;
}

/** The look-up tables of a corp (empty ones for an unknown corp). */
function corpIndex(/** @type {WeComWorld} */ world, /** @type {string} */ corpId) {
	const signature = signatureOf(world);
	let entry = INDEXES.get(world);
	if (!entry || entry.signature !== signature) {
		entry = { signature, corps: buildIndexes(world) };
		INDEXES.set(world, entry);
	}
	return entry.corps.get(corpId) ?? emptyCorpIndex();
}

/** userid (lower case) → user, for case-insensitive matching (shared: do not modify). */
function usersByLowerId(/** @type {WeComWorld} */ world, /** @type {string} */ corpId) {
	return corpIndex(world, corpId).byLowerId;
}

/** Department `id` and its sub-departments, recursively, pre-order ([] when it does not exist). */
function subtreeIds(/** @type {CorpIndex} */ index, /** @type {number} */ id) {
	const cached = index.subtrees.get(id);
	if (cached) return cached;
	/** @type {number[]} */
	const ids = [];
	if (index.byDeptId.has(id)) {
		const seen = new Set();
		const visit = (/** @type {number} */ at) => {
			if (seen.has(at)) return;
			seen.add(at);
			ids.push(at);
			for (const child of index.children.get(at) ?? []) visit(child.id);
		};
		visit(id);
	}
	index.subtrees.set(id, ids);
	return ids;
}

/** Department `id` and all its sub-departments (empty when it does not exist in the corp). */
function departmentTree(
	/** @type {WeComWorld} */ world,
	/** @type {string} */ corpId,
	/** @type {number} */ id,
) {
	return new Set(subtreeIds(corpIndex(world, corpId), id));
}

/** Users of the corp in any of the given departments, in seed order, each once. */
function membersOf(
	/** @type {WeComWorld} */ world,
	/** @type {string} */ corpId,
	/** @type {Iterable<number>} */ deptIds,
) {
	return membersIn(corpIndex(world, corpId), deptIds);
}

/** @param {CorpIndex} index @param {Iterable<number>} deptIds */
function membersIn(index, deptIds) {
	/** @type {Set<WeComUser>} */
	const found = new Set();
	let groups = 0;
	for (const id of new Set(deptIds)) {
		const members = index.membersByDept.get(id);
		if (!members) continue;
		groups++;
		for (const user of members) found.add(user);
	}
	const users = [...found];
	if (groups > 1)
		users.sort(
			(a, b) =>
				/** @type {number} */ (index.position.get(a)) -
				/** @type {number} */ (index.position.get(b)),
		);
	return users;
}

/** @param {unknown} record @returns {Record<string, any>} */
function requireObject(record) {
	if (!isPlainObject(record)) throw new EmulatorInputError('the record must be a JSON object');
	return record;
}

/** @param {WeComWorld} world @param {Record<string, any>} record */
function corpOf(world, record) {
	const corpId = String(record.corpId ?? MAIN_CORP);
	if (!world.corps.some((corp) => corp.corpId === corpId))
		throw new EmulatorInputError(`unknown corp ${corpId}`);
	return corpId;
}

const WECOM_SEED_KINDS = {
	/** { corpId, name? } */
	corps(/** @type {WeComWorld} */ world, /** @type {unknown} */ input) {
		const record = requireObject(input);
		if (!record.corpId) throw new EmulatorInputError('a corp needs a corpId');
		if (world.corps.some((corp) => corp.corpId === record.corpId))
			throw new EmulatorInputError(`corp ${record.corpId} already exists`, 409);
		const corp = { corpId: String(record.corpId), name: String(record.name ?? record.corpId) };
		world.corps.push(corp);
		world.departments.push({
			corpId: corp.corpId,
			id: 1,
			parentid: 0,
			name: corp.name,
			name_en: corp.name,
			order: 100000000,
			department_leader: [],
		});
		invalidateWeComIndex(world);
		return corp;
	},
	/** { corpId?, agentId, secret, name? } */
	apps(/** @type {WeComWorld} */ world, /** @type {unknown} */ input) {
		const record = requireObject(input);
		const corpId = corpOf(world, record);
		const app = {
			corpId,
			agentId: Number(record.agentId),
			secret: String(record.secret ?? ''),
			name: String(record.name ?? `App ${record.agentId}`),
		};
		if (!Number.isInteger(app.agentId))
			throw new EmulatorInputError('an app needs an integer agentId');
		if (!app.secret) throw new EmulatorInputError('an app needs a secret');
		if (world.apps.some((item) => item.corpId === corpId && item.agentId === app.agentId))
			throw new EmulatorInputError(`app ${app.agentId} already exists in ${corpId}`, 409);
		world.apps.push(app);
		return app;
	},
	/** { corpId?, id?, name, name_en?, parentid? (default 1) } */
	departments(/** @type {WeComWorld} */ world, /** @type {unknown} */ input) {
		const record = requireObject(input);
		const corpId = corpOf(world, record);
		if (!record.name) throw new EmulatorInputError('a department needs a name');
		const existing = world.departments.filter((dept) => dept.corpId === corpId);
		const dept = {
			corpId,
			id: Number(record.id ?? Math.max(...existing.map((item) => item.id)) + 1),
			parentid: Number(record.parentid ?? 1),
			name: String(record.name),
			name_en: String(record.name_en ?? record.name),
			order: Number(record.order ?? 0),
			department_leader: (record.department_leader ?? []).map(String),
		};
		if (existing.some((item) => item.id === dept.id))
			throw new EmulatorInputError(`department ${dept.id} already exists in ${corpId}`, 409);
		if (!existing.some((item) => item.id === dept.parentid))
			throw new EmulatorInputError(
				`parent department ${dept.parentid} does not exist in ${corpId}`,
			);
		world.departments.push(dept);
		invalidateWeComIndex(world);
		return dept;
	},
	/** { corpId?, userid, name?, department? (default [1]), licensed? (default true), …any member field } */
	users(/** @type {WeComWorld} */ world, /** @type {unknown} */ input) {
		const record = requireObject(input);
		const corpId = corpOf(world, record);
		if (!record.userid) throw new EmulatorInputError('a user needs a userid');
		if (usersByLowerId(world, corpId).has(String(record.userid).toLowerCase()))
			throw new EmulatorInputError(
				`user ${record.userid} already exists in ${corpId} (userids are case-insensitive)`,
				409,
			);
		const department = (record.department ?? [1]).map(Number);
		const unknown = department.filter(
			(/** @type {number} */ id) => departmentTree(world, corpId, id).size === 0,
		);
		if (unknown.length)
			throw new EmulatorInputError(`unknown department(s) ${unknown.join(', ')} in ${corpId}`);
		const user = {
			name: String(record.userid),
			order: department.map(() => 0),
			position: '',
			mobile: '',
			email: '',
			biz_mail: '',
			gender: '1',
			status: 1,
			enable: 1,
			is_leader_in_dept: department.map(() => 0),
			direct_leader: [],
			main_department: department[0],
			licensed: true,
			...record,
			corpId,
			userid: String(record.userid),
			department,
		};
		world.users.push(user);
		invalidateWeComIndex(world);
		return user;
	},
	/** { corpId?, tagid?, tagname, userlist?, partylist? } */
	tags(/** @type {WeComWorld} */ world, /** @type {unknown} */ input) {
		const record = requireObject(input);
		const corpId = corpOf(world, record);
		if (!record.tagname) throw new EmulatorInputError('a tag needs a tagname');
		const existing = world.tags.filter((tag) => tag.corpId === corpId);
		const tag = {
			corpId,
			tagid: Number(record.tagid ?? Math.max(0, ...existing.map((item) => item.tagid)) + 1),
			tagname: String(record.tagname),
			userlist: (record.userlist ?? []).map(String),
			partylist: (record.partylist ?? []).map(Number),
		};
		if (existing.some((item) => item.tagid === tag.tagid))
			throw new EmulatorInputError(`tag ${tag.tagid} already exists in ${corpId}`, 409);
		world.tags.push(tag);
		invalidateWeComIndex(world);
		return tag;
	},
	/** { key, name? } */
	robots(/** @type {WeComWorld} */ world, /** @type {unknown} */ input) {
		const record = requireObject(input);
		if (!record.key) throw new EmulatorInputError('a robot needs a key');
		if (world.robots.some((robot) => robot.key === String(record.key)))
			throw new EmulatorInputError('a robot with this key already exists', 409);
		const robot = {
			key: String(record.key),
			name: String(record.name ?? `Robot ${world.robots.length + 1}`),
		};
		world.robots.push(robot);
		return robot;
	},
};

module.exports = {
	corpIndex,
	invalidateWeComIndex,
	normalizeMobile,
	subtreeIds,
	membersIn,
	usersByLowerId,
	departmentTree,
	membersOf,
	WECOM_SEED_KINDS,
};
