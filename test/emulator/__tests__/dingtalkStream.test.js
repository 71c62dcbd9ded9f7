// @ts-check
'use strict';

const path = require('node:path');
const { spawn } = require('node:child_process');
const { useEmulator } = require('../support/testClient');
const { openTicket, connect, openStream } = require('../stream/client');

/**
 * The DingTalk Stream gateway: connections/open, the one-use ticket, EVENT frames, acks and
 * redelivery, pings, disconnects, the approval-engine bridge and the controls. The client is the
 * `ws` package (Node 20 has no global WebSocket), see ../stream/client.js.
 *
 * @typedef {Awaited<ReturnType<typeof openStream>>} StreamClient
 */

const ctx = useEmulator();

const UUID = expect.stringMatching(
	/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
);
const REQUEST_ID = expect.stringMatching(
	/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/,
);
const MS_TEXT = expect.stringMatching(/^\d{13}$/);
const MESSAGE_ID = expect.stringMatching(/^[0-9a-f]{8}_\d{3}_[0-9a-f]+_[0-9a-f]+$/);
const FAST_REDELIVERY = 300;

const stream = () => ctx.emu.dingtalk.stream;

/** connections/open options for a seeded app (0 = primary, 1 = second). */
function appCredentials(/** @type {number} */ index = 0) {
	const { appKey, appSecret } = ctx.emu.seed.dingtalk.apps[index];
	return { apiBaseUrl: ctx.emu.baseUrls.dingtalkApi, clientId: appKey, clientSecret: appSecret };
}

/** @type {StreamClient[]} */
let clients = [];
/** A connected client of the primary app (closed after the test). @param {Partial<Parameters<typeof openStream>[0]>} [options] */
async function connected(options = {}) {
	const client = await openStream({ ...appCredentials(), ...options });
	clients.push(client);
	return client;
}
afterEach(async () => {
	await Promise.all(clients.map((client) => client.close()));
	clients = [];
});

/** The connection ids the gateway has open, in opening order. */
const openIds = () =>
	stream()
		.connections()
		.map((conn) => conn.connectionId);

