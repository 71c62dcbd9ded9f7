import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { formFields, parseFormSchema } from '../../nodes/DingTalk/actions/approval/form';
import { DINGTALK_TYPE, pick, run, singleNodeWorkflow, useEmulator } from './support';

const LEAVE = 'PROC-EMU-LEAVE';
const EXPENSE = 'PROC-EMU-EXPENSE';
const id = (value: string) => ({ __rl: true, mode: 'id', value });
const listed = (value: string) => ({ __rl: true, mode: 'list', value });

/** A workflow whose time zone is China's: instants are read as the dates they are there. */
const inShanghai = (...args: Parameters<typeof singleNodeWorkflow>) => {
	const workflow = singleNodeWorkflow(...args);
	return { ...workflow, settings: { ...workflow.settings, timezone: 'Asia/Shanghai' } };
};

describe('DingTalk approvals in a workflow run', () => {
	const ctx = useEmulator();
	const instances = () => ctx.emu.dingtalk.approvals.instances() as IDataObject[];

	/** The Form parameter as the editor saves it: the template's fields and the values typed in. */
	const form = (processCode: string, value: IDataObject) => {
		const template = ctx.emu.dingtalk.approvals
			.templates()
			.find((t: IDataObject) => t.processCode === processCode) as IDataObject;
		const items = (template.schemaContent as IDataObject).items;
		return {
			mappingMode: 'defineBelow',
			value,
			matchingColumns: [],
			schema: formFields(parseFormSchema(items)),
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		};
	};
	const create = (extra: IDataObject): INodeParameters =>
		({
			resource: 'approval',
			operation: 'create',
			processCode: listed(LEAVE),
			originatorUserId: id('user001'),
			formInput: 'fields',
			form: form(LEAVE, {
				请假类型: '年假',
				开始时间: '2026-12-03',
				结束时间: '2026-12-04',
				请假天数: 2,
				请假事由: 'Family matters',
			}),
			options: {},
			...extra,
		}) as unknown as INodeParameters;
	const approval = (operation: string, extra: IDataObject) => ({
		resource: 'approval',
		operation,
		...extra,
	});

	it("creates a leave request from the template's fields, encoded as DingTalk takes them, then reads it back decoded", async () => {
		const created = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, create({})));
		expect(created.status).toBe('success');
		const [out] = created.nodeOutput('Node');
		expect(out.json).toMatchObject({
			instanceId: expect.any(String),
			processCode: LEAVE,
			originatorUserId: 'user001',
			form: { 请假类型: '年假', 请假天数: 2 },
		});
		const [request] = ctx.emu.requests({ path: '/v1.0/workflow/processInstances', method: 'POST' });
		expect((request.body as IDataObject).formComponentValues).toEqual([
			{ name: '请假类型', value: '年假' },
			{ name: '["开始时间","结束时间"]', value: '["2026-12-03","2026-12-04"]' },
			{ name: '请假天数', value: '2' },
			{ name: '请假事由', value: 'Family matters' },
		]);

		const instanceId = String(out.json.instanceId);
		const got = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, approval('get', { instanceId })),
		);
		expect(got.nodeOutput('Node')[0].json).toMatchObject({
			instanceId,
			outcome: 'running',
			status: 'RUNNING',
			originatorUserId: 'user001',
			createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/),
			tasks: [{ userId: 'manager01', status: 'running', result: 'none' }],
			form: {
				请假类型: '年假',
				开始时间: '2026-12-03',
				结束时间: '2026-12-04',
				请假天数: 2,
				请假事由: 'Family matters',
			},
		});
	});

	it('approves as each approver in turn (finding their running task), then rejects nothing more: the instance is approved', async () => {
		const created = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, create({})));
		const instanceId = String(created.nodeOutput('Node')[0].json.instanceId);
		for (const approver of ['manager01', 'boss01']) {
			const acted = await run(
				ctx.emu,
				singleNodeWorkflow(
					DINGTALK_TYPE,
					approval('approveOrReject', {
						instanceId,
						actionerUserId: id(approver),
						result: 'agree',
						remark: 'OK',
					}),
				),
			);
			expect(acted.nodeOutput('Node')[0].json).toMatchObject({
				instanceId,
				approverUserId: approver,
				decision: 'approved',
			});
		}
		const got = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, approval('get', { instanceId })),
		);
		expect(got.nodeOutput('Node')[0].json).toMatchObject({
			outcome: 'approved',
			status: 'COMPLETED',
			result: 'agree',
			finishedAt: expect.any(String),
		});
		// The events the next issue's triggers receive: start, two task rounds, finish.
		const types = ctx.emu.dingtalk.approvals
			.events()
			.map((e: IDataObject) => `${String(e.eventType)}:${String((e.data as IDataObject).type)}`);
		expect(types[0]).toBe('bpms_instance_change:start');
		expect(types[types.length - 1]).toBe('bpms_instance_change:finish');
	});

	it('rejects as the approver, and says whose turn it is when someone else tries', async () => {
		const created = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, create({})));
		const instanceId = String(created.nodeOutput('Node')[0].json.instanceId);
		const early = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				approval('approveOrReject', { instanceId, actionerUserId: id('boss01'), result: 'agree' }),
			),
		);
		expect(early.error.message).toBe("'Approver' boss01 has no running task in this instance");
		expect(early.error.description).toBe('It waits for: manager01. Act as one of them.');
		const rejected = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				approval('approveOrReject', {
					instanceId,
					actionerUserId: id('manager01'),
					result: 'refuse',
				}),
			),
		);
		expect(rejected.status).toBe('success');
		const got = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, approval('get', { instanceId })),
		);
		expect(got.nodeOutput('Node')[0].json.outcome).toBe('rejected');
	});

	it('encodes multi-select, date, department and table fields, and sends explicit approvers and cc', async () => {
		const result = await run(
			ctx.emu,
			inShanghai(
				DINGTALK_TYPE,
				create({
					processCode: id(EXPENSE),
					originatorUserId: id('manager01'),
					form: form(EXPENSE, {
						报销金额: 128.5,
						费用类型: '交通, 餐饮',
						发生日期: '2026-11-30T10:00:00+08:00',
						费用归属部门: [22, 221],
						费用明细: '[{"项目": "Taxi", "金额": 28.5}, {"项目": "Dinner", "金额": 100}]',
					}),
					approvers: { step: [{ actionType: 'OR', userIds: 'boss01, admin01' }] },
					options: { ccUserIds: 'user002', ccPosition: 'FINISH' },
				}),
			),
		);
		expect(result.status).toBe('success');
		const [request] = ctx.emu.requests({ path: '/v1.0/workflow/processInstances', method: 'POST' });
		expect(request.body).toMatchObject({
			processCode: EXPENSE,
			originatorUserId: 'manager01',
			approvers: [{ actionType: 'OR', userIds: ['boss01', 'admin01'] }],
			ccList: ['user002'],
			ccPosition: 'FINISH',
			formComponentValues: [
				{ name: '报销金额', value: '128.5' },
				{ name: '费用类型', value: '["交通","餐饮"]' },
				{ name: '发生日期', value: '2026-11-30' },
				{ name: '费用归属部门', value: '22,221' },
				{
					name: '费用明细',
					value:
						'[[{"name":"项目","value":"Taxi"},{"name":"金额","value":"28.5"}],[{"name":"项目","value":"Dinner"},{"name":"金额","value":"100"}]]',
				},
			],
		});
		expect(instances()).toHaveLength(1);
	});

	it('refuses bad form values of every item before creating anything, naming the field and the item; with continueOnFail the good ones go out', async () => {
		const bad: Array<[IDataObject, string]> = [
			[{ 请假类型: '婚假' }, '\'请假类型\' has no option "婚假" [item 1]'],
			[{ 请假天数: undefined }, "'请假天数' is required by the template [item 2]"],
			[
				{ 开始时间: '2026-12-05' },
				"'结束时间' (2026-12-04) is before '开始时间' (2026-12-05) [item 3]",
			],
			[{ 开始时间: 'next monday' }, '\'开始时间\' is not a date: "next monday" [item 4]'],
			[{ 请假天数: 'two' }, '\'请假天数\' must be a number, got "two" [item 5]'],
		];
		const good = {
			请假类型: '年假',
			开始时间: '2026-12-03',
			结束时间: '2026-12-04',
			请假天数: 2,
		};
		// One workflow, one item per case: the form comes from the item.
		const parameters = create({
			form: {
				...form(LEAVE, {}),
				value: {
					请假类型: '={{ $json.form.请假类型 }}',
					开始时间: '={{ $json.form.开始时间 }}',
					结束时间: '={{ $json.form.结束时间 }}',
					请假天数: '={{ $json.form.请假天数 }}',
				},
			},
		});
		const items = [{ form: good }, ...bad.map(([change]) => ({ form: { ...good, ...change } }))];
		const stopped = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, parameters), {
			inputItems: items,
		});
		expect(stopped.error.message).toBe(bad[0][1]);
		expect(instances()).toHaveLength(0);

		const kept = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, parameters, { continueOnFail: true }),
			{ inputItems: items },
		);
		const output = kept.nodeOutput('Node').map((item) => item.json);
		expect(output[0].instanceId).toEqual(expect.any(String));
		expect(output.slice(1).map((item) => item.error)).toEqual(bad.map(([, message]) => message));
		expect(kept.nodeOutput('Node').map((item) => item.pairedItem)).toEqual(
			items.map((_item, index) => ({ item: index })),
		);
		expect(instances()).toHaveLength(1);
	});

	it("explains DingTalk's refusals: an originator outside the template's range, an unknown template", async () => {
		const outside = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				create({
					processCode: id(EXPENSE),
					originatorUserId: id('boss01'),
					form: form(EXPENSE, { 报销金额: 1, 费用类型: '交通', 发生日期: '2026-11-30' }),
				}),
			),
		);
		expect(outside.error.message).toMatch(/needAuth/);
		expect(outside.error.description).toMatch(/outside its visible range \(可见范围\)/);
		const unknown = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, create({ processCode: id('PROC-NOPE') })),
		);
		expect(unknown.error.description).toMatch(/^'Template' is "PROC-NOPE"\. /);
		expect(unknown.error.description).toMatch(/No approval template has this process code/);
	});

	it('lists instance ids of a template in a time range, with details, and checks the window before calling', async () => {
		for (let i = 0; i < 3; i++) await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, create({})));
		const day = 24 * 60 * 60 * 1000;
		const list = (extra: IDataObject) =>
			approval('getMany', {
				processCode: id(LEAVE),
				startTime: new Date(Date.now() - day).toISOString(),
				returnAll: true,
				filters: {},
				options: {},
				...extra,
			});
		const ids = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, list({})));
		expect(ids.nodeOutput('Node')).toHaveLength(3);
		const detailed = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				list({ returnAll: false, limit: 2, options: { includeDetails: true } }),
			),
		);
		expect(detailed.nodeOutput('Node').map((item) => item.json.outcome)).toEqual([
			'running',
			'running',
		]);
		const tooLong = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				list({
					startTime: new Date(Date.now() - 200 * day).toISOString(),
					endTime: new Date(Date.now() - 10 * day).toISOString(),
				}),
			),
		);
		expect(tooLong.error.message).toBe("The range is 190 days, more than DingTalk's 120 [item 0]");
		expect(ctx.emu.requests({ path: '/v1.0/workflow/processes/instanceIds/query' })).toHaveLength(
			2,
		);
	});

	it('terminates as the originator (DingTalk refuses within 15 s of creation: the hint says so) and comments', async () => {
		const created = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, create({})));
		const instanceId = String(created.nodeOutput('Node')[0].json.instanceId);
		const comment = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				approval('addComment', { instanceId, commentUserId: id('boss01'), text: 'Enjoy' }),
			),
		);
		expect(comment.nodeOutput('Node')[0].json).toEqual({
			instanceId,
			commented: true,
			commentUserId: 'boss01',
		});
		const tooSoon = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				approval('terminate', { instanceId, terminateAs: 'originator' }),
			),
		);
		expect(tooSoon.error.message).toMatch(/15秒/);
		expect(tooSoon.error.description).toMatch(/within 15 seconds of its creation/);
		ctx.emu.clock.advance(16_000);
		const done = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				approval('terminate', { instanceId, terminateAs: 'originator' }),
			),
		);
		expect(done.nodeOutput('Node')[0].json).toEqual({
			instanceId,
			terminated: true,
			terminatedAs: 'originator',
			originatorUserId: 'user001',
		});
		const got = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, approval('get', { instanceId })),
		);
		expect(got.nodeOutput('Node')[0].json.outcome).toBe('terminated');
	});

	it('says when a template does not let originators withdraw, and that terminating as the system ends it anyway only where allowed', async () => {
		const created = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				create({
					processCode: id(EXPENSE),
					originatorUserId: id('manager01'),
					form: form(EXPENSE, { 报销金额: 10, 费用类型: '交通', 发生日期: '2026-11-30' }),
				}),
			),
		);
		const instanceId = String(created.nodeOutput('Node')[0].json.instanceId);
		ctx.emu.clock.advance(16_000);
		const refused = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				approval('terminate', { instanceId, terminateAs: 'originator' }),
			),
		);
		expect(refused.error.message).toMatch(/internalError/);
		expect(refused.error.description).toMatch(
			/does not let originators withdraw running instances/,
		);
		const got = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, approval('get', { instanceId })),
		);
		expect(got.nodeOutput('Node')[0].json.outcome).toBe('running');
	});

	it('creates from JSON (formComponentValues by label or id, values sent as text) and acts on an explicit task ID', async () => {
		const created = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				create({
					formInput: 'json',
					formJson: JSON.stringify([
						{ name: '请假类型', value: '病假' },
						{ id: 'DDDateRangeField-P', value: ['2026-12-08', '2026-12-08'] },
						{ name: '请假天数', value: 1 },
					]),
				}),
			),
		);
		expect(created.status).toBe('success');
		const [request] = ctx.emu.requests({ path: '/v1.0/workflow/processInstances', method: 'POST' });
		expect((request.body as IDataObject).formComponentValues).toEqual([
			{ name: '请假类型', value: '病假' },
			{ id: 'DDDateRangeField-P', value: '["2026-12-08","2026-12-08"]' },
			{ name: '请假天数', value: '1' },
		]);
		const instanceId = String(created.nodeOutput('Node')[0].json.instanceId);
		const [task] = (ctx.emu.dingtalk.approvals.instance(instanceId) as { tasks: IDataObject[] })
			.tasks;
		const acted = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				approval('approveOrReject', {
					instanceId,
					actionerUserId: id('manager01'),
					result: 'refuse',
					taskId: String(task.taskId),
				}),
			),
		);
		expect(acted.nodeOutput('Node')[0].json).toMatchObject({
			taskId: Number(task.taskId),
			decision: 'rejected',
		});
		// No instance read was needed to find the task.
		expect(
			ctx.emu.requests({ path: '/v1.0/workflow/processInstances', method: 'GET' }),
		).toHaveLength(0);
		const finished = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				approval('terminate', { instanceId, terminateAs: 'originator' }),
			),
		);
		expect(finished.error.message).toBe(
			'The instance is rejected: only running instances can be terminated',
		);
	});

	it('reads the time range in the workflow time zone', async () => {
		await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, create({})));
		const now = new Date();
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
		const result = await run(
			ctx.emu,
			inShanghai(
				DINGTALK_TYPE,
				approval('getMany', {
					processCode: id(LEAVE),
					// Midnight in Shanghai, as the date picker stores it (no zone).
					startTime: `${today}T00:00:00`,
					returnAll: true,
					filters: {},
					options: {},
				}),
			),
		);
		expect(result.nodeOutput('Node')).toHaveLength(1);
		const [query] = ctx.emu.requests({ path: '/v1.0/workflow/processes/instanceIds/query' });
		expect((query.body as IDataObject).startTime).toBe(Date.parse(`${today}T00:00:00+08:00`));
	});

	it('reads a wrong template once per run: with continueOnFail every item gets its refusal, from one call', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, create({ processCode: id('PROC-NOPE') }), {
				continueOnFail: true,
			}),
			{ inputItems: [{}, {}, {}] },
		);
		expect(result.nodeOutput('Node').map((item) => String(item.json.error))).toEqual([
			expect.stringMatching(/formNotExist/),
			expect.stringMatching(/formNotExist/),
			expect.stringMatching(/formNotExist/),
		]);
		expect(ctx.emu.requests({ path: '/v1.0/workflow/forms/schemas/processCodes' })).toHaveLength(1);
	});

	it('refuses an amount with a decimal comma instead of reading it as ten times more', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				create({
					form: form(LEAVE, {
						请假类型: '年假',
						开始时间: '2026-12-03',
						结束时间: '2026-12-04',
						// n8n checks a typed number itself; one mapped from an item reaches the node.
						请假天数: '={{ "1,5" }}',
					}),
				}),
			),
		);
		expect(result.error.message).toBe(`'请假天数' must be a number, got "1,5" [item 0]`);
		expect(result.error.description).toBe(
			'Use a dot for decimals (1.5); commas only between thousands (1,200).',
		);
		expect(instances()).toHaveLength(0);
	});

	it("picks templates (those the originator may start) and loads the template's form as fields", async () => {
		const all = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchApprovalTemplates', {
			parameters: { resource: 'approval', operation: 'create', pickMentionsFromContacts: true },
		});
		expect(all.results.map((r) => r.value)).toEqual([LEAVE, EXPENSE]);
		const forBoss = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchApprovalTemplates', {
			parameters: {
				resource: 'approval',
				operation: 'create',
				pickMentionsFromContacts: true,
				originatorUserId: id('boss01'),
			},
		});
		expect(forBoss.results.map((r) => r.value)).toEqual([LEAVE]);
	});
});
