// @ts-check
'use strict';

const { createClock } = require('./clock');
const { createIdSource } = require('./ids');
const { createTokenStore } = require('./tokens');
const { createFaultList } = require('./faults');
const { createQuotaList } = require('./quotas');
const { createRequestLog } = require('./requestLog');
const { createEmulatorServer, CONTROL_PREFIX } = require('./server');
const { createControlHandler } = require('./control');
const { createState, PLATFORMS } = require('./state');
const { applySettings } = require('./settings');
const { EmulatorInputError } = require('./inputError');
const { taskById, markTaskRead, setTaskProgress } = require('./dingtalk/workNotification');
const { messageById } = require('./wecom/appMessage');
const { createCallbacks } = require('./callbacks');
const { robotMessages } = require('./dingtalk/robot');
const { webhookMessages } = require('./wecom/robot');
const { approvalControls: dingtalkApprovals } = require('./dingtalk/approvals');
const { approvalControls: wecomApprovals } = require('./wecom/approvals');
const { createStreamGateway } = require('./stream/gateway');

/**
 * Local emulator of the DingTalk and WeCom server APIs (test and dev infrastructure, never
 * shipped). See README.md for what is emulated and every choice made where the official docs are
 * silent or unverified.
 *
 * @typedef {object} EmulatorOptions
 * @property {number} [port]                  0 (default) = a free port
 * @property {string} [host]                  default 127.0.0.1
 * @property {unknown} [settings]             initial settings patch, e.g. { dingtalk: { recipientLimits: 'sdk' } }
 * @property {import('./state').SeedOptions} [seed]  e.g. { dingtalkUserCount: 6000 }
 * @property {number} [maxRecordedRequests]   request-log size, default 10 000 (oldest dropped)
 * @property {(entry: import('./requestLog').RecordedRequest) => void} [onRequest]  called when a platform request is answered
 *
 * @typedef {Awaited<ReturnType<typeof createEmulator>>} Emulator
 */

