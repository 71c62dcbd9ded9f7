// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');

const ctx = useEmulator();
const ASYNCSEND = '/topapi/message/corpconversation/asyncsend_v2';
const textMsg = { msgtype: 'text', text: { content: 'hello' } };

describe('DingTalk tokens', () => {
	test('GET /gettoken answers the documented shape with a 7200 s token', async () => {
		const { emu, client } = ctx;
		const { status, body } = await client.oapi('/gettoken', {
			query: { appkey: emu.seed.dingtalk.appKey, appsecret: emu.seed.dingtalk.appSecret },
		});
		expect(status).toBe(200);
		expect(body).toEqual({
			errcode: 0,
			access_token: expect.stringMatching(/^[0-9a-f]{32}$/),
			errmsg: 'ok',
			expires_in: 7200,
		});
	});

	test('the legacy corpid/corpsecret parameters are accepted as appkey/appsecret', async () => {
		const { emu, client } = ctx;
		const { body } = await client.oapi('/gettoken', {
			query: { corpid: emu.seed.dingtalk.appKey, corpsecret: emu.seed.dingtalk.appSecret },
		});
		expect(body.errcode).toBe(0);
	});

	test('POST /v1.0/oauth2/accessToken answers {accessToken, expireIn}', async () => {
		const { emu, client } = ctx;
		const { status, body } = await client.api('/v1.0/oauth2/accessToken', {
			body: { appKey: emu.seed.dingtalk.appKey, appSecret: emu.seed.dingtalk.appSecret },
		});
		expect(status).toBe(200);
		expect(body).toEqual({ accessToken: expect.any(String), expireIn: 7200 });
	});

	test('one token per app, shared by both endpoints; asking again while valid returns it with a full life again', async () => {
		const { emu, client } = ctx;
		emu.clock.freeze(Date.UTC(2025, 0, 1));
		const first = await client.dingtalkToken();
		emu.clock.advance(7000 * 1000);
		const { body } = await client.api('/v1.0/oauth2/accessToken', {
			body: { appKey: emu.seed.dingtalk.appKey, appSecret: emu.seed.dingtalk.appSecret },
		});
		expect(body).toEqual({ accessToken: first, expireIn: 7200 });
		// Extended: still valid 7000 s after the second request, i.e. 14 000 s after issue.
		emu.clock.advance(7000 * 1000);
		const send = await client.oapi(ASYNCSEND, {
			query: { access_token: first },
			body: { agent_id: 3000001, userid_list: 'user001', msg: textMsg },
		});
		expect(send.body.errcode).toBe(0);
	});

	test('a token expires after its lifetime and a new, different one is issued', async () => {
		const { emu, client } = ctx;
		emu.clock.freeze(Date.UTC(2025, 0, 1));
		const first = await client.dingtalkToken();
		emu.clock.advance(7200 * 1000);
		const expired = await client.oapi(ASYNCSEND, {
			query: { access_token: first },
			body: { agent_id: 3000001, userid_list: 'user001', msg: textMsg },
		});
		expect(expired.body).toMatchObject({ errcode: 88, sub_code: '40014' });
		const second = await client.dingtalkToken();
		expect(second).not.toBe(first);
	});

	test('tokens.setLifetime changes expires_in of new tokens', async () => {
		const { emu, client } = ctx;
		emu.tokens.setLifetime('dingtalk', 60);
		const { body } = await client.oapi('/gettoken', {
			query: { appkey: emu.seed.dingtalk.appKey, appsecret: emu.seed.dingtalk.appSecret },
		});
		expect(body.expires_in).toBe(60);
		expect(() => emu.tokens.setLifetime('dingtalk', 0)).toThrow(/positive integer/);
	});

	test('tokens.expireAll invalidates issued tokens at once, per platform', async () => {
		const { emu, client } = ctx;
		const dingtalk = await client.dingtalkToken();
		const wecom = await client.wecomToken();
		expect(emu.tokens.expireAll('dingtalk')).toBe(1);
		const dt = await client.oapi('/media/upload', {
			query: { access_token: dingtalk },
			method: 'POST',
		});
		expect(dt.body).toEqual({ errcode: 42001, errmsg: 'access_token超时' });
		const wc = await client.wecom('/cgi-bin/message/recall', {
			query: { access_token: wecom },
			body: { msgid: 'x' },
		});
		expect(wc.body.errcode).toBe(40035); // still authenticated: the msgid is what is wrong
	});

	test('bad credentials: old API 40096 by default, 40089 when configured; new API 400 invalidClientIdOrSecret', async () => {
		const { emu, client } = ctx;
		const wrong = { appkey: emu.seed.dingtalk.appKey, appsecret: 'wrong' };
		expect((await client.oapi('/gettoken', { query: wrong })).body).toEqual({
			errcode: 40096,
			errmsg: '不合法的appKey或appSecret',
		});
		emu.settings.set({ dingtalk: { badCredentialsErrcode: 40089 } });
		expect((await client.oapi('/gettoken', { query: wrong })).body).toEqual({
			errcode: 40089,
			errmsg: '不合法的corpid或corpsecret',
		});
		const v1 = await client.api('/v1.0/oauth2/accessToken', {
			body: { appKey: 'nope', appSecret: 'nope' },
		});
		expect(v1.status).toBe(400);
		expect(v1.body).toEqual({
			code: 'invalidClientIdOrSecret',
			message: '无效的clientId或者clientSecret',
			requestid: expect.stringMatching(/^[0-9A-F]{8}-[0-9A-F]{4}-/),
		});
	});

	test('each app has its own token', async () => {
		const { emu, client } = ctx;
		const [first, second] = emu.seed.dingtalk.apps;
		const a = await client.dingtalkToken(first.appKey, first.appSecret);
		const b = await client.dingtalkToken(second.appKey, second.appSecret);
		expect(a).not.toBe(b);
		// The second app's token does not speak for the first app's agent.
		const send = await client.oapi(ASYNCSEND, {
			query: { access_token: b },
			body: { agent_id: first.agentId, userid_list: 'user001', msg: textMsg },
		});
		expect(send.body.errcode).toBe(40035);
	});
});

