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
//   answers, and the largest number of accepted calls in any 1000 ms.
//
// Messages: { id, cmd, arg } → { id, ok, value | error }. Commands: setup, startCase,
// restartQuota, counters, close.
import dc from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

import { PLATFORMS, isOkAnswer, isRateLimitAnswer } from './platforms.mjs';

const require = createRequire(import.meta.url);
const { createEmulator } = require('../emulator');

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
});
let counters = freshCounters();

dc.subscribe('net.server.socket', () => {
	counters.connections++;
});

const emu = await createEmulator({
	// The counters below replace the request log; keep it tiny so 30,000 calls cost no memory.
	maxRecordedRequests: 16,
	onRequest(entry) {
		counters.platformCalls++;
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

/** @type {Record<string, (arg: any) => unknown>} */
const commands = {
	setup() {
		for (const platform of Object.values(PLATFORMS)) emu.quotas.set(platform.quota.spec);
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
	startCase({ platform, latencyMs }) {
		const { quota } = platformOf(platform);
		emu.faults.clear();
		if (latencyMs > 0)
			emu.faults.add({ platform, kind: 'delay', ms: latencyMs, times: 'Infinity' });
		emu.quotas.set(quota.spec);
		counters = freshCounters();
		return { faults: emu.faults.list(), quotas: emu.quotas.list() };
	},
	restartQuota({ platform }) {
		emu.quotas.set(platformOf(platform).quota.spec);
		return {};
	},
	counters() {
		const { acceptedAt, ...rest } = counters;
		return { ...rest, peakPerSecond: peakInWindow(acceptedAt) };
	},
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
