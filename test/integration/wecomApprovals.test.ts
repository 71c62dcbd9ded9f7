import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { formFields, parseControls } from '../../nodes/WeCom/actions/approval/form';
import { WECOM_TYPE, pick, run, singleNodeWorkflow, useEmulator } from './support';

const LEAVE = 'C4ZXKAAPcf2kEj4dPXfhW1FmZyXLHnKLdyDuBxTZ4b';
const EXPENSE = 'BsAfeBmFNkxeshuJzZ9KQNSQHtk8WHs3E1MwJ1QmEm';
const TIME_ZONE = 'Asia/Shanghai';
const DAY_S = 24 * 60 * 60;

const id = (value: string) => ({ __rl: true, mode: 'id', value });
/** Unix seconds of an ISO time, as s_timestamp carries them. */
const seconds = (iso: string) => String(Date.parse(iso) / 1000);

/** A small PDF-like file as an item's binary data. */
const PDF = Buffer.from('%PDF-1.4\n% a sick note\n');
const withFile = (json: IDataObject, field = 'data'): INodeExecutionData => ({
	json,
	binary: {
		[field]: { data: PDF.toString('base64'), mimeType: 'application/pdf', fileName: 'note.pdf' },
	},
});

/** The node in a workflow whose time zone is China's, so dates read as they do in WeCom. */
const workflow = (parameters: INodeParameters, options: { continueOnFail?: boolean } = {}) => {
	const base = singleNodeWorkflow(WECOM_TYPE, parameters, options);
	return { ...base, settings: { ...base.settings, timezone: TIME_ZONE } };
};

