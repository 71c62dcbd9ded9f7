// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');

const ctx = useEmulator();
const ASYNCSEND = '/topapi/message/corpconversation/asyncsend_v2';
const sendBody = {
	agent_id: 3000001,
	userid_list: 'user001',
	msg: { msgtype: 'text', text: { content: 'x' } },
};

/** Tokens fetched before each test, so that faults and quotas meet only the calls below. */
const tokens = { dingtalk: '', wecom: '' };
beforeEach(async () => {
	tokens.dingtalk = await ctx.client.dingtalkToken();
	tokens.wecom = await ctx.client.wecomToken();
});

/** One call per family that succeeds when nothing interferes. */
const calls = {
	oapi: () =>
		ctx.client.oapi(ASYNCSEND, {
			query: { access_token: tokens.dingtalk },
			body: { ...sendBody, msg: { msgtype: 'text', text: { content: String(Math.random()) } } },
		}),
	api: () =>
		ctx.client.api('/v1.0/oauth2/accessToken', {
			body: { appKey: ctx.emu.seed.dingtalk.appKey, appSecret: ctx.emu.seed.dingtalk.appSecret },
		}),
	wecom: () =>
		ctx.client.wecom('/cgi-bin/message/send', {
			query: { access_token: tokens.wecom },
			body: { agentid: 1000002, touser: 'ZhangSan', msgtype: 'text', text: { content: 'x' } },
		}),
};

