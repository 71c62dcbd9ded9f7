// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');

const ctx = useEmulator();
const AGENT = 1000002;
const text = (/** @type {string} */ content) => ({ msgtype: 'text', text: { content } });

/** POST /cgi-bin/message/send with the primary app's token. */
async function send(
	/** @type {Record<string, unknown>} */ fields,
	/** @type {Record<string, string>} */ headers = {},
) {
	const token = await ctx.client.wecomToken();
	return ctx.client.wecom('/cgi-bin/message/send', {
		query: { access_token: token },
		body: { agentid: AGENT, ...fields },
		headers,
	});
}
async function recall(/** @type {unknown} */ msgid) {
	const token = await ctx.client.wecomToken();
	return ctx.client.wecom('/cgi-bin/message/recall', {
		query: { access_token: token },
		body: { msgid },
	});
}

describe('message/send', () => {
	test('a clean send answers errcode 0, errmsg ok and a msgid only (empty lists omitted)', async () => {
		const { status, body } = await send({ touser: 'ZhangSan|LiSi', ...text('hi') });
		expect(status).toBe(200);
		expect(body).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.stringMatching(/^[\w-]{43}$/) });
		const message = ctx.emu.wecom.message(body.msgid);
		expect(message).toMatchObject({
			corpId: 'wwemucorp0001',
			agentId: AGENT,
			msgtype: 'text',
			content: { content: 'hi' },
			recipients: ['ZhangSan', 'LiSi'],
		});
	});

	test('emptyRecipientLists "empty" sends every list, empty ones as ""', async () => {
		ctx.emu.settings.set({ wecom: { emptyRecipientLists: 'empty' } });
		const { body } = await send({ touser: 'ZhangSan', ...text('hi') });
		expect(body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			invaliduser: '',
			invalidparty: '',
			invalidtag: '',
			unlicenseduser: '',
			msgid: expect.any(String),
		});
	});

	test('userids match case-insensitively; returned ids are lower-cased; partial invalid still sends', async () => {
		const { body } = await send({
			touser: 'zhangsan|GHOST|Nobody|WANGWU',
			toparty: '31|999|x',
			totag: '1|77',
			...text('hi'),
		});
		expect(body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			invaliduser: 'ghost|nobody',
			invalidparty: '999|x',
			invalidtag: '77',
			unlicenseduser: 'nolicense02',
			msgid: expect.any(String),
		});
		const message = ctx.emu.wecom.message(body.msgid);
		// Department 31 (WangWu, ZhouBa, NoLicense02, user03…) and tag 1 (ZhangSan, LiSi).
		expect(message.recipients).toEqual(
			expect.arrayContaining(['ZhangSan', 'WangWu', 'ZhouBa', 'LiSi']),
		);
		expect(message.recipients).not.toContain('NoLicense02');
		expect(message.unlicensedUsers).toEqual(['NoLicense02']);
	});

	test('departments include sub-departments; tags bring their users and departments', async () => {
		const dept3 = await send({ toparty: '3', ...text('eng') });
		const users = ctx.emu.state.wecom.users.filter(
			(user) =>
				user.corpId === 'wwemucorp0001' &&
				user.licensed &&
				user.department.some((id) => [3, 31, 32].includes(id)),
		);
		expect(ctx.emu.wecom.message(dept3.body.msgid).recipients).toEqual(
			users.map((user) => user.userid),
		);
		const tag2 = await send({ totag: '2', ...text('on-call') });
		const tagged = ctx.emu.wecom.message(tag2.body.msgid);
		expect(tagged.recipients).toContain('SunQi');
		expect(tagged.recipients).toContain('WangWu');
		expect(tag2.body.unlicenseduser).toBe('nolicense02');
	});

	test('@all reaches every licensed member and lists the unlicensed ones', async () => {
		const { body } = await send({ touser: '@all', toparty: '999', ...text('all hands') });
		expect(body.unlicenseduser).toBe('nolicense01|nolicense02');
		expect(body.invalidparty).toBeUndefined(); // toparty is ignored with @all
		expect(ctx.emu.wecom.message(body.msgid).recipients).toHaveLength(
			ctx.emu.seed.wecom.users.length - 2,
		);
	});

	test('all recipients invalid (or none given) → 81013 and nothing recorded', async () => {
		const { body } = await send({ touser: 'ghost', toparty: '999', totag: '77', ...text('x') });
		expect(body.errcode).toBe(81013);
		expect(body.errmsg).toMatch(/^user & party & tag all invalid, hint: /);
		expect((await send(text('nobody'))).body.errcode).toBe(81013);
		expect(ctx.emu.wecom.messages()).toHaveLength(0);
	});

	test("agentid must be the token's app → 40056", async () => {
		expect((await send({ agentid: 1000003, touser: 'ZhangSan', ...text('x') })).body.errcode).toBe(
			40056,
		);
		expect(
			(await send({ agentid: undefined, touser: 'ZhangSan', ...text('x') })).body.errcode,
		).toBe(40056);
		// The second app with its own token may use its own agentid.
		const second = ctx.emu.seed.wecom.apps[1];
		const token = await ctx.client.wecomToken(second.corpId, second.secret);
		const ok = await ctx.client.wecom('/cgi-bin/message/send', {
			query: { access_token: token },
			body: { agentid: second.agentId, touser: 'ZhangSan', ...text('x') },
		});
		expect(ok.body.errcode).toBe(0);
	});

	test('JSON sent as text/plain is parsed; malformed JSON → 40035 with "Warning: wrong json format."', async () => {
		const token = await ctx.client.wecomToken();
		const body = JSON.stringify({ agentid: AGENT, touser: 'ZhangSan', ...text('plain') });
		const plain = await ctx.client.wecom('/cgi-bin/message/send', {
			query: { access_token: token },
			raw: body,
			headers: { 'content-type': 'text/plain;charset=UTF-8' },
		});
		expect(plain.body.errcode).toBe(0);
		const broken = await ctx.client.wecom('/cgi-bin/message/send', {
			query: { access_token: token },
			raw: '{"agentid": 1000002,',
			headers: { 'content-type': 'application/json' },
		});
		expect(broken.body.errcode).toBe(40035);
		expect(broken.body.errmsg).toContain('Warning: wrong json format.');
		const form = await ctx.client.wecom('/cgi-bin/message/send', {
			query: { access_token: token },
			raw: 'agentid=1000002&touser=ZhangSan',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expect(form.body.errmsg).toContain('Warning: wrong json format.');
		const jsonAsForm = await ctx.client.wecom('/cgi-bin/message/send', {
			query: { access_token: token },
			raw: body,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
		expect(jsonAsForm.body.errcode).toBe(0);
	});

	test.each([
		['no msgtype', { text: { content: 'x' } }],
		['unknown msgtype', { msgtype: 'sticker', sticker: {} }],
		['text without content', { msgtype: 'text', text: {} }],
		['markdown without content', { msgtype: 'markdown', markdown: { content: '' } }],
		['image without media_id', { msgtype: 'image', image: {} }],
		['textcard without url', { msgtype: 'textcard', textcard: { title: 't', description: 'd' } }],
		[
			'news with 9 articles',
			{ msgtype: 'news', news: { articles: Array.from({ length: 9 }, () => ({ title: 't' })) } },
		],
		[
			'mpnews article without thumb_media_id',
			{ msgtype: 'mpnews', mpnews: { articles: [{ title: 't', content: 'c' }] } },
		],
		[
			'miniprogram_notice without appid',
			{ msgtype: 'miniprogram_notice', miniprogram_notice: { title: 't' } },
		],
		[
			'template_card with unknown card_type',
			{ msgtype: 'template_card', template_card: { card_type: 'poster' } },
		],
		[
			'interactive template_card without task_id',
			{ msgtype: 'template_card', template_card: { card_type: 'button_interaction' } },
		],
		[
			'taskcard without buttons',
			{ msgtype: 'taskcard', taskcard: { title: 't', description: 'd', task_id: 'x', btn: [] } },
		],
		['safe 2', { safe: 2, ...text('x') }],
		['touser as an array', { touser: ['ZhangSan'], ...text('x') }],
	])('rejects %s with 40035', async (_name, fields) => {
		const { body } = await send({ touser: 'ZhangSan', ...fields });
		expect(body.errcode).toBe(40035);
		expect(body.errmsg).toMatch(/^invalid parameter, /);
	});

	test.each([
		['image', { msgtype: 'image', image: { media_id: 'MEDIA' } }],
		['voice', { msgtype: 'voice', voice: { media_id: 'MEDIA' } }],
		['file', { msgtype: 'file', file: { media_id: 'MEDIA' } }],
		['video', { msgtype: 'video', video: { media_id: 'MEDIA', title: 't' } }],
		[
			'textcard',
			{
				msgtype: 'textcard',
				textcard: { title: 't', description: 'd', url: 'https://x', btntxt: 'more' },
			},
		],
		['news', { msgtype: 'news', news: { articles: [{ title: 't', url: 'https://x' }] } }],
		[
			'mpnews',
			{
				msgtype: 'mpnews',
				mpnews: { articles: [{ title: 't', thumb_media_id: 'M', content: '<p>c</p>' }] },
			},
		],
		[
			'miniprogram_notice',
			{ msgtype: 'miniprogram_notice', miniprogram_notice: { appid: 'wx1', title: 't' } },
		],
		['markdown', { msgtype: 'markdown', markdown: { content: '**bold**' } }],
		[
			'taskcard',
			{
				msgtype: 'taskcard',
				taskcard: { title: 't', description: 'd', task_id: 'x', btn: [{ key: 'ok', name: 'OK' }] },
			},
		],
	])('accepts a structurally valid %s', async (_name, fields) => {
		const { body } = await send({ touser: 'ZhangSan', ...fields });
		expect(body.errcode).toBe(0);
		expect(body.response_code).toBeUndefined();
	});

	test('interactive template cards get a response_code', async () => {
		const { body } = await send({
			touser: 'ZhangSan',
			msgtype: 'template_card',
			template_card: {
				card_type: 'button_interaction',
				task_id: 'T1',
				main_title: { title: 'Approve?' },
			},
		});
		expect(body.response_code).toEqual(expect.any(String));
		expect(ctx.emu.wecom.message(body.msgid).responseCode).toBe(body.response_code);
	});

	test('recipient limits: touser ≤ 1000, toparty ≤ 100, totag ≤ 100', async () => {
		const many = (/** @type {number} */ n) =>
			Array.from({ length: n }, (_, i) => `u${i}`).join('|');
		expect((await send({ touser: `ZhangSan|${many(999)}`, ...text('ok') })).body.errcode).toBe(0);
		expect((await send({ touser: `ZhangSan|${many(1000)}`, ...text('x') })).body.errcode).toBe(
			40035,
		);
		expect(
			(await send({ touser: 'ZhangSan', toparty: many(101), ...text('x') })).body.errcode,
		).toBe(40035);
		expect((await send({ touser: 'ZhangSan', totag: many(101), ...text('x') })).body.errcode).toBe(
			40035,
		);
	});

	test('text over 2048 bytes is truncated on a character boundary, or refused when configured', async () => {
		const { body } = await send({ touser: 'ZhangSan', ...text('字'.repeat(700)) });
		expect(body.errcode).toBe(0);
		const message = ctx.emu.wecom.message(body.msgid);
		expect(message.truncated).toBe(true);
		expect(message.content.content).toBe('字'.repeat(682));
		ctx.emu.settings.set({ wecom: { overlongText: 'reject' } });
		expect((await send({ touser: 'ZhangSan', ...text('字'.repeat(700)) })).body.errcode).toBe(
			40035,
		);
		expect((await send({ touser: 'ZhangSan', ...text('字'.repeat(682)) })).body.errcode).toBe(0);
	});

	test('duplicate check: an identical message within the interval reaches nobody', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		const fields = {
			touser: 'ZhangSan',
			enable_duplicate_check: 1,
			duplicate_check_interval: 600,
			...text('dup'),
		};
		const first = await send(fields);
		const second = await send(fields);
		expect(second.body.errcode).toBe(0);
		expect(ctx.emu.wecom.message(second.body.msgid)).toMatchObject({
			duplicateOf: first.body.msgid,
			recipients: [],
		});
		const withoutCheck = await send({ ...fields, enable_duplicate_check: 0 });
		expect(ctx.emu.wecom.message(withoutCheck.body.msgid).recipients).toEqual(['ZhangSan']);
		ctx.emu.clock.advance(600_000);
		const later = await send(fields);
		expect(ctx.emu.wecom.message(later.body.msgid)).toMatchObject({
			duplicateOf: null,
			recipients: ['ZhangSan'],
		});
	});

	test('more than 30 messages a minute to one member are silently dropped', async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		for (let i = 0; i < 30; i += 1) await send({ touser: 'LiSi', ...text(`n${i}`) });
		const over = await send({ touser: 'LiSi|WangWu', ...text('n30') });
		expect(over.body.errcode).toBe(0);
		expect(ctx.emu.wecom.message(over.body.msgid)).toMatchObject({
			recipients: ['WangWu'],
			droppedUsers: ['LiSi'],
		});
		ctx.emu.clock.advance(60_000);
		const next = await send({ touser: 'LiSi', ...text('n31') });
		expect(ctx.emu.wecom.message(next.body.msgid).recipients).toEqual(['LiSi']);
	});
});

