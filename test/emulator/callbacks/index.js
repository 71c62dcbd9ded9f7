// @ts-check
'use strict';

const nodeCrypto = require('node:crypto');
const {
	DEFAULT_CALLBACK_CONFIG,
	createGenerators,
	timingVerdict,
	msOption,
	readOptions,
	requireUrl,
	retryOption,
	retryInterval,
} = require('./core');
const { createSender } = require('./http');
const { createCallbackLog, createForgeryLog } = require('./log');
const { createWeComCallbacks, RETRY: WECOM_RETRY, xmlValue } = require('./wecom');
const { createDingTalkCallbacks, RETRY: DINGTALK_RETRY } = require('./dingtalk');
const { planForgeries, fingerprint } = require('./forgeries');
const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');

/**
 * `emu.callbacks`: the emulator as the platform that calls a receiver (a trigger's webhook URL).
 * Each call builds the signed, encrypted request, sends it, judges the answer as the platform
 * would, records everything in the callback log and resolves with that log entry. See README.md
 * "Callbacks".
 *
 * @typedef {import('./log').CallbackLogEntry} CallbackLogEntry
 * @typedef {import('./core').PreparedCallback} PreparedCallback
 * @typedef {import('./core').RetryPolicy} RetryPolicy
 * @typedef {import('../dingtalk/approvals').ApprovalEvent} DingTalkEngineEvent
 * @typedef {import('../wecom/approvals').ApprovalEvent} WeComEngineEvent
 *
 * @typedef {object} ForgerySummary  what forgeries() resolves with
 * @property {number} run
 * @property {'wecom'|'dingtalk'} platform
 * @property {string} seed
 * @property {number} sent
 * @property {Record<string, number>} byStatus   HTTP status → count ("0" = no answer)
 * @property {number} accepted                    answered 2xx (a correct receiver: 0)
 * @property {number} refused                     answered 4xx (a correct receiver: all)
 * @property {boolean} allRefused                 every answer 4xx, none accepted
 * @property {Array<{ id: number, index: number, mutation: string, detail: string, status: number, error?: string }>} failures  the first 20 not answered 4xx
 * @property {Record<string, number>} kinds       mutation kind → cases sent
 * @property {Record<string, number>} acceptedByKind  mutation kind → cases answered 2xx
 * @property {number} distinct                    distinct requests (by method, URL, content type, body)
 * @property {number} elapsedMs
 */

/** How many failures a forgery summary lists. */
const FAILURES_LISTED = 20;

/**
 * @param {{ clock: import('../clock').Clock, ids: import('../ids').IdSource, nameOf: (platform: 'dingtalk'|'wecom', userid: string) => string | undefined, limit?: number, forgeryLimit?: number, approvalEvents?: { dingtalk: () => DingTalkEngineEvent[], wecom: () => WeComEngineEvent[] } }} deps
 */
