// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');

const ctx = useEmulator();
const BASE = '/topapi/message/corpconversation';
const AGENT = 3000001;
const text = (/** @type {string} */ content) => ({ msgtype: 'text', text: { content } });

/** POST a work-notification call with the primary app's token. */
async function post(
	/** @type {string} */ operation,
	/** @type {unknown} */ body,
	/** @type {Record<string, string>} */ headers = {},
) {
	const token = await ctx.client.dingtalkToken();
	return ctx.client.oapi(`${BASE}/${operation}`, { query: { access_token: token }, body, headers });
}
const send = (/** @type {Record<string, unknown>} */ fields) =>
	post('asyncsend_v2', { agent_id: AGENT, ...fields });
const result = async (/** @type {number} */ taskId) =>
	(await post('getsendresult', { agent_id: AGENT, task_id: taskId })).body;

describe('asyncsend_v2', () => {
	test('answers {errcode: 0, task_id: number, request_id} and records the task', async () => {
		const { status, body } = await send({ userid_list: 'user001,user002', msg: text('hi') });
		expect(status).toBe(200);
		expect(body).toEqual({
			errcode: 0,
			task_id: expect.any(Number),
			request_id: expect.stringMatching(/^[0-9a-z]{13}$/),
		});
		const task = ctx.emu.dingtalk.task(body.task_id);
		expect(task).toMatchObject({
			appKey: 'dingemuappkey0001',
			agentId: AGENT,
			delivered: ['user001', 'user002'],
			unreadUserIds: ['user001', 'user002'],
			msg: text('hi'),
		});
	});

	test("agent_id must be the app's own AgentID (40035)", async () => {
		expect(
			(await send({ agent_id: 3000002, userid_list: 'user001', msg: text('x') })).body.errcode,
		).toBe(40035);
		const missing = await post('asyncsend_v2', { userid_list: 'user001', msg: text('x') });
		expect(missing.body).toMatchObject({
			errcode: 40035,
			errmsg: expect.stringContaining('agent_id'),
		});
	});

	test.each([
		['no msgtype', { text: { content: 'x' } }],
		['unknown msgtype', { msgtype: 'actionCard', actionCard: { title: 't', text: 'x' } }],
		['missing type object', { msgtype: 'text' }],
		['empty text', text('')],
		[
			'two message types',
			{ msgtype: 'text', text: { content: 'x' }, markdown: { title: 't', text: 'x' } },
		],
		['voice duration as number', { msgtype: 'voice', voice: { media_id: '@m', duration: 10 } }],
		['voice duration 60', { msgtype: 'voice', voice: { media_id: '@m', duration: '60' } }],
		[
			'link with snake_case keys',
			{ msgtype: 'link', link: { message_url: 'http://x', pic_url: '@p', title: 't', text: 'x' } },
		],
		['oa without head', { msgtype: 'oa', oa: { message_url: 'http://x', body: {} } }],
		[
			'oa bgcolor of 6 hex',
			{
				msgtype: 'oa',
				oa: { message_url: 'http://x', head: { bgcolor: 'FFBBBB', text: 'h' }, body: {} },
			},
		],
		[
			'markdown over 5000 characters',
			{ msgtype: 'markdown', markdown: { title: 't', text: 'a'.repeat(5001) } },
		],
		[
			'action_card without markdown',
			{
				msgtype: 'action_card',
				action_card: { title: 't', single_title: 's', single_url: 'http://x' },
			},
		],
		[
			'action_card single_title without single_url',
			{ msgtype: 'action_card', action_card: { markdown: 'm', single_title: 's' } },
		],
		[
			'action_card buttons without orientation',
			{
				msgtype: 'action_card',
				action_card: { markdown: 'm', btn_json_list: [{ title: 'a', action_url: 'http://x' }] },
			},
		],
		[
			'action_card button without action_url',
			{
				msgtype: 'action_card',
				action_card: { markdown: 'm', btn_orientation: '1', btn_json_list: [{ title: 'a' }] },
			},
		],
		['msg over 2048 bytes', text('字'.repeat(700))],
	])('rejects msg with %s (40035)', async (_name, msg) => {
		const { body } = await send({ userid_list: 'user001', msg });
		expect(body).toMatchObject({
			errcode: 40035,
			errmsg: expect.stringMatching(/^不合法的参数: /),
			request_id: expect.any(String),
		});
	});

	test.each([
		['text', text('x')],
		['image', { msgtype: 'image', image: { media_id: '@lADOADmaWMzazQKA' } }],
		['voice', { msgtype: 'voice', voice: { media_id: '@m', duration: '59' } }],
		['file', { msgtype: 'file', file: { media_id: '@m' } }],
		[
			'link',
			{ msgtype: 'link', link: { messageUrl: 'http://x', picUrl: '@p', title: 't', text: 'x' } },
		],
		[
			'oa',
			{
				msgtype: 'oa',
				oa: {
					message_url: 'http://x',
					head: { bgcolor: 'FFBBBBBB', text: 'h' },
					body: { title: 't', form: [{ key: 'k', value: 'v' }] },
				},
			},
		],
		['markdown', { msgtype: 'markdown', markdown: { title: 't', text: '# hi' } }],
		[
			'action_card (single)',
			{
				msgtype: 'action_card',
				action_card: { title: 't', markdown: 'm', single_title: 's', single_url: 'http://x' },
			},
		],
		[
			'action_card (buttons)',
			{
				msgtype: 'action_card',
				action_card: {
					markdown: 'm',
					btn_orientation: '1',
					btn_json_list: [{ title: 'a', action_url: 'http://x' }],
				},
			},
		],
	])('accepts a well-formed %s message', async (_name, msg) => {
		expect((await send({ userid_list: 'user001', msg })).body.errcode).toBe(0);
	});

	test('msgMaxBytes 0 lifts the 2048-byte limit', async () => {
		ctx.emu.settings.set({ dingtalk: { msgMaxBytes: 0 } });
		expect((await send({ userid_list: 'user001', msg: text('字'.repeat(700)) })).body.errcode).toBe(
			0,
		);
	});

	test('recipients are required unless to_all_user, and lists must be comma strings', async () => {
		expect((await send({ msg: text('x') })).body.errcode).toBe(40035);
		expect((await send({ to_all_user: false, userid_list: '', msg: text('x') })).body.errcode).toBe(
			40035,
		);
		expect((await send({ userid_list: ['user001'], msg: text('x') })).body).toMatchObject({
			errcode: 40035,
			errmsg: expect.stringContaining('userid_list'),
		});
		expect((await send({ dept_id_list: 'abc', msg: text('x') })).body.errcode).toBe(40035);
	});

	test('doc limits by default (100 users, 20 departments); SDK limits (5000 / 500) when switched', async () => {
		const users = (/** @type {number} */ n) =>
			Array.from({ length: n }, (_, i) => `user${String(i + 1).padStart(3, '0')}`).join(',');
		const depts = (/** @type {number} */ n) =>
			Array.from({ length: n }, (_, i) => String(1000 + i)).join(',');
		expect((await send({ userid_list: users(100), msg: text('a') })).body.errcode).toBe(0);
		expect((await send({ userid_list: users(101), msg: text('b') })).body).toMatchObject({
			errcode: 40035,
			errmsg: expect.stringContaining('最多 100'),
		});
		expect((await send({ dept_id_list: depts(21), msg: text('c') })).body.errcode).toBe(40035);
		ctx.emu.settings.set({ dingtalk: { recipientLimits: 'sdk' } });
		expect((await send({ userid_list: users(320), msg: text('d') })).body.errcode).toBe(0);
		expect((await send({ dept_id_list: depts(21), msg: text('e') })).body.errcode).toBe(0);
		expect((await send({ dept_id_list: depts(501), msg: text('f') })).body.errcode).toBe(40035);
	});

	test('departments include sub-departments; unknown users and departments are listed, the rest still sent', async () => {
		const { body } = await send({
			userid_list: 'manager01,ghost,manager01',
			dept_id_list: '51,424242',
			msg: text('x'),
		});
		expect(body.errcode).toBe(0);
		const task = ctx.emu.dingtalk.task(body.task_id);
		const org = ctx.emu.state.dingtalk;
		// Department 51 has sub-department 511; both are members.
		const expected = org.users
			.filter((user) => user.dept_id_list.some((id) => id === 51 || id === 511))
			.map((user) => user.userid);
		expect(expected.length).toBe(64);
		expect(task.delivered).toEqual(['manager01', ...expected]);
		const { send_result } = await result(body.task_id);
		expect(send_result.invalid_user_id_list).toEqual(['ghost']);
		expect(send_result.invalid_dept_id_list).toEqual([424242]);
		expect(send_result.unread_user_id_list).toHaveLength(65);
	});

	test('to_all_user reaches the whole organisation', async () => {
		const { body } = await send({ to_all_user: true, msg: text('all') });
		expect(ctx.emu.dingtalk.task(body.task_id).delivered).toHaveLength(
			ctx.emu.seed.dingtalk.users.length,
		);
	});

	test('form-urlencoded bodies (TOP SDK, doc curl samples) work; other content types get 43004', async () => {
		const token = await ctx.client.dingtalkToken();
		const form = new URLSearchParams({
			agent_id: String(AGENT),
			userid_list: 'user001',
			to_all_user: 'false',
			msg: JSON.stringify(text('form')),
		});
		const viaForm = await ctx.client.oapi(`${BASE}/asyncsend_v2`, {
			query: { access_token: token },
			raw: form.toString(),
			headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
		});
		expect(viaForm.body.errcode).toBe(0);
		const plain = await ctx.client.oapi(`${BASE}/asyncsend_v2`, {
			query: { access_token: token },
			raw: JSON.stringify({ agent_id: AGENT }),
			headers: { 'content-type': 'text/plain' },
		});
		expect(plain.body).toMatchObject({ errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type' });
		const broken = await ctx.client.oapi(`${BASE}/asyncsend_v2`, {
			query: { access_token: token },
			raw: '{"agent_id":',
			headers: { 'content-type': 'application/json' },
		});
		expect(broken.body.errcode).toBe(40035);
	});
});

describe('send result and flow control', () => {
	test('same content to the same user on the same day → forbidden 143106 (count 1); other content passes', async () => {
		await send({ userid_list: 'user001,user002', msg: text('same') });
		const again = await send({ userid_list: 'user001,user003', msg: text('same') });
		const other = await send({ userid_list: 'user001', msg: text('different') });
		const { send_result } = await result(again.body.task_id);
		expect(send_result.forbidden_user_id_list).toEqual(['user001']);
		expect(send_result.forbidden_list).toEqual([{ code: '143106', count: 1, userid: 'user001' }]);
		expect(send_result.unread_user_id_list).toEqual(['user003']);
		expect((await result(other.body.task_id)).send_result.forbidden_list).toEqual([]);
	});

	test('the same content is allowed again the next China day', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1, 15, 0)); // 23:00 in China
		await send({ userid_list: 'user001', msg: text('daily') });
		ctx.emu.clock.advance(2 * 3600_000); // 01:00 next day in China
		const next = await send({ userid_list: 'user001', msg: text('daily') });
		expect((await result(next.body.task_id)).send_result.forbidden_user_id_list).toEqual([]);
	});

	test('more than 500 messages to a user in a day → 143105 (count 500)', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1, 2, 0));
		for (let i = 0; i < 500; i += 1) {
			const { body } = await send({ userid_list: 'user001', msg: text(`n${i}`) });
			expect(body.errcode).toBe(0);
		}
		const over = await send({ userid_list: 'user001,user002', msg: text('n500') });
		const { send_result } = await result(over.body.task_id);
		expect(send_result.forbidden_list).toEqual([{ code: '143105', count: 500, userid: 'user001' }]);
		expect(send_result.unread_user_id_list).toEqual(['user002']);
	});

	test('more than 5000 recipients per minute per app → 143103 (count 5000); the next minute is free again', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1, 2, 0));
		const perSend = ctx.emu.seed.dingtalk.users.length; // 325
		const fullSends = Math.floor(5000 / perSend); // 15 sends = 4875 recipients
		for (let i = 0; i < fullSends; i += 1)
			await send({ to_all_user: true, msg: text(`wave ${i}`) });
		const over = await send({ to_all_user: true, msg: text('overflow') });
		const { send_result } = await result(over.body.task_id);
		expect(send_result.unread_user_id_list).toHaveLength(5000 - fullSends * perSend);
		expect(send_result.forbidden_list).toHaveLength(perSend - (5000 - fullSends * perSend));
		expect(send_result.forbidden_list[0]).toEqual({
			code: '143103',
			count: 5000,
			userid: expect.any(String),
		});
		// The second app has its own budget.
		const second = ctx.emu.seed.dingtalk.apps[1];
		const token = await ctx.client.dingtalkToken(second.appKey, second.appSecret);
		const other = await ctx.client.oapi(`${BASE}/asyncsend_v2`, {
			query: { access_token: token },
			body: { agent_id: second.agentId, to_all_user: true, msg: text('other app') },
		});
		expect(ctx.emu.dingtalk.task(other.body.task_id).forbidden).toEqual([]);
		ctx.emu.clock.advance(60_001);
		const later = await send({ to_all_user: true, msg: text('later') });
		expect(ctx.emu.dingtalk.task(later.body.task_id).forbidden).toEqual([]);
	});

	test('getsendresult has every documented list; control marks recipients read', async () => {
		const { body } = await send({ userid_list: 'user001,user002,user003', msg: text('read me') });
		ctx.emu.dingtalk.markTaskRead(body.task_id, ['user002']);
		const res = await result(body.task_id);
		expect(res).toEqual({
			errcode: 0,
			errmsg: 'ok',
			send_result: {
				invalid_user_id_list: [],
				forbidden_user_id_list: [],
				failed_user_id_list: [],
				read_user_id_list: ['user002'],
				unread_user_id_list: ['user001', 'user003'],
				invalid_dept_id_list: [],
				forbidden_list: [],
			},
			request_id: expect.any(String),
		});
		ctx.emu.dingtalk.markTaskRead(body.task_id);
		expect((await result(body.task_id)).send_result.read_user_id_list).toEqual([
			'user002',
			'user001',
			'user003',
		]);
		expect(() => ctx.emu.dingtalk.markTaskRead(body.task_id, ['user999'])).toThrow(/not delivered/);
	});
});

