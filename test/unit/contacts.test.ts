import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ParameterReader } from '../../nodes/shared/actions/parameters';
import { readLimit } from '../../nodes/shared/actions/returnAll';
import { readLocator } from '../../nodes/shared/actions/resourceLocator';
import { listOrExplain, missingPermission, namingField } from '../../nodes/shared/contacts/lookups';
import { checkMobile } from '../../nodes/shared/contacts/mobile';
import { PickerCache, clearPickerCaches } from '../../nodes/shared/contacts/pickerCache';
import { walkBreadthFirst } from '../../nodes/shared/contacts/walk';
import { createApiError } from '../../nodes/shared/errors';
import { dingTalkProfile } from '../../nodes/DingTalk/platform/profile';
import { weComProfile } from '../../nodes/WeCom/platform/profile';
import { node } from './fakes';

/** A reader over fixed parameter values, as n8n would hand them to item 2. */
function readerOf(parameters: Record<string, unknown>): ParameterReader {
	const ctx = {
		getNode: () => node,
		getNodeParameter: (name: string, _item: number, fallback: unknown) => {
			const value = name
				.split('.')
				.reduce<unknown>(
					(at, key) =>
						at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined,
					parameters,
				);
			return value === undefined ? fallback : value;
		},
	} as unknown as IExecuteFunctions;
	return new ParameterReader(ctx, 2);
}

describe('Return All / Limit', () => {
	it('reads Return All as no limit and a whole Limit as it is', () => {
		expect(readLimit(readerOf({ returnAll: true, limit: 0 }))).toBe(Infinity);
		expect(readLimit(readerOf({ returnAll: false, limit: 7 }))).toBe(7);
		expect(readLimit(readerOf({ returnAll: false, limit: '12' }))).toBe(12);
	});

	it.each([0, -1, 2.5, 'ten', null])('refuses a Limit of %p, naming field and item', (limit) => {
		expect(() => readLimit(readerOf({ returnAll: false, limit }))).toThrow(
			/^'Limit' must be a whole number of at least 1, got .* \[item 2\]$/,
		);
	});
});

describe('resource locators', () => {
	it('reads the mode and the trimmed value, and a plain expression value as an ID', () => {
		expect(
			readLocator(
				readerOf({ d: { __rl: true, mode: 'list', value: ' 5 ' } }),
				'd',
				'Department',
				true,
			),
		).toEqual({
			mode: 'list',
			value: '5',
		});
		expect(readLocator(readerOf({ d: 42 }), 'd', 'Department', true)).toEqual({
			mode: 'id',
			value: '42',
		});
	});

	it('refuses an empty value (the permission entry of a picker), a non-numeric ID and an object', () => {
		expect(() =>
			readLocator(readerOf({ d: { mode: 'list', value: '' } }), 'd', 'Department', true),
		).toThrow("'Department' is empty [item 2]");
		expect(() =>
			readLocator(readerOf({ d: { mode: 'id', value: 'Sales' } }), 'd', 'Department', true),
		).toThrow("'Department' must be a numeric ID, got 'Sales' [item 2]");
		expect(() =>
			readLocator(readerOf({ d: { mode: 'id', value: { id: 1 } } }), 'd', 'Department', true),
		).toThrow(/must be an ID/);
	});

	it('accepts mobile numbers as the platforms store them and refuses others', () => {
		const read = readerOf({});
		expect(checkMobile(read, '138 0000 0001', 'Mobile')).toBe('13800000001');
		expect(checkMobile(read, '+852-12345678', 'Mobile')).toBe('+852-12345678');
		expect(checkMobile(read, '+852 1234 5678', 'Mobile')).toBe('+852-12345678');
		expect(checkMobile(read, '+86 138-0000-0001', 'Mobile')).toBe('13800000001');
		expect(checkMobile(read, '138-0000-0001', 'Mobile')).toBe('13800000001');
		expect(() => checkMobile(read, '138-abc', 'Mobile')).toThrow(
			"'Mobile' is not a mobile number: '138-abc' [item 2]",
		);
	});
});

