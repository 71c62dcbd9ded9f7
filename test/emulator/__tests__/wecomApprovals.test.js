// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');

/**
 * The WeCom approval engine over HTTP: gettemplatedetail, applyevent (every control, both approver
 * shapes and the template flow, every refusal), media/upload + File controls, getapprovaldetail,
 * getapprovalinfo (rules, paging, filters), acting through the control API and the
 * sys_approval_change events with their XML.
 */

const ctx = useEmulator();

const LEAVE = 'C4ZXKAAPcf2kEj4dPXfhW1FmZyXLHnKLdyDuBxTZ4b';
const EXPENSE = 'BsAfeBmFNkxeshuJzZ9KQNSQHtk8WHs3E1MwJ1QmEm';
/** 2026-12-01 09:00 China time. */
const DEC_1 = Date.UTC(2026, 11, 1, 1, 0, 0);
const DAY = 24 * 3600 * 1000;
const zh = (/** @type {string} */ text) => [{ text, lang: 'zh_CN' }];

/** The whole errmsg of a 301025 answer starts with this (the hint tail follows). */
const approvalMsg = (/** @type {string} */ start) =>
	expect.stringMatching(
		new RegExp(
			`^${start.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(.*, )?hint: \\[[^\\]]+\\], from ip: [^,]+, more info at https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e=301025$`,
		),
	);

/** POST with a fresh token of an app (the clock may have moved past the old one). */
async function post(
	/** @type {string} */ path,
	/** @type {unknown} */ body,
	/** @type {{ corpId?: string, secret?: string }} */ app = {},
) {
	const token = await ctx.client.wecomToken(app.corpId, app.secret);
	return ctx.client.wecom(path, { query: { access_token: token }, body });
}

/** A multipart body with the file in the field `media`. */
function multipart(/** @type {Buffer} */ data, filename = 'report.pdf') {
	const boundary = 'emu-approval-boundary';
	const raw = Buffer.concat([
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
		),
		data,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	return { raw, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** media/upload with the primary app's token. */
async function upload(/** @type {string} */ type, /** @type {Buffer} */ data, filename = 'a.pdf') {
	const token = await ctx.client.wecomToken();
	return ctx.client.wecom('/cgi-bin/media/upload', {
		query: { access_token: token, type },
		...multipart(data, filename),
	});
}
const uploadFile = async () =>
	(await upload('file', Buffer.from('%PDF-1.4 leave note'))).body.media_id;

/** The required leave controls, correctly encoded (B17). */
const leaveContents = () => [
	{
		control: 'Selector',
		id: 'Selector-15111111',
		value: { selector: { type: 'single', options: [{ key: 'option-1' }] } },
	},
	{ control: 'Date', id: 'Date-1', value: { date: { type: 'day', s_timestamp: '1764777600' } } },
	{ control: 'Date', id: 'Date-2', value: { date: { type: 'day', s_timestamp: '1764864000' } } },
	{ control: 'Number', id: 'Number-1', value: { new_number: '1.5' } },
];
/** A leave application by WangWu along the template's flow. */
const leave = (/** @type {Record<string, any>} */ fields = {}) => ({
	creator_userid: 'WangWu',
	template_id: LEAVE,
	use_template_approver: 1,
	apply_data: { contents: leaveContents() },
	summary_list: [{ summary_info: zh('年假 1.5 天') }],
	...fields,
});
/** With one leave content replaced (or added). */
const leaveWith = (/** @type {Record<string, any>} */ content, fields = {}) =>
	leave({
		apply_data: {
			contents: [...leaveContents().filter((item) => item.id !== content.id), content],
		},
		...fields,
	});

/** The required expense controls. */
const expenseContents = () => [
	{ control: 'Money', id: 'Money-1', value: { new_money: '1200.50' } },
	{
		control: 'Selector',
		id: 'Selector-2',
		value: { selector: { type: 'multi', options: [{ key: 'option-a' }, { key: 'option-c' }] } },
	},
	{ control: 'Date', id: 'Date-3', value: { date: { type: 'hour', s_timestamp: '1764748800' } } },
];
const expense = (/** @type {Record<string, any>} */ fields = {}) => ({
	creator_userid: 'ZhouBa',
	template_id: EXPENSE,
	use_template_approver: 1,
	apply_data: { contents: expenseContents() },
	...fields,
});
const expenseWith = (/** @type {Record<string, any>} */ content, fields = {}) =>
	expense({
		apply_data: {
			contents: [...expenseContents().filter((item) => item.id !== content.id), content],
		},
		...fields,
	});

async function apply(/** @type {Record<string, any>} */ body) {
	const answer = await post('/cgi-bin/oa/applyevent', body);
	expect(answer.body).toEqual({
		errcode: 0,
		errmsg: 'ok',
		sp_no: expect.stringMatching(/^\d{12}$/),
	});
	return /** @type {string} */ (answer.body.sp_no);
}
const detail = async (/** @type {string} */ spNo) =>
	(await post('/cgi-bin/oa/getapprovaldetail', { sp_no: spNo })).body.info;
const act = (/** @type {string} */ spNo, /** @type {any} */ input) =>
	ctx.emu.wecom.approvals.act(spNo, input);

/** Elements of an XML string, in order (names only), for counting repeats. */
const count = (/** @type {string} */ xml, /** @type {string} */ name) =>
	(xml.match(new RegExp(`<${name}>`, 'g')) ?? []).length;

beforeEach(() => {
	ctx.emu.clock.freeze(DEC_1);
});

describe('gettemplatedetail', () => {
	test('the leave template: names and every control with property and config', async () => {
		const { body } = await post('/cgi-bin/oa/gettemplatedetail', { template_id: LEAVE });
		expect(body.errcode).toBe(0);
		expect(body.errmsg).toBe('ok');
		expect(body.template_names).toEqual([{ text: '请假 Leave', lang: 'zh_CN' }]);
		const controls = body.template_content.controls;
		expect(controls.map((/** @type {any} */ item) => item.property.id)).toEqual([
			'Selector-15111111',
			'Date-1',
			'Date-2',
			'Number-1',
			'Textarea-1',
			'Contact-1',
			'File-1',
			'Tips-1',
		]);
		expect(controls[0]).toEqual({
			property: {
				control: 'Selector',
				id: 'Selector-15111111',
				title: zh('请假类型'),
				placeholder: zh('请选择'),
				require: 1,
				un_print: 0,
			},
			config: {
				selector: {
					type: 'single',
					options: [
						{ key: 'option-1', value: zh('年假') },
						{ key: 'option-2', value: zh('事假') },
						{ key: 'option-3', value: zh('病假') },
					],
				},
			},
		});
		expect(controls[1].config).toEqual({ date: { type: 'day' } });
		expect(controls[3]).toEqual({
			property: expect.objectContaining({ control: 'Number', title: zh('请假天数'), require: 1 }),
		});
		expect(controls[4].property).toMatchObject({ control: 'Textarea', require: 0 });
		expect(controls[5].config).toEqual({ contact: { type: 'single', mode: 'user' } });
		expect(controls[6]).toEqual({
			property: expect.objectContaining({ control: 'File', require: 0 }),
		});
		expect(controls[7].property.control).toBe('Tips');
		expect(controls[7].config.tips.tips_content[0].lang).toBe('zh_CN');
	});

	test('the expense template: multi selector, hour date, department contact, table children', async () => {
		const { body } = await post('/cgi-bin/oa/gettemplatedetail', { template_id: EXPENSE });
		expect(body.template_names).toEqual(zh('报销 Expense'));
		const [money, selector, date, contact, table] = body.template_content.controls;
		expect(money.property).toMatchObject({
			control: 'Money',
			id: 'Money-1',
			title: zh('报销金额'),
			require: 1,
		});
		expect(selector.config.selector).toEqual({
			type: 'multi',
			options: [
				{ key: 'option-a', value: zh('交通') },
				{ key: 'option-b', value: zh('餐饮') },
				{ key: 'option-c', value: zh('住宿') },
			],
		});
		expect(date.config).toEqual({ date: { type: 'hour' } });
		expect(contact.config).toEqual({ contact: { type: 'multi', mode: 'department' } });
		expect(contact.property.require).toBe(0);
		expect(table.property).toMatchObject({
			control: 'Table',
			id: 'Table-1',
			title: zh('费用明细'),
		});
		expect(table.config.table.stat_field).toEqual([]);
		expect(table.config.table.children.map((/** @type {any} */ item) => item.property)).toEqual([
			expect.objectContaining({ control: 'Text', id: 'Text-1', title: zh('项目'), require: 1 }),
			expect.objectContaining({ control: 'Money', id: 'Money-2', title: zh('金额'), require: 1 }),
		]);
	});

	test('an unknown, missing or other-corp template_id → 301025 "get approval param error" with template_names []', async () => {
		const token = await ctx.client.wecomToken();
		const empty = ctx.client.wecom('/cgi-bin/oa/gettemplatedetail', {
			method: 'POST',
			query: { access_token: token },
		});
		for (const answer of [
			await post('/cgi-bin/oa/gettemplatedetail', { template_id: 'nope' }),
			await post('/cgi-bin/oa/gettemplatedetail', {}),
			await empty,
		]) {
			expect(answer.body).toEqual({
				errcode: 301025,
				errmsg: approvalMsg('get approval param error, template_id'),
				template_names: [],
			});
		}
		const other = await post(
			'/cgi-bin/oa/gettemplatedetail',
			{ template_id: LEAVE },
			{ corpId: 'wwemucorp0002', secret: 'emu-wecom-secret-corp2-1000002' },
		);
		expect(other.body.errcode).toBe(301025);
	});

	test('a malformed body → 40035 wrong json; no token → 41001', async () => {
		const token = await ctx.client.wecomToken();
		const bad = await ctx.client.wecom('/cgi-bin/oa/gettemplatedetail', {
			query: { access_token: token },
			raw: '{"template_id":',
			headers: { 'content-type': 'application/json' },
		});
		expect(bad.body.errcode).toBe(40035);
		expect(bad.body.errmsg).toContain('Warning: wrong json format.');
		const anonymous = await ctx.client.wecom('/cgi-bin/oa/gettemplatedetail', {
			body: { template_id: LEAVE },
		});
		expect(anonymous.body.errcode).toBe(41001);
	});
});

describe('media/upload', () => {
	test('uploads each type; the media_id and created_at come back, the control API lists it', async () => {
		const file = await upload('file', Buffer.from('%PDF-1.4 hello'));
		expect(file.body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			type: 'file',
			media_id: expect.stringMatching(/^3[A-Za-z0-9]{62}$/),
			created_at: String(Math.floor(DEC_1 / 1000)),
		});
		const png = Buffer.concat([
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
			Buffer.alloc(20),
		]);
		expect((await upload('image', png, 'a.png')).body.type).toBe('image');
		expect((await upload('voice', Buffer.from('#!AMR\nxxxxxxxx'), 'a.amr')).body.errcode).toBe(0);
		const mp4 = Buffer.concat([
			Buffer.from([0, 0, 0, 24]),
			Buffer.from('ftypisom'),
			Buffer.alloc(16),
		]);
		expect((await upload('video', mp4, 'a.mp4')).body.errcode).toBe(0);
		const media = ctx.emu.wecom.approvals.media();
		expect(media.map((item) => item.type)).toEqual(['file', 'image', 'voice', 'video']);
		expect(media[0]).toMatchObject({
			mediaId: file.body.media_id,
			corpId: 'wwemucorp0001',
			agentId: 1000002,
			filename: 'a.pdf',
			size: 14,
			createdAt: DEC_1,
		});
		const listed = await ctx.client.control('/wecom/approvals/media');
		expect(listed.body.media).toHaveLength(4);
	});

	test('refusals: type, missing media, size, format', async () => {
		const token = await ctx.client.wecomToken();
		const noType = await ctx.client.wecom('/cgi-bin/media/upload', {
			query: { access_token: token },
			...multipart(Buffer.from('0123456789')),
		});
		expect(noType.body.errcode).toBe(40005);
		expect(noType.body.errmsg).toMatch(
			/^invalid file type, type must be one of image, voice, video, file/,
		);
		const noMedia = await ctx.client.wecom('/cgi-bin/media/upload', {
			query: { access_token: token, type: 'file' },
			body: {},
		});
		expect(noMedia.body.errcode).toBe(44001);
		expect((await upload('file', Buffer.from('12345'))).body.errcode).toBe(40006);
		expect((await upload('image', Buffer.from('GIF89a-not-allowed'))).body.errcode).toBe(40004);
		expect((await upload('voice', Buffer.from('ID3-an-mp3-file'))).body.errcode).toBe(301017);
		expect((await upload('video', Buffer.from('not an mp4 at all'))).body.errcode).toBe(40004);
		const bigJpg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(10 * 1024 * 1024)]);
		expect((await upload('image', bigJpg, 'big.jpg')).body.errcode).toBe(40009);
		expect(ctx.emu.wecom.approvals.media()).toEqual([]);
	});
});

