// @ts-check
'use strict';

const { createEmulator } = require('..');
const { useEmulator, clientFor, call } = require('../support/testClient');

const ctx = useEmulator();
const ASYNCSEND = '/topapi/message/corpconversation/asyncsend_v2';
const text = (/** @type {string} */ content) => ({ msgtype: 'text', text: { content } });

async function sendWork(/** @type {Record<string, unknown>} */ fields = {}) {
	const token = await ctx.client.dingtalkToken();
	return ctx.client.oapi(ASYNCSEND, {
		query: { access_token: token },
		body: { agent_id: 3000001, userid_list: 'user001,user002', msg: text('x'), ...fields },
	});
}

describe('seed', () => {
	test('deterministic ids and the documented credentials', () => {
		const { dingtalk, wecom } = ctx.emu.seed;
		expect(dingtalk).toMatchObject({
			appKey: 'dingemuappkey0001',
			appSecret: 'emu-dingtalk-app-secret-0001',
			agentId: 3000001,
			corpId: 'dingemucorp0001',
		});
		expect(dingtalk.users.length).toBeGreaterThanOrEqual(320);
		expect(dingtalk.users).toEqual(expect.arrayContaining(['user001', 'user320', 'manager01']));
		expect(dingtalk.departments[0]).toEqual({
			dept_id: 1,
			parent_id: null,
			name: '钉钉模拟科技有限公司',
			name_en: 'Emulated DingTalk Co., Ltd.',
		});
		expect(dingtalk.robots.find((robot) => robot.secret)?.secret).toMatch(/^SEC[0-9a-f]{64}$/);
		expect(dingtalk.robots.find((robot) => robot.keywords.length)?.keywords).toContain('告警');
		expect(wecom).toMatchObject({
			corpId: 'wwemucorp0001',
			corpSecret: 'emu-wecom-secret-1000002',
			agentId: 1000002,
		});
		expect(wecom.users).toEqual(expect.arrayContaining(['ZhangSan', 'NoLicense01']));
		expect(wecom.unlicensedUsers).toEqual(['NoLicense01', 'NoLicense02']);
		expect(wecom.tags.map((tag) => tag.tagid)).toEqual([1, 2, 3, 4]);
		expect(wecom.robots[0].key).toMatch(/^[0-9a-f-]{36}$/);
	});

	test('two emulators hand out the same ids for the same calls', async () => {
		const other = await createEmulator();
		try {
			const otherClient = clientFor(other);
			const mine = await sendWork();
			const token = await otherClient.dingtalkToken();
			const theirs = await otherClient.oapi(ASYNCSEND, {
				query: { access_token: token },
				body: { agent_id: 3000001, userid_list: 'user001,user002', msg: text('x') },
			});
			expect(theirs.body).toEqual(mine.body);
			expect(await otherClient.wecomToken()).toBe(await ctx.client.wecomToken());
			// Equal but for the port in the robots' webhook URLs.
			expect(JSON.parse(JSON.stringify(other.seed).replaceAll(other.url, ctx.emu.url))).toEqual(
				ctx.emu.seed,
			);
		} finally {
			await other.close();
		}
	});

	test('GET /seed mirrors emu.seed; POST /seed/:platform/:kind adds records that reset() drops', async () => {
		const { client, emu } = ctx;
		expect((await client.control('/seed')).body).toEqual(emu.seed);
		const added = await client.control('/seed/dingtalk/users', {
			body: { userid: 'newbie', name: '新人', dept_id_list: [221] },
		});
		expect(added.status).toBe(200);
		expect(added.body).toMatchObject({ userid: 'newbie', dept_id_list: [221] });
		// Sending to department 22 now reaches the new user (221 is its sub-department).
		const { body } = await sendWork({ userid_list: undefined, dept_id_list: '22' });
		expect(emu.dingtalk.task(body.task_id).delivered).toContain('newbie');

		const tag = await client.control('/seed/wecom/tags', {
			body: { tagname: 'QA', userlist: ['ZhaoLiu'] },
		});
		expect(tag.body).toMatchObject({ tagid: 5, corpId: 'wwemucorp0001' });
		expect(
			(await client.control('/seed/wecom/users', { body: { userid: 'zhangsan' } })).status,
		).toBe(409);
		expect(
			(await client.control('/seed/dingtalk/users', { body: { userid: 'x', dept_id_list: [999] } }))
				.status,
		).toBe(400);
		expect((await client.control('/seed/slack/users', { body: {} })).status).toBe(400);
		expect((await client.control('/seed/wecom/spaceships', { body: {} })).status).toBe(404);

		emu.reset();
		expect(emu.seed.dingtalk.users).not.toContain('newbie');
	});

	test('added apps get tokens and can send', async () => {
		const { client, emu } = ctx;
		emu.addSeed('dingtalk', 'apps', {
			appKey: 'dingextra',
			appSecret: 'extra-secret',
			agentId: 3000099,
		});
		const token = await client.dingtalkToken('dingextra', 'extra-secret');
		const sent = await client.oapi(ASYNCSEND, {
			query: { access_token: token },
			body: { agent_id: 3000099, userid_list: 'user001', msg: text('x') },
		});
		expect(sent.body.errcode).toBe(0);
		await client.control('/seed/wecom/apps', { body: { agentId: 1000009, secret: 'nine' } });
		expect(await client.wecomToken('wwemucorp0001', 'nine')).toEqual(expect.any(String));
	});
});

