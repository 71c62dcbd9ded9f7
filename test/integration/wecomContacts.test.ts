import { clearPickerCaches } from '../../nodes/shared/contacts/pickerCache';
import { WECOM_TYPE, pick, run, singleNodeWorkflow, useEmulator, weComSendText } from './support';

const bodyOf = (request: { body: unknown }) => request.body as Record<string, unknown>;
const id = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });
const op = (resource: string, operation: string, extra: Record<string, unknown> = {}) => ({
	resource,
	operation,
	...extra,
});

describe('WeCom departments in a workflow run', () => {
	const ctx = useEmulator();

	it('lists every department below the root with names, or IDs only, one call each', async () => {
		const named = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('department', 'getMany', { returnAll: true })),
		);
		expect(named.nodeOutput('Node').map((item) => [item.json.id, item.json.name])).toEqual([
			[2, '产品部'],
			[3, '技术部'],
			[31, '平台组'],
			[32, '移动组'],
			[4, '运营部'],
		]);
		const direct = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				op('department', 'getMany', { parentDepartmentId: id(3), allLevels: false, idsOnly: true }),
			),
		);
		expect(direct.nodeOutput('Node').map((item) => item.json.id)).toEqual([31, 32]);
		expect(ctx.emu.requests({ path: '/cgi-bin/department/list' })).toHaveLength(1);
		expect(ctx.emu.requests({ path: '/cgi-bin/department/simplelist' })).toHaveLength(1);
	});

	it('gets a department and its sub-department IDs', async () => {
		const get = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('department', 'get', { departmentId: id(31) })),
		);
		expect(get.nodeOutput('Node')[0].json).toMatchObject({ id: 31, name: '平台组', parentid: 3 });
		const sub = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				op('department', 'getSubDepartmentIds', { departmentId: id(1) }),
			),
		);
		expect(sub.nodeOutput('Node')[0].json).toEqual({
			departmentId: 1,
			subDepartmentIds: [2, 3, 31, 32, 4],
			directSubDepartmentIds: [2, 3, 4],
		});
	});

	it('explains hidden names (2022 rules) in a hint, and keeps IDs', async () => {
		ctx.emu.settings.set({ wecom: { contactsPermission: 'noNames' } });
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('department', 'getMany', { returnAll: true })),
		);
		expect(result.nodeOutput('Node').map((item) => item.json.id)).toEqual([2, 3, 31, 32, 4]);
		expect(
			result
				.nodeHints('Node')
				.map((hint) => hint.message)
				.join(' '),
		).toContain('2022-06-20');
	});
});