describe('message/recall', () => {
	test("recalls this app's message within 24 h and marks it in state", async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		const { body } = await send({ touser: 'ZhangSan', ...text('oops') });
		ctx.emu.clock.advance(3600_000);
		expect((await recall(body.msgid)).body).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(ctx.emu.wecom.message(body.msgid).recalledAt).toBe(Date.UTC(2025, 5, 1) + 3600_000);
	});

	test("unknown msgid, missing msgid, another app's message and messages older than 24 h → 40035", async () => {
		ctx.emu.clock.freeze(Date.UTC(2025, 5, 1));
		expect((await recall('nope')).body.errcode).toBe(40035);
		expect((await recall(undefined)).body.errcode).toBe(40035);
		const { body } = await send({ touser: 'ZhangSan', ...text('old') });
		const second = ctx.emu.seed.wecom.apps[1];
		const token = await ctx.client.wecomToken(second.corpId, second.secret);
		const foreign = await ctx.client.wecom('/cgi-bin/message/recall', {
			query: { access_token: token },
			body: { msgid: body.msgid },
		});
		expect(foreign.body.errcode).toBe(40035);
		ctx.emu.clock.advance(24 * 3600_000 + 1);
		const late = await recall(body.msgid);
		expect(late.body.errcode).toBe(40035);
		expect(late.body.errmsg).toContain('24 hours');
	});
});
