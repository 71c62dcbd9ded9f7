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

/** userid (lower case) → user, for case-insensitive matching. */
function usersByLowerId(/** @type {WeComWorld} */ world, /** @type {string} */ corpId) {
	return new Map(
		world.users
			.filter((user) => user.corpId === corpId)
			.map((user) => [user.userid.toLowerCase(), user]),
	);
}

/** Department `id` and all its sub-departments (empty when it does not exist in the corp). */
function departmentTree(
	/** @type {WeComWorld} */ world,
	/** @type {string} */ corpId,
	/** @type {number} */ id,
) {
	const departments = world.departments.filter((dept) => dept.corpId === corpId);
	/** @type {Set<number>} */
	const tree = new Set();
	if (!departments.some((dept) => dept.id === id)) return tree;
	tree.add(id);
	let grew = true;
	while (grew) {
		grew = false;
		for (const dept of departments) {
			if (tree.has(dept.parentid) && !tree.has(dept.id)) {
				tree.add(dept.id);
				grew = true;
			}
		}
	}
	return tree;
}

/** Users of the corp in any of the given departments, in seed order. */
function membersOf(
	/** @type {WeComWorld} */ world,
	/** @type {string} */ corpId,
	/** @type {Set<number>} */ deptIds,
) {
	return world.users.filter(
		(user) => user.corpId === corpId && user.department.some((id) => deptIds.has(id)),
	);
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
			position: '',
			mobile: '',
			email: '',
			gender: '1',
			status: 1,
			enable: 1,
			is_leader_in_dept: department.map(() => 0),
			licensed: true,
			...record,
			corpId,
			userid: String(record.userid),
			department,
		};
		world.users.push(user);
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

module.exports = { usersByLowerId, departmentTree, membersOf, WECOM_SEED_KINDS };
