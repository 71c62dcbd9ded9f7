// @ts-check
'use strict';

const { apiError } = require('./errors');
const { appForToken } = require('./auth');
const { CONTACT_SEARCH_ROUTES } = require('./contactSearch');
const { APPROVAL_ROUTES } = require('./approvals');
const { STREAM_ROUTES } = require('../stream/routes');
const { isPlainObject } = require('../values');

/**
 * DingTalk new API, https://api.dingtalk.com → `${emu.url}/dingtalk/api`.
 * Token only in the `x-acs-dingtalk-access-token` header, as the official SDK sends it
 * (https://github.com/aliyun/dingtalk-sdk/blob/master/dingtalk/ts/src/workflow_1_0/client.ts);
 * `?access_token=` and Bearer are ignored (observed live by third parties). Errors are HTTP
 * 4xx/5xx with `{code, message, requestid}` (https://open.dingtalk.com/document/development/server-api-error-codes-1).
 *
 * @typedef {import('../family').RequestContext} RequestContext
 */

const TOKEN_HEADER = 'x-acs-dingtalk-access-token';

/** POST /v1.0/oauth2/accessToken {appKey, appSecret} → {accessToken, expireIn} */
function accessToken(/** @type {RequestContext} */ ctx) {
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const app = ctx.env.state.dingtalk.apps.find(
		(item) => item.appKey === body.appKey && item.appSecret === body.appSecret,
	);
	if (!app) return apiError(ctx, 400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
	const { token, expiresIn } = ctx.env.tokens.issue('dingtalk', app.appKey);
	return { body: { accessToken: token, expireIn: expiresIn } };
}

/** @type {import('../family').Family} */
const apiFamily = {
	platform: 'dingtalk',
	name: 'api',
	prefix: '/dingtalk/api',
	// Emulator choice: the token is checked first, so auth handling can be tested on any /v1.0 path.
	authBeforeRouting: () => true,
	routes: [
		{ method: 'POST', path: '/v1.0/oauth2/accessToken', public: true, handler: accessToken },
		...CONTACT_SEARCH_ROUTES,
		...APPROVAL_ROUTES,
		...STREAM_ROUTES,
	],

	authenticate(ctx) {
		const header = ctx.headers[TOKEN_HEADER];
		const found = appForToken(ctx, Array.isArray(header) ? header[0] : header);
		if ('reason' in found) return { reply: apiFamily.tokenError(ctx, found.reason) };
		return { app: found.app, appId: found.app.appKey };
	},

	/** The new API speaks JSON only (whatever the Content-Type says). */
	checkBody(ctx) {
		const { kind, malformedJson } = ctx.bodyInfo;
		if (kind === 'empty' || (kind === 'json' && !malformedJson)) return undefined;
		return apiError(ctx, 400, 'InvalidParameter', '请求体必须是合法的 JSON');
	},

	tokenError(ctx, reason) {
		if (reason === 'missing')
			return apiError(
				ctx,
				400,
				'AuthenticationFailed.MissingParameter',
				`缺少参数 ${TOKEN_HEADER}`,
			);
		return apiError(
			ctx,
			ctx.env.state.settings.dingtalk.invalidAuthenticationStatus,
			'InvalidAuthentication',
			'不合法的access_token',
		);
	},

	rateLimited(ctx, window) {
		const code =
			window === 'minute'
				? 'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi'
				: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi';
		return apiError(ctx, 403, code, '您的企业应用调用钉钉开放平台当前接口的所有请求都被暂时禁用了');
	},

	unknownPath: (ctx) =>
		apiError(ctx, 404, 'error.notFound', `接口路径错误 ${ctx.method} ${ctx.path}`),

	customError: (ctx, spec) =>
		apiError(
			ctx,
			Number(spec.httpStatus ?? 400),
			String(spec.code ?? spec.errcode),
			String(spec.message ?? spec.errmsg ?? 'emulated error'),
		),
};

module.exports = { apiFamily };
