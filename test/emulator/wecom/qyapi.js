// @ts-check
'use strict';

const { CODES, WRONG_JSON, weComError, weComOk, codeByNumber } = require('./errors');
const { CONTACTS_ROUTES } = require('./contacts');
const { APP_MESSAGE_ROUTES } = require('./appMessage');
const { WEBHOOK_ROUTES, ownsBodyChecks } = require('./robot');
const { APPROVAL_ROUTES } = require('./approvals');

/**
 * WeCom server API, https://qyapi.weixin.qq.com → `${emu.url}/wecom`.
 * Token in the `access_token` query parameter; every answer is HTTP 200 with errcode
 * (https://developer.work.weixin.qq.com/document/path/91039, https://developer.work.weixin.qq.com/document/path/90313),
 * except unknown paths (HTTP 404, emulator choice).
 *
 * @typedef {import('../family').RequestContext} RequestContext
 */

/** Tokens belong to one app: "corpId/agentId". */
const tokenOwner = (/** @type {{ corpId: string, agentId: number }} */ app) =>
	`${app.corpId}/${app.agentId}`;

/** GET /cgi-bin/gettoken?corpid=&corpsecret= */
function getToken(/** @type {RequestContext} */ ctx) {
	const world = ctx.env.state.wecom;
	const { corpid, corpsecret } = ctx.query;
	if (!corpid || !world.corps.some((corp) => corp.corpId === corpid))
		return weComError(ctx, CODES.invalidCorpId);
	if (!corpsecret) return weComError(ctx, CODES.missingSecret);
	const app = world.apps.find((item) => item.corpId === corpid && item.secret === corpsecret);
	if (!app)
		return weComError(
			ctx,
			world.apps.some((item) => item.secret === corpsecret)
				? CODES.otherCorpSecret
				: CODES.invalidSecret,
		);
	const { token, expiresIn } = ctx.env.tokens.issue('wecom', tokenOwner(app));
	return weComOk({ access_token: token, expires_in: expiresIn });
}

/** @type {import('../family').Family} */
const qyapiFamily = {
	platform: 'wecom',
	name: 'qyapi',
	prefix: '/wecom',
	authBeforeRouting: () => true,
	routes: [
		{ method: 'GET', path: '/cgi-bin/gettoken', public: true, handler: getToken },
		...APP_MESSAGE_ROUTES,
		...CONTACTS_ROUTES,
		...APPROVAL_ROUTES,
		...WEBHOOK_ROUTES,
	],

	authenticate(ctx) {
		const token = ctx.query.access_token;
		if (!token) return { reply: qyapiFamily.tokenError(ctx, 'missing') };
		const check = ctx.env.tokens.check('wecom', token);
		if (check.status !== 'valid')
			return {
				reply: qyapiFamily.tokenError(ctx, check.status === 'expired' ? 'expired' : 'invalid'),
			};
		const app = ctx.env.state.wecom.apps.find((item) => tokenOwner(item) === check.record.owner);
		if (!app) return { reply: qyapiFamily.tokenError(ctx, 'invalid') };
		return { app, appId: app.corpId };
	},

	/** WeCom reads JSON whatever the Content-Type (clients send text/plain); XML and uploads pass. */
	checkBody(ctx) {
		const { kind, mediaType, malformedJson } = ctx.bodyInfo;
		if (
			kind === 'empty' ||
			kind === 'multipart' ||
			mediaType.includes('xml') ||
			ownsBodyChecks(ctx)
		)
			return undefined;
		if (kind === 'json' && !malformedJson) return undefined;
		return weComError(ctx, CODES.badParameter, WRONG_JSON);
	},

	tokenError(ctx, reason) {
		return weComError(
			ctx,
			{ missing: CODES.missingToken, invalid: CODES.invalidToken, expired: CODES.expiredToken }[
				reason
			],
		);
	},

	rateLimited: (ctx) => weComError(ctx, CODES.freqLimit),

	unknownPath: (ctx) => ({
		status: 404,
		body: {
			errcode: 404,
			errmsg: `not found: ${ctx.method} ${ctx.path} is not an emulated WeCom API`,
		},
	}),

	customError(ctx, spec) {
		if (spec.errmsg !== undefined)
			return { body: { errcode: Number(spec.errcode), errmsg: spec.errmsg } };
		const errcode = Number(spec.errcode);
		return weComError(ctx, codeByNumber(errcode) ?? { errcode, errmsg: 'emulated error' });
	},
};

module.exports = { qyapiFamily };
