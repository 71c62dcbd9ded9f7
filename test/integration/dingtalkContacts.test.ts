import salesExample from '../../examples/dingtalk-sales-team-notifications.json';
import tagExample from '../../examples/wecom-message-tag-members.json';
import {
	DINGTALK_TYPE,
	pick,
	run,
	singleNodeWorkflow,
	useEmulator,
	dingTalkSendText,
} from './support';

const LIST_SUB = '/topapi/v2/department/listsub';
const LIST_SUB_IDS = '/topapi/v2/department/listsubid';
const USER_LIST = '/topapi/v2/user/list';

const department = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'department',
	operation,
	...extra,
});
const user = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'user',
	operation,
	...extra,
});
/** The JSON body of a recorded request. */
const bodyOf = (request: { body: unknown }) => request.body as Record<string, unknown>;
const id = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });

describe('DingTalk departments in a workflow run', () => {
	const ctx = useEmulator();

	it('lists the direct sub-departments of the root with one call', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, department('getMany', { returnAll: true })),
		);
		expect(result.status).toBe('success');
		const ids = result.nodeOutput('Node').map((item) => item.json.dept_id);
		expect(ids).toEqual([2, 3, 4, 5, 6]);
		expect(result.nodeOutput('Node')[3].json).toMatchObject({ name: '销售部', parent_id: 1 });
		expect(ctx.emu.requests({ path: LIST_SUB })).toHaveLength(1);
	});

	it('walks a whole subtree breadth-first, one call per department, in English on request', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				department('getMany', {
					parentDepartmentId: id(5),
					allLevels: true,
					returnAll: true,
					options: { language: 'en_US' },
				}),
			),
		);
		const output = result.nodeOutput('Node').map((item) => [item.json.dept_id, item.json.name]);
		expect(output).toEqual([
			[51, 'East China'],
			[52, 'South China'],
			[511, 'Shanghai Office'],
		]);
		// 5, 51, 52 and 511 are each asked once (the leaves answer empty lists).
		expect(ctx.emu.requests({ path: LIST_SUB }).map((r) => bodyOf(r).dept_id)).toEqual([
			5, 51, 52, 511,
		]);
	});

	it('stops walking once the Limit is reached, even inside a level', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, department('getMany', { allLevels: true, limit: 3 })),
		);
		expect(result.nodeOutput('Node').map((item) => item.json.dept_id)).toEqual([2, 3, 4]);
		expect(ctx.emu.requests({ path: LIST_SUB })).toHaveLength(1);
		ctx.emu.clearRequests();
		const six = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, department('getMany', { allLevels: true, limit: 6 })),
		);
		expect(six.nodeOutput('Node').map((item) => item.json.dept_id)).toEqual([2, 3, 4, 5, 6, 21]);
		expect(ctx.emu.requests({ path: LIST_SUB }).map((r) => bodyOf(r).dept_id)).toEqual([1, 2]);
	});

	it('gets a department, its sub-department IDs and its path to the root', async () => {
		const get = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, department('get', { departmentId: id(22) })),
		);
		expect(get.nodeOutput('Node')[0].json).toMatchObject({
			dept_id: 22,
			name: '后端组',
			parent_id: 2,
		});

		const sub = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, department('getSubDepartmentIds', { departmentId: id(2) })),
		);
		expect(sub.nodeOutput('Node')[0].json).toEqual({
			departmentId: 2,
			subDepartmentIds: [21, 22, 23],
		});

		const path = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, department('getParentPath', { departmentId: id(511) })),
		);
		expect(path.nodeOutput('Node')[0].json).toEqual({
			departmentId: 511,
			parentIds: [511, 51, 5, 1],
		});
	});

	it('gives one path per department of a user, the user chosen by mobile number', async () => {
		const multi = ctx.emu.state.dingtalk.users.find((u) => u.userid === 'multi01')!;
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				department('getParentPath', {
					of: 'user',
					userId: { __rl: true, mode: 'mobile', value: multi.mobile },
				}),
			),
		);
		expect(result.nodeOutput('Node').map((item) => item.json)).toEqual([
			{ userId: 'multi01', departmentId: 21, parentIds: [21, 2, 1] },
			{ userId: 'multi01', departmentId: 3, parentIds: [3, 1] },
		]);
	});

	it('names the field and the item when a department does not exist, and keeps the other items', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				department('get', { departmentId: { __rl: true, mode: 'id', value: '={{ $json.dept }}' } }),
				{ continueOnFail: true },
			),
			{ inputItems: [{ dept: 2 }, { dept: 999999 }, { dept: 3 }] },
		);
		const output = result.nodeOutput('Node');
		expect(output).toHaveLength(3);
		expect(output[0].json.name).toBe('研发部');
		expect(output[2].json.name).toBe('产品部');
		expect(output[1].json.error).toEqual(expect.any(String));
		expect(output[1].json.description).toContain(`'Department' is "999999"`);
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});
});

