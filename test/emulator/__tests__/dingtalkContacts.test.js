// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');
const { createDingTalkOrg } = require('../dingtalk/seed');

const ctx = useEmulator();

/** POST a contacts call with the primary app's token (JSON body, or raw form text). */
async function post(/** @type {string} */ path, /** @type {unknown} */ body = {}) {
	const token = await ctx.client.dingtalkToken();
	return (await ctx.client.oapi(path, { query: { access_token: token }, body })).body;
}
async function postForm(/** @type {string} */ path, /** @type {Record<string, string>} */ fields) {
	const token = await ctx.client.dingtalkToken();
	const { body } = await ctx.client.oapi(path, {
		query: { access_token: token },
		raw: new URLSearchParams(fields).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
	});
	return body;
}
/** Settings through the control API, as an e2e test in another process would. */
async function patchSettings(/** @type {Record<string, unknown>} */ dingtalk) {
	const answer = await ctx.client.control('/settings', { method: 'PATCH', body: { dingtalk } });
	expect(answer.status).toBe(200);
	return answer.body;
}

const REQUEST_ID = expect.stringMatching(/^[0-9a-z]{13}$/);
const missing = (/** @type {string} */ name) => ({ errcode: 40035, errmsg: `缺少参数 ${name}` });
const invalid = (/** @type {string} */ fragment) => ({
	errcode: 40035,
	errmsg: expect.stringContaining(`不合法的参数: ${fragment}`),
});
const DEPT_NOT_FOUND = { errcode: 60003, errmsg: '部门不存在' };
const USER_NOT_FOUND = { errcode: 60121, errmsg: '找不到该用户' };

