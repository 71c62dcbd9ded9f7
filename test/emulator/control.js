// @ts-check
'use strict';

const { createRouter } = require('./router');
const { readBody } = require('./body');
const { sendReply, CONTROL_PREFIX } = require('./server');
const { EmulatorInputError } = require('./inputError');
const { DINGTALK_ROBOT_CONTROL_ROUTES } = require('./dingtalk/robot');
const { WECOM_ROBOT_CONTROL_ROUTES } = require('./wecom/robot');
const { DINGTALK_APPROVAL_CONTROL_ROUTES } = require('./dingtalk/approvals');
const { WECOM_APPROVAL_CONTROL_ROUTES } = require('./wecom/approvals');
const { CALLBACK_DELIVERY_CONTROL_ROUTES } = require('./callbacks/control');
const { DINGTALK_STREAM_CONTROL_ROUTES } = require('./stream/routes');

/**
 * The control API under /__emulator/: the programmatic controls over HTTP (JSON in, JSON out), for
 * tests that drive the emulator from another process. Errors: HTTP 400/404/409 `{ error }`.
 * README.md lists the routes; `GET /__emulator` lists them too.
 *
 * @typedef {import('./index').Emulator} Emulator
 * @typedef {{ params: Record<string, string>, query: Record<string, string>, body: any }} ControlInput
 * @typedef {{ method: string, path: string, summary: string, handler: (emu: Emulator, input: ControlInput) => unknown }} ControlRoute
 */

/** Query parameters of GET /requests → a request filter (path keeps the `*` / `^` forms). */
function requestFilter(/** @type {Record<string, string>} */ query) {
	const { platform, family, path, method, since } = query;
	return {
		...(platform ? { platform: /** @type {'dingtalk'|'wecom'} */ (platform) } : {}),
		...(family ? { family: /** @type {'oapi'|'api'|'qyapi'} */ (family) } : {}),
		...(path ? { path } : {}),
		...(method ? { method } : {}),
		...(since ? { since: Number(since) } : {}),
	};
}

const asList = (/** @type {unknown} */ body) => (Array.isArray(body) ? body : [body]);

/** Query parameters of GET /callbacks → a callback-log filter. */
function callbackFilter(/** @type {Record<string, string>} */ query) {
	const { platform, kind, since } = query;
	return {
		...(platform ? { platform: /** @type {'dingtalk'|'wecom'} */ (platform) } : {}),
		...(kind ? { kind: /** @type {import('./callbacks/log').CallbackKind} */ (kind) } : {}),
		...(since ? { since: Number(since) } : {}),
	};
}