function createCallbacks({
	clock,
	ids,
	nameOf,
	limit = 1000,
	forgeryLimit = 5000,
	approvalEvents = { dingtalk: () => [], wecom: () => [] },
}) {
	const gen = createGenerators(ids); // the emulator's id source: reset() restarts nonces and prefixes
	const log = createCallbackLog({ limit });
	const forgeryLog = createForgeryLog({ limit: forgeryLimit });
	const sender = createSender();
	/** Waits between retries; reset() and close() end them (the retries are then not sent). */
	let generation = 0;
	/** @type {Set<() => void>} */
	const waits = new Set();
	/** Engine events already sent, per platform and URL (deliverApprovalEvents sends each once). @type {Map<string, Set<string>>} */
	let deliveredEvents = new Map();
	/** How to judge each first send again when it is redelivered (same bytes, same expectations). @type {Map<number, PreparedCallback>} */
	let prepared = new Map();
	const now = () => clock.now();
	const wecom = createWeComCallbacks({ now, gen });
	const dingtalk = createDingTalkCallbacks({
		now,
		gen,
		nameOf: (userid) => nameOf('dingtalk', userid),
	});

	/**
	 * Sends, judges, records.
	 * @param {PreparedCallback} callback
	 * @param {{ kind?: 'redeliver'|'retry', redeliveryOf?: number, waitMs?: number, attempt?: number, engineEvent?: string | number }} [redelivery]
	 * @returns {Promise<CallbackLogEntry>}
	 */
	async function dispatch(callback, redelivery = {}) {
		const entry = log.start({
			time: now(),
			platform: callback.platform,
			kind: redelivery.kind ?? callback.kind,
			request: callback.request,
			query: callback.query,
			plaintext: callback.plaintext,
			forge: callback.forge,
			redeliveryOf: redelivery.redeliveryOf ?? null,
			attempt: redelivery.attempt ?? 1,
			engineEvent: redelivery.engineEvent ?? null,
			deadlineMs: callback.deadlineMs,
		});
		if (!redelivery.kind) {
			prepared.set(entry.id, callback);
			if (prepared.size > limit)
				prepared.delete(/** @type {number} */ (prepared.keys().next().value));
		}
		const answer = await sender.send({
			...callback.request,
			waitMs: redelivery.waitMs ?? callback.waitMs,
		});
		const late = timingVerdict(answer, callback.deadlineMs);
		if (late) {
			log.finish(entry, answer, { ...late, accepted: false });
		} else {
			const judged = callback.judge(answer);
			if (!callback.forge) log.finish(entry, answer, { ...judged, ok: judged.accepted });
			else if (judged.accepted)
				log.finish(entry, answer, {
					...judged,
					ok: false,
					reason: `the receiver accepted a forged delivery (forge: ${callback.forge}); it must refuse it`,
				});
			else
				log.finish(entry, answer, {
					accepted: false,
					ok: true,
					...(judged.reply !== undefined ? { reply: judged.reply } : {}),
				});
		}
		return entry;
	}

	/** Resolves true after `ms`, or false at once when reset() or close() ends the wait. @param {number} ms */
	function pause(ms) {
		const started = generation;
		return new Promise((resolve) => {
			const end = (/** @type {boolean} */ done) => {
				clearTimeout(timer);
				waits.delete(cancel);
				resolve(done && generation === started);
			};
			const cancel = () => end(false);
			const timer = setTimeout(() => end(true), ms);
			waits.add(cancel);
		});
	}

	/**
	 * Sends a callback and, while the platform does not count it as received, its exact bytes
	 * again as the policy says. Resolves with the last entry (its `attempt` and `redeliveryOf`
	 * tell how it went); without a policy, with the one entry.
	 * @param {PreparedCallback} callback
	 * @param {RetryPolicy | null} policy
	 * @param {{ engineEvent?: string | number }} [extra]
	 */
	async function deliverWithRetries(callback, policy, extra = {}) {
		const started = generation;
		const first = await dispatch(callback, extra);
		let entry = first;
		for (let n = 1; policy && n <= policy.attempts && !entry.accepted; n++) {
			if (generation !== started || !(await pause(retryInterval(policy, n)))) break;
			entry = await dispatch(callback, {
				...extra,
				kind: 'retry',
				redeliveryOf: first.id,
				attempt: n + 1,
			});
		}
		return entry;
	}

	/** The retry option of deliver() (off unless given). @param {unknown} input @param {RetryPolicy} platform */
	const deliverRetry = (input, platform) =>
		retryOption(isPlainObject(input) ? input.retry : undefined, platform, null);

	/**
	 * deliverApprovalEvents(): every engine event not sent to this URL before, in order, each with
	 * the platform's retries unless `retry: false`.
	 * @template E
	 * @param {'wecom'|'dingtalk'} platform
	 * @param {unknown} input
	 * @param {{ events: (options: Record<string, any>) => E[], key: (event: E) => string | number, deliverOptions: (event: E) => Record<string, unknown>, prepare: (options: unknown) => PreparedCallback, retry: RetryPolicy }} how
	 */
	async function deliverEngineEvents(platform, input, how) {
		const options = readOptions(input, `${platform}.deliverApprovalEvents`);
		const url = requireUrl(options.url);
		for (const name of ['message', 'approval', 'event', 'forge'])
			if (options[name] !== undefined)
				throw new EmulatorInputError(
					`deliverApprovalEvents sends the engine's events: ${name} is not an option`,
				);
		const policy = retryOption(options.retry, how.retry, how.retry);
		const slot = `${platform} ${url}`;
		const sent = deliveredEvents.get(slot) ?? new Set();
		deliveredEvents.set(slot, sent);
		const { retry: _retry, filter: _filter, spNo: _spNo, all, ...rest } = options;
		const pending = how.events(options).filter((event) => all || !sent.has(String(how.key(event))));
		const build = (/** @type {E} */ event) =>
			how.prepare({ ...rest, url, ...how.deliverOptions(event) });
		// The first is built before any event is claimed, so a bad option sends and claims nothing.
		const first = pending.length ? build(pending[0]) : undefined;
		for (const event of pending) sent.add(String(how.key(event))); // claimed: a concurrent call skips them
		/** @type {CallbackLogEntry[]} */
		const entries = [];
		for (const [index, event] of pending.entries()) {
			const callback = index === 0 && first ? first : build(event);
			entries.push(await deliverWithRetries(callback, policy, { engineEvent: how.key(event) }));
		}
		return entries;
	}

	/** DingTalk filter: field values of the event (eventType or any data field; a list = any of). @param {unknown} filter */
	function dingtalkFilter(filter) {
		if (filter === undefined || filter === null) return () => true;
		if (typeof filter === 'function')
			return /** @type {(event: DingTalkEngineEvent) => boolean} */ (filter);
		if (!isPlainObject(filter))
			throw new EmulatorInputError(
				'filter must be an object of event fields, e.g. {type: "finish"}',
			);
		const wanted = Object.entries(filter);
		return (/** @type {DingTalkEngineEvent} */ event) => {
			/** @type {Record<string, unknown>} */
			const fields = { ...event.data, eventType: event.eventType, eventId: event.eventId };
			return wanted.every(([name, value]) =>
				Array.isArray(value) ? value.includes(fields[name]) : fields[name] === value,
			);
		};
	}

	/**
	 * Sends a run of forgeries with bounded concurrency, records each compactly, sums them up.
	 * @param {'wecom'|'dingtalk'} platform
	 * @param {unknown} input
	 * @returns {Promise<ForgerySummary>}
	 */
	async function sendForgeries(platform, input) {
		const plan = planForgeries(platform, input, {
			now,
			nameOf: (userid) => nameOf('dingtalk', userid),
			defaultSeed: () => `emulator-${gen.next('callback-forgeries')}`,
		});
		const run = forgeryLog.nextRun();
		const started = Date.now();
		const startedGeneration = generation;
		/** @type {ForgerySummary} */
		const summary = {
			run,
			platform,
			seed: plan.seed,
			sent: 0,
			byStatus: {},
			accepted: 0,
			refused: 0,
			allRefused: false,
			failures: [],
			kinds: {},
			acceptedByKind: {},
			distinct: 0,
			elapsedMs: 0,
		};
		/** @type {Set<string>} */
		const distinct = new Set();
		const cases = plan.cases()[Symbol.iterator]();
		const worker = async () => {
			for (;;) {
				if (generation !== startedGeneration) return;
				const next = cases.next(); // built here, one at a time, in order
				if (next.done) return;
				const forged = next.value;
				const { request } = forged;
				distinct.add(fingerprint(request));
				summary.kinds[forged.mutation] = (summary.kinds[forged.mutation] ?? 0) + 1;
				const answer = await sender.send({ ...request, waitMs: plan.deadlineMs });
				const status = answer.status;
				const accepted = status >= 200 && status < 300;
				const refused = status >= 400 && status < 500;
				const record = forgeryLog.add({
					run,
					index: forged.index,
					platform,
					mutation: forged.mutation,
					detail: forged.detail,
					method: request.method,
					url: request.url.length > 300 ? `${request.url.slice(0, 299)}…` : request.url,
					contentType: request.headers['content-type'] ?? '',
					bodyBytes: Buffer.byteLength(request.body, 'utf8'),
					bodySha1: nodeCrypto.createHash('sha1').update(request.body).digest('hex'),
					bodyExcerpt: request.body.slice(0, 120),
					status,
					elapsedMs: answer.elapsedMs,
					timedOut: answer.timedOut,
					...(answer.error ? { error: answer.error } : {}),
					answerExcerpt: answer.body.slice(0, 120),
					accepted,
					refused,
				});
				summary.sent += 1;
				summary.byStatus[String(status)] = (summary.byStatus[String(status)] ?? 0) + 1;
				if (accepted) {
					summary.accepted += 1;
					summary.acceptedByKind[forged.mutation] =
						(summary.acceptedByKind[forged.mutation] ?? 0) + 1;
				}
				if (refused) summary.refused += 1;
				else if (summary.failures.length < FAILURES_LISTED)
					summary.failures.push({
						id: record.id,
						index: forged.index,
						mutation: forged.mutation,
						detail: forged.detail,
						status,
						...(answer.error
							? { error: answer.error }
							: answer.timedOut
								? { error: 'timeout' }
								: {}),
					});
			}
		};
		await Promise.all(Array.from({ length: plan.concurrency }, worker));
		summary.distinct = distinct.size;
		summary.allRefused = summary.sent === plan.count && summary.refused === summary.sent;
		summary.elapsedMs = Date.now() - started;
		return summary;
	}

	/** The cases of a run, built but not sent (same options as forgeries). @param {'wecom'|'dingtalk'} platform @param {unknown} input */
	function forgeryCases(platform, input) {
		const plan = planForgeries(platform, input, {
			now,
			nameOf: (userid) => nameOf('dingtalk', userid),
			defaultSeed: () => `emulator-${gen.next('callback-forgeries')}`,
		});
		return { platform, seed: plan.seed, kinds: plan.kinds, cases: [...plan.cases()] };
	}

	return {
		config: DEFAULT_CALLBACK_CONFIG,
		/** The platforms' retry policies (deliverApprovalEvents' default; deliver() with `retry: true`). */
		retryPolicies: { wecom: WECOM_RETRY, dingtalk: DINGTALK_RETRY },
		wecom: {
			/** @param {unknown} options see wecom.js prepareVerifyUrl */
			verifyUrl: async (options) => dispatch(wecom.prepareVerifyUrl(options)),
			/** @param {unknown} options see wecom.js prepareDeliver; `retry` (default off): true or {attempts, intervalMs} */
			deliver: async (options) =>
				deliverWithRetries(wecom.prepareDeliver(options), deliverRetry(options, WECOM_RETRY)),
			/**
			 * Every sys_approval_change of the approval engine not yet sent to `url` (`spNo` filters;
			 * `all: true` sends them again), in order, with WeCom's retries unless `retry: false`.
			 * Other deliver() options apply. Resolves with one (last) log entry per event.
			 * @param {unknown} options
			 */
			deliverApprovalEvents: async (options) =>
				deliverEngineEvents('wecom', options, {
					// the corp whose callback URL this is (WeCom calls each corp's app URL with its own events)
					events: (o) =>
						approvalEvents
							.wecom()
							.filter(
								(event) =>
									xmlValue(event.xml, 'ToUserName') ===
										String(o.corpId ?? o.receiveId ?? DEFAULT_CALLBACK_CONFIG.wecom.corpId) &&
									(o.spNo === undefined || event.spNo === String(o.spNo)),
							),
					key: (event) => event.id,
					deliverOptions: (event) => ({ message: event.xml }),
					prepare: wecom.prepareDeliver,
					retry: WECOM_RETRY,
				}),
			/** Sends `count` forged callbacks; see forgeries.js. @param {unknown} options */
			forgeries: (options) => sendForgeries('wecom', options),
			/** The forged callbacks forgeries() would send, not sent. @param {unknown} options */
			forgeryCases: (options) => forgeryCases('wecom', options),
			approvalEvent: wecom.approvalEvent,
		},
		dingtalk: {
			/** @param {unknown} options see dingtalk.js prepareCheckUrl */
			checkUrl: async (options) => dispatch(dingtalk.prepareCheckUrl(options)),
			/** @param {unknown} options see dingtalk.js prepareDeliver; `retry` (default off): true or {attempts, intervalMs} */
			deliver: async (options) =>
				deliverWithRetries(dingtalk.prepareDeliver(options), deliverRetry(options, DINGTALK_RETRY)),
			/**
			 * Every bpms_instance_change / bpms_task_change of the approval engine not yet sent to
			 * `url` (`filter`: event fields, e.g. {eventType, type, processInstanceId}; `all: true`
			 * sends them again), in order, with DingTalk's retries unless `retry: false`. Resolves with
			 * one (last) log entry per event.
			 * @param {unknown} options
			 */
			deliverApprovalEvents: async (options) =>
				deliverEngineEvents('dingtalk', options, {
					events: (o) => {
						const corpId = String(o.corpId ?? DEFAULT_CALLBACK_CONFIG.dingtalk.corpId);
						const wanted = dingtalkFilter(o.filter);
						return approvalEvents
							.dingtalk()
							.filter((event) => event.corpId === corpId && wanted(event));
					},
					key: (event) => event.eventId,
					deliverOptions: (event) => ({ event: event.data }),
					prepare: dingtalk.prepareDeliver,
					retry: DINGTALK_RETRY,
				}),
			/** Sends `count` forged callbacks; see forgeries.js. @param {unknown} options */
			forgeries: (options) => sendForgeries('dingtalk', options),
			/** The forged callbacks forgeries() would send, not sent. @param {unknown} options */
			forgeryCases: (options) => forgeryCases('dingtalk', options),
			approvalEvent: dingtalk.approvalEvent,
		},
		/**
		 * Sends the exact bytes of an earlier callback again (platforms retry), judged the same way.
		 * @param {number | string} id  a callback-log id (a redelivery's id means its original)
		 * @param {{ waitMs?: number }} [options]
		 */
		async redeliver(id, options = {}) {
			const original = log.get(Number(id));
			const rootId = original.redeliveryOf ?? original.id;
			const callback = prepared.get(rootId);
			if (!callback)
				throw new EmulatorInputError(
					`callback ${rootId} can no longer be redelivered (log cleared?)`,
					404,
				);
			return dispatch(callback, {
				kind: 'redeliver',
				redeliveryOf: rootId,
				waitMs: msOption(options?.waitMs, 'waitMs', callback.waitMs),
			});
		},
		/** @param {import('./log').CallbackLogFilter} [filter] */
		log: (filter) => log.list(filter),
		/** @param {number | string} id */
		get: (id) => log.get(Number(id)),
		/** The forgery log (compact records of forged requests). @param {import('./log').ForgeryFilter} [filter] */
		forgeryLog: (filter) => forgeryLog.list(filter),
		clearLog() {
			log.clear();
			forgeryLog.clear();
			prepared = new Map();
		},
		/** reset(): empty logs, ids from 1 (the generators restart with the emulator's id source), pending retries dropped. */
		reset() {
			endWaits();
			log.reset();
			forgeryLog.reset();
			prepared = new Map();
			deliveredEvents = new Map();
		},
		/** close(): abandons callbacks in flight (they finish with error "aborted: the emulator closed") and pending retries. */
		abortAll() {
			endWaits();
			sender.abortAll();
		},
	};

	function endWaits() {
		generation += 1;
		for (const cancel of [...waits]) cancel();
	}
}

/** @typedef {ReturnType<typeof createCallbacks>} Callbacks */

module.exports = { createCallbacks, DEFAULT_CALLBACK_CONFIG };