describe('applyevent', () => {
	test('template flow with every leave control; sp_no = China date + sequence; detail shape', async () => {
		const mediaId = await uploadFile();
		const spNo = await apply(
			leave({
				apply_data: {
					contents: [
						...leaveContents(),
						{ control: 'Textarea', id: 'Textarea-1', value: { text: '回老家\n探亲' } },
						{
							control: 'Contact',
							id: 'Contact-1',
							value: { members: [{ userid: 'ZhaoLiu', name: '赵六' }] },
						},
						{ control: 'File', id: 'File-1', value: { files: [{ file_id: mediaId }] } },
					],
				},
			}),
		);
		expect(spNo).toBe('202612010001');
		expect(await apply(leave())).toBe('202612010002');
		const info = await detail(spNo);
		expect(info).toEqual({
			sp_no: spNo,
			sp_name: '请假 Leave',
			sp_status: 1,
			template_id: LEAVE,
			apply_time: Math.floor(DEC_1 / 1000),
			applyer: { userid: 'WangWu', partyid: '31' },
			sp_record: [
				{
					sp_status: 1,
					approverattr: 1,
					details: [
						{ approver: { userid: 'LiSi' }, speech: '', sp_status: 1, sptime: 0, media_id: [] },
					],
				},
				{
					sp_status: 1,
					approverattr: 1,
					details: [
						{ approver: { userid: 'ZhangSan' }, speech: '', sp_status: 1, sptime: 0, media_id: [] },
					],
				},
			],
			notifyer: [],
			apply_data: {
				contents: [
					{
						control: 'Selector',
						id: 'Selector-15111111',
						title: zh('请假类型'),
						value: {
							selector: { type: 'single', options: [{ key: 'option-1', value: zh('年假') }] },
						},
					},
					{
						control: 'Date',
						id: 'Date-1',
						title: zh('开始时间'),
						value: { date: { type: 'day', s_timestamp: '1764777600' } },
					},
					{
						control: 'Date',
						id: 'Date-2',
						title: zh('结束时间'),
						value: { date: { type: 'day', s_timestamp: '1764864000' } },
					},
					{
						control: 'Number',
						id: 'Number-1',
						title: zh('请假天数'),
						value: { new_number: '1.5' },
					},
					{
						control: 'Textarea',
						id: 'Textarea-1',
						title: zh('请假事由'),
						value: { text: '回老家\n探亲' },
					},
					{
						control: 'Contact',
						id: 'Contact-1',
						title: zh('工作交接人'),
						value: { members: [{ userid: 'ZhaoLiu', name: '赵六' }] },
					},
					{
						control: 'File',
						id: 'File-1',
						title: zh('附件'),
						value: { files: [{ file_id: mediaId }] },
					},
				],
			},
			comments: [],
			process_list: {
				node_list: [
					{
						node_type: 1,
						sp_status: 1,
						apv_rel: 2,
						sub_node_list: [{ userid: 'LiSi', speech: '', sp_yj: 1, sptime: 0, media_ids: [] }],
					},
					{
						node_type: 1,
						sp_status: 1,
						apv_rel: 2,
						sub_node_list: [{ userid: 'ZhangSan', speech: '', sp_yj: 1, sptime: 0, media_ids: [] }],
					},
				],
			},
		});
		// The sequence restarts on the next China-time day (00:00 +08:00 = 16:00 UTC).
		ctx.emu.clock.freeze(Date.UTC(2026, 11, 1, 16, 0, 0));
		expect(await apply(leave())).toBe('202612020001');
	});

	test('the expense template flow: approver SunQi, cc ZhouBa; departments and table rows', async () => {
		const spNo = await apply(
			expense({
				apply_data: {
					contents: [
						...expenseContents(),
						{
							control: 'Contact',
							id: 'Contact-2',
							value: {
								departments: [
									{ openapi_id: '2', name: '产品部' },
									{ openapi_id: '31', name: '平台组' },
								],
							},
						},
						{
							control: 'Table',
							id: 'Table-1',
							value: {
								children: [
									{
										list: [
											{ control: 'Text', id: 'Text-1', value: { text: '出租车' } },
											{ control: 'Money', id: 'Money-2', value: { new_money: '80' } },
										],
									},
									{
										list: [
											{ control: 'Money', id: 'Money-2', value: { new_money: '1120.50' } },
											{ control: 'Text', id: 'Text-1', value: { text: '酒店' } },
										],
									},
								],
							},
						},
					],
				},
			}),
		);
		const info = await detail(spNo);
		expect(info.applyer).toEqual({ userid: 'ZhouBa', partyid: '31' });
		expect(info.sp_record).toEqual([
			{
				sp_status: 1,
				approverattr: 1,
				details: [expect.objectContaining({ approver: { userid: 'SunQi' } })],
			},
		]);
		expect(info.notifyer).toEqual([{ userid: 'ZhouBa' }]);
		expect(info.process_list.node_list[1]).toEqual({
			node_type: 2,
			sub_node_list: [{ userid: 'ZhouBa', media_ids: [] }],
		});
		const table = info.apply_data.contents.find((/** @type {any} */ item) => item.id === 'Table-1');
		expect(table.value.children[1]).toEqual({
			list: [
				{ control: 'Text', id: 'Text-1', title: zh('项目'), value: { text: '酒店' } },
				{ control: 'Money', id: 'Money-2', title: zh('金额'), value: { new_money: '1120.50' } },
			],
		});
		const selector = info.apply_data.contents.find(
			(/** @type {any} */ item) => item.id === 'Selector-2',
		);
		expect(selector.value.selector.options).toEqual([
			{ key: 'option-a', value: zh('交通') },
			{ key: 'option-c', value: zh('住宿') },
		]);
	});

	test('old shape: approver nodes (OR / AND), notifyer, notify_type; case-insensitive userids; choose_department', async () => {
		const spNo = await apply(
			expense({
				creator_userid: 'zhouba',
				use_template_approver: 0,
				choose_department: 4,
				approver: [
					{ attr: 2, userid: ['LiSi', 'wangwu'] },
					{ attr: 1, userid: ['ZhangSan', 'SunQi'] },
					{ userid: ['ZhaoLiu'] },
				],
				notifyer: ['ZhouBa', 'zhangsan'],
				notify_type: 3,
			}),
		);
		const info = await detail(spNo);
		expect(info.applyer).toEqual({ userid: 'ZhouBa', partyid: '4' });
		expect(
			info.sp_record.map((/** @type {any} */ node) => [
				node.approverattr,
				node.details.map((/** @type {any} */ d) => d.approver.userid),
			]),
		).toEqual([
			[2, ['LiSi', 'WangWu']],
			[1, ['ZhangSan', 'SunQi']],
			[1, ['ZhaoLiu']],
		]);
		expect(info.notifyer).toEqual([{ userid: 'ZhouBa' }, { userid: 'ZhangSan' }]);
		expect(
			info.process_list.node_list.map((/** @type {any} */ node) => [node.node_type, node.apv_rel]),
		).toEqual([
			[1, 1],
			[1, 2],
			[1, 2],
			[2, undefined],
		]);
		expect(ctx.emu.wecom.approvals.instance(spNo)).toMatchObject({
			flowSource: 'approver',
			notifyType: 3,
		});
	});

	test('new shape: process.node_list with approver (AND / OR / one after another), cc and handler nodes', async () => {
		const spNo = await apply(
			leave({
				use_template_approver: 0,
				process: {
					node_list: [
						{ type: 1, apv_rel: 1, userid: ['LiSi', 'ZhangSan'] },
						{ type: 2, userid: ['ZhouBa'] },
						{ type: 1, apv_rel: 2, userid: ['SunQi', 'ZhaoLiu'] },
						{ type: 3, apv_rel: 3, userid: ['WangWu', 'ZhouBa'] },
					],
				},
				// The old fields are ignored when process is given.
				approver: [{ attr: 1, userid: ['user01'] }],
			}),
		);
		const info = await detail(spNo);
		expect(info.sp_record.map((/** @type {any} */ node) => node.approverattr)).toEqual([2, 1, 2]);
		expect(info.sp_record[0].details.map((/** @type {any} */ d) => d.approver.userid)).toEqual([
			'LiSi',
			'ZhangSan',
		]);
		expect(info.notifyer).toEqual([{ userid: 'ZhouBa' }]);
		expect(info.process_list.node_list.map((/** @type {any} */ node) => node.node_type)).toEqual([
			1, 2, 1, 3,
		]);
		expect(info.process_list.node_list[3].apv_rel).toBe(3);
		expect(ctx.emu.wecom.approvals.instance(spNo).flowSource).toBe('process');
	});

	test('numbers given as strings of digits are read (use_template_approver "0", attr "2", choose_department "31")', async () => {
		const spNo = await apply(
			leave({
				use_template_approver: '0',
				approver: [{ attr: '2', userid: ['LiSi'] }],
				choose_department: '31',
			}),
		);
		expect((await detail(spNo)).sp_record[0].approverattr).toBe(2);
	});

	/** @type {Array<[string, () => Record<string, any> | Promise<Record<string, any>>, string]>} */
	const refusals = [
		[
			'unknown template',
			() => leave({ template_id: 'NoSuchTemplate' }),
			'get approval param error:invalid template_id NoSuchTemplate, ',
		],
		[
			'missing template',
			() => leave({ template_id: undefined }),
			'get approval param error:invalid template_id, ',
		],
		[
			'unknown creator',
			() => leave({ creator_userid: 'Ghost' }),
			'get approval param error:creator_userid not in app visiable range, ',
		],
		[
			'creator of another corp',
			() => leave({ creator_userid: 'OtherUser' }),
			'get approval param error:creator_userid not in app visiable range',
		],
		[
			'disabled creator',
			() => leave({ creator_userid: 'user30' }),
			'get approval param error:creator_userid not in app visiable range',
		],
		[
			'missing creator',
			() => leave({ creator_userid: undefined }),
			'get approval param error:creator_userid not in app visiable range',
		],
		[
			'use_template_approver 2',
			() => leave({ use_template_approver: 2 }),
			'get approval param error:invalid use_template_approver, ',
		],
		[
			'no approver with use_template_approver 0',
			() => leave({ use_template_approver: 0 }),
			'get approval param error:approver is empty, ',
		],
		[
			'empty approver list',
			() => leave({ use_template_approver: 0, approver: [] }),
			'get approval param error:approver is empty',
		],
		[
			'unknown approver',
			() => leave({ use_template_approver: 0, approver: [{ attr: 1, userid: ['LiSi', 'Ghost'] }] }),
			'get approval param error:invalid approver userid Ghost, approver[0]',
		],
		[
			'approver without userids',
			() => leave({ use_template_approver: 0, approver: [{ attr: 1, userid: [] }] }),
			'get approval param error:invalid approver userid, ',
		],
		[
			'attr 3',
			() => leave({ use_template_approver: 0, approver: [{ attr: 3, userid: ['LiSi'] }] }),
			'get approval param error:invalid approver attr 3, ',
		],
		[
			'unknown notifyer',
			() =>
				leave({
					use_template_approver: 0,
					approver: [{ attr: 1, userid: ['LiSi'] }],
					notifyer: ['Nobody'],
				}),
			'get approval param error:invalid notifyer userid Nobody',
		],
		[
			'notify_type 4',
			() =>
				leave({
					use_template_approver: 0,
					approver: [{ attr: 1, userid: ['LiSi'] }],
					notify_type: 4,
				}),
			'get approval param error:invalid notify_type 4',
		],
		[
			'process without node_list',
			() => leave({ use_template_approver: 0, process: {} }),
			'get approval param error:invalid process, ',
		],
		[
			'process node type 9',
			() =>
				leave({
					use_template_approver: 0,
					process: { node_list: [{ type: 9, apv_rel: 1, userid: ['LiSi'] }] },
				}),
			'get approval param error:invalid process node type 9',
		],
		[
			'apv_rel 7',
			() =>
				leave({
					use_template_approver: 0,
					process: { node_list: [{ type: 1, apv_rel: 7, userid: ['LiSi'] }] },
				}),
			'get approval param error:invalid apv_rel 7',
		],
		[
			'only a cc node',
			() =>
				leave({
					use_template_approver: 0,
					process: { node_list: [{ type: 2, userid: ['LiSi'] }] },
				}),
			'get approval param error:approver is empty',
		],
		[
			'unknown process user',
			() =>
				leave({
					use_template_approver: 0,
					process: { node_list: [{ type: 1, apv_rel: 2, userid: ['Ghost'] }] },
				}),
			'get approval param error:invalid approver userid Ghost',
		],
		[
			"choose_department not the creator's",
			() => leave({ choose_department: 3 }),
			'get approval param error:invalid choose_department 3, ',
		],
		[
			'no apply_data',
			() => leave({ apply_data: undefined }),
			'get approval param error:no applydata content, ',
		],
		[
			'empty contents',
			() => leave({ apply_data: { contents: [] } }),
			'get approval param error:no applydata content',
		],
		[
			'new_number as a JSON number',
			() => leaveWith({ control: 'Number', id: 'Number-1', value: { new_number: 2 } }),
			'Warning: wrong json format. get approval param error:no applydata content, ',
		],
		[
			'new_money as a JSON number in a table row',
			() =>
				expenseWith({
					control: 'Table',
					id: 'Table-1',
					value: {
						children: [
							{
								list: [
									{ control: 'Text', id: 'Text-1', value: { text: 'x' } },
									{ control: 'Money', id: 'Money-2', value: { new_money: 5 } },
								],
							},
						],
					},
				}),
			'Warning: wrong json format. get approval param error:no applydata content',
		],
		[
			'unknown control id',
			() => leaveWith({ control: 'Text', id: 'Text-99', value: { text: 'x' } }),
			'get approval param error:invalid control id Text-99, ',
		],
		[
			'content without id',
			() => leaveWith({ control: 'Text', value: { text: 'x' } }),
			'get approval param error:invalid control id , ',
		],
		[
			'control type mismatch',
			() => leaveWith({ control: 'Text', id: 'Number-1', value: { text: '2' } }),
			'get approval param error:Number-1, control must be "Number"',
		],
		[
			'control given twice',
			() => leave({ apply_data: { contents: [...leaveContents(), leaveContents()[3]] } }),
			'get approval param error:Number-1, the control is given twice',
		],
		[
			'value not an object',
			() => leaveWith({ control: 'Number', id: 'Number-1', value: '2' }),
			'get approval param error:Number-1, value must be an object',
		],
		[
			'required control left out',
			() => leave({ apply_data: { contents: leaveContents().slice(0, 3) } }),
			'get approval param error:has no require control Number-1, ',
		],
		[
			'required control empty',
			() => leaveWith({ control: 'Number', id: 'Number-1', value: { new_number: '' } }),
			'get approval param error:Number-1 is required, ',
		],
		[
			'required selector without options',
			() =>
				leaveWith({
					control: 'Selector',
					id: 'Selector-15111111',
					value: { selector: { type: 'single', options: [] } },
				}),
			'get approval param error:Selector-15111111 is required',
		],
		[
			'new_number not a number',
			() => leaveWith({ control: 'Number', id: 'Number-1', value: { new_number: 'two' } }),
			'get approval param error:Number-1, new_number must be a number written as a string',
		],
		[
			'text not a string',
			() => leaveWith({ control: 'Textarea', id: 'Textarea-1', value: { text: 5 } }),
			'get approval param error:Textarea-1, text must be a string',
		],
		[
			'date type hour on a day control',
			() =>
				leaveWith({
					control: 'Date',
					id: 'Date-1',
					value: { date: { type: 'hour', s_timestamp: '1764777600' } },
				}),
			'get approval param error:Date-1, date.type must be "day" (the template\'s)',
		],
		[
			'date in milliseconds',
			() =>
				leaveWith({
					control: 'Date',
					id: 'Date-1',
					value: { date: { type: 'day', s_timestamp: '1764777600000' } },
				}),
			'get approval param error:Date-1, date.s_timestamp 1764777600000 looks like milliseconds',
		],
		[
			'date as a JSON number',
			() =>
				leaveWith({
					control: 'Date',
					id: 'Date-1',
					value: { date: { type: 'day', s_timestamp: 1764777600 } },
				}),
			'get approval param error:Date-1, date.s_timestamp must be a string',
		],
		[
			'date not digits',
			() =>
				leaveWith({
					control: 'Date',
					id: 'Date-1',
					value: { date: { type: 'day', s_timestamp: '2026-12-04' } },
				}),
			'get approval param error:Date-1, date.s_timestamp must be Unix seconds',
		],
		[
			'unknown selector key',
			() =>
				leaveWith({
					control: 'Selector',
					id: 'Selector-15111111',
					value: { selector: { type: 'single', options: [{ key: 'option-9' }] } },
				}),
			'get approval param error:Selector-15111111, selector option key "option-9" is not one of option-1, option-2, option-3',
		],
		[
			'two options on a single selector',
			() =>
				leaveWith({
					control: 'Selector',
					id: 'Selector-15111111',
					value: {
						selector: { type: 'single', options: [{ key: 'option-1' }, { key: 'option-2' }] },
					},
				}),
			'get approval param error:Selector-15111111, a single selector takes one option',
		],
		[
			'selector type multi on a single selector',
			() =>
				leaveWith({
					control: 'Selector',
					id: 'Selector-15111111',
					value: { selector: { type: 'multi', options: [{ key: 'option-1' }] } },
				}),
			'get approval param error:Selector-15111111, selector.type must be "single"',
		],
		[
			'the same option twice',
			() =>
				expenseWith({
					control: 'Selector',
					id: 'Selector-2',
					value: {
						selector: { type: 'multi', options: [{ key: 'option-a' }, { key: 'option-a' }] },
					},
				}),
			'get approval param error:Selector-2, selector option option-a is chosen twice',
		],
		[
			'unknown member',
			() =>
				leaveWith({
					control: 'Contact',
					id: 'Contact-1',
					value: { members: [{ userid: 'Ghost', name: 'x' }] },
				}),
			'get approval param error:Contact-1, member "Ghost" is not an active member',
		],
		[
			'disabled member',
			() =>
				leaveWith({
					control: 'Contact',
					id: 'Contact-1',
					value: { members: [{ userid: 'user30' }] },
				}),
			'get approval param error:Contact-1, member "user30" is not an active member',
		],
		[
			'two members on a single contact',
			() =>
				leaveWith({
					control: 'Contact',
					id: 'Contact-1',
					value: { members: [{ userid: 'LiSi' }, { userid: 'ZhangSan' }] },
				}),
			'get approval param error:Contact-1, a single Contact control takes one of members',
		],
		[
			'departments on a user contact',
			() =>
				leaveWith({
					control: 'Contact',
					id: 'Contact-1',
					value: { departments: [{ openapi_id: '2' }] },
				}),
			'get approval param error:Contact-1, this Contact control takes members (mode user)',
		],
		[
			'unknown department',
			() =>
				expenseWith({
					control: 'Contact',
					id: 'Contact-2',
					value: { departments: [{ openapi_id: '999' }] },
				}),
			'get approval param error:Contact-2, department 999 does not exist',
		],
		[
			'openapi_id as a number',
			() =>
				expenseWith({
					control: 'Contact',
					id: 'Contact-2',
					value: { departments: [{ openapi_id: 2 }] },
				}),
			'get approval param error:Contact-2, departments[].openapi_id must be a department id as a string',
		],
		[
			'unknown file_id',
			() =>
				leaveWith({
					control: 'File',
					id: 'File-1',
					value: { files: [{ file_id: 'never-uploaded' }] },
				}),
			'get approval param error:File-1, file_id "never-uploaded" is not a media_id uploaded with media/upload in the last 3 days',
		],
		[
			'files as an object',
			() => leaveWith({ control: 'File', id: 'File-1', value: { files: { file_id: 'x' } } }),
			'Warning: wrong json format. get approval param error:File-1, files must be an array',
		],
		[
			'seven attachments',
			async () => {
				const ids = [];
				for (let n = 0; n < 7; n++) ids.push(await uploadFile());
				return leaveWith({
					control: 'File',
					id: 'File-1',
					value: { files: ids.map((file_id) => ({ file_id })) },
				});
			},
			'get approval param error:File-1, an application takes at most 6 attachments',
		],
		[
			'unknown column in a table row',
			() =>
				expenseWith({
					control: 'Table',
					id: 'Table-1',
					value: {
						children: [{ list: [{ control: 'Text', id: 'Text-9', value: { text: 'x' } }] }],
					},
				}),
			'get approval param error:invalid control id Text-9',
		],
		[
			'required column left out of a row',
			() =>
				expenseWith({
					control: 'Table',
					id: 'Table-1',
					value: {
						children: [{ list: [{ control: 'Text', id: 'Text-1', value: { text: 'x' } }] }],
					},
				}),
			'get approval param error:has no require control Money-2',
		],
		[
			'table children not an array',
			() => expenseWith({ control: 'Table', id: 'Table-1', value: { children: { list: [] } } }),
			'get approval param error:Table-1, children must be an array',
		],
		[
			'a row without list',
			() => expenseWith({ control: 'Table', id: 'Table-1', value: { children: [{}] } }),
			'get approval param error:Table-1, each row of children must be {list: [...]}',
		],
		[
			'four summary lines',
			() => leave({ summary_list: [1, 2, 3, 4].map((n) => ({ summary_info: zh(`第${n}行`) })) }),
			'get approval param error:invalid summary_list, summary_list has 4 lines, at most 3',
		],
		[
			'summary line without summary_info',
			() => leave({ summary_list: [{ text: 'x' }] }),
			'get approval param error:invalid summary_list, each line must be',
		],
	];
	test.each(refusals)('refuses %s with 301025', async (_name, build, start) => {
		const answer = await post('/cgi-bin/oa/applyevent', await build());
		expect(answer.body).toEqual({ errcode: 301025, errmsg: approvalMsg(start) });
		expect(ctx.emu.wecom.approvals.instances()).toEqual([]);
		expect(ctx.emu.wecom.approvals.events()).toEqual([]);
	});

	test('a File media_id expires after 3 days on the emulator clock; another corp cannot use it', async () => {
		const mediaId = await uploadFile();
		const withFile = () =>
			leaveWith({ control: 'File', id: 'File-1', value: { files: [{ file_id: mediaId }] } });
		ctx.emu.clock.advance(3 * DAY - 1000);
		await apply(withFile());
		ctx.emu.clock.advance(1000);
		const late = await post('/cgi-bin/oa/applyevent', withFile());
		expect(late.body.errmsg).toEqual(approvalMsg('get approval param error:File-1, file_id'));
	});

	test("a creator outside the app's visible range (contactsScope) is refused", async () => {
		ctx.emu.settings.set({ wecom: { contactsScope: [2] } });
		const answer = await post('/cgi-bin/oa/applyevent', leave());
		expect(answer.body.errmsg).toEqual(
			approvalMsg('get approval param error:creator_userid not in app visiable range'),
		);
		await apply(leave({ creator_userid: 'ZhangSan' }));
	});

	test('a body that is not a JSON object → 40035 wrong json', async () => {
		const answer = await post('/cgi-bin/oa/applyevent', [leave()]);
		expect(answer.body.errcode).toBe(40035);
		expect(answer.body.errmsg).toMatch(/^invalid parameter, Warning: wrong json format\./);
	});
});