describe('connections/open', () => {
	test("the app's AppKey and AppSecret get a ws:// endpoint on the emulator and a ticket", async () => {
		const { status, body } = await openTicket(appCredentials());

		expect(status).toBe(200);
		expect(body).toEqual({
			endpoint: `${ctx.emu.url.replace('http://', 'ws://')}/dingtalk/stream/connect`,
			ticket: UUID,
		});
		const [request] = ctx.emu.requests({ path: '/v1.0/gateway/connections/open' });
		expect(request).toMatchObject({ family: 'api', method: 'POST', status: 200 });
		expect(request.headers.accept).toBe('application/json');
		expect(stream().tickets()).toEqual([
			expect.objectContaining({
				ticket: body.ticket,
				appKey: ctx.emu.seed.dingtalk.appKey,
				subscriptions: [{ type: 'EVENT', topic: '*' }],
				ua: 'emulator-test/1.0',
				usedAt: null,
			}),
		]);
	});

	test('a wrong secret, an unknown clientId or no credentials get HTTP 401 authFailed', async () => {
		const refused = {
			status: 401,
			body: { code: 'authFailed', message: '鉴权失败', requestid: REQUEST_ID },
		};
		const secondApp = appCredentials(1);

		expect(await openTicket({ ...appCredentials(), clientSecret: secondApp.clientSecret })).toEqual(
			refused,
		);
		expect(await openTicket({ ...appCredentials(), clientId: 'dingunknownapp' })).toEqual(refused);
		expect(await openTicket({ ...appCredentials(), clientId: '', clientSecret: '' })).toEqual(
			refused,
		);
		expect(stream().tickets()).toEqual([]);
	});

	test('subscriptions are required, and an EVENT subscription takes only the topic *', async () => {
		const refusal = (/** @type {string} */ message) => ({
			status: 400,
			body: { code: 'invalidParameter', message, requestid: REQUEST_ID },
		});

		expect(await openTicket({ ...appCredentials(), subscriptions: [] })).toEqual(
			refusal('subscriptions 不能为空'),
		);
		expect(
			await openTicket({
				...appCredentials(),
				subscriptions: [{ type: 'EVENT', topic: 'bpms_instance_change' }],
			}),
		).toEqual(refusal('subscriptions[0]: EVENT 类型的订阅 topic 只支持 *'));
		expect(
			await openTicket({ ...appCredentials(), subscriptions: [{ type: 'OTHER', topic: '*' }] }),
		).toEqual(refusal('subscriptions[0].type 只支持 EVENT 或 CALLBACK'));
		const both = await openTicket({
			...appCredentials(),
			subscriptions: [
				{ type: 'EVENT', topic: '*' },
				{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' },
			],
		});
		expect(both.status).toBe(200);
	});
});

describe('the WebSocket handshake', () => {
	test('a ticket opens one connection only; the second attempt is refused with HTTP 401', async () => {
		const { body } = await openTicket(appCredentials());
		const first = await connect(body.endpoint, body.ticket);
		clients.push(/** @type {StreamClient} */ (first));

		await expect(connect(body.endpoint, body.ticket)).rejects.toMatchObject({ status: 401 });
		expect(stream().connections()).toHaveLength(1);
		expect(stream().refusals()).toEqual([
			expect.objectContaining({ status: 401, problem: 'ticket already used' }),
		]);
	});

	test('a ticket is good for 90 s on the emulator clock', async () => {
		ctx.emu.clock.freeze();
		const early = (await openTicket(appCredentials())).body;
		const late = (await openTicket(appCredentials())).body;

		ctx.emu.clock.advance(89_999);
		clients.push(/** @type {StreamClient} */ (await connect(early.endpoint, early.ticket)));
		ctx.emu.clock.advance(1);
		await expect(connect(late.endpoint, late.ticket)).rejects.toMatchObject({ status: 401 });
		expect(
			stream()
				.refusals()
				.map((item) => item.problem),
		).toEqual(['ticket expired']);
	});

	test('an unknown or missing ticket gets 401, another path 404; both are counted', async () => {
		const { body } = await openTicket(appCredentials());

		await expect(connect(body.endpoint, 'not-a-ticket')).rejects.toMatchObject({ status: 401 });
		await expect(connect(body.endpoint, '')).rejects.toMatchObject({ status: 401 });
		await expect(
			connect(body.endpoint.replace('/dingtalk/stream/connect', '/elsewhere'), body.ticket),
		).rejects.toMatchObject({ status: 404 });
		expect(
			stream()
				.refusals()
				.map((item) => [item.status, item.problem]),
		).toEqual([
			[401, 'unknown ticket'],
			[401, 'no ticket'],
			[404, 'unknown path'],
		]);
		expect(stream().stats()).toMatchObject({ refusedHandshakes: 3, connectionsOpened: 0 });
		expect(stream().tickets()[0].usedAt).toBeNull();
	});
});

describe('event frames', () => {
	test('an event arrives as an EVENT frame: envelope in the headers, data a JSON string', async () => {
		const client = await connected();
		const [connectionId] = openIds();
		const data = { processInstanceId: 'pi-1', type: 'finish', result: 'agree' };

		const pushed = stream().push({
			eventType: 'bpms_instance_change',
			data,
			eventId: 'c7c7120f2c074190000ebdba0318c8aa',
			eventBornTime: 1683533823336,
		});
		const frame = await client.nextEvent();

		expect(frame).toEqual({
			specVersion: '1.0',
			type: 'EVENT',
			headers: {
				appId: UUID,
				connectionId,
				contentType: 'application/json',
				messageId: MESSAGE_ID,
				time: MS_TEXT,
				topic: '*',
				eventType: 'bpms_instance_change',
				eventBornTime: '1683533823336',
				eventId: 'c7c7120f2c074190000ebdba0318c8aa',
				eventCorpId: 'dingemucorp0001',
				eventUnifiedAppId: frame.headers.appId,
			},
			data: JSON.stringify(data),
		});
		expect(Object.keys(frame.headers)).toEqual([
			'appId',
			'connectionId',
			'contentType',
			'messageId',
			'time',
			'topic',
			'eventType',
			'eventBornTime',
			'eventId',
			'eventCorpId',
			'eventUnifiedAppId',
		]);
		expect(pushed).toMatchObject({ messageId: frame.headers.messageId, status: 'sent' });
		expect(stream().connections()[0].appId).toBe(frame.headers.appId);
	});

	test("an app's events go to its own connections only; a CALLBACK-only connection gets none", async () => {
		const primary = await connected();
		const robotOnly = await connected({
			subscriptions: [{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }],
		});
		const second = await connected(appCredentials(1));

		stream().push({ eventType: 'user_add_org', data: { userId: ['user001'] } });
		stream().push({
			eventType: 'user_add_org',
			data: { userId: ['user002'] },
			appKey: ctx.emu.seed.dingtalk.apps[1].appKey,
		});
		await stream().waitFor({ deliveries: 2 });

		expect((await primary.nextEvent()).data).toBe('{"userId":["user001"]}');
		expect((await second.nextEvent()).data).toBe('{"userId":["user002"]}');
		expect(robotOnly.events()).toEqual([]);
		expect(primary.events()).toHaveLength(1);
	});
});

describe('acks and redelivery', () => {
	beforeEach(() => stream().configure({ redeliverAfterMs: FAST_REDELIVERY }));

	test('a SUCCESS ack settles the event: it is not pushed again', async () => {
		const client = await connected();
		stream().push({ eventType: 'first', data: {} });
		client.ack(await client.nextEvent(), 'SUCCESS');
		await stream().waitFor({ acked: 1 });

		// A second event, left unacked, comes back after the same delay; had the first one not
		// been settled, its own (earlier) redelivery would have come before.
		stream().push({ eventType: 'second', data: {} });
		await client.nextEvent();
		await client.nextEvent();

		expect(client.events().map((frame) => frame.headers.eventType)).toEqual([
			'first',
			'second',
			'second',
		]);
		const [first] = stream().events();
		expect(first).toMatchObject({ status: 'acked', deliveries: [expect.any(Object)] });
		expect(first.acks).toEqual([
			expect.objectContaining({ status: 'SUCCESS', form: 'status', code: 200, duplicate: false }),
		]);
	});

	test('without an ack the event comes again with the same messageId and eventId', async () => {
		const client = await connected();
		stream().push({ eventType: 'bpms_task_change', data: { taskId: 1 } });

		const first = await client.nextEvent();
		const again = await client.nextEvent();

		expect(again.headers.messageId).toBe(first.headers.messageId);
		expect(again.headers.eventId).toBe(first.headers.eventId);
		expect(again.data).toBe(first.data);
		const [event] = stream().events();
		expect(event.status).toBe('sent');
		expect(event.deliveries.map((item) => item.redelivery)).toEqual([false, true]);
		expect(stream().stats()).toMatchObject({ pushed: 1, redeliveries: 1, acked: 0, unacked: 1 });
	});

	test('a LATER ack asks for the event again; SUCCESS then settles it', async () => {
		const client = await connected();
		stream().push({ eventType: 'bpms_instance_change', data: {} });

		const first = await client.nextEvent();
		client.ack(first, 'LATER');
		await stream().waitFor(() => stream().events()[0].status === 'later');
		const again = await client.nextEvent();
		client.ack(again, 'SUCCESS');
		await stream().waitFor({ acked: 1 });

		expect(again.headers.messageId).toBe(first.headers.messageId);
		expect(
			stream()
				.events()[0]
				.acks.map((ack) => ack.status),
		).toEqual(['LATER', 'SUCCESS']);
	});

	test("a code-only reply (the Python SDK's form) counts: 200 settles, 500 asks again", async () => {
		const client = await connected();
		stream().push({ eventType: 'python-ok', data: { n: 1 } });
		stream().push({ eventType: 'python-failed', data: { n: 2 } });
		const reply = (
			/** @type {import('../stream/client').Frame} */ frame,
			/** @type {number} */ code,
		) =>
			client.send({
				code,
				headers: { contentType: 'application/json', messageId: frame.headers.messageId },
				message: code === 200 ? 'OK' : 'internal error',
				data: frame.data,
			});

		reply(await client.nextEvent(), 200);
		reply(await client.nextEvent(), 500);
		const redelivered = await client.nextEvent();

		expect(redelivered.headers.eventType).toBe('python-failed');
		const [ok, failed] = stream().events();
		expect(ok).toMatchObject({
			status: 'acked',
			acks: [expect.objectContaining({ form: 'code' })],
		});
		expect(failed.acks).toEqual([
			expect.objectContaining({ status: 'LATER', form: 'code', code: 500 }),
		]);
	});

	test('events pushed while the app has no connection wait, then go out on its next one', async () => {
		const event = stream().push({ eventType: 'early', data: {} });
		expect(event.status).toBe('pending');
		expect(stream().stats()).toMatchObject({ pending: 1, deliveries: 0 });

		const client = await connected();
		const frame = await client.nextEvent();

		expect(frame.headers.messageId).toBe(event.messageId);
		expect(stream().stats()).toMatchObject({ pending: 0, deliveries: 1, redeliveries: 0 });
	});

	test('an unacked event whose connection closed is redelivered on the next connection', async () => {
		const first = await connected();
		stream().push({ eventType: 'lost', data: {} });
		const original = await first.nextEvent();
		await first.close();
		await stream().waitFor({ pending: 1 });

		const second = await connected();
		const redelivered = await second.nextEvent();

		expect(redelivered.headers.messageId).toBe(original.headers.messageId);
		expect(redelivered.headers.eventId).toBe(original.headers.eventId);
		expect(redelivered.headers.connectionId).not.toBe(original.headers.connectionId);
		expect(stream().events()[0].deliveries).toEqual([
			expect.objectContaining({ connectionId: original.headers.connectionId, redelivery: false }),
			expect.objectContaining({ connectionId: redelivered.headers.connectionId, redelivery: true }),
		]);
	});
});

describe('several connections of one app', () => {
	/** Opens two auto-acking connections, pushes eight events, answers which one got each. */
	async function spread() {
		const a = await connected({ autoAck: 'SUCCESS' });
		const b = await connected({ autoAck: 'SUCCESS' });
		const ids = openIds();
		for (let n = 1; n <= 8; n += 1) stream().push({ eventType: 'spread', data: { n } });
		await stream().waitFor({ acked: 8 });
		return {
			ids,
			counts: [a.events().length, b.events().length],
			receivers: stream()
				.events()
				.map((event) => ids.indexOf(event.deliveries[0].connectionId)),
		};
	}

	test('each event goes to one of them at random, and the same way again after a reset', async () => {
		const before = await spread();
		ctx.emu.reset();
		await Promise.all(clients.map((client) => client.closed));
		const after = await spread();

		expect(before.counts[0] + before.counts[1]).toBe(8);
		expect(new Set(before.receivers)).toEqual(new Set([0, 1]));
		expect(
			stream()
				.events()
				.every((event) => event.deliveries.length === 1),
		).toBe(true);
		expect(after.receivers).toEqual(before.receivers);
		expect(after.ids).toEqual(before.ids);
	});
});

describe('system frames', () => {
	test('pings go out every pingIntervalMs; the echo (code 200, same opaque) is recorded', async () => {
		stream().configure({ pingIntervalMs: 100 });
		const client = await connected();

		const ping = await client.next((frame) => frame.type === 'SYSTEM');
		await stream().waitFor({ pongs: 1 });

		expect(ping).toEqual({
			specVersion: '1.0',
			type: 'SYSTEM',
			headers: {
				contentType: 'application/json',
				messageId: MESSAGE_ID,
				time: MS_TEXT,
				topic: 'ping',
			},
			data: expect.stringMatching(/^\{"opaque":"[0-9a-f-]{36}"\}$/),
		});
		const [record] = stream().connections()[0].pings;
		expect(record).toMatchObject({
			messageId: ping.headers.messageId,
			opaque: JSON.parse(ping.data).opaque,
			ok: true,
			problem: null,
		});
	});

	test('an echo with another opaque or code is recorded as wrong, not fatal', async () => {
		const client = await connected({ answerPings: false });
		const [sent] = stream().ping();
		const ping = await client.next((frame) => frame.headers.topic === 'ping');

		client.send({ code: 200, headers: ping.headers, message: 'OK', data: '{"opaque":"other"}' });
		await stream().waitFor(() => stream().connections()[0].pings[0].answeredAt !== null);

		expect(stream().connections()[0]).toMatchObject({
			state: 'open',
			pings: [
				expect.objectContaining({
					messageId: sent.messageId,
					ok: false,
					problem: expect.stringContaining('does not echo opaque'),
				}),
			],
		});
		expect(stream().stats()).toMatchObject({ pings: 1, pongs: 0 });
	});

	test('announce: CONNECTED then REGISTERED right after the handshake (off by default)', async () => {
		const quiet = await connected();
		stream().configure({ announce: true });
		const announced = await connected();

		const topics = [(await announced.next()).headers.topic, (await announced.next()).headers.topic];

		expect(topics).toEqual(['CONNECTED', 'REGISTERED']);
		expect(quiet.frames).toEqual([]);
	});

	test('disconnect: the frame gives the reason; the socket closes disconnectCloseMs later, events wait meanwhile', async () => {
		stream().configure({ disconnectCloseMs: 300 });
		const client = await connected();

		const [dropped] = stream().dropConnections({
			how: 'disconnect',
			reason: 'connection is expired',
		});
		const frame = await client.next((item) => item.headers.topic === 'disconnect');
		const stillOpen = client.ws.readyState === client.ws.OPEN;
		const waiting = stream().push({ eventType: 'during-grace', data: {} });
		const closed = await client.closed;
		await stream().waitFor(() => stream().connections({ all: true })[0].state === 'closed');

		expect(frame).toEqual({
			specVersion: '1.0',
			type: 'SYSTEM',
			headers: {
				contentType: 'application/json',
				messageId: MESSAGE_ID,
				time: MS_TEXT,
				topic: 'disconnect',
			},
			data: '{"reason":"connection is expired"}',
		});
		expect(dropped.state).toBe('disconnecting');
		expect(stillOpen).toBe(true);
		expect(waiting.status).toBe('pending');
		expect(closed).toMatchObject({ code: 1000 });
		expect(stream().connections({ all: true })[0]).toMatchObject({
			state: 'closed',
			how: 'disconnect',
			closedBy: 'server',
			closeCode: 1000,
		});
	});

	test('close ends the connection cleanly (1000); terminate destroys the socket (1006)', async () => {
		const closing = await connected();
		const terminated = await connected();
		const [closingId, terminatedId] = openIds();

		stream().dropConnections({ how: 'close', connectionId: closingId });
		stream().dropConnections({ how: 'terminate', connectionId: terminatedId });

		expect(await closing.closed).toMatchObject({ code: 1000 });
		expect(await terminated.closed).toMatchObject({ code: 1006 });
		await stream().waitFor(() => stream().connections().length === 0);
		expect(
			stream()
				.connections({ all: true })
				.map((conn) => conn.how),
		).toEqual(['close', 'terminate']);
	});
});

describe('frames from the client', () => {
	test('malformed frames and replies to unknown messageIds are logged; the connection carries on', async () => {
		const client = await connected();
		client.send('not json');
		client.send({ hello: 'world' });
		client.send({ code: 200, headers: { messageId: 'never-sent' }, message: 'OK', data: '{}' });
		await stream().waitFor({ malformedFrames: 2, unknownReplies: 1 });

		stream().push({ eventType: 'after-noise', data: {} });
		client.ack(await client.nextEvent());
		await stream().waitFor({ acked: 1 });

		expect(
			stream()
				.connections()[0]
				.frames.filter((entry) => entry.dir === 'in')
				.map((entry) => [entry.kind, entry.problem]),
		).toEqual([
			['malformed', 'not JSON'],
			['malformed', 'no headers.messageId'],
			['unknown', 'no frame with this messageId was sent to the app'],
			['ack', undefined],
		]);
	});
});

describe('approval events', () => {
	const LEAVE_VALUES = [
		{ name: '请假类型', value: '年假' },
		{ name: '["开始时间","结束时间"]', value: '["2025-05-12","2025-05-14"]' },
		{ name: '请假天数', value: '3' },
	];

	/** Starts a leave request over the v1.0 API, as an app would; answers its instance id. */
	async function startLeave() {
		const { body: token } = await ctx.client.api('/v1.0/oauth2/accessToken', {
			body: { appKey: ctx.emu.seed.dingtalk.appKey, appSecret: ctx.emu.seed.dingtalk.appSecret },
		});
		const { status, body } = await ctx.client.api('/v1.0/workflow/processInstances', {
			headers: { 'x-acs-dingtalk-access-token': token.accessToken },
			body: {
				processCode: 'PROC-EMU-LEAVE',
				originatorUserId: 'user001',
				formComponentValues: LEAVE_VALUES,
			},
		});
		expect(status).toBe(200);
		return /** @type {string} */ (body.instanceId);
	}

	test('pushApprovalEvents pushes each engine event once, as its Stream event', async () => {
		const client = await connected({ autoAck: 'SUCCESS' });
		const id = await startLeave();
		ctx.emu.dingtalk.approvals.act(id, { userId: 'manager01', action: 'agree' });
		const engine = [...ctx.emu.dingtalk.approvals.events()];

		const pushed = stream().pushApprovalEvents();
		await stream().waitFor({ acked: engine.length });

		expect(pushed.map((event) => event.eventId)).toEqual(engine.map((event) => event.eventId));
		const frames = client.events();
		expect(frames.map((frame) => [frame.headers.eventType, frame.headers.eventId])).toEqual(
			engine.map((event) => [event.eventType, event.eventId]),
		);
		const [start] = frames;
		expect(start.headers).toMatchObject({
			eventCorpId: 'dingemucorp0001',
			eventBornTime: String(engine[0].eventBornTime),
		});
		const { EventType, EventTime, CorpId, BizId, eventId, ...body } = engine[0].data;
		expect(JSON.parse(start.data)).toEqual(body);
		expect(JSON.parse(start.data)).toMatchObject({
			processInstanceId: id,
			processCode: 'PROC-EMU-LEAVE',
			type: 'start',
			staffId: 'user001',
		});

		expect(stream().pushApprovalEvents()).toEqual([]);
		ctx.emu.dingtalk.approvals.act(id, { userId: 'boss01', action: 'agree' });
		const later = stream().pushApprovalEvents();
		expect(later.map((event) => event.eventId)).toEqual(
			ctx.emu.dingtalk.approvals
				.events()
				.slice(engine.length)
				.map((event) => event.eventId),
		);
		expect(later.map((event) => event.eventType)).toContain('bpms_instance_change');
		expect(stream().stats().pushed).toBe(ctx.emu.dingtalk.approvals.events().length);
	});

	test('a filter pushes the matching events only and leaves the others for a later call', async () => {
		const id = await startLeave();
		const engine = [...ctx.emu.dingtalk.approvals.events()];

		const instanceEvents = stream().pushApprovalEvents({ eventType: 'bpms_instance_change' });
		const rest = stream().pushApprovalEvents();

		expect(instanceEvents.map((event) => JSON.parse(event.data).type)).toEqual(['start']);
		expect(rest.map((event) => event.eventId)).toEqual(
			engine.slice(1).map((event) => event.eventId),
		);
		expect(rest.every((event) => JSON.parse(event.data).processInstanceId === id)).toBe(true);
		expect(stream().stats()).toMatchObject({ pushed: engine.length, pending: engine.length });
	});
});

describe('control API', () => {
	test('push, configure, connections, events, stats, wait, drop and push-approval-events over HTTP', async () => {
		const control = ctx.client.control;
		const client = await connected();

		expect(
			(await control('/dingtalk/stream/configure', { body: { redeliverAfterMs: 250 } })).body,
		).toMatchObject({
			redeliverAfterMs: 250,
			pingIntervalMs: 30_000,
			disconnectCloseMs: 10_000,
		});
		const pushed = await control('/dingtalk/stream/push', {
			body: { eventType: 'over-http', data: { ok: true } },
		});
		expect(pushed.body).toMatchObject({ eventType: 'over-http', status: 'sent' });
		client.ack(await client.nextEvent());
		const waited = await control('/dingtalk/stream/wait', { body: { until: { acked: 1 } } });
		expect(waited.body).toMatchObject({ pushed: 1, acked: 1 });

		expect((await control('/dingtalk/stream/events')).body.events).toEqual([
			expect.objectContaining({ messageId: pushed.body.messageId, status: 'acked' }),
		]);
		expect((await control('/dingtalk/stream/connections')).body.connections).toEqual([
			expect.objectContaining({ appKey: ctx.emu.seed.dingtalk.appKey, state: 'open' }),
		]);
		expect((await control('/dingtalk/stream/stats')).body).toMatchObject({ connectionsOpened: 1 });
		expect((await control('/dingtalk/stream/push-approval-events', { body: {} })).body).toEqual({
			events: [],
		});
		expect(
			(await control('/dingtalk/stream/wait', { body: { until: { acked: 5 }, timeoutMs: 50 } }))
				.status,
		).toBe(408);
		expect((await control('/dingtalk/stream/configure', { body: { nope: 1 } })).status).toBe(400);

		const dropped = await control('/dingtalk/stream/drop', { body: { how: 'terminate' } });
		expect(dropped.body.connections).toHaveLength(1);
		expect(await client.closed).toMatchObject({ code: 1006 });
	});
});

describe('reset and close', () => {
	test('reset closes every socket and forgets tickets, connections, events and settings', async () => {
		stream().configure({ redeliverAfterMs: FAST_REDELIVERY, pingIntervalMs: 100 });
		const client = await connected();
		stream().push({ eventType: 'before-reset', data: {} });
		await client.nextEvent();

		ctx.emu.reset();

		expect(await client.closed).toMatchObject({ code: 1006 });
		expect(stream().connections({ all: true })).toEqual([]);
		expect(stream().events()).toEqual([]);
		expect(stream().tickets()).toEqual([]);
		expect(stream().config()).toEqual({
			redeliverAfterMs: 60_000,
			pingIntervalMs: 30_000,
			disconnectCloseMs: 10_000,
			ticketLifetimeMs: 90_000,
			announce: false,
		});
		// A new connection hears nothing of the old event, nor old pings.
		const next = await connected();
		stream().configure({ redeliverAfterMs: FAST_REDELIVERY });
		stream().push({ eventType: 'after-reset', data: {} });
		await next.nextEvent();
		await next.nextEvent();
		expect(next.frames.map((frame) => frame.headers.eventType)).toEqual([
			'after-reset',
			'after-reset',
		]);
	});

	test('close terminates sockets, timers and waiters, so that the process can exit', async () => {
		const script = `
			const http = require('node:http');
			const { createEmulator } = require(${JSON.stringify(path.resolve(__dirname, '..'))});
			const { connect } = require(${JSON.stringify(path.resolve(__dirname, '../stream/client'))});
			const post = (url, body) => new Promise((resolve, reject) => {
				const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', accept: 'application/json' } }, (res) => {
					let text = '';
					res.on('data', (chunk) => (text += chunk));
					res.on('end', () => resolve(JSON.parse(text)));
				});
				req.on('error', reject);
				req.end(JSON.stringify(body));
			});
			(async () => {
				const emu = await createEmulator();
				const { appKey, appSecret } = emu.seed.dingtalk;
				const ticket = () => post(emu.baseUrls.dingtalkApi + '/v1.0/gateway/connections/open', {
					clientId: appKey, clientSecret: appSecret, subscriptions: [{ type: 'EVENT', topic: '*' }],
				});
				emu.dingtalk.stream.configure({ redeliverAfterMs: 600000, pingIntervalMs: 600000, disconnectCloseMs: 600000 });
				const one = await ticket();
				const two = await ticket();
				const a = await connect(one.endpoint, one.ticket);
				const b = await connect(two.endpoint, two.ticket);
				emu.dingtalk.stream.push({ eventType: 'unacked', data: {} });
				await emu.dingtalk.stream.waitFor({ deliveries: 1 });
				emu.dingtalk.stream.dropConnections({ how: 'disconnect', connectionId: emu.dingtalk.stream.connections()[0].connectionId });
				const waiting = emu.dingtalk.stream.waitFor({ acked: 1 }, 600000);
				await emu.close();
				const [waited] = await Promise.allSettled([waiting]);
				const closes = await Promise.all([a.closed, b.closed]);
				process.stdout.write(JSON.stringify({ waited: waited.status, codes: closes.map((c) => c.code) }));
			})();
		`;
		const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		/** @type {NodeJS.Timeout | undefined} */
		let guard;
		const exit = await new Promise((resolve) => {
			// A leaked 10-minute timer or socket would keep the child alive far past this.
			guard = setTimeout(() => {
				child.kill();
				resolve('still running after 20 s');
			}, 20_000);
			child.on('exit', (code) => resolve(code));
		});
		clearTimeout(guard);

		expect({ exit, stderr }).toEqual({ exit: 0, stderr: '' });
		expect(JSON.parse(stdout)).toEqual({ waited: 'rejected', codes: [1006, 1006] });
	}, 30_000);
});