describe('DingTalk token errors per family', () => {
	test('topapi: missing token → 88/40000 "access_token is blank"; the header form is ignored', async () => {
		const { client } = ctx;
		const token = await client.dingtalkToken();
		const { status, body } = await client.oapi(ASYNCSEND, {
			headers: { 'x-acs-dingtalk-access-token': token },
			body: {},
		});
		expect(status).toBe(200);
		expect(body).toEqual({
			errcode: 88,
			sub_code: '40000',
			sub_msg: 'access_token is blank',
			errmsg: 'ding talk error[subcode=40000,submsg=access_token is blank]',
			request_id: expect.stringMatching(/^[0-9a-z]{13}$/),
		});
	});

	test('topapi: unknown token → the observed 88/40014 wrapper, exactly', async () => {
		const { client } = ctx;
		const { status, body } = await client.oapi(ASYNCSEND, {
			query: { access_token: 'bogus' },
			body: {},
		});
		expect(status).toBe(200);
		expect(Object.keys(body)).toEqual(['errcode', 'sub_code', 'sub_msg', 'errmsg', 'request_id']);
		expect(body).toMatchObject({
			errcode: 88,
			sub_code: '40014',
			sub_msg: '不合法的access_token',
			errmsg: 'ding talk error[subcode=40014,submsg=不合法的access_token]',
		});
	});

	test('non-topapi old paths answer bare codes: 41001 missing, 40014 unknown, 42001 expired', async () => {
		const { emu, client } = ctx;
		expect((await client.oapi('/media/upload', { method: 'POST' })).body).toEqual({
			errcode: 41001,
			errmsg: '缺少access_token参数',
		});
		expect(
			(await client.oapi('/media/upload', { method: 'POST', query: { access_token: 'bogus' } }))
				.body,
		).toEqual({ errcode: 40014, errmsg: '不合法的access_token' });
		const token = await client.dingtalkToken();
		emu.tokens.expireAll();
		expect(
			(await client.oapi('/media/upload', { method: 'POST', query: { access_token: token } })).body,
		).toEqual({ errcode: 42001, errmsg: 'access_token超时' });
	});

	test('v1.0: token only from the header; a query token or Bearer counts as missing', async () => {
		const { client } = ctx;
		const token = await client.dingtalkToken();
		for (const options of [
			{ query: { access_token: token } },
			{ headers: { authorization: `Bearer ${token}` } },
			{},
		]) {
			const { status, body } = await client.api('/v1.0/emulator/notEmulated', options);
			expect(status).toBe(400);
			expect(body).toMatchObject({
				code: 'AuthenticationFailed.MissingParameter',
				requestid: expect.any(String),
			});
		}
		// With the header the token is accepted (the path itself is not emulated).
		const withHeader = await client.api('/v1.0/emulator/notEmulated', {
			headers: { 'x-acs-dingtalk-access-token': token },
		});
		expect(withHeader.status).toBe(404);
		expect(withHeader.body.code).toBe('error.notFound');
	});

	test('v1.0: invalid or expired token → 400 InvalidAuthentication, 401 when configured', async () => {
		const { emu, client } = ctx;
		const bad = await client.api('/v1.0/emulator/notEmulated', {
			headers: { 'x-acs-dingtalk-access-token': 'bogus' },
		});
		expect(bad.status).toBe(400);
		expect(bad.body).toEqual({
			code: 'InvalidAuthentication',
			message: '不合法的access_token',
			requestid: expect.any(String),
		});
		const token = await client.dingtalkToken();
		emu.tokens.expireAll();
		emu.settings.set({ dingtalk: { invalidAuthenticationStatus: 401 } });
		const expired = await client.api('/v1.0/emulator/notEmulated', {
			headers: { 'x-acs-dingtalk-access-token': token },
		});
		expect(expired.status).toBe(401);
		expect(expired.body.code).toBe('InvalidAuthentication');
	});

	test('a token from /v1.0/oauth2/accessToken works on the old API and vice versa', async () => {
		const { emu, client } = ctx;
		const { body } = await client.api('/v1.0/oauth2/accessToken', {
			body: { appKey: emu.seed.dingtalk.appKey, appSecret: emu.seed.dingtalk.appSecret },
		});
		const send = await client.oapi(ASYNCSEND, {
			query: { access_token: body.accessToken },
			body: { agent_id: 3000001, userid_list: 'user001', msg: textMsg },
		});
		expect(send.body.errcode).toBe(0);
		const v1 = await client.api('/v1.0/anything', {
			headers: { 'x-acs-dingtalk-access-token': await client.dingtalkToken() },
		});
		expect(v1.status).toBe(404); // authenticated, then unknown path
	});
});

