// The DingTalk Stream Trigger against the emulator's Stream gateway, over real HTTP and a real
// WebSocket (the `ws` package stands in for Node 24's built-in client on the test's Node 20). n8n is
// a fake trigger context that records what is emitted and finishes each execution itself, with
// n8n's own execution de-duplication by key.
import type { IDataObject, INode, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { WebSocket as WsWebSocket } from 'ws';

import {
	DingTalkStreamTrigger,
	socketFactory,
} from '../../nodes/DingTalk/DingTalkStreamTrigger.node';
import type { StreamSocket } from '../../nodes/DingTalk/trigger/stream/session';
import { DingTalkApi } from '../../index';
import { callPickerMethod } from '../harness';
import { credentialsFor, useEmulator } from './support';
import { fetchHttp } from './webhookContext';

const ctx = useEmulator();

beforeAll(() => {
	socketFactory.connect = (url: string) => new WsWebSocket(url) as unknown as StreamSocket;
});

const node: INode = {
	id: 'stream-trigger-1',
	name: 'DingTalk Stream Trigger',
	type: 'n8n-nodes-dingtalk-wecom.dingTalkStreamTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

interface FakeN8n {
	/** Every emit call. */
	emits: Array<{ items: IDataObject[]; key?: string }>;
	/** Executions n8n would have stored: one per de-duplication key. */
	executions: IDataObject[];
	errors: Error[];
	/** When set, the next executions fail to start (n8n rejects the done promise). */
	failNext: number;
	response?: ITriggerResponse;
}

async function startTrigger(
	parameters: IDataObject = {},
	credentials: IDataObject = credentialsFor(ctx.emu).dingTalkApi,
	mode: 'trigger' | 'manual' = 'trigger',
): Promise<FakeN8n> {
	const n8n: FakeN8n = { emits: [], executions: [], errors: [], failNext: 0 };
	const keys = new Set<string>();
	const context = {
		getCredentials: async () => credentials,
		getNodeParameter: (name: string, fallback?: unknown) =>
			({ events: 'approval', filters: {}, includeFormValues: false, ...parameters })[name] ??
			fallback,
		getNode: () => node,
		getWorkflow: () => ({ id: 'wf-stream', name: 'stream', active: true }),
		getMode: () => mode,
		emit: (
			data: Array<Array<{ json: IDataObject }>>,
			_response: unknown,
			done?: { resolve: (run: unknown) => void; reject: (error: Error) => void },
			key?: string,
		) => {
			const items = data[0].map((item) => item.json);
			n8n.emits.push({ items, key });
			void sleep(5).then(() => {
				if (n8n.failNext > 0) {
					n8n.failNext--;
					done?.reject(new Error('could not save the execution'));
					return;
				}
				if (key === undefined || !keys.has(key)) n8n.executions.push(...items);
				if (key !== undefined) keys.add(key);
				done?.resolve({});
			});
		},
		emitError: (error: Error) => n8n.errors.push(error),
		saveFailedExecution: (error: Error) => n8n.errors.push(error),
		logger: {
			debug: () => undefined,
			info: () => undefined,
			warn: () => undefined,
			error: () => undefined,
		},
		helpers: {
			httpRequest: fetchHttp,
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			createDeferredPromise: () => {
				let resolve: (value: unknown) => void = () => undefined;
				let reject: (error: Error) => void = () => undefined;
				const promise = new Promise((res, rej) => {
					resolve = res;
					reject = rej;
				});
				return { promise, resolve, reject };
			},
		},
	} as unknown as ITriggerFunctions;
	n8n.response = await new DingTalkStreamTrigger().trigger.call(context);
	return n8n;
}

const stream = () => ctx.emu.dingtalk.stream;

async function until(check: () => boolean, what: string, ms = 15_000) {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

/** An approval event as the engine's data would carry it. */
const approval = (n: number, extra: IDataObject = {}) => ({
	eventType: 'bpms_instance_change',
	eventId: `stream-event-${String(n).padStart(4, '0')}`,
	data: {
		processInstanceId: `instance-${n}`,
		processCode: 'PROC-EMU-LEAVE',
		type: 'finish',
		result: n % 2 ? 'agree' : 'refuse',
		staffId: 'user001',
		title: `Leave ${n}`,
		createTime: Date.parse('2026-12-01T07:00:00Z'),
		finishTime: Date.parse('2026-12-01T08:00:00Z'),
		...extra,
	},
});

describe('DingTalk Stream Trigger with the emulated gateway', () => {
	let running: FakeN8n | undefined;
	afterEach(async () => {
		await running?.response?.closeFunction?.();
		running = undefined;
	});

	test('an approval started and approved in the emulator arrives as clean items, each acknowledged once n8n has it', async () => {
		running = await startTrigger();
		await until(() => stream().connections().length === 1, 'the connection');
		const client = credentialsFor(ctx.emu).dingTalkApi;
		const token = await fetchHttp({
			method: 'POST',
			url: `${ctx.emu.baseUrls.dingtalkApi}/v1.0/oauth2/accessToken`,
			body: { appKey: client.appKey, appSecret: client.appSecret },
		});
		const created = (await fetchHttp({
			method: 'POST',
			url: `${ctx.emu.baseUrls.dingtalkApi}/v1.0/workflow/processInstances`,
			headers: { 'x-acs-dingtalk-access-token': (token as { body: IDataObject }).body.accessToken },
			body: {
				processCode: 'PROC-EMU-LEAVE',
				originatorUserId: 'user001',
				formComponentValues: [
					{ name: '请假类型', value: '年假' },
					{ name: '["开始时间","结束时间"]', value: '["2025-05-12","2025-05-14"]' },
					{ name: '请假天数', value: '3' },
				],
			},
		})) as { body: IDataObject };
		const instanceId = String(created.body.instanceId);
		const instance = ctx.emu.dingtalk.approvals.instance(instanceId) as {
			tasks?: Array<{ userId: string }>;
		};
		expect(instance).toBeDefined();
		for (const approver of ['manager01', 'boss01']) {
			const running = ctx.emu.dingtalk.approvals
				.instance(instanceId)
				.tasks.find(
					(task: { userId: string; status: string }) =>
						task.userId === approver && task.status === 'RUNNING',
				);
			if (running)
				ctx.emu.dingtalk.approvals.act(instanceId, { userId: approver, action: 'agree' });
		}
		const pushed = stream().pushApprovalEvents({ processInstanceId: instanceId });
		expect(pushed.length).toBeGreaterThanOrEqual(3);
		await stream().waitFor({ acked: pushed.length }, 10_000);
		expect(running.executions.map((item) => [item.event, (item.type as IDataObject).code])).toEqual(
			pushed.map((event: { eventType: string; data: string }) => [
				event.eventType,
				JSON.parse(event.data).type,
			]),
		);
		const finished = running.executions.find(
			(item) =>
				item.event === 'bpms_instance_change' && (item.type as IDataObject).code === 'finish',
		);
		expect(finished).toMatchObject({
			processInstanceId: instanceId,
			processCode: 'PROC-EMU-LEAVE',
			outcome: 'approved',
			staff: { userId: 'user001', role: 'originator' },
			corpId: ctx.emu.seed.dingtalk.corpId,
		});
		expect(
			stream()
				.events()
				.every((event: { acks: Array<{ status?: string }> }) => event.acks.length === 1),
		).toBe(true);
	});

	test('ten forced disconnects of every kind while events flow: none lost, none executed twice', async () => {
		stream().configure({ redeliverAfterMs: 300, disconnectCloseMs: 150, pingIntervalMs: 250 });
		running = await startTrigger();
		await until(() => stream().connections().length === 1, 'the connection');
		const ways = ['disconnect', 'close', 'terminate'] as const;
		let n = 0;
		for (let drop = 0; drop < 10; drop++) {
			// Each drop hits the connection the trigger opened after the previous one.
			await until(() => stream().stats().connectionsOpened > drop, `connection ${drop + 1}`);
			for (let i = 0; i < 3; i++) stream().push(approval(++n));
			await sleep(30);
			stream().dropConnections({ how: ways[drop % ways.length] });
		}
		for (let i = 0; i < 3; i++) stream().push(approval(++n));
		await stream().waitFor({ acked: n }, 30_000);
		const ids = running.executions.map((item) => item.eventId);
		expect(ids.sort()).toEqual(
			Array.from({ length: n }, (_, i) => `stream-event-${String(i + 1).padStart(4, '0')}`),
		);
		// The node itself recognised every redelivery: n8n was handed each event once.
		expect(running.emits).toHaveLength(n);
		expect(stream().stats().connectionsOpened).toBeGreaterThanOrEqual(11);
		// The connection that is left answers the server's pings.
		stream().ping();
		await stream().waitFor({ pongs: 1 }, 5000);
	}, 60_000);

	test('an event n8n could not take is acknowledged LATER and runs when it is pushed again', async () => {
		stream().configure({ redeliverAfterMs: 200 });
		running = await startTrigger();
		await until(() => stream().connections().length === 1, 'the connection');
		running.failNext = 1;
		stream().push(approval(1));
		await stream().waitFor({ acked: 1 }, 10_000);
		expect(running.emits).toHaveLength(2);
		expect(running.executions).toHaveLength(1);
		const [event] = stream().events();
		expect(event.acks.map((ack: { status?: string }) => ack.status)).toEqual(['LATER', 'SUCCESS']);
	});

	test('filters acknowledge what they drop; the other events run', async () => {
		running = await startTrigger({ filters: { results: ['agree'] } });
		await until(() => stream().connections().length === 1, 'the connection');
		for (let i = 1; i <= 4; i++) stream().push(approval(i));
		stream().push({ eventType: 'user_add_org', data: { UserId: ['user009'] } });
		await stream().waitFor({ acked: 5 }, 10_000);
		expect(running.executions.map((item) => item.eventId)).toEqual([
			'stream-event-0001',
			'stream-event-0003',
		]);
	});

	test('two workflows on one app share one connection: each sees every event, a filter of one consumes nothing of the other', async () => {
		const approvedOnly = await startTrigger({ filters: { results: ['agree'] } });
		const everything = await startTrigger();
		try {
			await until(() => stream().connections().length === 1, 'the connection');
			for (let i = 1; i <= 4; i++) stream().push(approval(i));
			await stream().waitFor({ acked: 4 }, 10_000);
			expect(stream().connections()).toHaveLength(1);
			expect(approvedOnly.executions.map((item) => item.eventId)).toEqual([
				'stream-event-0001',
				'stream-event-0003',
			]);
			expect(everything.executions.map((item) => item.eventId)).toEqual(
				[1, 2, 3, 4].map((n) => `stream-event-000${n}`),
			);
			// The connection stays while a trigger of the app is left, and goes with the last one.
			await approvedOnly.response?.closeFunction?.();
			stream().push(approval(5));
			await stream().waitFor({ acked: 5 }, 10_000);
			expect(everything.executions).toHaveLength(5);
			expect(stream().connections()).toHaveLength(1);
		} finally {
			await approvedOnly.response?.closeFunction?.();
			await everything.response?.closeFunction?.();
		}
		await until(() => stream().connections().length === 0, 'the close');
	});

	test("the Templates filter lists the organisation's templates by name and filters by their process codes", async () => {
		const listed = (await callPickerMethod({
			nodeTypes: { [node.type]: new DingTalkStreamTrigger() },
			credentialTypes: [new DingTalkApi()],
			credentials: { dingTalkApi: credentialsFor(ctx.emu).dingTalkApi },
			node: { ...node, credentials: { dingTalkApi: { id: 'cred-1', name: 'DingTalk' } } },
			kind: 'loadOptions',
			method: 'getApprovalTemplates',
		})) as Array<{ name: string; value: string }>;
		expect(listed).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					value: 'PROC-EMU-LEAVE',
					name: expect.stringContaining('PROC-EMU-LEAVE'),
				}),
			]),
		);
		running = await startTrigger({ filters: { processCodes: ['PROC-EMU-EXPENSE'] } });
		await until(() => stream().connections().length === 1, 'the connection');
		stream().push(approval(1));
		stream().push(approval(2, { processCode: 'PROC-EMU-EXPENSE' }));
		await stream().waitFor({ acked: 2 }, 10_000);
		expect(running.executions.map((item) => item.eventId)).toEqual(['stream-event-0002']);
	});

	test('closing the trigger closes its connection; wrong credentials fail the activation with what to fix', async () => {
		running = await startTrigger();
		await until(() => stream().connections().length === 1, 'the connection');
		await running.response?.closeFunction?.();
		running = undefined;
		await until(() => stream().connections().length === 0, 'the close');
		const wrong = { ...credentialsFor(ctx.emu).dingTalkApi, appSecret: 'not-the-secret' };
		const failure = startTrigger({}, wrong);
		await expect(failure).rejects.toThrow(
			/DingTalk refused to open a Stream connection for this app/,
		);
		await expect(failure).rejects.toMatchObject({
			description: expect.stringContaining('Stream mode'),
		});
		await expect(failure).rejects.not.toThrow(/not-the-secret/);
	});
});