/** @type {ControlRoute[]} */
const ROUTES = [
	{
		method: 'GET',
		path: '',
		summary: 'this overview',
		handler: (emu) => ({
			baseUrls: emu.baseUrls,
			routes: ROUTES.map(
				({ method, path, summary }) => `${method} ${CONTROL_PREFIX}${path}  ${summary}`,
			),
		}),
	},
	{
		method: 'POST',
		path: '/reset',
		summary:
			'back to the seeded state (org, tokens, tasks, messages, faults, quotas, request log, settings, clock)',
		handler: (emu) => (emu.reset(), { reset: true }),
	},
	{
		method: 'GET',
		path: '/state',
		summary: 'the whole in-memory state',
		handler: (emu) => emu.state,
	},
	{
		method: 'GET',
		path: '/seed',
		summary: 'seeded credentials and ids (emu.seed)',
		handler: (emu) => emu.seed,
	},
	{
		method: 'POST',
		path: '/seed/:platform/:kind',
		summary:
			'add a record: dingtalk apps|users|departments|robots, wecom corps|apps|users|departments|tags|robots',
		handler: (emu, { params, body }) =>
			emu.addSeed(/** @type {any} */ (params.platform), params.kind, body),
	},

	{
		method: 'GET',
		path: '/requests',
		summary: 'recorded requests; ?platform=&family=&method=&path=&since=',
		handler: (emu, { query }) => ({ requests: emu.requests(requestFilter(query)) }),
	},
	{
		method: 'DELETE',
		path: '/requests',
		summary: 'forget recorded requests',
		handler: (emu) => (emu.clearRequests(), { cleared: true }),
	},

	{
		method: 'GET',
		path: '/faults',
		summary: 'pending faults',
		handler: (emu) => ({ faults: emu.faults.list() }),
	},
	{
		method: 'POST',
		path: '/faults',
		summary: 'add a fault spec (or an array of them)',
		handler: (emu, { body }) => ({ faults: asList(body).map((spec) => emu.faults.add(spec)) }),
	},
	{
		method: 'DELETE',
		path: '/faults',
		summary: 'remove all faults',
		handler: (emu) => (emu.faults.clear(), { cleared: true }),
	},

	{
		method: 'GET',
		path: '/quotas',
		summary: 'quotas in force',
		handler: (emu) => ({ quotas: emu.quotas.list() }),
	},
	{
		method: 'POST',
		path: '/quotas',
		summary: 'set a quota spec (or an array of them)',
		handler: (emu, { body }) => ({ quotas: asList(body).map((spec) => emu.quotas.set(spec)) }),
	},
	{
		method: 'DELETE',
		path: '/quotas',
		summary: 'remove all quotas',
		handler: (emu) => (emu.quotas.clear(), { cleared: true }),
	},

	{
		method: 'GET',
		path: '/tokens',
		summary: 'issued tokens and lifetimes',
		handler: (emu) => ({
			lifetimes: { dingtalk: emu.tokens.lifetime('dingtalk'), wecom: emu.tokens.lifetime('wecom') },
			tokens: emu.tokens.list(),
		}),
	},
	{
		method: 'POST',
		path: '/tokens/expire',
		summary: '{platform?}: every issued token expires now',
		handler: (emu, { body }) => ({ expired: emu.tokens.expireAll(body?.platform) }),
	},
	{
		method: 'POST',
		path: '/tokens/lifetime',
		summary: '{platform, seconds}: expires_in of tokens issued from now on',
		handler: (emu, { body }) => {
			emu.tokens.setLifetime(body?.platform, Number(body?.seconds));
			return { platform: body.platform, seconds: emu.tokens.lifetime(body.platform) };
		},
	},

	{
		method: 'GET',
		path: '/settings',
		summary: 'behaviour switches',
		handler: (emu) => emu.settings.get(),
	},
	{
		method: 'PATCH',
		path: '/settings',
		summary: 'change switches, e.g. {"dingtalk":{"recipientLimits":"sdk"}}',
		handler: (emu, { body }) => emu.settings.set(body),
	},
	{
		method: 'POST',
		path: '/settings',
		summary: 'same as PATCH',
		handler: (emu, { body }) => emu.settings.set(body),
	},

	{
		method: 'GET',
		path: '/clock',
		summary: 'emulated time',
		handler: (emu) => emu.clock.describe(),
	},
	{
		method: 'POST',
		path: '/clock/advance',
		summary: '{ms}: move emulated time forward',
		handler: (emu, { body }) => (emu.clock.advance(Number(body?.ms)), emu.clock.describe()),
	},
	{
		method: 'POST',
		path: '/clock/freeze',
		summary: '{at?}: stop the clock (at ms since epoch)',
		handler: (emu, { body }) => (emu.clock.freeze(body?.at), emu.clock.describe()),
	},
	{
		method: 'POST',
		path: '/clock/real',
		summary: 'back to real time',
		handler: (emu) => (emu.clock.useRealTime(), emu.clock.describe()),
	},

	{
		method: 'GET',
		path: '/dingtalk/tasks',
		summary: 'work-notification tasks',
		handler: (emu) => ({ tasks: emu.dingtalk.tasks() }),
	},
	{
		method: 'GET',
		path: '/dingtalk/tasks/:taskId',
		summary: 'one task',
		handler: (emu, { params }) => emu.dingtalk.task(params.taskId),
	},
	{
		method: 'POST',
		path: '/dingtalk/tasks/:taskId/read',
		summary: '{userIds?}: recipients read the message (default: all)',
		handler: (emu, { params, body }) => emu.dingtalk.markTaskRead(params.taskId, body?.userIds),
	},
	{
		method: 'POST',
		path: '/dingtalk/tasks/:taskId/progress',
		summary: '{progress_in_percent?, status?}: what getsendprogress reports',
		handler: (emu, { params, body }) => emu.dingtalk.setTaskProgress(params.taskId, body),
	},

	{
		method: 'GET',
		path: '/wecom/messages',
		summary: 'app messages sent',
		handler: (emu) => ({ messages: emu.wecom.messages() }),
	},
	{
		method: 'GET',
		path: '/wecom/messages/:msgid',
		summary: 'one app message',
		handler: (emu, { params }) => emu.wecom.message(params.msgid),
	},

	...DINGTALK_ROBOT_CONTROL_ROUTES,
	...WECOM_ROBOT_CONTROL_ROUTES,
	...DINGTALK_APPROVAL_CONTROL_ROUTES,
	...WECOM_APPROVAL_CONTROL_ROUTES,
	...CALLBACK_DELIVERY_CONTROL_ROUTES,
	...DINGTALK_STREAM_CONTROL_ROUTES,

	{
		method: 'GET',
		path: '/callbacks',
		summary: 'callback log (the emulator calling receivers); ?platform=&kind=&since=',
		handler: (emu, { query }) => ({ callbacks: emu.callbacks.log(callbackFilter(query)) }),
	},
	{
		method: 'DELETE',
		path: '/callbacks',
		summary: 'forget the callback log',
		handler: (emu) => (emu.callbacks.clearLog(), { cleared: true }),
	},
	{
		method: 'GET',
		path: '/callbacks/config',
		summary: 'default receiver settings (token, keys, corpId/ownerKey) callbacks use',
		handler: (emu) => emu.callbacks.config,
	},
	{
		method: 'POST',
		path: '/callbacks/wecom/verify-url',
		summary: '{url, …}: WeCom URL verification (GET with echostr); answers the log entry',
		handler: (emu, { body }) => emu.callbacks.wecom.verifyUrl(body),
	},
	{
		method: 'POST',
		path: '/callbacks/wecom/deliver',
		summary: '{url, message?|approval?, forge?, …}: WeCom event POST; answers the log entry',
		handler: (emu, { body }) => emu.callbacks.wecom.deliver(body),
	},
	{
		method: 'POST',
		path: '/callbacks/wecom/approval-event',
		summary: '{…options}: the sys_approval_change plaintext deliver would send',
		handler: (emu, { body }) => ({ plaintext: emu.callbacks.wecom.approvalEvent(body ?? {}) }),
	},
	{
		method: 'POST',
		path: '/callbacks/dingtalk/check-url',
		summary: '{url, …}: DingTalk check_url POST; answers the log entry',
		handler: (emu, { body }) => emu.callbacks.dingtalk.checkUrl(body),
	},
	{
		method: 'POST',
		path: '/callbacks/dingtalk/deliver',
		summary: '{url, event?|approval?, forge?, …}: DingTalk event POST; answers the log entry',
		handler: (emu, { body }) => emu.callbacks.dingtalk.deliver(body),
	},
	{
		method: 'POST',
		path: '/callbacks/dingtalk/approval-event',
		summary: '{eventType?, type?, …}: the approval event object deliver would send',
		handler: (emu, { body }) => emu.callbacks.dingtalk.approvalEvent(body ?? {}),
	},
	{
		method: 'GET',
		path: '/callbacks/:id',
		summary: 'one callback-log entry',
		handler: (emu, { params }) => emu.callbacks.get(params.id),
	},
	{
		method: 'POST',
		path: '/callbacks/:id/redeliver',
		summary: '{waitMs?}: send the same bytes again; answers the new log entry',
		handler: (emu, { params, body }) => emu.callbacks.redeliver(params.id, body ?? {}),
	},
];