describe('getapprovaldetail', () => {
	test("sp_no as a string or a number; unknown / missing / another corp's → 301025", async () => {
		const spNo = await apply(leave());
		expect((await detail(spNo)).sp_no).toBe(spNo);
		expect(
			(await post('/cgi-bin/oa/getapprovaldetail', { sp_no: Number(spNo) })).body.info.sp_no,
		).toBe(spNo);
		const unknown = await post('/cgi-bin/oa/getapprovaldetail', { sp_no: '202612019999' });
		expect(unknown.body).toEqual({
			errcode: 301025,
			errmsg: approvalMsg('get approval param error:invalid sp_no 202612019999, '),
		});
		expect((await post('/cgi-bin/oa/getapprovaldetail', {})).body.errmsg).toEqual(
			approvalMsg('get approval param error:invalid sp_no, '),
		);
		const other = await post(
			'/cgi-bin/oa/getapprovaldetail',
			{ sp_no: spNo },
			{ corpId: 'wwemucorp0002', secret: 'emu-wecom-secret-corp2-1000002' },
		);
		expect(other.body.errcode).toBe(301025);
	});
});

describe('getapprovalinfo', () => {
	const START = Math.floor(DEC_1 / 1000);
	/** Five applications an hour apart: leave by WangWu ×2, expense by ZhouBa (party 4), leave by ZhangSan, expense by SunQi. */
	async function seedApplications() {
		const spNos = [];
		for (const body of [
			leave(),
			leave(),
			expense({ choose_department: 4 }),
			leave({ creator_userid: 'ZhangSan' }),
			expense({ creator_userid: 'SunQi' }),
		]) {
			spNos.push(await apply(body));
			ctx.emu.clock.advance(3600_000);
		}
		return spNos;
	}
	const info = (/** @type {Record<string, any>} */ fields) =>
		post('/cgi-bin/oa/getapprovalinfo', {
			starttime: START,
			endtime: START + 86400,
			new_cursor: '',
			size: 100,
			...fields,
		});

	test('lists sp_nos in apply order; pages with new_cursor until ""', async () => {
		const spNos = await seedApplications();
		expect((await info({})).body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			sp_no_list: spNos,
			new_next_cursor: '',
		});
		const pages = [];
		let cursor = '';
		do {
			const { body } = await info({ size: 2, new_cursor: cursor });
			expect(body.errcode).toBe(0);
			pages.push(body.sp_no_list);
			cursor = body.new_next_cursor;
		} while (cursor);
		expect(pages).toEqual([spNos.slice(0, 2), spNos.slice(2, 4), spNos.slice(4)]);
		expect((await info({ new_cursor: '0', size: 2 })).body.sp_no_list).toEqual(spNos.slice(0, 2));
		// Times as strings (wechatpy sends them so), size left out = 100.
		const strings = await post('/cgi-bin/oa/getapprovalinfo', {
			starttime: String(START),
			endtime: String(START + 7200),
		});
		expect(strings.body.sp_no_list).toEqual(spNos.slice(0, 3));
	});

	test('the old numeric cursor / next_cursor', async () => {
		const spNos = await seedApplications();
		const first = await post('/cgi-bin/oa/getapprovalinfo', {
			starttime: START,
			endtime: START + 86400,
			cursor: 0,
			size: 3,
		});
		expect(first.body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			sp_no_list: spNos.slice(0, 3),
			new_next_cursor: expect.any(String),
			next_cursor: 3,
		});
		const second = await post('/cgi-bin/oa/getapprovalinfo', {
			starttime: START,
			endtime: START + 86400,
			cursor: 3,
			size: 3,
		});
		expect(second.body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			sp_no_list: spNos.slice(3),
			new_next_cursor: '',
			next_cursor: 0,
		});
	});

	test('filters: template_id, creator, department (several = OR), sp_status, record_type; keys AND', async () => {
		const spNos = await seedApplications();
		act(spNos[0], { userId: 'LiSi', action: 'reject' });
		const list = async (/** @type {Array<{ key: string, value: unknown }>} */ filters) =>
			(await info({ filters })).body.sp_no_list;
		expect(await list([{ key: 'template_id', value: EXPENSE }])).toEqual([spNos[2], spNos[4]]);
		expect(await list([{ key: 'creator', value: 'wangwu' }])).toEqual([spNos[0], spNos[1]]);
		expect(
			await list([
				{ key: 'department', value: '4' },
				{ key: 'department', value: 2 },
			]),
		).toEqual([spNos[2], spNos[3], spNos[4]]);
		expect(await list([{ key: 'sp_status', value: '3' }])).toEqual([spNos[0]]);
		expect(
			await list([
				{ key: 'sp_status', value: 1 },
				{ key: 'template_id', value: LEAVE },
			]),
		).toEqual([spNos[1], spNos[3]]);
		expect(await list([{ key: 'record_type', value: '1' }])).toEqual([
			spNos[0],
			spNos[1],
			spNos[3],
		]);
	});

	test("only applicants the app can see; only the caller's corp", async () => {
		const spNos = await seedApplications();
		ctx.emu.settings.set({ wecom: { contactsScope: [4] } });
		expect((await info({})).body.sp_no_list).toEqual([spNos[2], spNos[4]]);
		const other = await post(
			'/cgi-bin/oa/getapprovalinfo',
			{ starttime: START, endtime: START + 86400 },
			{ corpId: 'wwemucorp0002', secret: 'emu-wecom-secret-corp2-1000002' },
		);
		expect(other.body.sp_no_list).toEqual([]);
	});

	/** @type {Array<[string, Record<string, any>, string]>} */
	const rules = [
		[
			'endtime before starttime',
			{ endtime: START - 1 },
			'get approval param error:invalid starttime or endtime, endtime must be later',
		],
		[
			'endtime = starttime',
			{ endtime: START },
			'get approval param error:invalid starttime or endtime, endtime must be later',
		],
		[
			'a span over 31 days',
			{ endtime: START + 31 * 86400 + 1 },
			'get approval param error:invalid starttime or endtime, the span may be at most 31 days',
		],
		[
			'milliseconds',
			{ starttime: DEC_1, endtime: DEC_1 + 1000 },
			'get approval param error:invalid starttime or endtime, starttime and endtime look like milliseconds',
		],
		[
			'no times',
			{ starttime: undefined, endtime: undefined },
			'get approval param error:invalid starttime or endtime, starttime and endtime must be Unix seconds',
		],
		['size 101', { size: 101 }, 'get approval param error:invalid size, size must be 1 to 100'],
		[
			'a cursor the emulator did not issue',
			{ new_cursor: 'garbage' },
			'get approval param error:invalid new_cursor',
		],
		[
			'filters not an array',
			{ filters: { key: 'creator' } },
			'get approval param error:invalid filters',
		],
		[
			'an unknown filter key',
			{ filters: [{ key: 'applicant', value: 'WangWu' }] },
			'get approval param error:invalid filter key applicant, key must be one of template_id, creator, department, sp_status, record_type',
		],
		[
			'creator twice',
			{
				filters: [
					{ key: 'creator', value: 'WangWu' },
					{ key: 'creator', value: 'LiSi' },
				],
			},
			'get approval param error:invalid filter key creator, only department may be given more than once',
		],
	];
	test.each(rules)('refuses %s with 301025 and sp_no_list []', async (_name, fields, start) => {
		const { body } = await info(fields);
		expect(body).toEqual({ errcode: 301025, errmsg: approvalMsg(start), sp_no_list: [] });
	});

	test('31 days exactly is allowed; apply_time is inclusive at both ends', async () => {
		const spNo = await apply(leave());
		expect((await info({ endtime: START + 31 * 86400 })).body.sp_no_list).toEqual([spNo]);
		expect((await info({ starttime: START - 10, endtime: START })).body.sp_no_list).toEqual([spNo]);
		expect((await info({ starttime: START + 1 })).body.sp_no_list).toEqual([]);
	});
});

