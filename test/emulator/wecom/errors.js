// @ts-check
'use strict';

/**
 * WeCom answers: always HTTP 200, `{errcode, errmsg}`. Real error messages carry a hint, the
 * caller's IP and a help link ("…, hint: [...], from ip: x, more info at …?e=CODE"); the emulator
 * adds the same tail (deterministic hint). Codes: https://developer.work.weixin.qq.com/document/path/90313 (global),
 * https://developer.work.weixin.qq.com/document/path/91039 (gettoken), https://developer.work.weixin.qq.com/document/path/90236 (message/send).
 */

const CODES = {
	invalidToken: { errcode: 40014, errmsg: 'invalid access_token' },
	expiredToken: { errcode: 42001, errmsg: 'access_token expired' },
	missingToken: { errcode: 41001, errmsg: 'access_token missing' },
	invalidCorpId: { errcode: 40013, errmsg: 'invalid corpid' },
	invalidSecret: { errcode: 40001, errmsg: 'invalid credential' },
	missingSecret: { errcode: 41004, errmsg: 'corpsecret missing' },
	otherCorpSecret: { errcode: 40091, errmsg: 'secret is invalid' },
	invalidAgentId: { errcode: 40056, errmsg: 'invalid agentid' },
	badParameter: { errcode: 40035, errmsg: 'invalid parameter' },
	allRecipientsInvalid: { errcode: 81013, errmsg: 'user & party & tag all invalid' },
	freqLimit: { errcode: 45009, errmsg: 'api freq out of limit' },
};

/** Marker WeCom puts into errmsg when the JSON did not parse (https://developer.work.weixin.qq.com/document/path/90455). */
const WRONG_JSON = 'Warning: wrong json format.';

/**
 * @param {import('../family').RequestContext} ctx
 * @param {{ errcode: number, errmsg: string }} code
 * @param {string} [detail] what exactly is wrong (emulator addition, after the base message)
 * @returns {import('../family').Reply}
 */
function weComError(ctx, code, detail) {
	const hint = `${Math.floor(ctx.env.clock.now() / 1000)}_${ctx.env.ids.next('wecom-hint')}_${ctx.env.ids.digest('wecom-hint').toString('hex').slice(0, 32)}`;
	const base = detail ? `${code.errmsg}, ${detail}` : code.errmsg;
	return {
		body: {
			errcode: code.errcode,
			errmsg: `${base}, hint: [${hint}], from ip: ${ctx.remoteAddress}, more info at https://open.work.weixin.qq.com/devtool/query?e=${code.errcode}`,
		},
	};
}

/** `{errcode: 0, errmsg: "ok", ...fields}` */
function weComOk(/** @type {Record<string, unknown>} */ fields = {}) {
	return { body: { errcode: 0, errmsg: 'ok', ...fields } };
}

module.exports = { CODES, WRONG_JSON, weComError, weComOk };
