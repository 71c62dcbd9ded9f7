// @ts-check
'use strict';

// examples/wecom-app-message.json: send a markdown app message to two users and a department.
const { outputJson, requestLines } = require('../support/execution');

/** @param {any} execution @param {any[]} requests @param {{ emulator: any }} context */
module.exports = (execution, requests, { emulator }) => {
	const { corpId, agentId } = emulator.seed.wecom;

	expect(requestLines(requests)).toEqual([
		'GET wecom /cgi-bin/gettoken',
		'POST wecom /cgi-bin/message/send',
	]);
	expect(
		requests.every((request) => request.status === 200 && request.response.errcode === 0),
	).toBe(true);
	expect(requests[0].query.corpid).toBe(corpId);

	const send = requests[1];
	expect(send.query.access_token).toBe(requests[0].response.access_token);
	expect(send.body).toMatchObject({
		touser: 'ZhangSan|LiSi',
		toparty: '2',
		agentid: agentId,
		msgtype: 'markdown',
	});
	expect(send.body.markdown.content).toBe(
		'**Order shipped**\n> Order: <font color="info">#10086</font>\n> Sent by n8n',
	);

	const [item] = outputJson(execution, 'Send App Message');
	expect(item).toEqual({
		msgid: send.response.msgid,
		msgids: [send.response.msgid],
		calls: 1,
		invalidUsers: [],
		invalidDepartments: [],
		invalidTags: [],
		unlicensedUsers: [],
	});

	const [message] = emulator.wecom.messages();
	expect(emulator.wecom.messages()).toHaveLength(1);
	expect(message.recipients).toEqual(expect.arrayContaining(['ZhangSan', 'LiSi']));
};
