import { checkBaseUrl, checkTimeout, resolvePath } from '../../nodes/shared/transport/http';
import { describeItemNumbers } from '../../nodes/shared/numbers';

const where = { owner: 'WeCom credential', field: 'Base URL' };

describe('base URLs: https, or plain http only towards this machine', () => {
	it.each([
		['https://qyapi.weixin.qq.com/', 'https://qyapi.weixin.qq.com'],
		['https://proxy.example.com/wecom/', 'https://proxy.example.com/wecom'],
		['http://localhost:9990/wecom', 'http://localhost:9990/wecom'],
		['http://127.0.0.1:9990', 'http://127.0.0.1:9990'],
		['http://127.8.9.10', 'http://127.8.9.10'],
		['http://[::1]:9990', 'http://[::1]:9990'],
	])('accepts %s', (value, expected) => {
		expect(checkBaseUrl(value, where)).toBe(expected);
	});

	it.each([
		['http://qyapi.weixin.qq.com', /uses plain http:\/\/ towards qyapi\.weixin\.qq\.com/],
		['http://127.0.0.1.example.com', /uses plain http:\/\/ towards 127\.0\.0\.1\.example\.com/],
		['http://localhost.example.com', /uses plain http:\/\//],
		['http://emulator.localhost:9990', /uses plain http:\/\/ towards emulator\.localhost/],
		['ftp://qyapi.weixin.qq.com', /must start with https:\/\//],
		['qyapi.weixin.qq.com', /is not a valid URL/],
		[
			'https://user:pw@qyapi.weixin.qq.com',
			/must not contain a user name, password, query or fragment/,
		],
		[
			'https://qyapi.weixin.qq.com/?x=1',
			/must not contain a user name, password, query or fragment/,
		],
	])('refuses %s, naming the field', (value, message) => {
		expect(() => checkBaseUrl(value, where)).toThrow(message);
		expect(() => checkBaseUrl(value, where)).toThrow("The WeCom credential's 'Base URL'");
	});
});

describe('paths stay under the base URL', () => {
	it('joins a plain path, also under a base path', () => {
		expect(resolvePath('https://api.dingtalk.com', '/v1.0/contact/users/me')).toBe(
			'https://api.dingtalk.com/v1.0/contact/users/me',
		);
		expect(resolvePath('http://127.0.0.1:9990/dingtalk/api', '/v1.0/x')).toBe(
			'http://127.0.0.1:9990/dingtalk/api/v1.0/x',
		);
	});

	it.each([
		'/..',
		'/a/../../b',
		'/%2E%2e/b',
		'/a/.%2e/b',
		'/./a',
		'//evil.example/a',
		'/a\\b',
		'/a b',
		'/a\u0000b',
		'/a%2fb',
		'/a?b=1',
		'/a#b',
		'a/b',
		'https://evil.example/a',
	])('refuses %j', (path) => {
		expect(() => resolvePath('https://qyapi.weixin.qq.com', path)).toThrow(/^The path /);
	});
});

describe('timeouts', () => {
	it('takes whole milliseconds up to ten minutes', () => {
		expect(checkTimeout(30000, 'Timeout')).toBe(30000);
		expect(checkTimeout('1500', 'Timeout')).toBe(1500);
		for (const bad of [-1, 0, 0.5, 1e12, 600001, NaN, 'soon', null]) {
			expect(() => checkTimeout(bad, 'Timeout')).toThrow(/^'Timeout' must be a whole number/);
		}
	});
});

describe('item numbers in messages', () => {
	it('are written as ranges', () => {
		expect(describeItemNumbers([0])).toBe('0');
		expect(describeItemNumbers([0, 1, 2, 4, 6, 7])).toBe('0–2, 4, 6–7');
	});
});
