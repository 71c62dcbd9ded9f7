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

/**
 * v1.0 workflow (OA 审批) refusals: `[code, message]` per API, verbatim from each page's 错误码 table
 * (all HTTP 400). Messages given there as `%s` are filled in by the emulator (see workflowError).
 * Pages: templates https://open.dingtalk.com/document/development/obtains-a-list-of-approval-forms-visible-to-the-specified,
 * schema https://open.dingtalk.com/document/development/obtain-the-form-schema,
 * create https://open.dingtalk.com/document/development/create-an-approval-instance,
 * get https://open.dingtalk.com/document/development/obtains-the-details-of-a-single-approval-instance-pop,
 * listIds https://open.dingtalk.com/document/development/obtain-an-approval-list-of-instance-ids,
 * terminate https://open.dingtalk.com/document/development/revoke-an-approval-instance,
 * execute https://open.dingtalk.com/document/development/approve-or-reject-the-approval-task,
 * comment https://open.dingtalk.com/document/development/official-approval-adds-approval-comments.
 * @typedef {readonly [code: string, message: string]} WorkflowCode
 */
const WORKFLOW = /** @type {const} */ ({
	templates: {
		invalidNextToken: [
			'invalidNextToken',
			'获取指定用户可见的审批表单列表，分页查询的游标不能为空',
		],
		invalidMaxResults: [
			'invalidMaxResults',
			'获取指定用户可见的审批表单列表，分页参数非法，每页大小，最多传100。',
		],
		invalidParameter: ['invalidParameter', '获取指定用户可见的审批表单列表参数错误'],
	},
	schema: {
		formNotExist: ['formNotExist', '审批表单模板不存在'],
		invalidParameter: ['invalidParameter', '参数错误，具体可能为：企业ID、审批模板code等参数错误'],
	},
	create: {
		invalidParameter: [
			'invalidParameter',
			'发起审批参数错误。具体可能为：企业ID、审批模板code等参数错误，或发起人已离职',
		],
		processInstanceInvalidParameter: [
			'processInstanceInvalidParameter',
			'审批实例参数错误，具体可能为:发起人、审批人、抄送人的userid错误，发起部门id错误，发起人不在发起部门中',
		],
		needAuth: ['needAuth', '没有发起审批的权限'],
		processCodeError: ['processCodeError', '获取审批模板失败或者模板已被删除'],
		processGetFailed: ['processGetFailed', '获取审批流失败或审批单状态为非启用状态'],
		formConverterError: ['formConverterError', '表单数据校验失败，失败控件：%s'],
		illegalComponent: ['illegalComponent', '表单组件入参错误'],
	},
	get: {
		processInstanceIdError: ['processInstanceIdError', 'processInstanceId参数无效'],
		processInstanceNotExist: ['processInstanceNotExist', '审批实例不存在'],
	},
	listIds: {
		invalidProcessCode: ['invalidProcessCode', '审批模板processCode不能为空'],
		invalidStartTime: [
			'invalidInstanceListIdsStartTime',
			'获取审批实例ID列表，审批实例开始时间不能为空',
		],
		invalidNextToken: ['invalidNextToken', '获取审批实例ID列表，分页查询的游标不能为空'],
		invalidMaxResults: [
			'invalidMaxResults',
			'获取审批实例ID列表，分页参数非法，每页大小，最多传20。',
		],
		invalidEndTime: [
			'invalidEndTime',
			'获取审批实例ID列表，审批实例结束时间不能小于开始时间；且查询时间范围不能超过120天。',
		],
		invalidUserIds: [
			'invalidUserIds',
			'获取审批实例ID列表，发起userid列表参数非法，最大列表长度为10。',
		],
		internalError: ['internalError', '%s'],
	},
	terminate: {
		invalidParameter: ['invalidParameter', '撤销审批实例参数错误'],
		userNotExist: ['userNotExist', '用户不存在'],
		instanceNotExist: ['aflowProcessInstNotExist', '审批实例不存在'],
		statusException: ['aflowProcessInstStatusException', '%s'],
		invalidInstanceId: ['invalidInstanceId', '审批实例ID不能为空'],
		invalidIsSystem: [
			'invalidInstanceTerminateIsSystem',
			'撤销审批实例，是否通过系统操作参数不能为空',
		],
		invalidOperatingUserId: [
			'invalidInstanceTerminateOperatingUserId',
			'撤销审批实例，当isSystem为false时，操作人的userId不能为空',
		],
		internalError: ['internalError', '%s'],
	},
	execute: {
		invalidParameter: ['invalidParameter', '同意或拒绝审批任务参数错误'],
		needAuth: ['needAuth', '没有同意拒绝审批的权限'],
		processNotExist: ['aflowProcessNotExist', '审批流不存在'],
		invalidInstanceId: ['invalidInstanceId', '审批实例ID不能为空'],
		invalidActionerUserId: [
			'invalidInstanceExecuteActionerUserId',
			'同意拒绝审批任务，操作人的userId不能为空',
		],
		invalidTaskId: ['invalidInstanceExecuteTaskId', '同意拒绝审批任务，任务节点id不能为空'],
		invalidResult: [
			'invalidInstanceExecuteResult',
			'同意拒绝审批任务，审批操作取值必填 且值必须为agree/refuse',
		],
		statusException: ['aflowProcessInstStatusException', '审批单状态异常'],
		cannotBeExecuted: ['aflowProcessInstCanNotBeExecuted', '审批状态异常，无法执行'],
		userNotExist: ['userNotExist', '用户不存在'],
	},
	comment: {
		invalidParameter: ['invalidParameter', '添加审批评论参数错误'],
		userNotExist: ['userNotExist', '用户不存在'],
		instanceNotExist: ['aflowProcessInstNotExist', '审批实例不存在'],
		cannotBeExecuted: ['aflowProcessInstCanNotBeExecuted', '审批状态异常，无法执行'],
		invalidInstanceId: ['invalidInstanceId', '审批实例ID不能为空'],
		invalidText: ['invalidInstanceCommentText', '审批实例评论内容不能为空'],
		invalidCommentUserId: ['invalidInstanceCommentUserId', '审批实例评论人userId不能为空'],
	},
});

/**
 * HTTP 400 `{code, message, requestid}` for a workflow refusal; `detail` fills the message's `%s`.
 * @param {import('../family').RequestContext} ctx
 * @param {WorkflowCode} entry
 * @param {string} [detail]
 */
function workflowError(ctx, [code, message], detail = '') {
	return apiError(ctx, 400, code, message.replace('%s', detail));
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
	WORKFLOW,
	workflowError,
};
