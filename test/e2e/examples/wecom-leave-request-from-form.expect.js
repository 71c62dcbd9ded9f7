// @ts-check
'use strict';

// examples/wecom-leave-request-from-form.json: a form tool posts a leave request to the workflow's
// webhook; the node submits a WeCom approval from the template's own controls and the group robot
// posts its number. Run published, as it would be used.
const { outputJson, publishAndPost } = require('../support/execution');

const SUBMISSION = {
	userId: 'WangWu',
	type: '年假',
	from: '2026-12-03',
	to: '2026-12-04',
	days: 2,
	reason: 'Family matters',
};

/** Publishes the workflow, posts one form submission, and returns the execution it started. */
async function run(/** @type {any} */ context) {
	const { execution, answer } = await publishAndPost(context, 'wecom-leave-request', SUBMISSION);
	// The webhook answers with what the last node returned: the robot posted.
	expect(answer).toMatchObject({ posted: true, msgtype: 'text' });
	return execution;
}

/** @param {any} execution @param {any[]} requests @param {{ emulator: any }} context */
function check(execution, requests, { emulator }) {
	const [apply] = requests.filter((r) => r.path === '/cgi-bin/oa/applyevent');
	expect(apply.response.errcode).toBe(0);
	expect(apply.body).toMatchObject({
		creator_userid: 'WangWu',
		template_id: 'C4ZXKAAPcf2kEj4dPXfhW1FmZyXLHnKLdyDuBxTZ4b',
		use_template_approver: 1,
	});
	// Typed as its text, sent as the template's option key; the dates as seconds in China's time zone.
	const contents = apply.body.apply_data.contents;
	expect(contents.find((/** @type {any} */ c) => c.id === 'Selector-15111111').value).toEqual({
		selector: { type: 'single', options: [{ key: 'option-1' }] },
	});
	expect(contents.find((/** @type {any} */ c) => c.id === 'Date-1').value).toEqual({
		date: { type: 'day', s_timestamp: String(Date.parse('2026-12-03T00:00:00+08:00') / 1000) },
	});
	const [created] = outputJson(execution, 'Create Leave Request');
	expect(created).toMatchObject({ spNo: apply.response.sp_no, creatorUserId: 'WangWu' });
	const [message] = emulator.wecom.robotMessages();
	expect(message.content.content).toBe(
		`New leave request ${created.spNo} from WangWu: 2 day(s) from 2026-12-03`,
	);
	expect(emulator.wecom.approvals.instances()).toHaveLength(1);
}

module.exports = { run, check };