/**
 * @param {() => Emulator} getEmulator
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => Promise<void>}
 */
function createControlHandler(getEmulator) {
	const router = createRouter(
		ROUTES.map((route) => ({ ...route, path: `${CONTROL_PREFIX}${route.path}` })),
	);
	return async (req, res, url) => {
		const raw = (await readBody(req)).toString('utf8');
		const found = router.find(
			(req.method ?? 'GET').toUpperCase(),
			url.pathname.replace(/\/$/, '') || CONTROL_PREFIX,
		);
		if (!found) {
			sendReply(res, {
				status: 404,
				body: {
					error: `no control route ${req.method} ${url.pathname}; GET ${CONTROL_PREFIX} lists them`,
				},
			});
			return;
		}
		try {
			let body;
			try {
				body = raw.trim() ? JSON.parse(raw) : undefined;
			} catch {
				throw new EmulatorInputError('the request body is not valid JSON');
			}
			const result = await found.route.handler(getEmulator(), {
				params: found.params,
				query: Object.fromEntries(url.searchParams),
				body,
			});
			sendReply(res, { status: 200, body: result ?? {} });
		} catch (error) {
			if (!(error instanceof EmulatorInputError)) throw error;
			sendReply(res, { status: error.status, body: { error: error.message } });
		}
	};
}

module.exports = { createControlHandler };