describe('request recording', () => {
	test('every platform request is recorded with its answer; filters by platform, family, method, path, since', async () => {
		const { client, emu } = ctx;
		const sent = await sendWork();
		await client.wecom('/cgi-bin/gettoken', { query: { corpid: 'nope' } });
		const all = emu.requests();
		expect(
			all.map(
				(entry) =>
					`${entry.platform}/${entry.family} ${entry.method} ${entry.path} ${entry.status}`,
			),
		).toEqual([
			'dingtalk/oapi GET /gettoken 200',
			`dingtalk/oapi POST ${ASYNCSEND} 200`,
			'wecom/qyapi GET /cgi-bin/gettoken 200',
		]);
		const [, send] = all;
		expect(send).toMatchObject({
			seq: 2,
			query: { access_token: expect.any(String) },
			body: { agent_id: 3000001 },
			response: sent.body,
			headers: expect.objectContaining({ 'content-type': 'application/json' }),
		});
		expect(emu.requests({ platform: 'wecom' })).toHaveLength(1);
		expect(emu.requests({ family: 'oapi', method: 'get' })).toHaveLength(1);
		expect(emu.requests({ path: /corpconversation/ })).toHaveLength(1);
		expect(emu.requests({ path: '/topapi/*' })).toHaveLength(1);
		expect(emu.requests({ since: 2 })).toHaveLength(1);

		const overHttp = await client.control('/requests?platform=dingtalk&path=/topapi/*');
		expect(overHttp.body.requests).toHaveLength(1);
		expect(overHttp.body.requests[0].seq).toBe(2);
		expect((await client.control('/requests', { method: 'DELETE' })).body).toEqual({
			cleared: true,
		});
		expect(emu.requests()).toEqual([]);
		await sendWork();
		expect(emu.requests()[0].seq).toBe(4); // seq keeps counting after a clear, restarts on reset
	});

	test('multipart bodies are recorded as fields plus file summaries', async () => {
		const { client, emu } = ctx;
		const token = await client.dingtalkToken();
		const form = new FormData();
		form.append('type', 'image');
		form.append('media', new Blob([Buffer.from('PNGDATA')], { type: 'image/png' }), 'a.png');
		await fetch(`${emu.baseUrls.dingtalkOapi}/media/upload?access_token=${token}&type=image`, {
			method: 'POST',
			body: form,
		});
		const [entry] = emu.requests({ path: '/media/upload' });
		expect(entry.body).toEqual({
			fields: { type: 'image' },
			files: { media: { filename: 'a.png', contentType: 'image/png', size: 7 } },
		});
	});

	test('the onRequest option sees each answered request', async () => {
		/** @type {string[]} */
		const seen = [];
		const other = await createEmulator({
			onRequest: (entry) => seen.push(`${entry.method} ${entry.path} ${entry.status}`),
		});
		try {
			await clientFor(other).wecom('/cgi-bin/gettoken', { query: {} });
			expect(seen).toEqual(['GET /cgi-bin/gettoken 200']);
		} finally {
			await other.close();
		}
	});
});

