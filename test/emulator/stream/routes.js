// @ts-check
'use strict';

const { gatewayFor, OPEN_PATH } = require('./gateway');

/**
 * Routes of the DingTalk Stream gateway: the platform route (spread into the DingTalk new-API
 * family, dingtalk/api.js) and the control-API routes (spread into control.js ROUTES).
 */

/**
 * POST /v1.0/gateway/connections/open: public (clientId/clientSecret in the body, no token).
 * @type {import('../family').Route[]}
 */
const STREAM_ROUTES = [
	{
		method: 'POST',
		path: OPEN_PATH,
		public: true,
		handler: (ctx) => gatewayFor(ctx.env).open(ctx),
	},
];

/** `"true"`/`"1"` query values. */
const isTrue = (/** @type {string | undefined} */ value) => value === 'true' || value === '1';

/** @type {import('../control').ControlRoute[]} */
const DINGTALK_STREAM_CONTROL_ROUTES = [
	{
		method: 'POST',
		path: '/dingtalk/stream/push',
		summary: '{eventType, data, eventId?, corpId?, appKey?, eventBornTime?}: queue a Stream event',
		handler: (emu, { body }) => emu.dingtalk.stream.push(body),
	},
	{
		method: 'POST',
		path: '/dingtalk/stream/push-approval-events',
		summary:
			'{eventType?, processInstanceId?, processCode?, type?, appKey?}: push the approval events not pushed yet',
		handler: (emu, { body }) => ({ events: emu.dingtalk.stream.pushApprovalEvents(body ?? {}) }),
	},
	{
		method: 'GET',
		path: '/dingtalk/stream/config',
		summary: 'Stream gateway settings (redeliverAfterMs, pingIntervalMs, disconnectCloseMs…)',
		handler: (emu) => emu.dingtalk.stream.config(),
	},
	{
		method: 'POST',
		path: '/dingtalk/stream/configure',
		summary:
			'{redeliverAfterMs?, pingIntervalMs?, disconnectCloseMs?, ticketLifetimeMs?, announce?}',
		handler: (emu, { body }) => emu.dingtalk.stream.configure(body),
	},
	{
		method: 'POST',
		path: '/dingtalk/stream/drop',
		summary:
			'{how?: disconnect|close|terminate, reason?, appKey?, connectionId?}: drop connections',
		handler: (emu, { body }) => ({ connections: emu.dingtalk.stream.dropConnections(body ?? {}) }),
	},
	{
		method: 'POST',
		path: '/dingtalk/stream/ping',
		summary: '{connectionId?}: send a ping now',
		handler: (emu, { body }) => ({ pings: emu.dingtalk.stream.ping(body?.connectionId) }),
	},
	{
		method: 'GET',
		path: '/dingtalk/stream/connections',
		summary: 'open Stream connections; ?all=true (closed too)&appKey=',
		handler: (emu, { query }) => ({
			connections: emu.dingtalk.stream.connections({
				all: isTrue(query.all),
				...(query.appKey ? { appKey: query.appKey } : {}),
			}),
		}),
	},
	{
		method: 'GET',
		path: '/dingtalk/stream/events',
		summary: 'pushed Stream events with deliveries and acks; ?status=&appKey=&eventType=',
		handler: (emu, { query }) => ({
			events: emu.dingtalk.stream.events({
				...(query.status ? { status: /** @type {any} */ (query.status) } : {}),
				...(query.appKey ? { appKey: query.appKey } : {}),
				...(query.eventType ? { eventType: query.eventType } : {}),
			}),
		}),
	},
	{
		method: 'GET',
		path: '/dingtalk/stream/stats',
		summary: '{pushed, deliveries, redeliveries, acked, pending, unacked, connectionsOpened, …}',
		handler: (emu) => emu.dingtalk.stream.stats(),
	},
	{
		method: 'POST',
		path: '/dingtalk/stream/wait',
		summary:
			'{until: {acked: 2, …}, timeoutMs?}: answers the stats once they reach the counts (408 on timeout)',
		handler: (emu, { body }) =>
			emu.dingtalk.stream.waitFor(body?.until ?? {}, body?.timeoutMs ?? 5000),
	},
];

module.exports = { STREAM_ROUTES, DINGTALK_STREAM_CONTROL_ROUTES };
