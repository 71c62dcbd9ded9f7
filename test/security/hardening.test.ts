import { DingTalkApi, WeComApi } from '../../index';
import {
	credentialsFor,
	DINGTALK_TYPE,
	run,
	singleNodeWorkflow,
	useEmulator,
	WECOM_TYPE,
} from '../integration/support';
import { preAuthenticationHelper } from './fetchHttpRequest';
import { findLeaks } from './secretScan';
import { closedPort, foreignHost } from './servers';

/**
 * The pack tried as a careless or hostile user would: each case is a defect that was found in an
 * earlier version and must never come back. Workflows run in n8n-core's engine against the
 * emulator (every run also passes the secret scan in `run`).
 */

const customCall = (parameters: Record<string, unknown>) => ({
	resource: 'customApiCall',
	operation: 'call',
	method: 'POST',
	path: '/cgi-bin/message/send',
	sendBody: true,
	body: JSON.stringify({
		touser: 'ZhangSan',
		msgtype: 'text',
		agentid: 1000002,
		text: { content: 'hello' },
	}),
	options: {},
	...parameters,
});

const weComText = (extra: Record<string, unknown> = {}) => ({
	resource: 'appMessage',
	operation: 'send',
	sendTo: 'specific',
	userIds: 'ZhangSan',
	messageType: 'text',
	content: '=Hello {{ $json.name }}',
	options: {},
	...extra,
});

const dingTalkText = (extra: Record<string, unknown> = {}) => ({
	resource: 'workNotification',
	operation: 'send',
	sendTo: 'specific',
	userIds: 'manager01',
	departmentIds: '',
	messageType: 'text',
	text: 'Hello',
	options: {},
	...extra,
});

describe('hardening: numbers that reach the transport', () => {
	const ctx = useEmulator();

	it('a negative or huge Custom API Call timeout is an error of that item, not a crash or a 1 ms timeout', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, customCall({ options: { timeout: '={{ $json.timeout }}' } }), {
				continueOnFail: true,
			}),
			{ inputItems: [{ timeout: -1 }, { timeout: 1e12 }, { timeout: 5000 }] },
		);
		const [negative, huge, fine] = result.nodeOutput('Node');
		expect(negative.json.error).toBe(
			"'Timeout (Ms)' must be a whole number from 1000 to 600000, got -1 [item 0]",
		);
		expect(huge.json.error).toBe(
			"'Timeout (Ms)' must be a whole number from 1000 to 600000, got 1000000000000 [item 1]",
		);
		expect(fine.json.errcode).toBe(0);
		expect(ctx.emu.requests({ path: '/cgi-bin/message/send' })).toHaveLength(1);
	});

	it("a credential's Quota per API that is not a number from 0 to 10000 stops the run before any call", async () => {
		for (const value of [-5, 'fast', 1e9]) {
			const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, weComText()), {
				credentials: { weComApi: { maxRequestsPerSecond: value } },
			});
			expect(result.status).toBe('error');
			expect(result.error.message).toBe(
				`The WeCom credential's 'Quota per API (Calls per Second)' must be a number from 0 to 10000, got ${JSON.stringify(value)} [item 0]`,
			);
		}
		expect(ctx.emu.requests({ path: '/cgi-bin/message/send' })).toHaveLength(0);
	});

	it('numeric IDs beyond 16 digits are refused instead of being rounded', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(DINGTALK_TYPE, dingTalkText({ departmentIds: '99999999999999999999' })),
		);
		expect(result.error.message).toBe(
			"'Department IDs' contains '99999999999999999999', which is not a numeric ID (a whole number of at most 16 digits) [item 0]",
		);
		expect(ctx.emu.requests()).toHaveLength(0);
	});
});