describe('HTTP control API', () => {
	test('GET /__emulator lists the routes and base URLs', async () => {
		const { body } = await ctx.client.control('');
		expect(body.baseUrls).toEqual(ctx.emu.baseUrls);
		expect(body.routes).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^POST \/__emulator\/faults /),
				expect.stringMatching(/^POST \/__emulator\/dingtalk\/tasks\/:taskId\/read /),
			]),
		);
	});

	test('faults: POST (one or many, times "Infinity"), GET, DELETE', async () => {
		const { client } = ctx;
		const added = await client.control('/faults', {
			body: [
				{ platform: 'wecom', kind: 'status', status: 503, times: 'Infinity' },
				{ path: '^/gettoken$', kind: 'rateLimit' },
			],
		});
		expect(added.body.faults).toEqual([
			expect.objectContaining({ id: expect.any(String), kind: 'status', remaining: 'Infinity' }),
			expect.objectContaining({ kind: 'rateLimit', remaining: 1 }),
		]);
		expect((await client.wecom('/cgi-bin/gettoken')).status).toBe(503);
		expect((await client.wecom('/cgi-bin/gettoken')).status).toBe(503);
		expect((await client.oapi('/gettoken')).body.errcode).toBe(90018);
		expect((await client.control('/faults')).body.faults).toHaveLength(1);
		await client.control('/faults', { method: 'DELETE' });
		expect((await client.wecom('/cgi-bin/gettoken')).body.errcode).toBe(40013);
		const bad = await client.control('/faults', { body: { kind: 'boom' } });
		expect(bad.status).toBe(400);
		expect(bad.body.error).toMatch(/kind/);
	});

	test('quotas: POST, GET, DELETE', async () => {
		const { client } = ctx;
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		const token = await client.wecomToken();
		expect(
			(
				await client.control('/quotas', {
					body: { platform: 'wecom', path: '/cgi-bin/message/*', perSecond: 1 },
				})
			).body.quotas,
		).toHaveLength(1);
		const recall = () =>
			client.wecom('/cgi-bin/message/recall', {
				query: { access_token: token },
				body: { msgid: 'x' },
			});
		expect((await recall()).body.errcode).toBe(40035);
		expect((await recall()).body.errcode).toBe(45009);
		expect((await client.control('/quotas')).body.quotas).toEqual([
			expect.objectContaining({ platform: 'wecom', perSecond: 1 }),
		]);
		await client.control('/quotas', { method: 'DELETE' });
		expect((await recall()).body.errcode).toBe(40035);
	});

	test('tokens: expire and lifetime', async () => {
		const { client } = ctx;
		const token = await client.dingtalkToken();
		expect(
			(await client.control('/tokens/lifetime', { body: { platform: 'dingtalk', seconds: 30 } }))
				.body,
		).toEqual({ platform: 'dingtalk', seconds: 30 });
		expect(
			(await client.control('/tokens/expire', { body: { platform: 'dingtalk' } })).body,
		).toEqual({ expired: 1 });
		expect(
			(await client.oapi(ASYNCSEND, { query: { access_token: token }, body: {} })).body.sub_code,
		).toBe('40014');
		const { body } = await client.oapi('/gettoken', {
			query: { appkey: 'dingemuappkey0001', appsecret: 'emu-dingtalk-app-secret-0001' },
		});
		expect(body.expires_in).toBe(30);
		expect((await client.control('/tokens')).body.lifetimes).toEqual({ dingtalk: 30, wecom: 7200 });
		expect(
			(await client.control('/tokens/lifetime', { body: { platform: 'slack', seconds: 30 } }))
				.status,
		).toBe(400);
	});

	test('settings: GET and PATCH; invalid values are refused and change nothing', async () => {
		const { client } = ctx;
		expect((await client.control('/settings')).body.dingtalk.recipientLimits).toBe('doc');
		const patched = await client.control('/settings', {
			method: 'PATCH',
			body: { dingtalk: { recipientLimits: 'sdk', invalidAuthenticationStatus: 401 } },
		});
		expect(patched.body.dingtalk).toMatchObject({
			recipientLimits: 'sdk',
			invalidAuthenticationStatus: 401,
		});
		const bad = await client.control('/settings', {
			method: 'PATCH',
			body: { dingtalk: { recipientLimits: 'huge', msgMaxBytes: 0 } },
		});
		expect(bad.status).toBe(400);
		expect(ctx.emu.settings.get().dingtalk.msgMaxBytes).toBe(2048);
		expect(
			(await client.control('/settings', { method: 'PATCH', body: { slack: {} } })).status,
		).toBe(400);
	});

	test('clock: freeze, advance, back to real time', async () => {
		const { client } = ctx;
		expect(
			(await client.control('/clock/freeze', { body: { at: 1_700_000_000_000 } })).body,
		).toMatchObject({ now: 1_700_000_000_000, frozen: true });
		expect((await client.control('/clock/advance', { body: { ms: 5000 } })).body.now).toBe(
			1_700_000_005_000,
		);
		expect(ctx.emu.clock.now()).toBe(1_700_000_005_000);
		const real = await client.control('/clock/real', { method: 'POST' });
		expect(real.body.frozen).toBe(false);
		expect(Math.abs(real.body.now - Date.now())).toBeLessThan(1000);
		expect((await client.control('/clock/advance', { body: { ms: -1 } })).status).toBe(400);
	});

	test('dingtalk tasks: list, one, mark read, set progress', async () => {
		const { client } = ctx;
		const { body } = await sendWork();
		expect((await client.control('/dingtalk/tasks')).body.tasks).toHaveLength(1);
		expect((await client.control(`/dingtalk/tasks/${body.task_id}`)).body).toMatchObject({
			taskId: body.task_id,
			delivered: ['user001', 'user002'],
		});
		const read = await client.control(`/dingtalk/tasks/${body.task_id}/read`, {
			body: { userIds: ['user002'] },
		});
		expect(read.body).toMatchObject({ readUserIds: ['user002'], unreadUserIds: ['user001'] });
		expect(
			(await client.control(`/dingtalk/tasks/${body.task_id}/read`, { method: 'POST' })).body
				.unreadUserIds,
		).toEqual([]);
		const progress = await client.control(`/dingtalk/tasks/${body.task_id}/progress`, {
			body: { progress_in_percent: 10, status: 1 },
		});
		expect(progress.body.progress).toEqual({ progress_in_percent: 10, status: 1 });
		expect(
			(await client.control(`/dingtalk/tasks/${body.task_id}/progress`, { body: { status: 7 } }))
				.status,
		).toBe(400);
		expect((await client.control('/dingtalk/tasks/1/read', { method: 'POST' })).status).toBe(404);
	});

	test('wecom messages: list and one', async () => {
		const { client } = ctx;
		const token = await client.wecomToken();
		const { body } = await client.wecom('/cgi-bin/message/send', {
			query: { access_token: token },
			body: {
				agentid: 1000002,
				touser: 'ZhangSan',
				msgtype: 'markdown',
				markdown: { content: '**hi**' },
			},
		});
		expect((await client.control('/wecom/messages')).body.messages).toHaveLength(1);
		expect((await client.control(`/wecom/messages/${body.msgid}`)).body).toMatchObject({
			msgid: body.msgid,
			msgtype: 'markdown',
			content: { content: '**hi**' },
			recipients: ['ZhangSan'],
		});
		expect((await client.control('/wecom/messages/nope')).status).toBe(404);
	});

	test('state: the whole in-memory state as JSON', async () => {
		await sendWork();
		const { body } = await ctx.client.control('/state');
		expect(Object.keys(body)).toEqual(['settings', 'tokens', 'dingtalk', 'wecom']);
		expect(body.dingtalk.tasks).toHaveLength(1);
		expect(body.tokens.issued).toEqual([
			expect.objectContaining({ platform: 'dingtalk', owner: 'dingemuappkey0001' }),
		]);
	});

	test('reset: back to the seeded state — tasks, tokens, faults, quotas, log, settings, clock', async () => {
		const { client, emu } = ctx;
		const token = await client.dingtalkToken();
		await sendWork();
		emu.faults.add({ kind: 'reset', times: Infinity, platform: 'wecom' });
		emu.quotas.set({ platform: 'dingtalk', perSecond: 0 });
		emu.settings.set({ dingtalk: { recipientLimits: 'sdk' } });
		emu.clock.freeze(1);
		expect((await client.control('/reset', { method: 'POST' })).body).toEqual({ reset: true });
		expect(emu.state.dingtalk.tasks).toEqual([]);
		expect(emu.faults.list()).toEqual([]);
		expect(emu.quotas.list()).toEqual([]);
		expect(emu.requests()).toEqual([]);
		expect(emu.settings.get().dingtalk.recipientLimits).toBe('doc');
		expect(emu.clock.describe().frozen).toBe(false);
		expect(
			(await client.oapi(ASYNCSEND, { query: { access_token: token }, body: {} })).body.sub_code,
		).toBe('40014');
	});

	test('unknown routes and bad JSON answer 404/400 with an error', async () => {
		const { client, emu } = ctx;
		expect((await client.control('/nope')).status).toBe(404);
		const bad = await fetch(`${emu.url}/__emulator/faults`, { method: 'POST', body: '{oops' });
		expect(bad.status).toBe(400);
		expect(/** @type {any} */ (await bad.json()).error).toMatch(/JSON/);
	});
});

