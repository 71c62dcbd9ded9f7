// @ts-check
'use strict';

const http = require('node:http');
const { readBody, parseBody, describeBody } = require('./body');
const { createRouter } = require('./router');

/**
 * The HTTP server: one listener, three platform prefixes plus the control API.
 *
 * A platform request goes through these steps, in order:
 *   record → fault (if one matches) → route lookup → token check and quota (unless the route is
 *   public; an unknown path is answered first unless the family says authBeforeRouting) → unknown
 *   path → body refusals (content type, malformed JSON) → route handler → record the answer.
 */

const CONTROL_PREFIX = '/__emulator';

/**
 * @param {object} deps
 * @param {import('./family').Family[]} deps.families
 * @param {import('./family').Env} deps.env
 * @param {import('./requestLog').RequestLog} deps.log
 * @param {import('./faults').FaultList} deps.faults
 * @param {import('./quotas').QuotaList} deps.quotas
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => Promise<void>} deps.control
 * @param {() => object} deps.describe  what GET / and unknown prefixes show (base URLs)
 */
function createEmulatorServer({ families, env, log, faults, quotas, control, describe }) {
	const routers = new Map(families.map((family) => [family, createRouter(family.routes)]));
	/** @type {Set<() => void>} */
	const pendingDelays = new Set();

	/** Real-time wait that close() can cut short. */
	const wait = (/** @type {number} */ ms) =>
		new Promise((resolve) => {
			const finish = () => {
				clearTimeout(timer);
				pendingDelays.delete(finish);
				resolve(undefined);
			};
			const timer = setTimeout(finish, ms);
			pendingDelays.add(finish);
		});

	/**
	 * The normal answer of the emulated platform.
	 * @param {import('./family').RequestContext} ctx
	 * @param {import('./family').Family} family
	 * @returns {import('./family').Reply}
	 */
	function answer(ctx, family) {
		const found = routers.get(family)?.find(ctx.method, ctx.path);
		if (!found && !family.authBeforeRouting(ctx)) return family.unknownPath(ctx);
		if (!found?.route.public) {
			const auth = family.authenticate(ctx);
			if ('reply' in auth) return auth.reply;
			ctx.app = auth.app;
			ctx.appId = auth.appId;
			// Quotas count every call that passed the token check, also to paths not emulated yet.
			const refused = quotas.admit({
				platform: ctx.platform,
				family: ctx.family,
				method: ctx.method,
				path: ctx.path,
				appId: auth.appId,
			});
			if (refused) return family.rateLimited(ctx, refused.window);
		}
		if (!found) return family.unknownPath(ctx);
		ctx.params = found.params;
		return family.checkBody(ctx) ?? found.route.handler(ctx);
	}

	/**
	 * The answer a fault imposes; null means "drop the connection".
	 * @param {import('./faults').Fault} fault
	 * @param {import('./family').RequestContext} ctx
	 * @param {import('./family').Family} family
	 * @returns {import('./family').Reply | null}
	 */
	function faultAnswer(fault, ctx, family) {
		switch (fault.kind) {
			case 'reset':
				return null;
			case 'status':
				if (fault.body === undefined) {
					const page = gatewayErrorPage(Number(fault.status));
					return { ...page, headers: { ...page.headers, ...fault.headers } };
				}
				return { status: fault.status, body: fault.body, headers: fault.headers };
			case 'invalidToken':
				return family.tokenError(ctx, fault.reason ?? 'invalid');
			case 'rateLimit':
				return family.rateLimited(ctx, fault.window ?? 'second');
			case 'errcode':
				return family.customError(ctx, fault);
			default:
				throw new Error(`fault kind ${fault.kind} has no answer`);
		}
	}

	/**
	 * @param {import('node:http').IncomingMessage} req
	 * @param {import('node:http').ServerResponse} res
	 * @param {import('./family').Family} family
	 * @param {URL} url
	 */
	async function handlePlatformRequest(req, res, family, url) {
		const bodyInfo = parseBody(await readBody(req), req.headers['content-type']);
		/** @type {import('./family').RequestContext} */
		const ctx = {
			platform: family.platform,
			family: family.name,
			method: (req.method ?? 'GET').toUpperCase(),
			path: url.pathname.slice(family.prefix.length) || '/',
			query: Object.fromEntries(url.searchParams),
			headers: req.headers,
			bodyInfo,
			body: bodyInfo.value,
			params: {},
			remoteAddress: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
			env,
		};
		const entry = log.start({
			time: env.clock.now(),
			platform: ctx.platform,
			family: ctx.family,
			method: ctx.method,
			path: ctx.path,
			query: ctx.query,
			headers: { ...req.headers },
			body: describeBody(bodyInfo),
		});

		const fault = faults.take(ctx);
		if (fault?.kind === 'delay') await wait(Number(fault.ms));
		const imposed = fault && fault.kind !== 'delay';
		let reply;
		try {
			reply = imposed ? faultAnswer(fault, ctx, family) : answer(ctx, family);
		} catch (error) {
			// An emulator bug must not look like a platform answer.
			console.error('[emulator] handler failed:', error);
			reply = {
				status: 500,
				body: { emulatorError: String(/** @type {Error} */ (error)?.stack ?? error) },
			};
		}
		if (reply === null) {
			log.finish(entry, 0, null, fault?.kind);
			req.socket.destroy();
			return;
		}
		sendReply(res, reply);
		log.finish(entry, reply.status ?? 200, reply.body, fault?.kind);
	}

	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://emulator.invalid');
		const family = families.find(
			(item) => url.pathname === item.prefix || url.pathname.startsWith(`${item.prefix}/`),
		);
		let work;
		if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`))
			work = control(req, res, url);
		else if (family) work = handlePlatformRequest(req, res, family, url);
		else
			work = Promise.resolve(
				sendReply(res, { status: url.pathname === '/' ? 200 : 404, body: describe() }),
			);
		work.catch((error) => {
			console.error('[emulator] request failed:', error);
			if (!res.headersSent) sendReply(res, { status: 500, body: { emulatorError: String(error) } });
			else res.destroy();
		});
	});

	return {
		server,
		/** Ends pending `delay` faults so that close() does not wait for them. */
		cancelDelays() {
			for (const finish of [...pendingDelays]) finish();
		},
	};
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {import('./family').Reply} reply
 */
function sendReply(res, reply) {
	const { status = 200, body, headers = {} } = reply;
	const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
	let payload;
	let type;
	if (Buffer.isBuffer(body)) {
		payload = body;
		type = 'application/octet-stream';
	} else if (typeof body === 'string') {
		payload = Buffer.from(body);
		type = 'text/plain; charset=utf-8';
	} else if (body === undefined) {
		payload = Buffer.alloc(0);
		type = 'text/plain; charset=utf-8';
	} else {
		payload = Buffer.from(JSON.stringify(body));
		type = 'application/json;charset=utf-8';
	}
	res.writeHead(status, {
		...(hasType ? {} : { 'content-type': type }),
		'content-length': payload.length,
		...headers,
	});
	res.end(payload);
}

/** What a reverse proxy in front of the platform answers for a status fault without a body. */
function gatewayErrorPage(/** @type {number} */ status) {
	const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
	return {
		status,
		body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>emulator</center>\r\n</body>\r\n</html>\r\n`,
		headers: { 'content-type': 'text/html; charset=utf-8' },
	};
}

module.exports = { createEmulatorServer, sendReply, CONTROL_PREFIX };
