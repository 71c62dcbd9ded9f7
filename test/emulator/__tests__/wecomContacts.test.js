// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');
const { createWeComWorld, MAIN_CORP } = require('../wecom/seed');

/** @typedef {ReturnType<typeof useEmulator>} Context */

const DEFAULT_DEPARTMENTS = [1, 2, 3, 31, 32, 4];
const hintTail = (/** @type {number} */ code) =>
	new RegExp(
		`, hint: \\[[^\\]]+\\], from ip: [^,]+, more info at https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e=${code}$`,
	);
/** The whole errmsg: base text and the live tail. */
const errmsg = (/** @type {string} */ base, /** @type {number} */ code) =>
	expect.stringMatching(
		new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${hintTail(code).source}`),
	);

/** Calls with the primary app's token (fetched once per test, after the reset). */
function callsFor(/** @type {Context} */ ctx) {
	const state = { token: '' };
	beforeEach(async () => {
		state.token = await ctx.client.wecomToken();
	});
	return {
		get: (/** @type {string} */ path, /** @type {Record<string, string | number>} */ query = {}) =>
			ctx.client.wecom(path, { query: { access_token: state.token, ...query } }),
		post: (/** @type {string} */ path, /** @type {unknown} */ body) =>
			ctx.client.wecom(path, { query: { access_token: state.token }, body }),
		/** PATCH /__emulator/settings, as an e2e test in another process would. */
		async settings(/** @type {Record<string, unknown>} */ wecom) {
			const answer = await ctx.client.control('/settings', { method: 'PATCH', body: { wecom } });
			expect(answer.status).toBe(200);
			return answer.body;
		},
	};
}

/** Every user × department row of the main corp, from the state (the oracle for list_id). */
const stateRows = (/** @type {import('../wecom/seed').WeComWorld} */ world) =>
	world.users
		.filter((user) => user.corpId === MAIN_CORP)
		.flatMap((user) => user.department.map((department) => `${user.userid}@${department}`));

/** Walks user/list_id to the end; returns the rows and the number of calls. */
async function walkListId(
	/** @type {ReturnType<typeof callsFor>} */ api,
	/** @type {number | undefined} */ limit,
) {
	const rows = [];
	let cursor;
	let calls = 0;
	do {
		const { body } = await api.post('/cgi-bin/user/list_id', {
			...(cursor ? { cursor } : {}),
			...(limit === undefined ? {} : { limit }),
		});
		calls++;
		expect(body).toEqual({
			errcode: 0,
			errmsg: 'ok',
			next_cursor: expect.any(String),
			dept_user: expect.any(Array),
		});
		if (limit !== undefined) expect(body.dept_user.length).toBeLessThanOrEqual(limit);
		rows.push(...body.dept_user);
		cursor = body.next_cursor;
		if (calls > 100_000) throw new Error('list_id does not end');
	} while (cursor);
	return { rows, calls };
}

describe('default seed', () => {
	const ctx = useEmulator();
	const api = callsFor(ctx);

	describe('seed', () => {
		test('stays as documented: 6 departments, 8 named + 30 numbered users, 4 tags; two numbered users are not active', () => {
			const world = ctx.emu.state.wecom;
			const main = (/** @type {{ corpId: string }} */ item) => item.corpId === MAIN_CORP;
			expect(world.departments.filter(main).map((dept) => dept.id)).toEqual(DEFAULT_DEPARTMENTS);
			const users = world.users.filter(main);
			expect(users).toHaveLength(38);
			expect(users.slice(0, 8).map((user) => user.userid)).toEqual([
				'ZhangSan',
				'LiSi',
				'WangWu',
				'ZhaoLiu',
				'SunQi',
				'ZhouBa',
				'NoLicense01',
				'NoLicense02',
			]);
			expect(users.slice(8).map((user) => user.userid)).toEqual(
				Array.from({ length: 30 }, (_, i) => `user${String(i + 1).padStart(2, '0')}`),
			);
			expect(users.filter((user) => user.department.length !== 1).map((u) => u.userid)).toEqual([
				'ZhouBa',
			]);
			expect(users.filter((user) => user.status !== 1).map((u) => [u.userid, u.status])).toEqual([
				['user29', 4],
				['user30', 2],
			]);
			expect(world.tags.filter(main).map((tag) => tag.tagid)).toEqual([1, 2, 3, 4]);
		});
	});

	describe('departments', () => {
		test('department/list without id: the whole corp, parents first, every field', async () => {
			const { body } = await api.get('/cgi-bin/department/list');
			expect(body.errcode).toBe(0);
			expect(body.errmsg).toBe('ok');
			expect(body.department.map((/** @type {any} */ dept) => dept.id)).toEqual(
				DEFAULT_DEPARTMENTS,
			);
			expect(body.department[0]).toEqual({
				id: 1,
				name: '企业微信模拟有限公司',
				name_en: 'Emulated WeCom Co., Ltd.',
				department_leader: [],
				parentid: 0,
				order: 100000000,
			});
			expect(body.department[1]).toEqual({
				id: 2,
				name: '产品部',
				name_en: 'Product',
				department_leader: ['ZhangSan'],
				parentid: 1,
				order: 99999000,
			});
		});

		test('department/list?id=: the department and its sub-departments (recursive)', async () => {
			const { body } = await api.get('/cgi-bin/department/list', { id: 3 });
			expect(body.department.map((/** @type {any} */ dept) => [dept.id, dept.parentid])).toEqual([
				[3, 1],
				[31, 3],
				[32, 3],
			]);
			expect((await api.get('/cgi-bin/department/list', { id: 32 })).body.department).toHaveLength(
				1,
			);
		});

		test('department/simplelist: {id, parentid, order} only, recursive, includes the id itself', async () => {
			const all = await api.get('/cgi-bin/department/simplelist');
			expect(all.body).toEqual({
				errcode: 0,
				errmsg: 'ok',
				department_id: [
					{ id: 1, parentid: 0, order: 100000000 },
					{ id: 2, parentid: 1, order: 99999000 },
					{ id: 3, parentid: 1, order: 99998000 },
					{ id: 31, parentid: 3, order: 99997000 },
					{ id: 32, parentid: 3, order: 99996000 },
					{ id: 4, parentid: 1, order: 99995000 },
				],
			});
			const sub = await api.get('/cgi-bin/department/simplelist', { id: 3 });
			expect(sub.body.department_id.map((/** @type {any} */ dept) => dept.id)).toEqual([3, 31, 32]);
		});

		test('department/get?id=: one department', async () => {
			const { body } = await api.get('/cgi-bin/department/get', { id: 3 });
			expect(body).toEqual({
				errcode: 0,
				errmsg: 'ok',
				department: {
					id: 3,
					name: '技术部',
					name_en: 'Engineering',
					department_leader: ['LiSi'],
					parentid: 1,
					order: 99998000,
				},
			});
		});

		test('unknown, missing or malformed department id → 60123', async () => {
			const answers = await Promise.all([
				api.get('/cgi-bin/department/list', { id: 999 }),
				api.get('/cgi-bin/department/simplelist', { id: 'abc' }),
				api.get('/cgi-bin/department/get', { id: 999 }),
				api.get('/cgi-bin/department/get'),
				api.get('/cgi-bin/department/get', { id: '-3' }),
			]);
			for (const { status, body } of answers) {
				expect(status).toBe(200);
				expect(body).toEqual({ errcode: 60123, errmsg: errmsg('invalid party id', 60123) });
			}
		});
	});

	describe('members', () => {
		test('user/get: the full member object, userid matched case-insensitively, canonical id back', async () => {
			const { body } = await api.get('/cgi-bin/user/get', { userid: 'zhouba' });
			expect(body).toEqual({
				errcode: 0,
				errmsg: 'ok',
				userid: 'ZhouBa',
				name: '周八',
				department: [31, 4],
				order: [0, 0],
				position: '平台工程师兼运营',
				mobile: '13700000006',
				gender: '2',
				email: 'zhouba@wecom.emu.example.com',
				biz_mail: 'zhouba@emucorp.wecom.work',
				is_leader_in_dept: [0, 0],
				direct_leader: ['LiSi', 'ZhangSan'],
				avatar: 'https://wework.qpic.cn/wwpic/emu0006/0',
				thumb_avatar: 'https://wework.qpic.cn/wwpic/emu0006/100',
				telephone: '020-88880006',
				alias: 'Zhou Ba',
				address: '广州市海珠区模拟路6号',
				main_department: 31,
				extattr: { attrs: [] },
				status: 1,
				qr_code: 'https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=emu0006',
				external_position: '',
				external_profile: {
					external_corp_name: '',
					wechat_channels: { nickname: '', status: 0 },
					external_attr: [],
				},
			});
			const leader = (await api.get('/cgi-bin/user/get', { userid: 'LISI' })).body;
			expect(leader).toMatchObject({ userid: 'LiSi', gender: '2', is_leader_in_dept: [1] });
			expect((await api.get('/cgi-bin/user/get', { userid: 'user30' })).body.status).toBe(2);
		});

		test('user/get: unknown or missing userid → 60111 with the empty lists the live server adds', async () => {
			for (const query of /** @type {Record<string, string>[]} */ ([
				{ userid: 'ghost' },
				{},
				{ userid: ' ' },
			])) {
				const { body } = await api.get('/cgi-bin/user/get', query);
				expect(body).toEqual({
					errcode: 60111,
					errmsg: errmsg('userid not found', 60111),
					department: [],
					order: [],
					is_leader_in_dept: [],
				});
			}
		});

		test('user/simplelist: direct members only unless fetch_child=1, each once, seed order', async () => {
			const world = ctx.emu.state.wecom;
			const inAny = (/** @type {number[]} */ ids) =>
				world.users
					.filter(
						(user) => user.corpId === MAIN_CORP && user.department.some((id) => ids.includes(id)),
					)
					.map((user) => user.userid);

			const direct = await api.get('/cgi-bin/user/simplelist', { department_id: 31 });
			expect(direct.body.errcode).toBe(0);
			expect(direct.body.userlist.map((/** @type {any} */ user) => user.userid)).toEqual([
				'WangWu',
				'ZhouBa',
				'NoLicense02',
				'user03',
				'user08',
				'user13',
				'user18',
				'user23',
				'user28',
			]);
			expect(direct.body.userlist[1]).toEqual({
				userid: 'ZhouBa',
				name: '周八',
				department: [31, 4],
			});

			const notRecursive = await api.get('/cgi-bin/user/simplelist', {
				department_id: 3,
				fetch_child: 0,
			});
			expect(notRecursive.body.userlist.map((/** @type {any} */ user) => user.userid)).toEqual(
				inAny([3]),
			);
			const recursive = await api.get('/cgi-bin/user/simplelist', {
				department_id: 3,
				fetch_child: 1,
			});
			expect(recursive.body.userlist.map((/** @type {any} */ user) => user.userid)).toEqual(
				inAny([3, 31, 32]),
			);
			const everyone = await api.get('/cgi-bin/user/simplelist', {
				department_id: 1,
				fetch_child: 1,
			});
			expect(everyone.body.userlist).toHaveLength(38);
			expect(
				(await api.get('/cgi-bin/user/simplelist', { department_id: 1 })).body.userlist,
			).toEqual([]);
		});

		test('user/list: full member objects, equal to user/get of each', async () => {
			const { body } = await api.get('/cgi-bin/user/list', { department_id: 4 });
			expect(body.errcode).toBe(0);
			expect(body.userlist.map((/** @type {any} */ user) => user.userid)).toEqual([
				'SunQi',
				'ZhouBa',
				'NoLicense01',
				'user05',
				'user10',
				'user15',
				'user20',
				'user25',
				'user30',
			]);
			for (const member of body.userlist.slice(0, 3)) {
				const single = await api.get('/cgi-bin/user/get', { userid: member.userid });
				const { errcode, errmsg: ok, ...fields } = single.body;
				expect(member).toEqual(fields);
			}
			const recursive = await api.get('/cgi-bin/user/list', { department_id: 3, fetch_child: 1 });
			expect(recursive.body.userlist.every((/** @type {any} */ user) => 'mobile' in user)).toBe(
				true,
			);
		});

		test('user/simplelist and user/list: unknown or missing department_id → 60123 (simplelist adds userlist: [])', async () => {
			const simple = await api.get('/cgi-bin/user/simplelist', { department_id: 999 });
			expect(simple.body).toEqual({
				errcode: 60123,
				errmsg: errmsg('invalid party id', 60123),
				userlist: [],
			});
			expect((await api.get('/cgi-bin/user/simplelist')).body.errcode).toBe(60123);
			expect((await api.get('/cgi-bin/user/list')).body).toEqual({
				errcode: 60123,
				errmsg: errmsg('invalid party id', 60123),
			});
		});
	});

	describe('user/list_id', () => {
		test('cursor paging covers every user × department row exactly once', async () => {
			const expected = stateRows(ctx.emu.state.wecom);
			expect(expected).toHaveLength(39); // 38 users, ZhouBa in two departments
			const { rows, calls } = await walkListId(api, 7);
			expect(calls).toBe(Math.ceil(expected.length / 7));
			const seen = rows.map((row) => `${row.userid}@${row.department}`);
			expect(new Set(seen).size).toBe(seen.length);
			expect(seen.sort()).toEqual([...expected].sort());
			expect(rows[0]).toEqual({ userid: 'ZhangSan', department: 2 });
		});

		test('without a body or a limit: one page with everything and an empty next_cursor; limit 1 pages one row at a time', async () => {
			const all = await api.post('/cgi-bin/user/list_id', {});
			expect(all.body.next_cursor).toBe('');
			expect(all.body.dept_user).toHaveLength(39);
			const bare = await ctx.client.wecom('/cgi-bin/user/list_id', {
				method: 'POST',
				query: { access_token: await ctx.client.wecomToken() },
			});
			expect(bare.body.dept_user).toHaveLength(39);
			const first = await api.post('/cgi-bin/user/list_id', { limit: 1 });
			expect(first.body.dept_user).toEqual([{ userid: 'ZhangSan', department: 2 }]);
			const second = await api.post('/cgi-bin/user/list_id', {
				cursor: first.body.next_cursor,
				limit: 1,
			});
			expect(second.body.dept_user).toEqual([{ userid: 'LiSi', department: 3 }]);
			const exact = await api.post('/cgi-bin/user/list_id', { limit: 39 });
			expect(exact.body.next_cursor).toBe('');
			const full = await api.post('/cgi-bin/user/list_id', { limit: 10000 });
			expect(full.body.dept_user).toHaveLength(39);
		});

		test('limit outside 1..10000 or not an integer, a forged or foreign cursor → 40035', async () => {
			const first = await api.post('/cgi-bin/user/list_id', { limit: 5 });
			const tampered = Buffer.from(
				Buffer.from(first.body.next_cursor, 'base64url').toString().replace(/^5:/, '6:'),
			).toString('base64url');
			for (const body of [
				{ limit: 0 },
				{ limit: 10001 },
				{ limit: -1 },
				{ limit: 2.5 },
				{ limit: '100' },
				{ cursor: 'abc' },
				{ cursor: tampered },
				{ cursor: 12 },
			]) {
				const { body: answer } = await api.post('/cgi-bin/user/list_id', body);
				expect(answer.errcode).toBe(40035);
				expect(answer.errmsg).toMatch(/^invalid parameter, (limit|invalid cursor)/);
			}
		});
	});

	describe('user ids by mobile and e-mail', () => {
		test('getuserid: the member with that mobile (spaces, dashes, +86 ignored)', async () => {
			for (const mobile of [
				'13700000001',
				'+86 137 0000 0001',
				'137-0000-0001',
				'+8613700000001',
			]) {
				const { body } = await api.post('/cgi-bin/user/getuserid', { mobile });
				expect(body).toEqual({ errcode: 0, errmsg: 'ok', userid: 'ZhangSan' });
			}
			expect(
				(await api.post('/cgi-bin/user/getuserid', { mobile: '13700000038' })).body.userid,
			).toBe('user30');
		});

		test('getuserid: a mobile that matches nobody → 46004; malformed or missing → 60103', async () => {
			expect((await api.post('/cgi-bin/user/getuserid', { mobile: '13999999999' })).body).toEqual({
				errcode: 46004,
				errmsg: errmsg('user no exist', 46004),
			});
			for (const body of [
				{},
				{ mobile: '' },
				{ mobile: 'abc' },
				{ mobile: '1234' },
				{ mobile: '1'.repeat(33) },
			]) {
				const answer = await api.post('/cgi-bin/user/getuserid', body);
				expect(answer.body).toEqual({ errcode: 60103, errmsg: errmsg('mobile invalid', 60103) });
			}
		});

		test('get_userid_by_email: email_type 1 (default) = corp mailbox, 2 = own e-mail, case-insensitive', async () => {
			const byEmail = async (/** @type {Record<string, unknown>} */ body) =>
				(await api.post('/cgi-bin/user/get_userid_by_email', body)).body;
			expect(await byEmail({ email: 'zhangsan@emucorp.wecom.work' })).toEqual({
				errcode: 0,
				errmsg: 'ok',
				userid: 'ZhangSan',
			});
			expect((await byEmail({ email: 'LiSi@EmuCorp.WeCom.Work', email_type: 1 })).userid).toBe(
				'LiSi',
			);
			expect((await byEmail({ email: 'lisi@wecom.emu.example.com', email_type: 2 })).userid).toBe(
				'LiSi',
			);
			// The other kind of mailbox, or another domain: nobody.
			for (const body of [
				{ email: 'lisi@wecom.emu.example.com' },
				{ email: 'lisi@emucorp.wecom.work', email_type: 2 },
				{ email: 'lisi@other.example.org', email_type: 1 },
			])
				expect(await byEmail(body)).toEqual({
					errcode: 46004,
					errmsg: errmsg('user no exist', 46004),
				});
			for (const body of [{}, { email: 'not-an-email' }, { email: `${'a'.repeat(60)}@b.cn` }])
				expect(await byEmail(body)).toEqual({
					errcode: 60105,
					errmsg: errmsg('email invalid', 60105),
				});
			expect((await byEmail({ email: 'lisi@emucorp.wecom.work', email_type: 3 })).errcode).toBe(
				40035,
			);
		});
	});

	describe('tags', () => {
		test('tag/list: every tag of the corp', async () => {
			expect((await api.get('/cgi-bin/tag/list')).body).toEqual({
				errcode: 0,
				errmsg: 'ok',
				taglist: [
					{ tagid: 1, tagname: '经理 Managers' },
					{ tagid: 2, tagname: '平台值班 Platform on-call' },
					{ tagid: 3, tagname: '无证用户 Unlicensed' },
					{ tagid: 4, tagname: '空标签 Empty' },
				],
			});
		});

		test("tag/get: the tag's members and departments", async () => {
			expect((await api.get('/cgi-bin/tag/get', { tagid: 1 })).body).toEqual({
				errcode: 0,
				errmsg: 'ok',
				tagname: '经理 Managers',
				userlist: [
					{ userid: 'ZhangSan', name: '张三' },
					{ userid: 'LiSi', name: '李四' },
				],
				partylist: [],
			});
			expect((await api.get('/cgi-bin/tag/get', { tagid: 2 })).body).toMatchObject({
				userlist: [{ userid: 'SunQi', name: '孙七' }],
				partylist: [31],
			});
			expect((await api.get('/cgi-bin/tag/get', { tagid: 4 })).body).toMatchObject({
				tagname: '空标签 Empty',
				userlist: [],
				partylist: [],
			});
		});

		test('tag/get: unknown, missing or malformed tagid → 40068 with empty lists', async () => {
			for (const query of /** @type {Record<string, string | number>[]} */ ([
				{ tagid: 99 },
				{},
				{ tagid: 'x' },
			])) {
				expect((await api.get('/cgi-bin/tag/get', query)).body).toEqual({
					errcode: 40068,
					errmsg: errmsg('invalid tagid', 40068),
					userlist: [],
					partylist: [],
				});
			}
		});
	});

	describe('records added through the control API', () => {
		test('a department, a member and a tag added after the first reads are seen at once', async () => {
			expect((await api.get('/cgi-bin/department/list', { id: 31 })).body.department).toHaveLength(
				1,
			);
			const dept = await ctx.client.control('/seed/wecom/departments', {
				body: { id: 311, parentid: 31, name: '平台一组', name_en: 'Platform 1' },
			});
			expect(dept.status).toBe(200);
			const user = await ctx.client.control('/seed/wecom/users', {
				body: { userid: 'NewHire', name: '新人', department: [311], mobile: '13900000001' },
			});
			expect(user.status).toBe(200);
			await ctx.client.control('/seed/wecom/tags', {
				body: { tagid: 9, tagname: '新人 New', userlist: ['newhire'], partylist: [311] },
			});

			expect(
				(await api.get('/cgi-bin/department/list', { id: 31 })).body.department.map(
					(/** @type {any} */ item) => item.id,
				),
			).toEqual([31, 311]);
			const members = await api.get('/cgi-bin/user/simplelist', {
				department_id: 3,
				fetch_child: 1,
			});
			expect(members.body.userlist.map((/** @type {any} */ item) => item.userid)).toContain(
				'NewHire',
			);
			expect((await api.get('/cgi-bin/user/get', { userid: 'newhire' })).body).toMatchObject({
				userid: 'NewHire',
				department: [311],
				main_department: 311,
			});
			expect(
				(await api.post('/cgi-bin/user/getuserid', { mobile: '13900000001' })).body.userid,
			).toBe('NewHire');
			expect((await api.get('/cgi-bin/tag/get', { tagid: 9 })).body).toMatchObject({
				userlist: [{ userid: 'NewHire', name: '新人' }],
				partylist: [311],
			});
			expect((await api.post('/cgi-bin/user/list_id', {})).body.dept_user).toContainEqual({
				userid: 'NewHire',
				department: 311,
			});
		});
	});

	describe('contactsPermission', () => {
		test("'noNames': private fields left out, names replaced by ids, name_en and tag member names dropped", async () => {
			expect(await api.settings({ contactsPermission: 'noNames' })).toMatchObject({
				wecom: { contactsPermission: 'noNames' },
			});
			const { body: member } = await api.get('/cgi-bin/user/get', { userid: 'ZhangSan' });
			expect(member).toMatchObject({
				errcode: 0,
				userid: 'ZhangSan',
				name: 'ZhangSan',
				department: [2],
				position: '产品总监',
				telephone: '020-88880001',
				alias: 'Zhang San',
				main_department: 2,
				status: 1,
			});
			for (const field of [
				'avatar',
				'thumb_avatar',
				'gender',
				'mobile',
				'email',
				'biz_mail',
				'qr_code',
				'address',
			])
				expect(member).not.toHaveProperty(field);

			const { body: list } = await api.get('/cgi-bin/user/list', { department_id: 2 });
			expect(list.userlist.every((/** @type {any} */ user) => user.name === user.userid)).toBe(
				true,
			);
			expect(list.userlist.some((/** @type {any} */ user) => 'mobile' in user)).toBe(false);
			const { body: simple } = await api.get('/cgi-bin/user/simplelist', { department_id: 2 });
			expect(simple.userlist[0]).toEqual({ userid: 'ZhangSan', name: 'ZhangSan', department: [2] });

			expect((await api.get('/cgi-bin/department/get', { id: 2 })).body.department).toEqual({
				id: 2,
				name: '2',
				department_leader: ['ZhangSan'],
				parentid: 1,
				order: 99999000,
			});
			const { body: departments } = await api.get('/cgi-bin/department/list');
			expect(departments.department.map((/** @type {any} */ dept) => dept.name)).toEqual(
				DEFAULT_DEPARTMENTS.map(String),
			);
			expect((await api.get('/cgi-bin/tag/get', { tagid: 1 })).body).toMatchObject({
				tagname: '经理 Managers',
				userlist: [{ userid: 'ZhangSan' }, { userid: 'LiSi' }],
			});
			expect((await api.get('/cgi-bin/tag/get', { tagid: 1 })).body.userlist[0]).toEqual({
				userid: 'ZhangSan',
			});
			// Id reads are unchanged.
			expect((await api.post('/cgi-bin/user/list_id', {})).body.dept_user).toHaveLength(39);
			expect(
				(await api.post('/cgi-bin/user/getuserid', { mobile: '13700000002' })).body.userid,
			).toBe('LiSi');

			await api.settings({ contactsPermission: 'full' });
			expect((await api.get('/cgi-bin/user/get', { userid: 'ZhangSan' })).body.mobile).toBe(
				'13700000001',
			);
		});

		test("'none': 48002 for calls that name nothing, 60011 for calls that name a member, department or tag", async () => {
			await api.settings({ contactsPermission: 'none' });
			const forbidden = { errcode: 48002, errmsg: errmsg('api forbidden', 48002) };
			const noPrivilege = {
				errcode: 60011,
				errmsg: errmsg('no privilege to access/modify contact/party/agent', 60011),
			};
			expect((await api.get('/cgi-bin/department/list')).body).toEqual(forbidden);
			expect((await api.get('/cgi-bin/department/simplelist')).body).toEqual(forbidden);
			expect((await api.post('/cgi-bin/user/list_id', {})).body).toEqual(forbidden);
			expect((await api.get('/cgi-bin/tag/list')).body).toEqual(forbidden);

			expect((await api.get('/cgi-bin/department/list', { id: 1 })).body).toEqual(noPrivilege);
			expect((await api.get('/cgi-bin/department/simplelist', { id: 2 })).body).toEqual(
				noPrivilege,
			);
			expect((await api.get('/cgi-bin/department/get', { id: 2 })).body).toEqual(noPrivilege);
			expect((await api.get('/cgi-bin/user/list', { department_id: 2 })).body).toEqual(noPrivilege);
			expect((await api.get('/cgi-bin/user/get', { userid: 'ZhangSan' })).body).toEqual({
				...noPrivilege,
				department: [],
				order: [],
				is_leader_in_dept: [],
			});
			expect((await api.get('/cgi-bin/user/simplelist', { department_id: 2 })).body).toEqual({
				...noPrivilege,
				userlist: [],
			});
			expect((await api.get('/cgi-bin/tag/get', { tagid: 1 })).body).toEqual({
				...noPrivilege,
				userlist: [],
				partylist: [],
			});
			expect((await api.post('/cgi-bin/user/getuserid', { mobile: '13700000001' })).body).toEqual(
				noPrivilege,
			);
			expect(
				(await api.post('/cgi-bin/user/get_userid_by_email', { email: 'lisi@emucorp.wecom.work' }))
					.body,
			).toEqual(noPrivilege);
			// message/send is not a contacts read.
			const sent = await api.post('/cgi-bin/message/send', {
				agentid: 1000002,
				touser: 'ZhangSan',
				msgtype: 'text',
				text: { content: 'x' },
			});
			expect(sent.body.errcode).toBe(0);
		});

		test('48009 (contacts-sync secret from a new IP) is answered by an errcode fault, with its live wording', async () => {
			const added = await ctx.client.control('/faults', {
				body: { platform: 'wecom', path: '/cgi-bin/user/list_id', kind: 'errcode', errcode: 48009 },
			});
			expect(added.status).toBe(200);
			expect((await api.post('/cgi-bin/user/list_id', {})).body).toEqual({
				errcode: 48009,
				errmsg: errmsg('api forbidden for contact assistant', 48009),
			});
			expect((await api.post('/cgi-bin/user/list_id', {})).body.errcode).toBe(0);
		});
	});

	describe('contactsScope', () => {
		test('only the visible subtrees: others refused with 60011 and left out of lists', async () => {
			expect(await api.settings({ contactsScope: [3] })).toMatchObject({
				wecom: { contactsScope: [3] },
			});
			const noPrivilege = expect.objectContaining({ errcode: 60011 });

			expect(
				(await api.get('/cgi-bin/department/list')).body.department.map(
					(/** @type {any} */ dept) => dept.id,
				),
			).toEqual([3, 31, 32]);
			expect(
				(await api.get('/cgi-bin/department/simplelist')).body.department_id.map(
					(/** @type {any} */ dept) => dept.id,
				),
			).toEqual([3, 31, 32]);
			expect((await api.get('/cgi-bin/department/list', { id: 1 })).body).toEqual(noPrivilege);
			expect((await api.get('/cgi-bin/department/get', { id: 4 })).body).toEqual(noPrivilege);
			expect((await api.get('/cgi-bin/department/get', { id: 31 })).body.errcode).toBe(0);
			// Unknown stays unknown.
			expect((await api.get('/cgi-bin/department/get', { id: 999 })).body.errcode).toBe(60123);

			expect((await api.get('/cgi-bin/user/get', { userid: 'ZhangSan' })).body).toEqual(
				noPrivilege,
			);
			expect((await api.get('/cgi-bin/user/get', { userid: 'ghost' })).body.errcode).toBe(60111);
			// ZhouBa (31 and 4): only the visible department, its order and leader flag; main
			// department 31 is visible; ZhangSan (dept 2) is no longer among the direct leaders.
			expect((await api.get('/cgi-bin/user/get', { userid: 'ZhouBa' })).body).toMatchObject({
				department: [31],
				order: [0],
				is_leader_in_dept: [0],
				main_department: 31,
				direct_leader: ['LiSi'],
			});
			expect((await api.get('/cgi-bin/user/simplelist', { department_id: 2 })).body).toEqual(
				noPrivilege,
			);
			expect(
				(await api.get('/cgi-bin/user/simplelist', { department_id: 1, fetch_child: 1 })).body,
			).toEqual(noPrivilege);
			const visible = await api.get('/cgi-bin/user/list', { department_id: 3, fetch_child: 1 });
			expect(
				visible.body.userlist.every((/** @type {any} */ user) =>
					user.department.every((/** @type {number} */ id) => [3, 31, 32].includes(id)),
				),
			).toBe(true);

			const { rows } = await walkListId(api, 10);
			expect(rows.every((row) => [3, 31, 32].includes(row.department))).toBe(true);
			expect(rows).toContainEqual({ userid: 'ZhouBa', department: 31 });
			expect(rows).not.toContainEqual({ userid: 'ZhouBa', department: 4 });

			expect((await api.get('/cgi-bin/tag/get', { tagid: 1 })).body).toMatchObject({
				userlist: [{ userid: 'LiSi', name: '李四' }],
			});
			expect((await api.get('/cgi-bin/tag/get', { tagid: 2 })).body).toMatchObject({
				userlist: [],
				partylist: [31],
			});
			expect((await api.get('/cgi-bin/tag/list')).body.taglist).toHaveLength(4);
			expect((await api.post('/cgi-bin/user/getuserid', { mobile: '13700000001' })).body).toEqual(
				noPrivilege,
			);
			expect(
				(await api.post('/cgi-bin/user/getuserid', { mobile: '13700000002' })).body.userid,
			).toBe('LiSi');
		});

		test('main_department and direct leaders outside the scope are left out; back to [1] shows all', async () => {
			await api.settings({ contactsScope: [4] });
			const { body } = await api.get('/cgi-bin/user/get', { userid: 'ZhouBa' });
			expect(body).toMatchObject({ department: [4], direct_leader: [] });
			expect(body).not.toHaveProperty('main_department');
			await api.settings({ contactsScope: [2, 31] });
			expect(
				(await api.get('/cgi-bin/department/list')).body.department.map(
					(/** @type {any} */ dept) => dept.id,
				),
			).toEqual([2, 31]);
			await api.settings({ contactsScope: [1] });
			expect((await api.get('/cgi-bin/department/list')).body.department).toHaveLength(6);
		});
	});

	describe('transport', () => {
		test('token errors on these paths carry the same empty lists; another method is an unknown path', async () => {
			const missing = await ctx.client.wecom('/cgi-bin/user/get', { query: { userid: 'LiSi' } });
			expect(missing.body).toEqual({
				errcode: 41001,
				errmsg: errmsg('access_token missing', 41001),
				department: [],
				order: [],
				is_leader_in_dept: [],
			});
			const bad = await ctx.client.wecom('/cgi-bin/tag/get', {
				query: { access_token: 'nope', tagid: 1 },
			});
			expect(bad.body).toMatchObject({ errcode: 40014, userlist: [], partylist: [] });
			const list = await ctx.client.wecom('/cgi-bin/department/list', {
				query: { access_token: 'nope' },
			});
			expect(list.body).toEqual({ errcode: 40014, errmsg: errmsg('invalid access_token', 40014) });
			expect((await api.post('/cgi-bin/user/get', {})).status).toBe(404);
		});

		test('every call is recorded in the request log', async () => {
			await api.get('/cgi-bin/department/simplelist');
			const [entry] = ctx.emu.requests({ path: '/cgi-bin/department/simplelist' });
			expect(entry).toMatchObject({ platform: 'wecom', method: 'GET', status: 200 });
		});
	});
});

describe('large seed (20,000 users in 300 departments)', () => {
	const SEED = { wecomUserCount: 20_000, wecomDepartmentCount: 300 };
	const ctx = useEmulator({ seed: SEED });
	const api = callsFor(ctx);

	test('builds in well under a second, nested several levels, every 10th numbered user in two departments', () => {
		const started = process.hrtime.bigint();
		const world = createWeComWorld(SEED);
		expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
		const departments = world.departments.filter((dept) => dept.corpId === MAIN_CORP);
		expect(departments).toHaveLength(300);
		expect(departments.slice(0, 6).map((dept) => dept.id)).toEqual(DEFAULT_DEPARTMENTS);
		const byId = new Map(departments.map((dept) => [dept.id, dept]));
		const depth = (/** @type {number} */ id) => {
			let levels = 0;
			for (let at = byId.get(id); at && at.parentid !== 0; at = byId.get(at.parentid)) levels++;
			return levels;
		};
		expect(Math.max(...departments.map((dept) => depth(dept.id)))).toBeGreaterThanOrEqual(5);
		// Sibling names are unique (WeCom requires it) and readable in both languages.
		const names = departments.map((dept) => `${dept.parentid}/${dept.name}`);
		expect(new Set(names).size).toBe(names.length);
		expect(departments[6]).toMatchObject({
			id: 1001,
			parentid: 2,
			name: '北京分部1',
			name_en: 'Beijing Branch 1',
		});

		const users = world.users.filter((user) => user.corpId === MAIN_CORP);
		expect(users).toHaveLength(20_008);
		const numbered = users.slice(8);
		expect(
			numbered.filter((user) => user.department.length === 2).map((user) => user.userid),
		).toEqual(Array.from({ length: 2000 }, (_, i) => `user${(i + 1) * 10}`));
		expect(numbered.every((user) => user.department.every((id) => byId.has(id)))).toBe(true);
		expect(new Set(users.map((user) => user.mobile)).size).toBe(users.length);
		expect(users.every((user) => /^1\d{10}$/.test(user.mobile))).toBe(true);
	});

	test('user/list_id with limit 10000 reads every row in ceil(rows / 10000) calls', async () => {
		const expected = stateRows(ctx.emu.state.wecom);
		expect(expected).toHaveLength(20_000 + 2_000 + 9);
		const started = Date.now();
		const { rows, calls } = await walkListId(api, 10_000);
		expect(calls).toBe(Math.ceil(expected.length / 10_000));
		const seen = rows.map((row) => `${row.userid}@${row.department}`);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.sort()).toEqual([...expected].sort());
		expect(Date.now() - started).toBeLessThan(5000);
	}, 30_000);

	test('user/list per department reads every member in each of its departments', async () => {
		const { body } = await api.get('/cgi-bin/department/simplelist');
		expect(body.department_id).toHaveLength(300);
		/** @type {Map<string, number[]>} */
		const found = new Map();
		const started = Date.now();
		for (const { id } of body.department_id) {
			const answer = await api.get('/cgi-bin/user/list', { department_id: id });
			expect(answer.body.errcode).toBe(0);
			for (const user of answer.body.userlist) {
				expect(user.department).toContain(id);
				found.set(user.userid, [...(found.get(user.userid) ?? []), id]);
			}
		}
		expect(Date.now() - started).toBeLessThan(20_000);
		const users = ctx.emu.state.wecom.users.filter((user) => user.corpId === MAIN_CORP);
		expect(found.size).toBe(users.length);
		for (const user of users)
			expect(found.get(user.userid)?.sort()).toEqual([...user.department].sort());
	}, 60_000);

	test('whole-corp reads answer quickly', async () => {
		const started = Date.now();
		const departments = await api.get('/cgi-bin/department/list');
		expect(departments.body.department).toHaveLength(300);
		const everyone = await api.get('/cgi-bin/user/simplelist', {
			department_id: 1,
			fetch_child: 1,
		});
		expect(everyone.body.userlist).toHaveLength(20_008);
		expect((await api.get('/cgi-bin/user/get', { userid: 'USER20000' })).body.userid).toBe(
			'user20000',
		);
		expect((await api.post('/cgi-bin/user/getuserid', { mobile: '13700020008' })).body.userid).toBe(
			'user20000',
		);
		expect(Date.now() - started).toBeLessThan(5000);
	}, 30_000);
});
