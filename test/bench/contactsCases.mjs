// What the contacts benchmark reads, per case: the node with its Return All parameters for the
// pack, a small warm-up variant of it, and the same calls written out by hand with undici for the
// raw loop (one keep-alive connection, sequential, token fetched once, the pack's order of calls):
//
//   dingtalk-getMany  DingTalk → User → Get Many, department 1 + sub-departments, Return All:
//                     breadth-first from 1; per department POST /topapi/v2/user/list
//                     {dept_id, cursor, size: 100, language} until has_more is false, then
//                     POST /topapi/v2/department/listsubid {dept_id} and its children queued
//                     (nodes/DingTalk/actions/user/getMany.operation.ts)
//   wecom-getIds      WeCom → User → Get IDs, Return All: POST /cgi-bin/user/list_id
//                     {cursor?, limit: 10000} until next_cursor is empty, rows merged per member
//   wecom-getMany     WeCom → User → Get Many, department 1 + sub-departments, Full, Return All:
//                     one GET /cgi-bin/user/list?department_id=1&fetch_child=1
//
// Every case's credential carries "Quota per API" (maxRequestsPerSecond) = `pace` (0 = the pack
// paces nothing); with pace > 0 the raw loop paces each API path at the pack's own rate.
import { performance } from 'node:perf_hooks';
import { Client } from 'undici';

import { PLATFORMS, isOkAnswer } from './platforms.mjs';
import { intervalPacer } from './senders.mjs';

const json = { 'content-type': 'application/json' };
const pathOf = (/** @type {string} */ url) => new URL(url).pathname.replace(/\/$/, '');

/** DingTalk v2/user/list page size (the pack's USER_PAGE_SIZE). */
export const DINGTALK_USER_PAGE = 100;
/** WeCom user/list_id page size (the pack's USER_ID_PAGE_SIZE). */
export const WECOM_USER_ID_PAGE = 10_000;

/**
 * @typedef {'dingtalk-getMany'|'wecom-getIds'|'wecom-getMany'} CaseId
 * @typedef {import('./platforms.mjs').BaseUrls} BaseUrls
 * @typedef {{ appKey?: string, appSecret?: string, corpId?: string, corpSecret?: string, agentId: number }} Identity
 * @typedef {{ method: 'GET'|'POST', path: string, headers?: Record<string, string>, body?: string }} HttpCall
 * @typedef {{ key: string, call: (token: string) => HttpCall }} Keyed
 * @typedef {{ ms: number, output: any[], distinct: number, calls: Record<string, number>,
 *   minimalFromAnswers?: Record<string, number> }} RawOutcome
 * @typedef {(http: (path: string, call: HttpCall) => Promise<any>, token: string) => Promise<Omit<RawOutcome, 'ms'|'calls'>>} RawWalk
 */

const DINGTALK_PATHS = {
	userList: '/topapi/v2/user/list',
	listSubId: '/topapi/v2/department/listsubid',
};
const WECOM_PATHS = {
	listId: '/cgi-bin/user/list_id',
	userList: '/cgi-bin/user/list',
	simpleList: '/cgi-bin/user/simplelist',
};

/** The three cases. `paths` = the platform paths each makes, in the order the report lists them. */
export const CASES = {
	'dingtalk-getMany': {
		id: /** @type {const} */ ('dingtalk-getMany'),
		platform: /** @type {const} */ ('dingtalk'),
		name: 'DingTalk User → Get Many',
		what: 'department 1 + sub-departments, Return All: breadth-first, v2/user/list pages of 100 per department, then listsubid',
		parameters: {
			resource: 'user',
			operation: 'getMany',
			departmentId: { __rl: true, mode: 'id', value: '1' },
			includeSubDepartments: true,
			returnAll: true,
			options: {},
		},
		/** One user/list call of size 1: loads the code paths and fetches the token. */
		warmUpParameters: {
			resource: 'user',
			operation: 'getMany',
			departmentId: { __rl: true, mode: 'id', value: '1' },
			includeSubDepartments: false,
			returnAll: false,
			limit: 1,
			options: {},
		},
		paths: [DINGTALK_PATHS.userList, DINGTALK_PATHS.listSubId],
		outputKey: 'userid',
	},
	'wecom-getIds': {
		id: /** @type {const} */ ('wecom-getIds'),
		platform: /** @type {const} */ ('wecom'),
		name: 'WeCom User → Get IDs',
		what: 'Return All: user/list_id pages of 10,000 rows (one per member and department) until next_cursor is empty',
		parameters: { resource: 'user', operation: 'getIds', returnAll: true },
		/** One simplelist call of a small department (department 32, direct members only). */
		warmUpParameters: {
			resource: 'user',
			operation: 'getMany',
			departmentId: { __rl: true, mode: 'id', value: '32' },
			includeSubDepartments: false,
			details: 'simple',
			returnAll: false,
			limit: 1,
		},
		paths: [WECOM_PATHS.listId],
		outputKey: 'userid',
	},
	'wecom-getMany': {
		id: /** @type {const} */ ('wecom-getMany'),
		platform: /** @type {const} */ ('wecom'),
		name: 'WeCom User → Get Many',
		what: 'department 1 + sub-departments, Full, Return All: one user/list?fetch_child=1',
		parameters: {
			resource: 'user',
			operation: 'getMany',
			departmentId: { __rl: true, mode: 'id', value: '1' },
			includeSubDepartments: true,
			details: 'full',
			returnAll: true,
		},
		warmUpParameters: {
			resource: 'user',
			operation: 'getMany',
			departmentId: { __rl: true, mode: 'id', value: '32' },
			includeSubDepartments: false,
			details: 'simple',
			returnAll: false,
			limit: 1,
		},
		paths: [WECOM_PATHS.userList],
		outputKey: 'userid',
	},
};