describe('DingTalk users in a workflow run', () => {
	const ctx = useEmulator();

	it("reads a department's whole subtree with the fewest calls, everyone once", async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				user('getMany', { departmentId: id(5), includeSubDepartments: true, returnAll: true }),
			),
		);
		expect(result.status).toBe('success');
		const users = result.nodeOutput('Node').map((item) => item.json);
		const expected = ctx.emu.state.dingtalk.users.filter((u) =>
			u.dept_id_list.some((d) => [5, 51, 52, 511].includes(d)),
		);
		expect(users.map((u) => u.userid).sort()).toEqual(expected.map((u) => u.userid).sort());
		expect(new Set(users.map((u) => u.userid)).size).toBe(users.length);
		expect(users[0]).toMatchObject({
			userid: 'manager02',
			hiredAt: expect.stringMatching(/^20\d\d-/),
		});
		// One page per department (each has at most 100 direct members), one ID list per department.
		expect(
			ctx.emu.requests({ path: USER_LIST }).map((r) => [bodyOf(r).dept_id, bodyOf(r).size]),
		).toEqual([
			[5, 100],
			[51, 100],
			[52, 100],
			[511, 100],
		]);
		expect(ctx.emu.requests({ path: LIST_SUB_IDS })).toHaveLength(4);
	});

	it('gives with a Limit exactly the first users of Return All, someone in two departments once', async () => {
		const all = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				user('getMany', { departmentId: id(1), includeSubDepartments: true, returnAll: true }),
			),
		);
		const everyone = all.nodeOutput('Node').map((item) => item.json.userid);
		expect(everyone.filter((userid) => userid === 'multi01')).toHaveLength(1);
		// 106 reaches into department 21, whose first member (multi01) was already listed under 3.
		const limited = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				user('getMany', { departmentId: id(1), includeSubDepartments: true, limit: 106 }),
			),
		);
		expect(limited.nodeOutput('Node').map((item) => item.json.userid)).toEqual(
			everyone.slice(0, 106),
		);
	});

	it('pages with the cursor and asks only for what the Limit needs', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, user('getMany', { departmentId: id(21), limit: 10 })),
		);
		expect(result.nodeOutput('Node')).toHaveLength(10);
		expect(ctx.emu.requests({ path: USER_LIST }).map((r) => bodyOf(r).size)).toEqual([10]);
		expect(ctx.emu.requests({ path: LIST_SUB_IDS })).toHaveLength(0);
	});

	it('gets a user by ID and by mobile number, their department IDs, and counts users', async () => {
		const byId = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				user('get', { userId: { __rl: true, mode: 'list', value: 'manager01' } }),
			),
		);
		expect(byId.nodeOutput('Node')[0].json).toMatchObject({ userid: 'manager01', name: '郑研发' });

		const user001 = ctx.emu.state.dingtalk.users.find((u) => u.userid === 'user001')!;
		const byMobile = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, user('getByMobile', { mobile: user001.mobile })),
		);
		expect(byMobile.nodeOutput('Node')[0].json).toMatchObject({
			userid: 'user001',
			name: user001.name,
		});

		const byUnion = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				user('getByUnionId', { unionId: user001.unionid, options: { idOnly: true } }),
			),
		);
		expect(byUnion.nodeOutput('Node')[0].json).toMatchObject({
			userid: 'user001',
			contactType: 'internal',
		});
		expect(ctx.emu.requests({ path: '/topapi/v2/user/get' })).toHaveLength(2);

		const ids = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, user('getIds', { departmentId: id(51) })),
		);
		const members = ctx.emu.state.dingtalk.users.filter((u) => u.dept_id_list.includes(51));
		expect(ids.nodeOutput('Node')[0].json).toEqual({
			departmentId: 51,
			userIds: members.map((u) => u.userid),
			count: members.length,
		});

		const counted = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, user('count', { onlyActive: false })),
		);
		expect(counted.nodeOutput('Node')[0].json).toEqual({
			count: ctx.emu.state.dingtalk.users.length,
			onlyActive: false,
		});
	});

	it('refuses a bad Limit and a malformed mobile before any call, naming the item and field', async () => {
		const limit = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				user('getMany', { departmentId: id(1), limit: '={{ $json.limit }}' }),
			),
			{ inputItems: [{ limit: 5 }, { limit: 0 }] },
		);
		expect(limit.status).toBe('error');
		expect(limit.error.message).toContain(
			"'Limit' must be a whole number of at least 1, got 0 [item 1]",
		);
		const mobile = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, user('getByMobile', { mobile: '={{ $json.mobile }}' })),
			{ inputItems: [{ mobile: '13800000001' }, { mobile: '138-abc' }] },
		);
		expect(mobile.error.message).toContain("'Mobile' is not a mobile number: '138-abc' [item 1]");
		expect(ctx.emu.requests({ path: '^/topapi/' })).toHaveLength(0);
	});

	it('says which item names an unknown user and keeps the others with continueOnFail', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				DINGTALK_TYPE,
				user('get', { userId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }),
				{ continueOnFail: true },
			),
			{ inputItems: [{ id: 'user002' }, { id: 'nobody' }] },
		);
		const [found, missing] = result.nodeOutput('Node');
		expect(found.json.userid).toBe('user002');
		expect(missing.json.description).toContain(`'User' is "nobody"`);
		expect(missing.pairedItem).toEqual({ item: 1 });
	});

	it("says a department or user is outside the app's contacts range, and where to widen it", async () => {
		ctx.emu.settings.set({ dingtalk: { contactsScope: [5] } });
		const outside = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, department('get', { departmentId: id(2) })),
		);
		expect(outside.error.message).toContain('50004');
		expect(outside.error.description).toMatch(
			/^'Department' is "2"\. The department is outside the app's contacts range/,
		);
		const someone = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, user('get', { userId: id('manager01') })),
		);
		expect(someone.error.description).toContain("outside the app's contacts range");
		expect(someone.error.description).toContain('权限范围');
	});

	it('names the missing contacts permission and where to grant it', async () => {
		ctx.emu.settings.set({ dingtalk: { contactsPermission: 'none' } });
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, user('getMany', { departmentId: id(1) })),
		);
		expect(result.status).toBe('error');
		expect(result.error.description).toContain('qyapi_get_department_member');
		expect(result.error.description).toContain('Permission Management');
	});

	it('sends to departments chosen in the multi-select (node version 1.1)', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, dingTalkSendText({ userIds: '', departmentIds: [5, 2] }), {
				typeVersion: 1.1,
			}),
			{ inputItems: [{ name: 'all' }] },
		);
		expect(result.status).toBe('success');
		const [send] = ctx.emu.requests({ path: '/topapi/message/corpconversation/asyncsend_v2' });
		expect(bodyOf(send).dept_id_list).toBe('5,2');
	});
});

