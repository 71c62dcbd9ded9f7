// The platform emulator in its own process for the send benchmark, so its CPU time and garbage are
// not the measured process's. Started by sendThroughput.mjs with child_process.fork and driven
// over the IPC channel (no control HTTP calls, so every TCP connection it counts is a client's).
//
// Per case it sets:
// - a latency: the emulator's own `delay` fault (times Infinity) on every call of the case's
//   platform, token calls included, so each round trip waits that long before it is answered
//   (quota admission happens after the wait, as the answer is computed then);
// - the platform's documented quota (PLATFORMS[platform].quota.spec), set afresh so its sliding
//   window starts empty and cases do not share a minute;
// - fresh counters: TCP connections accepted (diagnostics channel net.server.socket = the
//   server's 'connection' events), token requests, rate-limit answers, accepted calls, other
//   answers, the largest number of accepted calls in any 1000 ms, and the emulator's CPU time.
//
// Options (argv[2], JSON, optional): `seed` = createEmulator's seed option, e.g.
// { dingtalkUserCount: 20000, dingtalkDepartmentCount: 300 } (test/emulator/README.md "Start").
// `setup` and `startCase` take `quotas: false` / `quota: false` to run without any quota (the
// contacts benchmark measures the client, not the platform's admission); counters also count
// calls per platform path (`byPath`, token calls included).
//
// Messages: { id, cmd, arg } → { id, ok, value | error }. Commands: setup, startCase,
// restartQuota, counters, contactsFacts, close.
import dc from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

import { PLATFORMS, isOkAnswer, isRateLimitAnswer } from './platforms.mjs';

const require = createRequire(import.meta.url);
const { createEmulator } = require('../emulator');

const options = JSON.parse(process.argv[2] ?? '{}');

const tokenPaths = new Set(Object.values(PLATFORMS).flatMap((platform) => platform.tokenPaths));

const freshCounters = () => ({
	connections: 0,
	platformCalls: 0,
	tokenRequests: 0,
	rateLimitAnswers: 0,
	accepted: 0,
	otherAnswers: 0,
	/** @type {unknown} */
	firstOtherAnswer: undefined,
	/** @type {number[]} */
	acceptedAt: [],
	/** @type {Record<string, number>} */
	byPath: {},
	cpuAtStart: process.cpuUsage(),
});
let counters = freshCounters();

dc.subscribe('net.server.socket', () => {
	counters.connections++;
});

const emu = await createEmulator({
	...(options.seed ? { seed: options.seed } : {}),
	// The counters below replace the request log; keep it tiny so 30,000 calls cost no memory.
	maxRecordedRequests: 16,
	onRequest(entry) {
		counters.platformCalls++;
		counters.byPath[entry.path] = (counters.byPath[entry.path] ?? 0) + 1;
		if (tokenPaths.has(entry.path)) counters.tokenRequests++;
		else if (isRateLimitAnswer(Number(entry.status), entry.response)) counters.rateLimitAnswers++;
		else if (isOkAnswer(Number(entry.status), entry.response)) {
			counters.accepted++;
			counters.acceptedAt.push(performance.now());
		} else {
			counters.otherAnswers++;
			counters.firstOtherAnswer ??= {
				path: entry.path,
				status: entry.status,
				response: entry.response,
			};
		}
	},
});

/** Most accepted calls in any window of `windowMs` (times ascending). */
function peakInWindow(/** @type {number[]} */ times, windowMs = 1000) {
	let peak = 0;
	for (let start = 0, end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= windowMs) start++;
		peak = Math.max(peak, end - start + 1);
	}
	return peak;
}

const platformOf = (/** @type {string} */ id) => {
	const platform = PLATFORMS[/** @type {'dingtalk'|'wecom'} */ (id)];
	if (!platform) throw new Error(`unknown platform ${id}`);
	return platform;
};

/**
 * What a complete Return All over the seeded org must read, from the emulator's state (not from
 * any answer): per DingTalk department walked breadth-first from the root, its direct members,
 * hence the fewest v2/user/list pages of 100 (at least one per department, an empty department
 * answers one empty page) and one listsubid per department; for WeCom the user/list_id rows (one
 * per member and department, 10,000 a page) and the members of department 1 with its subtree.
 */