describe('routing', () => {
	test('unknown paths answer like each platform: topapi errcode 22, other old paths 404, v1.0 404 error.notFound, WeCom 404', async () => {
		const { client } = ctx;
		const topapi = await client.oapi('/topapi/app/remove_auth', { body: {} });
		expect(topapi.status).toBe(200);
		expect(topapi.body).toEqual({
			errcode: 22,
			sub_msg: '不合法ApiName，ApiName = dingtalk.oapi.app.remove_auth',
			errmsg: 'Invalid method[submsg=不合法ApiName，ApiName = dingtalk.oapi.app.remove_auth]',
			request_id: expect.any(String),
		});
		const dingToken = await client.dingtalkToken();
		const old = await client.oapi('/nothing/here', { query: { access_token: dingToken } });
		expect(old.status).toBe(404);
		expect(old.body).toEqual({ errcode: 404, errmsg: '请求的URI地址不存在' });
		const wecomToken = await client.wecomToken();
		const wecom = await client.wecom('/cgi-bin/nothing', { query: { access_token: wecomToken } });
		expect(wecom.status).toBe(404);
		expect(wecom.body.errcode).toBe(404);
		// A known path with the wrong method is unknown as well.
		expect(
			(
				await client.wecom('/cgi-bin/message/send', {
					method: 'GET',
					query: { access_token: wecomToken },
				})
			).status,
		).toBe(404);
	});

	test('paths outside the three prefixes get a 404 pointing at the base URLs; GET / describes the emulator', async () => {
		const { emu } = ctx;
		const root = await call(`${emu.url}/`);
		expect(root.status).toBe(200);
		expect(root.body.baseUrls).toEqual(emu.baseUrls);
		expect((await call(`${emu.url}/topapi/message/corpconversation/asyncsend_v2`)).status).toBe(
			404,
		);
	});
});
