import workNotificationExample from '../../examples/dingtalk-work-notification.json';
import {
	DINGTALK_TYPE,
	issuedTokens,
	run,
	serialisedRun,
	singleNodeWorkflow,
	useEmulator,
	dingTalkSendText as sendText,
} from './support';

const SEND_PATH = '/topapi/message/corpconversation/asyncsend_v2';
const tokenCalls = (ctx: ReturnType<typeof useEmulator>) =>
	ctx.emu.requests({ path: '/v1.0/oauth2/accessToken' }).length;

describe('DingTalk work notifications in a real n8n workflow run', () => {
	const ctx = useEmulator();

	it('runs the example: send, progress and result, with one token for the whole run', async () => {
		const result = await run(ctx.emu, workNotificationExample);
		expect(result.status).toBe('success');

		const [sent] = result.nodeOutput('Send Work Notification');
		expect(sent.json).toMatchObject({
			calls: 1,
			agentId: 3000001,
			msgtype: 'markdown',
			recipients: { userIds: 2 },
		});
		const taskId = sent.json.taskId as number;
		expect(sent.json.taskIds).toEqual([taskId]);

		const [progress] = result.nodeOutput('Get Send Progress');
		expect(progress.json).toMatchObject({
			taskId,
			done: true,
			status: 'done',
			progressInPercent: 100,
		});
		const [outcome] = result.nodeOutput('Get Send Result');
		expect(outcome.json).toMatchObject({
			taskId,
			unreadUserIds: ['manager01', 'user001'],
			readUserIds: [],
			invalidUserIds: [],
		});

		const [request] = ctx.emu.requests({ path: SEND_PATH });
		expect(request.query).toHaveProperty('access_token');
		expect(request.body).toMatchObject({
			agent_id: 3000001,
			userid_list: 'manager01,user001',
			msg: {
				msgtype: 'markdown',
				markdown: { title: 'Daily report', text: expect.stringContaining('**42**') },
			},
		});
		expect(tokenCalls(ctx)).toBe(1);
	});

	it('sends one notification per item, paired to its input, with one token', async () => {
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, sendText()), {
			inputItems: [
				{ users: 'user001', name: 'A' },
				{ users: ['user002', 'user003'], name: 'B' },
				{ users: 'user004,manager01', name: 'C' },
			],
		});
		const output = result.nodeOutput('Node');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const bodies = ctx.emu
			.requests({ path: SEND_PATH })
			.map((r) => r.body as { userid_list: string; msg: { text: { content: string } } });
		expect(bodies.map((b) => [b.userid_list, b.msg.text.content])).toEqual([
			['user001', 'Hello A'],
			['user002,user003', 'Hello B'],
			['user004,manager01', 'Hello C'],
		]);
		expect(new Set(output.map((item) => item.json.taskId)).size).toBe(3);
		expect(tokenCalls(ctx)).toBe(1);
	});

	it('splits 250 users and 45 departments into 3 calls and merges their results into one item', async () => {
		const users = Array.from({ length: 250 }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);
		const departments = ['2', '3', '4', '5', '6', '21', '22', '23', '221', '51', '52', '511'];
		const unknownDepartments = Array.from({ length: 33 }, (_, i) => String(900 + i));
		const workflow = singleNodeWorkflow(DINGTALK_TYPE, {
			...sendText({ departmentIds: '={{ $json.departments }}' }),
		});
		const result = await run(ctx.emu, workflow, {
			inputItems: [{ users, departments: [...departments, ...unknownDepartments], name: 'all' }],
		});
		expect(result.status).toBe('success');
		const [sent] = result.nodeOutput('Node');
		expect(sent.json.calls).toBe(3);
		expect(sent.json.taskIds).toHaveLength(3);
		expect(sent.json.recipients).toEqual({ allUsers: false, userIds: 250, departmentIds: 45 });

		const calls = ctx.emu
			.requests({ path: SEND_PATH })
			.map((r) => r.body as { userid_list: string; dept_id_list: string });
		expect(calls.map((c) => c.userid_list.split(',').length)).toEqual([100, 100, 50]);
		expect(calls.map((c) => c.dept_id_list.split(',').length)).toEqual([20, 20, 5]);
		expect(calls.flatMap((c) => c.userid_list.split(','))).toEqual(users);

		const resultRun = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, {
				resource: 'workNotification',
				operation: 'getSendResult',
				taskIds: '={{ $json.taskIds }}',
				options: {},
			}),
			{ inputItems: [{ taskIds: sent.json.taskIds }] },
		);
		const [merged] = resultRun.nodeOutput('Node');
		expect(merged.json.taskIds).toEqual(sent.json.taskIds);
		expect(merged.json.invalidDepartmentIds).toEqual(unknownDepartments.map(Number));
		expect((merged.json.unreadUserIds as string[]).length).toBeGreaterThanOrEqual(250);
		expect(merged.json.unreadUserIds).toEqual(expect.arrayContaining(users));
	});

	it('reports which calls of a split send went out when a later call fails, and does not repeat them (one call at a time)', async () => {
		ctx.afterRequest.push((entry) => {
			if (entry.path === SEND_PATH && ctx.emu.requests({ path: SEND_PATH }).length === 1) {
				ctx.emu.faults.add({
					platform: 'dingtalk',
					path: SEND_PATH,
					kind: 'status',
					status: 503,
					times: 1,
				});
			}
		});
		const users = Array.from({ length: 250 }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, sendText({ throughput: { concurrency: 1 } }), {
				continueOnFail: true,
			}),
			{
				inputItems: [{ users, name: 'big' }],
			},
		);
		const [item] = result.nodeOutput('Node');
		const firstTask = (ctx.emu.requests({ path: SEND_PATH })[0].response as { task_id: number })
			.task_id;
		expect(item.json.partialResult).toEqual({
			taskIds: [firstTask],
			sentCalls: 1,
			plannedCalls: 3,
			sentCallNumbers: [1],
		});
		expect(item.json.description).toContain('1 of 3 calls were made before this failure (call 1;');
		expect(item.json.description).toContain('may have processed the call, so it was not repeated');
		// The 503 call was not retried (a send is not idempotent) and the third call was not made.
		expect(ctx.emu.requests({ path: SEND_PATH })).toHaveLength(2);
	});

	it('reports recipients DingTalk held back (same content twice a day) with the reason', async () => {
		const workflow = singleNodeWorkflow(DINGTALK_TYPE, sendText());
		await run(ctx.emu, workflow, { inputItems: [{ users: 'user010', name: 'X' }] });
		const second = await run(ctx.emu, workflow, { inputItems: [{ users: 'user010', name: 'X' }] });
		const taskId = second.nodeOutput('Node')[0].json.taskId;
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, {
				resource: 'workNotification',
				operation: 'getSendResult',
				taskIds: String(taskId),
				options: {},
			}),
		);
		const [outcome] = result.nodeOutput('Node');
		expect(outcome.json.forbiddenUserIds).toEqual(['user010']);
		expect(outcome.json.forbidden).toEqual([
			{
				userId: 'user010',
				code: 143106,
				count: expect.anything(),
				reason: 'same content already sent to this user today',
			},
		]);
		expect(
			result
				.nodeHints('Node')
				.map((h) => h.message)
				.join(' '),
		).toContain('did not get the message');
	});

	it('refreshes an expired token mid-run once and sends every item once', async () => {
		ctx.afterRequest.push((entry) => {
			if (entry.path === SEND_PATH && ctx.emu.requests({ path: SEND_PATH }).length === 2)
				ctx.emu.tokens.expireAll('dingtalk');
		});
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, sendText()), {
			inputItems: [1, 2, 3, 4].map((n) => ({ users: `user00${n}`, name: String(n) })),
		});
		expect(result.status).toBe('success');
		expect(result.nodeOutput('Node')).toHaveLength(4);
		expect(tokenCalls(ctx)).toBe(2);
		const answers = ctx.emu
			.requests({ path: SEND_PATH })
			.map(
				(r) =>
					(r.response as { errcode: number; sub_code?: string }).sub_code ??
					String((r.response as { errcode: number }).errcode),
			);
		// Calls in flight when the token expired are each rejected once and repeated with the one
		// new token; no item is sent twice.
		const rejected = answers.filter((code) => code !== '0');
		expect(rejected.length).toBeGreaterThanOrEqual(1);
		expect(rejected.every((code) => code === '40014')).toBe(true);
		const delivered = ctx.emu
			.requests({ path: SEND_PATH })
			.filter((r) => (r.response as { errcode: number }).errcode === 0)
			.map((r) => (r.body as { userid_list: string }).userid_list)
			.sort();
		expect(delivered).toEqual(['user001', 'user002', 'user003', 'user004']);
	});

	it('backs off when DingTalk rate-limits the app and still delivers everything', async () => {
		ctx.emu.quotas.set({ platform: 'dingtalk', path: SEND_PATH, perSecond: 2 });
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, sendText()), {
			inputItems: [1, 2, 3, 4].map((n) => ({ users: `user00${n}`, name: String(n) })),
		});
		expect(result.status).toBe('success');
		expect(result.nodeOutput('Node')).toHaveLength(4);
		const codes = ctx.emu
			.requests({ path: SEND_PATH })
			.map((r) => (r.response as { errcode: number }).errcode);
		expect(codes).toContain(90018);
		expect(codes.filter((code) => code === 0)).toHaveLength(4);
	}, 30_000);

	it('paces itself under "Max Requests per Second" and never hits the limit', async () => {
		ctx.emu.quotas.set({ platform: 'dingtalk', path: SEND_PATH, perSecond: 5 });
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, sendText()), {
			inputItems: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ users: `user00${n}`, name: String(n) })),
			credentials: { dingTalkApi: { maxRequestsPerSecond: 4 } },
		});
		expect(result.status).toBe('success');
		const codes = ctx.emu
			.requests({ path: SEND_PATH })
			.map((r) => (r.response as { errcode: number }).errcode);
		expect(codes).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
	});

	it('sends to everyone with the value saved workflows hold (allUsers)', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, sendText({ sendTo: 'allUsers' })),
			{
				inputItems: [{ name: 'all' }],
			},
		);
		expect(result.nodeOutput('Node')[0].json.recipients).toEqual({
			allUsers: true,
			userIds: 0,
			departmentIds: 0,
		});
		const [send] = ctx.emu.requests({ path: SEND_PATH });
		expect(send.body).toMatchObject({ to_all_user: true });
		expect(send.body).not.toHaveProperty('userid_list');
	});

	it('checks every item before the first send: a bad item 1 stops the node before item 0 is sent', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, sendText({ departmentIds: '={{ $json.departments }}' })),
			{
				inputItems: [
					{ users: 'user001', name: 'ok' },
					{ users: '', departments: '2, sales', name: 'bad' },
				],
			},
		);
		expect(result.status).toBe('error');
		expect(result.error.message).toBe(
			"'Department IDs' contains 'sales', which is not a numeric ID (a whole number of at most 16 digits) [item 1]",
		);
		expect(ctx.emu.requests({ path: SEND_PATH })).toHaveLength(0);
	});

	it('keeps every other item and its pairing with continueOnFail', async () => {
		const workflow = singleNodeWorkflow(
			DINGTALK_TYPE,
			sendText({ messageType: 'json', messageJson: '={{ $json.msg }}' }),
			{
				continueOnFail: true,
			},
		);
		const result = await run(ctx.emu, workflow, {
			inputItems: [
				{ users: 'user001', msg: '{"msgtype":"text","text":{"content":"one"}}' },
				{ users: 'user002', msg: '{"msgtype":"text","text":{"content":"two"}' },
				{ users: 'user003', msg: { msgtype: 'markdown', markdown: { title: 'x' } } },
				{ users: 'user004', msg: { msgtype: 'text', text: { content: 'four' } } },
			],
		});
		expect(result.status).toBe('success');
		const output = result.nodeOutput('Node');
		expect(output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(output[0].json.taskId).toEqual(expect.any(Number));
		expect(output[1].json.error).toMatch(/^'Message JSON' is not valid JSON: .*\[item 1\]$/);
		expect(output[2].json.error).toBe(
			"'Message JSON' has a wrong shape: markdown.text: Required [item 2]",
		);
		expect(output[3].json.taskId).toEqual(expect.any(Number));
		expect(ctx.emu.requests({ path: SEND_PATH })).toHaveLength(2);
	});

	it('turns a wrong agent ID into a NodeApiError item with errcode, request id and hint', async () => {
		const workflow = singleNodeWorkflow(DINGTALK_TYPE, sendText({ options: { agentId: '999' } }), {
			continueOnFail: true,
		});
		const result = await run(ctx.emu, workflow, { inputItems: [{ users: 'user001', name: 'x' }] });
		const [item] = result.nodeOutput('Node');
		expect(item.json).toMatchObject({
			error: expect.stringContaining('DingTalk rejected the request'),
			errcode: 40035,
			requestId: expect.any(String),
			hint: expect.stringContaining('agent ID'),
		});
	});

	it('fails clearly on a wrong secret and never shows a secret or token', async () => {
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, sendText()), {
			inputItems: [{ users: 'user001', name: 'x' }],
			credentials: { dingTalkApi: { appSecret: 'definitely-wrong-secret' } },
		});
		expect(result.status).toBe('error');
		expect(result.error.message).toContain('invalidClientIdOrSecret');
		expect(result.error.description).toContain('Client Secret (AppSecret)');
		expect(tokenCalls(ctx)).toBe(1);
		expect(serialisedRun(result)).not.toContain('definitely-wrong-secret');
		expect(result.logs.join('\n')).toContain('invalidClientIdOrSecret');
		expect(result.logs.join('\n')).not.toContain('definitely-wrong-secret');
	});

	it('never puts the app secret or an access token into output items or errors', async () => {
		ctx.emu.faults.add({
			platform: 'dingtalk',
			path: SEND_PATH,
			kind: 'errcode',
			errcode: 60020,
			errmsg: 'ip not in whitelist',
			times: 1,
		});
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, sendText(), { continueOnFail: true }),
			{
				inputItems: [
					{ users: 'user001', name: 'x' },
					{ users: 'user002', name: 'y' },
				],
			},
		);
		const data = serialisedRun(result);
		expect(result.nodeOutput('Node')[0].json.hint).toContain('whitelist');
		expect(data).not.toContain(ctx.emu.seed.dingtalk.appSecret);
		for (const token of issuedTokens(ctx.emu)) expect(data).not.toContain(token);
	});

	it('recalls a sent notification', async () => {
		const sent = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, sendText()), {
			inputItems: [{ users: 'user001', name: 'x' }],
		});
		const taskId = sent.nodeOutput('Node')[0].json.taskId as number;
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, {
				resource: 'workNotification',
				operation: 'recall',
				taskIds: String(taskId),
				options: {},
			}),
		);
		expect(result.nodeOutput('Node')[0].json).toMatchObject({ taskId, recalled: true });
		expect(ctx.emu.requests({ path: '/topapi/message/corpconversation/recall' })[0].body).toEqual({
			agent_id: 3000001,
			msg_task_id: taskId,
		});
	});
});