function contactsFacts() {
	const dingtalk = emu.state.dingtalk;
	/** @type {Map<number, number[]>} */
	const children = new Map();
	for (const dept of dingtalk.departments) {
		if (dept.parent_id === null || dept.parent_id === undefined) continue;
		children.set(dept.parent_id, [...(children.get(dept.parent_id) ?? []), dept.dept_id]);
	}
	/** @type {Map<number, number>} */
	const direct = new Map();
	for (const user of dingtalk.users)
		for (const deptId of user.dept_id_list) direct.set(deptId, (direct.get(deptId) ?? 0) + 1);
	const walked = new Set([1]);
	for (const queue = [1]; queue.length; ) {
		for (const child of children.get(/** @type {number} */ (queue.shift())) ?? []) {
			if (walked.has(child)) continue;
			walked.add(child);
			queue.push(child);
		}
	}
	let userListPages = 0;
	let memberships = 0;
	let largest = 0;
	for (const deptId of walked) {
		const members = direct.get(deptId) ?? 0;
		userListPages += Math.max(1, Math.ceil(members / 100));
		memberships += members;
		largest = Math.max(largest, members);
	}
	const dingtalkUsers = dingtalk.users.filter((user) =>
		user.dept_id_list.some((deptId) => walked.has(deptId)),
	).length;

	const corpId = emu.seed.wecom.corpId;
	const wecomUsers = emu.state.wecom.users.filter((user) => user.corpId === corpId);
	const wecomDepartments = emu.state.wecom.departments.filter((dept) => dept.corpId === corpId);
	const listIdRows = wecomUsers.reduce((rows, user) => rows + user.department.length, 0);
	const underRoot = new Set([1]);
	for (let grew = true; grew; ) {
		grew = false;
		for (const dept of wecomDepartments) {
			if (underRoot.has(dept.id) || !underRoot.has(dept.parentid)) continue;
			underRoot.add(dept.id);
			grew = true;
		}
	}
	return {
		dingtalk: {
			departments: dingtalk.departments.length,
			departmentsWalked: walked.size,
			users: dingtalk.users.length,
			distinctUsersWalked: dingtalkUsers,
			memberships,
			largestDepartment: largest,
			userListPages,
			listSubIdCalls: walked.size,
		},
		wecom: {
			departments: wecomDepartments.length,
			users: wecomUsers.length,
			listIdRows,
			listIdPages: Math.max(1, Math.ceil(listIdRows / 10_000)),
			departmentsUnderRoot: underRoot.size,
			// Department 1 with fetch_child=1: each member with a department in that tree, once.
			distinctUsersUnderRoot: wecomUsers.filter((user) =>
				user.department.some((deptId) => underRoot.has(deptId)),
			).length,
		},
	};
}

/** @type {Record<string, (arg: any) => unknown>} */
const commands = {
	setup({ quotas = true }) {
		if (quotas)
			for (const platform of Object.values(PLATFORMS)) emu.quotas.set(platform.quota.spec);
		else emu.quotas.clear();
		const { dingtalk, wecom } = emu.seed;
		const unlicensed = new Set(wecom.unlicensedUsers);
		return {
			pid: process.pid,
			url: emu.url,
			baseUrls: emu.baseUrls,
			seeds: {
				dingtalk: {
					appKey: dingtalk.appKey,
					appSecret: dingtalk.appSecret,
					agentId: dingtalk.agentId,
					users: dingtalk.users,
				},
				wecom: {
					corpId: wecom.corpId,
					corpSecret: wecom.corpSecret,
					agentId: wecom.agentId,
					users: wecom.users.filter((user) => !unlicensed.has(user)),
				},
			},
			quotas: emu.quotas.list(),
		};
	},
	startCase({ platform, latencyMs, quota: withQuota = true }) {
		const { quota } = platformOf(platform);
		emu.faults.clear();
		if (latencyMs > 0)
			emu.faults.add({ platform, kind: 'delay', ms: latencyMs, times: 'Infinity' });
		if (withQuota) emu.quotas.set(quota.spec);
		else emu.quotas.clear();
		counters = freshCounters();
		return { faults: emu.faults.list(), quotas: emu.quotas.list() };
	},
	restartQuota({ platform }) {
		emu.quotas.set(platformOf(platform).quota.spec);
		return {};
	},
	counters() {
		const { acceptedAt, cpuAtStart, ...rest } = counters;
		const cpu = process.cpuUsage(cpuAtStart);
		return {
			...rest,
			peakPerSecond: peakInWindow(acceptedAt),
			// The emulator's CPU time since the case started (user + system).
			cpuMs: (cpu.user + cpu.system) / 1000,
		};
	},
	contactsFacts,
	async close() {
		await emu.close();
		setImmediate(() => process.exit(0));
		return {};
	},
};

process.on('message', async (/** @type {any} */ message) => {
	const { id, cmd, arg } = message;
	try {
		const command = commands[cmd];
		if (!command) throw new Error(`unknown command ${cmd}`);
		process.send?.({ id, ok: true, value: await command(arg ?? {}) });
	} catch (error) {
		process.send?.({ id, ok: false, error: String(/** @type {Error} */ (error)?.stack ?? error) });
	}
});
// The benchmark went away (finished, crashed or was interrupted): so do we.
process.on('disconnect', () => {
	void emu.close().finally(() => process.exit(0));
});
process.send?.({ ready: true });
