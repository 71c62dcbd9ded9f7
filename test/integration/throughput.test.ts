import {
	DINGTALK_TYPE,
	dingTalkSendText as dingTalkText,
	run,
	singleNodeWorkflow,
	useEmulator,
	WECOM_TYPE,
	weComSendText as weComText,
} from './support';

const DINGTALK_SEND = '/topapi/message/corpconversation/asyncsend_v2';
const WECOM_SEND = '/cgi-bin/message/send';

const items = (count: number, users: (i: number) => string = () => 'LiSi') =>
	Array.from({ length: count }, (_, i) => ({ users: users(i), name: `item ${i}` }));

describe('items run concurrently under the shared throttle', () => {
	const ctx = useEmulator();

	it('keeps the input order and pairedItem although later items finish first', async () => {
		// The first three sends answer 300 ms late; the others overtake them.
		ctx.emu.faults.add({ platform: 'wecom', path: WECOM_SEND, kind: 'delay', ms: 300, times: 3 });
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, weComText()), {
			inputItems: items(20),
		});
		expect(result.status).toBe('success');
		const output = result.nodeOutput('Node');
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 20 }, (_, i) => ({ item: i })),
		);
		const sends = ctx.emu.requests({ path: WECOM_SEND });
		// Each output item carries the msgid of the send that carried its own text.
		output.forEach((item, i) => {
			const own = sends.find(
				(send) => (send.body as { text: { content: string } }).text.content === `Hi item ${i}`,
			);
			expect(item.json.msgid).toBe((own?.response as { msgid: string }).msgid);
		});
		// The overtaking sends arrived while the first three were still waiting: concurrency.
		const firstAnswered = sends.slice(0, 3).map((send) => send.seq);
		const arrivedMeanwhile = sends.filter(
			(send) => !firstAnswered.includes(send.seq) && send.time < sends[0].time + 300,
		);
		expect(arrivedMeanwhile.length).toBeGreaterThan(5);
	});

	it('with Concurrent Calls 1 sends one call after the other, in input order', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, weComText({ throughput: { concurrency: 1 } })),
			{ inputItems: items(6) },
		);
		expect(result.status).toBe('success');
		const texts = ctx.emu
			.requests({ path: WECOM_SEND })
			.map((send) => (send.body as { text: { content: string } }).text.content);
		expect(texts).toEqual(items(6).map((item) => `Hi ${item.name}`));
	});

	it('with continueOnFail keeps every other item, each failure an error item in its own place', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, weComText(), { continueOnFail: true }),
			{ inputItems: items(21, (i) => (i % 7 === 3 ? 'NobodyHere' : 'LiSi')) },
		);
		expect(result.status).toBe('success');
		const output = result.nodeOutput('Node');
		expect(output).toHaveLength(21);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			if (i % 7 === 3) {
				expect(item.json.error).toEqual(expect.stringContaining('81013'));
			} else {
				expect(item.json.msgid).toEqual(expect.any(String));
			}
		});
	});

	it('without continueOnFail stops new items at the first failure and names those already sent and those not run', async () => {
		let answered = 0;
		ctx.afterRequest.push((entry) => {
			if (entry.path === WECOM_SEND && ++answered === 4) {
				ctx.emu.faults.add({ platform: 'wecom', path: WECOM_SEND, kind: 'status', status: 503 });
			}
		});
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, weComText({ throughput: { concurrency: 3 } })),
			{ inputItems: items(30) },
		);
		expect(result.status).toBe('error');
		const sends = ctx.emu.requests({ path: WECOM_SEND });
		const ok = sends.filter((send) => (send.response as { errcode?: number }).errcode === 0);
		// At most the calls in flight when the failure came back went out after it.
		expect(sends.length).toBeLessThanOrEqual(4 + 3);
		const context = result.error.context as {
			itemsAlreadyDone: number[];
			itemsNotStarted: number[];
		};
		const sentItems = ok
			.map((send) => Number((send.body as { text: { content: string } }).text.content.slice(8)))
			.sort((a, b) => a - b);
		expect(context.itemsAlreadyDone).toEqual(sentItems);
		expect(context.itemsNotStarted.length).toBe(30 - sends.length);
		expect(result.error.description).toMatch(
			/Items [\d–, ]+ were sent or changed on the platform in this run/,
		);
		// The error is the failed item's own: the one whose send got the 503.
		const failedSend = sends.find((send) => send.status === 503)!;
		expect(result.error.context.itemIndex).toBe(
			Number((failedSend.body as { text: { content: string } }).text.content.slice(8)),
		);
		expect(result.error.description).toMatch(/Items [\d–, ]+–29 did not run\./);
	});

	it('runs the calls of one split send concurrently and still reports each task', async () => {
		const users = Array.from(
			{ length: 450 },
			(_, i) => `user${String((i % 320) + 1).padStart(3, '0')}`,
		);
		ctx.emu.faults.add({
			platform: 'dingtalk',
			path: DINGTALK_SEND,
			kind: 'delay',
			ms: 1000,
			times: 5,
		});
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, dingTalkText()), {
			inputItems: [{ users: [...new Set(users)].join(','), name: 'all' }],
		});
		expect(result.status).toBe('success');
		const sends = ctx.emu.requests({ path: DINGTALK_SEND });
		expect(sends).toHaveLength(4);
		// All four calls were on the wire before the first (delayed) answer.
		expect(sends.every((send) => send.time < sends[0].time + 1000)).toBe(true);
		const [item] = result.nodeOutput('Node');
		expect(item.json.taskIds).toEqual(
			sends.map((send) => (send.response as { task_id: number }).task_id),
		);
	});

	it('shares one cool-down after rate-limit answers: every item is delivered and few calls are refused', async () => {
		// The app's real quota is 5 calls/s, but the credential says 20: the throttle must learn.
		ctx.emu.quotas.set({ platform: 'dingtalk', path: DINGTALK_SEND, perSecond: 5 });
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, dingTalkText()), {
			inputItems: items(30, (i) => `user${String(i + 1).padStart(3, '0')}`),
			credentials: { dingTalkApi: { maxRequestsPerSecond: 20 } },
		});
		expect(result.status).toBe('success');
		expect(result.nodeOutput('Node').every((item) => typeof item.json.taskId === 'number')).toBe(
			true,
		);
		const codes = ctx.emu
			.requests({ path: DINGTALK_SEND })
			.map((send) => (send.response as { errcode: number }).errcode);
		expect(codes.filter((code) => code === 0)).toHaveLength(30);
		const refused = codes.filter((code) => code === 90018).length;
		expect(refused).toBeGreaterThan(0);
		// Items that each probe on their own would collect several refusals per item.
		expect(refused).toBeLessThan(30);
		// The cool-down is shared: after a refusal no call of the run reaches DingTalk for a while
		// (calls already on the wire arrive within milliseconds; the cool-down lasts 1 s or more).
		const sends = ctx.emu.requests({ path: DINGTALK_SEND });
		for (const refusal of sends.filter(
			(send) => (send.response as { errcode: number }).errcode === 90018,
		)) {
			const during = sends.filter(
				(send) => send.time > refusal.time + 200 && send.time < refusal.time + 900,
			);
			expect(during).toEqual([]);
		}
		const hint = result
			.nodeHints('Node')
			.map((h) => h.message)
			.join(' ');
		expect(hint).toMatch(/\d+ rate-limit answers? (was|were) waited out and retried/);
	}, 60_000);

	it('gives up after Max Wait for Quota with an error that says the quota is exhausted and when to try again', async () => {
		ctx.emu.faults.add({
			platform: 'wecom',
			path: WECOM_SEND,
			kind: 'rateLimit',
			times: Infinity,
		});
		const started = Date.now();
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, weComText({ throughput: { maxWaitSeconds: 2 } }), {
				continueOnFail: true,
			}),
			{ inputItems: items(3) },
		);
		expect(Date.now() - started).toBeLessThan(10_000);
		const output = result.nodeOutput('Node');
		expect(output).toHaveLength(3);
		for (const item of output) {
			expect(item.json.error).toEqual(expect.stringContaining('45009'));
			expect(item.json.description).toEqual(
				expect.stringContaining("WeCom's quota for this API is exhausted for now"),
			);
			expect(item.json.description).toEqual(expect.stringContaining('Max Wait for Quota (2 s)'));
			expect(item.json.description).toMatch(/\(at \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
		}
		// The first item to run out of wait waited; the others of the run do not wait again.
		const descriptions = output.map((item) => String(item.json.description));
		expect(descriptions.some((d) => d.includes('after Max Wait for Quota (2 s) had run out'))).toBe(
			true,
		);
		// One shared cool-down: the three items did not each hammer the platform.
		expect(ctx.emu.requests({ path: WECOM_SEND }).length).toBeLessThanOrEqual(6);
	});
});