describe('DingTalk custom API call', () => {
	const ctx = useEmulator();

	it('calls an old-API endpoint with the managed token in the query', async () => {
		const sent = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, sendText()), {
			inputItems: [{ users: 'user001', name: 'x' }],
		});
		const taskId = sent.nodeOutput('Node')[0].json.taskId;
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, {
				resource: 'customApiCall',
				operation: 'call',
				apiFamily: 'oapi',
				method: 'POST',
				path: '/topapi/message/corpconversation/getsendprogress',
				sendBody: true,
				body: JSON.stringify({ agent_id: 3000001, task_id: taskId }),
				options: {},
			}),
		);
		expect(result.nodeOutput('Node')[0].json).toMatchObject({
			errcode: 0,
			progress: { progress_in_percent: 100, status: 2 },
		});
	});

	it('sends the token in the header on the new API and maps its HTTP errors', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				{
					resource: 'customApiCall',
					operation: 'call',
					apiFamily: 'api',
					method: 'GET',
					path: '/v1.0/contact/users/me',
					options: {},
				},
				{ continueOnFail: true },
			),
		);
		const [request] = ctx.emu.requests({ path: '/v1.0/contact/users/me' });
		expect(request.headers['x-acs-dingtalk-access-token']).toEqual(expect.any(String));
		expect(request.query).not.toHaveProperty('access_token');
		const [item] = result.nodeOutput('Node');
		expect(item.json.error).toContain('HTTP 404');
	});

	it('refuses a full URL or a hand-made access_token', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				{
					resource: 'customApiCall',
					operation: 'call',
					apiFamily: 'oapi',
					method: 'GET',
					path: '={{ $json.path }}',
					queryParameters: { parameter: [{ name: '={{ $json.q }}', value: 'x' }] },
					options: {},
				},
				{ continueOnFail: true },
			),
			{
				inputItems: [
					{ path: 'https://oapi.dingtalk.com/topapi/x', q: 'a' },
					{ path: '/topapi/x', q: 'access_token' },
				],
			},
		);
		const [first, second] = result.nodeOutput('Node');
		expect(first.json.error).toBe(
			"'Path' is not allowed: The path 'https://oapi.dingtalk.com/topapi/x' must start with a slash [item 0]",
		);
		expect(second.json.error).toContain("Remove the query parameter 'access_token'");
		expect(ctx.emu.requests()).toHaveLength(0);
	});
});