export const CASE_IDS = /** @type {CaseId[]} */ (Object.keys(CASES));

/** The HTTP method of each path the cases call, for the report. */
export const METHOD_OF = {
	[DINGTALK_PATHS.userList]: 'POST',
	[DINGTALK_PATHS.listSubId]: 'POST',
	[WECOM_PATHS.listId]: 'POST',
	[WECOM_PATHS.userList]: 'GET',
	[WECOM_PATHS.simpleList]: 'GET',
};

/** The credential as the user saves it, "Quota per API" = `pace` (0 = no pacing). */
export function credentialsOf(
	/** @type {'dingtalk'|'wecom'} */ platform,
	/** @type {Identity} */ identity,
	/** @type {BaseUrls} */ baseUrls,
	/** @type {number} */ pace,
) {
	return {
		...PLATFORMS[platform].credentials({ ...identity, users: [] }, baseUrls),
		maxRequestsPerSecond: pace,
	};
}

// ---------------------------------------------------------------------------------------------
// The raw loops: the pack's calls, by hand.

/** @param {import('./platforms.mjs').BaseUrls} baseUrls */
function dingTalkOapi(baseUrls) {
	const oapi = pathOf(baseUrls.dingtalkOapi);
	return {
		/** @param {string} path @param {string} token @param {object} body @returns {HttpCall} */
		post: (path, token, body) => ({
			method: 'POST',
			path: `${oapi}${path}?access_token=${token}`,
			headers: json,
			body: JSON.stringify(body),
		}),
	};
}

/**
 * The breadth-first walk of getMany.operation.ts: per department every page of its direct members
 * (deduplicated across departments, first seen kept), then its sub-department IDs queued.
 * @param {BaseUrls} baseUrls @returns {RawWalk}
 */
function dingTalkGetMany(baseUrls) {
	const { post } = dingTalkOapi(baseUrls);
	return async (http, token) => {
		/** @type {any[]} */
		const output = [];
		const seen = new Set();
		let minimalPages = 0;
		let departments = 0;
		const queue = [1];
		while (queue.length) {
			const deptId = /** @type {number} */ (queue.shift());
			departments++;
			let listed = 0;
			let cursor = 0;
			for (;;) {
				const { result } = await http(
					DINGTALK_PATHS.userList,
					post(DINGTALK_PATHS.userList, token, {
						dept_id: deptId,
						cursor,
						size: DINGTALK_USER_PAGE,
						language: 'zh_CN',
					}),
				);
				for (const user of result.list ?? []) {
					listed++;
					if (seen.has(user.userid)) continue;
					seen.add(user.userid);
					output.push(user);
				}
				if (!result.has_more || typeof result.next_cursor !== 'number') break;
				cursor = result.next_cursor;
			}
			minimalPages += Math.max(1, Math.ceil(listed / DINGTALK_USER_PAGE));
			const { result } = await http(
				DINGTALK_PATHS.listSubId,
				post(DINGTALK_PATHS.listSubId, token, { dept_id: deptId }),
			);
			queue.push(...(result.dept_id_list ?? []));
		}
		return {
			output,
			distinct: seen.size,
			minimalFromAnswers: {
				[DINGTALK_PATHS.userList]: minimalPages,
				[DINGTALK_PATHS.listSubId]: departments,
			},
		};
	};
}

/** @param {BaseUrls} baseUrls @returns {RawWalk} */
function weComGetIds(baseUrls) {
	const base = pathOf(baseUrls.wecom);
	return async (http, token) => {
		/** @type {Map<string, { userid: string, departmentIds: number[] }>} */
		const members = new Map();
		let rows = 0;
		/** @type {string | undefined} */
		let cursor;
		for (;;) {
			const answer = await http(WECOM_PATHS.listId, {
				method: 'POST',
				path: `${base}${WECOM_PATHS.listId}?access_token=${token}`,
				headers: json,
				body: JSON.stringify({ ...(cursor ? { cursor } : {}), limit: WECOM_USER_ID_PAGE }),
			});
			for (const row of answer.dept_user ?? []) {
				rows++;
				let member = members.get(row.userid);
				if (!member) {
					member = { userid: row.userid, departmentIds: [] };
					members.set(row.userid, member);
				}
				if (typeof row.department === 'number') member.departmentIds.push(row.department);
			}
			if (!answer.next_cursor) break;
			cursor = answer.next_cursor;
		}
		return {
			output: [...members.values()],
			distinct: members.size,
			minimalFromAnswers: {
				[WECOM_PATHS.listId]: Math.max(1, Math.ceil(rows / WECOM_USER_ID_PAGE)),
			},
		};
	};
}

