// @ts-check
'use strict';

const { WebSocketServer, WebSocket } = require('ws');
const { EmulatorInputError } = require('../inputError');
const { isPlainObject, truncateUtf8 } = require('../values');
const { apiError } = require('../dingtalk/errors');
const { approvalControls } = require('../dingtalk/approvals');
const {
	lowerUuid,
	messageIdOf,
	unifiedAppIdOf,
	systemFrame,
	eventFrame,
	readClientFrame,
	readAck,
	pingEchoProblem,
	rawText,
} = require('./frames');

/**
 * The DingTalk Stream gateway (Stream 模式): `POST /v1.0/gateway/connections/open` hands out a
 * WebSocket endpoint and a one-use ticket; the socket then carries SYSTEM frames (ping,
 * disconnect) and EVENT frames, which the client acks. Unacked (or LATER) events are pushed again
 * with the same messageId and eventId. Sources and choices: README.md "DingTalk Stream gateway".
 *
 * Tickets and socket state live here, outside `emu.state` (sockets and timers are not JSON);
 * `reset()` closes every socket and forgets everything. Ticket expiry follows the emulator clock;
 * pings, redelivery and the close after `disconnect` use real timers.
 *
 * @typedef {import('../family').RequestContext} RequestContext
 * @typedef {import('../family').Env} Env
 * @typedef {import('./frames').DownstreamFrame} DownstreamFrame
 *
 * @typedef {{ type: 'EVENT'|'CALLBACK', topic: string }} Subscription
 *
 * @typedef {object} Ticket
 * @property {string} ticket
 * @property {string} appKey
 * @property {Subscription[]} subscriptions
 * @property {string} ua
 * @property {string} localIp
 * @property {number} issuedAt                 emulator clock, ms
 * @property {number} expiresAt                emulator clock, ms
 * @property {number | null} usedAt
 *
 * @typedef {object} StreamConfig
 * @property {number} redeliverAfterMs         an unacked or LATER event goes out again after this (0 = never)
 * @property {number} pingIntervalMs           SYSTEM ping to every open connection (0 = none)
 * @property {number} disconnectCloseMs        the close that follows a `disconnect` frame
 * @property {number} ticketLifetimeMs         how long a ticket from connections/open is good for
 * @property {boolean} announce                send CONNECTED and REGISTERED system frames on open
 *
 * @typedef {object} AckRecord
 * @property {string} messageId
 * @property {string} eventId
 * @property {string} connectionId
 * @property {number} at
 * @property {'SUCCESS'|'LATER'} status
 * @property {'status'|'code'} form            which part of the reply decided
 * @property {unknown} code
 * @property {string} [message]
 * @property {boolean} duplicate               the event had been acked SUCCESS already
 *
 * @typedef {object} PingRecord
 * @property {string} messageId
 * @property {string} opaque
 * @property {number} sentAt
 * @property {number | null} answeredAt
 * @property {boolean | null} ok              the echo had code 200 and the same opaque
 * @property {string | null} problem
 *
 * @typedef {object} FrameLogEntry
 * @property {'out'|'in'} dir
 * @property {number} at
 * @property {string} kind                     out: event, ping, disconnect, CONNECTED, REGISTERED; in: ack, pong, reply, malformed, unknown, error
 * @property {string} [messageId]
 * @property {string} [problem]
 * @property {string} [text]                   start of a malformed or unknown frame
 *
 * @typedef {object} Connection
 * @property {string} connectionId
 * @property {string} appKey
 * @property {string} appId
 * @property {string} ticket
 * @property {Subscription[]} subscriptions
 * @property {string} ua
 * @property {string} localIp
 * @property {number} openedAt
 * @property {'open'|'disconnecting'|'closed'} state
 * @property {number | null} closedAt
 * @property {number | null} closeCode
 * @property {'client'|'server'|null} closedBy
 * @property {'disconnect'|'close'|'terminate'|'reset'|null} how   set when the server dropped it
 * @property {number} framesSent
 * @property {number} framesReceived
 * @property {AckRecord[]} acks
 * @property {PingRecord[]} pings
 * @property {FrameLogEntry[]} frames
 * @property {WebSocket} ws
 * @property {NodeJS.Timeout | null} pingTimer
 * @property {NodeJS.Timeout | null} closeTimer
 * @property {Map<string, string>} systemSent  messageId → topic of the SYSTEM frames sent
 *
 * @typedef {object} StreamEvent
 * @property {number} seq
 * @property {string} messageId                the same on every delivery
 * @property {string} eventId
 * @property {string} eventType
 * @property {number} eventBornTime
 * @property {string} corpId
 * @property {string} appKey
 * @property {string} appId
 * @property {string} data                     the `data` string sent
 * @property {string | null} approvalEventId   set by pushApprovalEvents
 * @property {number} pushedAt
 * @property {'pending'|'sent'|'later'|'acked'} status   pending = waits for a connection
 * @property {Array<{ connectionId: string, at: number, redelivery: boolean }>} deliveries
 * @property {AckRecord[]} acks
 * @property {number | null} ackedAt
 * @property {NodeJS.Timeout | null} timer     the redelivery timer
 *
 * @typedef {object} StreamStats
 * @property {number} pushed                   events pushed
 * @property {number} deliveries               frames sent for them, redeliveries included
 * @property {number} redeliveries
 * @property {number} acked                    events acked SUCCESS
 * @property {number} pending                  events waiting for a connection
 * @property {number} unacked                  events not acked SUCCESS (pending, sent, later)
 * @property {number} connectionsOpened
 * @property {number} open                     connections not closed (also those being disconnected)
 * @property {number} refusedHandshakes
 * @property {number} malformedFrames
 * @property {number} unknownReplies           replies naming a messageId never sent to the app
 * @property {number} pings                    pings sent
 * @property {number} pongs                    correct echoes
 *
 * @typedef {ReturnType<typeof createStreamGateway>} StreamGateway
 * @typedef {StreamGateway['api']} StreamControls
 */

