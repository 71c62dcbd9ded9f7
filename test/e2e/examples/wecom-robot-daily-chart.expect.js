// @ts-check
'use strict';

// examples/wecom-robot-daily-chart.json: a PNG made from base64 by n8n's Convert to File node,
// posted as an image (base64 + md5 of the raw bytes) by the WeCom group robot.
const crypto = require('node:crypto');
const { outputJson } = require('../support/execution');

const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64',
);

/** @param {any} execution @param {any[]} requests @param {{ emulator: any }} context */
module.exports = (execution, requests, { emulator }) => {
	const sends = requests.filter(
		(r) => r.path === '/cgi-bin/webhook/send' && r.body.msgtype === 'image',
	);
	expect(sends).toHaveLength(1);
	expect(sends[0].body.image).toEqual({
		base64: PNG.toString('base64'),
		md5: crypto.createHash('md5').update(PNG).digest('hex'),
	});
	expect(emulator.wecom.robotMessages()).toEqual([
		expect.objectContaining({
			msgtype: 'image',
			image: { size: PNG.length, md5: expect.any(String) },
		}),
	]);
	expect(outputJson(execution, 'Post the Chart')).toEqual([
		{ posted: true, msgtype: 'image', waitedMs: 0 },
	]);
};