describe('hardening: redirects are never followed', () => {
	const ctx = useEmulator();
	let foreign: Awaited<ReturnType<typeof foreignHost>>;
	beforeAll(async () => (foreign = await foreignHost()));
	afterAll(async () => await foreign.close());
	beforeEach(() => (foreign.received.length = 0));

	it('a token endpoint that answers 307 gets an error naming the hosts; the secret goes nowhere else', async () => {
		ctx.emu.faults.add({
			platform: 'dingtalk',
			path: '/v1.0/oauth2/accessToken',
			kind: 'status',
			status: 307,
			headers: { location: `${foreign.url}/v1.0/oauth2/accessToken` },
		});
		const result = await run(ctx.emu, singleNodeWorkflow(DINGTALK_TYPE, dingTalkText()));
		expect(result.status).toBe('error');
		const apiHost = new URL(ctx.emu.baseUrls.dingtalkApi).host;
		expect(result.error.message).toBe(
			`Could not get a DingTalk access token. DingTalk at ${apiHost} answered with a redirect (HTTP 307) to ${foreign.host}, which the node does not follow`,
		);
		expect(result.error.description).toContain('Check the base URL override in the credential');
		expect(foreign.received).toEqual([]);
		expect(ctx.emu.requests({ path: '/topapi/message/corpconversation/asyncsend_v2' })).toEqual([]);
	});

	it("the credential's Test (preAuthentication) reports the redirect instead of a foreign token", async () => {
		ctx.emu.faults.add({
			platform: 'wecom',
			path: '/cgi-bin/gettoken',
			kind: 'status',
			status: 302,
			headers: { location: `${foreign.url}/cgi-bin/gettoken` },
		});
		const error = (await new WeComApi().preAuthentication
			.call(preAuthenticationHelper, credentialsFor(ctx.emu).weComApi)
			.catch((e: Error) => e)) as Error;
		expect(error.message).toContain(`answered with a redirect (HTTP 302) to ${foreign.host}`);
		expect(foreign.received).toEqual([]);
	});

	it('an API call that answers 307 is not repeated at the redirect target with the token', async () => {
		ctx.emu.faults.add({
			platform: 'wecom',
			path: '/cgi-bin/message/send',
			kind: 'status',
			status: 307,
			headers: { location: `${foreign.url}/collect` },
		});
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, weComText()));
		expect(result.error.message).toContain(
			`answered with a redirect (HTTP 307) to ${foreign.host}`,
		);
		expect(foreign.received).toEqual([]);
	});
});

describe('hardening: Custom API Call paths stay under the base URL', () => {
	const ctx = useEmulator();

	it.each([
		['/../dingtalk/oapi/gettoken', "contains '.' or '..' segments"],
		['/cgi-bin/../../dingtalk/oapi/x', "contains '.' or '..' segments"],
		['/%2e%2e/dingtalk/oapi/x', "contains '.' or '..' segments"],
		['/cgi-bin/%2E%2E/%2e%2E/x', "contains '.' or '..' segments"],
		['/cgi-bin/./user/get', "contains '.' or '..' segments"],
		['//evil.example/cgi-bin/user/get', 'must start with a single slash, not a host name'],
		[
			'/cgi-bin\\..\\x',
			'contains a backslash, a space, a control character or a non-ASCII character',
		],
		['https://evil.example/cgi-bin/user/get', 'must start with a slash'],
		['/cgi-bin%2f..%2fx', 'contains an encoded slash, backslash, percent sign or non-ASCII byte'],
		['/cgi-bin/user/get?access_token=mine', 'contains a query (?) or fragment (#)'],
		[
			'/%252e%252e/dingtalk/oapi/x',
			'contains an encoded slash, backslash, percent sign or non-ASCII byte',
		],
		[
			'/%c0%ae%c0%ae/dingtalk/oapi/x',
			'contains an encoded slash, backslash, percent sign or non-ASCII byte',
		],
		[
			'/\uff0e\uff0e/dingtalk/oapi/x',
			'contains a backslash, a space, a control character or a non-ASCII character',
		],
	])('refuses %s before any call', async (path, why) => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, customCall({ path: '={{ $json.path }}' }), {
				continueOnFail: true,
			}),
			{ inputItems: [{ path }] },
		);
		const [item] = result.nodeOutput('Node');
		expect(item.json.error).toBe(`'Path' is not allowed: The path '${path}' ${why} [item 0]`);
		expect(ctx.emu.requests()).toEqual([]);
	});

	it('a path under the base URL still works, also with a base URL that has a path of its own', async () => {
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, customCall({})));
		expect(result.nodeOutput('Node')[0].json.errcode).toBe(0);
		expect(new URL(ctx.emu.baseUrls.wecom).pathname).toBe('/wecom');
	});
});