describe('departments', () => {
	test('listsub: direct sub-departments of the root by default, in order, with the documented fields', async () => {
		const body = await post('/topapi/v2/department/listsub');
		expect(body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			result: [
				[2, '研发部'],
				[3, '产品部'],
				[4, '市场部'],
				[5, '销售部'],
				[6, '人力资源部'],
			].map(([dept_id, name]) => ({
				dept_id,
				name,
				parent_id: 1,
				create_dept_group: true,
				auto_add_user: true,
			})),
			request_id: REQUEST_ID,
		});
		const sales = await post('/topapi/v2/department/listsub', { dept_id: 5, language: 'en_US' });
		expect(sales.result).toEqual([
			{
				dept_id: 51,
				name: 'East China',
				parent_id: 5,
				create_dept_group: false,
				auto_add_user: false,
			},
			{
				dept_id: 52,
				name: 'South China',
				parent_id: 5,
				create_dept_group: false,
				auto_add_user: false,
			},
		]);
		expect((await post('/topapi/v2/department/listsub', { dept_id: 511 })).result).toEqual([]);
	});

	test('listsub: unknown department 60003, bad dept_id or language 40035', async () => {
		expect(await post('/topapi/v2/department/listsub', { dept_id: 999 })).toMatchObject(
			DEPT_NOT_FOUND,
		);
		expect(await post('/topapi/v2/department/listsub', { dept_id: 'abc' })).toMatchObject(
			invalid('deptId'),
		);
		expect(
			await post('/topapi/v2/department/listsub', { dept_id: 1, language: 'fr_FR' }),
		).toMatchObject(invalid('language'));
	});

	test('listsubid: direct sub-department ids; dept_id required', async () => {
		expect(await post('/topapi/v2/department/listsubid', { dept_id: 2 })).toEqual({
			errcode: 0,
			errmsg: 'ok',
			result: { dept_id_list: [21, 22, 23] },
			request_id: REQUEST_ID,
		});
		expect((await post('/topapi/v2/department/listsubid', { dept_id: 23 })).result).toEqual({
			dept_id_list: [],
		});
		expect(await post('/topapi/v2/department/listsubid', {})).toMatchObject(missing('deptId'));
		expect(await post('/topapi/v2/department/listsubid', { dept_id: 4242 })).toMatchObject(
			DEPT_NOT_FOUND,
		);
	});

	test('get: details with managers, member_count (subtree) and owning_member_count (direct)', async () => {
		const sales = await post('/topapi/v2/department/get', { dept_id: 5 });
		expect(sales).toMatchObject({ errcode: 0, errmsg: 'ok', request_id: REQUEST_ID });
		expect(sales.result).toEqual({
			dept_id: 5,
			name: '销售部',
			parent_id: 1,
			order: 4,
			create_dept_group: true,
			auto_add_user: true,
			dept_group_chat_id: expect.stringMatching(/^chat[0-9a-f]{32}$/),
			group_contain_sub_dept: true,
			org_dept_owner: 'manager02',
			dept_manager_userid_list: ['manager02'],
			outer_dept: false,
			hide_dept: false,
			from_union_org: false,
			auto_approve_apply: false,
			member_count: 97,
			owning_member_count: 1,
		});
		const east = (await post('/topapi/v2/department/get', { dept_id: 51, language: 'en_US' }))
			.result;
		expect(east).toMatchObject({
			name: 'East China',
			parent_id: 5,
			member_count: 64,
			owning_member_count: 32,
			create_dept_group: false,
			dept_manager_userid_list: [],
		});
		expect(east).not.toHaveProperty('dept_group_chat_id');
		const root = (await post('/topapi/v2/department/get', { dept_id: 1 })).result;
		expect(root).not.toHaveProperty('parent_id');
		expect(root).toMatchObject({ member_count: 325, owning_member_count: 1 });
		// R&D: its director, multi01 (21, also in 3) and four teams of 32.
		expect((await post('/topapi/v2/department/get', { dept_id: 2 })).result.member_count).toBe(
			1 + 1 + 4 * 32,
		);
		expect(await post('/topapi/v2/department/get', {})).toMatchObject(missing('deptId'));
		expect(await post('/topapi/v2/department/get', { dept_id: 77 })).toMatchObject(DEPT_NOT_FOUND);
	});

	test('listparentbydept: [self, …, 1]', async () => {
		expect(await post('/topapi/v2/department/listparentbydept', { dept_id: 511 })).toEqual({
			errcode: 0,
			errmsg: 'ok',
			result: { parent_id_list: [511, 51, 5, 1] },
			request_id: REQUEST_ID,
		});
		expect((await post('/topapi/v2/department/listparentbydept', { dept_id: 1 })).result).toEqual({
			parent_id_list: [1],
		});
		expect(await post('/topapi/v2/department/listparentbydept', {})).toMatchObject(
			missing('deptId'),
		);
		expect(await post('/topapi/v2/department/listparentbydept', { dept_id: 9 })).toMatchObject(
			DEPT_NOT_FOUND,
		);
	});

	test('listparentbyuser: one chain per department of the user; unknown userid 33012', async () => {
		expect(await post('/topapi/v2/department/listparentbyuser', { userid: 'multi01' })).toEqual({
			errcode: 0,
			errmsg: 'ok',
			result: {
				parent_list: [{ parent_dept_id_list: [21, 2, 1] }, { parent_dept_id_list: [3, 1] }],
			},
			request_id: REQUEST_ID,
		});
		expect(await post('/topapi/v2/department/listparentbyuser', { userid: 'ghost' })).toMatchObject(
			{
				errcode: 33012,
				errmsg: '无效的USERID',
			},
		);
		expect(await post('/topapi/v2/department/listparentbyuser', {})).toMatchObject(
			missing('userid'),
		);
	});
});