/** @param {BaseUrls} baseUrls @returns {RawWalk} */
function weComGetMany(baseUrls) {
	const base = pathOf(baseUrls.wecom);
	return async (http, token) => {
		const query = new URLSearchParams({
			access_token: token,
			department_id: '1',
			fetch_child: '1',
		});
		const answer = await http(WECOM_PATHS.userList, {
			method: 'GET',
			path: `${base}${WECOM_PATHS.userList}?${query}`,
		});
		const output = answer.userlist ?? [];
		return {
			output,
			distinct: new Set(output.map((/** @type {any} */ user) => user.userid)).size,
			minimalFromAnswers: { [WECOM_PATHS.userList]: 1 },
		};
	};
}

/** The raw warm-up: the same small call as the pack's warm-up. @returns {RawWalk} */
function warmUpWalk(/** @type {CaseId} */ id, /** @type {BaseUrls} */ baseUrls) {
	if (CASES[id].platform === 'dingtalk') {
		const { post } = dingTalkOapi(baseUrls);
		return async (http, token) => {
			const { result } = await http(
				DINGTALK_PATHS.userList,
				post(DINGTALK_PATHS.userList, token, {
					dept_id: 1,
					cursor: 0,
					size: 1,
					language: 'zh_CN',
				}),
			);
			return { output: result.list ?? [], distinct: (result.list ?? []).length };
		};
	}
	const base = pathOf(baseUrls.wecom);
	return async (http, token) => {
		const query = new URLSearchParams({
			access_token: token,
			department_id: '32',
			fetch_child: '0',
		});
		const answer = await http(WECOM_PATHS.simpleList, {
			method: 'GET',
			path: `${base}${WECOM_PATHS.simpleList}?${query}`,
		});
		return { output: (answer.userlist ?? []).slice(0, 1), distinct: 1 };
	};
}

const WALKS = {
	'dingtalk-getMany': dingTalkGetMany,
	'wecom-getIds': weComGetIds,
	'wecom-getMany': weComGetMany,
};

/**
 * The raw loop of one case on its own undici Client (one keep-alive connection), sequential. The
 * token is fetched on first use and kept for the reader's life; `perSecond` > 0 paces each path.
 * @param {CaseId} id @param {Identity} identity @param {BaseUrls} baseUrls
 * @param {{ perSecond?: number }} [pacing]
 */
export function openRawReader(id, identity, baseUrls, { perSecond = 0 } = {}) {
	const { platform } = CASES[id];
	const calls = PLATFORMS[platform].calls({ ...identity, users: [] }, baseUrls);
	const client = new Client(calls.origin);
	/** @type {Map<string, () => Promise<void>>} */
	const pacers = new Map();
	/** @type {Record<string, number>} */
	let counted = {};
	/** @param {string} path @param {HttpCall} call */
	const http = async (path, call) => {
		if (perSecond > 0) {
			let pace = pacers.get(path);
			if (!pace) pacers.set(path, (pace = intervalPacer(perSecond)));
			await pace();
		}
		counted[path] = (counted[path] ?? 0) + 1;
		const response = await client.request(call);
		const body = /** @type {any} */ (await response.body.json());
		if (!isOkAnswer(response.statusCode, body))
			throw new Error(`${call.method} ${path}: ${response.statusCode} ${JSON.stringify(body)}`);
		return body;
	};
	/** @type {Promise<string> | undefined} */
	let token;
	const tokenOnce = () =>
		(token ??= (async () => {
			const response = await client.request(calls.token);
			const body = await response.body.json();
			if (!isOkAnswer(response.statusCode, body))
				throw new Error(`token request failed: ${response.statusCode} ${JSON.stringify(body)}`);
			return calls.tokenOf(body);
		})());
	/** @param {RawWalk} walk @returns {Promise<RawOutcome>} */
	const run = async (walk) => {
		const held = await tokenOnce();
		counted = {};
		const started = performance.now();
		const outcome = await walk(http, held);
		return { ms: performance.now() - started, ...outcome, calls: counted };
	};
	const walk = WALKS[id](baseUrls);
	const warmUp = warmUpWalk(id, baseUrls);
	return {
		run: () => run(walk),
		warmUp: () => run(warmUp),
		close: async () => await client.close(),
	};
}