/** http://host:port, with IPv6 hosts in brackets and wildcard hosts shown as loopback. */
function urlFor(/** @type {string} */ host, /** @type {number} */ port) {
	const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
	return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/** @param {EmulatorOptions} [options] */
async function createEmulator(options = {}) {
	const {
		port = 0,
		host = '127.0.0.1',
		settings,
		seed,
		maxRecordedRequests = 10_000,
		onRequest,
	} = options;
	const clock = createClock();
	const ids = createIdSource();
	let state = createState({ settings, seed });

	const tokens = createTokenStore({
		clock,
		ids,
		policies: { dingtalk: PLATFORMS.dingtalk.tokenPolicy, wecom: PLATFORMS.wecom.tokenPolicy },
		data: () => state.tokens,
	});
	const faults = createFaultList();
	const quotas = createQuotaList({ clock });
	const log = createRequestLog({ limit: maxRecordedRequests, onComplete: onRequest });
	/** The emulator as the calling platform (README "Callbacks"); user names come from the live org. */
	const callbacks = createCallbacks({
		clock,
		ids,
		nameOf: (platform, userid) =>
			/** @type {Array<{ userid: string, name?: string }>} */ (state[platform].users).find(
				(user) => user.userid === userid,
			)?.name,
		/** What deliverApprovalEvents() sends: the approval engines' queued events (live). */
		approvalEvents: {
			dingtalk: () => /** @type {any} */ (state.dingtalk).approvalEvents,
			wecom: () => /** @type {any} */ (state.wecom).approvalEvents,
		},
	});
	/** @type {import('./family').Env} */
	const env = {
		get state() {
			return state;
		},
		clock,
		ids,
		tokens,
	};

	/** @type {Emulator | undefined} */
	let emulator;
	/** DingTalk Stream mode: connections/open tickets, the WebSocket endpoint, events (README "DingTalk Stream gateway"). */
	const stream = createStreamGateway({ env, url: () => emulator?.url });
	const { server, cancelDelays } = createEmulatorServer({
		families: [...PLATFORMS.dingtalk.families, ...PLATFORMS.wecom.families],
		env,
		log,
		faults,
		quotas,
		control: createControlHandler(() => /** @type {Emulator} */ (emulator)),
		describe: () => ({
			emulator: 'n8n-nodes-dingtalk-wecom platform emulator',
			baseUrls: emulator?.baseUrls,
			control: `${emulator?.url}${CONTROL_PREFIX}`,
		}),
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	server.on('upgrade', stream.handleUpgrade);
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const url = urlFor(host, address.port);
	let closed = false;

	const platformOf = (/** @type {unknown} */ name) => {
		const platform = PLATFORMS[/** @type {'dingtalk'|'wecom'} */ (name)];
		if (!platform)
			throw new EmulatorInputError(`platform must be dingtalk or wecom, got ${String(name)}`);
		return platform;
	};

	const baseUrls = {
		dingtalkOapi: `${url}/dingtalk/oapi`,
		dingtalkApi: `${url}/dingtalk/api`,
		wecom: `${url}/wecom`,
	};
	const api = {
		url,
		baseUrls,
		/** Seeded credentials and ids (plus records added with addSeed), per platform; robots with their full webhookUrl. */
		get seed() {
			return {
				dingtalk: PLATFORMS.dingtalk.describeSeed(state.dingtalk, baseUrls),
				wecom: PLATFORMS.wecom.describeSeed(state.wecom, baseUrls),
			};
		},
		/** Live in-memory state; read it after reset() rather than keeping a reference. */
		get state() {
			return state;
		},
		/** @param {import('./requestLog').RequestFilter} [filter] */
		requests: (filter) => log.list(filter),
		clearRequests: () => log.clear(),
		/** Back to the seeded state: org, tokens, tasks, messages, settings, faults, quotas, request log, callback log, ids, clock. */
		reset() {
			state = createState({ settings, seed });
			ids.reset();
			faults.clear();
			quotas.clear();
			log.reset();
			callbacks.reset();
			stream.reset();
			clock.useRealTime();
		},
		clock,
		faults: { add: faults.add, clear: faults.clear, list: faults.list },
		quotas: { set: quotas.set, clear: quotas.clear, list: quotas.list },
		tokens: {
			expireAll: tokens.expireAll,
			setLifetime: tokens.setLifetime,
			lifetime: tokens.lifetime,
			list: tokens.list,
		},
		settings: {
			get: () => structuredClone(state.settings),
			set: (/** @type {unknown} */ patch) => structuredClone(applySettings(state.settings, patch)),
		},
		/**
		 * Adds a record to the organisation (dropped again by reset()).
		 * @param {'dingtalk'|'wecom'} platform
		 * @param {string} kind dingtalk: apps, users, departments, robots; wecom: corps, apps, users, departments, tags, robots
		 * @param {unknown} record
		 */
		addSeed(platform, kind, record) {
			const { seedKinds } = platformOf(platform);
			const add = /** @type {Record<string, (org: any, record: unknown) => object>} */ (seedKinds)[
				kind
			];
			if (!add)
				throw new EmulatorInputError(
					`unknown ${platform} seed kind ${kind}; known: ${Object.keys(seedKinds).join(', ')}`,
					404,
				);
			return add(state[platform], record);
		},
		dingtalk: {
			tasks: () => state.dingtalk.tasks,
			task: (/** @type {number|string} */ taskId) => taskById(state.dingtalk, taskId),
			/** Recipients read the message: the given userIds, or every unread one. @param {number|string} taskId @param {string[]} [userIds] */
			markTaskRead: (taskId, userIds) => markTaskRead(state.dingtalk, taskId, userIds),
			setTaskProgress: (
				/** @type {number|string} */ taskId,
				/** @type {{ progress_in_percent?: number, status?: number }} */ progress,
			) => setTaskProgress(state.dingtalk, taskId, progress),
			/** Messages custom robots posted, oldest first; `robot` = access token or name. @param {string} [robot] */
			robotMessages: (robot) => robotMessages(state.dingtalk, robot),
			/** The approval engine: templates, instances, acting as approvers, events. */
			approvals: dingtalkApprovals(() => state.dingtalk, { clock }),
			/** The Stream gateway: push events, acks and redelivery, connections, pings, drops. */
			stream: stream.api,
		},
		wecom: {
			messages: () => state.wecom.messages,
			message: (/** @type {string} */ msgid) => messageById(state.wecom, msgid),
			/** Messages group robots posted, oldest first; `robot` = key or name. @param {string} [robot] */
			robotMessages: (robot) => webhookMessages(state.wecom, robot),
			/** The approval engine: templates, instances, acting as approvers, events. */
			approvals: wecomApprovals(() => state.wecom, { clock }),
		},
		/** The emulator calling a receiver: wecom.verifyUrl/deliver, dingtalk.checkUrl/deliver, redeliver(id), log(filter). */
		callbacks: {
			config: callbacks.config,
			wecom: callbacks.wecom,
			dingtalk: callbacks.dingtalk,
			redeliver: callbacks.redeliver,
			/** @param {import('./callbacks/log').CallbackLogFilter} [filter] */
			log: (filter) => callbacks.log(filter),
			get: callbacks.get,
			clearLog: callbacks.clearLog,
			/** Compact records of forged requests (wecom/dingtalk.forgeries). @param {import('./callbacks/log').ForgeryFilter} [filter] */
			forgeryLog: (filter) => callbacks.forgeryLog(filter),
			retryPolicies: callbacks.retryPolicies,
		},
		/** Stops listening and drops open connections (pending delays end at once; callbacks in flight are abandoned). */
		async close() {
			if (closed) return;
			closed = true;
			cancelDelays();
			callbacks.abortAll();
			stream.close();
			await new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			});
		},
	};
	emulator = api;
	return api;
}

module.exports = { createEmulator };
