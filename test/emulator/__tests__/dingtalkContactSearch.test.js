// @ts-check
'use strict';

const { useEmulator } = require('../support/testClient');

const ctx = useEmulator();
beforeEach(() => ctx.emu.settings.set({ dingtalk: { userSearch: 'allowed' } }));
const SEARCH = '/v1.0/contact/users/search';

async function search(/** @type {Record<string, unknown>} */ body) {
	const token = await ctx.client.dingtalkToken();
	return await ctx.client.api(SEARCH, { body, headers: { 'x-acs-dingtalk-access-token': token } });
}

describe('DingTalk /v1.0/contact/users/search', () => {
	test('refuses internal apps, as the doc page says (setting userSearch)', async () => {
		ctx.emu.settings.set({ dingtalk: { userSearch: 'internalApp' } });
		const refused = await search({ queryWord: '郑' });
		expect(refused.status).toBe(403);
		expect(refused.body.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
	});

	test('finds members by part of their name and answers userids with paging', async () => {
		const { status, body } = await search({ queryWord: '王', offset: 0, size: 5 });
		expect(status).toBe(200);
		const named = ctx.emu.state.dingtalk.users.filter((user) => user.name.includes('王'));
		expect(body).toEqual({
			hasMore: named.length > 5,
			totalCount: named.length,
			list: named.slice(0, 5).map((user) => user.userid),
		});
		const next = await search({ queryWord: '王', offset: 5, size: 5 });
		expect(next.body.list).toEqual(named.slice(5, 10).map((user) => user.userid));
	});

	test('matches the whole name only with fullMatchField 1', async () => {
		expect((await search({ queryWord: '郑研', fullMatchField: 1 })).body.list).toEqual([]);
		expect((await search({ queryWord: '郑研发', fullMatchField: 1 })).body.list).toEqual([
			'manager01',
		]);
	});

	test('refuses a missing word and a page over 50', async () => {
		expect((await search({})).status).toBe(400);
		const tooBig = await search({ queryWord: '王', size: 51 });
		expect(tooBig.status).toBe(400);
		expect(tooBig.body.code).toBe('InvalidParameter');
	});

	test('respects the contacts permission and scope settings', async () => {
		ctx.emu.settings.set({ dingtalk: { contactsScope: [5] } });
		const scoped = await search({ queryWord: '郑', size: 50 });
		expect(scoped.body.list).not.toContain('manager01');
		ctx.emu.settings.set({ dingtalk: { contactsPermission: 'none' } });
		const refused = await search({ queryWord: '郑' });
		expect(refused.status).toBe(403);
		expect(refused.body.code).toBe('Forbidden.AccessDenied.AccessTokenPermissionDenied');
	});
});