describe('acting and events', () => {
	test('the template flow: LiSi then ZhangSan approve; events 1, 2, 2 with the XML of each moment', async () => {
		const spNo = await apply(leave());
		ctx.emu.clock.advance(60_000);
		const first = act(spNo, { userId: 'LiSi', action: 'approve', speech: '同意' });
		expect(first.instance.spStatus).toBe(1);
		expect(first.event).toMatchObject({
			id: 2,
			event: 'sys_approval_change',
			statuChangeEvent: 2,
			spNo,
			createTime: Math.floor(DEC_1 / 1000) + 60,
		});
		ctx.emu.clock.advance(60_000);
		const second = act(spNo, { userId: 'zhangsan', action: 'approve' });
		expect(second.instance.spStatus).toBe(2);
		const info = await detail(spNo);
		expect(info.sp_status).toBe(2);
		expect(info.sp_record).toEqual([
			{
				sp_status: 2,
				approverattr: 1,
				details: [
					{
						approver: { userid: 'LiSi' },
						speech: '同意',
						sp_status: 2,
						sptime: Math.floor(DEC_1 / 1000) + 60,
						media_id: [],
					},
				],
			},
			{
				sp_status: 2,
				approverattr: 1,
				details: [
					{
						approver: { userid: 'ZhangSan' },
						speech: '',
						sp_status: 2,
						sptime: Math.floor(DEC_1 / 1000) + 120,
						media_id: [],
					},
				],
			},
		]);
		const events = ctx.emu.wecom.approvals.events(spNo);
		expect(events.map((event) => [event.id, event.statuChangeEvent])).toEqual([
			[1, 1],
			[2, 2],
			[3, 2],
		]);
		const t = Math.floor(DEC_1 / 1000);
		expect(events[0].xml).toBe(
			'<xml><ToUserName><![CDATA[wwemucorp0001]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>' +
				`<CreateTime>${t}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[sys_approval_change]]></Event>` +
				'<AgentID>3010040</AgentID><ApprovalInfo>' +
				`<SpNoStr><![CDATA[${spNo}]]></SpNoStr><SpNo>${spNo}</SpNo><SpName><![CDATA[请假 Leave]]></SpName><SpStatus>1</SpStatus>` +
				`<TemplateId><![CDATA[${LEAVE}]]></TemplateId><ApplyTime>${t}</ApplyTime>` +
				'<Applyer><UserId><![CDATA[WangWu]]></UserId><Party><![CDATA[31]]></Party></Applyer>' +
				'<SpRecord><SpStatus>1</SpStatus><ApproverAttr>1</ApproverAttr><Details><Approver><UserId><![CDATA[LiSi]]></UserId></Approver><Speech><![CDATA[]]></Speech><SpStatus>1</SpStatus><SpTime>0</SpTime></Details></SpRecord>' +
				'<SpRecord><SpStatus>1</SpStatus><ApproverAttr>1</ApproverAttr><Details><Approver><UserId><![CDATA[ZhangSan]]></UserId></Approver><Speech><![CDATA[]]></Speech><SpStatus>1</SpStatus><SpTime>0</SpTime></Details></SpRecord>' +
				'<StatuChangeEvent>1</StatuChangeEvent></ApprovalInfo></xml>',
		);
		expect(events[2].xml).toContain('<SpStatus>2</SpStatus><TemplateId>');
		expect(events[2].xml).toContain(
			`<Speech><![CDATA[同意]]></Speech><SpStatus>2</SpStatus><SpTime>${t + 60}</SpTime>`,
		);
		expect(events[2].xml).not.toContain('<Notifyer>');
		expect(events[2].xml).not.toContain('<Comments>');
	});

	test('ZhangSan cannot act before LiSi; nobody acts on a finished application', async () => {
		const spNo = await apply(leave());
		expect(() => act(spNo, { userId: 'ZhangSan', action: 'approve' })).toThrow(
			/ZhangSan is not a waiting approver of the current node \(waiting: LiSi\)/,
		);
		const answer = await ctx.client.control(`/wecom/approvals/instances/${spNo}/act`, {
			body: { userId: 'ZhangSan', action: 'approve' },
		});
		expect(answer.status).toBe(409);
		act(spNo, { userId: 'LiSi', action: 'reject', speech: '请补充材料' });
		const info = await detail(spNo);
		expect(info.sp_status).toBe(3);
		expect(info.sp_record[0]).toMatchObject({
			sp_status: 3,
			details: [expect.objectContaining({ sp_status: 3, speech: '请补充材料' })],
		});
		expect(info.sp_record[1].sp_status).toBe(1);
		expect(() => act(spNo, { userId: 'ZhangSan', action: 'approve' })).toThrow(
			/not in review \(sp_status 3\)/,
		);
		expect(ctx.emu.wecom.approvals.events(spNo).map((event) => event.statuChangeEvent)).toEqual([
			1, 3,
		]);
	});

	test('OR-sign finishes with one approval, AND-sign needs all', async () => {
		const or = await apply(
			leave({ use_template_approver: 0, approver: [{ attr: 1, userid: ['LiSi', 'ZhangSan'] }] }),
		);
		expect(act(or, { userId: 'ZhangSan', action: 'approve' }).instance.spStatus).toBe(2);
		const and = await apply(
			leave({ use_template_approver: 0, approver: [{ attr: 2, userid: ['LiSi', 'ZhangSan'] }] }),
		);
		expect(act(and, { userId: 'ZhangSan', action: 'approve' }).instance.spStatus).toBe(1);
		expect(() => act(and, { userId: 'ZhangSan', action: 'approve' })).toThrow(/waiting: LiSi/);
		expect(act(and, { userId: 'LiSi', action: 'approve' }).instance.spStatus).toBe(2);
		const xml = ctx.emu.wecom.approvals.events(and).at(-1)?.xml ?? '';
		expect(count(xml, 'SpRecord')).toBe(1);
		expect(count(xml, 'Details')).toBe(2);
		expect(xml).toContain('<ApproverAttr>2</ApproverAttr>');
	});

	test('apv_rel 3 takes its approvers one after another', async () => {
		const spNo = await apply(
			leave({
				use_template_approver: 0,
				process: { node_list: [{ type: 1, apv_rel: 3, userid: ['LiSi', 'ZhangSan'] }] },
			}),
		);
		expect(() => act(spNo, { userId: 'ZhangSan', action: 'approve' })).toThrow(/waiting: LiSi\)/);
		expect(act(spNo, { userId: 'LiSi', action: 'approve' }).instance.spStatus).toBe(1);
		expect(act(spNo, { userId: 'ZhangSan', action: 'approve' }).instance.spStatus).toBe(2);
	});

	test('redirect (转审): the approver is marked 4 and the new one waits in the same node', async () => {
		const spNo = await apply(leave());
		const redirected = act(spNo, {
			userId: 'LiSi',
			action: 'redirect',
			toUserId: 'wangwu',
			speech: '请王五处理',
		});
		expect(redirected.event.statuChangeEvent).toBe(4);
		let info = await detail(spNo);
		expect(info.sp_record[0]).toEqual({
			sp_status: 1,
			approverattr: 1,
			details: [
				{
					approver: { userid: 'LiSi' },
					speech: '请王五处理',
					sp_status: 4,
					sptime: Math.floor(DEC_1 / 1000),
					media_id: [],
				},
				{ approver: { userid: 'WangWu' }, speech: '', sp_status: 1, sptime: 0, media_id: [] },
			],
		});
		expect(() => act(spNo, { userId: 'LiSi', action: 'approve' })).toThrow(/waiting: WangWu/);
		expect(() => act(spNo, { userId: 'WangWu', action: 'redirect', toUserId: 'Ghost' })).toThrow(
			/Ghost is not a member/,
		);
		expect(() => act(spNo, { userId: 'WangWu', action: 'redirect', toUserId: 'user30' })).toThrow(
			/not an active member/,
		);
		act(spNo, { userId: 'WangWu', action: 'approve' });
		info = await detail(spNo);
		expect(info.sp_record[0].sp_status).toBe(2);
		expect(info.sp_status).toBe(1);
	});

	test('comments (with attachments) by anyone, any time; urge by the applicant; repeated elements in the XML', async () => {
		const spNo = await apply(
			expense({
				use_template_approver: 0,
				approver: [
					{ attr: 2, userid: ['LiSi', 'ZhangSan'] },
					{ attr: 1, userid: ['SunQi'] },
				],
				notifyer: ['ZhouBa', 'WangWu'],
			}),
		);
		ctx.emu.clock.advance(1000);
		const comment = act(spNo, {
			userId: 'ZhaoLiu',
			action: 'comment',
			speech: '发票已补',
			mediaIds: ['m1', 'm2'],
		});
		expect(comment.event.statuChangeEvent).toBe(10);
		act(spNo, { userId: 'LiSi', action: 'comment', speech: '收到' });
		const urged = act(spNo, { userId: 'ZhouBa', action: 'urge' });
		expect(urged.event.statuChangeEvent).toBe(5);
		expect(() => act(spNo, { userId: 'LiSi', action: 'urge' })).toThrow(
			/only the applicant ZhouBa can urge/,
		);
		act(spNo, { userId: 'LiSi', action: 'approve', speech: 'ok', mediaIds: ['m3'] });
		const info = await detail(spNo);
		expect(info.comments).toEqual([
			{
				commentUserInfo: { userid: 'ZhaoLiu' },
				commenttime: Math.floor(DEC_1 / 1000) + 1,
				commentcontent: '发票已补',
				commentid: expect.stringMatching(/^\d{19}$/),
				media_id: ['m1', 'm2'],
			},
			{
				commentUserInfo: { userid: 'LiSi' },
				commenttime: Math.floor(DEC_1 / 1000) + 1,
				commentcontent: '收到',
				commentid: expect.stringMatching(/^\d{19}$/),
				media_id: [],
			},
		]);
		expect(info.comments[0].commentid).not.toBe(info.comments[1].commentid);
		expect(info.sp_record[0].details[0].media_id).toEqual(['m3']);
		const xml = ctx.emu.wecom.approvals.events(spNo).at(-1)?.xml ?? '';
		expect(count(xml, 'SpRecord')).toBe(2);
		expect(count(xml, 'Details')).toBe(3);
		expect(count(xml, 'Notifyer')).toBe(2);
		expect(count(xml, 'Comments')).toBe(2);
		expect(count(xml, 'CommentUserInfo')).toBe(2);
		expect(count(xml, 'Attach')).toBe(3);
		expect(xml).toContain(
			'<Notifyer><UserId><![CDATA[ZhouBa]]></UserId></Notifyer><Notifyer><UserId><![CDATA[WangWu]]></UserId></Notifyer><Comments>',
		);
		expect(xml).toContain('<CommentContent><![CDATA[发票已补]]></CommentContent>');
		expect(xml).toContain(
			'<SpTime>' +
				(Math.floor(DEC_1 / 1000) + 1) +
				'</SpTime><Attach><![CDATA[m3]]></Attach></Details>',
		);
		expect(xml).toMatch(
			/<Attach><!\[CDATA\[m1\]\]><\/Attach><Attach><!\[CDATA\[m2\]\]><\/Attach><\/Comments>/,
		);
		// Comments stay possible after the end.
		act(spNo, { userId: 'ZhangSan', action: 'approve' });
		act(spNo, { userId: 'SunQi', action: 'approve' });
		expect(
			act(spNo, { userId: 'ZhangSan', action: 'comment', speech: '已付款' }).instance.comments,
		).toHaveLength(3);
	});

	test('withdraw: in review → 4 (event 6); after approval → 6 (event 8); then refused', async () => {
		const pending = await apply(leave());
		expect(ctx.emu.wecom.approvals.withdraw(pending)).toMatchObject({
			instance: { spStatus: 4 },
			event: { statuChangeEvent: 6 },
		});
		expect((await detail(pending)).sp_status).toBe(4);
		const approved = await apply(expense());
		act(approved, { userId: 'SunQi', action: 'approve' });
		const answer = await ctx.client.control(`/wecom/approvals/instances/${approved}/withdraw`, {
			method: 'POST',
		});
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({
			instance: { spStatus: 6 },
			event: { statuChangeEvent: 8 },
		});
		expect(answer.body.event.xml).toContain('<SpStatus>6</SpStatus><TemplateId>');
		expect(answer.body.event.xml).toContain('<StatuChangeEvent>8</StatuChangeEvent>');
		expect(() => ctx.emu.wecom.approvals.withdraw(approved)).toThrow(
			/can be withdrawn only in review or approved \(sp_status 6\)/,
		);
		expect(() => act(pending, { userId: 'LiSi', action: 'approve' })).toThrow(/not in review/);
	});

	test('misuse of the controls: unknown sp_no 404, bad action / user 400/404', async () => {
		const spNo = await apply(leave());
		const unknown = await ctx.client.control('/wecom/approvals/instances/1/act', {
			body: { userId: 'LiSi', action: 'approve' },
		});
		expect(unknown.status).toBe(404);
		expect(unknown.body.error).toMatch(/no WeCom application with sp_no 1/);
		const badAction = await ctx.client.control(`/wecom/approvals/instances/${spNo}/act`, {
			body: { userId: 'LiSi', action: 'agree' },
		});
		expect(badAction.status).toBe(400);
		expect(badAction.body.error).toMatch(
			/action must be one of approve, reject, redirect, comment, urge/,
		);
		const noUser = await ctx.client.control(`/wecom/approvals/instances/${spNo}/act`, {
			body: { action: 'approve' },
		});
		expect(noUser.status).toBe(400);
		expect(() => act(spNo, { userId: 'Ghost', action: 'comment', speech: 'x' })).toThrow(
			/Ghost is not a member of wwemucorp0001/,
		);
		expect(() => act(spNo, { userId: 'LiSi', action: 'comment' })).toThrow(
			/a comment needs speech/,
		);
		expect(() => act(spNo, /** @type {any} */ (null))).toThrow(/act needs/);
		expect((await ctx.client.control('/wecom/approvals/instances/nope')).status).toBe(404);
		expect(
			(await ctx.client.control('/wecom/approvals/instances/nope/withdraw', { method: 'POST' }))
				.status,
		).toBe(404);
	});
});

