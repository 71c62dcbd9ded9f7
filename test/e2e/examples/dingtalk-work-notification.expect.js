// @ts-check
'use strict';

// examples/dingtalk-work-notification.json: send a markdown work notification, then read its
// progress and result.
const { outputJson, requestLines } = require('../support/execution');

/** @param {any} execution @param {any[]} requests @param {{ emulator: any }} context */
module.exports = (execution, requests, { emulator }) => {
	const { appKey, agentId } = emulator.seed.dingtalk;

	// The app token comes from the new API (once), the work-notification calls go to the old API.
	expect(requestLines(requests)).toEqual([
		'POST dingtalk /v1.0/oauth2/accessToken',
		'POST dingtalk /topapi/message/corpconversation/asyncsend_v2',
		'POST dingtalk /topapi/message/corpconversation/getsendprogress',
		'POST dingtalk /topapi/message/corpconversation/getsendresult',
	]);
	expect(requests.every((request) => request.status === 200)).toBe(true);
	expect(requests[0].body).toMatchObject({ appKey });

	const [send, progress, result] = requests.slice(1);
	const token = requests[0].response.accessToken;
	for (const call of [send, progress, result]) expect(call.query.access_token).toBe(token);
	expect(send.body).toMatchObject({ agent_id: agentId, userid_list: 'manager01,user001' });
	const msg = typeof send.body.msg === 'string' ? JSON.parse(send.body.msg) : send.body.msg;
	expect(msg.msgtype).toBe('markdown');
	expect(msg.markdown.title).toBe('Daily report');
	// The n8n expression in the text was evaluated before sending.
	expect(msg.markdown.text).toMatch(
		/^### Daily report\n- New orders: \*\*42\*\*\n- Sent by n8n at \d{2}:\d{2}$/,
	);

	const taskId = send.response.task_id;
	expect(progress.body).toMatchObject({ agent_id: agentId, task_id: taskId });
	expect(result.body).toMatchObject({ agent_id: agentId, task_id: taskId });

	const [sent] = outputJson(execution, 'Send Work Notification');
	expect(sent).toMatchObject({ taskId, taskIds: [taskId] });
	const [progressItem] = outputJson(execution, 'Get Send Progress');
	expect(progressItem).toMatchObject({
		taskId,
		done: true,
		status: 'done',
		progressInPercent: 100,
	});
	const [resultItem] = outputJson(execution, 'Get Send Result');
	expect(resultItem).toMatchObject({
		taskId,
		unreadUserIds: ['manager01', 'user001'],
		readUserIds: [],
		failedUserIds: [],
		forbiddenUserIds: [],
	});

	// The platform really got one task for both recipients.
	expect(emulator.dingtalk.tasks()).toHaveLength(1);
	expect(emulator.dingtalk.task(taskId).delivered).toEqual(['manager01', 'user001']);
};
