// @ts-check
'use strict';

const { createEmulator } = require('..');

/**
 * Small client helpers for the emulator's own tests. Requests go over real HTTP (Node's fetch),
 * as the nodes' transport would send them.
 *
 * @typedef {Awaited<ReturnType<typeof createEmulator>>} Emulator
 * @typedef {{ method?: string, query?: Record<string, string | number>, body?: unknown, headers?: Record<string, string>, raw?: string | Buffer }} CallOptions
 * @typedef {{ status: number, body: any, text: string, headers: Headers }} CallResult
 */

/**
 * @param {string} url
 * @param {CallOptions} [options]
 * @returns {Promise<CallResult>}
 */
async function call(url, { method, query, body, headers = {}, raw } = {}) {
	const target = new URL(url);
	for (const [key, value] of Object.entries(query ?? {}))
		target.searchParams.set(key, String(value));
	/** @type {RequestInit} */
	const init = {
		method: method ?? (body === undefined && raw === undefined ? 'GET' : 'POST'),
		headers: { ...headers },
	};
	if (raw !== undefined) init.body = raw;
	else if (body !== undefined) {
		init.body = JSON.stringify(body);
		init.headers = { 'content-type': 'application/json', ...headers };
	}
	const response = await fetch(target, init);
	const text = await response.text();
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = text;
	}
	return { status: response.status, body: parsed, text, headers: response.headers };
}

/** Calls on one emulator, by family. */
function clientFor(/** @type {Emulator} */ emu) {
	/** @param {string} base @returns {(path: string, options?: CallOptions) => Promise<CallResult>} */
	const at = (base) => (path, options) => call(`${base}${path}`, options);
	return {
		oapi: at(emu.baseUrls.dingtalkOapi),
		api: at(emu.baseUrls.dingtalkApi),
		wecom: at(emu.baseUrls.wecom),
		control: at(`${emu.url}/__emulator`),

		/** A DingTalk token for an app (default: the seeded primary app). */
		async dingtalkToken(
			appKey = emu.seed.dingtalk.appKey,
			appSecret = emu.seed.dingtalk.appSecret,
		) {
			const { body } = await call(`${emu.baseUrls.dingtalkOapi}/gettoken`, {
				query: { appkey: appKey, appsecret: appSecret },
			});
			if (body.errcode !== 0) throw new Error(`gettoken failed: ${JSON.stringify(body)}`);
			return /** @type {string} */ (body.access_token);
		},
		/** A WeCom token for an app (default: the seeded primary app). */
		async wecomToken(corpId = emu.seed.wecom.corpId, secret = emu.seed.wecom.corpSecret) {
			const { body } = await call(`${emu.baseUrls.wecom}/cgi-bin/gettoken`, {
				query: { corpid: corpId, corpsecret: secret },
			});
			if (body.errcode !== 0) throw new Error(`gettoken failed: ${JSON.stringify(body)}`);
			return /** @type {string} */ (body.access_token);
		},
	};
}

/**
 * One emulator per test file, reset before each test.
 * @param {Parameters<typeof createEmulator>[0]} [options]
 */
function useEmulator(options) {
	/** @type {{ emu: Emulator, client: ReturnType<typeof clientFor> }} */
	const context = /** @type {any} */ ({});
	beforeAll(async () => {
		context.emu = await createEmulator(options);
		context.client = clientFor(context.emu);
	});
	beforeEach(() => context.emu.reset());
	afterAll(async () => {
		await context.emu?.close();
	});
	return context;
}

module.exports = { call, clientFor, useEmulator };