describe('WeCom users in a workflow run', () => {
	const ctx = useEmulator();

	it("lists a department's members with sub-departments, with plain gender and status", async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				op('user', 'getMany', {
					departmentId: id(3),
					includeSubDepartments: true,
					returnAll: true,
				}),
			),
		);
		const users = result.nodeOutput('Node').map((item) => item.json);
		const expected = ctx.emu.state.wecom.users.filter(
			(u) => u.corpId === 'wwemucorp0001' && u.department.some((d) => [3, 31, 32].includes(d)),
		);
		expect(users.map((u) => u.userid).sort()).toEqual(expected.map((u) => u.userid).sort());
		expect(users[0]).toMatchObject({
			gender: expect.stringMatching(/^[012]$/),
			genderName: expect.stringMatching(/^(unset|male|female)$/),
			statusName: 'active',
		});
		const [request] = ctx.emu.requests({ path: '/cgi-bin/user/list' });
		expect(request.query).toMatchObject({ department_id: '3', fetch_child: '1' });
	});

	it('gets every member ID of the company over the list_id cursor, merging departments', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('user', 'getIds', { returnAll: true })),
		);
		const members = result.nodeOutput('Node').map((item) => item.json);
		const zhouBa = members.find((m) => m.userid === 'ZhouBa');
		expect(zhouBa).toMatchObject({ departmentIds: [31, 4] });
		expect(new Set(members.map((m) => m.userid)).size).toBe(members.length);
		const [call] = ctx.emu.requests({ path: '/cgi-bin/user/list_id' });
		expect(bodyOf(call)).toEqual({ limit: 10000 });
		const limited = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('user', 'getIds', { limit: 3 })),
		);
		expect(limited.nodeOutput('Node')).toHaveLength(3);
	});

	it('finds users by ID, mobile and e-mail', async () => {
		const zhang = ctx.emu.state.wecom.users.find((u) => u.userid === 'ZhangSan')!;
		const byLocator = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				op('user', 'get', { userId: { __rl: true, mode: 'mobile', value: zhang.mobile } }),
			),
		);
		expect(byLocator.nodeOutput('Node')[0].json).toMatchObject({
			userid: 'ZhangSan',
			name: '张三',
		});
		const byEmail = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				op('user', 'getByEmail', { email: zhang.email, emailType: 2 }),
			),
		);
		expect(byEmail.nodeOutput('Node')[0].json).toMatchObject({ userid: 'ZhangSan' });
		const byMobile = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				op('user', 'getByMobile', { mobile: zhang.mobile, options: { idOnly: true } }),
			),
		);
		expect(byMobile.nodeOutput('Node')[0].json).toEqual({ userid: 'ZhangSan' });
	});

	it('refuses a malformed e-mail before calling, and names the field of an unknown member', async () => {
		const email = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('user', 'getByEmail', { email: 'not-an-address' })),
		);
		expect(email.error.message).toContain("'Email' is not an e-mail address");
		expect(ctx.emu.requests({ path: '/cgi-bin/user/get_userid_by_email' })).toHaveLength(0);

		const unknown = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				op('user', 'get', { userId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }),
				{ continueOnFail: true },
			),
			{ inputItems: [{ id: 'LiSi' }, { id: 'Nobody' }] },
		);
		const [found, missing] = unknown.nodeOutput('Node');
		expect(found.json.userid).toBe('LiSi');
		expect(missing.json.description).toContain(`'User' is "Nobody"`);
	});

	it('finds a member By Email from the personal address too, after the company mailbox misses', async () => {
		const zhang = ctx.emu.state.wecom.users.find((u) => u.userid === 'ZhangSan')!;
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				op('user', 'get', { userId: { __rl: true, mode: 'email', value: zhang.email } }),
			),
		);
		expect(result.nodeOutput('Node')[0].json.userid).toBe('ZhangSan');
		expect(
			ctx.emu
				.requests({ path: '/cgi-bin/user/get_userid_by_email' })
				.map((r) => bodyOf(r).email_type),
		).toEqual([1, 2]);
	});

	it('says what to check for an unknown department, tag or e-mail, naming the field', async () => {
		const department = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('department', 'get', { departmentId: id(999) })),
		);
		expect(department.error.description).toMatch(
			/^'Department' is "999"\. No department has this ID/,
		);
		const tag = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('tag', 'getMembers', { tagId: id(77) })),
		);
		expect(tag.error.description).toContain('No tag has this ID');
		const email = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				op('user', 'getByEmail', { email: 'someone@other-domain.example' }),
			),
		);
		expect(email.error.description).toMatch(
			/^'Email' is "someone@other-domain.example"\. No member matches/,
		);
	});

	it('names the picked fields of version 1.1 when no recipient was chosen', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				weComSendText({ userIds: '', departmentIds: [], tagIds: [] }),
				{
					typeVersion: 1.1,
				},
			),
			{ inputItems: [{ name: 'nobody' }] },
		);
		expect(result.error.message).toContain(
			"Enter at least one of 'User IDs', 'Departments' and 'Tags'",
		);
	});

	it('points to the Visible Range when the app may not read a member', async () => {
		ctx.emu.settings.set({ wecom: { contactsScope: [2] } });
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('user', 'get', { userId: id('LiSi') })),
		);
		expect(result.error.message).toContain('60011');
		expect(result.error.description).toContain('Visible Range');
	});
});

