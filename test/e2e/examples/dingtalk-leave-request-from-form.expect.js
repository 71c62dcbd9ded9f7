// @ts-check
'use strict';

// examples/dingtalk-leave-request-from-form.json: a form tool posts a leave request to the
// workflow's webhook; the node creates a DingTalk approval from the template's own fields and the
// robot posts its ID to the group. Run published, as it would be used.
const { outputJson, publishAndPost } = require('../support/execution');

const SUBMISSION = {
	userId: 'user001',
	type: '年假',
	from: '2026-12-03',
	to: '2026-12-04',
	days: 2,
	reason: 'Family matters',
};

/** Publishes the workflow, posts one form submission, and returns the execution it started. */
async function run(/** @type {any} */ context) {
	const { execution, answer } = await publishAndPost(context, 'leave-request', SUBMISSION);
	// The webhook answers with what the last node returned: the robot posted.
	expect(answer).toMatchObject({ posted: true, msgtype: 'text' });
	return execution;
}

/** @param {any} execution @param {any[]} requests @param {{ emulator: any }} context */
function check(execution, requests, { emulator }) {
	const [instance] = emulator.dingtalk.approvals.instances();
	expect(emulator.dingtalk.approvals.instances()).toHaveLength(1);
	const [create] = requests.filter(
		(r) => r.path === '/v1.0/workflow/processInstances' && r.method === 'POST',
	);
	expect(create.body).toEqual({
		processCode: 'PROC-EMU-LEAVE',
		originatorUserId: 'user001',
		formComponentValues: [
			{ name: '请假类型', value: '年假' },
			{ name: '["开始时间","结束时间"]', value: '["2026-12-03","2026-12-04"]' },
			{ name: '请假天数', value: '2' },
			{ name: '请假事由', value: 'Family matters' },
		],
	});
	const [created] = outputJson(execution, 'Create Leave Request');
	expect(created).toMatchObject({
		instanceId: create.response.instanceId,
		originatorUserId: 'user001',
	});
	const [message] = emulator.dingtalk.robotMessages();
	expect(message.content.content).toBe(
		`New leave request ${created.instanceId} from user001: 2 day(s) from 2026-12-03`,
	);
	expect(instance.status).toBe('RUNNING');
}

module.exports = { run, check };