describe('control API', () => {
	test('templates, instances, instance, events over HTTP', async () => {
		const templates = await ctx.client.control('/wecom/approvals/templates');
		expect(templates.body.templates.map((/** @type {any} */ t) => t.template_id)).toEqual([
			LEAVE,
			EXPENSE,
		]);
		expect(templates.body.templates[0]).toMatchObject({
			corpId: 'wwemucorp0001',
			approver: [
				{ attr: 1, userid: ['LiSi'] },
				{ attr: 1, userid: ['ZhangSan'] },
			],
			notifyer: [],
			notify_type: 1,
		});
		expect(templates.body.templates[1]).toMatchObject({
			approver: [{ attr: 1, userid: ['SunQi'] }],
			notifyer: ['ZhouBa'],
		});
		const spNo = await apply(leave());
		expect(
			(await ctx.client.control('/wecom/approvals/instances')).body.instances.map(
				(/** @type {any} */ i) => i.spNo,
			),
		).toEqual([spNo]);
		const one = await ctx.client.control(`/wecom/approvals/instances/${spNo}`);
		expect(one.body).toMatchObject({
			spNo,
			corpId: 'wwemucorp0001',
			agentId: 1000002,
			templateId: LEAVE,
			spStatus: 1,
			flowSource: 'template',
			applyer: { userid: 'WangWu', partyid: '31' },
		});
		await ctx.client.control(`/wecom/approvals/instances/${spNo}/act`, {
			body: { userId: 'LiSi', action: 'approve' },
		});
		const events = await ctx.client.control('/wecom/approvals/events', { query: { spNo } });
		expect(events.body.events.map((/** @type {any} */ e) => e.statuChangeEvent)).toEqual([1, 2]);
		expect(
			(await ctx.client.control('/wecom/approvals/events', { query: { spNo: 'x' } })).body.events,
		).toEqual([]);
	});

	test('addTemplate: a new template answers gettemplatedetail and takes applications along its flow', async () => {
		const added = await ctx.client.control('/wecom/approvals/templates', {
			body: {
				template_names: zh('出差 Trip'),
				template_content: {
					controls: [
						{ property: { control: 'Text', id: 'Text-01', title: zh('目的地'), require: 1 } },
						{ property: { control: 'Location', id: 'Location-01', title: zh('位置') } },
					],
				},
				approver: [{ attr: 2, userid: ['lisi', 'ZhangSan'] }],
				notifyer: ['SunQi'],
			},
		});
		expect(added.status).toBe(200);
		expect(added.body.template_id).toMatch(/^C4[A-Za-z0-9]{40}$/);
		expect(added.body.approver).toEqual([{ attr: 2, userid: ['LiSi', 'ZhangSan'] }]);
		const templateId = added.body.template_id;
		const detailAnswer = await post('/cgi-bin/oa/gettemplatedetail', { template_id: templateId });
		expect(detailAnswer.body.template_content.controls[0]).toEqual({
			property: {
				control: 'Text',
				id: 'Text-01',
				title: zh('目的地'),
				placeholder: [],
				require: 1,
				un_print: 0,
			},
		});
		const spNo = await apply({
			creator_userid: 'WangWu',
			template_id: templateId,
			use_template_approver: 1,
			apply_data: {
				contents: [
					{ control: 'Text', id: 'Text-01', value: { text: '上海' } },
					{
						control: 'Location',
						id: 'Location-01',
						value: {
							location: {
								latitude: '31.2',
								longitude: '121.4',
								title: '外滩',
								address: '上海',
								time: 1,
							},
						},
					},
				],
			},
		});
		const info = await detail(spNo);
		expect(info.sp_name).toBe('出差 Trip');
		expect(info.sp_record[0].approverattr).toBe(2);
		expect(info.notifyer).toEqual([{ userid: 'SunQi' }]);
		expect(info.apply_data.contents[1].value.location.title).toBe('外滩');
		// reset() drops it again.
		ctx.emu.reset();
		expect(ctx.emu.wecom.approvals.templates().map((t) => t.template_id)).toEqual([LEAVE, EXPENSE]);
		expect(ctx.emu.wecom.approvals.instances()).toEqual([]);
	});

	/** @type {Array<[string, unknown, RegExp, number]>} */
	const bad = [
		['not an object', [], /the template must be an object/, 400],
		[
			'no names',
			{ template_content: { controls: [] }, approver: [] },
			/template_content.controls must be a non-empty array/,
			400,
		],
		[
			'unknown control type',
			{
				template_names: zh('x'),
				template_content: {
					controls: [{ property: { control: 'Slider', id: 'S-1', title: zh('x') } }],
				},
				approver: [{ userid: ['LiSi'] }],
			},
			/property.control must be one of/,
			400,
		],
		[
			'duplicate control ids',
			{
				template_names: zh('x'),
				template_content: {
					controls: [
						{ property: { control: 'Text', id: 'T-1', title: zh('a') } },
						{ property: { control: 'Text', id: 'T-1', title: zh('b') } },
					],
				},
				approver: [{ userid: ['LiSi'] }],
			},
			/T-1 is used twice/,
			400,
		],
		[
			'a date without type',
			{
				template_names: zh('x'),
				template_content: {
					controls: [{ property: { control: 'Date', id: 'D-1', title: zh('a') } }],
				},
				approver: [{ userid: ['LiSi'] }],
			},
			/config.date.type must be day or hour/,
			400,
		],
		[
			'no flow',
			{
				template_names: zh('x'),
				template_content: {
					controls: [{ property: { control: 'Text', id: 'T-1', title: zh('a') } }],
				},
			},
			/approver \(the flow set in the admin console\)/,
			400,
		],
		[
			'an unknown approver',
			{
				template_names: zh('x'),
				template_content: {
					controls: [{ property: { control: 'Text', id: 'T-1', title: zh('a') } }],
				},
				approver: [{ userid: ['Ghost'] }],
			},
			/"Ghost" is not a member of wwemucorp0001/,
			400,
		],
		[
			'an existing id',
			{
				template_id: LEAVE,
				template_names: zh('x'),
				template_content: {
					controls: [{ property: { control: 'Text', id: 'T-1', title: zh('a') } }],
				},
				approver: [{ userid: ['LiSi'] }],
			},
			/exists already/,
			409,
		],
		['an unknown corp', { corpId: 'wwnope', template_names: zh('x') }, /unknown corpId/, 404],
	];
	test.each(bad)('addTemplate refuses %s', async (_name, body, message, status) => {
		const answer = await ctx.client.control('/wecom/approvals/templates', { body });
		expect(answer.status).toBe(status);
		expect(answer.body.error).toMatch(message);
	});
});