describe('hardening: free-text fields take text and numbers only', () => {
	const ctx = useEmulator();

	it.each([
		['DingTalk text', DINGTALK_TYPE, dingTalkText({ text: '={{ $json.value }}' }), 'Text'],
		[
			'DingTalk markdown title',
			DINGTALK_TYPE,
			dingTalkText({ messageType: 'markdown', title: '={{ $json.value }}', markdown: 'x' }),
			'Title',
		],
		[
			'DingTalk action-card button',
			DINGTALK_TYPE,
			dingTalkText({
				messageType: 'action_card',
				title: 't',
				markdown: 'm',
				buttonMode: 'multiple',
				buttons: { button: [{ title: '={{ $json.value }}', actionUrl: 'https://x' }] },
			}),
			'Button Title (row 1)',
		],
		[
			'DingTalk OA author',
			DINGTALK_TYPE,
			dingTalkText({
				messageType: 'oa',
				messageUrl: 'https://x',
				oaHeadText: 'h',
				oaOptions: { author: '={{ $json.value }}' },
			}),
			'Author',
		],
		['WeCom content', WECOM_TYPE, weComText({ content: '={{ $json.value }}' }), 'Content'],
	])(
		'%s: an object or array is refused, naming the field',
		async (_name, type, parameters, field) => {
			const result = await run(
				ctx.emu,
				singleNodeWorkflow(type, parameters, { continueOnFail: true }),
				{
					inputItems: [{ value: { a: 1 } }, { value: ['a', 'b'] }],
				},
			);
			const [object, array] = result.nodeOutput('Node');
			expect(object.json.error).toBe(
				`'${field}' must be text, but the expression gave an object [item 0]`,
			);
			expect(array.json.error).toBe(
				`'${field}' must be text, but the expression gave a list (array) [item 1]`,
			);
			expect(ctx.emu.requests().filter((r) => !/token/i.test(r.path))).toEqual([]);
		},
	);

	it('numbers are sent as their digits', async () => {
		await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, weComText({ content: '={{ 42 }}' })));
		const [send] = ctx.emu.requests({ path: '/cgi-bin/message/send' });
		expect((send.body as { text: { content: string } }).text.content).toBe('42');
	});
});

describe('hardening: plain http only towards this machine', () => {
	const ctx = useEmulator();

	it('a run refuses an http:// base URL to another host before sending anything', async () => {
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, weComText()), {
			credentials: { weComApi: { baseUrl: 'http://qyapi.weixin.qq.com' } },
		});
		expect(result.error.message).toBe(
			"The WeCom credential's 'Base URL' uses plain http:// towards qyapi.weixin.qq.com, which would send the secret and tokens unencrypted [item 0]",
		);
		expect(result.error.description).toContain('Use https://qyapi.weixin.qq.com.');
	});

	it('the credential Test refuses it too; localhost and 127.0.0.1 stay allowed', async () => {
		const credentials = credentialsFor(ctx.emu);
		const error = (await new DingTalkApi().preAuthentication
			.call(preAuthenticationHelper, {
				...credentials.dingTalkApi,
				apiBaseUrl: 'http://proxy.example.com:8080/dingtalk',
			})
			.catch((e: Error) => e)) as Error;
		expect(error.message).toMatch(
			/^The DingTalk credential's 'New API Base URL' uses plain http:\/\/ towards proxy\.example\.com/,
		);
		const viaLocalhost = ctx.emu.baseUrls.dingtalkApi.replace('127.0.0.1', 'localhost');
		await expect(
			new DingTalkApi().preAuthentication.call(preAuthenticationHelper, {
				...credentials.dingTalkApi,
				apiBaseUrl: viaLocalhost,
			}),
		).resolves.toEqual({ accessToken: expect.any(String) });
	});
});

describe('hardening: a token request that gets no answer says which platform, host and cause', () => {
	const ctx = useEmulator();

	it('refused connection', async () => {
		const port = await closedPort();
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, weComText()), {
			credentials: { weComApi: { baseUrl: `http://127.0.0.1:${port}` } },
		});
		expect(result.error.message).toBe(
			`Could not get a WeCom access token. Could not reach WeCom at 127.0.0.1:${port}: the connection was refused: nothing answers at that address`,
		);
		expect(result.error.description).toContain('Network error: ECONNREFUSED');
	});

	it('no answer in time (a read: retried, then reported with the cause)', async () => {
		ctx.emu.faults.add({
			platform: 'wecom',
			path: '/cgi-bin/user/get',
			kind: 'delay',
			ms: 1500,
			times: 3,
		});
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				customCall({ method: 'GET', path: '/cgi-bin/user/get', options: { timeout: 1000 } }),
			),
		);
		const host = new URL(ctx.emu.baseUrls.wecom).host;
		expect(result.error.message).toBe(
			`Could not reach WeCom at ${host}: no answer came in time (timeout)`,
		);
		expect(ctx.emu.requests({ path: '/cgi-bin/user/get' })).toHaveLength(3);
	}, 60_000);
});