const OPEN_PATH = '/v1.0/gateway/connections/open';
const CONNECT_PATH = '/dingtalk/stream/connect';

/** @type {Readonly<StreamConfig>} */
const DEFAULT_CONFIG = Object.freeze({
	redeliverAfterMs: 60_000,
	pingIntervalMs: 30_000,
	disconnectCloseMs: 10_000,
	ticketLifetimeMs: 90_000,
	announce: false,
});
const DEFAULT_DISCONNECT_REASON = 'persistent connection is timeout';
/** The HTTP-push envelope keys of engine events; over Stream they travel in the frame headers. */
const HTTP_ENVELOPE_KEYS = ['EventType', 'EventTime', 'CorpId', 'BizId', 'eventId'];
const PUSH_KEYS = ['eventType', 'data', 'eventId', 'corpId', 'appKey', 'eventBornTime'];
const APPROVAL_FILTER_KEYS = ['eventType', 'processInstanceId', 'processCode', 'type', 'appKey'];
const MAX_FRAME_LOG = 1000;
const SNIPPET = 200;

/** @type {WeakMap<Env, { open: (ctx: RequestContext) => import('../family').Reply }>} */
const GATEWAYS = new WeakMap();

/** The gateway of the emulator a request belongs to (connections/open is answered there). */
function gatewayFor(/** @type {Env} */ env) {
	const gateway = GATEWAYS.get(env);
	if (!gateway) throw new Error('no DingTalk Stream gateway is attached to this emulator');
	return gateway;
}

/** `subscriptions` of connections/open, or the refusal text. @returns {Subscription[] | string} */
function readSubscriptions(/** @type {unknown} */ value) {
	if (!Array.isArray(value) || value.length === 0) return 'subscriptions 不能为空';
	/** @type {Subscription[]} */
	const list = [];
	for (const [index, item] of value.entries()) {
		if (!isPlainObject(item)) return `subscriptions[${index}] 必须是 {type, topic}`;
		const { type, topic } = item;
		if (type !== 'EVENT' && type !== 'CALLBACK')
			return `subscriptions[${index}].type 只支持 EVENT 或 CALLBACK`;
		if (typeof topic !== 'string' || topic.trim() === '')
			return `subscriptions[${index}].topic 不能为空`;
		if (type === 'EVENT' && topic !== '*')
			return `subscriptions[${index}]: EVENT 类型的订阅 topic 只支持 *`;
		list.push({ type, topic });
	}
	return list;
}

