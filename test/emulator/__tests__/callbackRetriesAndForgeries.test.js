// @ts-check
'use strict';

const http = require('node:http');
const nodeCrypto = require('node:crypto');
const { useEmulator } = require('../support/testClient');
const cbCrypto = require('../callbacks/crypto');
const { DEFAULT_CALLBACK_CONFIG } = require('../callbacks');
const { sampleLeaveContents } = require('../wecom/approvalTemplates');

const ctx = useEmulator();
const WECOM = DEFAULT_CALLBACK_CONFIG.wecom;
const DINGTALK = DEFAULT_CALLBACK_CONFIG.dingtalk;
const WINDOW_MS = 300_000;
const MAX_BODY = 1_100_000;

// ---------------------------------------------------------------------------------------------
// A receiver that does everything right (written for this test with the emulator's crypto, not
// the pack's), or a broken one that accepts everything. Its clock is the emulator's.
// ---------------------------------------------------------------------------------------------

class Refused extends Error {
	/** @param {number} status @param {string} message */
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}
const refuse = (/** @type {string} */ why, status = 400) => {
	throw new Refused(status, why);
};

/** XML 1.0 characters; anything else (controls, U+FFFE, lone surrogates) is refused. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/**
 * A strict, small XML reader: elements without attributes, text, CDATA, comments, the five
 * entities; no DTD, no processing instruction but the declaration, one root, bounded depth.
 * @param {string} text @param {{ maxDepth?: number }} [options]
 * @returns {{ name: string, children: any[], text: string }}
 */
function strictXml(text, { maxDepth = 32 } = {}) {
	if (NOT_XML_CHAR.test(text)) refuse('a character XML forbids');
	let i = 0;
	if (text.startsWith('<?xml')) {
		const end = text.indexOf('?>');
		if (end < 0) refuse('unterminated declaration');
		i = end + 2;
	}
	/** @type {Array<{ name: string, children: any[], text: string }>} */
	const stack = [];
	/** @type {{ name: string, children: any[], text: string } | undefined} */
	let root;
	while (i < text.length) {
		if (text[i] !== '<') {
			const next = text.indexOf('<', i);
			const chunk = text.slice(i, next < 0 ? text.length : next);
			if (stack.length === 0) {
				if (chunk.trim()) refuse('text outside the root');
			} else {
				if (ENTITY.test(chunk)) refuse('an undefined entity or a bare &');
				if (chunk.includes(']]>')) refuse(']]> in text');
				stack[stack.length - 1].text += chunk;
			}
			i = next < 0 ? text.length : next;
			continue;
		}
		if (text.startsWith('<![CDATA[', i)) {
			const end = text.indexOf(']]>', i);
			if (end < 0 || stack.length === 0) refuse('a bad CDATA section');
			stack[stack.length - 1].text += text.slice(i + 9, end);
			i = end + 3;
			continue;
		}
		if (text.startsWith('<!--', i)) {
			const end = text.indexOf('-->', i + 4);
			if (end < 0) refuse('an unterminated comment');
			i = end + 3;
			continue;
		}
		if (text.startsWith('<!', i) || text.startsWith('<?', i))
			refuse('a DTD or processing instruction');
		const head = text.slice(i, i + 80);
		const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(head);
		if (close) {
			const open = stack.pop();
			if (!open || open.name !== close[1]) refuse('mismatched tags');
			const done = /** @type {{ name: string, children: any[], text: string }} */ (open);
			if (stack.length === 0) root = done;
			else stack[stack.length - 1].children.push(done);
			i += close[0].length;
			continue;
		}
		const open = /^<([A-Za-z_][\w.-]*)\s*(\/?)>/.exec(head);
		if (!open) refuse('a malformed tag');
		const match = /** @type {RegExpExecArray} */ (open);
		if (stack.length === 0 && root) refuse('a second root');
		const element = { name: match[1], children: [], text: '' };
		if (match[2]) {
			if (stack.length === 0) root = element;
			else stack[stack.length - 1].children.push(element);
		} else {
			stack.push(element);
			if (stack.length > maxDepth) refuse('nested too deep', 413);
		}
		i += match[0].length;
	}
	if (stack.length || !root) refuse('unclosed or empty');
	const result = /** @type {{ name: string, children: any[], text: string }} */ (root);
	if (result.name !== 'xml') refuse('the root is not <xml>');
	return result;
}

