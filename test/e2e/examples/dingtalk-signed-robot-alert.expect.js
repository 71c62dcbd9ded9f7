// @ts-check
'use strict';

// examples/dingtalk-signed-robot-alert.json: a markdown alert through the signed robot, with a
// mention that DingTalk shows because the node writes it into the text too.
const { outputJson } = require('../support/execution');

/** @param {any} execution @param {any[]} requests @param {{ emulator: any }} context */
module.exports = (execution, requests, { emulator }) => {
	const sends = requests.filter((r) => r.path === '/robot/send' && r.body.msgtype === 'markdown');
	expect(sends).toHaveLength(1);
	expect(sends[0].query).toMatchObject({ timestamp: expect.any(String), sign: expect.any(String) });
	expect(sends[0].response).toEqual({ errcode: 0, errmsg: 'ok' });
	const [message] = emulator.dingtalk.robotMessages();
	expect(message).toMatchObject({
		signed: true,
		msgtype: 'markdown',
		content: {
			title: 'Disk almost full',
			text: '#### Disk almost full\n> **db-1** /var is at **93%**\n> Runbook: https://example.com/runbooks/disk\n\n@13800000001',
		},
		at: { atMobiles: ['13800000001'], atUserIds: [], isAtAll: false },
		msgUuid: expect.any(String),
	});
	expect(outputJson(execution, 'Alert the On-call Group')).toEqual([
		{ posted: true, msgtype: 'markdown', waitedMs: 0 },
	]);
};
