// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');

const ctx = useEmulator();

const START = Date.UTC(2025, 4, 6, 1, 30, 0); // 2025-05-06 09:30 in China
const DAY = 86_400_000;
const LEAVE = 'PROC-EMU-LEAVE';
const EXPENSE = 'PROC-EMU-EXPENSE';
const REQUEST_ID = expect.stringMatching(
	/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/,
);
const UTC_MINUTE = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);

/** A v1.0 call with the primary app's token in the header. */
async function api(
	/** @type {string} */ path,
	/** @type {{ method?: string, query?: Record<string, string | number>, body?: unknown }} */ options = {},
) {
	const { body: token } = await ctx.client.api('/v1.0/oauth2/accessToken', {
		body: { appKey: ctx.emu.seed.dingtalk.appKey, appSecret: ctx.emu.seed.dingtalk.appSecret },
	});
	return ctx.client.api(path, {
		...options,
		headers: { 'x-acs-dingtalk-access-token': token.accessToken },
	});
}
/** A control-API call: GET without a body, POST with one (or with method). */
async function control(
	/** @type {string} */ path,
	/** @type {unknown} */ body = undefined,
	/** @type {string} */ method = body === undefined ? 'GET' : 'POST',
) {
	return ctx.client.control(path, body === undefined ? { method } : { method, body });
}
const withdraw = (/** @type {string} */ id) =>
	control(`/dingtalk/approvals/instances/${id}/withdraw`, undefined, 'POST');
const advance = (/** @type {number} */ ms) => control('/clock/advance', { ms });

/** HTTP 400 with the documented code and message. */
const refusal = (/** @type {string} */ code, /** @type {string} */ message) => ({
	status: 400,
	body: { code, message, requestid: REQUEST_ID },
});
const FORM_FAILED = (/** @type {string} */ control) =>
	refusal('formConverterError', `表单数据校验失败，失败控件：${control}`);

/** A complete, valid leave request (every control but the optional ones). */
const leaveValues = (/** @type {Record<string, string>} */ overrides = {}) =>
	Object.entries({
		请假类型: '年假',
		'["开始时间","结束时间"]': '["2025-05-12","2025-05-14"]',
		请假天数: '3',
		...overrides,
	}).map(([name, value]) => ({ name, value }));

const expenseValues = (/** @type {Record<string, string>} */ overrides = {}) =>
	Object.entries({
		报销金额: '128.50',
		费用类型: '["交通","餐饮"]',
		发生日期: '2025-05-05',
		...overrides,
	}).map(([name, value]) => ({ name, value }));

async function create(/** @type {Record<string, unknown>} */ fields = {}) {
	return api('/v1.0/workflow/processInstances', {
		body: {
			processCode: LEAVE,
			originatorUserId: 'user001',
			formComponentValues: leaveValues(),
			...fields,
		},
	});
}
/** Creates and returns the instance id (fails the test otherwise). */
async function started(/** @type {Record<string, unknown>} */ fields = {}) {
	const answer = await create(fields);
	expect(answer).toMatchObject({ status: 200, body: { instanceId: expect.any(String) } });
	return /** @type {string} */ (answer.body.instanceId);
}
async function get(/** @type {string} */ id) {
	const answer = await api('/v1.0/workflow/processInstances', { query: { processInstanceId: id } });
	expect(answer.status).toBe(200);
	return answer.body.result;
}
const runningTask = async (/** @type {string} */ id, /** @type {string} */ userId) =>
	(await get(id)).tasks.find(
		(/** @type {any} */ task) => task.userId === userId && task.status === 'RUNNING',
	);
async function execute(/** @type {Record<string, unknown>} */ body) {
	return api('/v1.0/workflow/processInstances/execute', { body });
}
/** The user agrees/refuses their running task. */
async function decide(
	/** @type {string} */ id,
	/** @type {string} */ userId,
	/** @type {'agree'|'refuse'} */ result,
	remark = '',
) {
	const task = await runningTask(id, userId);
	expect(task).toBeDefined();
	const answer = await execute({
		processInstanceId: id,
		taskId: task.taskId,
		actionerUserId: userId,
		result,
		remark,
	});
	expect(answer).toMatchObject({ status: 200, body: { result: true, success: true } });
	return task.taskId;
}
const events = () => ctx.emu.dingtalk.approvals.events();

beforeEach(() => ctx.emu.clock.freeze(START));