describe('hardening: Secret Message only where WeCom documents it', () => {
	const ctx = useEmulator();

	it('a markdown message with Secret Message on is refused; a text message carries safe: 1', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				weComText({ messageType: '={{ $json.type }}', options: { safe: true } }),
				{ continueOnFail: true },
			),
			{ inputItems: [{ type: 'markdown' }, { type: 'text' }] },
		);
		const [markdown, text] = result.nodeOutput('Node');
		expect(markdown.json.error).toBe(
			"'Secret Message' is not available for Markdown messages [item 0]",
		);
		expect(text.json.msgid).toEqual(expect.any(String));
		const sends = ctx.emu.requests({ path: '/cgi-bin/message/send' });
		expect(sends.map((s) => (s.body as { msgtype: string; safe?: number }).safe)).toEqual([1]);
	});
});

describe('hardening: every item is checked before the first call', () => {
	const ctx = useEmulator();

	it('a bad item 2 stops the node before items 0 and 1 are sent', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, weComText({ departmentIds: '={{ $json.departments }}' })),
			{ inputItems: [{ departments: '1' }, { departments: '2' }, { departments: 'sales' }] },
		);
		expect(result.error.message).toBe(
			"'Department IDs' contains 'sales', which is not a numeric ID (a whole number of at most 16 digits) [item 2]",
		);
		expect(ctx.emu.requests({ path: '/cgi-bin/message/send' })).toEqual([]);
	});

	it('a platform refusal of item 2 says that items 0 and 1 were already sent', async () => {
		ctx.afterRequest.push((entry) => {
			if (
				entry.path === '/cgi-bin/message/send' &&
				ctx.emu.requests({ path: entry.path }).length === 2
			)
				ctx.emu.faults.add({
					platform: 'wecom',
					path: entry.path,
					kind: 'errcode',
					errcode: 40003,
				});
		});
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, weComText()), {
			inputItems: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
		});
		expect(result.error.message).toMatch(/^WeCom rejected the request: .*\(errcode 40003\)$/);
		expect(result.error.description).toContain(
			'Items 0–1 were sent or changed on the platform in this run. Running the node again repeats them',
		);
		expect(result.error.context.itemIndex).toBe(2);
	});
});

describe('hardening: values with a special meaning, and switches from expressions', () => {
	const ctx = useEmulator();

	it("'@all' among WeCom user IDs is refused instead of messaging everyone", async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, weComText({ userIds: '={{ $json.users }}' })),
			{ inputItems: [{ users: 'ZhangSan, @all' }] },
		);
		expect(result.error.message).toBe(
			"'User IDs' contains '@all', which WeCom reads as everyone in the visible range [item 0]",
		);
		expect(ctx.emu.requests({ path: '/cgi-bin/message/send' })).toEqual([]);
	});

	it('a switch set by expression must be true or false ("false" is not true)', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, weComText({ options: { safe: '={{ $json.safe }}' } }), {
				continueOnFail: true,
			}),
			{ inputItems: [{ safe: 'false' }, { safe: 'yes' }] },
		);
		const [off, unclear] = result.nodeOutput('Node');
		expect(off.json.msgid).toEqual(expect.any(String));
		expect(unclear.json.error).toBe(`'Secret Message' must be true or false, got "yes" [item 1]`);
		const [send] = ctx.emu.requests({ path: '/cgi-bin/message/send' });
		expect(send.body).not.toHaveProperty('safe');
	});

	it('the access token cannot be set as a query parameter in any spelling', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				customCall({ queryParameters: { parameter: [{ name: '={{ $json.q }}', value: 'x' }] } }),
				{ continueOnFail: true },
			),
			{ inputItems: [{ q: 'ACCESS_TOKEN' }, { q: ' access_token ' }] },
		);
		expect(result.nodeOutput('Node').map((item) => item.json.error)).toEqual([
			"Remove the query parameter 'ACCESS_TOKEN': the node adds the access token itself [item 0]",
			"Remove the query parameter ' access_token ': the node adds the access token itself [item 1]",
		]);
		expect(ctx.emu.requests()).toEqual([]);
	});
});

describe('the secret scan itself', () => {
	it('finds a secret anywhere in a text and shows it masked', () => {
		const leaks = findLeaks('{"error":"failed for emu-wecom-secret-1000002 today"}', [
			{ label: 'WeCom Secret', value: 'emu-wecom-secret-1000002' },
			{ label: 'short', value: 'abc' },
		]);
		expect(leaks).toEqual(['WeCom Secret (emu…, 24 chars)']);
	});
});
