// @ts-check
'use strict';

// examples/dingtalk-approval-finished-tell-applicant.json: DingTalk pushes the events of an
// approved leave request to the DingTalk Trigger; only the instance's finish passes the filters,
// and the applicant gets a work notification. Run published, with the emulator as DingTalk.
const { approvedDingTalkLeave } = require('../support/approvals');
const { outputJson } = require('../support/execution');
const { runPublishedTrigger } = require('../support/triggerRuns');

const PATIENT = { waitMs: 15_000, deadlineMs: 15_000 };

async function run(/** @type {any} */ context) {
	const { callbacks } = context.emulator;
	return runPublishedTrigger(
		context,
		async ({ url }) => {
			expect(await callbacks.dingtalk.checkUrl({ url, ...PATIENT })).toMatchObject({ ok: true });
			await approvedDingTalkLeave(context.emulator);
			const delivered = await callbacks.dingtalk.deliverApprovalEvents({ url, ...PATIENT });
			expect(delivered.length).toBeGreaterThanOrEqual(5);
			expect(delivered.every((/** @type {any} */ entry) => entry.ok)).toBe(true);
		},
		{ executions: 1 },
	);
}

/** @param {any} execution @param {any[]} requests */
function check(execution, requests) {
	const [event] = outputJson(execution, 'Approval Finished');
	expect(event).toMatchObject({
		event: 'bpms_instance_change',
		type: { code: 'finish' },
		outcome: 'approved',
		staff: { userId: 'user001', role: 'originator' },
	});
	const [send] = requests.filter(
		(request) => request.path === '/topapi/message/corpconversation/asyncsend_v2',
	);
	expect(send.body).toMatchObject({ userid_list: 'user001' });
	const msg = typeof send.body.msg === 'string' ? JSON.parse(send.body.msg) : send.body.msg;
	expect(msg).toEqual({
		msgtype: 'text',
		text: { content: `Your approval "${event.title}" was approved.` },
	});
	expect(outputJson(execution, 'Tell the Applicant')[0]).toMatchObject({
		taskId: send.response.task_id,
	});
}

// The test's own leave request fetches a token too (it is the applicant's app submitting it).
module.exports = { run, check, tokenFetches: { dingtalk: 2 } };
