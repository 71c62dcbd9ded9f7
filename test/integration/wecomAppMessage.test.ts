import appMessageExample from '../../examples/wecom-app-message.json';
import {
	issuedTokens,
	run,
	serialisedRun,
	singleNodeWorkflow,
	useEmulator,
	WECOM_TYPE,
	weComSendText as send,
} from './support';

const SEND_PATH = '/cgi-bin/message/send';
const WRONG_SECRET = ['wrong', 'value', '000'].join('-');
const tokenCalls = (ctx: ReturnType<typeof useEmulator>) =>
	ctx.emu.requests({ path: '/cgi-bin/gettoken' }).length;

describe('WeCom app messages in a real n8n workflow run', () => {
	const ctx = useEmulator();

	it('runs the example: markdown to members and a department', async () => {
		const result = await run(ctx.emu, appMessageExample);
		expect(result.status).toBe('success');
		const [sent] = result.nodeOutput('Send App Message');
		expect(sent.json).toMatchObject({
			msgid: expect.any(String),
			calls: 1,
			invalidUsers: [],
			unlicensedUsers: [],
		});
		const [request] = ctx.emu.requests({ path: SEND_PATH });
		expect(request.body).toMatchObject({
			msgtype: 'markdown',
			agentid: 1000002,
			touser: 'ZhangSan|LiSi',
			toparty: '2',
			markdown: { content: expect.stringContaining('#10086') },
		});
		expect(request.query.access_token).toEqual(expect.any(String));
		expect(tokenCalls(ctx)).toBe(1);
	});

	it('lists invalid and unlicensed recipients as arrays and warns in the output pane', async () => {
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send()), {
			inputItems: [
				{
					users: ['ZhangSan', 'Ghost01', 'NoLicense01'],
					departments: '2, 999',
					tags: '1,77',
					name: 'x',
				},
			],
		});
		const [sent] = result.nodeOutput('Node');
		expect(sent.json).toMatchObject({
			invalidUsers: ['ghost01'],
			invalidDepartments: ['999'],
			invalidTags: ['77'],
			unlicensedUsers: ['nolicense01'],
		});
		const hints = result.nodeHints('Node').map((h) => h.message);
		expect(hints.join(' ')).toContain('skipped 3 invalid recipient(s)');
		expect(hints.join(' ')).toContain('no WeCom API licence');
	});

	it('fails with errcode 81013 and the visible-range hint when every recipient is invalid', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, send(), { continueOnFail: true }),
			{
				inputItems: [
					{ users: 'Ghost01|Ghost02', name: 'x' },
					{ users: 'LiSi', name: 'y' },
				],
			},
		);
		const [failed, delivered] = result.nodeOutput('Node');
		expect(failed.json).toMatchObject({
			errcode: 81013,
			hint: expect.stringContaining('Visible Range'),
		});
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(delivered.json.msgid).toEqual(expect.any(String));
		expect(delivered.pairedItem).toEqual({ item: 1 });
	});

	it('splits more than 1000 users over two calls; a call with only invalid users does not sink the rest', async () => {
		const ghosts = Array.from({ length: 1000 }, (_, i) => `ghost${i}`);
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send()), {
			inputItems: [{ users: [...ghosts, 'ZhangSan', 'LiSi'], name: 'x' }],
		});
		expect(result.status).toBe('success');
		const [sent] = result.nodeOutput('Node');
		expect(sent.json.calls).toBe(2);
		expect(sent.json.msgids).toHaveLength(1);
		expect(sent.json.invalidUsers).toHaveLength(1000);
		const calls = ctx.emu.requests({ path: SEND_PATH });
		expect(calls.map((c) => (c.body as { touser: string }).touser.split('|').length)).toEqual([
			1000, 2,
		]);
		expect(calls.map((c) => (c.response as { errcode: number }).errcode)).toEqual([81013, 0]);
	});

	it('sends @all for All Members', async () => {
		await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send({ sendTo: 'all' })), {
			inputItems: [{ name: 'x' }],
		});
		const [request] = ctx.emu.requests({ path: SEND_PATH });
		expect(request.body).toMatchObject({ touser: '@all' });
		expect(request.body).not.toHaveProperty('toparty');
	});

	it('refuses text over 2048 bytes before calling WeCom, naming the field and item', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, send({ content: '={{ $json.text }}' }), {
				continueOnFail: true,
			}),
			{
				inputItems: [
					{ users: 'LiSi', text: '好'.repeat(683) },
					{ users: 'LiSi', text: '好'.repeat(682) },
				],
			},
		);
		const [tooLong, fits] = result.nodeOutput('Node');
		expect(tooLong.json.error).toBe(
			"'Content' is 2049 bytes; WeCom accepts at most 2048 for text [item 0]",
		);
		expect(fits.json.msgid).toEqual(expect.any(String));
		expect(ctx.emu.requests({ path: SEND_PATH })).toHaveLength(1);
	});

	it('refreshes once when WeCom says the token expired mid-run', async () => {
		ctx.afterRequest.push((entry) => {
			if (entry.path === SEND_PATH && ctx.emu.requests({ path: SEND_PATH }).length === 1)
				ctx.emu.tokens.expireAll('wecom');
		});
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send()), {
			inputItems: [
				{ users: 'LiSi', name: '1' },
				{ users: 'LiSi', name: '2' },
				{ users: 'LiSi', name: '3' },
			],
		});
		expect(result.nodeOutput('Node').every((item) => typeof item.json.msgid === 'string')).toBe(
			true,
		);
		expect(tokenCalls(ctx)).toBe(2);
		// Calls in flight with the expired token are each rejected once, then sent with the new one.
		const codes = ctx.emu
			.requests({ path: SEND_PATH })
			.map((r) => (r.response as { errcode: number }).errcode);
		expect(codes.filter((code) => code === 0)).toHaveLength(3);
		expect(codes.filter((code) => code !== 0).every((code) => code === 42001)).toBe(true);
		expect(codes).toContain(42001);
	});

	it('backs off on 45009 and delivers everything', async () => {
		ctx.emu.quotas.set({ platform: 'wecom', path: SEND_PATH, perSecond: 2 });
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send()), {
			inputItems: [1, 2, 3, 4].map((n) => ({ users: 'LiSi', name: String(n) })),
		});
		expect(result.status).toBe('success');
		const codes = ctx.emu
			.requests({ path: SEND_PATH })
			.map((r) => (r.response as { errcode: number }).errcode);
		expect(codes).toContain(45009);
		expect(codes.filter((code) => code === 0)).toHaveLength(4);
	}, 30_000);

	it('quotes the caller IP for a trusted-IP refusal (60020) and leaks no secret', async () => {
		ctx.emu.faults.add({
			platform: 'wecom',
			path: SEND_PATH,
			kind: 'errcode',
			errcode: 60020,
			errmsg:
				'not allow to access from your ip, hint: [1700000000_1_abc], from ip: 198.51.100.23, more info at https://open.work.weixin.qq.com/devtool/query?e=60020',
		});
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send()), {
			inputItems: [{ users: 'LiSi', name: 'x' }],
		});
		expect(result.status).toBe('error');
		expect(result.error.description).toContain('the IP 198.51.100.23');
		expect(result.logs.join('\n')).toContain('errcode 60020');
		const data = serialisedRun(result);
		expect(data).not.toContain(ctx.emu.seed.wecom.corpSecret);
		for (const token of issuedTokens(ctx.emu)) expect(data).not.toContain(token);
	});

	it('reports a wrong secret at once (errcode 40001 from gettoken), without retrying', async () => {
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send()), {
			inputItems: [{ users: 'LiSi', name: 'x' }],
			credentials: { weComApi: { corpSecret: WRONG_SECRET } },
		});
		expect(result.status).toBe('error');
		expect(result.error.message).toContain('errcode 40001');
		expect(result.error.description).toContain('Secret again');
		expect(tokenCalls(ctx)).toBe(1);
		expect(serialisedRun(result)).not.toContain(WRONG_SECRET);
	});

	it('recalls a message', async () => {
		const sent = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send()), {
			inputItems: [{ users: 'LiSi', name: 'x' }],
		});
		const msgid = sent.nodeOutput('Node')[0].json.msgid as string;
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, {
				resource: 'appMessage',
				operation: 'recall',
				msgIds: msgid,
			}),
		);
		expect(result.nodeOutput('Node')[0].json).toEqual({ msgid, msgids: [msgid], recalled: true });
		expect(ctx.emu.requests({ path: '/cgi-bin/message/recall' })[0].body).toEqual({ msgid });
	});
});

describe('WeCom custom API call', () => {
	const ctx = useEmulator();

	it('calls any endpoint with the managed token and returns its JSON', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, {
				resource: 'customApiCall',
				operation: 'call',
				method: 'POST',
				path: '/cgi-bin/message/send',
				sendBody: true,
				body: JSON.stringify({
					touser: 'LiSi',
					msgtype: 'text',
					agentid: 1000002,
					text: { content: 'raw' },
				}),
				options: {},
			}),
		);
		expect(result.nodeOutput('Node')[0].json).toMatchObject({
			errcode: 0,
			msgid: expect.any(String),
		});
	});

	it('names the Body field when it is not JSON', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				{
					resource: 'customApiCall',
					operation: 'call',
					method: 'POST',
					path: '/cgi-bin/x',
					sendBody: true,
					body: '{oops',
					options: {},
				},
				{ continueOnFail: true },
			),
		);
		expect(result.nodeOutput('Node')[0].json.error).toMatch(/^'Body' is not valid JSON/);
	});
});
