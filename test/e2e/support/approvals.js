// @ts-check
'use strict';

const { sampleLeaveContents } = require('../../emulator/wecom/approvalTemplates');

/**
 * Approvals made on the emulated platforms as their users would make them: submitted through the
 * platform's own API, then acted on by the approvers in the app (the emulator's approval engines).
 * The engines queue the events the trigger cases deliver.
 */

/** A DingTalk v1.0 call with the seeded app's token. */
async function dingTalkApi(
	/** @type {any} */ emulator,
	/** @type {string} */ path,
	/** @type {unknown} */ body,
) {
	const { baseUrls, seed } = emulator;
	const token = await fetch(`${baseUrls.dingtalkApi}/v1.0/oauth2/accessToken`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ appKey: seed.dingtalk.appKey, appSecret: seed.dingtalk.appSecret }),
	}).then((response) => response.json());
	return fetch(`${baseUrls.dingtalkApi}${path}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-acs-dingtalk-access-token': token.accessToken,
		},
		body: JSON.stringify(body),
	}).then((response) => response.json());
}

/**
 * A DingTalk leave request by user001, approved by both approvers (manager01, boss01): five
 * events (instance start, two task starts and finishes… as the engine produces them).
 * @returns {Promise<string>} the instance id
 */
async function approvedDingTalkLeave(/** @type {any} */ emulator) {
	const created = await dingTalkApi(emulator, '/v1.0/workflow/processInstances', {
		processCode: 'PROC-EMU-LEAVE',
		originatorUserId: 'user001',
		formComponentValues: [
			{ name: '请假类型', value: '年假' },
			{ name: '["开始时间","结束时间"]', value: '["2025-05-12","2025-05-14"]' },
			{ name: '请假天数', value: '3' },
		],
	});
	if (typeof created.instanceId !== 'string')
		throw new Error(`the emulator refused the leave request: ${JSON.stringify(created)}`);
	for (const userId of ['manager01', 'boss01'])
		emulator.dingtalk.approvals.act(created.instanceId, {
			userId,
			action: 'agree',
			remark: '同意',
		});
	return created.instanceId;
}

/**
 * A WeCom leave application by WangWu (applyevent), approved by both nodes (LiSi, ZhangSan):
 * three sys_approval_change events.
 * @returns {Promise<string>} the sp_no
 */
async function approvedWeComLeave(/** @type {any} */ emulator) {
	const { baseUrls, seed } = emulator;
	const token = await fetch(
		`${baseUrls.wecom}/cgi-bin/gettoken?corpid=${seed.wecom.corpId}&corpsecret=${seed.wecom.corpSecret}`,
	).then((response) => response.json());
	const applied = await fetch(
		`${baseUrls.wecom}/cgi-bin/oa/applyevent?access_token=${token.access_token}`,
		{
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				creator_userid: 'WangWu',
				template_id: 'C4ZXKAAPcf2kEj4dPXfhW1FmZyXLHnKLdyDuBxTZ4b',
				use_template_approver: 1,
				apply_data: { contents: sampleLeaveContents() },
			}),
		},
	).then((response) => response.json());
	if (applied.errcode !== 0)
		throw new Error(`the emulator refused the application: ${JSON.stringify(applied)}`);
	emulator.wecom.approvals.act(applied.sp_no, {
		userId: 'LiSi',
		action: 'approve',
		speech: '同意',
	});
	emulator.wecom.approvals.act(applied.sp_no, {
		userId: 'ZhangSan',
		action: 'approve',
		speech: '好的',
	});
	return applied.sp_no;
}

module.exports = { approvedDingTalkLeave, approvedWeComLeave, dingTalkApi };