describe('users', () => {
	test('user/get: the documented fields', async () => {
		const body = await post('/topapi/v2/user/get', { userid: 'manager02' });
		expect(body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			result: {
				userid: 'manager02',
				unionid: 'emuunion9003',
				name: '冯销售',
				avatar: 'https://static.dingtalk.emu.example.com/avatar/manager02.png',
				state_code: '86',
				manager_userid: 'boss01',
				mobile: '13800009003',
				hide_mobile: false,
				job_number: 'E9003',
				title: '销售总监',
				email: 'manager02@dingtalk.emu.example.com',
				exclusive_account: false,
				dept_id_list: [5],
				dept_order_list: [{ dept_id: 5, order: 1 }],
				hired_date: Date.UTC(2020, 0, 6, 1, 0, 0),
				active: true,
				real_authed: true,
				senior: false,
				admin: false,
				boss: false,
				leader_in_dept: [{ dept_id: 5, leader: true }],
				role_list: [],
			},
			request_id: REQUEST_ID,
		});
	});

	test('user/get: numbered users have no avatar; some are inactive; several departments each have an order', async () => {
		const user = (await post('/topapi/v2/user/get', { userid: 'user047' })).result;
		expect(user).toMatchObject({ userid: 'user047', dept_id_list: [51], active: false });
		expect(user.real_authed).toBe(false);
		expect(user.manager_userid).toBe('manager02');
		expect(user).not.toHaveProperty('avatar');
		const multi = (await post('/topapi/v2/user/get', { userid: 'multi01' })).result;
		expect(multi.dept_order_list).toEqual([
			{ dept_id: 21, order: 1 },
			{ dept_id: 3, order: 1 },
		]);
		const second = (await post('/topapi/v2/user/get', { userid: 'user011' })).result;
		expect(second.dept_order_list).toEqual([{ dept_id: 21, order: 3 }]);
	});

	test('user/get: unknown user 60121, missing userid, wrong type', async () => {
		expect(await post('/topapi/v2/user/get', { userid: 'nobody' })).toMatchObject(USER_NOT_FOUND);
		expect(await post('/topapi/v2/user/get', {})).toMatchObject(missing('userid'));
		expect(await post('/topapi/v2/user/get', { userid: '  ' })).toMatchObject(missing('userid'));
		expect(await post('/topapi/v2/user/get', { userid: ['user001'] })).toMatchObject(
			invalid('userid'),
		);
	});

	test('user/listid: direct members only, in seed order', async () => {
		const { result } = await post('/topapi/user/listid', { dept_id: 21 });
		const numbered = Array.from(
			{ length: 32 },
			(_, i) => `user${String(i * 10 + 1).padStart(3, '0')}`,
		);
		expect(result).toEqual({ userid_list: ['multi01', ...numbered] });
		expect((await post('/topapi/user/listid', { dept_id: 2 })).result).toEqual({
			userid_list: ['manager01'],
		});
		expect(await post('/topapi/user/listid', { dept_id: 0 })).toMatchObject(invalid('deptId'));
		expect(await post('/topapi/user/listid', {})).toMatchObject(missing('deptId'));
		expect(await post('/topapi/user/listid', { dept_id: 31 })).toMatchObject(DEPT_NOT_FOUND);
	});

	test('user/list: item fields; leader is per listed department', async () => {
		const body = await post('/topapi/v2/user/list', { dept_id: 5, cursor: 0, size: 10 });
		expect(body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			result: {
				has_more: false,
				list: [
					{
						userid: 'manager02',
						unionid: 'emuunion9003',
						name: '冯销售',
						avatar: 'https://static.dingtalk.emu.example.com/avatar/manager02.png',
						state_code: '86',
						mobile: '13800009003',
						hide_mobile: false,
						job_number: 'E9003',
						title: '销售总监',
						email: 'manager02@dingtalk.emu.example.com',
						dept_id_list: [5],
						dept_order: 1,
						hired_date: Date.UTC(2020, 0, 6, 1, 0, 0),
						active: true,
						admin: false,
						boss: false,
						leader: true,
						exclusive_account: false,
					},
				],
			},
			request_id: REQUEST_ID,
		});
		// Direct members only: dept 2 has its director, not the teams below.
		const rnd = await post('/topapi/v2/user/list', { dept_id: 2, cursor: 0, size: 100 });
		expect(rnd.result.list.map((/** @type {any} */ user) => user.userid)).toEqual(['manager01']);
	});

	test('user/list: the cursor walk returns every direct member exactly once; next_cursor only while has_more', async () => {
		const { result: ids } = await post('/topapi/user/listid', { dept_id: 21 });
		/** @type {string[]} */
		const seen = [];
		let cursor = 0;
		let calls = 0;
		for (;;) {
			const { result } = await post('/topapi/v2/user/list', { dept_id: 21, cursor, size: 10 });
			calls += 1;
			expect(result.list.length).toBeLessThanOrEqual(10);
			seen.push(...result.list.map((/** @type {any} */ user) => user.userid));
			if (!result.has_more) {
				expect(result).not.toHaveProperty('next_cursor');
				break;
			}
			expect(result.next_cursor).toBe(cursor + 10);
			cursor = result.next_cursor;
		}
		expect(calls).toBe(Math.ceil(33 / 10));
		expect(seen).toHaveLength(33);
		expect(new Set(seen)).toEqual(new Set(ids.userid_list));
		const past = await post('/topapi/v2/user/list', { dept_id: 21, cursor: 500, size: 10 });
		expect(past.result).toEqual({ has_more: false, list: [] });
	});

	test('user/list: order_field (custom = pinyin of the name by default, entry/modify = join order)', async () => {
		/** @returns {Promise<any[]>} */
		const listed = async (/** @type {string | undefined} */ order_field) =>
			(await post('/topapi/v2/user/list', { dept_id: 51, cursor: 0, size: 100, order_field }))
				.result.list;
		const { result } = await post('/topapi/user/listid', { dept_id: 51 });
		const ids = (/** @type {any[]} */ list) => list.map((user) => user.userid);
		expect(ids(await listed('entry_asc'))).toEqual(result.userid_list);
		expect(ids(await listed('modify_asc'))).toEqual(result.userid_list);
		expect(ids(await listed('entry_desc'))).toEqual([...result.userid_list].reverse());
		const custom = await listed(undefined);
		expect(ids(await listed('custom'))).toEqual(ids(custom));
		const collator = new Intl.Collator('zh-CN-u-co-pinyin');
		const names = custom.map((user) => user.name);
		expect(names).toEqual([...names].sort(collator.compare));
		expect(ids(custom)).not.toEqual(result.userid_list);
		expect(
			await post('/topapi/v2/user/list', { dept_id: 51, cursor: 0, size: 10, order_field: 'name' }),
		).toMatchObject(invalid('orderField'));
	});

	test('user/list: size 1…100, cursor 0…100000, dept_id/cursor/size required', async () => {
		const list = (/** @type {Record<string, unknown>} */ fields) =>
			post('/topapi/v2/user/list', { dept_id: 21, cursor: 0, size: 10, ...fields });
		expect((await list({ size: 1 })).result.list).toHaveLength(1);
		expect((await list({ size: 100 })).result.list).toHaveLength(33);
		expect(await list({ size: 0 })).toMatchObject(invalid('size'));
		expect(await list({ size: 101 })).toMatchObject(invalid('size 取值范围 1…100，收到 101'));
		expect(await list({ cursor: -1 })).toMatchObject(invalid('cursor'));
		expect(await list({ cursor: 100_001 })).toMatchObject(invalid('cursor'));
		expect((await list({ cursor: 100_000 })).errcode).toBe(0);
		expect(await list({ size: 1.5 })).toMatchObject(invalid('size'));
		expect(await list({ contain_access_limit: 'yes' })).toMatchObject(
			invalid('containAccessLimit'),
		);
		expect(await list({ size: undefined })).toMatchObject(missing('size'));
		expect(await list({ cursor: undefined })).toMatchObject(missing('cursor'));
		expect(await list({ dept_id: undefined })).toMatchObject(missing('deptId'));
		expect(await list({ dept_id: 999 })).toMatchObject(DEPT_NOT_FOUND);
	});

	test('form-urlencoded bodies (the doc curl samples) are read with strings for numbers and booleans', async () => {
		const page = await postForm('/topapi/v2/user/list', {
			dept_id: '21',
			cursor: '30',
			size: '10',
			contain_access_limit: 'false',
			language: 'zh_CN',
		});
		expect(page.result.list).toHaveLength(3);
		expect(page.result.has_more).toBe(false);
		expect((await postForm('/topapi/user/count', { only_active: 'true' })).result).toEqual({
			count: 319,
		});
		expect((await postForm('/topapi/v2/department/listsubid', { dept_id: '5' })).result).toEqual({
			dept_id_list: [51, 52],
		});
	});

	test('getbymobile: userid; unknown mobile 60121; malformed 40104; mobile required', async () => {
		expect(await post('/topapi/v2/user/getbymobile', { mobile: '13800000001' })).toEqual({
			errcode: 0,
			errmsg: 'ok',
			result: { userid: 'user001' },
			request_id: REQUEST_ID,
		});
		expect(
			(await post('/topapi/v2/user/getbymobile', { mobile: '+86-13800009001' })).result,
		).toEqual({ userid: 'boss01' });
		expect(await post('/topapi/v2/user/getbymobile', { mobile: '13899999999' })).toMatchObject(
			USER_NOT_FOUND,
		);
		for (const mobile of ['138-0000-0001', 'abc', '1380000000112345'])
			expect(await post('/topapi/v2/user/getbymobile', { mobile })).toMatchObject({
				errcode: 40104,
				errmsg: '电话号码无效',
			});
		expect(await post('/topapi/v2/user/getbymobile', {})).toMatchObject(missing('mobile'));
	});

	test('getbyunionid: {contact_type: 0, userid}; unknown 60121', async () => {
		expect(await post('/topapi/user/getbyunionid', { unionid: 'emuunion0001' })).toEqual({
			errcode: 0,
			errmsg: 'ok',
			result: { contact_type: 0, userid: 'user001' },
			request_id: REQUEST_ID,
		});
		expect(await post('/topapi/user/getbyunionid', { unionid: 'nope' })).toMatchObject(
			USER_NOT_FOUND,
		);
		expect(await post('/topapi/user/getbyunionid', {})).toMatchObject(missing('unionid'));
	});

	test('user/count: everyone vs activated; only_active required and Boolean', async () => {
		expect(await post('/topapi/user/count', { only_active: false })).toEqual({
			errcode: 0,
			errmsg: 'ok',
			result: { count: 325 },
			request_id: REQUEST_ID,
		});
		expect((await post('/topapi/user/count', { only_active: true })).result).toEqual({
			count: 319,
		});
		expect(await post('/topapi/user/count', {})).toMatchObject(missing('onlyActive'));
		expect(await post('/topapi/user/count', { only_active: 'maybe' })).toMatchObject(
			invalid('onlyActive'),
		);
	});

	test('records added with addSeed show up at once (the look-up tables are rebuilt)', async () => {
		expect((await post('/topapi/v2/department/get', { dept_id: 5 })).result.member_count).toBe(97);
		const dept = await ctx.client.control('/seed/dingtalk/departments', {
			body: { name: '西北大区', name_en: 'Northwest', parent_id: 5 },
		});
		ctx.emu.addSeed('dingtalk', 'users', {
			userid: 'newbie',
			name: '新人',
			dept_id_list: [dept.body.dept_id],
			leader_in_dept: [{ dept_id: dept.body.dept_id, leader: true }],
			work_place: '西安',
		});
		const children = (await post('/topapi/v2/department/listsub', { dept_id: 5 })).result;
		expect(children.map((/** @type {any} */ d) => d.dept_id)).toEqual([51, 52, dept.body.dept_id]);
		const detail = (await post('/topapi/v2/department/get', { dept_id: dept.body.dept_id })).result;
		expect(detail).toMatchObject({ dept_manager_userid_list: ['newbie'], member_count: 1 });
		expect((await post('/topapi/v2/department/get', { dept_id: 5 })).result.member_count).toBe(98);
		const user = (await post('/topapi/v2/user/get', { userid: 'newbie' })).result;
		expect(user).toMatchObject({ name: '新人', work_place: '西安' });
		expect(user).not.toHaveProperty('hired_date');
		expect((await post('/topapi/user/count', { only_active: false })).result.count).toBe(326);
		expect(
			(
				await post('/topapi/v2/user/getbymobile', {
					mobile: ctx.emu.state.dingtalk.users.at(-1)?.mobile,
				})
			).result,
		).toEqual({ userid: 'newbie' });
	});
});

