import { planRecipientCalls, chunk } from '../../nodes/shared/chunk';
import { nextOffset, paginate } from '../../nodes/shared/pagination';
import {
	dingTalkRobot as DINGTALK_ROBOT_DEFAULTS,
	signDingTalkRobot,
} from '../../nodes/DingTalk/platform/robot';
import { parseRobotWebhook } from '../../nodes/shared/robot/webhook';
import { weComRobot as WECOM_ROBOT_DEFAULTS } from '../../nodes/WeCom/platform/robot';
import { redactSecrets } from '../../nodes/shared/errors';

describe('chunking recipients', () => {
	it('splits a list into slices of at most n', () => {
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(chunk([], 3)).toEqual([]);
		expect(() => chunk([1], 0)).toThrow(RangeError);
	});

	it('plans as many calls as the longest list needs and sends every id exactly once', () => {
		const users = Array.from({ length: 250 }, (_, i) => `u${i}`);
		const departments = Array.from({ length: 45 }, (_, i) => String(i + 2));
		const plan = planRecipientCalls({
			users: { ids: users, max: 100 },
			departments: { ids: departments, max: 20 },
		});
		expect(plan).toHaveLength(3);
		expect(plan.map((c) => [c.users.length, c.departments.length])).toEqual([
			[100, 20],
			[100, 20],
			[50, 5],
		]);
		expect(plan.flatMap((c) => c.users)).toEqual(users);
		expect(plan.flatMap((c) => c.departments)).toEqual(departments);
	});

	it('plans one call when the lists fit, even if one is empty', () => {
		expect(
			planRecipientCalls({ users: { ids: ['a'], max: 100 }, departments: { ids: [], max: 20 } }),
		).toEqual([{ users: ['a'], departments: [] }]);
	});
});

describe('paginate', () => {
	const pages = [['a', 'b'], ['c', 'd'], ['e']];
	const cursorFetcher = jest.fn(async (cursor: number | undefined, remaining?: number) => {
		expect(remaining).toBeGreaterThan(0);
		const index = cursor ?? 0;
		return { items: pages[index], next: index + 1 < pages.length ? index + 1 : undefined };
	});

	beforeEach(() => cursorFetcher.mockClear());

	it('returns everything with Return All', async () => {
		expect(await paginate({ returnAll: true, limit: 1, fetchPage: cursorFetcher })).toEqual([
			'a',
			'b',
			'c',
			'd',
			'e',
		]);
		expect(cursorFetcher).toHaveBeenCalledTimes(3);
	});

	it('stops fetching once the limit is reached and cuts the last page', async () => {
		expect(await paginate({ returnAll: false, limit: 3, fetchPage: cursorFetcher })).toEqual([
			'a',
			'b',
			'c',
		]);
		expect(cursorFetcher).toHaveBeenCalledTimes(2);
	});

	it('tells the fetcher how many entries are still wanted', async () => {
		await paginate({ returnAll: false, limit: 3, fetchPage: cursorFetcher });
		expect(cursorFetcher.mock.calls.map((call) => call[1])).toEqual([3, 1]);
	});

	it('stops when a platform repeats a cursor', async () => {
		let calls = 0;
		const result = await paginate({
			returnAll: true,
			limit: 0,
			fetchPage: async () => ({ items: [++calls], next: 'same' }),
		});
		expect(result).toEqual([1, 2]);
	});

	it('supports offset paging', async () => {
		const data = Array.from({ length: 7 }, (_, i) => i);
		const result = await paginate<number, number>({
			returnAll: true,
			limit: 0,
			fetchPage: async (offset) => {
				const items = data.slice(offset ?? 0, (offset ?? 0) + 3);
				return { items, next: nextOffset(offset, 3, items.length) };
			},
		});
		expect(result).toEqual(data);
		expect(nextOffset(undefined, 3, 3)).toBe(3);
		expect(nextOffset(3, 3, 2)).toBeUndefined();
	});
});

describe('robot webhooks', () => {
	it('accepts a whole DingTalk webhook URL or the bare token', () => {
		expect(
			parseRobotWebhook(
				'https://oapi.dingtalk.com/robot/send?access_token=abc123',
				DINGTALK_ROBOT_DEFAULTS,
			),
		).toEqual({
			sendUrl: 'https://oapi.dingtalk.com/robot/send',
			token: 'abc123',
		});
		expect(parseRobotWebhook('  abc123 ', DINGTALK_ROBOT_DEFAULTS)).toEqual({
			sendUrl: 'https://oapi.dingtalk.com/robot/send',
			token: 'abc123',
		});
		expect(
			parseRobotWebhook(
				'http://127.0.0.1:9990/dingtalk/oapi/robot/send?x=1&access_token=t%2B1',
				DINGTALK_ROBOT_DEFAULTS,
			),
		).toEqual({
			sendUrl: 'http://127.0.0.1:9990/dingtalk/oapi/robot/send',
			token: 't+1',
		});
	});

	it('accepts a whole WeCom webhook URL or the bare key', () => {
		expect(
			parseRobotWebhook(
				'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K-1',
				WECOM_ROBOT_DEFAULTS,
			).token,
		).toBe('K-1');
		expect(parseRobotWebhook('K-1', WECOM_ROBOT_DEFAULTS).sendUrl).toBe(
			'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
		);
	});

	it('signs DingTalk robot calls as in reference vector A13', () => {
		const sign = signDingTalkRobot(
			'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
			1700000000000,
		);
		expect(sign).toBe('bTgY2yDbep+wesS7jKiNj+srsHoADES4+C4f8LCHFtU=');
		expect(encodeURIComponent(sign)).toBe('bTgY2yDbep%2BwesS7jKiNj%2BsrsHoADES4%2BC4f8LCHFtU%3D');
	});
});

describe('redactSecrets', () => {
	it('removes known secrets and secret query parameters', () => {
		const text =
			'GET https://x/gettoken?corpid=ww&corpsecret=abc&access_token=tok123&key=k9 failed: abcdefgh';
		const redacted = redactSecrets(text, ['abcdefgh']);
		expect(redacted).toBe(
			'GET https://x/gettoken?corpid=ww&corpsecret=***&access_token=***&key=*** failed: ***',
		);
	});
});