describe('WeCom approvals in a workflow run', () => {
	const ctx = useEmulator();
	const approvals = () => ctx.emu.wecom.approvals;
	const applyRequests = () => ctx.emu.requests({ path: '/cgi-bin/oa/applyevent' });
	const uploads = () => ctx.emu.requests({ path: '/cgi-bin/media/upload' });

	/** The Form parameter as the editor saves it: the template's fields and the values typed in. */
	const form = (templateId: string, value: IDataObject) => {
		const template = (approvals().templates() as IDataObject[]).find(
			(t) => t.template_id === templateId,
		) as IDataObject;
		return {
			mappingMode: 'defineBelow',
			value,
			matchingColumns: [],
			schema: formFields(parseControls((template.template_content as IDataObject).controls)),
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		};
	};
	const leaveValues = {
		// The editor saves an option's key.
		请假类型: 'option-1',
		开始时间: '2026-12-03',
		结束时间: '2026-12-04',
		请假天数: 2,
		请假事由: 'Family matters',
		工作交接人: 'ZhaoLiu',
		附件: 'data',
	};
	const create = (extra: IDataObject = {}): INodeParameters =>
		({
			resource: 'approval',
			operation: 'create',
			templateId: LEAVE,
			creatorUserId: id('WangWu'),
			formInput: 'fields',
			form: form(LEAVE, leaveValues),
			approverMode: 'template',
			options: {},
			...extra,
		}) as unknown as INodeParameters;
	const approval = (operation: string, extra: IDataObject) => ({
		resource: 'approval',
		operation,
		...extra,
	});
	const get = async (spNo: string) => {
		const got = await run(ctx.emu, workflow(approval('get', { spNo })));
		expect(got.status).toBe('success');
		return got.nodeOutput('Node')[0].json;
	};

	it("creates a leave request with every control of the template and a file from binary data (template's flow), reads it back decoded, and sees an approval", async () => {
		const created = await run(ctx.emu, workflow(create()), {
			inputExecutionItems: [withFile({})],
		});
		expect(created.status).toBe('success');
		const [out] = created.nodeOutput('Node');
		const media = approvals().media() as IDataObject[];
		expect(media).toEqual([
			expect.objectContaining({ type: 'file', filename: 'note.pdf', size: PDF.length }),
		]);
		const mediaId = String(media[0].mediaId);
		expect(out.json).toEqual({
			spNo: expect.stringMatching(/^\d{12}$/),
			templateId: LEAVE,
			creatorUserId: 'WangWu',
			form: leaveValues,
		});
		expect(uploads()).toHaveLength(1);
		expect(uploads()[0].query).toMatchObject({ type: 'file' });
		const [request] = applyRequests();
		expect(request.body).toEqual({
			creator_userid: 'WangWu',
			template_id: LEAVE,
			use_template_approver: 1,
			apply_data: {
				contents: [
					{
						control: 'Selector',
						id: 'Selector-15111111',
						value: { selector: { type: 'single', options: [{ key: 'option-1' }] } },
					},
					{
						control: 'Date',
						id: 'Date-1',
						value: { date: { type: 'day', s_timestamp: seconds('2026-12-03T00:00:00+08:00') } },
					},
					{
						control: 'Date',
						id: 'Date-2',
						value: { date: { type: 'day', s_timestamp: seconds('2026-12-04T00:00:00+08:00') } },
					},
					{ control: 'Number', id: 'Number-1', value: { new_number: '2' } },
					{ control: 'Textarea', id: 'Textarea-1', value: { text: 'Family matters' } },
					{ control: 'Contact', id: 'Contact-1', value: { members: [{ userid: 'ZhaoLiu' }] } },
					{ control: 'File', id: 'File-1', value: { files: [{ file_id: mediaId }] } },
				],
			},
		});

		const spNo = String(out.json.spNo);
		const waiting = { status: 1, statusName: 'inReview', comment: '', actedAt: null };
		expect(await get(spNo)).toMatchObject({
			spNo,
			name: '请假 Leave',
			templateId: LEAVE,
			status: 1,
			statusName: 'inReview',
			applicant: { userId: 'WangWu', departmentId: '31' },
			appliedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
			nodes: [
				{
					status: 1,
					statusName: 'inReview',
					approveType: 'anyOne',
					approvers: [{ userId: 'LiSi', ...waiting }],
				},
				{ status: 1, approvers: [{ userId: 'ZhangSan', ...waiting }] },
			],
			notifiers: [],
			comments: [],
			form: {
				请假类型: '年假',
				开始时间: '2026-12-03',
				结束时间: '2026-12-04',
				请假天数: 2,
				请假事由: 'Family matters',
				工作交接人: ['ZhaoLiu'],
				附件: [mediaId],
			},
			raw: expect.objectContaining({ sp_no: spNo, sp_status: 1 }),
		});

		approvals().act(spNo, { userId: 'LiSi', action: 'approve', speech: 'Enjoy' });
		const afterFirst = await get(spNo);
		expect(afterFirst).toMatchObject({
			status: 1,
			statusName: 'inReview',
			nodes: [
				{
					status: 2,
					statusName: 'agreed',
					approvers: [
						{
							userId: 'LiSi',
							status: 2,
							statusName: 'agreed',
							comment: 'Enjoy',
							actedAt: expect.stringMatching(/\+08:00$/),
						},
					],
				},
				{ status: 1, statusName: 'inReview' },
			],
		});
		approvals().act(spNo, { userId: 'ZhangSan', action: 'approve' });
		approvals().act(spNo, { userId: 'SunQi', action: 'comment', speech: 'Noted' });
		expect(await get(spNo)).toMatchObject({
			status: 2,
			statusName: 'approved',
			comments: [
				{
					userId: 'SunQi',
					content: 'Noted',
					commentedAt: expect.stringMatching(/\+08:00$/),
					commentId: expect.any(String),
				},
			],
		});
	});

	it('creates an expense with explicit approval steps, notifiers, department, summary, a multi-select, a date and time, departments and a table', async () => {
		const created = await run(
			ctx.emu,
			workflow(
				create({
					templateId: EXPENSE,
					creatorUserId: id('ZhouBa'),
					form: form(EXPENSE, {
						报销金额: 128.5,
						费用类型: '交通, option-b',
						发生时间: '2026-11-30 10:00',
						费用归属部门: [2, 3],
						费用明细: '[{"项目": "Taxi", "金额": 28.5}, {"项目": "Dinner", "金额": "100"}]',
					}),
					approverMode: 'steps',
					approvers: {
						step: [
							{ attr: 2, userIds: 'LiSi, ZhangSan' },
							{ attr: 1, userIds: ['SunQi'] },
						],
					},
					notifierUserIds: 'WangWu',
					notifyType: 3,
					options: {
						chooseDepartment: id('4'),
						summary: 'Taxi and dinner\nNovember',
					},
				}),
			),
		);
		expect(created.status).toBe('success');
		const [request] = applyRequests();
		expect(request.body).toEqual({
			creator_userid: 'ZhouBa',
			template_id: EXPENSE,
			use_template_approver: 0,
			choose_department: 4,
			approver: [
				{ attr: 2, userid: ['LiSi', 'ZhangSan'] },
				{ attr: 1, userid: ['SunQi'] },
			],
			notifyer: ['WangWu'],
			notify_type: 3,
			apply_data: {
				contents: [
					{ control: 'Money', id: 'Money-1', value: { new_money: '128.5' } },
					{
						control: 'Selector',
						id: 'Selector-2',
						value: {
							selector: { type: 'multi', options: [{ key: 'option-a' }, { key: 'option-b' }] },
						},
					},
					{
						control: 'Date',
						id: 'Date-3',
						value: {
							date: { type: 'hour', s_timestamp: seconds('2026-11-30T10:00:00+08:00') },
						},
					},
					{
						control: 'Contact',
						id: 'Contact-2',
						value: { departments: [{ openapi_id: '2' }, { openapi_id: '3' }] },
					},
					{
						control: 'Table',
						id: 'Table-1',
						value: {
							children: [
								{
									list: [
										{ control: 'Text', id: 'Text-1', value: { text: 'Taxi' } },
										{ control: 'Money', id: 'Money-2', value: { new_money: '28.5' } },
									],
								},
								{
									list: [
										{ control: 'Text', id: 'Text-1', value: { text: 'Dinner' } },
										{ control: 'Money', id: 'Money-2', value: { new_money: '100' } },
									],
								},
							],
						},
					},
				],
			},
			summary_list: [
				{ summary_info: [{ text: 'Taxi and dinner', lang: 'zh_CN' }] },
				{ summary_info: [{ text: 'November', lang: 'zh_CN' }] },
			],
		});
		expect(uploads()).toHaveLength(0);

		const spNo = String(created.nodeOutput('Node')[0].json.spNo);
		expect(await get(spNo)).toMatchObject({
			name: '报销 Expense',
			applicant: { userId: 'ZhouBa', departmentId: '4' },
			nodes: [
				{ approveType: 'all', approvers: [{ userId: 'LiSi' }, { userId: 'ZhangSan' }] },
				{ approveType: 'anyOne', approvers: [{ userId: 'SunQi' }] },
			],
			notifiers: ['WangWu'],
			form: {
				报销金额: 128.5,
				费用类型: ['交通', '餐饮'],
				发生时间: '2026-11-30T10:00:00+08:00',
				费用归属部门: ['2', '3'],
				费用明细: [
					{ 项目: 'Taxi', 金额: 28.5 },
					{ 项目: 'Dinner', 金额: 100 },
				],
			},
		});
		// Countersign: the first step waits for both approvers, then SunQi rejects.
		approvals().act(spNo, { userId: 'LiSi', action: 'approve' });
		expect((await get(spNo)).nodes).toMatchObject([{ status: 1 }, { status: 1 }]);
		approvals().act(spNo, { userId: 'ZhangSan', action: 'approve' });
		approvals().act(spNo, { userId: 'SunQi', action: 'reject', speech: 'No receipt' });
		expect(await get(spNo)).toMatchObject({
			status: 3,
			statusName: 'rejected',
			nodes: [
				{ status: 2, statusName: 'agreed' },
				{
					status: 3,
					statusName: 'rejected',
					approvers: [{ userId: 'SunQi', statusName: 'rejected', comment: 'No receipt' }],
				},
			],
		});
	});

	it('refuses bad form values of every item before sending anything, naming the field and the item; with continueOnFail the good ones go out', async () => {
		const goodLeave = {
			templateId: LEAVE,
			请假类型: '事假',
			开始时间: '2026-12-03',
			结束时间: '2026-12-03',
			请假天数: 1,
			附件: 'data',
		};
		const goodExpense = {
			templateId: EXPENSE,
			报销金额: '10',
			费用类型: ['交通'],
			发生时间: '2026-11-30T10:00:00+08:00',
			费用明细: [{ 项目: 'Taxi', 金额: 10 }],
		};
		const bad: Array<[IDataObject, string]> = [
			[{ ...goodLeave, 请假天数: '' }, "'请假天数' is required by the template [item 1]"],
			[{ ...goodLeave, 请假类型: '婚假' }, '\'请假类型\' has no option "婚假" [item 2]'],
			[
				{ ...goodLeave, 开始时间: 'next monday' },
				'\'开始时间\' is not a date: "next monday" [item 3]',
			],
			[
				{ ...goodExpense, 费用明细: [{ 项目: 'Taxi', 金额: 10 }, { 项目: 'Dinner' }] },
				"Row 2 of '费用明细' needs '金额' [item 4]",
			],
			[
				{ ...goodLeave, 附件: 'report' },
				"'附件' names the binary field 'report', which the item does not have [item 5]",
			],
		];
		const items = [
			withFile(goodLeave),
			...bad.map(([json]) => withFile(json)),
			{ json: goodExpense },
		];
		// One workflow, one item per case: the template and the form come from the item.
		const parameters = create({
			templateId: '={{ $json.templateId }}',
			form: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
		});
		const stopped = await run(ctx.emu, workflow(parameters), { inputExecutionItems: items });
		expect(stopped.error.message).toBe(bad[0][1]);
		expect(applyRequests()).toHaveLength(0);
		expect(uploads()).toHaveLength(0);

		const kept = await run(ctx.emu, workflow(parameters, { continueOnFail: true }), {
			inputExecutionItems: items,
		});
		const output = kept.nodeOutput('Node').map((item) => item.json);
		expect(output[0].spNo).toEqual(expect.any(String));
		expect(output.slice(1, -1).map((item) => item.error)).toEqual(
			bad.map(([, message]) => message),
		);
		expect(output[output.length - 1]).toMatchObject({
			templateId: EXPENSE,
			creatorUserId: 'WangWu',
		});
		expect(kept.nodeOutput('Node').map((item) => item.pairedItem)).toEqual(
			items.map((_item, index) => ({ item: index })),
		);
		expect(applyRequests()).toHaveLength(2);
		expect(uploads()).toHaveLength(1);
		// Each template was read once for the whole run.
		expect(ctx.emu.requests({ path: '/cgi-bin/oa/gettemplatedetail' })).toHaveLength(1 + 2);
		expect(approvals().instances()).toHaveLength(2);
	});

	it('refuses other bad input before the call: a single selector given two options, a creator by a bad mobile, no approval steps, too many summary lines, seven attachments, a file too small', async () => {
		const cases: Array<[IDataObject, string, INodeExecutionData?]> = [
			[
				{ form: form(LEAVE, { ...leaveValues, 请假类型: '={{ "年假, 事假" }}' }) },
				"'请假类型' takes one option, got 2 [item 0]",
			],
			[
				{ creatorUserId: { __rl: true, mode: 'mobile', value: '={{ "abc" }}' } },
				"'Creator (By Mobile)'",
			],
			[{ approverMode: 'steps', approvers: {} }, 'Approvers: no approval step is given [item 0]'],
			[
				{ options: { summary: 'a\nb\nc\nd' } },
				"'Summary Lines' has 4 lines, more than WeCom's 3 [item 0]",
			],
			[
				{ form: form(LEAVE, { ...leaveValues, 附件: 'a, b, c, d, e, f, g' }) },
				"The form has 7 attachments, more than WeCom's 6 per application [item 0]",
				{
					json: {},
					binary: Object.fromEntries(
						[...'abcdefg'].map((field) => [
							field,
							{
								data: PDF.toString('base64'),
								mimeType: 'application/pdf',
								fileName: `${field}.pdf`,
							},
						]),
					),
				},
			],
			[{ templateId: 'not an id' }, "'Template ID' is not a template ID: 'not an id' [item 0]"],
			[
				{},
				"'附件': the file in binary field 'data' is 3 bytes; WeCom takes attachments of 6 bytes to 20 MB [item 0]",
				{
					json: {},
					binary: {
						data: { data: Buffer.from('abc').toString('base64'), mimeType: 'text/plain' },
					},
				},
			],
		];
		for (const [change, message, item] of cases) {
			const result = await run(ctx.emu, workflow(create(change)), {
				inputExecutionItems: [item ?? withFile({})],
			});
			expect(result.error.message).toContain(message);
		}
		expect(applyRequests()).toHaveLength(0);
		expect(uploads()).toHaveLength(0);
	});

	it("submits apply_data.contents as given with Using JSON, and explains WeCom's 301025 refusals", async () => {
		const contents = [
			{
				control: 'Selector',
				id: 'Selector-15111111',
				value: { selector: { type: 'single', options: [{ key: 'option-3' }] } },
			},
			{
				control: 'Date',
				id: 'Date-1',
				value: { date: { type: 'day', s_timestamp: '1764777600' } },
			},
			{
				control: 'Date',
				id: 'Date-2',
				value: { date: { type: 'day', s_timestamp: '1764777600' } },
			},
			{ control: 'Number', id: 'Number-1', value: { new_number: '1' } },
		];
		const ok = await run(
			ctx.emu,
			workflow(create({ formInput: 'json', formJson: JSON.stringify(contents) })),
		);
		expect(ok.status).toBe('success');
		expect(ok.nodeOutput('Node')[0].json.form).toEqual(contents);
		expect((applyRequests()[0].body as IDataObject).apply_data).toEqual({ contents });
		// No template read in JSON mode.
		expect(ctx.emu.requests({ path: '/cgi-bin/oa/gettemplatedetail' })).toHaveLength(0);

		const numbers = await run(
			ctx.emu,
			workflow(
				create({
					formInput: 'json',
					formJson: JSON.stringify({
						contents: [...contents.slice(0, 3), { ...contents[3], value: { new_number: 1 } }],
					}),
				}),
			),
		);
		expect(numbers.error.message).toMatch(/no applydata content.*\(errcode 301025\)/);
		expect(numbers.error.description).toMatch(/WeCom takes them as strings/);

		const outside = await run(ctx.emu, workflow(create({ creatorUserId: id('Nobody') })), {
			inputExecutionItems: [withFile({})],
		});
		expect(outside.error.message).toMatch(/creator_userid not in app visiable range/);
		expect(outside.error.description).toMatch(/Visible Range/);

		const unknownApprover = await run(
			ctx.emu,
			workflow(
				create({ approverMode: 'steps', approvers: { step: [{ attr: 1, userIds: 'Ghost' }] } }),
			),
			{ inputExecutionItems: [withFile({})] },
		);
		expect(unknownApprover.error.message).toMatch(/invalid approver userid Ghost/);
		expect(unknownApprover.error.description).toMatch(/Approvers and Notifiers/);

		const unknownTemplate = await run(
			ctx.emu,
			workflow(create({ templateId: 'C4NoSuchTemplate' })),
		);
		expect(unknownTemplate.error.description).toMatch(/^'Template ID' is "C4NoSuchTemplate"\. /);
		expect(unknownTemplate.error.description).toMatch(/No approval template has this ID/);

		const unknownSpNo = await run(ctx.emu, workflow(approval('get', { spNo: '209901010001' })));
		expect(unknownSpNo.error.description).toMatch(/^'Approval Number' is "209901010001"\. /);
		expect(unknownSpNo.error.description).toMatch(/No approval of this company has this number/);
	});

	it('lists the approvals of a 40-day range in two calls of at most 31 days, with filters, a limit and details', async () => {
		const start = Date.parse('2026-10-01T00:00:00+08:00');
		ctx.emu.clock.freeze(start + 9 * 3600 * 1000);
		const first = await run(ctx.emu, workflow(create()), { inputExecutionItems: [withFile({})] });
		ctx.emu.clock.advance(35 * DAY_S * 1000);
		const second = await run(ctx.emu, workflow(create()), { inputExecutionItems: [withFile({})] });
		await run(
			ctx.emu,
			workflow(
				create({
					templateId: EXPENSE,
					form: form(EXPENSE, { 报销金额: 1, 费用类型: '交通', 发生时间: '2026-11-05 09:00' }),
				}),
			),
		);
		const spNos = [first, second].map((result) => String(result.nodeOutput('Node')[0].json.spNo));
		const end = start + 40 * DAY_S * 1000;
		const list = (extra: IDataObject = {}) =>
			approval('getMany', {
				startTime: new Date(start).toISOString(),
				endTime: new Date(end).toISOString(),
				returnAll: true,
				filters: { templateId: LEAVE },
				options: {},
				...extra,
			});

		ctx.emu.clearRequests();
		const listed = await run(ctx.emu, workflow(list()));
		expect(listed.nodeOutput('Node').map((item) => item.json)).toEqual(
			spNos.map((spNo) => ({ spNo })),
		);
		const calls = ctx.emu.requests({ path: '/cgi-bin/oa/getapprovalinfo' });
		const startS = start / 1000;
		expect(calls.map((call) => call.body)).toEqual([
			{
				starttime: String(startS),
				endtime: String(startS + 31 * DAY_S),
				new_cursor: '',
				size: 100,
				filters: [{ key: 'template_id', value: LEAVE }],
			},
			{
				starttime: String(startS + 31 * DAY_S),
				endtime: String(startS + 40 * DAY_S),
				new_cursor: '',
				size: 100,
				filters: [{ key: 'template_id', value: LEAVE }],
			},
		]);

		// A time without a zone, as n8n's date picker saves it, is read in the workflow's zone (China).
		ctx.emu.clearRequests();
		const wallClock = new Intl.DateTimeFormat('sv-SE', {
			timeZone: 'Asia/Shanghai',
			dateStyle: 'short',
			timeStyle: 'medium',
		})
			.format(new Date(start))
			.replace(' ', 'T');
		await run(ctx.emu, workflow(list({ startTime: wallClock })));
		expect(ctx.emu.requests({ path: '/cgi-bin/oa/getapprovalinfo' })[0].body).toMatchObject({
			starttime: String(startS),
		});

		// A limit stops before the second range; without the template filter both templates count.
		ctx.emu.clearRequests();
		const limited = await run(ctx.emu, workflow(list({ returnAll: false, limit: 1, filters: {} })));
		expect(limited.nodeOutput('Node').map((item) => item.json)).toEqual([{ spNo: spNos[0] }]);
		expect(ctx.emu.requests({ path: '/cgi-bin/oa/getapprovalinfo' })).toHaveLength(1);
		const all = await run(ctx.emu, workflow(list({ filters: {} })));
		expect(all.nodeOutput('Node')).toHaveLength(3);

		approvals().act(spNos[1], { userId: 'LiSi', action: 'reject' });
		const detailed = await run(
			ctx.emu,
			workflow(
				list({
					filters: { templateId: LEAVE, status: '3', creator: 'WangWu', departmentIds: '31, 2' },
					options: { includeDetails: true },
				}),
			),
		);
		expect(detailed.nodeOutput('Node').map((item) => item.json)).toEqual([
			expect.objectContaining({ spNo: spNos[1], statusName: 'rejected', form: expect.any(Object) }),
		]);
		const [call] = ctx.emu.requests({ path: '/cgi-bin/oa/getapprovalinfo' }).slice(-2);
		expect((call.body as IDataObject).filters).toEqual([
			{ key: 'template_id', value: LEAVE },
			{ key: 'creator', value: 'WangWu' },
			{ key: 'department', value: '31' },
			{ key: 'department', value: '2' },
			{ key: 'sp_status', value: '3' },
		]);

		const backwards = await run(
			ctx.emu,
			workflow(
				list({ startTime: new Date(end).toISOString(), endTime: new Date(start).toISOString() }),
			),
		);
		expect(backwards.error.message).toBe("'End Time' is not after 'Start Time' [item 0]");
	});

	it('pages over new_cursor: 101 approvals in one range take two calls, a limit of 100 one', async () => {
		const items = Array.from({ length: 101 }, (_item, index) => ({ json: { amount: index + 1 } }));
		const created = await run(
			ctx.emu,
			workflow(
				create({
					templateId: EXPENSE,
					form: form(EXPENSE, {
						报销金额: '={{ $json.amount }}',
						费用类型: '={{ ["交通"] }}',
						发生时间: '2026-11-05 09:00',
					}),
				}),
			),
			{ inputExecutionItems: items },
		);
		expect(created.nodeOutput('Node')).toHaveLength(101);
		const list = (extra: IDataObject) =>
			approval('getMany', {
				startTime: new Date(Date.now() - DAY_S * 1000).toISOString(),
				endTime: new Date(Date.now() + DAY_S * 1000).toISOString(),
				filters: {},
				options: {},
				...extra,
			});
		ctx.emu.clearRequests();
		const all = await run(ctx.emu, workflow(list({ returnAll: true })));
		const spNos = all.nodeOutput('Node').map((item) => item.json.spNo);
		expect(new Set(spNos).size).toBe(101);
		const calls = ctx.emu.requests({ path: '/cgi-bin/oa/getapprovalinfo' });
		expect(calls.map((call) => (call.body as IDataObject).new_cursor)).toEqual([
			'',
			expect.stringMatching(/.+/),
		]);
		ctx.emu.clearRequests();
		const hundred = await run(ctx.emu, workflow(list({ returnAll: false, limit: 100 })));
		expect(hundred.nodeOutput('Node')).toHaveLength(100);
		expect(ctx.emu.requests({ path: '/cgi-bin/oa/getapprovalinfo' })).toHaveLength(1);
	});

	it("reads a template's controls in a readable form, and loads them as the Form's fields", async () => {
		const result = await run(ctx.emu, workflow(approval('getTemplate', { templateId: EXPENSE })));
		expect(result.status).toBe('success');
		const [out] = result.nodeOutput('Node');
		expect(out.json).toMatchObject({
			templateId: EXPENSE,
			name: '报销 Expense',
			controls: [
				{ id: 'Money-1', control: 'Money', title: '报销金额', required: true },
				{
					id: 'Selector-2',
					control: 'Selector',
					title: '费用类型',
					selectorType: 'multi',
					options: [
						{ key: 'option-a', text: '交通' },
						{ key: 'option-b', text: '餐饮' },
						{ key: 'option-c', text: '住宿' },
					],
				},
				{ id: 'Date-3', control: 'Date', title: '发生时间', dateType: 'hour' },
				{
					id: 'Contact-2',
					control: 'Contact',
					required: false,
					contactType: 'multi',
					contactMode: 'department',
				},
				{
					id: 'Table-1',
					control: 'Table',
					children: [
						{ id: 'Text-1', control: 'Text', title: '项目', required: true },
						{ id: 'Money-2', control: 'Money', title: '金额', required: true },
					],
				},
			],
		});
		const leave = await run(ctx.emu, workflow(approval('getTemplate', { templateId: LEAVE })));
		const controls = leave.nodeOutput('Node')[0].json.controls as IDataObject[];
		expect(controls[controls.length - 1]).toMatchObject({
			id: 'Tips-1',
			control: 'Tips',
			tips: '请至少提前一天提交请假申请',
		});

		const mapped = (await pick(
			ctx.emu,
			WECOM_TYPE,
			'resourceMapping' as 'loadOptions',
			'getApprovalTemplateFields',
			{ parameters: { resource: 'approval', operation: 'create', templateId: LEAVE } },
		)) as unknown as { fields: IDataObject[] };
		expect(mapped.fields.map((field) => [field.id, field.displayName, field.type])).toEqual([
			['请假类型', '请假类型', 'options'],
			['开始时间', '开始时间 (yyyy-MM-dd)', 'string'],
			['结束时间', '结束时间 (yyyy-MM-dd)', 'string'],
			['请假天数', '请假天数', 'number'],
			['请假事由', '请假事由', 'string'],
			['工作交接人', '工作交接人 (a userid)', 'string'],
			['附件', '附件 (binary fields, e.g. data)', 'string'],
		]);
		expect(mapped.fields[0].options).toEqual([
			{ name: '年假', value: 'option-1' },
			{ name: '事假', value: 'option-2' },
			{ name: '病假', value: 'option-3' },
		]);
	});
});