describe('faults', () => {
	test('status: default HTML gateway page, or the given body; consumed after `times`', async () => {
		ctx.emu.faults.add({
			platform: 'dingtalk',
			family: 'oapi',
			path: ASYNCSEND,
			kind: 'status',
			status: 502,
		});
		ctx.emu.faults.add({
			platform: 'dingtalk',
			path: ASYNCSEND,
			kind: 'status',
			status: 503,
			body: { errcode: -1, errmsg: '系统繁忙' },
			times: 2,
		});
		const first = await calls.oapi();
		expect(first.status).toBe(502);
		expect(first.headers.get('content-type')).toMatch(/text\/html/);
		expect(first.text).toContain('502 Bad Gateway');
		expect((await calls.oapi()).body).toEqual({ errcode: -1, errmsg: '系统繁忙' });
		expect((await calls.oapi()).status).toBe(503);
		expect((await calls.oapi()).body.errcode).toBe(0);
		expect(ctx.emu.faults.list()).toEqual([]);
	});

	test('delay: answers normally after the wait, so a short client timeout fires', async () => {
		ctx.emu.faults.add({ path: ASYNCSEND, kind: 'delay', ms: 300, times: 2 });
		const url = `${ctx.emu.baseUrls.dingtalkOapi}${ASYNCSEND}?access_token=${tokens.dingtalk}`;
		const init = {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(sendBody),
		};
		await expect(fetch(url, { ...init, signal: AbortSignal.timeout(50) })).rejects.toThrow();
		const started = Date.now();
		const slow = await fetch(url, init);
		expect(Date.now() - started).toBeGreaterThanOrEqual(280);
		expect(/** @type {any} */ (await slow.json()).errcode).toBe(0);
	});

	test('invalidToken: each family answers its own token error although the token is fine', async () => {
		ctx.emu.faults.add({ kind: 'invalidToken', times: Infinity });
		expect((await calls.oapi()).body).toMatchObject({ errcode: 88, sub_code: '40014' });
		const api = await calls.api();
		expect(api.status).toBe(400);
		expect(api.body.code).toBe('InvalidAuthentication');
		expect((await calls.wecom()).body.errcode).toBe(40014);
		ctx.emu.faults.clear();
		ctx.emu.faults.add({ platform: 'wecom', kind: 'invalidToken', reason: 'expired' });
		expect((await calls.wecom()).body.errcode).toBe(42001);
	});

	test('rateLimit: 90018 old API, 403 QpsLimitForAppkeyAndApi / QpmLimit… new API, 45009 WeCom', async () => {
		ctx.emu.faults.add({ kind: 'rateLimit', times: 3 });
		expect((await calls.oapi()).body).toMatchObject({
			errcode: 90018,
			request_id: expect.any(String),
		});
		const api = await calls.api();
		expect(api.status).toBe(403);
		expect(api.body).toMatchObject({
			code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
			requestid: expect.any(String),
		});
		const wecom = await calls.wecom();
		expect(wecom.body.errcode).toBe(45009);
		expect(wecom.body.errmsg).toMatch(/^api freq out of limit, hint: \[/);
		ctx.emu.faults.add({ family: 'api', kind: 'rateLimit', window: 'minute' });
		expect((await calls.api()).body.code).toBe('Forbidden.AccessDenied.QpmLimitForAppkeyAndApi');
	});

	test("errcode: a given error in the family's shape", async () => {
		ctx.emu.faults.add({
			family: 'oapi',
			kind: 'errcode',
			errcode: 88,
			sub_code: '60011',
			sub_msg: '没有调用该接口的权限',
		});
		ctx.emu.faults.add({
			family: 'api',
			kind: 'errcode',
			httpStatus: 403,
			code: 'Forbidden.AccessDenied.IpNotInWhiteList',
			message: '访问ip不在白名单之中',
		});
		ctx.emu.faults.add({
			family: 'qyapi',
			kind: 'errcode',
			errcode: 60020,
			errmsg:
				'not allow to access from your ip, hint: [x], from ip: 1.2.3.4, more info at https://open.work.weixin.qq.com/devtool/query?e=60020',
		});
		ctx.emu.faults.add({ family: 'qyapi', kind: 'errcode', errcode: -1 });
		expect((await calls.oapi()).body).toEqual({
			errcode: 88,
			sub_code: '60011',
			sub_msg: '没有调用该接口的权限',
			errmsg: 'ding talk error[subcode=60011,submsg=没有调用该接口的权限]',
			request_id: expect.any(String),
		});
		const api = await calls.api();
		expect(api.status).toBe(403);
		expect(api.body).toEqual({
			code: 'Forbidden.AccessDenied.IpNotInWhiteList',
			message: '访问ip不在白名单之中',
			requestid: expect.any(String),
		});
		expect((await calls.wecom()).body.errmsg).toContain('from ip: 1.2.3.4');
		expect((await calls.wecom()).body).toMatchObject({
			errcode: -1,
			errmsg: expect.stringContaining('hint: ['),
		});
	});

	test('reset: the socket is destroyed without an answer, and the request is recorded with status 0', async () => {
		ctx.emu.faults.add({ platform: 'wecom', kind: 'reset' });
		await expect(calls.wecom()).rejects.toThrow();
		const [entry] = ctx.emu.requests({ platform: 'wecom', path: '/cgi-bin/message/send' });
		expect(entry).toMatchObject({ status: 0, fault: 'reset' });
		expect((await calls.wecom()).body.errcode).toBe(0);
	});

	test('matching: prefix with *, RegExp (object or ^source), method; insertion order decides', async () => {
		ctx.emu.faults.add({ path: '/topapi/message/*', method: 'post', kind: 'status', status: 500 });
		ctx.emu.faults.add({ path: /asyncsend/, kind: 'status', status: 501 });
		ctx.emu.faults.add({ path: '^/cgi-bin/(message|media)/', kind: 'status', status: 504 });
		ctx.emu.faults.add({ path: '/cgi-bin/message', kind: 'status', status: 599 }); // exact: never matches /cgi-bin/message/send
		expect((await calls.oapi()).status).toBe(500);
		expect((await calls.oapi()).status).toBe(501);
		expect((await calls.oapi()).status).toBe(200);
		expect((await calls.wecom()).status).toBe(504);
		expect((await calls.wecom()).status).toBe(200);
		expect(ctx.emu.faults.list()).toHaveLength(1);
	});

	test('invalid specs are refused when added', () => {
		expect(() => ctx.emu.faults.add(/** @type {any} */ ({ kind: 'explode' }))).toThrow(/kind/);
		expect(() => ctx.emu.faults.add({ kind: 'status', status: 99 })).toThrow(/status/);
		expect(() => ctx.emu.faults.add({ kind: 'delay' })).toThrow(/ms/);
		expect(() => ctx.emu.faults.add({ kind: 'errcode' })).toThrow(/errcode/);
		expect(() => ctx.emu.faults.add({ kind: 'reset', times: 0 })).toThrow(/times/);
		expect(() =>
			ctx.emu.faults.add(/** @type {any} */ ({ kind: 'reset', platform: 'slack' })),
		).toThrow(/platform/);
		expect(() =>
			ctx.emu.faults.add(/** @type {any} */ ({ kind: 'reset', platform: 'wecom', family: 'oapi' })),
		).toThrow(/family/);
	});
});

describe('quotas', () => {
	test('DingTalk old API: perSecond per app per API → 90018; refused calls do not count; the next second is free', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		ctx.emu.quotas.set({ platform: 'dingtalk', path: ASYNCSEND, perSecond: 2 });
		expect((await calls.oapi()).body.errcode).toBe(0);
		expect((await calls.oapi()).body.errcode).toBe(0);
		expect((await calls.oapi()).body.errcode).toBe(90018);
		expect((await calls.oapi()).body.errcode).toBe(90018);
		ctx.emu.clock.advance(1000);
		expect((await calls.oapi()).body.errcode).toBe(0);
		// Another API of the same app is not limited by this quota.
		const progress = await ctx.client.oapi('/topapi/message/corpconversation/getsendprogress', {
			query: { access_token: tokens.dingtalk },
			body: { agent_id: 3000001, task_id: 1 },
		});
		expect(progress.body.errcode).toBe(40035);
	});

	test('counted per app: another app has its own budget; `app` limits one app only', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		ctx.emu.quotas.set({ platform: 'dingtalk', app: 'dingemuappkey0001', perMinute: 1 });
		expect((await calls.oapi()).body.errcode).toBe(0);
		expect((await calls.oapi()).body.errcode).toBe(90018);
		const second = ctx.emu.seed.dingtalk.apps[1];
		const token = await ctx.client.dingtalkToken(second.appKey, second.appSecret);
		const other = await ctx.client.oapi(ASYNCSEND, {
			query: { access_token: token },
			body: { ...sendBody, agent_id: second.agentId },
		});
		expect(other.body.errcode).toBe(0);
		ctx.emu.clock.advance(59_999);
		expect((await calls.oapi()).body.errcode).toBe(90018);
		ctx.emu.clock.advance(1);
		expect((await calls.oapi()).body.errcode).toBe(0);
	});

	test('DingTalk new API: 403 QpsLimitForAppkeyAndApi (perSecond) and QpmLimitForAppkeyAndApi (perMinute)', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		const call = () =>
			ctx.client.api('/v1.0/contact/users/me', {
				headers: { 'x-acs-dingtalk-access-token': tokens.dingtalk },
			});
		ctx.emu.quotas.set({ platform: 'dingtalk', family: 'api', perSecond: 1 });
		expect((await call()).status).toBe(404); // admitted, then unknown path
		const limited = await call();
		expect(limited.status).toBe(403);
		expect(limited.body.code).toBe('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi');
		ctx.emu.quotas.set({ platform: 'dingtalk', family: 'api', perSecond: 100, perMinute: 1 }); // replaces the quota above, counting afresh
		ctx.emu.clock.advance(1000);
		expect((await call()).status).toBe(404);
		expect((await call()).body.code).toBe('Forbidden.AccessDenied.QpmLimitForAppkeyAndApi');
	});

	test('WeCom: 45009 per corp; token endpoints are not counted', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		ctx.emu.quotas.set({ platform: 'wecom', perMinute: 1 });
		expect((await calls.wecom()).body.errcode).toBe(0);
		const limited = await calls.wecom();
		expect(limited.body.errcode).toBe(45009);
		expect(limited.body.errmsg).toMatch(/^api freq out of limit/);
		ctx.emu.quotas.clear();
		expect((await calls.wecom()).body.errcode).toBe(0);
	});

	test('a quota needs a platform and a limit', () => {
		expect(() => ctx.emu.quotas.set(/** @type {any} */ ({ perSecond: 1 }))).toThrow(/platform/);
		expect(() => ctx.emu.quotas.set({ platform: 'wecom' })).toThrow(/perSecond/);
		expect(() => ctx.emu.quotas.set({ platform: 'wecom', perSecond: -1 })).toThrow(/non-negative/);
	});
});
