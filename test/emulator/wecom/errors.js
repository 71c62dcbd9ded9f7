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
	// Contacts (wecom/contacts.js). Codes and meanings: WxJava WxCpErrorMsgEnum
	// (https://github.com/Wechat-Group/WxJava/blob/develop/weixin-java-common/src/main/java/me/chanjar/weixin/common/error/WxCpErrorMsgEnum.java).
	/** observed: https://github.com/binarywang/WxJava/issues/3563 */
	apiForbidden: { errcode: 48002, errmsg: 'api forbidden' },
	/** observed: https://github.com/openscrm/api-server/issues/26, https://github.com/opsre/go-ldap-admin/issues/378 (use a fault to answer it) */
	contactAssistantForbidden: { errcode: 48009, errmsg: 'api forbidden for contact assistant' },
	/** observed: https://github.com/w7corp/easywechat/issues/2148 */
	noPrivilege: { errcode: 60011, errmsg: 'no privilege to access/modify contact/party/agent' },
	/** observed: https://github.com/ZacharyJia/serverchan/issues/2, https://github.com/silenceper/wechat/issues/722 */
	userNotFound: { errcode: 60111, errmsg: 'userid not found' },
	/** 无效的部门id (WxCpErrorMsgEnum); English wording is the emulator's (no live capture found) */
	invalidDepartment: { errcode: 60123, errmsg: 'invalid party id' },
	/** 不合法的标签ID；标签ID未指定，或者指定的标签ID不存在 (WxCpErrorMsgEnum); wording as in a live capture quoted in a public test file */
	invalidTag: { errcode: 40068, errmsg: 'invalid tagid' },
	/** 指定的用户不存在 (WxCpErrorMsgEnum); English wording is the emulator's (no live capture found) */
	userNotExist: { errcode: 46004, errmsg: 'user no exist' },
	/** 手机号码不合法 (WxCpErrorMsgEnum); English wording is the emulator's */
	invalidMobile: { errcode: 60103, errmsg: 'mobile invalid' },
	/** 邮箱不合法 (WxCpErrorMsgEnum); English wording is the emulator's */
	invalidEmail: { errcode: 60105, errmsg: 'email invalid' },
	// Approvals (wecom/approvals.js). 301025 = 提交审批单请求参数错误 (WxCpErrorMsgEnum); the live
	// servers answer every OA parameter refusal with it, worded "get approval param error" (bare, or
	// followed by ":<what>"), e.g. gettemplatedetail with a bad template_id
	// (https://developers.weixin.qq.com/community/personal/oCJUsw1ok4RjOzhrr5FjTWAxIcWA/answer) and
	// applyevent "…:invalid control id …" (https://developers.weixin.qq.com/community/develop/doc/0000845eccc728bbaf4ef228951400).
	approvalParam: { errcode: 301025, errmsg: 'get approval param error' },
	// Temporary media upload (wecom/media.js). Codes and meanings: WxCpErrorMsgEnum.
	/** 不合法的媒体文件类型；不满足系统文件要求 (a file that is not JPG/PNG, MP4 or AMR); English wording is the emulator's */
	invalidMediaType: { errcode: 40004, errmsg: 'invalid media type' },
	/** 不合法的type参数; wording observed on WeCom's media/upload: https://github.com/wechatpy/wechatpy/issues/204 */
	invalidFileType: { errcode: 40005, errmsg: 'invalid file type' },
	/** 不合法的文件大小 (5 bytes or less, a file over 20 MB); English wording is the emulator's */
	invalidFileSize: { errcode: 40006, errmsg: 'invalid file size' },
	/** 上传图片大小不是有效值; English wording is the emulator's */
	invalidImageSize: { errcode: 40009, errmsg: 'invalid image size' },
	/** 上传视频大小不是有效值; English wording is the emulator's */
	invalidVideoSize: { errcode: 40011, errmsg: 'invalid video size' },
	/** 多媒体文件为空；确认header和body的内容正确 (no `media` part); English wording is the emulator's */
	emptyMedia: { errcode: 44001, errmsg: 'empty media data' },
	/** 上传语音文件不符合系统要求 (voice over 2 MB); English wording is the emulator's */
	invalidVoice: { errcode: 301016, errmsg: 'invalid voice file' },
	/** 上传语音文件仅支持AMR格式; English wording is the emulator's */
	voiceNotAmr: { errcode: 301017, errmsg: 'voice file must be amr' },
};

/**
 * Empty lists the live server puts next to errcode/errmsg in every error answer of some read
 * APIs (token errors included), as captured: user/get
 * (https://github.com/ZacharyJia/serverchan/issues/2), user/simplelist
 * (https://github.com/binarywang/WxJava/issues/3924), tag/get
 * (https://github.com/binarywang/WxJava/issues/2154); the OA reads below were captured with a
 * 301025 answer only (token errors get them too, an emulator choice). Other APIs: none captured,
 * none added.
 */
const ERROR_LISTS = /** @type {Record<string, string[]>} */ ({
	'/cgi-bin/user/get': ['department', 'order', 'is_leader_in_dept'],
	'/cgi-bin/user/simplelist': ['userlist'],
	'/cgi-bin/tag/get': ['userlist', 'partylist'],
	// gettemplatedetail 301025 answer with `template_names: []`
	// (https://developers.weixin.qq.com/community/personal/oCJUsw1ok4RjOzhrr5FjTWAxIcWA/answer),
	// getapprovalinfo with `sp_no_list: []`
	// (https://developers.weixin.qq.com/community/personal/oCJUsw1GSBcvhlaCB6PgS_OfYYUA/question).
	'/cgi-bin/oa/gettemplatedetail': ['template_names'],
	'/cgi-bin/oa/getapprovalinfo': ['sp_no_list'],
});

/** The CODES entry for an errcode, if the emulator knows its wording. */
const codeByNumber = (/** @type {number} */ errcode) =>
	Object.values(CODES).find((code) => code.errcode === errcode);

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
			...Object.fromEntries((ERROR_LISTS[ctx.path] ?? []).map((key) => [key, []])),
		},
	};
}

/** `{errcode: 0, errmsg: "ok", ...fields}` */
function weComOk(/** @type {Record<string, unknown>} */ fields = {}) {
	return { body: { errcode: 0, errmsg: 'ok', ...fields } };
}

module.exports = { CODES, WRONG_JSON, weComError, weComOk, codeByNumber };
