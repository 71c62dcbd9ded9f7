// The Stream trigger's parts without a network: the session against fake sockets and a fake
// gateway, the event handling against a fake n8n trigger context, and the back-off.
import type { IDataObject, INode, ITriggerFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { backoffDelayMs } from '../../nodes/shared/backoff';
import { EventDeduplicator } from '../../nodes/shared/callbacks/deduplicator';
import { readFilters } from '../../nodes/DingTalk/trigger/events';
import { handleStreamEvent } from '../../nodes/DingTalk/trigger/stream/events';
import type { AckStatus, DownstreamFrame } from '../../nodes/DingTalk/trigger/stream/frames';
import { readFrame } from '../../nodes/DingTalk/trigger/stream/frames';
import type { StreamOpening, StreamProblem } from '../../nodes/DingTalk/trigger/stream/gateway';
import { endpointUrl } from '../../nodes/DingTalk/trigger/stream/gateway';
import { appKeyOf } from '../../nodes/DingTalk/trigger/stream/hub';
import type {
	StreamSessionOptions,
	StreamSocket,
} from '../../nodes/DingTalk/trigger/stream/session';
import { StreamSession } from '../../nodes/DingTalk/trigger/stream/session';

const waitUntil = async (check: () => boolean, what: string, ms = 2000) => {
	const until = Date.now() + ms;
	while (!check()) {
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await sleep(0);
	}
};

class FakeSocket implements StreamSocket {
	readyState = 0;

	readonly sent: IDataObject[] = [];

	private readonly listeners = new Map<string, Array<(event: { data?: unknown }) => void>>();

	constructor(readonly url: string) {}

	addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
		this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
	}

	private fire(type: string, event: { data?: unknown } = {}) {
		for (const listener of this.listeners.get(type) ?? []) listener(event);
	}

	open() {
		this.readyState = 1;
		this.fire('open');
	}

	receive(frame: unknown) {
		this.fire('message', { data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
	}

	send(data: string) {
		this.sent.push(JSON.parse(data) as IDataObject);
	}

	close() {
		if (this.readyState === 3) return;
		this.readyState = 3;
		this.fire('close');
	}
}

const quietLog = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const GRANT: StreamOpening = { grant: { url: 'ws://127.0.0.1/c?ticket=t', host: 'h' } };

/**
 * A session over fake sockets, collected in `sockets`; `options` replace the defaults (a gateway
 * that always grants, an event handler that answers SUCCESS, 2 ms ticks).
 */
function fakeSession<S extends FakeSocket = FakeSocket>(
	options: Partial<StreamSessionOptions> = {},
	makeSocket: (url: string) => S = (url) => new FakeSocket(url) as S,
) {
	const sockets: S[] = [];
	const session: StreamSession = new StreamSession({
		open: async () => GRANT,
		connect: (url) => {
			const socket = makeSocket(url);
			sockets.push(socket);
			return socket;
		},
		onEvent: async () => 'SUCCESS',
		onFatal: () => undefined,
		log: quietLog,
		tickMs: 2,
		...options,
	});
	return { session, sockets };
}

const eventFrame = (
	messageId: string,
	data: IDataObject = {},
	eventType = 'bpms_instance_change',
) => ({
	specVersion: '1.0',
	type: 'EVENT',
	headers: {
		topic: '*',
		messageId,
		contentType: 'application/json',
		time: String(Date.now()),
		eventType,
		eventId: `event-of-${messageId}`,
		eventCorpId: 'dingcorp',
		eventBornTime: String(Date.parse('2026-12-01T08:00:00Z')),
		eventUnifiedAppId: 'app',
	},
	data: JSON.stringify({
		processInstanceId: `instance-${messageId}`,
		processCode: 'PROC-1',
		type: 'finish',
		result: 'agree',
		staffId: 'user001',
		...data,
	}),
});

function harness(options: { onEvent?: (frame: DownstreamFrame) => Promise<AckStatus> } = {}) {
	const sockets: FakeSocket[] = [];
	const grants: string[] = [];
	const logs: string[] = [];
	const fatal: StreamProblem[] = [];
	const opens: Array<() => Promise<StreamOpening>> = [];
	const session = new StreamSession({
		open: async () => {
			const next = opens.shift();
			const opening: StreamOpening = next
				? await next()
				: { grant: { url: `ws://127.0.0.1/connect?ticket=t${grants.length + 1}`, host: 'h' } };
			if ('grant' in opening) grants.push(opening.grant.url);
			return opening;
		},
		connect: (url) => {
			const socket = new FakeSocket(url);
			sockets.push(socket);
			return socket;
		},
		onEvent: options.onEvent ?? (async () => 'SUCCESS'),
		onFatal: (error) => fatal.push(error),
		log: { debug: () => undefined, info: (m) => logs.push(m), warn: (m) => logs.push(m) },
		backoff: { baseMs: 1, capMs: 4, random: () => 0.5 },
		tickMs: 2,
		idleLimitMs: 60_000,
	});
	return { session, sockets, grants, logs, fatal, opens };
}

describe('Stream session: frames on one connection', () => {
	test('a ping is answered with code 200 and the same headers and data', async () => {
		const { session, sockets } = harness();
		session.start();
		await waitUntil(() => sockets.length === 1, 'a socket');
		sockets[0].open();
		const ping = {
			specVersion: '1.0',
			type: 'SYSTEM',
			headers: { topic: 'ping', messageId: 'p1' },
			data: '{"opaque":"abc"}',
		};
		sockets[0].receive(ping);
		expect(sockets[0].sent).toEqual([
			{ code: 200, headers: ping.headers, message: 'OK', data: ping.data },
		]);
		await session.close();
	});

	test("each event is acknowledged on its own socket with the handler's answer, code 200 and status both", async () => {
		const answers: Record<string, AckStatus> = { m1: 'SUCCESS', m2: 'LATER' };
		const { session, sockets } = harness({
			onEvent: async (frame) => answers[frame.headers.messageId],
		});
		session.start();
		await waitUntil(() => sockets.length === 1, 'a socket');
		sockets[0].open();
		sockets[0].receive(eventFrame('m1'));
		sockets[0].receive(eventFrame('m2'));
		await waitUntil(() => sockets[0].sent.length === 2, 'two acks');
		expect(sockets[0].sent).toEqual([
			{
				code: 200,
				headers: { contentType: 'application/json', messageId: 'm1' },
				message: 'OK',
				data: '{"status":"SUCCESS","message":"received"}',
			},
			{
				code: 200,
				headers: { contentType: 'application/json', messageId: 'm2' },
				message: 'OK',
				data: '{"status":"LATER","message":"retry"}',
			},
		]);
		await session.close();
	});

	test('a handler that throws gets LATER; frames that are not Stream frames are dropped and logged', async () => {
		const { session, sockets, logs } = harness({
			onEvent: async () => {
				throw new Error('boom');
			},
		});
		session.start();
		await waitUntil(() => sockets.length === 1, 'a socket');
		sockets[0].open();
		sockets[0].receive('not json');
		sockets[0].receive({ headers: {} });
		sockets[0].receive(eventFrame('m1'));
		await waitUntil(() => sockets[0].sent.length === 1, 'an ack');
		expect(JSON.parse(String(sockets[0].sent[0].data))).toMatchObject({ status: 'LATER' });
		expect(logs.filter((line) => line.includes('dropped a frame'))).toHaveLength(2);
		await session.close();
	});
});

describe('Stream session: reconnecting', () => {
	test("the server's disconnect opens a new connection at once; an event still running is acknowledged on the old socket", async () => {
		let release: (status: AckStatus) => void = () => undefined;
		const { session, sockets, grants } = harness({
			onEvent: async () => await new Promise<AckStatus>((resolve) => (release = resolve)),
		});
		session.start();
		await waitUntil(() => sockets.length === 1, 'a socket');
		sockets[0].open();
		sockets[0].receive(eventFrame('slow'));
		sockets[0].receive({
			specVersion: '1.0',
			type: 'SYSTEM',
			headers: { topic: 'disconnect' },
			data: '{"reason":"upgrade"}',
		});
		await waitUntil(() => sockets.length === 2, 'a second socket');
		expect(grants).toHaveLength(2);
		expect(sockets[1].url).not.toBe(sockets[0].url);
		release('SUCCESS');
		await waitUntil(() => sockets[0].sent.length === 1, 'the ack on the old socket');
		expect(sockets[0].sent[0].headers).toEqual({
			contentType: 'application/json',
			messageId: 'slow',
		});
		expect(sockets[1].sent).toEqual([]);
		await session.close();
		expect(sockets.map((socket) => socket.readyState)).toEqual([3, 3]);
	});

	test('a dropped socket is replaced after a back-off; an acknowledgement for a closed socket is not sent', async () => {
		let release: (status: AckStatus) => void = () => undefined;
		const { session, sockets } = harness({
			onEvent: async () => await new Promise<AckStatus>((resolve) => (release = resolve)),
		});
		session.start();
		await waitUntil(() => sockets.length === 1, 'a socket');
		sockets[0].open();
		sockets[0].receive(eventFrame('m1'));
		sockets[0].close();
		await waitUntil(() => sockets.length === 2, 'a new socket');
		release('SUCCESS');
		await sleep(0);
		expect(sockets[0].sent).toEqual([]);
		expect(session.stats).toMatchObject({ connections: 2, events: 1, acks: 0 });
		await session.close();
	});

	test('a connection that cannot be opened is retried; a refused app stops the session and is reported once', async () => {
		const { session, sockets, opens, fatal, logs } = harness();
		opens.push(
			async () => {
				return {
					problem: { refused: false, message: 'The Stream gateway answered HTTP 503', advice: '' },
				};
			},
			async () => {
				return {
					problem: { refused: true, message: 'DingTalk refused', advice: 'Check the secret' },
				};
			},
		);
		session.start();
		await waitUntil(() => fatal.length === 1, 'the refusal');
		expect(logs.some((line) => line.includes('HTTP 503'))).toBe(true);
		expect(sockets).toHaveLength(0);
		expect(session.isClosed).toBe(true);
		await session.close();
		expect(fatal).toHaveLength(1);
	});

	test('a connection where nothing arrives for the idle limit is closed and replaced', async () => {
		const { session, sockets } = fakeSession({ backoff: { baseMs: 1, capMs: 2 }, idleLimitMs: 20 });
		session.start();
		await waitUntil(() => sockets.length >= 2, 'a replacement after idling', 3000);
		expect(sockets[0].readyState).toBe(3);
		await session.close();
	});

	test('close() ends the loop: no socket stays open and none is opened afterwards', async () => {
		const { session, sockets } = harness();
		session.start();
		await waitUntil(() => sockets.length === 1, 'a socket');
		sockets[0].open();
		await session.close();
		expect(sockets[0].readyState).toBe(3);
		await sleep(20);
		expect(sockets).toHaveLength(1);
	});
});

describe('Stream session: closing never hangs, reconnecting never spins', () => {
	test('close() while the gateway is answering opens no socket afterwards', async () => {
		let answer: (opening: StreamOpening) => void = () => undefined;
		const { session, sockets } = fakeSession({
			open: async () => await new Promise<StreamOpening>((resolve) => (answer = resolve)),
		});
		session.start();
		await sleep(5);
		const closing = session.close();
		answer(GRANT);
		await closing;
		expect(sockets).toEqual([]);
	});

	test('close() right after an event was decided still sends its acknowledgement (a test run ends so)', async () => {
		let closing: Promise<void> | undefined;
		const { session, sockets } = fakeSession({
			onEvent: async () => {
				// n8n calls closeFunction as soon as the test run has its item.
				closing = session.close();
				return 'SUCCESS';
			},
		});
		session.start();
		await waitUntil(() => sockets.length === 1, 'a socket');
		sockets[0].open();
		sockets[0].receive(eventFrame('m1'));
		await waitUntil(() => closing !== undefined, 'the close');
		await closing;
		expect(sockets[0].sent.map((frame) => (frame.headers as IDataObject).messageId)).toEqual([
			'm1',
		]);
		expect(sockets[0].readyState).toBe(3);
	});

	test('a gateway call that throws counts as a connection that could not be opened', async () => {
		let calls = 0;
		const { session, sockets } = fakeSession({
			open: async () => {
				if (++calls === 1) throw new Error('socket hang up');
				return GRANT;
			},
			backoff: { baseMs: 1, capMs: 2 },
		});
		session.start();
		await waitUntil(() => sockets.length === 1, 'a socket after the retry');
		await session.close();
	});

	test('close() ends even when the peer never answers the close handshake', async () => {
		class DeafSocket extends FakeSocket {
			close() {
				this.readyState = 2; // closing, and no close event ever comes
			}
		}
		const { session, sockets } = fakeSession({}, (url) => new DeafSocket(url));
		session.start();
		await waitUntil(() => sockets.length === 1, 'a socket');
		sockets[0].open();
		await session.close();
		expect(sockets[0].readyState).toBe(2);
	});

	test('a server that drops every connection at once gets the back-off after the burst allowance', async () => {
		const opened: number[] = [];
		const { session } = fakeSession(
			{
				backoff: { baseMs: 40, capMs: 40, random: () => 0.999 },
				burst: { opens: 3, windowMs: 60_000 },
			},
			(url) => {
				opened.push(Date.now());
				const socket = new FakeSocket(url);
				void sleep(1).then(() => {
					socket.open();
					socket.receive({ type: 'SYSTEM', headers: { topic: 'disconnect' }, data: '{}' });
				});
				return socket;
			},
		);
		session.start();
		await sleep(150);
		await session.close();
		// Three at once, then one per 40 ms back-off: far from the hundreds a tight loop makes.
		expect(opened.length).toBeGreaterThanOrEqual(4);
		expect(opened.length).toBeLessThanOrEqual(8);
		expect(opened[3] - opened[2]).toBeGreaterThanOrEqual(35);
	});
});

describe('Stream gateway answers and frames', () => {
	test('the endpoint must be wss:// to DingTalk or the API host, or ws:// to this machine; the ticket is added', () => {
		const urlOf = (endpoint: string, ticket: string, base: string) => {
			const opening = endpointUrl(endpoint, ticket, base);
			return 'grant' in opening ? opening.grant.url : `refused: ${opening.problem.message}`;
		};
		expect(
			urlOf(
				'wss://wss-open-connection.dingtalk.com:443/connect',
				'T+1',
				'https://api.dingtalk.com',
			),
		).toBe('wss://wss-open-connection.dingtalk.com/connect?ticket=T%2B1');
		expect(urlOf('ws://127.0.0.1:9000/stream', 't', 'http://127.0.0.1:9000')).toBe(
			'ws://127.0.0.1:9000/stream?ticket=t',
		);
		expect(urlOf('wss://proxy.example.com/s', 't', 'https://proxy.example.com')).toBe(
			'wss://proxy.example.com/s?ticket=t',
		);
		for (const endpoint of [
			'ws://wss-open-connection.dingtalk.com/connect',
			'wss://evil.example.com/c',
			'https://api.dingtalk.com/c',
			'not a url',
		]) {
			expect(endpointUrl(endpoint, 't', 'https://api.dingtalk.com')).toEqual({
				problem: expect.objectContaining({ refused: false }),
			});
		}
		expect(urlOf('wss://x.dingtalk.com', '', 'https://api.dingtalk.com')).toMatch(
			/^refused: .*without an endpoint or ticket/,
		);
	});

	test('an empty API base URL and the default one are the same app (one shared connection)', () => {
		const app = { appKey: 'dingapp', appSecret: 'secret' };
		expect(appKeyOf({ ...app, apiBaseUrl: '' })).toBe(
			appKeyOf({ ...app, apiBaseUrl: 'https://api.dingtalk.com/ ' }),
		);
		expect(appKeyOf({ ...app, apiBaseUrl: '' })).not.toBe(appKeyOf({ ...app, appSecret: 'other' }));
		expect(appKeyOf({ ...app, apiBaseUrl: '' })).not.toBe(
			appKeyOf({ ...app, apiBaseUrl: 'http://127.0.0.1:9990' }),
		);
	});

	test('frames are read strictly: data kept as its JSON string, headers as strings', () => {
		expect(readFrame(JSON.stringify(eventFrame('m1')))).toMatchObject({
			type: 'EVENT',
			headers: { messageId: 'm1' },
		});
		expect(readFrame('{"type":"EVENT","headers":{"messageId":7},"data":{"a":1}}')).toEqual({
			type: 'EVENT',
			headers: { messageId: '7' },
			data: '{"a":1}',
		});
		expect(readFrame('x'.repeat(1_048_577))).toBeUndefined();
		expect(readFrame('[1]')).toBeUndefined();
		expect(readFrame(Buffer.from('{}'))).toBeUndefined();
	});

	test('back-off doubles from the base, stays under the cap, and jitters within its upper half', () => {
		const at = (failures: number, random: number) =>
			backoffDelayMs(failures, { baseMs: 1000, capMs: 60_000, random: () => random });
		expect([1, 2, 3, 4].map((n) => at(n, 0.999999))).toEqual([1000, 2000, 4000, 8000]);
		expect([1, 2, 3].map((n) => at(n, 0))).toEqual([500, 1000, 2000]);
		expect(at(50, 0.999999)).toBe(60_000);
		expect(at(50, 0)).toBe(30_000);
	});
});

describe('Stream events: handed to n8n, then acknowledged', () => {
	const node: INode = {
		id: 'node-1',
		name: 'DingTalk Stream Trigger',
		type: 't',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};

	function trigger(
		mode: 'trigger' | 'manual' = 'trigger',
		workflowId = 'wf-1',
		engineType: 'v1' | 'v2' = 'v1',
	) {
		const emitted: Array<{
			items: IDataObject[];
			done?: { resolve: (v: unknown) => void; reject: (e: Error) => void };
			key?: string;
		}> = [];
		const failed: Error[] = [];
		const ctx = {
			getMode: () => mode,
			getNode: () => node,
			getWorkflow: () => ({ id: workflowId }),
			getWorkflowSettings: () => ({ engineType }),
			emit: (
				data: Array<Array<{ json: IDataObject }>>,
				_response: unknown,
				done: never,
				key?: string,
			) => emitted.push({ items: data[0].map((item) => item.json), done, key }),
			saveFailedExecution: (error: Error) => failed.push(error),
			logger: { warn: () => undefined },
			helpers: {
				returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
				createDeferredPromise: () => {
					let resolve: (v: unknown) => void = () => undefined;
					let reject: (e: Error) => void = () => undefined;
					const promise = new Promise((res, rej) => {
						resolve = res;
						reject = rej;
					});
					return { promise, resolve, reject };
				},
			},
		} as unknown as ITriggerFunctions;
		const settings = {
			filters: readFilters('approval', {}),
			includeFormValues: false,
			deduplicator: new EventDeduplicator(),
			inFlight: new Map<string, Promise<AckStatus>>(),
			testRun: { emitted: false, end: () => ended.push('ended') } as {
				emitted: boolean;
				end?: () => void;
			},
			maxAckWaitMs: 60_000,
		};
		const ended: string[] = [];
		const handle = (frame: unknown, extra: Partial<typeof settings> = {}) =>
			handleStreamEvent(ctx, readFrame(JSON.stringify(frame))!, { ...settings, ...extra });
		return { handle, emitted, failed, settings, ended };
	}

	test('the acknowledgement waits until n8n has run the execution; a redelivery meanwhile waits too and starts nothing', async () => {
		const { handle, emitted } = trigger();
		const first = handle(eventFrame('m1'));
		const redelivery = handle(eventFrame('m1'));
		await waitUntil(() => emitted.length === 1, 'the emit');
		let answered = false;
		void first.then(() => (answered = true));
		await sleep(0);
		expect(answered).toBe(false);
		emitted[0].done!.resolve({});
		await expect(first).resolves.toBe('SUCCESS');
		await expect(redelivery).resolves.toBe('SUCCESS');
		expect(emitted).toHaveLength(1);
		expect(emitted[0].items[0]).toMatchObject({
			event: 'bpms_instance_change',
			eventId: 'event-of-m1',
			corpId: 'dingcorp',
			eventTime: '2026-12-01T08:00:00.000Z',
			outcome: 'approved',
			staff: { userId: 'user001', role: 'originator' },
		});
		await expect(handle(eventFrame('m1'))).resolves.toBe('SUCCESS');
		expect(emitted).toHaveLength(1);
	});

	test('when n8n cannot take the event it is acknowledged LATER and its next push gets through', async () => {
		const { handle, emitted } = trigger();
		const first = handle(eventFrame('m1'));
		await waitUntil(() => emitted.length === 1, 'the emit');
		emitted[0].done!.reject(new Error('database unavailable'));
		await expect(first).resolves.toBe('LATER');
		const again = handle(eventFrame('m1'));
		await waitUntil(() => emitted.length === 2, 'the second emit');
		emitted[1].done!.resolve({});
		await expect(again).resolves.toBe('SUCCESS');
	});

	test("n8n's execution de-duplication key is the same for a redelivery and differs per workflow", async () => {
		const one = trigger('trigger', 'wf-1');
		const other = trigger('trigger', 'wf-2');
		void one.handle(eventFrame('m1'));
		void other.handle(eventFrame('m1'));
		await waitUntil(() => one.emitted.length === 1 && other.emitted.length === 1, 'both emits');
		expect(one.emitted[0].key).toMatch(/^dingtalk-stream:[0-9a-f]{64}$/);
		expect(one.emitted[0].key).not.toBe(other.emitted[0].key);
		const again = trigger('trigger', 'wf-1');
		void again.handle(eventFrame('m1'));
		await waitUntil(() => again.emitted.length === 1, 'the emit');
		expect(again.emitted[0].key).toBe(one.emitted[0].key);
		for (const t of [one, other, again]) t.emitted[0].done!.resolve({});
	});

	test('after the longest wait the event is acknowledged even if the execution still runs', async () => {
		const { handle, emitted } = trigger();
		await expect(handle(eventFrame('m1'), { maxAckWaitMs: 5 })).resolves.toBe('SUCCESS');
		expect(emitted).toHaveLength(1);
	});

	test('a test run in the editor gets the first event and acknowledges it at once; later ones go back to DingTalk', async () => {
		const { handle, emitted } = trigger('manual');
		await expect(handle(eventFrame('m1'))).resolves.toBe('SUCCESS');
		// n8n shows one event per test run: a second one would be acknowledged and lost.
		await expect(handle(eventFrame('m2'))).resolves.toBe('LATER');
		expect(emitted).toEqual([
			{
				items: [expect.objectContaining({ eventId: 'event-of-m1' })],
				done: undefined,
				key: undefined,
			},
		]);
	});

	test('a test run leaves the connection once it has its event, or once a quota-exhausted event failed it', async () => {
		const shown = trigger('manual');
		await shown.handle(eventFrame('m1'));
		expect(shown.ended).toEqual(['ended']);
		const failedRun = trigger('manual');
		await failedRun.handle({
			...eventFrame('m1'),
			data: JSON.stringify({ errCode: 20001, errMsg: 'quota exhausted' }),
		});
		expect(failedRun.failed).toHaveLength(1);
		expect(failedRun.ended).toEqual(['ended']);
		expect(failedRun.settings.testRun.emitted).toBe(true);
	});

	test("a workflow on n8n's Engine 2.0 gets the event with n8n's de-duplication key and no wait", async () => {
		const { handle, emitted } = trigger('trigger', 'wf-1', 'v2');
		await expect(handle(eventFrame('m1'))).resolves.toBe('SUCCESS');
		expect(emitted).toEqual([
			{
				items: [expect.objectContaining({ eventId: 'event-of-m1' })],
				done: undefined,
				key: expect.stringMatching(/^dingtalk-stream:/),
			},
		]);
	});

	test('filtered-out, unreadable and quota-exhausted events are acknowledged without an execution', async () => {
		const { handle, emitted, failed, settings } = trigger();
		const filters = readFilters('approval', { results: ['refuse'] });
		await expect(handle(eventFrame('m1'), { filters })).resolves.toBe('SUCCESS');
		await expect(handle(eventFrame('m2', {}, 'user_add_org'))).resolves.toBe('SUCCESS');
		await expect(handle({ ...eventFrame('m3'), data: 'not json' })).resolves.toBe('SUCCESS');
		await expect(
			handle({
				...eventFrame('m4'),
				data: JSON.stringify({ errCode: 20001, errMsg: 'quota exhausted' }),
			}),
		).resolves.toBe('SUCCESS');
		expect(emitted).toEqual([]);
		expect(failed).toHaveLength(1);
		expect(failed[0].message).toContain('without its content (errCode 20001');
		expect(settings.inFlight.size).toBe(0);
	});
});
