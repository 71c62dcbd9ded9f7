// @ts-check
'use strict';

// examples/dingtalk-bulk-work-notifications.json: 60 personal work notifications, sent several at
// a time under the app's quota, each output item paired with its own person.
const { nodeRuns, outputJson, requestLines } = require('../support/execution');

const user = (/** @type {number} */ i) => `user${String(i + 1).padStart(3, '0')}`;

/** @param {any} execution @param {any[]} requests @param {{ emulator: any }} context */
module.exports = (execution, requests, { emulator }) => {
	const sends = requests.filter((request) => request.path.endsWith('/asyncsend_v2'));
	// One token for the whole run, then one send per person.
	expect(requestLines(requests)[0]).toBe('POST dingtalk /v1.0/oauth2/accessToken');
	expect(requests.filter((r) => r.path === '/v1.0/oauth2/accessToken')).toHaveLength(1);
	expect(sends).toHaveLength(60);
	expect(sends.every((send) => send.response.errcode === 0)).toBe(true);
	expect(sends.map((send) => send.body.userid_list).sort()).toEqual(
		Array.from({ length: 60 }, (_, i) => user(i)),
	);

	// The output keeps the input's order: item i is the task of person i, whatever order the
	// concurrent sends finished in.
	const output = outputJson(execution, 'Send Personal Notification');
	expect(output).toHaveLength(60);
	output.forEach((item, i) => {
		const own = sends.find((send) => send.body.userid_list === user(i));
		expect(item.taskId).toBe(own.response.task_id);
		const msg = typeof own.body.msg === 'string' ? JSON.parse(own.body.msg) : own.body.msg;
		expect(msg.text.content).toBe(
			`Good morning! You have ${((i + 1) * 7) % 23} open orders today.`,
		);
	});
	expect(
		nodeRuns(execution, 'Send Personal Notification')[0].data.main[0].map(
			(/** @type {{ pairedItem: unknown }} */ item) => item.pairedItem,
		),
	).toEqual(Array.from({ length: 60 }, (_, i) => ({ item: i })));
	expect(emulator.dingtalk.tasks()).toHaveLength(60);
};