describe('WeCom tokens', () => {
	test('gettoken answers the documented shape', async () => {
		const { emu, client } = ctx;
		const { status, body } = await client.wecom('/cgi-bin/gettoken', {
			query: { corpid: emu.seed.wecom.corpId, corpsecret: emu.seed.wecom.corpSecret },
		});
		expect(status).toBe(200);
		expect(Object.keys(body)).toEqual(['errcode', 'errmsg', 'access_token', 'expires_in']);
		expect(body).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
		expect(Buffer.byteLength(body.access_token)).toBeLessThanOrEqual(512);
	});

	test('credential errors: 40013 corpid, 41004 secret missing, 40001 wrong secret, 40091 secret of another corp', async () => {
		const { emu, client } = ctx;
		const gettoken = async (/** @type {Record<string, string>} */ query) =>
			(await client.wecom('/cgi-bin/gettoken', { query })).body.errcode;
		expect(await gettoken({ corpid: 'wwnope', corpsecret: 'x' })).toBe(40013);
		expect(await gettoken({ corpsecret: 'x' })).toBe(40013);
		expect(await gettoken({ corpid: emu.seed.wecom.corpId })).toBe(41004);
		expect(await gettoken({ corpid: emu.seed.wecom.corpId, corpsecret: 'wrong' })).toBe(40001);
		const otherCorpApp = emu.seed.wecom.apps.find((app) => app.corpId !== emu.seed.wecom.corpId);
		expect(
			await gettoken({
				corpid: emu.seed.wecom.corpId,
				corpsecret: /** @type {any} */ (otherCorpApp).secret,
			}),
		).toBe(40091);
	});

	test('each app (secret) has its own token; while valid the same token comes back with the remaining life', async () => {
		const { emu, client } = ctx;
		emu.clock.freeze(Date.UTC(2025, 0, 1));
		const [main, second] = emu.seed.wecom.apps;
		const a = await client.wecomToken(main.corpId, main.secret);
		const b = await client.wecomToken(second.corpId, second.secret);
		expect(a).not.toBe(b);
		emu.clock.advance(1000 * 1000);
		const { body } = await client.wecom('/cgi-bin/gettoken', {
			query: { corpid: main.corpId, corpsecret: main.secret },
		});
		expect(body).toMatchObject({ access_token: a, expires_in: 6200 });
		emu.clock.advance(6200 * 1000);
		const renewed = await client.wecomToken(main.corpId, main.secret);
		expect(renewed).not.toBe(a);
	});

	test('token errors on API calls: 41001 missing, 40014 invalid, 42001 expired', async () => {
		const { emu, client } = ctx;
		const send = (/** @type {Record<string, string>} */ query) =>
			client.wecom('/cgi-bin/message/send', { query, body: {} });
		const missing = await send({});
		expect(missing.status).toBe(200);
		expect(missing.body.errcode).toBe(41001);
		expect(missing.body.errmsg).toMatch(
			/^access_token missing, hint: \[\d+_\d+_[0-9a-f]{32}\], from ip: 127\.0\.0\.1, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=41001$/,
		);
		expect((await send({ access_token: 'bogus' })).body.errcode).toBe(40014);
		const token = await client.wecomToken();
		emu.tokens.expireAll('wecom');
		expect((await send({ access_token: token })).body.errcode).toBe(42001);
	});
});