describe('getsendprogress, getsendresult and recall windows', () => {
	test('progress: done at once by default, settable through the control, 40035 after 24 h or for unknown tasks', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		const { body } = await send({ userid_list: 'user001', msg: text('p') });
		const progress = async () =>
			(await post('getsendprogress', { agent_id: AGENT, task_id: body.task_id })).body;
		expect(await progress()).toEqual({
			errcode: 0,
			errmsg: 'ok',
			progress: { progress_in_percent: 100, status: 2 },
			request_id: expect.any(String),
		});
		ctx.emu.dingtalk.setTaskProgress(body.task_id, { progress_in_percent: 40, status: 1 });
		expect((await progress()).progress).toEqual({ progress_in_percent: 40, status: 1 });
		ctx.emu.clock.advance(24 * 3600_000);
		expect((await progress()).errcode).toBe(0);
		ctx.emu.clock.advance(1);
		expect(await progress()).toMatchObject({
			errcode: 40035,
			errmsg: expect.stringMatching(/^不合法的参数/),
		});
		expect((await post('getsendprogress', { agent_id: AGENT, task_id: 1 })).body.errcode).toBe(
			40035,
		);
		expect(
			(await post('getsendresult', { agent_id: AGENT, task_id: body.task_id })).body.errcode,
		).toBe(40035);
	});

	test('newTaskProgress setting controls how tasks start', async () => {
		ctx.emu.settings.set({ dingtalk: { newTaskProgress: { progress_in_percent: 0, status: 0 } } });
		const { body } = await send({ userid_list: 'user001', msg: text('slow') });
		expect(ctx.emu.dingtalk.task(body.task_id).progress).toEqual({
			progress_in_percent: 0,
			status: 0,
		});
	});

	test('another app cannot query or recall a task; wrong agent_id is refused', async () => {
		const { body } = await send({ userid_list: 'user001', msg: text('mine') });
		const second = ctx.emu.seed.dingtalk.apps[1];
		const token = await ctx.client.dingtalkToken(second.appKey, second.appSecret);
		const foreign = await ctx.client.oapi(`${BASE}/getsendresult`, {
			query: { access_token: token },
			body: { agent_id: second.agentId, task_id: body.task_id },
		});
		expect(foreign.body.errcode).toBe(40035);
		expect(
			(await post('getsendprogress', { agent_id: 3000002, task_id: body.task_id })).body.errcode,
		).toBe(40035);
		expect(
			(await post('recall', { agent_id: 3000002, msg_task_id: body.task_id })).body.errcode,
		).toBe(400002);
	});

	test('recall: ok within 24 h and marked in state; 400002 for unknown tasks and after 24 h', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		const first = (await send({ userid_list: 'user001', msg: text('oops') })).body.task_id;
		const second = (await send({ userid_list: 'user001', msg: text('oops 2') })).body.task_id;
		ctx.emu.clock.advance(3600_000);
		const ok = await post('recall', { agent_id: AGENT, msg_task_id: first });
		expect(ok.body).toEqual({ errcode: 0, errmsg: 'ok', request_id: expect.any(String) });
		expect(ctx.emu.dingtalk.task(first).recalledAt).toBe(Date.UTC(2025, 5, 1) + 3600_000);
		expect((await post('recall', { agent_id: AGENT, msg_task_id: 123 })).body).toMatchObject({
			errcode: 400002,
			errmsg: 'agentId不合法或taskId不合法',
		});
		ctx.emu.clock.advance(23 * 3600_000 + 1);
		expect((await post('recall', { agent_id: AGENT, msg_task_id: second })).body.errcode).toBe(
			400002,
		);
		expect(ctx.emu.dingtalk.task(second).recalledAt).toBeNull();
	});
});

describe('more than 5000 recipients in one call', () => {
	const big = useEmulator({ seed: { dingtalkUserCount: 5100 } });

	test('the first 5000 are sent, the rest are listed as failed', async () => {
		const token = await big.client.dingtalkToken();
		const { body } = await big.client.oapi(`${BASE}/asyncsend_v2`, {
			query: { access_token: token },
			body: { agent_id: AGENT, to_all_user: true, msg: text('everyone') },
		});
		const task = big.emu.dingtalk.task(body.task_id);
		expect(task.recipients).toHaveLength(5105);
		expect(task.delivered).toHaveLength(5000);
		expect(task.failedUserIds).toEqual(task.recipients.slice(5000));
	});
});
