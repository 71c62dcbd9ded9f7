// @ts-check
'use strict';

// examples/wecom-approval-finished-tell-applicant.json: WeCom calls the WeCom Trigger with the
// changes of an application approved by two approvers and then commented on; only the final
// "approved" passes the filters (status and change event: a later comment keeps the approved
// status), and the applicant gets one app message. Run published, with the emulator as WeCom.
const { approvedWeComLeave } = require('../support/approvals');
const { outputJson } = require('../support/execution');
const { runPublishedTrigger } = require('../support/triggerRuns');

const PATIENT = { waitMs: 15_000, deadlineMs: 15_000 };

async function run(/** @type {any} */ context) {
	const { callbacks } = context.emulator;
	return runPublishedTrigger(
		context,
		async ({ url }) => {
			expect(await callbacks.wecom.verifyUrl({ url, ...PATIENT })).toMatchObject({ ok: true });
			const spNo = await approvedWeComLeave(context.emulator);
			context.emulator.wecom.approvals.act(spNo, {
				userId: 'LiSi',
				action: 'comment',
				speech: '已安排',
			});
			const delivered = await callbacks.wecom.deliverApprovalEvents({ url, spNo, ...PATIENT });
			expect(delivered.map((/** @type {any} */ entry) => entry.ok)).toEqual([
				true,
				true,
				true,
				true,
			]);
		},
		{ executions: 1 },
	);
}

/** @param {any} execution @param {any[]} requests */
function check(execution, requests) {
	const [change] = outputJson(execution, 'Approval Changed');
	expect(change).toMatchObject({
		event: 'sys_approval_change',
		status: { code: 2, name: 'approved' },
		applicant: { userId: 'WangWu' },
	});
	const [send] = requests.filter((request) => request.path === '/cgi-bin/message/send');
	expect(send.body).toMatchObject({
		touser: 'WangWu',
		msgtype: 'text',
		text: { content: `Your application ${change.spName} (${change.spNo}) was approved.` },
	});
}

// The test's own application fetches a token too.
module.exports = { run, check, tokenFetches: { wecom: 2 } };