describe('templates visible to a user', () => {
	const TEMPLATES = '/v1.0/workflow/processes/userVisibilities/templates';
	const list = (/** @type {Record<string, string | number>} */ query) => api(TEMPLATES, { query });

	test('without userId every form; by user, only the forms they may start', async () => {
		const all = await list({ maxResults: 100, nextToken: 0 });
		expect(all.status).toBe(200);
		expect(all.body).toEqual({
			result: {
				processList: [
					{
						name: '请假 Leave request',
						url: expect.stringContaining('https://aflow.dingtalk.com/'),
						iconUrl: expect.stringMatching(/^https:\/\//),
						processCode: LEAVE,
						dirId: '10001',
						dirName: '人事 HR',
					},
					{
						name: '报销 Expense claim',
						url: expect.stringContaining('processCode=PROC-EMU-EXPENSE'),
						iconUrl: expect.stringMatching(/^https:\/\//),
						processCode: EXPENSE,
						dirId: '10002',
						dirName: '财务 Finance',
					},
				],
			},
		});
		const codes = async (/** @type {string} */ userId) =>
			(await list({ userId, maxResults: 10, nextToken: 0 })).body.result.processList.map(
				(/** @type {any} */ item) => item.processCode,
			);
		// Expense: department 2 and below (manager01 in 2, user001 in 21, user002 in 22, multi01 in 21 and 3).
		expect(await codes('manager01')).toEqual([LEAVE, EXPENSE]);
		expect(await codes('user001')).toEqual([LEAVE, EXPENSE]);
		expect(await codes('user002')).toEqual([LEAVE, EXPENSE]);
		expect(await codes('multi01')).toEqual([LEAVE, EXPENSE]);
		expect(await codes('boss01')).toEqual([LEAVE]);
		expect(await codes('admin01')).toEqual([LEAVE]);
		expect(await codes('user005')).toEqual([LEAVE]); // dept 3
	});

	test('paging: nextToken is a number offset, absent on the last page', async () => {
		const first = await list({ maxResults: 1, nextToken: 0 });
		expect(first.body.result.nextToken).toBe(1);
		expect(first.body.result.processList.map((/** @type {any} */ p) => p.processCode)).toEqual([
			LEAVE,
		]);
		const second = await list({ maxResults: 1, nextToken: 1 });
		expect(second.body.result).toEqual({
			processList: [expect.objectContaining({ processCode: EXPENSE })],
		});
		expect((await list({ maxResults: 1, nextToken: 5 })).body.result).toEqual({ processList: [] });
	});

	test('maxResults (required, ≤ 100), nextToken (required), unknown user', async () => {
		const MAX = refusal(
			'invalidMaxResults',
			'获取指定用户可见的审批表单列表，分页参数非法，每页大小，最多传100。',
		);
		const TOKEN = refusal(
			'invalidNextToken',
			'获取指定用户可见的审批表单列表，分页查询的游标不能为空',
		);
		expect(await list({ nextToken: 0 })).toMatchObject(MAX);
		expect(await list({ maxResults: 101, nextToken: 0 })).toMatchObject(MAX);
		expect(await list({ maxResults: 0, nextToken: 0 })).toMatchObject(MAX);
		expect(await list({ maxResults: 10 })).toMatchObject(TOKEN);
		expect(await list({ maxResults: 10, nextToken: 'abc' })).toMatchObject(TOKEN);
		expect(await list({ maxResults: 10, nextToken: -1 })).toMatchObject(TOKEN);
		expect(await list({ userId: 'nobody', maxResults: 10, nextToken: 0 })).toMatchObject(
			refusal('invalidParameter', '获取指定用户可见的审批表单列表参数错误'),
		);
	});
});

describe('form schema', () => {
	const SCHEMA = '/v1.0/workflow/forms/schemas/processCodes';

	test('the leave form: its controls as componentName + props, in order', async () => {
		const { status, body } = await api(SCHEMA, { query: { processCode: LEAVE } });
		expect(status).toBe(200);
		expect(body.result).toEqual({
			creatorUserId: 'admin01',
			appUuid: 'dingemucorp0001',
			formCode: LEAVE,
			formUuid: expect.stringMatching(/^FORM-/),
			name: '请假 Leave request',
			memo: '',
			ownerIdType: 'orgId',
			schemaContent: {
				title: '请假 Leave request',
				icon: 'leave',
				items: [
					{ componentName: 'TextNote', props: { id: 'TextNote-K1', content: '请如实填写' } },
					{
						componentName: 'DDSelectField',
						props: {
							id: 'DDSelectField-LT',
							label: '请假类型',
							required: true,
							options: ['年假', '事假', '病假'],
						},
					},
					{
						componentName: 'DDDateRangeField',
						props: {
							id: 'DDDateRangeField-P',
							label: '["开始时间","结束时间"]',
							required: true,
							format: 'yyyy-MM-dd',
							unit: '天',
						},
					},
					{
						componentName: 'NumberField',
						props: { id: 'NumberField-D', label: '请假天数', required: true, unit: '天' },
					},
					{
						componentName: 'TextareaField',
						props: { id: 'TextareaField-R', label: '请假事由', required: false },
					},
					{
						componentName: 'InnerContactField',
						props: { id: 'InnerContactField-H', label: '工作交接人', required: false, choice: 0 },
					},
				],
			},
			icon: 'leave',
			appType: 0,
			bizType: '',
			engineType: 0,
			status: 'PUBLISHED',
			listOrder: 1,
			procType: 'inner',
			visibleRange: 'PUBLIC',
			gmtCreate: expect.stringMatching(/^\d{13}$/),
			gmtModified: expect.stringMatching(/^\d{13}$/),
		});
	});

	test('the expense form: a table with children; PRIVATE range', async () => {
		const { body } = await api(SCHEMA, { query: { processCode: EXPENSE } });
		expect(body.result.visibleRange).toBe('PRIVATE');
		const { items } = body.result.schemaContent;
		expect(items.map((/** @type {any} */ item) => [item.componentName, item.props.id])).toEqual([
			['MoneyField', 'MoneyField-A'],
			['DDMultiSelectField', 'DDMultiSelectField-T'],
			['DDDateField', 'DDDateField-O'],
			['DepartmentField', 'DepartmentField-B'],
			['TableField', 'TableField-L'],
			['DDAttachment', 'DDAttachment-F'],
		]);
		expect(items[0].props).toEqual({
			id: 'MoneyField-A',
			label: '报销金额',
			required: true,
			upper: '1',
		});
		expect(items[4]).toEqual({
			componentName: 'TableField',
			props: { id: 'TableField-L', label: '费用明细', required: false },
			children: [
				{ componentName: 'TextField', props: { id: 'TextField-I', label: '项目', required: true } },
				{
					componentName: 'MoneyField',
					props: { id: 'MoneyField-S', label: '金额', required: true },
				},
			],
		});
	});

	test('missing processCode → invalidParameter, unknown → formNotExist', async () => {
		expect(await api(SCHEMA)).toMatchObject(
			refusal('invalidParameter', '参数错误，具体可能为：企业ID、审批模板code等参数错误'),
		);
		expect(await api(SCHEMA, { query: { processCode: 'PROC-NOPE' } })).toMatchObject(
			refusal('formNotExist', '审批表单模板不存在'),
		);
	});
});

describe('create', () => {
	test('leave: every control encoded; the template flow starts with manager01', async () => {
		const id = await started({
			formComponentValues: [
				{ name: '请假类型', value: '病假' },
				{ name: '["开始时间","结束时间"]', value: '["2025-05-12","2025-05-12"]' },
				{ id: 'NumberField-D', name: 'whatever', value: '0.5' },
				{ name: '请假事由', value: '发烧\r\n就医' },
				{ name: '工作交接人', value: '["user002"]', extValue: '{"note":"x"}' },
			],
		});
		expect(id).toMatch(/^[A-Za-z0-9_-]{22}0\d{12}$/);
		const instance = await get(id);
		expect(instance).toMatchObject({
			title: '王伟提交的请假 Leave request',
			originatorUserId: 'user001',
			originatorDeptId: '21',
			originatorDeptName: '前端组',
			status: 'RUNNING',
			result: '',
			approverUserIds: ['manager01', 'boss01'],
			ccUserIds: [],
			bizAction: 'NONE',
		});
		expect(instance.formComponentValues).toEqual([
			{
				id: 'DDSelectField-LT',
				name: '请假类型',
				value: '病假',
				extValue: '',
				componentType: 'DDSelectField',
				bizAlias: '',
			},
			{
				id: 'DDDateRangeField-P',
				name: '["开始时间","结束时间"]',
				value: '["2025-05-12","2025-05-12"]',
				extValue: '',
				componentType: 'DDDateRangeField',
				bizAlias: '',
			},
			{
				id: 'NumberField-D',
				name: '请假天数',
				value: '0.5',
				extValue: '',
				componentType: 'NumberField',
				bizAlias: '',
			},
			{
				id: 'TextareaField-R',
				name: '请假事由',
				value: '发烧\r\n就医',
				extValue: '',
				componentType: 'TextareaField',
				bizAlias: '',
			},
			{
				id: 'InnerContactField-H',
				name: '工作交接人',
				value: '["user002"]',
				extValue: '{"note":"x"}',
				componentType: 'InnerContactField',
				bizAlias: '',
			},
		]);
		expect(instance.tasks).toEqual([
			expect.objectContaining({ userId: 'manager01', status: 'RUNNING', result: 'NONE' }),
		]);
	});

	test('expense: money, multi-select, date, departments, table, attachments', async () => {
		const files = [
			{
				spaceId: '163000658',
				fileName: '发票.pdf',
				fileSize: '2048',
				fileType: 'pdf',
				fileId: '643000140',
			},
		];
		const table = [
			[
				{ name: '项目', value: '出租车' },
				{ name: '金额', value: '28.5' },
			],
			[
				{ name: '金额', value: '100' },
				{ name: '项目', value: '午餐' },
			],
		];
		const id = await started({
			processCode: EXPENSE,
			originatorUserId: 'user002',
			formComponentValues: expenseValues({
				发生日期: '2025-05-05 18:30',
				费用归属部门: '22,221',
				费用明细: JSON.stringify(table),
				附件: JSON.stringify(files),
			}),
		});
		const instance = await get(id);
		expect(instance).toMatchObject({
			originatorDeptId: '22',
			originatorDeptName: '后端组',
			approverUserIds: ['boss01'],
			ccUserIds: ['admin01'],
		});
		expect(
			instance.formComponentValues.map((/** @type {any} */ v) => [v.componentType, v.value]),
		).toEqual([
			['MoneyField', '128.50'],
			['DDMultiSelectField', '["交通","餐饮"]'],
			['DDDateField', '2025-05-05 18:30'],
			['DepartmentField', '22,221'],
			['TableField', JSON.stringify(table)],
			['DDAttachment', JSON.stringify(files)],
		]);
		// cc at FINISH: no PROCESS_CC yet.
		expect(instance.operationRecords.map((/** @type {any} */ r) => r.type)).toEqual([
			'START_PROCESS_INSTANCE',
		]);
	});

	test('deptId: one of the originator departments or -1 (root); omitted = the first', async () => {
		const dept = async (/** @type {Record<string, unknown>} */ fields) => {
			const instance = await get(await started(fields));
			return [instance.originatorDeptId, instance.originatorDeptName];
		};
		expect(await dept({ originatorUserId: 'multi01', deptId: 3 })).toEqual(['3', '产品部']);
		expect(await dept({ originatorUserId: 'multi01' })).toEqual(['21', '前端组']);
		expect(await dept({ originatorUserId: 'user001', deptId: -1 })).toEqual([
			'-1',
			'钉钉模拟科技有限公司',
		]);
		expect(await dept({ originatorUserId: 'boss01' })).toEqual(['-1', '钉钉模拟科技有限公司']);
		expect(await create({ originatorUserId: 'user001', deptId: 3 })).toMatchObject(
			refusal(
				'processInstanceInvalidParameter',
				'审批实例参数错误，具体可能为:发起人、审批人、抄送人的userid错误，发起部门id错误，发起人不在发起部门中',
			),
		);
	});

	test('originator and template refusals', async () => {
		const INVALID = refusal(
			'invalidParameter',
			'发起审批参数错误。具体可能为：企业ID、审批模板code等参数错误，或发起人已离职',
		);
		expect(await create({ processCode: undefined })).toMatchObject(INVALID);
		expect(await create({ originatorUserId: '' })).toMatchObject(INVALID);
		expect(await create({ originatorUserId: 'user047' })).toMatchObject(INVALID); // not activated
		expect(await create({ processCode: 'PROC-NOPE' })).toMatchObject(
			refusal('processCodeError', '获取审批模板失败或者模板已被删除'),
		);
		expect(await create({ originatorUserId: 'ghost' })).toMatchObject({
			status: 400,
			body: { code: 'processInstanceInvalidParameter' },
		});
		expect(
			await create({
				processCode: EXPENSE,
				originatorUserId: 'boss01',
				formComponentValues: expenseValues(),
			}),
		).toMatchObject(refusal('needAuth', '没有发起审批的权限'));
		ctx.emu.dingtalk.approvals.addTemplate({
			processCode: 'PROC-EMU-OFF',
			name: '停用',
			status: 'INVALID',
			schemaContent: { items: [] },
		});
		expect(await create({ processCode: 'PROC-EMU-OFF', formComponentValues: [] })).toMatchObject(
			refusal('processGetFailed', '获取审批流失败或审批单状态为非启用状态'),
		);
	});

	test('approvers, ccList, ccPosition', async () => {
		const BAD = { status: 400, body: { code: 'processInstanceInvalidParameter' } };
		const node = (/** @type {string} */ actionType, /** @type {string[]} */ userIds) => ({
			actionType,
			userIds,
		});
		expect(await create({ approvers: [node('NONE', ['user002', 'user003'])] })).toMatchObject(BAD);
		expect(await create({ approvers: [node('AND', ['user002'])] })).toMatchObject(BAD);
		expect(await create({ approvers: [node('OR', ['user002'])] })).toMatchObject(BAD);
		expect(await create({ approvers: [node('ALL', ['user002', 'user003'])] })).toMatchObject(BAD);
		expect(await create({ approvers: [node('NONE', ['ghost'])] })).toMatchObject(BAD);
		expect(
			await create({ approvers: Array.from({ length: 21 }, () => node('NONE', ['user002'])) }),
		).toMatchObject(BAD);
		const users = Array.from({ length: 51 }, (_, i) => `user${String(i + 10).padStart(3, '0')}`);
		expect(await create({ approvers: [node('NONE', ['user002'])], ccList: users })).toMatchObject(
			BAD,
		);
		expect(
			await create({ approvers: [node('NONE', ['user002'])], ccList: ['ghost'] }),
		).toMatchObject(BAD);
		expect(
			await create({ approvers: [node('NONE', ['user002'])], ccPosition: 'MIDDLE' }),
		).toMatchObject(BAD);

		const id = await started({
			approvers: [
				node('OR', ['user002', 'user003']),
				node('AND', ['user004', 'user005']),
				node('NONE', ['boss01']),
			],
			ccList: ['admin01'],
			ccPosition: 'START_FINISH',
		});
		const instance = await get(id);
		expect(instance.approverUserIds).toEqual([
			'user002',
			'user003',
			'user004',
			'user005',
			'boss01',
		]);
		expect(instance.ccUserIds).toEqual(['admin01']);
		expect(instance.tasks.map((/** @type {any} */ t) => [t.userId, t.status])).toEqual([
			['user002', 'RUNNING'],
			['user003', 'RUNNING'],
		]);
		expect(instance.operationRecords.map((/** @type {any} */ r) => r.type)).toEqual([
			'START_PROCESS_INSTANCE',
			'PROCESS_CC',
		]);
		// Without approvers (or with an empty list), ccList/ccPosition are ignored: the template's flow and cc apply.
		const other = await get(
			await started({
				processCode: EXPENSE,
				formComponentValues: expenseValues(),
				approvers: [],
				ccList: ['user009'],
			}),
		);
		expect(other.ccUserIds).toEqual(['admin01']);
		expect(other.approverUserIds).toEqual(['boss01']);
	});

	test('form values: missing required, unknown names, wrong encodings name the control', async () => {
		const leave = (/** @type {Record<string, string>} */ overrides) =>
			create({ formComponentValues: leaveValues(overrides) });
		const expense = (/** @type {Record<string, string>} */ overrides) =>
			create({ processCode: EXPENSE, formComponentValues: expenseValues(overrides) });

		expect(await create({ formComponentValues: leaveValues().slice(1) })).toMatchObject(
			FORM_FAILED('请假类型'),
		);
		expect(await create({ formComponentValues: [] })).toMatchObject(FORM_FAILED('请假类型'));
		expect(await leave({ 请假类型: '' })).toMatchObject(FORM_FAILED('请假类型'));
		expect(await leave({ 备注: 'x' })).toMatchObject(FORM_FAILED('备注'));
		expect(await leave({ 请假类型: '婚假' })).toMatchObject(FORM_FAILED('请假类型'));
		expect(await leave({ '["开始时间","结束时间"]': '2025-05-12,2025-05-14' })).toMatchObject(
			FORM_FAILED('["开始时间","结束时间"]'),
		);
		expect(await leave({ '["开始时间","结束时间"]': '["2025-05-14","2025-05-12"]' })).toMatchObject(
			FORM_FAILED('["开始时间","结束时间"]'),
		);
		expect(await leave({ '["开始时间","结束时间"]': '["2025-05-12"]' })).toMatchObject(
			FORM_FAILED('["开始时间","结束时间"]'),
		);
		expect(await leave({ '["开始时间","结束时间"]': '["2025-02-30","2025-03-01"]' })).toMatchObject(
			FORM_FAILED('["开始时间","结束时间"]'),
		);
		expect(await leave({ 请假天数: '三天' })).toMatchObject(FORM_FAILED('请假天数'));
		expect(await leave({ 工作交接人: 'user002' })).toMatchObject(FORM_FAILED('工作交接人'));
		expect(await leave({ 工作交接人: '["ghost"]' })).toMatchObject(FORM_FAILED('工作交接人'));
		expect(await leave({ 工作交接人: '["user047"]' })).toMatchObject(FORM_FAILED('工作交接人')); // not active
		expect(await leave({ 工作交接人: '["user002","user003"]' })).toMatchObject(
			FORM_FAILED('工作交接人'),
		); // single choice

		expect(await expense({ 报销金额: '12.3.4' })).toMatchObject(FORM_FAILED('报销金额'));
		expect(await expense({ 费用类型: '交通' })).toMatchObject(FORM_FAILED('费用类型'));
		expect(await expense({ 费用类型: '["交通","娱乐"]' })).toMatchObject(FORM_FAILED('费用类型'));
		expect(await expense({ 费用类型: '[]' })).toMatchObject(FORM_FAILED('费用类型'));
		expect(await expense({ 发生日期: '2025/05/05' })).toMatchObject(FORM_FAILED('发生日期'));
		expect(await expense({ 费用归属部门: '["2"]' })).toMatchObject(FORM_FAILED('费用归属部门'));
		expect(await expense({ 费用归属部门: '2,999' })).toMatchObject(FORM_FAILED('费用归属部门'));
		expect(await expense({ 费用明细: '[{"name":"项目","value":"x"}]' })).toMatchObject(
			FORM_FAILED('费用明细'),
		);
		expect(await expense({ 费用明细: '[[{"name":"项目","value":"x"}]]' })).toMatchObject(
			FORM_FAILED('费用明细.金额'),
		);
		expect(
			await expense({ 费用明细: '[[{"name":"项目","value":"x"},{"name":"金额","value":"abc"}]]' }),
		).toMatchObject(FORM_FAILED('费用明细.金额'));
		expect(
			await expense({
				费用明细:
					'[[{"name":"项目","value":"x"},{"name":"金额","value":"1"},{"name":"税额","value":"1"}]]',
			}),
		).toMatchObject(FORM_FAILED('费用明细.税额'));
		expect(
			await expense({
				附件: '[{"spaceId":"1","fileName":"a.pdf","fileSize":"1","fileType":"pdf"}]',
			}),
		).toMatchObject(FORM_FAILED('附件'));

		// value must be a string: a raw array is refused; TextNote takes no value; a control given twice.
		expect(
			await create({
				processCode: EXPENSE,
				formComponentValues: [...expenseValues(), { name: '附件', value: [] }],
			}),
		).toMatchObject(FORM_FAILED('附件'));
		expect(
			await create({ formComponentValues: [...leaveValues(), { id: 'TextNote-K1', value: '改' }] }),
		).toMatchObject(FORM_FAILED('TextNote-K1'));
		expect(
			await create({ formComponentValues: [...leaveValues(), { name: '请假天数', value: '4' }] }),
		).toMatchObject(FORM_FAILED('请假天数'));
	});

	test('malformed entries → illegalComponent', async () => {
		const ILLEGAL = refusal('illegalComponent', '表单组件入参错误');
		expect(await create({ formComponentValues: ['请假类型'] })).toMatchObject(ILLEGAL);
		expect(await create({ formComponentValues: [{ value: '年假' }] })).toMatchObject(ILLEGAL);
		expect(await create({ formComponentValues: { 请假类型: '年假' } })).toMatchObject(ILLEGAL);
		expect(
			await create({
				formComponentValues: [...leaveValues(), { name: '请假事由', value: 'x'.repeat(65536) }],
			}),
		).toMatchObject(ILLEGAL);
		const many = Array.from({ length: 151 }, () => ({ name: '请假事由', value: 'x' }));
		expect(await create({ formComponentValues: many })).toMatchObject(ILLEGAL);
	});

	test('matched by id or bizAlias as well as by label; a JSON label with other spacing', async () => {
		const id = await started({
			formComponentValues: [
				{ id: 'DDSelectField-LT', value: '事假' },
				{ name: '["开始时间", "结束时间"]', value: '["2025-05-12 09:00","2025-05-12 18:00"]' },
				{ name: '请假天数', value: '1' },
			],
		});
		expect((await get(id)).formComponentValues.map((/** @type {any} */ v) => v.name)).toEqual([
			'请假类型',
			'["开始时间","结束时间"]',
			'请假天数',
		]);
	});
});

describe('get', () => {
	test('the documented shape; UTC minute times; success is the string "true"', async () => {
		const id = await started();
		const answer = await api('/v1.0/workflow/processInstances', {
			query: { processInstanceId: id },
		});
		expect(answer.status).toBe(200);
		expect(answer.body.success).toBe('true');
		const result = answer.body.result;
		expect(result).toEqual({
			title: '王伟提交的请假 Leave request',
			createTime: '2025-05-06T01:30Z',
			originatorUserId: 'user001',
			originatorDeptId: '21',
			originatorDeptName: '前端组',
			status: 'RUNNING',
			result: '',
			approverUserIds: ['manager01', 'boss01'],
			ccUserIds: [],
			businessId: '202505060930000000001',
			bizAction: 'NONE',
			attachedProcessInstanceIds: [],
			operationRecords: [
				{
					userId: 'user001',
					date: '2025-05-06T01:30Z',
					type: 'START_PROCESS_INSTANCE',
					result: 'NONE',
				},
			],
			tasks: [
				{
					taskId: expect.any(Number),
					userId: 'manager01',
					status: 'RUNNING',
					result: 'NONE',
					createTime: '2025-05-06T01:30Z',
					mobileUrl: expect.stringContaining(`procInstId=${id}`),
					pcUrl: expect.stringContaining('/dingtalk/pc/'),
					activityId: expect.stringMatching(/^[0-9a-f]{4}_[0-9a-f]{4}$/),
					processInstanceId: id,
				},
			],
			formComponentValues: expect.any(Array),
		});
		expect(result).not.toHaveProperty('finishTime');
	});

	test('missing id → processInstanceIdError, unknown → processInstanceNotExist', async () => {
		expect(await api('/v1.0/workflow/processInstances')).toMatchObject(
			refusal('processInstanceIdError', 'processInstanceId参数无效'),
		);
		expect(
			await api('/v1.0/workflow/processInstances', { query: { processInstanceId: 'nope' } }),
		).toMatchObject(refusal('processInstanceNotExist', '审批实例不存在'));
	});
});

describe('list instance ids', () => {
	const QUERY = '/v1.0/workflow/processes/instanceIds/query';
	const query = (/** @type {Record<string, unknown>} */ fields) =>
		api(QUERY, {
			body: { processCode: LEAVE, startTime: START - DAY, nextToken: 0, maxResults: 20, ...fields },
		});

	test('ids by start time, oldest first, paged with a string nextToken; filters', async () => {
		const ids = [];
		for (const originatorUserId of ['user001', 'user002', 'user001', 'multi01', 'user001']) {
			ids.push(await started({ originatorUserId }));
			await advance(60_000);
		}
		await started({ processCode: EXPENSE, formComponentValues: expenseValues() });
		const first = await query({ maxResults: 2 });
		expect(first).toMatchObject({
			status: 200,
			body: { result: { list: ids.slice(0, 2), nextToken: '2' }, success: true },
		});
		const second = await query({ maxResults: 2, nextToken: first.body.result.nextToken });
		expect(second.body.result).toEqual({ list: ids.slice(2, 4), nextToken: '4' });
		expect((await query({ maxResults: 2, nextToken: '4' })).body.result).toEqual({
			list: ids.slice(4),
		});
		expect((await query({ userIds: ['user001'] })).body.result.list).toEqual([
			ids[0],
			ids[2],
			ids[4],
		]);
		// Start-time window: instances started in [startTime, endTime].
		expect(
			(await query({ startTime: START + 60_000, endTime: START + 120_000 })).body.result.list,
		).toEqual(ids.slice(1, 3));
		await decide(ids[1], 'manager01', 'refuse');
		await advance(15_000);
		const terminated = await api('/v1.0/workflow/processInstances/terminate', {
			body: { processInstanceId: ids[3], isSystem: false, operatingUserId: 'multi01' },
		});
		expect(terminated.status).toBe(200);
		expect((await query({ statuses: ['COMPLETED'] })).body.result.list).toEqual([ids[1]]);
		expect((await query({ statuses: ['TERMINATED', 'COMPLETED'] })).body.result.list).toEqual([
			ids[1],
			ids[3],
		]);
		expect((await query({ statuses: ['RUNNING'] })).body.result.list).toEqual([
			ids[0],
			ids[2],
			ids[4],
		]);
		expect((await query({ processCode: 'PROC-NOPE' })).body.result).toEqual({ list: [] });
	});

	test('window rules and parameter refusals', async () => {
		const START_TIME = refusal(
			'invalidInstanceListIdsStartTime',
			'获取审批实例ID列表，审批实例开始时间不能为空',
		);
		const END_TIME = refusal(
			'invalidEndTime',
			'获取审批实例ID列表，审批实例结束时间不能小于开始时间；且查询时间范围不能超过120天。',
		);
		expect(await query({ processCode: '' })).toMatchObject(
			refusal('invalidProcessCode', '审批模板processCode不能为空'),
		);
		expect(await query({ startTime: undefined })).toMatchObject(START_TIME);
		// startTime alone: ≤ 120 days ago.
		expect((await query({ startTime: START - 120 * DAY })).status).toBe(200);
		expect(await query({ startTime: START - 120 * DAY - 1 })).toMatchObject(START_TIME);
		// With endTime: end ≥ start, span ≤ 120 days, start ≤ 365 days ago.
		expect(await query({ startTime: START - DAY, endTime: START - 2 * DAY })).toMatchObject(
			END_TIME,
		);
		expect(await query({ startTime: START - 200 * DAY, endTime: START - 79 * DAY })).toMatchObject(
			END_TIME,
		);
		expect((await query({ startTime: START - 200 * DAY, endTime: START - 80 * DAY })).status).toBe(
			200,
		);
		expect(await query({ startTime: START - 366 * DAY, endTime: START - 300 * DAY })).toMatchObject(
			START_TIME,
		);
		expect(await query({ nextToken: undefined })).toMatchObject(
			refusal('invalidNextToken', '获取审批实例ID列表，分页查询的游标不能为空'),
		);
		const MAX = refusal(
			'invalidMaxResults',
			'获取审批实例ID列表，分页参数非法，每页大小，最多传20。',
		);
		expect(await query({ maxResults: 21 })).toMatchObject(MAX);
		expect(await query({ maxResults: undefined })).toMatchObject(MAX);
		const users = Array.from({ length: 11 }, (_, i) => `user00${i}`);
		expect(await query({ userIds: users })).toMatchObject(
			refusal('invalidUserIds', '获取审批实例ID列表，发起userid列表参数非法，最大列表长度为10。'),
		);
	});
});

describe('execute', () => {
	test('sequential flow: manager01 agrees, then boss01; the instance completes agreed', async () => {
		const id = await started();
		await decide(id, 'manager01', 'agree', '同意');
		let instance = await get(id);
		expect(instance.status).toBe('RUNNING');
		expect(instance.tasks.map((/** @type {any} */ t) => [t.userId, t.status, t.result])).toEqual([
			['manager01', 'COMPLETED', 'AGREE'],
			['boss01', 'RUNNING', 'NONE'],
		]);
		await advance(90_000);
		await decide(id, 'boss01', 'agree');
		instance = await get(id);
		expect(instance).toMatchObject({
			status: 'COMPLETED',
			result: 'agree',
			finishTime: '2025-05-06T01:31Z',
		});
		expect(instance.operationRecords).toEqual([
			{
				userId: 'user001',
				date: '2025-05-06T01:30Z',
				type: 'START_PROCESS_INSTANCE',
				result: 'NONE',
			},
			{
				userId: 'manager01',
				date: '2025-05-06T01:30Z',
				type: 'EXECUTE_TASK_NORMAL',
				result: 'AGREE',
				remark: '同意',
				activityId: instance.tasks[0].activityId,
				showName: '审批人',
			},
			{
				userId: 'boss01',
				date: '2025-05-06T01:31Z',
				type: 'EXECUTE_TASK_NORMAL',
				result: 'AGREE',
				activityId: instance.tasks[1].activityId,
				showName: '审批人',
			},
		]);
	});

	test('a refusal ends the flow: COMPLETED + refuse, no later approver; cc at FINISH', async () => {
		const id = await started();
		await decide(id, 'manager01', 'refuse', '不批');
		const instance = await get(id);
		expect(instance).toMatchObject({ status: 'COMPLETED', result: 'refuse' });
		expect(instance.tasks).toHaveLength(1);

		const expense = await started({ processCode: EXPENSE, formComponentValues: expenseValues() });
		await decide(expense, 'boss01', 'agree');
		const done = await get(expense);
		expect(done.operationRecords.at(-1)).toEqual({
			userId: 'user001',
			date: '2025-05-06T01:30Z',
			type: 'PROCESS_CC',
			result: 'NONE',
			ccUserIds: ['admin01'],
		});
	});

	test('or-sign: the first agreement finishes the node, siblings CANCELED; and-sign needs everyone', async () => {
		const id = await started({
			approvers: [
				{ actionType: 'OR', userIds: ['user002', 'user003'] },
				{ actionType: 'AND', userIds: ['user004', 'user005'] },
			],
		});
		await decide(id, 'user003', 'agree');
		let tasks = (await get(id)).tasks.map((/** @type {any} */ t) => [t.userId, t.status, t.result]);
		expect(tasks).toEqual([
			['user002', 'CANCELED', 'NONE'],
			['user003', 'COMPLETED', 'AGREE'],
			['user004', 'RUNNING', 'NONE'],
			['user005', 'RUNNING', 'NONE'],
		]);
		await decide(id, 'user005', 'agree');
		expect((await get(id)).status).toBe('RUNNING');
		await decide(id, 'user004', 'agree');
		expect(await get(id)).toMatchObject({ status: 'COMPLETED', result: 'agree' });
	});

	test('refusals: required fields, unknown user/instance, finished, not running, not theirs', async () => {
		const id = await started();
		const task = await runningTask(id, 'manager01');
		const base = {
			processInstanceId: id,
			taskId: task.taskId,
			actionerUserId: 'manager01',
			result: 'agree',
		};
		expect(await execute({ ...base, processInstanceId: '' })).toMatchObject(
			refusal('invalidInstanceId', '审批实例ID不能为空'),
		);
		expect(await execute({ ...base, actionerUserId: undefined })).toMatchObject(
			refusal('invalidInstanceExecuteActionerUserId', '同意拒绝审批任务，操作人的userId不能为空'),
		);
		expect(await execute({ ...base, taskId: undefined })).toMatchObject(
			refusal('invalidInstanceExecuteTaskId', '同意拒绝审批任务，任务节点id不能为空'),
		);
		expect(await execute({ ...base, result: 'AGREE' })).toMatchObject(
			refusal(
				'invalidInstanceExecuteResult',
				'同意拒绝审批任务，审批操作取值必填 且值必须为agree/refuse',
			),
		);
		expect(await execute({ ...base, remark: 'x'.repeat(1025) })).toMatchObject(
			refusal('invalidParameter', '同意或拒绝审批任务参数错误'),
		);
		expect(await execute({ ...base, actionerUserId: 'ghost' })).toMatchObject(
			refusal('userNotExist', '用户不存在'),
		);
		expect(await execute({ ...base, processInstanceId: 'nope' })).toMatchObject(
			refusal('aflowProcessNotExist', '审批流不存在'),
		);
		expect(await execute({ ...base, actionerUserId: 'boss01' })).toMatchObject(
			refusal('needAuth', '没有同意拒绝审批的权限'),
		);
		expect(await execute({ ...base, taskId: 1 })).toMatchObject(
			refusal('aflowProcessInstCanNotBeExecuted', '审批状态异常，无法执行'),
		);
		expect(await execute({ ...base, taskId: String(task.taskId) })).toMatchObject({ status: 200 });
		expect(await execute(base)).toMatchObject(
			refusal('aflowProcessInstCanNotBeExecuted', '审批状态异常，无法执行'),
		);
		await decide(id, 'boss01', 'refuse');
		expect(await execute(base)).toMatchObject(
			refusal('aflowProcessInstStatusException', '审批单状态异常'),
		);
	});
});

describe('terminate', () => {
	const terminate = (/** @type {Record<string, unknown>} */ body) =>
		api('/v1.0/workflow/processInstances/terminate', { body });

	test('the originator terminates after 15 s; never within 15 s, twice or by someone else', async () => {
		const id = await started();
		const mine = {
			processInstanceId: id,
			isSystem: false,
			operatingUserId: 'user001',
			remark: '不请了',
		};
		const STATUS = (/** @type {string} */ message) =>
			refusal('aflowProcessInstStatusException', message);
		expect(await terminate(mine)).toMatchObject(STATUS('提交审批单后15秒内不能进行撤回'));
		await advance(14_999);
		expect(await terminate(mine)).toMatchObject(STATUS('提交审批单后15秒内不能进行撤回'));
		await advance(1);
		expect(await terminate({ ...mine, operatingUserId: 'manager01' })).toMatchObject(
			refusal('internalError', '您没有任务处理的权限'),
		);
		expect(await terminate(mine)).toMatchObject({
			status: 200,
			body: { result: true, success: true },
		});
		const instance = await get(id);
		expect(instance).toMatchObject({
			status: 'TERMINATED',
			result: '',
			finishTime: '2025-05-06T01:30Z',
		});
		expect(instance.tasks.map((/** @type {any} */ t) => t.status)).toEqual(['TERMINATED']);
		expect(instance.operationRecords.at(-1)).toEqual({
			userId: 'user001',
			date: '2025-05-06T01:30Z',
			type: 'TERMINATE_PROCESS_INSTANCE',
			result: 'NONE',
			remark: '不请了',
		});
		expect(await terminate(mine)).toMatchObject(STATUS('审批单已结束，不能撤销'));
	});

	test('isSystem true needs no operator; templates without allowRevoke refuse', async () => {
		const id = await started();
		await advance(15_000);
		expect(await terminate({ processInstanceId: id, isSystem: true })).toMatchObject({
			status: 200,
		});
		const expense = await started({ processCode: EXPENSE, formComponentValues: expenseValues() });
		await advance(15_000);
		expect(
			await terminate({ processInstanceId: expense, isSystem: false, operatingUserId: 'user001' }),
		).toMatchObject(refusal('internalError', '您没有任务处理的权限'));
		expect(await terminate({ processInstanceId: expense, isSystem: true })).toMatchObject(
			refusal('internalError', '您没有任务处理的权限'),
		);
	});

	test('parameter refusals', async () => {
		const id = await started();
		await advance(15_000);
		expect(await terminate({ isSystem: true })).toMatchObject(
			refusal('invalidInstanceId', '审批实例ID不能为空'),
		);
		expect(await terminate({ processInstanceId: id })).toMatchObject(
			refusal('invalidInstanceTerminateIsSystem', '撤销审批实例，是否通过系统操作参数不能为空'),
		);
		expect(await terminate({ processInstanceId: id, isSystem: 'no' })).toMatchObject({
			body: { code: 'invalidInstanceTerminateIsSystem' },
		});
		expect(await terminate({ processInstanceId: id, isSystem: false })).toMatchObject(
			refusal(
				'invalidInstanceTerminateOperatingUserId',
				'撤销审批实例，当isSystem为false时，操作人的userId不能为空',
			),
		);
		expect(
			await terminate({
				processInstanceId: id,
				isSystem: false,
				operatingUserId: 'user001',
				remark: 'x'.repeat(1025),
			}),
		).toMatchObject(refusal('invalidParameter', '撤销审批实例参数错误'));
		expect(
			await terminate({ processInstanceId: id, isSystem: false, operatingUserId: 'ghost' }),
		).toMatchObject(refusal('userNotExist', '用户不存在'));
		expect(await terminate({ processInstanceId: 'nope', isSystem: true })).toMatchObject(
			refusal('aflowProcessInstNotExist', '审批实例不存在'),
		);
		// isSystem left out but an operator given: read as false.
		expect(await terminate({ processInstanceId: id, operatingUserId: 'user001' })).toMatchObject({
			status: 200,
		});
	});
});

describe('comments', () => {
	const comment = (/** @type {Record<string, unknown>} */ body) =>
		api('/v1.0/workflow/processInstances/comments', { body });

	test('an ADD_REMARK record with photos and attachments', async () => {
		const id = await started();
		const file = {
			photos: ['https://example.com/a.png'],
			attachments: [
				{ spaceId: '1', fileSize: '10', fileId: 'f1', fileName: 'a.txt', fileType: 'txt' },
			],
		};
		expect(
			await comment({
				processInstanceId: id,
				text: '请补充病历',
				commentUserId: 'manager01',
				file,
			}),
		).toMatchObject({
			status: 200,
			body: { result: true, success: true },
		});
		expect((await get(id)).operationRecords.at(-1)).toEqual({
			userId: 'manager01',
			date: '2025-05-06T01:30Z',
			type: 'ADD_REMARK',
			result: 'NONE',
			remark: '请补充病历',
			attachments: file.attachments,
			images: file.photos,
		});
	});

	test('refusals', async () => {
		const id = await started();
		const base = { processInstanceId: id, text: '好', commentUserId: 'user002' };
		expect(await comment({ ...base, processInstanceId: undefined })).toMatchObject(
			refusal('invalidInstanceId', '审批实例ID不能为空'),
		);
		expect(await comment({ ...base, text: ' ' })).toMatchObject(
			refusal('invalidInstanceCommentText', '审批实例评论内容不能为空'),
		);
		expect(await comment({ ...base, commentUserId: '' })).toMatchObject(
			refusal('invalidInstanceCommentUserId', '审批实例评论人userId不能为空'),
		);
		expect(await comment({ ...base, text: 'x'.repeat(1025) })).toMatchObject(
			refusal('invalidParameter', '添加审批评论参数错误'),
		);
		const attachments = Array.from({ length: 21 }, () => ({ fileId: 'x' }));
		expect(await comment({ ...base, file: { attachments } })).toMatchObject({
			body: { code: 'invalidParameter' },
		});
		expect(await comment({ ...base, commentUserId: 'ghost' })).toMatchObject(
			refusal('userNotExist', '用户不存在'),
		);
		expect(await comment({ ...base, processInstanceId: 'nope' })).toMatchObject(
			refusal('aflowProcessInstNotExist', '审批实例不存在'),
		);
		await advance(15_000);
		await api('/v1.0/workflow/processInstances/terminate', {
			body: { processInstanceId: id, isSystem: true },
		});
		expect(await comment(base)).toMatchObject(
			refusal('aflowProcessInstCanNotBeExecuted', '审批状态异常，无法执行'),
		);
	});
});

describe('events', () => {
	test('a whole flow: instance start/finish, task start/finish, comment; HTTP-push fields', async () => {
		const id = await started();
		const first = await runningTask(id, 'manager01');
		await api('/v1.0/workflow/processInstances/comments', {
			body: { processInstanceId: id, text: '收到', commentUserId: 'manager01' },
		});
		await advance(60_000);
		await decide(id, 'manager01', 'agree', '同意');
		const second = await runningTask(id, 'boss01');
		await decide(id, 'boss01', 'agree');
		const all = events();
		expect(
			all.map((event) => [event.eventType, event.data.type, event.data.result, event.data.staffId]),
		).toEqual([
			['bpms_instance_change', 'start', undefined, 'user001'],
			['bpms_task_change', 'start', undefined, 'manager01'],
			['bpms_task_change', 'comment', 'audit', 'manager01'],
			['bpms_task_change', 'finish', 'agree', 'manager01'],
			['bpms_task_change', 'start', undefined, 'boss01'],
			['bpms_task_change', 'finish', 'agree', 'boss01'],
			['bpms_instance_change', 'finish', 'agree', 'user001'],
		]);
		const title = '王伟提交的请假 Leave request';
		const common = {
			processInstanceId: id,
			processCode: LEAVE,
			bizCategoryId: '',
			businessId: '202505060930000000001',
			title,
		};
		expect(all[0]).toEqual({
			eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
			eventType: 'bpms_instance_change',
			eventBornTime: START,
			corpId: 'dingemucorp0001',
			data: {
				EventType: 'bpms_instance_change',
				EventTime: START,
				CorpId: 'dingemucorp0001',
				BizId: id,
				eventId: all[0].eventId,
				...common,
				businessType: '',
				type: 'start',
				staffId: 'user001',
				url: expect.stringContaining(`procInstId=${id}`),
				createTime: START,
			},
		});
		expect(all[3].data).toEqual({
			EventType: 'bpms_task_change',
			EventTime: START + 60_000,
			CorpId: 'dingemucorp0001',
			BizId: id,
			eventId: all[3].eventId,
			...common,
			type: 'finish',
			result: 'agree',
			remark: '同意',
			staffId: 'manager01',
			taskId: first.taskId,
			createTime: START,
			finishTime: START + 60_000,
		});
		expect(all[4].data).not.toHaveProperty('finishTime');
		expect(all[4].data.taskId).toBe(second.taskId);
		expect(all[6].data).toMatchObject({
			type: 'finish',
			result: 'agree',
			createTime: START,
			finishTime: START + 60_000,
		});
		expect(new Set(all.map((event) => event.eventId)).size).toBe(all.length);
	});

	test('refuse, or-sign cancel, redirect and terminate events', async () => {
		const id = await started({
			approvers: [{ actionType: 'OR', userIds: ['user002', 'user003'] }],
		});
		await decide(id, 'user002', 'refuse', '不行');
		expect(
			events()
				.slice(-3)
				.map((event) => [event.data.type, event.data.result, event.data.staffId]),
		).toEqual([
			['finish', 'refuse', 'user002'],
			['cancel', undefined, 'user003'],
			['finish', 'refuse', 'user001'],
		]);
		const other = await started();
		await control(`/dingtalk/approvals/instances/${other}/act`, {
			userId: 'manager01',
			action: 'redirect',
			toUserId: 'manager02',
		});
		expect(
			events()
				.slice(-2)
				.map((event) => [event.data.type, event.data.result, event.data.staffId]),
		).toEqual([
			['finish', 'redirect', 'manager01'],
			['start', undefined, 'manager02'],
		]);
		await advance(15_000);
		await api('/v1.0/workflow/processInstances/terminate', {
			body: { processInstanceId: other, isSystem: true },
		});
		const last = events().at(-1);
		expect(last?.data).toMatchObject({
			EventType: 'bpms_instance_change',
			type: 'terminate',
			staffId: 'user001',
		});
		expect(last?.data).not.toHaveProperty('result');
	});
});

describe('controls', () => {
	test('act over the control API: agree, comment, refuse; instance and events listed', async () => {
		const id = await started();
		const act = (/** @type {Record<string, unknown>} */ body) =>
			control(`/dingtalk/approvals/instances/${id}/act`, body);
		const agreed = await act({ userId: 'manager01', action: 'agree', remark: '可以' });
		expect(agreed.status).toBe(200);
		expect(agreed.body.tasks.map((/** @type {any} */ t) => t.userId)).toEqual([
			'manager01',
			'boss01',
		]);
		expect((await act({ userId: 'user009', action: 'comment', remark: '顶' })).status).toBe(200);
		const refused = await act({ userId: 'boss01', action: 'refuse' });
		expect(refused.body).toMatchObject({
			status: 'COMPLETED',
			result: 'refuse',
			finishTime: START,
		});
		expect((await control(`/dingtalk/approvals/instances/${id}`)).body.processInstanceId).toBe(id);
		expect((await control('/dingtalk/approvals/instances')).body.instances).toHaveLength(1);
		expect((await control('/dingtalk/approvals/events')).body.events).toHaveLength(events().length);
		expect(
			(await control('/dingtalk/approvals/templates')).body.templates.map(
				(/** @type {any} */ t) => t.processCode,
			),
		).toEqual([LEAVE, EXPENSE]);
	});

	test('act and withdraw misuse: clear errors', async () => {
		const id = await started();
		const act = (/** @type {unknown} */ body) =>
			control(`/dingtalk/approvals/instances/${id}/act`, body);
		expect(
			await control('/dingtalk/approvals/instances/nope/act', {
				userId: 'boss01',
				action: 'agree',
			}),
		).toMatchObject({
			status: 404,
			body: { error: 'no approval instance nope' },
		});
		expect(await act({ userId: 'boss01', action: 'approve' })).toMatchObject({
			status: 400,
			body: { error: expect.stringContaining('action must be agree, refuse, redirect or comment') },
		});
		expect(await act({ userId: 'ghost', action: 'agree' })).toMatchObject({ status: 400 });
		expect(await act({ userId: 'boss01', action: 'agree' })).toMatchObject({
			status: 409,
			body: { error: expect.stringContaining('waiting for: manager01') },
		});
		expect(await act({ userId: 'manager01', action: 'redirect' })).toMatchObject({
			status: 400,
			body: { error: expect.stringContaining('toUserId') },
		});
		expect(await act({ userId: 'manager01', action: 'comment' })).toMatchObject({ status: 400 });
		// withdraw: no 15 s wait in the app.
		expect((await withdraw(id)).body.status).toBe('TERMINATED');
		expect(await withdraw(id)).toMatchObject({
			status: 409,
		});
		expect(await act({ userId: 'manager01', action: 'agree' })).toMatchObject({ status: 409 });
	});

	test('withdraw with allowRevoke off: only before any approver acted', async () => {
		const { approvals } = ctx.emu.dingtalk;
		{
			const untouched = await started({
				processCode: EXPENSE,
				formComponentValues: expenseValues(),
			});
			expect(approvals.withdraw(untouched).status).toBe('TERMINATED');
			const id = await started({
				processCode: EXPENSE,
				formComponentValues: expenseValues(),
				approvers: [
					{ actionType: 'NONE', userIds: ['manager01'] },
					{ actionType: 'NONE', userIds: ['boss01'] },
				],
			});
			approvals.act(id, { userId: 'manager01', action: 'agree' });
			expect(() => approvals.withdraw(id)).toThrow('allowRevoke false');
		}
	});

	test('addTemplate: a new form to start; bad definitions refused; reset() restores the seed', async () => {
		const added = await control('/dingtalk/approvals/templates', {
			processCode: 'PROC-EMU-TRIP',
			name: '出差',
			visibleTo: { userIds: ['user010'] },
			flow: { approvers: [{ actionType: 'AND', userIds: ['manager01', 'manager02'] }] },
			schemaContent: {
				items: [
					{
						componentName: 'TextField',
						props: { id: 'TextField-C', label: '目的地', required: true },
					},
					{ componentName: 'PhoneField', props: { id: 'PhoneField-P', label: '电话' } },
					{ componentName: 'AddressField', props: { id: 'AddressField-A', label: '地址' } },
					{ componentName: 'StarRatingField', props: { id: 'Star-S', label: '评分', limit: 5 } },
					{ componentName: 'DDPhotoField', props: { id: 'Photo-P', label: '图片' } },
					{ componentName: 'RelateField', props: { id: 'Relate-R', label: '关联审批单' } },
				],
			},
		});
		expect(added).toMatchObject({
			status: 200,
			body: { processCode: 'PROC-EMU-TRIP', visibleTo: { everyone: false } },
		});
		const leave = await started();
		const values = {
			目的地: '上海',
			电话: '+86 138-0000-0001',
			地址: '上海,上海市,浦东新区',
			评分: '5',
			图片: '["https://example.com/p.png"]',
			关联审批单: JSON.stringify([leave]),
		};
		const trip = (/** @type {Record<string, string>} */ overrides = {}) =>
			create({
				processCode: 'PROC-EMU-TRIP',
				originatorUserId: 'user010',
				formComponentValues: Object.entries({ ...values, ...overrides }).map(([name, value]) => ({
					name,
					value,
				})),
			});
		const ok = await trip();
		expect(ok.status).toBe(200);
		expect((await get(ok.body.instanceId)).tasks.map((/** @type {any} */ t) => t.userId)).toEqual([
			'manager01',
			'manager02',
		]);
		expect(await trip({ 评分: '6' })).toMatchObject(FORM_FAILED('评分'));
		expect(await trip({ 地址: '上海' })).toMatchObject(FORM_FAILED('地址'));
		expect(await trip({ 电话: 'call me' })).toMatchObject(FORM_FAILED('电话'));
		expect(await trip({ 图片: '["ftp://x"]' })).toMatchObject(FORM_FAILED('图片'));
		expect(await trip({ 关联审批单: '["nope"]' })).toMatchObject(FORM_FAILED('关联审批单'));
		expect(
			await create({
				processCode: 'PROC-EMU-TRIP',
				originatorUserId: 'user011',
				formComponentValues: [],
			}),
		).toMatchObject({
			body: { code: 'needAuth' },
		});

		const bad = async (/** @type {unknown} */ body, /** @type {string} */ fragment, status = 400) =>
			expect(await control('/dingtalk/approvals/templates', body)).toMatchObject({
				status,
				body: { error: expect.stringContaining(fragment) },
			});
		await bad({ processCode: 'TRIP', name: 'x', items: [] }, 'PROC-');
		await bad({ processCode: LEAVE, name: 'x', items: [] }, 'already exists', 409);
		await bad(
			{
				processCode: 'PROC-X',
				name: 'x',
				items: [{ componentName: 'Slider', props: { id: 'a' } }],
			},
			'componentName',
		);
		await bad(
			{
				processCode: 'PROC-X',
				name: 'x',
				items: [{ componentName: 'DDSelectField', props: { id: 'a', label: 'a' } }],
			},
			'options',
		);
		await bad(
			{
				processCode: 'PROC-X',
				name: 'x',
				items: [
					{ componentName: 'TextField', props: { id: 'a', label: 'same' } },
					{ componentName: 'TextField', props: { id: 'b', label: 'same' } },
				],
			},
			'used twice',
		);
		await bad(
			{
				processCode: 'PROC-X',
				name: 'x',
				items: [],
				flow: { approvers: [{ actionType: 'AND', userIds: ['boss01'] }] },
			},
			'flow.approvers',
		);

		ctx.emu.reset();
		expect(ctx.emu.dingtalk.approvals.templates().map((t) => t.processCode)).toEqual([
			LEAVE,
			EXPENSE,
		]);
		expect(ctx.emu.dingtalk.approvals.instances()).toEqual([]);
		expect(ctx.emu.dingtalk.approvals.events()).toEqual([]);
	});

	test('same calls, same ids after reset()', async () => {
		const first = await started();
		const firstTask = (await get(first)).tasks[0].taskId;
		ctx.emu.reset();
		ctx.emu.clock.freeze(START + DAY);
		const again = await started();
		expect(again).toBe(first);
		expect((await get(again)).tasks[0].taskId).toBe(firstTask);
	});
});
