// @ts-check
'use strict';

const { DEFAULT_CALLBACK_CONFIG, createGenerators, timingVerdict, msOption } = require('./core');
const { createSender } = require('./http');
const { createCallbackLog } = require('./log');
const { createWeComCallbacks } = require('./wecom');
const { createDingTalkCallbacks } = require('./dingtalk');
const { EmulatorInputError } = require('../inputError');

/**
 * `emu.callbacks`: the emulator as the platform that calls a receiver (a trigger's webhook URL).
 * Each call builds the signed, encrypted request, sends it, judges the answer as the platform
 * would, records everything in the callback log and resolves with that log entry. See README.md
 * "Callbacks".
 *
 * @typedef {import('./log').CallbackLogEntry} CallbackLogEntry
 * @typedef {import('./core').PreparedCallback} PreparedCallback
 */

/**
 * @param {{ clock: import('../clock').Clock, ids: import('../ids').IdSource, nameOf: (platform: 'dingtalk'|'wecom', userid: string) => string | undefined, limit?: number }} deps
 */
function createCallbacks({ clock, ids, nameOf, limit = 1000 }) {
	const gen = createGenerators(ids); // the emulator's id source: reset() restarts nonces and prefixes
	const log = createCallbackLog({ limit });
	const sender = createSender();
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
	 * @param {{ kind?: 'redeliver', redeliveryOf?: number, waitMs?: number }} [redelivery]
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

	return {
		config: DEFAULT_CALLBACK_CONFIG,
		wecom: {
			/** @param {unknown} options see wecom.js prepareVerifyUrl */
			verifyUrl: async (options) => dispatch(wecom.prepareVerifyUrl(options)),
			/** @param {unknown} options see wecom.js prepareDeliver */
			deliver: async (options) => dispatch(wecom.prepareDeliver(options)),
			approvalEvent: wecom.approvalEvent,
		},
		dingtalk: {
			/** @param {unknown} options see dingtalk.js prepareCheckUrl */
			checkUrl: async (options) => dispatch(dingtalk.prepareCheckUrl(options)),
			/** @param {unknown} options see dingtalk.js prepareDeliver */
			deliver: async (options) => dispatch(dingtalk.prepareDeliver(options)),
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
		clearLog() {
			log.clear();
			prepared = new Map();
		},
		/** reset(): empty log, ids from 1 (the generators restart with the emulator's id source). */
		reset() {
			log.reset();
			prepared = new Map();
		},
		/** close(): abandons callbacks in flight (they finish with error "aborted: the emulator closed"). */
		abortAll: () => sender.abortAll(),
	};
}

/** @typedef {ReturnType<typeof createCallbacks>} Callbacks */

module.exports = { createCallbacks, DEFAULT_CALLBACK_CONFIG };
