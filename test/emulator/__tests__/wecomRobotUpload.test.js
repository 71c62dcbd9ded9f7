// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');

const ctx = useEmulator();

/** A multipart body with the file in the field `media`, as the robot's upload expects. */
function multipart(/** @type {Buffer} */ data, filename = 'report.pdf') {
	const boundary = 'emu-test-boundary';
	const raw = Buffer.concat([
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
		),
		data,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	return { raw, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const key = () => ctx.emu.seed.wecom.robots[0].key;

describe('WeCom robot upload_media', () => {
	test('uploads a file and a voice, whose media_id the same robot can then send', async () => {
		const file = await ctx.client.wecom('/cgi-bin/webhook/upload_media', {
			query: { key: key(), type: 'file' },
			...multipart(Buffer.from('%PDF-1.4 report')),
		});
		expect(file.body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			type: 'file',
			media_id: expect.stringMatching(/^robot-file-/),
			created_at: expect.stringMatching(/^\d+$/),
		});
		const sent = await ctx.client.wecom('/cgi-bin/webhook/send', {
			query: { key: key() },
			body: { msgtype: 'file', file: { media_id: file.body.media_id } },
		});
		expect(sent.body.errcode).toBe(0);
		const voice = await ctx.client.wecom('/cgi-bin/webhook/upload_media', {
			query: { key: key(), type: 'voice' },
			...multipart(Buffer.from('#!AMR\nxxxxxxxx'), 'a.amr'),
		});
		expect(voice.body.errcode).toBe(0);
	});

	test('refuses a wrong key, a tiny or non-AMR voice, a missing field and unknown media on send', async () => {
		const badKey = await ctx.client.wecom('/cgi-bin/webhook/upload_media', {
			query: { key: 'nope', type: 'file' },
			...multipart(Buffer.from('0123456789')),
		});
		expect(badKey.body.errcode).toBe(93000);
		const tiny = await ctx.client.wecom('/cgi-bin/webhook/upload_media', {
			query: { key: key(), type: 'file' },
			...multipart(Buffer.from('12345')),
		});
		expect(tiny.body.errcode).toBe(40035);
		const mp3 = await ctx.client.wecom('/cgi-bin/webhook/upload_media', {
			query: { key: key(), type: 'voice' },
			...multipart(Buffer.from('ID3xxxxxxxxx'), 'a.mp3'),
		});
		expect(mp3.body.errmsg).toContain('voice must be AMR');
		const unknown = await ctx.client.wecom('/cgi-bin/webhook/send', {
			query: { key: key() },
			body: { msgtype: 'file', file: { media_id: 'robot-file-999' } },
		});
		expect(unknown.body.errcode).toBe(40035);
		expect(unknown.body.errmsg).toContain('invalid media_id');
	});
});