describe('WeCom tags in a workflow run', () => {
	const ctx = useEmulator();

	it('lists tags and the members of one, ready for a send', async () => {
		const tags = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('tag', 'getMany', { returnAll: true })),
		);
		expect(tags.nodeOutput('Node').map((item) => item.json.tagid)).toEqual([1, 2, 3, 4]);
		const members = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, op('tag', 'getMembers', { tagId: id(2) })),
		);
		expect(members.nodeOutput('Node')[0].json).toMatchObject({
			tagId: 2,
			tagName: '平台值班 Platform on-call',
			userIds: ['SunQi'],
			departmentIds: [31],
		});
	});

	it('sends to departments and tags chosen in the multi-selects (node version 1.1)', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				weComSendText({ userIds: '', departmentIds: [31], tagIds: [1, 2] }),
				{ typeVersion: 1.1 },
			),
			{ inputItems: [{ name: 'team' }] },
		);
		expect(result.status).toBe('success');
		const [send] = ctx.emu.requests({ path: '/cgi-bin/message/send' });
		expect(bodyOf(send)).toMatchObject({ toparty: '31', totag: '1|2' });
	});
});

describe('WeCom pickers', () => {
	const ctx = useEmulator();

	it('lists departments by path, members and tags, searching in the cached list', async () => {
		const departments = await pick(ctx.emu, WECOM_TYPE, 'listSearch', 'searchDepartments', {
			filter: '平台',
		});
		expect(departments.results).toEqual([{ name: '技术部 / 平台组', value: '31' }]);
		const users = await pick(ctx.emu, WECOM_TYPE, 'listSearch', 'searchUsers', { filter: 'zhang' });
		expect(users.results).toContainEqual({ name: '张三 (ZhangSan)', value: 'ZhangSan' });
		await pick(ctx.emu, WECOM_TYPE, 'listSearch', 'searchUsers', { filter: 'li' });
		expect(ctx.emu.requests({ path: '/cgi-bin/user/simplelist' })).toHaveLength(1);
		const tags = await pick(ctx.emu, WECOM_TYPE, 'loadOptions', 'getTags');
		expect(tags).toContainEqual({ name: '经理 Managers', value: 1, description: 'ID 1' });
	});

	it('lists what an app limited to part of the company may see, and never shares a cache between credentials', async () => {
		ctx.emu.settings.set({ wecom: { contactsScope: [3] } });
		const departments = await pick(ctx.emu, WECOM_TYPE, 'listSearch', 'searchDepartments');
		expect(departments.results.map((r) => r.value)).toEqual(['3', '31', '32']);
		const users = await pick(ctx.emu, WECOM_TYPE, 'listSearch', 'searchUsers');
		expect(users.results.map((r) => r.value)).toContain('WangWu');
		expect(users.results.map((r) => r.value)).not.toContain('ZhangSan');
		const [simple] = ctx.emu.requests({ path: '/cgi-bin/user/simplelist' });
		expect(simple.query).toMatchObject({ department_id: '3', fetch_child: '1' });
		// The same Corp ID with a wrong Secret is asked again (and refused), not served from the cache.
		await expect(
			pick(ctx.emu, WECOM_TYPE, 'listSearch', 'searchDepartments', {
				credentials: { weComApi: { corpSecret: 'WRONG-secret-picker' } },
			}),
		).rejects.toThrow();
	});

	it('falls back to IDs when names are hidden, and explains a missing permission', async () => {
		ctx.emu.settings.set({ wecom: { contactsPermission: 'noNames' } });
		const hidden = await pick(ctx.emu, WECOM_TYPE, 'loadOptions', 'getDepartments');
		expect(hidden).toContainEqual({
			name: 'Department 31 (name hidden by WeCom)',
			value: 31,
			description: 'ID 31',
		});
		// The picker keeps what it loaded for a minute; a new app permission shows after that.
		clearPickerCaches();
		ctx.emu.settings.set({ wecom: { contactsPermission: 'none' } });
		const refused = await pick(ctx.emu, WECOM_TYPE, 'listSearch', 'searchDepartments');
		expect(refused.results).toHaveLength(1);
		expect(refused.results[0].name).toMatch(/^Cannot list departments: .*By ID/);
	});
});