/** A raw HTTP answer on a socket whose upgrade is refused, then the socket is closed. */
function refuseUpgrade(
	/** @type {import('node:stream').Duplex} */ socket,
	/** @type {number} */ status,
	/** @type {string} */ statusText,
	/** @type {Record<string, unknown>} */ body,
) {
	const payload = JSON.stringify(body);
	socket.on('error', () => {});
	socket.once('finish', () => socket.destroy());
	socket.end(
		`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: application/json;charset=utf-8\r\n` +
			`Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
	);
}

/**
 * @param {object} deps
 * @param {Env} deps.env
 * @param {() => string | undefined} deps.url  the emulator's http://host:port (endpoint fallback when a request has no Host)
 */
function createStreamGateway({ env, url }) {
	const { clock, ids } = env;
	const org = () => env.state.dingtalk;
	const approvals = approvalControls(() => env.state.dingtalk, { clock });
	const wss = new WebSocketServer({ noServer: true, clientTracking: false });

	/** @type {StreamConfig} */
	let config = { ...DEFAULT_CONFIG };
	/** @type {Map<string, Ticket>} */
	let tickets = new Map();
	/** @type {Map<string, Connection>} */
	let connections = new Map();
	/** @type {StreamEvent[]} */
	let events = [];
	/** @type {Map<string, StreamEvent>} */
	let eventsByMessageId = new Map();
	/** Engine event ids already pushed by pushApprovalEvents. */
	let pushedApprovalEvents = new Set();
	/** @type {Array<{ at: number, status: number, problem: string, path: string }>} */
	let refusals = [];
	let counters = freshCounters();
	/** Bumped by reset(): handshakes begun before it are dropped when they finish. */
	let generation = 0;
	let closed = false;
	/** @type {Set<{ check: () => void, fail: (error: Error) => void }>} */
	const waiters = new Set();

	function freshCounters() {
		return {
			deliveries: 0,
			redeliveries: 0,
			connectionsOpened: 0,
			malformedFrames: 0,
			unknownReplies: 0,
			systemMessages: 0,
			eventMessages: 0,
		};
	}

	/** Lets waitFor() callers look again after anything changed. */
	function notify() {
		for (const waiter of [...waiters]) waiter.check();
	}

	const nextMessageId = (/** @type {'event'|'system'} */ kind) => {
		const n = kind === 'event' ? ++counters.eventMessages : ++counters.systemMessages;
		return messageIdOf(ids.digest(`dingtalk-stream-${kind}-message`), clock.now(), n);
	};

	// -------------------------------------------------------------------------------------------
	// Views (copies without sockets and timers)

	/** @param {Connection} conn */
	const connectionView = (conn) => ({
		connectionId: conn.connectionId,
		appKey: conn.appKey,
		appId: conn.appId,
		subscriptions: conn.subscriptions.map((item) => ({ ...item })),
		ua: conn.ua,
		localIp: conn.localIp,
		openedAt: conn.openedAt,
		state: conn.state,
		closedAt: conn.closedAt,
		closeCode: conn.closeCode,
		closedBy: conn.closedBy,
		how: conn.how,
		framesSent: conn.framesSent,
		framesReceived: conn.framesReceived,
		acks: conn.acks.map((ack) => ({ ...ack })),
		pings: conn.pings.map((ping) => ({ ...ping })),
		frames: conn.frames.map((entry) => ({ ...entry })),
	});

	/** @param {StreamEvent} event */
	const eventView = (event) => ({
		seq: event.seq,
		messageId: event.messageId,
		eventId: event.eventId,
		eventType: event.eventType,
		eventBornTime: event.eventBornTime,
		corpId: event.corpId,
		appKey: event.appKey,
		appId: event.appId,
		data: event.data,
		approvalEventId: event.approvalEventId,
		pushedAt: event.pushedAt,
		status: event.status,
		deliveries: event.deliveries.map((item) => ({ ...item })),
		acks: event.acks.map((ack) => ({ ...ack })),
		ackedAt: event.ackedAt,
	});

	/** @returns {StreamStats} */
	function stats() {
		const count = (/** @type {(event: StreamEvent) => boolean} */ test) =>
			events.filter(test).length;
		const all = [...connections.values()];
		return {
			pushed: events.length,
			deliveries: counters.deliveries,
			redeliveries: counters.redeliveries,
			acked: count((event) => event.status === 'acked'),
			pending: count((event) => event.status === 'pending'),
			unacked: count((event) => event.status !== 'acked'),
			connectionsOpened: counters.connectionsOpened,
			open: all.filter((conn) => conn.state !== 'closed').length,
			refusedHandshakes: refusals.length,
			malformedFrames: counters.malformedFrames,
			unknownReplies: counters.unknownReplies,
			pings: all.reduce((sum, conn) => sum + conn.pings.length, 0),
			pongs: all.reduce((sum, conn) => sum + conn.pings.filter((ping) => ping.ok).length, 0),
		};
	}

	// -------------------------------------------------------------------------------------------
	// Sending

	/** @param {Connection} conn @param {FrameLogEntry} entry */
	function logFrame(conn, entry) {
		conn.frames.push(entry);
		if (conn.frames.length > MAX_FRAME_LOG) conn.frames.shift();
	}

	/** @param {Connection} conn @param {DownstreamFrame} frame @param {string} kind */
	function send(conn, frame, kind) {
		if (conn.ws.readyState !== WebSocket.OPEN) return false;
		conn.ws.send(JSON.stringify(frame));
		conn.framesSent += 1;
		logFrame(conn, { dir: 'out', at: clock.now(), kind, messageId: frame.headers.messageId });
		return true;
	}

	/** @param {Connection} conn @param {string} topic @param {Record<string, unknown>} payload */
	function sendSystem(conn, topic, payload) {
		const messageId = nextMessageId('system');
		conn.systemSent.set(messageId, topic);
		send(conn, systemFrame(topic, messageId, clock.now(), payload), topic);
		return messageId;
	}

	/** @param {Connection} conn */
	function sendPing(conn) {
		const opaque = lowerUuid(ids.digest('dingtalk-stream-ping'));
		const messageId = nextMessageId('system');
		conn.systemSent.set(messageId, 'ping');
		const sentAt = clock.now();
		if (!send(conn, systemFrame('ping', messageId, sentAt, { opaque }), 'ping')) return undefined;
		/** @type {PingRecord} */
		const ping = { messageId, opaque, sentAt, answeredAt: null, ok: null, problem: null };
		conn.pings.push(ping);
		if (conn.pings.length > MAX_FRAME_LOG) conn.pings.shift();
		return ping;
	}

	/** @param {Connection} conn */
	function startPings(conn) {
		if (conn.pingTimer) clearInterval(conn.pingTimer);
		conn.pingTimer = null;
		if (config.pingIntervalMs > 0 && conn.state === 'open')
			conn.pingTimer = setInterval(() => {
				sendPing(conn);
				notify();
			}, config.pingIntervalMs);
	}

	/** @param {Connection} conn */
	function stopTimers(conn) {
		if (conn.pingTimer) clearInterval(conn.pingTimer);
		if (conn.closeTimer) clearTimeout(conn.closeTimer);
		conn.pingTimer = null;
		conn.closeTimer = null;
	}

	// -------------------------------------------------------------------------------------------
	// Delivery

	/** Open connections of the app subscribed to events, in opening order (not those being disconnected). */
	const receiversOf = (/** @type {string} */ appKey) =>
		[...connections.values()].filter(
			(conn) =>
				conn.appKey === appKey &&
				conn.state === 'open' &&
				conn.ws.readyState === WebSocket.OPEN &&
				conn.subscriptions.some((item) => item.type === 'EVENT'),
		);

	/** One of `count` at random, from the id source (so a reset replays the same choices). */
	const pick = (/** @type {number} */ count) =>
		ids.digest('dingtalk-stream-route').readUInt32BE(0) % count;

	/** @param {StreamEvent} event */
	function disarm(event) {
		if (event.timer) clearTimeout(event.timer);
		event.timer = null;
	}

	/** Redelivery timer from now. @param {StreamEvent} event */
	function arm(event) {
		disarm(event);
		if (config.redeliverAfterMs <= 0) return;
		event.timer = setTimeout(() => {
			event.timer = null;
			if (event.status === 'acked' || !eventsByMessageId.has(event.messageId)) return;
			deliver(event);
			notify();
		}, config.redeliverAfterMs);
	}

	/** Sends the event to one of the app's connections, or leaves it pending. @param {StreamEvent} event */
	function deliver(event) {
		const receivers = receiversOf(event.appKey);
		if (receivers.length === 0) {
			disarm(event);
			event.status = 'pending';
			return;
		}
		const conn = receivers.length === 1 ? receivers[0] : receivers[pick(receivers.length)];
		const now = clock.now();
		send(conn, eventFrame(event, conn.connectionId, now), 'event');
		const redelivery = event.deliveries.length > 0;
		event.deliveries.push({ connectionId: conn.connectionId, at: now, redelivery });
		counters.deliveries += 1;
		if (redelivery) counters.redeliveries += 1;
		event.status = 'sent';
		arm(event);
	}

	/** Events waiting for a connection of the app go out now, oldest first. */
	function flushPending(/** @type {string} */ appKey) {
		for (const event of events)
			if (event.appKey === appKey && event.status === 'pending') deliver(event);
	}

	// -------------------------------------------------------------------------------------------
	// Receiving

	/** @param {Connection} conn @param {import('ws').RawData} raw @param {boolean} isBinary */
	function onClientFrame(conn, raw, isBinary) {
		conn.framesReceived += 1;
		const at = clock.now();
		const frame = readClientFrame(raw, isBinary);
		const snippet = () => (isBinary ? '<binary>' : rawText(raw).slice(0, SNIPPET));
		if (frame.kind === 'malformed') {
			counters.malformedFrames += 1;
			logFrame(conn, { dir: 'in', at, kind: 'malformed', problem: frame.problem, text: snippet() });
			notify();
			return;
		}
		const { messageId } = frame;
		const topic = conn.systemSent.get(messageId);
		if (topic === 'ping') {
			const ping = conn.pings.find((item) => item.messageId === messageId);
			const problem = ping ? pingEchoProblem(frame, ping.opaque) : 'ping record dropped';
			if (ping && ping.answeredAt === null) {
				ping.answeredAt = at;
				ping.ok = !problem;
				ping.problem = problem ?? null;
			}
			logFrame(conn, { dir: 'in', at, kind: 'pong', messageId, ...(problem ? { problem } : {}) });
			notify();
			return;
		}
		if (topic !== undefined) {
			// The Python SDK answers every SYSTEM frame; only ping replies mean anything.
			logFrame(conn, { dir: 'in', at, kind: 'reply', messageId, problem: `reply to ${topic}` });
			notify();
			return;
		}
		const event = eventsByMessageId.get(messageId);
		if (!event || event.appKey !== conn.appKey) {
			counters.unknownReplies += 1;
			logFrame(conn, {
				dir: 'in',
				at,
				kind: 'unknown',
				messageId,
				problem: 'no frame with this messageId was sent to the app',
				text: snippet(),
			});
			notify();
			return;
		}
		const reading = readAck(frame);
		if (!reading) {
			counters.malformedFrames += 1;
			logFrame(conn, {
				dir: 'in',
				at,
				kind: 'malformed',
				messageId,
				problem: 'a reply to an event needs code 200 and data {"status":"SUCCESS"|"LATER"}',
				text: snippet(),
			});
			notify();
			return;
		}
		/** @type {AckRecord} */
		const ack = {
			messageId,
			eventId: event.eventId,
			connectionId: conn.connectionId,
			at,
			...reading,
			duplicate: event.status === 'acked',
		};
		conn.acks.push(ack);
		event.acks.push(ack);
		logFrame(conn, { dir: 'in', at, kind: 'ack', messageId });
		if (!ack.duplicate) {
			if (reading.status === 'SUCCESS') {
				event.status = 'acked';
				event.ackedAt = at;
				disarm(event);
			} else {
				event.status = 'later';
				arm(event);
			}
		}
		notify();
	}

	// -------------------------------------------------------------------------------------------
	// Connections

	/** @param {WebSocket} ws @param {Ticket} ticket */
	function onOpen(ws, ticket) {
		/** @type {Connection} */
		const conn = {
			connectionId: lowerUuid(ids.digest('dingtalk-stream-connection')),
			appKey: ticket.appKey,
			appId: unifiedAppIdOf(ticket.appKey),
			ticket: ticket.ticket,
			subscriptions: ticket.subscriptions,
			ua: ticket.ua,
			localIp: ticket.localIp,
			openedAt: clock.now(),
			state: 'open',
			closedAt: null,
			closeCode: null,
			closedBy: null,
			how: null,
			framesSent: 0,
			framesReceived: 0,
			acks: [],
			pings: [],
			frames: [],
			ws,
			pingTimer: null,
			closeTimer: null,
			systemSent: new Map(),
		};
		connections.set(conn.connectionId, conn);
		counters.connectionsOpened += 1;
		ws.on('message', (raw, isBinary) => onClientFrame(conn, raw, isBinary));
		ws.on('close', (code) => onClosed(conn, code));
		ws.on('error', (error) => {
			logFrame(conn, { dir: 'in', at: clock.now(), kind: 'error', problem: error.message });
		});
		if (config.announce) {
			sendSystem(conn, 'CONNECTED', {});
			sendSystem(conn, 'REGISTERED', {});
		}
		startPings(conn);
		flushPending(conn.appKey);
		notify();
	}

	/** @param {Connection} conn @param {number} code */
	function onClosed(conn, code) {
		if (conn.state === 'closed') return;
		stopTimers(conn);
		conn.state = 'closed';
		conn.closedAt = clock.now();
		conn.closeCode = code;
		conn.closedBy = conn.how ? 'server' : 'client';
		notify();
	}

	/**
	 * @param {Connection} conn
	 * @param {'disconnect'|'close'|'terminate'} how
	 * @param {string} reason
	 */
	function drop(conn, how, reason) {
		if (conn.state === 'closed') return;
		if (how === 'disconnect') {
			if (conn.state === 'disconnecting') return;
			conn.how = 'disconnect';
			conn.state = 'disconnecting';
			stopTimers(conn);
			sendSystem(conn, 'disconnect', { reason });
			conn.closeTimer = setTimeout(() => {
				conn.closeTimer = null;
				conn.ws.close(1000, truncateUtf8(reason, 123));
			}, config.disconnectCloseMs);
		} else if (how === 'close') {
			conn.how = 'close';
			stopTimers(conn);
			conn.ws.close(1000, truncateUtf8(reason, 123));
		} else {
			conn.how = 'terminate';
			stopTimers(conn);
			conn.ws.terminate();
		}
	}

	// -------------------------------------------------------------------------------------------
	// HTTP: connections/open and the upgrade

	/** POST /v1.0/gateway/connections/open (public route of the api family). @param {RequestContext} ctx */
	function open(ctx) {
		const body = isPlainObject(ctx.body) ? ctx.body : {};
		const app = org().apps.find(
			(item) =>
				typeof body.clientId === 'string' &&
				item.appKey === body.clientId &&
				item.appSecret === body.clientSecret,
		);
		if (!app) return apiError(ctx, 401, 'authFailed', '鉴权失败');
		const subscriptions = readSubscriptions(body.subscriptions);
		if (typeof subscriptions === 'string')
			return apiError(ctx, 400, 'invalidParameter', subscriptions);
		const now = clock.now();
		const ticket = lowerUuid(ids.digest('dingtalk-stream-ticket'));
		tickets.set(ticket, {
			ticket,
			appKey: app.appKey,
			subscriptions,
			ua: typeof body.ua === 'string' ? body.ua : '',
			localIp: typeof body.localIp === 'string' ? body.localIp : '',
			issuedAt: now,
			expiresAt: now + config.ticketLifetimeMs,
			usedAt: null,
		});
		const host = ctx.headers.host;
		const base = host ? `ws://${host}` : (url() ?? 'http://127.0.0.1').replace(/^http/, 'ws');
		return { status: 200, body: { endpoint: `${base}${CONNECT_PATH}`, ticket } };
	}

	/**
	 * The server's `upgrade` event: a good ticket opens a Stream connection; a missing, unknown,
	 * used or expired one is answered HTTP 401; any other path 404.
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:stream').Duplex} socket
	 * @param {Buffer} head
	 */
	function handleUpgrade(req, socket, head) {
		if (closed) {
			socket.destroy();
			return;
		}
		const target = new URL(req.url ?? '/', 'http://emulator.invalid');
		const at = clock.now();
		if (target.pathname !== CONNECT_PATH) {
			refusals.push({ at, status: 404, problem: 'unknown path', path: target.pathname });
			refuseUpgrade(socket, 404, 'Not Found', {
				code: 'error.notFound',
				message: `no WebSocket endpoint at ${target.pathname}; the DingTalk Stream endpoint is ${CONNECT_PATH}?ticket=…`,
			});
			notify();
			return;
		}
		const text = target.searchParams.get('ticket') ?? '';
		const ticket = tickets.get(text);
		let problem = null;
		if (!text) problem = 'no ticket';
		else if (!ticket) problem = 'unknown ticket';
		else if (ticket.usedAt !== null) problem = 'ticket already used';
		else if (at >= ticket.expiresAt) problem = 'ticket expired';
		if (problem || !ticket) {
			refusals.push({ at, status: 401, problem: problem ?? 'no ticket', path: target.pathname });
			refuseUpgrade(socket, 401, 'Unauthorized', { code: 'invalidTicket', message: problem });
			notify();
			return;
		}
		ticket.usedAt = at;
		const started = generation;
		wss.handleUpgrade(req, socket, head, (ws) => {
			if (closed || started !== generation) ws.terminate();
			else onOpen(ws, ticket);
		});
	}

	// -------------------------------------------------------------------------------------------
	// Controls

	/**
	 * Queues an event for the app's connections (sent at once when one is open).
	 * @param {unknown} input {eventType, data?, eventId?, corpId?, appKey?, eventBornTime?}
	 */
	function push(input) {
		if (!isPlainObject(input))
			throw new EmulatorInputError('push needs {eventType, data, eventId?, corpId?, appKey?}');
		const unknown = Object.keys(input).filter((key) => !PUSH_KEYS.includes(key));
		if (unknown.length)
			throw new EmulatorInputError(
				`unknown push field ${unknown.join(', ')}; known: ${PUSH_KEYS.join(', ')}`,
			);
		const { eventType, data, eventId, corpId, appKey, eventBornTime } = input;
		if (typeof eventType !== 'string' || eventType.trim() === '')
			throw new EmulatorInputError('push needs eventType, e.g. "bpms_instance_change"');
		const app =
			appKey === undefined ? org().apps[0] : org().apps.find((item) => item.appKey === appKey);
		if (!app) throw new EmulatorInputError(`no DingTalk app ${JSON.stringify(appKey)}`, 404);
		let text;
		if (data === undefined) text = '{}';
		else if (typeof data === 'string') text = data;
		else if (typeof data === 'object' && data !== null) text = JSON.stringify(data);
		else throw new EmulatorInputError('data must be an object or a JSON string');
		if (eventId !== undefined && (typeof eventId !== 'string' || eventId === ''))
			throw new EmulatorInputError('eventId must be a non-empty string');
		if (corpId !== undefined && (typeof corpId !== 'string' || corpId === ''))
			throw new EmulatorInputError('corpId must be a non-empty string');
		if (eventBornTime !== undefined && !Number.isFinite(eventBornTime))
			throw new EmulatorInputError('eventBornTime must be a time in ms');
		const now = clock.now();
		/** @type {StreamEvent} */
		const event = {
			seq: events.length + 1,
			messageId: nextMessageId('event'),
			eventId: eventId ?? ids.digest('dingtalk-stream-event').toString('hex').slice(0, 32),
			eventType,
			eventBornTime: eventBornTime === undefined ? now : Number(eventBornTime),
			corpId: corpId ?? org().corpId,
			appKey: app.appKey,
			appId: unifiedAppIdOf(app.appKey),
			data: text,
			approvalEventId: null,
			pushedAt: now,
			status: 'pending',
			deliveries: [],
			acks: [],
			ackedAt: null,
			timer: null,
		};
		events.push(event);
		eventsByMessageId.set(event.messageId, event);
		deliver(event);
		notify();
		return event;
	}

	/** @param {unknown} filter */
	function approvalFilter(filter) {
		if (typeof filter === 'function')
			return { matches: /** @type {(event: unknown) => boolean} */ (filter), appKey: undefined };
		if (filter === undefined || filter === null) return { matches: () => true, appKey: undefined };
		if (!isPlainObject(filter))
			throw new EmulatorInputError('pushApprovalEvents takes a filter object or a function');
		const unknown = Object.keys(filter).filter((key) => !APPROVAL_FILTER_KEYS.includes(key));
		if (unknown.length)
			throw new EmulatorInputError(
				`unknown filter field ${unknown.join(', ')}; known: ${APPROVAL_FILTER_KEYS.join(', ')}`,
			);
		const { appKey, eventType, ...fields } = filter;
		return {
			appKey,
			matches: (/** @type {import('../dingtalk/approvals').ApprovalEvent} */ event) =>
				(eventType === undefined || event.eventType === eventType) &&
				Object.entries(fields).every(([key, value]) => event.data[key] === value),
		};
	}

	/** Approval-engine data as the Stream event body: the HTTP envelope keys move to the headers. */
	const streamData = (/** @type {Record<string, unknown>} */ data) =>
		Object.fromEntries(Object.entries(data).filter(([key]) => !HTTP_ENVELOPE_KEYS.includes(key)));

	function configure(/** @type {unknown} */ patch) {
		if (!isPlainObject(patch))
			throw new EmulatorInputError(
				`configure takes {${Object.keys(DEFAULT_CONFIG).join(', ')}} (any of them)`,
			);
		const next = { ...config };
		for (const [key, value] of Object.entries(patch)) {
			if (!(key in DEFAULT_CONFIG))
				throw new EmulatorInputError(
					`unknown stream setting ${key}; known: ${Object.keys(DEFAULT_CONFIG).join(', ')}`,
				);
			if (key === 'announce') {
				if (typeof value !== 'boolean') throw new EmulatorInputError('announce must be a boolean');
				next.announce = value;
				continue;
			}
			const minimum = key === 'ticketLifetimeMs' ? 1 : 0;
			if (!Number.isSafeInteger(value) || value < minimum)
				throw new EmulatorInputError(`${key} must be an integer ≥ ${minimum} (ms)`);
			/** @type {Record<string, unknown>} */ (next)[key] = value;
		}
		const pingChanged = next.pingIntervalMs !== config.pingIntervalMs;
		const redeliveryChanged = next.redeliverAfterMs !== config.redeliverAfterMs;
		config = next;
		if (pingChanged) for (const conn of connections.values()) startPings(conn);
		if (redeliveryChanged)
			for (const event of events)
				if (event.status === 'sent' || event.status === 'later') arm(event);
		return { ...config };
	}

	/** @param {unknown} options {how?, reason?, appKey?, connectionId?} */
	function dropConnections(options = {}) {
		if (!isPlainObject(options))
			throw new EmulatorInputError('dropConnections takes {how?, reason?, appKey?, connectionId?}');
		const {
			how = 'disconnect',
			reason = DEFAULT_DISCONNECT_REASON,
			appKey,
			connectionId,
		} = options;
		if (!['disconnect', 'close', 'terminate'].includes(how))
			throw new EmulatorInputError(
				`how must be disconnect, close or terminate, got ${JSON.stringify(how)}`,
			);
		if (typeof reason !== 'string') throw new EmulatorInputError('reason must be a string');
		const targets = [...connections.values()].filter(
			(conn) =>
				conn.state !== 'closed' &&
				(appKey === undefined || conn.appKey === appKey) &&
				(connectionId === undefined || conn.connectionId === connectionId),
		);
		if (connectionId !== undefined && targets.length === 0)
			throw new EmulatorInputError(`no open Stream connection ${String(connectionId)}`, 404);
		for (const conn of targets) drop(conn, how, reason);
		notify();
		return targets.map(connectionView);
	}

	/**
	 * Resolves (with the stats) once the condition holds: a predicate over the stats (checked on
	 * every change), or minimum counts such as {acked: 2}. Rejects after timeoutMs.
	 * @param {((stats: StreamStats) => unknown) | Partial<Record<keyof StreamStats, number>>} condition
	 * @param {number} [timeoutMs]
	 * @returns {Promise<StreamStats>}
	 */
	function waitFor(condition, timeoutMs = 5000) {
		/** @type {(stats: StreamStats) => boolean} */
		let holds;
		if (typeof condition === 'function') holds = (current) => Boolean(condition(current));
		else if (isPlainObject(condition)) {
			const known = Object.keys(stats());
			const wanted = Object.entries(condition);
			const bad = wanted.filter(([key, value]) => !known.includes(key) || !Number.isFinite(value));
			if (bad.length || wanted.length === 0)
				throw new EmulatorInputError(
					`waitFor takes a predicate or minimum counts of ${known.join(', ')}`,
				);
			holds = (current) =>
				wanted.every(([key, value]) => current[/** @type {keyof StreamStats} */ (key)] >= value);
		} else throw new EmulatorInputError('waitFor takes a predicate or {stat: minimum}');
		if (!Number.isFinite(timeoutMs) || timeoutMs < 0)
			throw new EmulatorInputError('timeoutMs must be a number of ms');
		const promise = new Promise((resolve, reject) => {
			const waiter = {
				check() {
					const current = stats();
					let ok;
					try {
						ok = holds(current);
					} catch (error) {
						finish();
						reject(error);
						return;
					}
					if (ok) {
						finish();
						resolve(current);
					}
				},
				fail(/** @type {Error} */ error) {
					finish();
					reject(error);
				},
			};
			const timer = setTimeout(
				() =>
					waiter.fail(
						new EmulatorInputError(
							`stream waitFor timed out after ${timeoutMs} ms; stats ${JSON.stringify(stats())}`,
							408,
						),
					),
				timeoutMs,
			);
			const finish = () => {
				clearTimeout(timer);
				waiters.delete(waiter);
			};
			waiters.add(waiter);
			waiter.check();
		});
		// Marked handled here so that a reset() failing a forgotten waiter cannot crash the run.
		promise.catch(() => {});
		return /** @type {Promise<StreamStats>} */ (promise);
	}

	/** Closes every socket and timer, forgets tickets, connections and events; defaults again. */
	function reset() {
		generation += 1;
		for (const conn of connections.values()) {
			stopTimers(conn);
			if (conn.state !== 'closed') {
				conn.how ??= 'reset';
				conn.ws.terminate();
			}
		}
		for (const event of events) disarm(event);
		for (const waiter of [...waiters])
			waiter.fail(new Error('the DingTalk Stream gateway was reset'));
		config = { ...DEFAULT_CONFIG };
		tickets = new Map();
		connections = new Map();
		events = [];
		eventsByMessageId = new Map();
		pushedApprovalEvents = new Set();
		refusals = [];
		counters = freshCounters();
	}

	const api = {
		/**
		 * Queues an event; returns its record. `data`: object (sent as JSON text) or a string sent
		 * as is; `eventId` default 32 hex; `corpId` default the org's; `appKey` default the
		 * primary app; `eventBornTime` default now (emulator clock).
		 * @param {{ eventType: string, data?: unknown, eventId?: string, corpId?: string, appKey?: string, eventBornTime?: number }} input
		 */
		push: (input) => eventView(push(input)),
		/**
		 * Pushes the approval engine's events (emu.dingtalk.approvals.events()) not pushed yet,
		 * oldest first, each once; `data` without the HTTP envelope keys. Filter: {eventType?,
		 * processInstanceId?, processCode?, type?} (and appKey: the receiving app), or a predicate
		 * over the engine event. Returns the pushed records.
		 * @param {{ eventType?: string, processInstanceId?: string, processCode?: string, type?: string, appKey?: string } | ((event: import('../dingtalk/approvals').ApprovalEvent) => boolean)} [filter]
		 */
		pushApprovalEvents(filter) {
			const { matches, appKey } = approvalFilter(filter);
			const pushed = [];
			for (const engineEvent of approvals.events()) {
				if (pushedApprovalEvents.has(engineEvent.eventId) || !matches(engineEvent)) continue;
				const event = push({
					eventType: engineEvent.eventType,
					eventId: engineEvent.eventId,
					corpId: engineEvent.corpId,
					eventBornTime: engineEvent.eventBornTime,
					data: streamData(engineEvent.data),
					...(appKey === undefined ? {} : { appKey }),
				});
				event.approvalEventId = engineEvent.eventId;
				pushedApprovalEvents.add(engineEvent.eventId);
				pushed.push(eventView(event));
			}
			return pushed;
		},
		/** Changes redeliverAfterMs, pingIntervalMs, disconnectCloseMs, ticketLifetimeMs, announce; returns them all. @param {Partial<StreamConfig>} patch */
		configure: (patch) => configure(patch),
		/** The settings in force. */
		config: () => ({ ...config }),
		/**
		 * Drops open connections (all, or of `appKey`, or one `connectionId`): `disconnect`
		 * (default) sends the disconnect frame with {reason} and closes after disconnectCloseMs;
		 * `close` closes cleanly (1000) now; `terminate` destroys the socket.
		 * @param {{ how?: 'disconnect'|'close'|'terminate', reason?: string, appKey?: string, connectionId?: string }} [options]
		 */
		dropConnections: (options) => dropConnections(options),
		/** Sends a ping now to every open connection (or one); returns the ping records. @param {string} [connectionId] */
		ping(connectionId) {
			const targets = [...connections.values()].filter(
				(conn) =>
					conn.state === 'open' &&
					(connectionId === undefined || conn.connectionId === connectionId),
			);
			if (connectionId !== undefined && targets.length === 0)
				throw new EmulatorInputError(`no open Stream connection ${connectionId}`, 404);
			const pings = targets.flatMap((conn) => {
				const ping = sendPing(conn);
				return ping ? [{ connectionId: conn.connectionId, ...ping }] : [];
			});
			notify();
			return pings;
		},
		/**
		 * Connections, in opening order: open ones (also those being disconnected), or with
		 * `all: true` the closed ones too; `appKey` narrows to one app.
		 * @param {{ all?: boolean, appKey?: string }} [options]
		 */
		connections({ all = false, appKey } = {}) {
			return [...connections.values()]
				.filter((conn) => (all || conn.state !== 'closed') && (!appKey || conn.appKey === appKey))
				.map(connectionView);
		},
		/** Pushed events, oldest first, with deliveries and acks. @param {{ status?: StreamEvent['status'], appKey?: string, eventType?: string }} [filter] */
		events({ status, appKey, eventType } = {}) {
			return events
				.filter(
					(event) =>
						(!status || event.status === status) &&
						(!appKey || event.appKey === appKey) &&
						(!eventType || event.eventType === eventType),
				)
				.map(eventView);
		},
		/** Tickets handed out by connections/open (with usedAt). */
		tickets: () => [...tickets.values()].map((ticket) => ({ ...ticket })),
		/** Refused WebSocket handshakes: {at, status, problem, path}. */
		refusals: () => refusals.map((item) => ({ ...item })),
		stats,
		waitFor,
	};

	const gateway = {
		api,
		open,
		handleUpgrade,
		reset,
		/** Terminates every socket and timer; later upgrades are dropped. */
		close() {
			reset();
			closed = true;
			wss.close();
		},
	};
	GATEWAYS.set(env, gateway);
	return gateway;
}

module.exports = {
	createStreamGateway,
	gatewayFor,
	OPEN_PATH,
	CONNECT_PATH,
	DEFAULT_CONFIG,
	DEFAULT_DISCONNECT_REASON,
};