describe('DingTalk pickers', () => {
	const ctx = useEmulator();

	it('lists departments by their path and searches them without reloading the tree', async () => {
		const all = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchDepartments');
		expect(all.results).toHaveLength(13);
		expect(all.results).toContainEqual({
			name: '销售部 / 华东大区 / 上海办事处 (511)',
			value: '511',
		});
		const calls = ctx.emu.requests({ path: LIST_SUB }).length;
		const sales = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchDepartments', {
			filter: '华东',
		});
		expect(sales.results.map((r) => r.value)).toEqual(['51', '511']);
		expect(ctx.emu.requests({ path: LIST_SUB })).toHaveLength(calls);
	});

	it("never serves one credential's cached tree to another with the same AppKey", async () => {
		await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchDepartments');
		await expect(
			pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchDepartments', {
				credentials: { dingTalkApi: { appSecret: 'WRONG-secret-picker' } },
			}),
		).rejects.toThrow();
	});

	it('offers departments for the recipient multi-select', async () => {
		const options = await pick(ctx.emu, DINGTALK_TYPE, 'loadOptions', 'getDepartments');
		expect(options).toContainEqual({ name: '销售部', value: 5, description: 'ID 5' });
	});

	it('browses users department by department, a page per scroll', async () => {
		const first = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchUsers');
		expect(first.results).toContainEqual({ name: '钱多多 (boss01)', value: 'boss01' });
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchUsers', {
			paginationToken: first.paginationToken,
		});
		expect(second.results.map((r) => r.value)).toContain('manager01');
	});

	it("searches users by name on DingTalk's side where the app may, and shows their names", async () => {
		ctx.emu.settings.set({ dingtalk: { userSearch: 'allowed' } });
		const found = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchUsers', {
			filter: '郑研',
		});
		expect(found.results).toEqual([{ name: '郑研发 (manager01)', value: 'manager01' }]);
		const [search] = ctx.emu.requests({ path: '/v1.0/contact/users/search' });
		expect(bodyOf(search)).toEqual({ queryWord: '郑研', offset: 0, size: 10 });
		expect(ctx.emu.requests({ path: '/topapi/v2/user/get' }).map((r) => bodyOf(r).userid)).toEqual([
			'manager01',
		]);
	});

	it("searches an internal app's members in the list it loads once, after DingTalk refuses the search", async () => {
		const found = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchUsers', {
			filter: '郑研',
		});
		expect(found.results).toEqual([{ name: '郑研发 (manager01)', value: 'manager01' }]);
		expect(ctx.emu.requests({ path: '/v1.0/contact/users/search' })).toHaveLength(1);
		const pages = ctx.emu.requests({ path: USER_LIST }).length;
		expect(pages).toBeGreaterThanOrEqual(13);
		// The next keystrokes neither ask DingTalk to search again nor reload the members.
		const more = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchUsers', {
			filter: 'user00',
		});
		expect(more.results.map((r) => r.value).sort()).toEqual([
			'user001',
			'user002',
			'user003',
			'user004',
			'user005',
			'user006',
			'user007',
			'user008',
			'user009',
		]);
		expect(ctx.emu.requests({ path: '/v1.0/contact/users/search' })).toHaveLength(1);
		expect(ctx.emu.requests({ path: USER_LIST })).toHaveLength(pages);
	});

	it('lists only the departments of an app limited to part of the organisation', async () => {
		ctx.emu.settings.set({ dingtalk: { contactsScope: [5] } });
		const listed = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchDepartments');
		expect(listed.results.map((r) => r.value)).toEqual(['5', '51', '52', '511']);
		expect(listed.results[1].name).toBe('销售部 / 华东大区 (51)');
	});

	it('explains a missing permission in the list instead of failing', async () => {
		ctx.emu.settings.set({ dingtalk: { contactsPermission: 'none' } });
		const listed = await pick(ctx.emu, DINGTALK_TYPE, 'listSearch', 'searchDepartments');
		expect(listed.results).toHaveLength(1);
		expect(listed.results[0].value).toBe('');
		expect(listed.results[0].name).toContain('qyapi_get_department_list');
		expect(listed.results[0].name).toContain('By ID');
	});
});

describe('the org-lookup examples, in-process', () => {
	const ctx = useEmulator();

	it('DingTalk: everyone under Sales gets their own notification', async () => {
		const result = await run(ctx.emu, salesExample);
		expect(result.status).toBe('success');
		const found = result.nodeOutput('Everyone Under Sales');
		expect(found.length).toBeGreaterThan(90);
		const sends = ctx.emu.requests({ path: '/topapi/message/corpconversation/asyncsend_v2' });
		expect(sends.map((send) => bodyOf(send).userid_list).sort()).toEqual(
			found.map((item) => item.json.userid).sort(),
		);
	});

	it('WeCom: everyone with the on-call tag gets the message', async () => {
		const result = await run(ctx.emu, tagExample);
		expect(result.status).toBe('success');
		const [send] = ctx.emu.requests({ path: '/cgi-bin/message/send' });
		expect(bodyOf(send)).toMatchObject({ touser: 'SunQi', toparty: '31' });
	});
});
