// @ts-check
'use strict';

const { base36, uuid } = require('../ids');

/**
 * DingTalk answers. Old API (oapi): HTTP 200, `errcode`/`errmsg`, `request_id`; topapi wraps
 * auth problems in errcode 88 + sub_code. New API (v1.0): HTTP 4xx/5xx with
 * `{code, message, requestid}`. Messages come from the global error-code table
 * (https://open.dingtalk.com/document/development/server-api-error-codes-1) unless noted.
 */

/** Old-API codes and their errmsg (wording of the global error-code table). */
const OAPI = {
	badParameter: { errcode: 40035, errmsg: '不合法的参数' },
	invalidToken: { errcode: 40014, errmsg: '不合法的access_token' },
	missingToken: { errcode: 41001, errmsg: '缺少access_token参数' },
	expiredToken: { errcode: 42001, errmsg: 'access_token超时' },
	badContentType: { errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type' },
	/**
	 * https://open.dingtalk.com/document/development/how-to-process-api-throttling-on-the-dingtalk-server
	 * gives the code only; wording modelled on 90002's.
	 */
	appQpsLimit: {
		errcode: 90018,
		errmsg: '您的企业应用调用钉钉开放平台当前接口的所有请求都被暂时禁用了',
	},
	unknownPath: { errcode: 404, errmsg: '请求的URI地址不存在' },
	/** recall with a bad agent_id/msg_task_id (https://open.dingtalk.com/document/development/notification-of-work-withdrawal). */
	badRecall: { errcode: 400002, errmsg: 'agentId不合法或taskId不合法' },
	/**
	 * Contacts (通讯录). Wording of the global table, which is also what the live server said where
	 * an answer was captured: 60003 "部门不存在" (https://github.com/ohdarling/virtual-ldap/issues/19;
	 * the listsub/get pages say "未找到对应部门"), 60121 "找不到该用户" (the getbymobile page says
	 * "未找到该用户", the getbyunionid page "未找到对应员工").
	 */
	deptNotFound: { errcode: 60003, errmsg: '部门不存在' },
	userNotFound: { errcode: 60121, errmsg: '找不到该用户' },
	/** listparentbyuser's documented code for an unknown userid (https://open.dingtalk.com/document/development/queries-the-list-of-all-parent-departments-of-a-user). */
	invalidUserId: { errcode: 33012, errmsg: '无效的USERID' },
	/** getbymobile's documented code for a malformed mobile (https://open.dingtalk.com/document/development/query-users-by-phone-number; page text "企业中无效的手机号"). */
	invalidMobile: { errcode: 40104, errmsg: '电话号码无效' },
	/**
	 * A department outside the app's contacts scope: 50004 with the live wording
	 * (https://github.com/open-dingtalk/openapi-demo-java/issues/1,
	 * https://github.com/opsre/go-ldap-admin/issues/298; the table says "企业部门不在授权范围").
	 */
	deptOutOfScope: { errcode: 50004, errmsg: '请求的部门id不在授权范围内' },
	/** A user outside the scope: 50002, global-table wording (no live capture found). */
	userOutOfScope: { errcode: 50002, errmsg: '企业员工不在授权范围' },
};

/** Bad credentials on GET /gettoken, per settings.dingtalk.badCredentialsErrcode. */
const BAD_CREDENTIALS_MESSAGES = {
	40096: '不合法的appKey或appSecret',
	40089: '不合法的corpid或corpsecret',
};

/** One request id per request, in the family's format. */
function oapiRequestId(/** @type {import('../family').RequestContext} */ ctx) {
	ctx.requestId ??= base36(ctx.env.ids.digest('dingtalk-request'), 13);
	return ctx.requestId;
}
function apiRequestId(/** @type {import('../family').RequestContext} */ ctx) {
	ctx.requestId ??= uuid(ctx.env.ids.digest('dingtalk-request'));
	return ctx.requestId;
}

/**
 * An old-API answer: the given fields, then request_id (HTTP 200).
 * @param {import('../family').RequestContext} ctx
 * @param {Record<string, unknown>} fields
 * @returns {import('../family').Reply}
 */
function oapiAnswer(ctx, fields) {
	return { status: 200, body: { ...fields, request_id: oapiRequestId(ctx) } };
}

/** `{errcode, errmsg, request_id}`; `detail` is appended to errmsg to say which field. */
function oapiError(
	/** @type {import('../family').RequestContext} */ ctx,
	/** @type {{ errcode: number, errmsg: string }} */ code,
	/** @type {string} */ detail = '',
) {
	return oapiAnswer(ctx, {
		errcode: code.errcode,
		errmsg: detail ? `${code.errmsg}: ${detail}` : code.errmsg,
	});
}

/** 40035 naming the offending field, e.g. "不合法的参数: userid_list 最多 100 个". */
function badParameter(
	/** @type {import('../family').RequestContext} */ ctx,
	/** @type {string} */ detail,
) {
	return oapiError(ctx, OAPI.badParameter, detail);
}

/**
 * A required parameter is absent: 40035 "缺少参数 <name>", the parameter named in camelCase as the
 * TOP gateway does (live: `{"errcode":40035,"errmsg":"缺少参数 onlyActive"}` from topapi/user/count,
 * https://github.com/TideSec/TscanPlus/issues/1702).
 */
function missingParameter(
	/** @type {import('../family').RequestContext} */ ctx,
	/** @type {string} */ name,
) {
	return oapiAnswer(ctx, { errcode: OAPI.badParameter.errcode, errmsg: `缺少参数 ${name}` });
}

/** topapi's wrapper: errcode 88 with the real code in sub_code (observed live by third parties, not documented). */
function wrappedAuthError(
	/** @type {import('../family').RequestContext} */ ctx,
	/** @type {string} */ subCode,
	/** @type {string} */ subMsg,
) {
	return oapiAnswer(ctx, {
		errcode: 88,
		sub_code: subCode,
		sub_msg: subMsg,
		errmsg: `ding talk error[subcode=${subCode},submsg=${subMsg}]`,
	});
}

/**
 * A v1.0 error answer.
 * @param {import('../family').RequestContext} ctx
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {import('../family').Reply}
 */
function apiError(ctx, status, code, message) {
	return { status, body: { code, message, requestid: apiRequestId(ctx) } };
}

module.exports = {
	OAPI,
	BAD_CREDENTIALS_MESSAGES,
	oapiAnswer,
	oapiError,
	badParameter,
	missingParameter,
	wrappedAuthError,
	apiError,
};