describe('walking a department tree breadth-first', () => {
	const tree: Record<number, number[]> = {
		1: [2, 3],
		2: [21, 22],
		3: [31],
		22: [221],
		21: [],
		31: [],
		221: [],
	};

	it('visits level by level, one call per department, and keeps breadth-first order', async () => {
		const asked: number[] = [];
		const found = await walkBreadthFirst({
			root: 1,
			childrenOf: async (id) => {
				asked.push(id);
				// Higher IDs answer first (fewer turns of the microtask queue): the result must not
				// depend on the order answers arrive in.
				for (let turn = 0; turn < 300 - id; turn++)
					await new Promise<void>((resolve) => queueMicrotask(resolve));
				return tree[id].map((child) => ({ id: child }));
			},
			idOf: (d) => d.id,
			concurrency: 2,
		});
		expect(found.map((d) => d.id)).toEqual([2, 3, 21, 22, 31, 221]);
		expect(asked.sort((a, b) => a - b)).toEqual([1, 2, 3, 21, 22, 31, 221]);
	});

	it('with a Limit, asks one department at a time and stops inside a level once enough were found', async () => {
		const asked: number[] = [];
		const found = await walkBreadthFirst({
			root: 1,
			childrenOf: async (id) => {
				asked.push(id);
				return tree[id].map((child) => ({ id: child }));
			},
			idOf: (d) => d.id,
			concurrency: 8,
			stop: (count) => count >= 3,
		});
		expect(found.map((d) => d.id)).toEqual([2, 3, 21, 22]);
		expect(asked).toEqual([1, 2]);
	});

	it('stops before the next level once enough was found, and survives a department listed twice', async () => {
		const asked: number[] = [];
		const found = await walkBreadthFirst({
			root: 1,
			childrenOf: async (id) => {
				asked.push(id);
				return id === 1 ? [{ id: 2 }, { id: 2 }, { id: 1 }] : [];
			},
			idOf: (d) => d.id,
			concurrency: 4,
			stop: (count) => count >= 1,
		});
		expect(found).toEqual([{ id: 2 }]);
		expect(asked).toEqual([1]);
	});
});

describe('picker cache', () => {
	it('keeps a load for its lifetime, reloads after, and forgets failures', async () => {
		let now = 0;
		const cache = new PickerCache<number>(1000, () => now);
		let loads = 0;
		const load = async () => ++loads;
		expect(await cache.get('app', load)).toBe(1);
		now = 999;
		expect(await cache.get('app', load)).toBe(1);
		now = 1000;
		expect(await cache.get('app', load)).toBe(2);
		await expect(cache.get('other', async () => Promise.reject(new Error('down')))).rejects.toThrow(
			'down',
		);
		expect(await cache.get('other', load)).toBe(3);
		clearPickerCaches();
		expect(await cache.get('app', load)).toBe(4);
	});
});

describe('contacts refusals', () => {
	const refusal = (
		profile: typeof dingTalkProfile,
		details: Parameters<typeof createApiError>[1],
		path: string,
	) =>
		createApiError(node, details, {
			platform: profile.name,
			method: 'POST',
			path,
			hint: profile.hint(details, { family: 'oapi', path }),
		});

	it('names the DingTalk permission a contacts call needs, from the sub_code of errcode 88', () => {
		const error = refusal(
			dingTalkProfile,
			{ errcode: 88, subCode: '60011', subMsg: '没有调用该接口的权限' },
			'/topapi/v2/user/list',
		);
		expect(missingPermission(error, dingTalkProfile)).toContain('qyapi_get_department_member');
		expect(missingPermission(error, dingTalkProfile)).toContain('Permission Management');
	});

	it('tells WeCom 48009 (contacts-sync Secret from a new IP) apart from other refusals', () => {
		const blocked = refusal(
			weComProfile,
			{ errcode: 48009, errmsg: 'api forbidden for contact assistant' },
			'/cgi-bin/user/get',
		);
		expect(missingPermission(blocked, weComProfile)).toContain('2022-08-15');
		const unknown = refusal(
			weComProfile,
			{ errcode: 60111, errmsg: 'userid not found' },
			'/cgi-bin/user/get',
		);
		expect(missingPermission(unknown, weComProfile)).toBeUndefined();
	});

	it('turns a permission refusal into one picker entry and lets other failures through', async () => {
		const denied = refusal(
			weComProfile,
			{ errcode: 48002, errmsg: 'api forbidden' },
			'/cgi-bin/tag/list',
		);
		const entries = await listOrExplain(weComProfile, 'tags', 'type the ID', async () => {
			throw denied;
		});
		expect(entries).toEqual([
			{ name: expect.stringMatching(/^Cannot list tags: .*type the ID\.$/), value: '' },
		]);
		const other = new Error('socket hang up');
		await expect(
			listOrExplain(weComProfile, 'tags', 'type the ID', async () => {
				throw other;
			}),
		).rejects.toBe(other);
	});

	it('says which field held the ID the platform refused', async () => {
		const notFound = refusal(
			dingTalkProfile,
			{ errcode: 60121, errmsg: '找不到该用户' },
			'/topapi/v2/user/get',
		);
		const failed = namingField({ displayName: 'User', value: 'nobody' }, Promise.reject(notFound));
		await expect(failed).rejects.toBeInstanceOf(NodeApiError);
		await expect(failed).rejects.toMatchObject({
			description: expect.stringMatching(/^'User' is "nobody"\. /),
		});
	});
});
