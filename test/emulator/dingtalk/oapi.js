// @ts-check
'use strict';

const {
	OAPI,
	BAD_CREDENTIALS_MESSAGES,
	oapiAnswer,
	oapiError,
	wrappedAuthError,
	badParameter,
} = require('./errors');
const { appForToken } = require('./auth');
const { WORK_NOTIFICATION_ROUTES } = require('./workNotification');
const { ROBOT_ROUTES, ownsBodyChecks } = require('./robot');
const { CONTACTS_ROUTES } = require('./contacts');

/**
 * DingTalk old API, https://oapi.dingtalk.com → `${emu.url}/dingtalk/oapi`.
 * Token in the `access_token` query parameter (https://open.dingtalk.com/document/development/asynchronous-sending-of-enterprise-session-messages);
 * headers are ignored (observed live by third parties). Errors are HTTP 200 with errcode
 * (https://open.dingtalk.com/document/development/server-api-error-codes-1); `/topapi/...` wraps token errors in errcode 88 with
 * the real code in sub_code (observed live by third parties, not documented).
 *
 * @typedef {import('../family').RequestContext} RequestContext
 */

const isTopapi = (/** @type {RequestContext} */ ctx) => ctx.path.startsWith('/topapi/');

/** GET /gettoken?appkey=&appsecret= (legacy corpid/corpsecret are read as appkey/appsecret). */
function getToken(/** @type {RequestContext} */ ctx) {
	const { state, tokens } = ctx.env;
	const appKey = ctx.query.appkey ?? ctx.query.corpid;
	const appSecret = ctx.query.appsecret ?? ctx.query.corpsecret;
	const app = state.dingtalk.apps.find(
		(item) => item.appKey === appKey && item.appSecret === appSecret,
	);
	if (!app) {
		const errcode = state.settings.dingtalk.badCredentialsErrcode;
		return { body: { errcode, errmsg: BAD_CREDENTIALS_MESSAGES[errcode] } };
	}
	const { token, expiresIn } = tokens.issue('dingtalk', app.appKey);
	return { body: { errcode: 0, access_token: token, errmsg: 'ok', expires_in: expiresIn } };
}

/** @type {import('../family').Family} */
const oapiFamily = {
	platform: 'dingtalk',
	name: 'oapi',
	prefix: '/dingtalk/oapi',
	// The TOP gateway names an unknown topapi API before it looks at the token (observed: errcode 22
	// without a token). Other old paths check the token first (emulator choice, like v1.0).
	authBeforeRouting: (ctx) => !isTopapi(ctx),
	routes: [
		{ method: 'GET', path: '/gettoken', public: true, handler: getToken },
		...WORK_NOTIFICATION_ROUTES,
		...CONTACTS_ROUTES,
		...ROBOT_ROUTES,
	],

	authenticate(ctx) {
		const found = appForToken(ctx, ctx.query.access_token);
		if ('reason' in found) return { reply: oapiFamily.tokenError(ctx, found.reason) };
		return { app: found.app, appId: found.app.appKey };
	},

	/** JSON, form-urlencoded (the curl samples of the doc pages and the TOP SDK) and multipart are accepted. */
	checkBody(ctx) {
		const { kind, mediaType, malformedJson } = ctx.bodyInfo;
		if (kind === 'empty' || ownsBodyChecks(ctx)) return undefined;
		const accepted =
			mediaType.includes('json') ||
			mediaType === 'application/x-www-form-urlencoded' ||
			mediaType === 'multipart/form-data';
		if (!accepted) return oapiError(ctx, OAPI.badContentType);
		if (malformedJson) return badParameter(ctx, '请求体不是合法的 JSON');
		return undefined;
	},

	tokenError(ctx, reason) {
		if (isTopapi(ctx)) {
			return reason === 'missing'
				? wrappedAuthError(ctx, '40000', 'access_token is blank')
				: wrappedAuthError(ctx, '40014', OAPI.invalidToken.errmsg);
		}
		const code = {
			missing: OAPI.missingToken,
			invalid: OAPI.invalidToken,
			expired: OAPI.expiredToken,
		}[reason];
		return { body: { errcode: code.errcode, errmsg: code.errmsg } };
	},

	rateLimited: (ctx) => oapiError(ctx, OAPI.appQpsLimit),

	unknownPath(ctx) {
		if (isTopapi(ctx)) {
			// Observed on oapi.dingtalk.com for an unknown topapi path.
			const apiName = `dingtalk.oapi.${ctx.path.slice('/topapi/'.length).split('/').filter(Boolean).join('.')}`;
			const subMsg = `不合法ApiName，ApiName = ${apiName}`;
			return oapiAnswer(ctx, {
				errcode: 22,
				sub_msg: subMsg,
				errmsg: `Invalid method[submsg=${subMsg}]`,
			});
		}
		return {
			status: 404,
			body: { errcode: OAPI.unknownPath.errcode, errmsg: OAPI.unknownPath.errmsg },
		};
	},

	customError(ctx, spec) {
		const subCode = spec.sub_code === undefined ? undefined : String(spec.sub_code);
		const subMsg = spec.sub_msg ?? '';
		const errmsg =
			spec.errmsg ??
			(subCode ? `ding talk error[subcode=${subCode},submsg=${subMsg}]` : 'emulated error');
		return oapiAnswer(ctx, {
			errcode: Number(spec.errcode),
			...(subCode ? { sub_code: subCode, sub_msg: subMsg } : {}),
			errmsg,
		});
	},
};

module.exports = { oapiFamily };