describe('auth/scopes and the contacts settings (switched through the control API)', () => {
	const scopes = async () => {
		const token = await ctx.client.dingtalkToken();
		return (await ctx.client.oapi('/auth/scopes', { query: { access_token: token } })).body;
	};

	test('auth/scopes reflects the scope and the permission profile', async () => {
		expect(await scopes()).toEqual({
			errcode: 0,
			errmsg: 'ok',
			condition_field: [],
			auth_user_field: expect.arrayContaining(['userid', 'name', 'avatar', 'mobile', 'email']),
			auth_org_scopes: { authed_dept: [1], authed_user: [] },
		});
		await patchSettings({ contactsScope: [5, 3], contactsPermission: 'noNames' });
		const narrowed = await scopes();
		expect(narrowed.auth_org_scopes).toEqual({ authed_dept: [5, 3], authed_user: [] });
		expect(narrowed.auth_user_field).toContain('userid');
		expect(narrowed.auth_user_field).not.toContain('name');
		expect(narrowed.auth_user_field).not.toContain('mobile');
		await patchSettings({ contactsPermission: 'none' });
		expect(await scopes()).toMatchObject({ errcode: 0, auth_user_field: [] });
		// Bad values are refused by the control API and change nothing.
		const bad = await ctx.client.control('/settings', {
			method: 'PATCH',
			body: { dingtalk: { contactsScope: [] } },
		});
		expect(bad.status).toBe(400);
		expect((await ctx.client.control('/settings')).body.dingtalk.contactsScope).toEqual([5, 3]);
	});

	test("'none': every contacts call is refused with 88 / sub_code 60011 naming the endpoint's permission", async () => {
		await patchSettings({ contactsPermission: 'none' });
		const calls = [
			['/topapi/v2/department/listsub', {}, 'qyapi_get_department_list'],
			['/topapi/v2/department/listsubid', { dept_id: 1 }, 'qyapi_get_department_list'],
			['/topapi/v2/department/get', { dept_id: 1 }, 'qyapi_get_department_list'],
			['/topapi/v2/department/listparentbydept', { dept_id: 5 }, 'qyapi_get_department_list'],
			[
				'/topapi/v2/department/listparentbyuser',
				{ userid: 'user001' },
				'qyapi_get_department_list',
			],
			['/topapi/v2/user/get', { userid: 'user001' }, 'qyapi_get_member'],
			['/topapi/user/listid', { dept_id: 21 }, 'qyapi_get_member'],
			['/topapi/v2/user/list', { dept_id: 21, cursor: 0, size: 10 }, 'qyapi_get_department_member'],
			['/topapi/v2/user/getbymobile', { mobile: '13800000001' }, 'qyapi_get_member_by_mobile'],
			['/topapi/user/getbyunionid', { unionid: 'emuunion0001' }, 'qyapi_get_member'],
			['/topapi/user/count', { only_active: true }, 'qyapi_get_member'],
		];
		for (const [path, body, permission] of calls) {
			const answer = await post(/** @type {string} */ (path), body);
			const subMsg = `应用尚未开通所需的权限：[${permission}]，点击链接申请并开通即可：https://open-dev.dingtalk.com/appscope/apply?content=dingemuappkey0001%23${permission}, {requiredScopes=[${permission}]}`;
			expect({ path, answer }).toEqual({
				path,
				answer: {
					errcode: 88,
					sub_code: '60011',
					sub_msg: subMsg,
					errmsg: `ding talk error[subcode=60011,submsg=${subMsg}]`,
					request_id: REQUEST_ID,
				},
			});
		}
		// The permission is checked before the parameters.
		expect((await post('/topapi/user/count', {})).errcode).toBe(88);
		await patchSettings({ contactsPermission: 'full' });
		expect((await post('/topapi/user/count', { only_active: true })).errcode).toBe(0);
	});

	test("'noNames': user objects leave out the name and the personal fields; ids, departments and look-ups remain", async () => {
		await patchSettings({ contactsPermission: 'noNames' });
		const personal = ['name', 'avatar', 'mobile', 'state_code', 'hide_mobile', 'email'];
		const user = (await post('/topapi/v2/user/get', { userid: 'manager02' })).result;
		for (const key of personal) expect(user).not.toHaveProperty(key);
		expect(user).toMatchObject({
			userid: 'manager02',
			unionid: 'emuunion9003',
			title: '销售总监',
			job_number: 'E9003',
			dept_id_list: [5],
			leader_in_dept: [{ dept_id: 5, leader: true }],
			manager_userid: 'boss01',
		});
		const { list } = (await post('/topapi/v2/user/list', { dept_id: 51, cursor: 0, size: 100 }))
			.result;
		expect(list).toHaveLength(32);
		for (const item of list) {
			for (const key of personal) expect(item).not.toHaveProperty(key);
			expect(item.userid).toMatch(/^user\d{3}$/);
		}
		expect((await post('/topapi/v2/department/get', { dept_id: 51 })).result.name).toBe('华东大区');
		expect((await post('/topapi/v2/user/getbymobile', { mobile: '13800000001' })).result).toEqual({
			userid: 'user001',
		});
	});

	test('contactsScope [5]: outside departments 50004, outside users 50002; unscoped endpoints still answer', async () => {
		await patchSettings({ contactsScope: [5] });
		const OUT_DEPT = { errcode: 50004, errmsg: '请求的部门id不在授权范围内' };
		const OUT_USER = { errcode: 50002, errmsg: '企业员工不在授权范围' };
		// The root is an ancestor of the scope, not inside it: start from auth/scopes' authed_dept.
		expect(await post('/topapi/v2/department/listsub', {})).toMatchObject(OUT_DEPT);
		expect((await post('/topapi/v2/department/listsub', { dept_id: 5 })).result).toHaveLength(2);
		expect((await post('/topapi/v2/department/listsub', { dept_id: 51 })).result).toEqual([
			expect.objectContaining({ dept_id: 511 }),
		]);
		expect(await post('/topapi/v2/department/get', { dept_id: 2 })).toMatchObject(OUT_DEPT);
		expect((await post('/topapi/v2/department/get', { dept_id: 511 })).errcode).toBe(0);
		expect(await post('/topapi/v2/user/list', { dept_id: 21, cursor: 0, size: 10 })).toMatchObject(
			OUT_DEPT,
		);
		expect(
			(await post('/topapi/v2/user/list', { dept_id: 52, cursor: 0, size: 100 })).result.list,
		).toHaveLength(32);
		expect(await post('/topapi/v2/user/get', { userid: 'user001' })).toMatchObject(OUT_USER);
		expect((await post('/topapi/v2/user/get', { userid: 'user007' })).result.dept_id_list).toEqual([
			51,
		]);
		expect(await post('/topapi/user/getbyunionid', { unionid: 'emuunion0001' })).toMatchObject(
			OUT_USER,
		);
		expect(await post('/topapi/v2/user/getbymobile', { mobile: '13800000001' })).toMatchObject(
			OUT_USER,
		);
		// Unknown still comes first.
		expect(await post('/topapi/v2/department/get', { dept_id: 999 })).toMatchObject(DEPT_NOT_FOUND);
		// Not limited by the scope (their pages say so).
		expect(
			(await post('/topapi/v2/department/listsubid', { dept_id: 1 })).result.dept_id_list,
		).toEqual([2, 3, 4, 5, 6]);
		expect((await post('/topapi/user/listid', { dept_id: 21 })).result.userid_list).toHaveLength(
			33,
		);
		expect((await post('/topapi/v2/department/listparentbydept', { dept_id: 22 })).errcode).toBe(0);
		expect(
			(await post('/topapi/v2/department/listparentbyuser', { userid: 'user001' })).errcode,
		).toBe(0);
		expect((await post('/topapi/user/count', { only_active: false })).result.count).toBe(325);
	});

	test('contactsScope: a user in several departments is visible when one of them is', async () => {
		await patchSettings({ contactsScope: [3] });
		expect((await post('/topapi/v2/user/get', { userid: 'multi01' })).result.dept_id_list).toEqual([
			21, 3,
		]);
		expect(await post('/topapi/v2/user/get', { userid: 'manager01' })).toMatchObject({
			errcode: 50002,
		});
	});

	test('token problems answer before anything else (topapi wrapper; auth/scopes bare codes)', async () => {
		const noToken = await ctx.client.oapi('/topapi/v2/user/get', { body: { userid: 'user001' } });
		expect(noToken.body).toMatchObject({ errcode: 88, sub_code: '40000' });
		const badToken = await ctx.client.oapi('/topapi/user/count', {
			query: { access_token: 'nope' },
			body: { only_active: true },
		});
		expect(badToken.body).toMatchObject({ errcode: 88, sub_code: '40014' });
		const scopesWithout = await ctx.client.oapi('/auth/scopes');
		expect(scopesWithout.body).toEqual({ errcode: 41001, errmsg: '缺少access_token参数' });
	});
});

