import {
	DINGTALK_TYPE,
	pick,
	run,
	singleNodeWorkflow,
	useEmulator,
	useFrozenRobotClock,
} from './support';

/**
 * The pacing cases run one item at a time: the emulator's clock is frozen and moved by each wait,
 * which would also move the clock under posts still in flight if items ran concurrently.
 */
const ONE_AT_A_TIME = { concurrency: 1 };
const ROBOT = { credential: 'dingTalkRobotApi' };
const send = (extra: Record<string, unknown>) => ({
	resource: 'groupRobot',
	operation: 'send',
	messageType: 'text',
	text: 'Disk usage on db-1 is 93%',
	options: {},
	...extra,
});

describe('DingTalk group robot in a workflow run', () => {
	const ctx = useEmulator();
	const posted = () => ctx.emu.dingtalk.robotMessages();
	const signed = () => ctx.emu.seed.dingtalk.robots.find((robot) => robot.secret)!;

	// The pacer runs on the emulator's clock, frozen: waiting moves it forward at once.
	useFrozenRobotClock(ctx);

	it('signs the post and writes the mentions into the text, where DingTalk shows them', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				send({ mentionMobiles: '13800000001', mentionUserIds: ['manager01'] }),
				ROBOT,
			),
		);
		expect(result.status).toBe('success');
		expect(result.nodeOutput('Node')[0].json).toEqual({
			posted: true,
			msgtype: 'text',
			waitedMs: 0,
		});
		const [message] = posted();
		expect(message).toMatchObject({
			robot: signed().name,
			signed: true,
			msgtype: 'text',
			content: { content: 'Disk usage on db-1 is 93% @13800000001 @manager01' },
			at: { atMobiles: ['13800000001'], atUserIds: ['manager01'], isAtAll: false },
			msgUuid: expect.any(String),
		});
		const [request] = ctx.emu
			.requests({ path: '/robot/send' })
			.filter((r) => r.status === 200 && (r.body as { msgtype?: string }).msgtype === 'text');
		expect(request.query).toMatchObject({
			timestamp: expect.any(String),
			sign: expect.any(String),
		});
	});

	it.each([
		[
			'markdown',
			{
				messageType: 'markdown',
				title: 'Build',
				markdownText: '#### Build failed',
				mentionAll: true,
			},
			{ title: 'Build', text: '#### Build failed' },
		],
		[
			'link',
			{
				messageType: 'link',
				title: 'Report',
				linkText: 'Daily report',
				messageUrl: 'https://example.com/r',
			},
			{ title: 'Report', text: 'Daily report', messageUrl: 'https://example.com/r', picUrl: '' },
		],
		[
			'actionCard',
			{
				messageType: 'actionCard',
				title: 'Approve',
				markdownText: 'Leave request',
				singleTitle: 'Open',
				singleUrl: 'https://example.com/a',
			},
			{
				title: 'Approve',
				text: 'Leave request',
				singleTitle: 'Open',
				singleURL: 'https://example.com/a',
				hideAvatar: '0',
			},
		],
		[
			'actionCard',
			{
				messageType: 'actionCard',
				title: 'Approve',
				markdownText: 'Leave request',
				buttonMode: 'multiple',
				buttonOrientation: '1',
				hideAvatar: true,
				buttons: {
					button: [
						{ title: 'Yes', actionUrl: 'https://example.com/y' },
						{ title: 'No', actionUrl: 'https://example.com/n' },
					],
				},
			},
			{
				btns: [
					{ title: 'Yes', actionURL: 'https://example.com/y' },
					{ title: 'No', actionURL: 'https://example.com/n' },
				],
				btnOrientation: '1',
				hideAvatar: '1',
			},
		],
		[
			'feedCard',
			{
				// An array from an expression, in DingTalk's own key names.
				messageType: 'feedCard',
				linksInput: 'json',
				linksJson:
					'={{ [{ title: "Two", messageURL: "https://example.com/2", picURL: "https://example.com/2.png" }] }}',
			},
			{
				links: [
					{
						title: 'Two',
						messageURL: 'https://example.com/2',
						picURL: 'https://example.com/2.png',
					},
				],
			},
		],
		[
			'feedCard',
			{
				messageType: 'feedCard',
				links: {
					link: [
						{
							title: 'One',
							messageUrl: 'https://example.com/1',
							picUrl: 'https://example.com/1.png',
						},
					],
				},
			},
			{
				links: [
					{
						title: 'One',
						messageURL: 'https://example.com/1',
						picURL: 'https://example.com/1.png',
					},
				],
			},
		],
	])('posts a %s message as DingTalk documents it', async (msgtype, parameters, content) => {
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, send(parameters), ROBOT));
		expect(result.status).toBe('success');
		const [message] = posted();
		expect(message.msgtype).toBe(msgtype);
		expect(message.content).toMatchObject(content);
	});

	describe('with Pick Mentions From Contacts', () => {
		const picked = (people: unknown[]) =>
			send({
				pickMentionsFromContacts: true,
				mentionUserIds: 'manager01',
				mentionPeople: { person: people.map((user) => ({ user })) },
			});
		/** The node as the editor saves it with the switch on: both credentials. */
		const withContacts = (parameters: Record<string, unknown>) => {
			const workflow = singleNodeWorkflow(DINGTALK_TYPE, parameters as never, ROBOT);
			(workflow.nodes[1] as { credentials?: object }).credentials = {
				dingTalkRobotApi: { id: 'cred-1', name: 'Robot' },
				dingTalkApi: { id: 'cred-1', name: 'App' },
			} as never;
			return workflow;
		};

		it('mentions the people picked from the list, by userid and by mobile, once each', async () => {
			const result = await run(
				ctx.emu,
				withContacts(
					picked([
						{ __rl: true, mode: 'list', value: 'boss01', cachedResultName: '钱多多 (boss01)' },
						{ __rl: true, mode: 'id', value: 'manager01' },
						{ __rl: true, mode: 'mobile', value: '+8613800000009' },
					]),
				),
			);
			expect(result.status).toBe('success');
			expect(posted()[0]).toMatchObject({
				content: { content: 'Disk usage on db-1 is 93% @13800000009 @manager01 @boss01' },
				at: { atMobiles: ['13800000009'], atUserIds: ['manager01', 'boss01'] },
			});
			// The app credential only serves the picker: the send asks for no app token.
			expect(ctx.emu.requests().filter((r) => /gettoken|accessToken/.test(r.path))).toHaveLength(0);
		});

		it('names the row of a picked person that is empty or not a mobile number', async () => {
			const empty = await run(
				ctx.emu,
				withContacts(picked([{ __rl: true, mode: 'list', value: '' }])),
			);
			expect(empty.error.message).toBe("'People to Mention (row 1)' is empty [item 0]");
			const mobile = await run(
				ctx.emu,
				withContacts(
					picked([
						{ __rl: true, mode: 'id', value: 'manager01' },
						// n8n checks a typed number itself; one from an expression reaches the node.
						{ __rl: true, mode: 'mobile', value: '={{ "call me" }}' },
					]),
				),
			);
			expect(mobile.error.message).toBe(
				"'People to Mention (row 2)' is not a mobile number: 'call me' [item 0]",
			);
			expect(posted()).toHaveLength(0);
		});

		it('lets the member picker use the app credential only while the switch is on', async () => {
			const parameters = { ...send({}), pickMentionsFromContacts: true };
			const found = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchUsers', {
				parameters,
				filter: '钱多多',
			});
			expect(found.results).toContainEqual({ name: '钱多多 (boss01)', value: 'boss01' });
			await expect(
				pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchUsers', {
					parameters: { ...parameters, pickMentionsFromContacts: false },
				}),
			).rejects.toThrow('Choose a DingTalk API credential first');
		});
	});

	it('repeats a post whose answer never came once, with the same msgUuid, so it is posted once', async () => {
		ctx.emu.faults.add({ platform: 'dingtalk', path: '/robot/send', kind: 'reset', times: 1 });
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, send({}), ROBOT));
		expect(result.status).toBe('success');
		expect(result.nodeOutput('Node')[0].json.attempts).toBe(2);
		const tries = ctx.emu
			.requests({ path: '/robot/send' })
			.filter((r) => (r.body as { msgtype?: string }).msgtype === 'text');
		expect(tries).toHaveLength(2);
		expect(new Set(tries.map((r) => (r.body as { msgUuid: string }).msgUuid)).size).toBe(1);
		expect(posted()).toHaveLength(1);
	});

	it('writes the mentions of a markdown message on a line of their own', async () => {
		await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				send({
					messageType: 'markdown',
					title: 'Build',
					markdownText: '> failed on @manager0',
					mentionUserIds: 'manager0, manager01',
				}),
				ROBOT,
			),
		);
		// "@manager0" is already there; "@manager01" is not, although the text contains "@manager0".
		expect((posted()[0].content as { text: string }).text).toBe(
			'> failed on @manager0\n\n@manager01',
		);
	});

	it('posts Custom JSON as given', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				send({
					messageType: 'customJson',
					messageJson: '{"msgtype":"text","text":{"content":"raw"},"msgUuid":"mine-1"}',
				}),
				ROBOT,
			),
		);
		expect(result.status).toBe('success');
		expect(posted()[0]).toMatchObject({ content: { content: 'raw' }, msgUuid: 'mine-1' });
	});

	it('explains a missing keyword, and with continueOnFail still posts the other items', async () => {
		const keywordRobot = ctx.emu.seed.dingtalk.robots.find((robot) => robot.keywords.length)!;
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, send({ text: '={{ $json.text }}' }), {
				...ROBOT,
				continueOnFail: true,
			}),
			{
				inputItems: [{ text: '告警: disk full' }, { text: 'disk full' }, { text: 'alert: cpu' }],
				credentials: {
					dingTalkRobotApi: { webhookToken: keywordRobot.webhookUrl, signSecret: '' },
				},
			},
		);
		const output = result.nodeOutput('Node');
		expect(output.map((item) => item.json.posted ?? false)).toEqual([true, false, true]);
		expect(output[1].json.errcode).toBe(310000);
		expect(output[1].json.description).toContain('keywords (自定义关键词)');
		expect(posted().map((m) => (m.content as { content: string }).content)).toEqual([
			'告警: disk full',
			'alert: cpu',
		]);
	});

	it('says what is wrong with a wrong sign secret, without showing it', async () => {
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, send({}), ROBOT), {
			credentials: { dingTalkRobotApi: { signSecret: 'SECwrong0000' } },
		});
		expect(result.status).toBe('error');
		expect(result.error.message).toContain('310000');
		expect(JSON.stringify(result.error)).not.toContain('SECwrong0000');
	});

	it('refuses an empty text and too many mentions before posting anything', async () => {
		const empty = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, send({ text: '={{ $json.text }}' }), ROBOT),
			{ inputItems: [{ text: 'fine' }, { text: ' ' }] },
		);
		expect(empty.error.message).toBe("'Text' is empty [item 1]");
		const many = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				send({
					mentionUserIds: Array.from(
						{ length: 51 },
						(_, i) => `user${String(i + 1).padStart(3, '0')}`,
					),
				}),
				ROBOT,
			),
		);
		expect(many.error.message).toContain("51 people to mention, more than DingTalk's 50");
		expect(posted()).toHaveLength(0);
	});

	it("waits for the robot's per-minute limit instead of getting it throttled", async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				send({
					text: '=alert {{ $json.n }}',
					options: { maxWaitSeconds: 120 },
					throughput: ONE_AT_A_TIME,
				}),
				ROBOT,
			),
			{ inputItems: Array.from({ length: 25 }, (_, n) => ({ n })) },
		);
		expect(result.status).toBe('success');
		expect(posted()).toHaveLength(25);
		const refused = ctx.emu
			.requests({ path: '/robot/send' })
			.filter((r) => (r.response as { errcode?: number }).errcode === 130101);
		expect(refused).toHaveLength(0);
		const waited = result.nodeOutput('Node').map((item) => item.json.waitedMs as number);
		expect(Math.max(...waited)).toBeGreaterThanOrEqual(59_000);
		// Never more than 20 posts in any minute, as the robot received them.
		const times = posted().map((message) => message.sentAt as number);
		times.forEach((at, i) => {
			if (i >= 20) expect(at - times[i - 20]).toBeGreaterThanOrEqual(60_000);
		});
	});

	it('fails an item whose wait would pass Max Wait, saying when the robot takes the next one', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				send({
					text: '=alert {{ $json.n }}',
					options: { maxWaitSeconds: 5 },
					throughput: ONE_AT_A_TIME,
				}),
				{
					...ROBOT,
					continueOnFail: true,
				},
			),
			{ inputItems: Array.from({ length: 21 }, (_, n) => ({ n })) },
		);
		const output = result.nodeOutput('Node');
		expect(output.filter((item) => item.json.posted)).toHaveLength(20);
		expect(output[20].json.error).toMatch(
			/already has 20 messages in the last minute: the next one may go out in 61 s \(at .*Z\), after Max Wait for the Robot \(5 s\)/,
		);
		expect(output[20].json.description).toContain('This message was not sent');
		expect(posted()).toHaveLength(20);
	});

	it('waits out a throttle the platform imposed (another sender filled the minute) only within Max Wait', async () => {
		// Someone else posts 20 messages through the same robot: DingTalk throttles it for 10 minutes.
		const url = signed().webhookUrl!;
		const { robotSign } = jest.requireActual('../emulator/dingtalk/robot');
		for (let i = 0; i < 21; i++) {
			const timestamp = ctx.emu.clock.now();
			await fetch(
				`${url}&timestamp=${timestamp}&sign=${encodeURIComponent(robotSign(signed().secret, timestamp))}`,
				{
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ msgtype: 'text', text: { content: `other ${i}` } }),
				},
			);
		}
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, send({}), ROBOT));
		expect(result.status).toBe('error');
		expect(result.error.message).toMatch(/is throttled: it takes the next message in 600 s/);
		expect(result.error.description).toContain('refuses every message for 10 minutes');
	});
});