/**
 * @typedef {{ method: string, url: string, contentType: string, body: string, bytes: number, sha1: string, at: number }} Received
 * @typedef {{ status: number, body: string }} Reply
 */

function createReceiver() {
	/** @type {Received[]} */
	const received = [];
	/** Events the receiver acted on (started a workflow with), by platform. */
	const acted = { wecom: /** @type {string[]} */ ([]), dingtalk: /** @type {string[]} */ ([]) };
	const seen = new Set();
	const state = {
		/** @type {'correct'|'acceptAll'} */ mode: 'correct',
		/** the first N requests get `failWith` */ failFirst: 0,
		/** @type {Reply} */ failWith: { status: 500, body: 'busy' },
		/** the first N answers come after delayMs */ delayFirst: 0,
		delayMs: 0,
		/** the first N requests get no answer at all */ hangFirst: 0,
		/** @type {() => number} */ now: () => ctx.emu.clock.now(),
	};

	/** Signature, timestamp window, strict decryption: what every POST goes through. */
	function open(
		/** @type {{ token: string, key: string, id: string, signature: unknown, timestamp: unknown, nonce: unknown, encrypt: unknown, window: boolean }} */ v,
	) {
		if (
			typeof v.signature !== 'string' ||
			typeof v.timestamp !== 'string' ||
			typeof v.nonce !== 'string'
		)
			refuse('signature, timestamp or nonce missing');
		if (typeof v.encrypt !== 'string') refuse('no ciphertext');
		const encrypt = /** @type {string} */ (v.encrypt);
		if (encrypt.length > MAX_BODY) refuse('ciphertext too long', 413);
		const signature = /** @type {string} */ (v.signature);
		if (
			cbCrypto.signature(
				v.token,
				/** @type {string} */ (v.timestamp),
				/** @type {string} */ (v.nonce),
				encrypt,
			) !== signature.toLowerCase()
		)
			refuse('bad signature', 403);
		if (v.window) {
			if (!/^\d{1,16}$/.test(/** @type {string} */ (v.timestamp))) refuse('bad timestamp');
			const ts = Number(v.timestamp);
			if (Math.abs(state.now() - (ts < 1e11 ? ts * 1000 : ts)) > WINDOW_MS) refuse('stale', 403);
		}
		try {
			return cbCrypto.decrypt(v.key, encrypt, { receiveId: v.id, strict: true }).message;
		} catch (error) {
			return refuse(`crypto: ${/** @type {Error} */ (error).message}`, 403);
		}
	}

	/** @param {URLSearchParams} q */
	function single(q, /** @type {string} */ name) {
		const all = q.getAll(name);
		if (all.length > 1) refuse(`${name} repeated`);
		return all[0];
	}

	/** @param {string} method @param {URL} url @param {string} body @returns {Reply} */
	function correct(method, url, body) {
		const q = url.searchParams;
		if (url.pathname === '/wecom') {
			const signed = {
				token: WECOM.token,
				key: WECOM.encodingAESKey,
				id: WECOM.corpId,
				signature: single(q, 'msg_signature'),
				timestamp: single(q, 'timestamp'),
				nonce: single(q, 'nonce'),
			};
			if (method === 'GET')
				return {
					status: 200,
					body: open({ ...signed, encrypt: single(q, 'echostr'), window: false }),
				};
			const trimmed = body.trim();
			let encrypt;
			if (trimmed.startsWith('{')) {
				let parsed;
				try {
					parsed = JSON.parse(trimmed);
				} catch {
					refuse('bad JSON envelope');
				}
				encrypt = parsed?.encrypt;
			} else {
				const envelope = strictXml(trimmed, { maxDepth: 4 });
				const encrypts = envelope.children.filter((child) => child.name === 'Encrypt');
				if (encrypts.length !== 1) refuse('not one Encrypt');
				encrypt = encrypts[0].text;
			}
			const xml = open({ ...signed, encrypt, window: true });
			strictXml(xml);
			if (!seen.has(xml)) {
				seen.add(xml);
				acted.wecom.push(xml);
			}
			return { status: 200, body: 'success' };
		}
		let envelope;
		try {
			envelope = JSON.parse(body);
		} catch {
			refuse('bad JSON envelope');
		}
		if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope))
			refuse('envelope not an object');
		const message = open({
			token: DINGTALK.token,
			key: DINGTALK.aesKey,
			id: DINGTALK.ownerKey,
			signature: single(q, 'msg_signature') ?? single(q, 'signature'),
			timestamp: single(q, 'timeStamp') ?? single(q, 'timestamp'),
			nonce: single(q, 'nonce'),
			encrypt: envelope.encrypt,
			window: true,
		});
		let event;
		try {
			event = JSON.parse(message);
		} catch {
			refuse('the event is not JSON');
		}
		if (
			typeof event !== 'object' ||
			event === null ||
			Array.isArray(event) ||
			typeof event.EventType !== 'string' ||
			!event.EventType
		)
			refuse('the event is not an object with EventType');
		if (event.EventType !== 'check_url' && !seen.has(message)) {
			seen.add(message);
			acted.dingtalk.push(message);
		}
		return successReply();
	}

	const successReply = () => {
		const encrypt = cbCrypto.encrypt(DINGTALK.aesKey, 'success', DINGTALK.ownerKey);
		const timeStamp = String(Date.now());
		const nonce = 'abcdEFGH12345678';
		return {
			status: 200,
			body: JSON.stringify({
				msg_signature: cbCrypto.signature(DINGTALK.token, timeStamp, nonce, encrypt),
				timeStamp,
				nonce,
				encrypt,
			}),
		};
	};

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let bytes = 0;
		req.on('data', (chunk) => {
			bytes += chunk.length;
			if (bytes <= MAX_BODY + 1) chunks.push(chunk); // the rest is read and dropped
		});
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const n = received.length;
			received.push({
				method: req.method ?? '',
				url: req.url ?? '',
				contentType: String(req.headers['content-type'] ?? ''),
				body: bytes <= 65_536 ? body : '',
				bytes,
				sha1: nodeCrypto.createHash('sha1').update(body).digest('hex'),
				at: Date.now(),
			});
			if (n < state.hangFirst) return;
			/** @type {Reply} */
			let reply;
			const url = new URL(req.url ?? '/', 'http://receiver');
			if (n < state.failFirst) reply = state.failWith;
			else if (state.mode === 'acceptAll')
				reply = url.pathname === '/dingtalk' ? successReply() : { status: 200, body: 'success' };
			else if (bytes > MAX_BODY) reply = { status: 413, body: 'too large' };
			else {
				try {
					reply = correct(req.method ?? 'GET', url, body);
				} catch (error) {
					if (!(error instanceof Refused)) throw error;
					reply = { status: error.status, body: `refused: ${error.message}` };
				}
			}
			setTimeout(
				() =>
					res
						.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' })
						.end(reply.body),
				n < state.delayFirst ? state.delayMs : 0,
			);
		});
	});

	return {
		received,
		acted,
		state,
		/** @type {string} */ url: '',
		reset() {
			received.length = 0;
			acted.wecom.length = 0;
			acted.dingtalk.length = 0;
			seen.clear();
			Object.assign(state, {
				mode: 'correct',
				failFirst: 0,
				delayFirst: 0,
				delayMs: 0,
				hangFirst: 0,
			});
			state.failWith = { status: 500, body: 'busy' };
		},
		async start() {
			await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
			this.url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
		},
		stop: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

const receiver = createReceiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
beforeEach(() => receiver.reset());

const wecomUrl = () => `${receiver.url}/wecom`;
const dingtalkUrl = () => `${receiver.url}/dingtalk`;
const FAST = { attempts: 3, intervalMs: 40 };

// ---------------------------------------------------------------------------------------------

describe('retries', () => {
	test('the platform policies: WeCom 3 retries, DingTalk 2 (10 s, then 30 s); deliver() retries only when asked', async () => {
		expect(ctx.emu.callbacks.retryPolicies).toEqual({
			wecom: { attempts: 3, intervalMs: 0 },
			dingtalk: { attempts: 2, intervalMs: [10_000, 30_000] },
		});
		expect((await ctx.client.control('/callbacks/retry-policies')).body).toEqual(
			ctx.emu.callbacks.retryPolicies,
		);
		receiver.state.failFirst = 10;
		const once = await ctx.emu.callbacks.wecom.deliver({ url: wecomUrl() });
		expect(once).toMatchObject({ kind: 'deliver', attempt: 1, accepted: false });
		expect(receiver.received).toHaveLength(1);
	});

	test('WeCom: a non-200 is retried with the same bytes until a good answer, linked to the first send', async () => {
		receiver.state.failFirst = 2;
		const last = await ctx.emu.callbacks.wecom.deliver({ url: wecomUrl(), retry: FAST });
		expect(last).toMatchObject({
			kind: 'retry',
			attempt: 3,
			accepted: true,
			ok: true,
			redeliveryOf: 1,
		});
		expect(receiver.received).toHaveLength(3); // stopped after the good answer
		const [a, b, c] = receiver.received;
		expect([b.url, b.body, b.contentType]).toEqual([a.url, a.body, a.contentType]);
		expect([c.url, c.body]).toEqual([a.url, a.body]);
		expect(b.at - a.at).toBeGreaterThanOrEqual(35);
		const entries = ctx.emu.callbacks.log();
		expect(entries.map((e) => [e.id, e.kind, e.attempt, e.redeliveryOf, e.accepted])).toEqual([
			[1, 'deliver', 1, null, false],
			[2, 'retry', 2, 1, false],
			[3, 'retry', 3, 1, true],
		]);
		expect(entries[1].request).toEqual(entries[0].request);
		expect(entries[0].reason).toMatch(/HTTP 500/);
		expect(ctx.emu.callbacks.log({ kind: 'retry' })).toHaveLength(2);
	});

	test('DingTalk: an answer without the encrypted success is retried as scheduled, then given up', async () => {
		receiver.state.failFirst = 10;
		receiver.state.failWith = { status: 200, body: 'success' };
		const last = await ctx.emu.callbacks.dingtalk.deliver({
			url: dingtalkUrl(),
			approval: { type: 'finish' },
			retry: { intervalMs: [30, 90] },
		});
		expect(last).toMatchObject({ attempt: 3, accepted: false, redeliveryOf: 1 });
		expect(last.reason).toMatch(/plain text "success"/);
		const [a, b, c] = receiver.received;
		expect(receiver.received).toHaveLength(3);
		expect(new Set(receiver.received.map((r) => `${r.url}\n${r.body}`)).size).toBe(1);
		expect(b.at - a.at).toBeGreaterThanOrEqual(25);
		expect(c.at - b.at).toBeGreaterThanOrEqual(80);
	});

	test('a late answer is judged late (not received) and retried; one in time ends it', async () => {
		receiver.state.delayFirst = 1;
		receiver.state.delayMs = 250;
		const last = await ctx.emu.callbacks.wecom.deliver({
			url: wecomUrl(),
			deadlineMs: 100,
			waitMs: 2000,
			retry: { attempts: 2, intervalMs: 10 },
		});
		const [first] = ctx.emu.callbacks.log();
		expect(first).toMatchObject({
			late: true,
			timedOut: false,
			accepted: false,
			ok: false,
			response: { status: 200 },
		});
		expect(first.reason).toMatch(/answered after \d+ ms, later than the 100 ms the platform waits/);
		expect(last).toMatchObject({ attempt: 2, late: false, accepted: true });
		expect(receiver.received).toHaveLength(2);
	});

	test('no answer within the deadline is retried too', async () => {
		receiver.state.hangFirst = 1;
		const last = await ctx.emu.callbacks.dingtalk.deliver({
			url: dingtalkUrl(),
			deadlineMs: 80,
			retry: { intervalMs: 5 },
		});
		expect(ctx.emu.callbacks.get(1)).toMatchObject({
			timedOut: true,
			late: false,
			accepted: false,
		});
		expect(last).toMatchObject({ attempt: 2, accepted: true });
	});

	test('reset() drops pending retries', async () => {
		receiver.state.failFirst = 10;
		const pending = ctx.emu.callbacks.wecom.deliver({
			url: wecomUrl(),
			retry: { attempts: 3, intervalMs: 20_000 },
		});
		while (receiver.received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
		await new Promise((resolve) => setTimeout(resolve, 20));
		const at = Date.now();
		ctx.emu.reset();
		expect(await pending).toMatchObject({ attempt: 1, accepted: false });
		expect(Date.now() - at).toBeLessThan(1000);
		expect(receiver.received).toHaveLength(1);
	});

	test('bad retry options are refused', async () => {
		await expect(
			ctx.emu.callbacks.wecom.deliver({ url: wecomUrl(), retry: { attempts: -1 } }),
		).rejects.toThrow(/retry.attempts/);
		await expect(
			ctx.emu.callbacks.dingtalk.deliver({ url: dingtalkUrl(), retry: { intervalMs: [] } }),
		).rejects.toThrow(/retry.intervalMs/);
		await expect(
			ctx.emu.callbacks.wecom.deliver({ url: wecomUrl(), retry: 'often' }),
		).rejects.toThrow(/retry must be/);
	});
});

// ---------------------------------------------------------------------------------------------

/** A v1.0 DingTalk call with the primary app's token. */
async function dingtalkApi(/** @type {string} */ path, /** @type {unknown} */ body) {
	const { body: token } = await ctx.client.api('/v1.0/oauth2/accessToken', {
		body: { appKey: ctx.emu.seed.dingtalk.appKey, appSecret: ctx.emu.seed.dingtalk.appSecret },
	});
	return ctx.client.api(path, {
		body,
		headers: { 'x-acs-dingtalk-access-token': token.accessToken },
	});
}

async function dingtalkLeave() {
	const answer = await dingtalkApi('/v1.0/workflow/processInstances', {
		processCode: 'PROC-EMU-LEAVE',
		originatorUserId: 'user001',
		formComponentValues: [
			{ name: '请假类型', value: '年假' },
			{ name: '["开始时间","结束时间"]', value: '["2025-05-12","2025-05-14"]' },
			{ name: '请假天数', value: '3' },
		],
	});
	expect(answer.status).toBe(200);
	return /** @type {string} */ (answer.body.instanceId);
}

async function wecomLeave() {
	const token = await ctx.client.wecomToken();
	const answer = await ctx.client.wecom('/cgi-bin/oa/applyevent', {
		query: { access_token: token },
		body: {
			creator_userid: 'WangWu',
			template_id: 'C4ZXKAAPcf2kEj4dPXfhW1FmZyXLHnKLdyDuBxTZ4b',
			use_template_approver: 1,
			apply_data: { contents: sampleLeaveContents() },
			summary_list: [{ summary_info: [{ text: '年假 1.5 天', lang: 'zh_CN' }] }],
		},
	});
	expect(answer.body).toMatchObject({ errcode: 0 });
	return /** @type {string} */ (answer.body.sp_no);
}

describe('deliverApprovalEvents', () => {
	test('DingTalk: every engine event once, in order, as the HTTP-push plaintext', async () => {
		const id = await dingtalkLeave();
		ctx.emu.dingtalk.approvals.act(id, { userId: 'manager01', action: 'agree', remark: '同意' });
		const events = ctx.emu.dingtalk.approvals.events();
		expect(events.length).toBeGreaterThanOrEqual(4);
		const entries = await ctx.emu.callbacks.dingtalk.deliverApprovalEvents({ url: dingtalkUrl() });
		expect(entries.map((e) => e.engineEvent)).toEqual(events.map((e) => e.eventId));
		expect(entries.every((e) => e.accepted && e.attempt === 1 && e.kind === 'deliver')).toBe(true);
		expect(entries.map((e) => JSON.parse(e.plaintext))).toEqual(events.map((e) => e.data));
		expect(receiver.acted.dingtalk.map((text) => JSON.parse(text).eventId)).toEqual(
			events.map((e) => e.eventId),
		);

		expect(await ctx.emu.callbacks.dingtalk.deliverApprovalEvents({ url: dingtalkUrl() })).toEqual(
			[],
		);
		const viaControl = await ctx.client.control('/callbacks/dingtalk/deliver-events', {
			body: { url: dingtalkUrl() },
		});
		expect(viaControl.body).toEqual({ callbacks: [] });
		ctx.emu.dingtalk.approvals.act(id, { userId: 'boss01', action: 'agree' });
		const more = await ctx.emu.callbacks.dingtalk.deliverApprovalEvents({
			url: dingtalkUrl(),
			filter: { eventType: 'bpms_instance_change' },
		});
		expect(more.map((e) => JSON.parse(e.plaintext))).toEqual([
			expect.objectContaining({ type: 'finish', result: 'agree' }),
		]);
		const rest = await ctx.emu.callbacks.dingtalk.deliverApprovalEvents({ url: dingtalkUrl() });
		expect(rest.map((e) => JSON.parse(e.plaintext).EventType)).toEqual(['bpms_task_change']);
		expect(ctx.emu.callbacks.log().filter((e) => e.engineEvent !== null)).toHaveLength(
			ctx.emu.dingtalk.approvals.events().length,
		);
		// another URL has had none of them yet
		expect(
			await ctx.emu.callbacks.dingtalk.deliverApprovalEvents({
				url: `${dingtalkUrl()}?second=1`,
				filter: { type: ['finish'] },
			}),
		).toHaveLength(3); // two tasks and the instance finished
	});

	test('DingTalk: retries are on by default (shrunk here), off with retry:false', async () => {
		await dingtalkLeave();
		receiver.state.failFirst = 1;
		const entries = await ctx.emu.callbacks.dingtalk.deliverApprovalEvents({
			url: dingtalkUrl(),
			retry: { intervalMs: 20 },
		});
		expect(entries[0]).toMatchObject({ attempt: 2, kind: 'retry', accepted: true });
		expect(entries.slice(1).every((e) => e.attempt === 1)).toBe(true);
		await dingtalkLeave();
		receiver.state.failFirst = receiver.received.length + 1;
		const noRetry = await ctx.emu.callbacks.dingtalk.deliverApprovalEvents({
			url: dingtalkUrl(),
			retry: false,
		});
		expect(noRetry[0]).toMatchObject({ attempt: 1, accepted: false });
	});

	test('WeCom: the engine XML of each event, once; spNo filters; the control route', async () => {
		const first = await wecomLeave();
		ctx.emu.wecom.approvals.act(first, { userId: 'LiSi', action: 'approve', speech: '同意' });
		const second = await wecomLeave();
		const entries = await ctx.emu.callbacks.wecom.deliverApprovalEvents({
			url: wecomUrl(),
			spNo: first,
		});
		const events = ctx.emu.wecom.approvals.events(first);
		expect(entries.map((e) => e.engineEvent)).toEqual(events.map((e) => e.id));
		expect(entries.map((e) => e.plaintext)).toEqual(events.map((e) => e.xml));
		expect(receiver.acted.wecom).toEqual(events.map((e) => e.xml));
		const viaControl = await ctx.client.control('/callbacks/wecom/deliver-events', {
			body: { url: wecomUrl() },
		});
		expect(viaControl.status).toBe(200);
		expect(viaControl.body.callbacks.map((/** @type {any} */ e) => e.engineEvent)).toEqual(
			ctx.emu.wecom.approvals.events(second).map((e) => e.id),
		);
		expect((await ctx.emu.callbacks.wecom.deliverApprovalEvents({ url: wecomUrl() })).length).toBe(
			0,
		);
		expect(
			(await ctx.emu.callbacks.wecom.deliverApprovalEvents({ url: wecomUrl(), all: true })).length,
		).toBe(ctx.emu.wecom.approvals.events().length);
		expect(receiver.acted.wecom).toHaveLength(ctx.emu.wecom.approvals.events().length); // repeats answered, not acted on
		await expect(
			ctx.emu.callbacks.wecom.deliverApprovalEvents({ url: wecomUrl(), message: '<xml/>' }),
		).rejects.toThrow(/not an option/);
		// a bad option sends nothing and claims nothing
		await wecomLeave();
		await expect(
			ctx.emu.callbacks.wecom.deliverApprovalEvents({ url: wecomUrl(), token: '' }),
		).rejects.toThrow(/token/);
		expect(await ctx.emu.callbacks.wecom.deliverApprovalEvents({ url: wecomUrl() })).toHaveLength(
			1,
		);
	});

	test('WeCom: a refused event is retried with WeCom’s policy (3 retries, no pause)', async () => {
		await wecomLeave();
		receiver.state.failFirst = 3;
		const [entry] = await ctx.emu.callbacks.wecom.deliverApprovalEvents({ url: wecomUrl() });
		expect(entry).toMatchObject({ attempt: 4, accepted: true, redeliveryOf: 1 });
		expect(new Set(receiver.received.map((r) => r.sha1)).size).toBe(1);
	});
});

// ---------------------------------------------------------------------------------------------

describe('forgeries', () => {
	test.each(['wecom', 'dingtalk'])(
		'%s: 1000 distinct forgeries, all refused with a 4xx by a correct receiver, none acted on',
		async (platform) => {
			const api = platform === 'wecom' ? ctx.emu.callbacks.wecom : ctx.emu.callbacks.dingtalk;
			const url = platform === 'wecom' ? wecomUrl() : dingtalkUrl();
			const summary = await api.forgeries({ url, count: 1000, seed: `suite-${platform}` });
			expect(summary.failures).toEqual([]);
			expect(summary).toMatchObject({
				sent: 1000,
				accepted: 0,
				refused: 1000,
				allRefused: true,
				distinct: 1000,
			});
			expect(Object.keys(summary.byStatus).every((status) => /^4\d\d$/.test(status))).toBe(true);
			expect(receiver.acted.wecom.concat(receiver.acted.dingtalk)).toEqual([]);
			expect(
				new Set(receiver.received.map((r) => `${r.method} ${r.url} ${r.contentType} ${r.sha1}`))
					.size,
			).toBe(1000);
			const kinds = Object.keys(summary.kinds);
			expect(kinds.length).toBeGreaterThanOrEqual(platform === 'wecom' ? 39 : 36);
			expect(Object.values(summary.kinds).reduce((a, b) => a + b, 0)).toBe(1000);
			if (platform === 'wecom')
				expect(receiver.received.filter((r) => r.method === 'GET').length).toBeGreaterThan(50);
			const records = ctx.emu.callbacks.forgeryLog({ run: summary.run });
			expect(records).toHaveLength(1000);
			expect(records.every((r) => r.refused && !r.accepted && r.url.length <= 300)).toBe(true);
			expect(ctx.emu.callbacks.log()).toEqual([]); // the callback log keeps real deliveries only
		},
	);

	test.each(['wecom', 'dingtalk'])(
		'%s: against a receiver that accepts everything, every forgery is accepted (the generator is honest)',
		async (platform) => {
			receiver.state.mode = 'acceptAll';
			const api = platform === 'wecom' ? ctx.emu.callbacks.wecom : ctx.emu.callbacks.dingtalk;
			const url = platform === 'wecom' ? wecomUrl() : dingtalkUrl();
			const summary = await api.forgeries({ url, count: 200, seed: 'naive', concurrency: 4 });
			expect(summary).toMatchObject({
				sent: 200,
				accepted: 200,
				refused: 0,
				allRefused: false,
				byStatus: { 200: 200 },
			});
			expect(summary.failures).toHaveLength(20);
			expect(summary.failures[0]).toMatchObject({
				status: 200,
				mutation: expect.any(String),
				id: expect.any(Number),
			});
			expect(Object.keys(summary.acceptedByKind).sort()).toEqual(Object.keys(summary.kinds).sort());
		},
	);

	test('reproducible from the seed; another seed gives other cases; ≥ 1000 distinct per platform', () => {
		ctx.emu.clock.freeze(Date.now());
		for (const api of [ctx.emu.callbacks.wecom, ctx.emu.callbacks.dingtalk]) {
			const one = api.forgeryCases({ url: 'http://127.0.0.1:9/cb', count: 1000, seed: 'fixed' });
			const two = api.forgeryCases({ url: 'http://127.0.0.1:9/cb', count: 1000, seed: 'fixed' });
			expect(two.cases.map((c) => c.request)).toEqual(one.cases.map((c) => c.request));
			expect(two.cases.map((c) => c.mutation)).toEqual(one.cases.map((c) => c.mutation));
			const other = api.forgeryCases({ url: 'http://127.0.0.1:9/cb', count: 50, seed: 'other' });
			expect(other.cases[0].request).not.toEqual(one.cases[0].request);
			const distinct = new Set(
				one.cases.map(
					(c) =>
						`${c.request.method} ${c.request.url} ${c.request.headers['content-type']} ${c.request.body}`,
				),
			);
			expect(distinct.size).toBe(1000);
		}
		// no seed: the emulator's id source picks one, restarting on reset()
		const a = ctx.emu.callbacks.wecom.forgeryCases({ url: 'http://127.0.0.1:9/cb', count: 5 }).seed;
		const b = ctx.emu.callbacks.wecom.forgeryCases({ url: 'http://127.0.0.1:9/cb', count: 5 }).seed;
		ctx.emu.reset();
		expect(
			ctx.emu.callbacks.wecom.forgeryCases({ url: 'http://127.0.0.1:9/cb', count: 5 }).seed,
		).toBe(a);
		expect(b).not.toBe(a);
	});

	test('each kind is what it claims (spot checks with the emulator crypto)', () => {
		const { cases } = ctx.emu.callbacks.wecom.forgeryCases({
			url: 'http://127.0.0.1:9/cb',
			count: 400,
			seed: 'spot',
		});
		const q = (/** @type {any} */ c) => Object.fromEntries(new URL(c.request.url).searchParams);
		const encryptOf = (/** @type {any} */ c) =>
			/<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(c.request.body)?.[1] ?? '';
		const signed = (/** @type {any} */ c) => {
			const query = q(c);
			return (
				cbCrypto.signature(
					WECOM.token,
					query.timestamp,
					query.nonce,
					c.request.method === 'GET' ? query.echostr : encryptOf(c),
				) === query.msg_signature
			);
		};
		const of = (/** @type {string} */ kind) => cases.filter((c) => c.mutation === kind);
		for (const kind of [
			'signature-flipped',
			'signature-truncated',
			'signature-uppercase',
			'signature-wrong-token',
			'unsigned-change',
		])
			expect(of(kind).every((c) => !signed(c))).toBe(true);
		// signed again with the real token, so only the deeper check can refuse them
		for (const kind of [
			'ciphertext-bitflip',
			'padding-zero',
			'padding-inconsistent',
			'length-overflow',
			'receive-id-wrong',
			'timestamp-stale',
			'timestamp-future',
			'replay-stale',
			'inner-malformed',
			'inner-entity',
		])
			expect(of(kind).every(signed)).toBe(true);
		for (const c of of('padding-inconsistent')) {
			expect(() =>
				cbCrypto.decrypt(WECOM.encodingAESKey, encryptOf(c), { receiveId: WECOM.corpId }),
			).not.toThrow(); // the last byte alone is fine
			expect(() =>
				cbCrypto.decrypt(WECOM.encodingAESKey, encryptOf(c), {
					receiveId: WECOM.corpId,
					strict: true,
				}),
			).toThrow(/inconsistent/);
		}
		for (const c of of('inner-entity'))
			expect(
				cbCrypto.decrypt(WECOM.encodingAESKey, encryptOf(c), { receiveId: WECOM.corpId }).message,
			).toMatch(/<!DOCTYPE|&nbsp;/);
		for (const c of of('timestamp-stale'))
			expect(ctx.emu.clock.now() / 1000 - Number(q(c).timestamp)).toBeGreaterThan(300);
		expect(of('body-oversized').every((c) => Buffer.byteLength(c.request.body) > MAX_BODY)).toBe(
			true,
		);
		expect(of('verify-echostr-crypto').every((c) => c.request.method === 'GET' && signed(c))).toBe(
			true,
		);
	});

	test('control routes: summary, forgery log; bad options refused', async () => {
		const { control } = ctx.client;
		const answer = await control('/callbacks/dingtalk/forgeries', {
			body: {
				url: dingtalkUrl(),
				count: 60,
				seed: 'http',
				kinds: ['signature-flipped', 'padding-zero', 'inner-malformed'],
			},
		});
		expect(answer.body).toMatchObject({
			run: 1,
			sent: 60,
			allRefused: true,
			kinds: { 'signature-flipped': 20, 'padding-zero': 20, 'inner-malformed': 20 },
		});
		const log = await control('/callbacks/forgeries', {
			query: { run: 1, mutation: 'padding-zero' },
		});
		expect(log.body.forgeries).toHaveLength(20);
		expect(log.body.forgeries[0]).toMatchObject({
			run: 1,
			platform: 'dingtalk',
			mutation: 'padding-zero',
			status: 403,
			refused: true,
		});
		expect(
			(await control('/callbacks/forgeries', { query: { accepted: 'true' } })).body.forgeries,
		).toEqual([]);
		expect(
			(await control('/callbacks/wecom/forgeries', { body: { url: wecomUrl(), kinds: ['nope'] } }))
				.status,
		).toBe(400);
		expect(
			(await control('/callbacks/wecom/forgeries', { body: { url: wecomUrl(), count: 0 } })).status,
		).toBe(400);
		await control('/callbacks', { method: 'DELETE' });
		expect(ctx.emu.callbacks.forgeryLog()).toEqual([]);
	});
});
