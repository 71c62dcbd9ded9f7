// @ts-check
'use strict';

// examples/wecom-message-tag-members.json: Tag → Get Members, then one app message to the tag's
// members and departments.
const { outputJson, requestLines } = require('../support/execution');

/** @param {any} execution @param {any[]} requests */
module.exports = (execution, requests) => {
	expect(requestLines(requests)).toEqual([
		'GET wecom /cgi-bin/gettoken',
		'GET wecom /cgi-bin/tag/get',
		'POST wecom /cgi-bin/message/send',
	]);
	expect(requests[1].query.tagid).toBe('2');
	const [members] = outputJson(execution, 'On-call Tag Members');
	expect(members).toMatchObject({ tagId: 2, userIds: ['SunQi'], departmentIds: [31] });

	const send = requests[2];
	expect(send.body).toMatchObject({
		touser: 'SunQi',
		toparty: '31',
		msgtype: 'text',
		text: {
			content:
				'平台值班 Platform on-call: the database failover drill starts at 22:00. Please be online.',
		},
	});
	expect(send.response.errcode).toBe(0);
	const [sent] = outputJson(execution, 'Message the Tag');
	expect(sent.msgid).toBe(send.response.msgid);
};
