// @ts-check
'use strict';

// examples/dingtalk-approval-stream-to-robot.json: the DingTalk Stream Trigger holds a connection to
// the emulated Stream gateway; the events of an approved leave request are pushed, only the
// instance's finish passes the filters, and the group robot posts it. Every event is acknowledged.
const { approvedDingTalkLeave } = require('../support/approvals');
const { outputJson } = require('../support/execution');
const { runPublishedTrigger } = require('../support/triggerRuns');

async function run(/** @type {any} */ context) {
	const { stream } = context.emulator.dingtalk;
	return runPublishedTrigger(
		context,
		async () => {
			await approvedDingTalkLeave(context.emulator);
			const pushed = stream.pushApprovalEvents();
			expect(pushed.length).toBeGreaterThanOrEqual(5);
			await stream.waitFor({ acked: pushed.length }, 60_000);
		},
		{ executions: 1, webhook: false },
	);
}

/** @param {any} execution @param {any[]} requests @param {{ emulator: any }} context */
function check(execution, requests, { emulator }) {
	const [event] = outputJson(execution, 'Approval Finished (Stream)');
	expect(event).toMatchObject({ event: 'bpms_instance_change', outcome: 'approved' });
	const [message] = emulator.dingtalk.robotMessages();
	expect(message).toMatchObject({ msgtype: 'markdown', content: { title: 'Approval approved' } });
	expect(message.content.text).toContain(
		`### ${event.title}\n- Outcome: **approved**\n- Applicant: user001`,
	);
	expect(requests.some((request) => request.path === '/v1.0/gateway/connections/open')).toBe(true);
}

// The Stream trigger opens its connection with the app's secret and fetches no token; the one
// token is the test's own leave request.
module.exports = { run, check, tokenFetches: { dingtalk: 1 } };