describe('a large seed (20 000 users in 300 departments)', () => {
	const SEED = { dingtalkUserCount: 20_000, dingtalkDepartmentCount: 300 };
	const big = useEmulator({ seed: SEED });

	test('builds in well under a second, deterministically, nested up to five levels below the root', () => {
		const started = performance.now();
		const org = createDingTalkOrg(SEED);
		expect(performance.now() - started).toBeLessThan(1000);
		expect(org.departments).toHaveLength(300);
		expect(org.users).toHaveLength(20_005);
		expect(JSON.stringify(createDingTalkOrg(SEED).departments)).toBe(
			JSON.stringify(org.departments),
		);
		const byId = new Map(org.departments.map((dept) => [dept.dept_id, dept]));
		const depth = (/** @type {number} */ id) => {
			let levels = 0;
			for (let dept = byId.get(id); dept?.parent_id; dept = byId.get(dept.parent_id)) levels += 1;
			return levels;
		};
		const depths = org.departments.map((dept) => depth(dept.dept_id));
		expect(Math.max(...depths)).toBe(5);
		expect(
			org.departments
				.slice(13)
				.every((dept) => dept.parent_id !== 1 && byId.has(dept.parent_id ?? 0)),
		).toBe(true);
		expect(byId.get(1001)).toMatchObject({
			parent_id: 2,
			name: '研发部 一区',
			name_en: 'R&D Area 1',
		});
		const deep = org.departments.find((dept) => depth(dept.dept_id) === 5);
		expect(deep?.name.split(' ').length).toBeGreaterThanOrEqual(3);
		// Every 10th numbered user belongs to a second department; every 47th is inactive.
		const user100 = org.users.find((user) => user.userid === 'user100');
		expect(user100?.dept_id_list).toHaveLength(2);
		expect(org.users.filter((user) => user.active === false)).toHaveLength(Math.floor(20_000 / 47));
		expect(new Set(org.users.map((user) => user.mobile)).size).toBe(20_005);
		expect(new Set(org.users.map((user) => user.unionid)).size).toBe(20_005);
	});

	test('a listsub BFS plus user/list paging reaches every user, with sum(ceil(members/100)) list calls', async () => {
		const token = await big.client.dingtalkToken();
		const call = async (/** @type {string} */ path, /** @type {unknown} */ body) => {
			const started = performance.now();
			const answer = (await big.client.oapi(path, { query: { access_token: token }, body })).body;
			slowest = Math.max(slowest, performance.now() - started);
			expect(answer.errcode).toBe(0);
			return answer.result;
		};
		let slowest = 0;
		/** @type {number[]} */
		const departments = [];
		const queue = [1];
		while (queue.length) {
			const deptId = /** @type {number} */ (queue.shift());
			departments.push(deptId);
			for (const child of await call('/topapi/v2/department/listsub', { dept_id: deptId }))
				queue.push(child.dept_id);
		}
		expect(departments).toHaveLength(300);

		/** @type {Set<string>} */
		const reached = new Set();
		let listCalls = 0;
		let expectedCalls = 0;
		let paged = 0;
		for (const deptId of departments) {
			const { owning_member_count: members } = await call('/topapi/v2/department/get', {
				dept_id: deptId,
			});
			expectedCalls += Math.max(1, Math.ceil(members / 100));
			if (members > 100) paged += 1;
			/** @type {string[]} */
			const inDept = [];
			for (let cursor = 0; ; ) {
				const page = await call('/topapi/v2/user/list', { dept_id: deptId, cursor, size: 100 });
				listCalls += 1;
				inDept.push(...page.list.map((/** @type {any} */ user) => user.userid));
				if (!page.has_more) break;
				cursor = page.next_cursor;
			}
			expect(new Set(inDept).size).toBe(members);
			expect(inDept).toHaveLength(members);
			for (const userid of inDept) reached.add(userid);
		}
		expect(paged).toBeGreaterThan(0);
		expect(listCalls).toBe(expectedCalls);
		expect(reached.size).toBe(20_005);
		const all = await call('/topapi/user/count', { only_active: false });
		expect(all.count).toBe(reached.size);
		expect((await call('/topapi/user/count', { only_active: true })).count).toBe(
			20_005 - Math.floor(20_000 / 47),
		);
		// Every answer is quick on this org (look-ups are indexed, nothing scans 20 000 users).
		expect(slowest).toBeLessThan(500);
	}, 60_000);

	test('look-ups by id, mobile and unionid, and subtree counts, on the large org', async () => {
		const token = await big.client.dingtalkToken();
		const post = async (/** @type {string} */ path, /** @type {unknown} */ body) =>
			(await big.client.oapi(path, { query: { access_token: token }, body })).body;
		const user = (await post('/topapi/v2/user/get', { userid: 'user19999' })).result;
		expect(user.userid).toBe('user19999');
		expect((await post('/topapi/v2/user/getbymobile', { mobile: user.mobile })).result).toEqual({
			userid: 'user19999',
		});
		expect((await post('/topapi/user/getbyunionid', { unionid: user.unionid })).result.userid).toBe(
			'user19999',
		);
		// Numbered users from 9001 on do not reuse the named users' serials (9001…9005).
		expect(
			(await post('/topapi/user/getbyunionid', { unionid: 'emuunion9001' })).result.userid,
		).toBe('boss01');
		expect((await post('/topapi/v2/user/getbymobile', { mobile: '13800009003' })).result).toEqual({
			userid: 'manager02',
		});
		const root = (await post('/topapi/v2/department/get', { dept_id: 1 })).result;
		expect(root.member_count).toBe(20_005);
		const chain = (
			await post('/topapi/v2/department/listparentbydept', { dept_id: user.dept_id_list[0] })
		).result.parent_id_list;
		expect(chain.at(-1)).toBe(1);
		expect(chain[0]).toBe(user.dept_id_list[0]);
	});
});
