import type { IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { dingTalkProfile } from '../../nodes/DingTalk/platform/profile';
import { weComProfile } from '../../nodes/WeCom/platform/profile';
import type { Answer } from './fakes';
import {
	allStrings,
	createTestClient,
	dingTalkCredentials,
	FakeHttp,
	weComCredentials,
} from './fakes';

const ok = (body: object): Answer => ({ statusCode: 200, body });

/** A DingTalk that issues T1, T2, … and answers oapi/v1.0 calls through `api`. */
function dingTalkPlatform(
	api: (request: IHttpRequestOptions, token: string) => Answer | Promise<Answer>,
) {
	let issued = 0;
	return (request: IHttpRequestOptions): Answer | Promise<Answer> => {
		if (request.url.endsWith('/v1.0/oauth2/accessToken')) {
			const body = request.body as { appKey: string; appSecret: string };
			if (body.appSecret !== dingTalkCredentials.appSecret) {
				return {
					statusCode: 400,
					body: {
						code: 'invalidClientIdOrSecret',
						message: '无效的clientId或者clientSecret',
						requestid: 'R-TOKEN',
					},
				};
			}
			issued++;
			return ok({ accessToken: `T${issued}`, expireIn: 7200 });
		}
		const token = String(
			request.qs?.access_token ?? request.headers?.['x-acs-dingtalk-access-token'] ?? '',
		);
		return api(request, token);
	};
}

const topapiTokenError = {
	errcode: 88,
	sub_code: '40014',
	sub_msg: '不合法的access_token',
	errmsg: 'ding talk error[subcode=40014,submsg=不合法的access_token]',
	request_id: 'R-88',
};

describe('ApiClient with DingTalk', () => {
	it('sends the token in the query on the old API and in the header on the new API', async () => {
		const http = new FakeHttp(dingTalkPlatform(() => ok({ errcode: 0, result: {} })));
		const { client } = createTestClient();
		await client.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
			family: 'oapi',
			method: 'POST',
			path: '/topapi/x',
			body: {},
		});
		await client.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
			family: 'api',
			method: 'GET',
			path: '/v1.0/y',
		});
		const [oapi] = http.callsTo('/topapi/x');
		const [api] = http.callsTo('/v1.0/y');
		expect(oapi.url).toBe('https://oapi.test/topapi/x');
		expect(oapi.qs).toEqual({ access_token: 'T1' });
		expect(oapi.headers).toEqual({});
		expect(api.url).toBe('https://api.test/v1.0/y');
		expect(api.headers).toEqual({ 'x-acs-dingtalk-access-token': 'T1' });
		expect(api.qs).toEqual({});
		expect(http.callsTo('accessToken')).toHaveLength(1);
		expect(oapi.timeout).toBe(30_000);
	});

	it('refreshes the token once when topapi answers errcode 88 / sub_code 40014, then succeeds', async () => {
		const http = new FakeHttp(
			dingTalkPlatform((_request, token) =>
				token === 'T1' ? ok(topapiTokenError) : ok({ errcode: 0, task_id: 7 }),
			),
		);
		const { client } = createTestClient();
		const response = await client.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
			family: 'oapi',
			method: 'POST',
			path: '/topapi/send',
			body: {},
		});
		expect(response.body).toMatchObject({ task_id: 7 });
		expect(http.callsTo('accessToken')).toHaveLength(2);
		expect(http.callsTo('/topapi/send').map((c) => c.qs?.access_token)).toEqual(['T1', 'T2']);
	});

	it.each([
		['errcode 42001', ok({ errcode: 42001, errmsg: 'access_token timeout' })],
		['errcode 40014', ok({ errcode: 40014, errmsg: '不合法的access_token' })],
		[
			'v1.0 HTTP 400 InvalidAuthentication',
			{
				statusCode: 400,
				body: { code: 'InvalidAuthentication', message: '不合法的access_token', requestid: 'R' },
			},
		],
		[
			'v1.0 HTTP 401',
			{ statusCode: 401, body: { code: 'Unauthorized', message: 'Unauthorized', requestid: 'R' } },
		],
	])('treats %s as a rejected token', async (_label, rejection) => {
		const http = new FakeHttp(
			dingTalkPlatform((_r, token) => (token === 'T1' ? rejection : ok({ errcode: 0 }))),
		);
		const { client } = createTestClient();
		const family = rejection.statusCode === 200 ? 'oapi' : 'api';
		await client.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
			family,
			method: 'POST',
			path: '/p',
			body: {},
		});
		expect(http.callsTo('accessToken')).toHaveLength(2);
	});

	it('gives up after one refresh if the fresh token is rejected too, with a hint', async () => {
		const http = new FakeHttp(dingTalkPlatform(() => ok(topapiTokenError)));
		const { client } = createTestClient();
		const error = await client
			.request(
				http.ctx,
				dingTalkProfile,
				dingTalkCredentials,
				{ family: 'oapi', method: 'POST', path: '/topapi/p', body: {} },
				3,
			)
			.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(http.callsTo('accessToken')).toHaveLength(2);
		expect(http.callsTo('/topapi/p')).toHaveLength(2);
		expect(error.message).toContain('errcode 88');
		expect(error.message).toContain('sub_code 40014');
		expect(error.description).toContain('freshly fetched access token');
		expect(error.description).toContain('R-88');
		expect(error.context.itemIndex).toBe(3);
	});

	it('fails fast on a wrong secret: one token call, no retry, a hint, no secret in the error', async () => {
		const http = new FakeHttp(dingTalkPlatform(() => ok({ errcode: 0 })));
		const { client, clock } = createTestClient();
		const credentials = { ...dingTalkCredentials, appSecret: 'wrong-secret-value' };
		const error = await client
			.request(
				http.ctx,
				dingTalkProfile,
				credentials,
				{ family: 'oapi', method: 'POST', path: '/topapi/p', body: {} },
				0,
			)
			.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(http.calls).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
		expect(error.message).toContain('invalidClientIdOrSecret');
		expect(error.description).toContain('Client Secret (AppSecret)');
		expect(error.errorResponse).toMatchObject({
			errcode: 'invalidClientIdOrSecret',
			requestId: 'R-TOKEN',
		});
		for (const text of allStrings(error)) expect(text).not.toContain('wrong-secret-value');
	});

	it('waits out a growing cool-down on rate limits and succeeds when the limit clears', async () => {
		let attempts = 0;
		const http = new FakeHttp(
			dingTalkPlatform(() =>
				++attempts <= 3
					? ok({ errcode: 90018, errmsg: '请求频率超限' })
					: ok({ errcode: 0, result: 1 }),
			),
		);
		const { client, clock } = createTestClient();
		const response = await client.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
			family: 'oapi',
			method: 'POST',
			path: '/topapi/p',
			body: {},
		});
		expect(response.body).toMatchObject({ result: 1 });
		// The lane's cool-down: 1 s, doubling while rate-limit answers keep coming.
		expect(clock.sleeps).toEqual([1000, 2000, 4000]);
	});

	it('gives up when the next try would pass Max Wait for Quota, saying the quota is exhausted and when to try again', async () => {
		const http = new FakeHttp(
			dingTalkPlatform(() => ({
				statusCode: 403,
				body: {
					code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
					message: 'qps',
					requestid: 'R-Q',
				},
			})),
		);
		const { client, clock } = createTestClient();
		const error = await client
			.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
				family: 'api',
				method: 'GET',
				path: '/v1.0/p',
			})
			.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		// 1+2+4+8+16 s waited; the next cool-down (capped at 30 s) would end after the default 60 s.
		expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
		expect(http.callsTo('/v1.0/p')).toHaveLength(6);
		expect(error.message).toContain('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi');
		expect(error.message).toContain('HTTP 403');
		expect(error.description).toContain("DingTalk's quota for this API is exhausted for now");
		expect(error.description).toContain(
			'the call waited 31 s and would have gone out only 30 s later',
		);
		expect(error.description).toContain(new Date(clock.time + 30_000).toISOString());
		expect(error.description).toContain('after Max Wait for Quota (60 s) had run out');
		expect(error.description).toContain('6 times');
		expect(error.description).toContain('20 per second');
	});

	it('retries a read after a 5xx but never repeats a send', async () => {
		let reads = 0;
		const http = new FakeHttp(
			dingTalkPlatform((request) => {
				if (request.url.endsWith('/read') && ++reads === 1)
					return { statusCode: 502, body: 'Bad Gateway' };
				if (request.url.endsWith('/send')) return { statusCode: 503, body: 'unavailable' };
				return ok({ errcode: 0 });
			}),
		);
		const { client } = createTestClient();
		await client.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
			family: 'oapi',
			method: 'POST',
			path: '/read',
			body: {},
			idempotent: true,
		});
		expect(http.callsTo('/read')).toHaveLength(2);
		const error = await client
			.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
				family: 'oapi',
				method: 'POST',
				path: '/send',
				body: {},
			})
			.catch((e) => e);
		expect(http.callsTo('/send')).toHaveLength(1);
		expect(error.description).toContain('may have processed the call');
	});

	it('does not repeat a send after a timeout, and names the timeout', async () => {
		const http = new FakeHttp(
			dingTalkPlatform(() => {
				throw Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' });
			}),
		);
		const { client } = createTestClient();
		const error = await client
			.request(
				http.ctx,
				dingTalkProfile,
				dingTalkCredentials,
				{ family: 'oapi', method: 'POST', path: '/send', body: {} },
				1,
			)
			.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Could not reach DingTalk at oapi.test: no answer came in time (timeout)',
		);
		expect(error.description).toContain('was not repeated');
		expect(http.callsTo('/send')).toHaveLength(1);
	});

	it('retries the explicit "busy" answer (errcode -1)', async () => {
		let attempts = 0;
		const http = new FakeHttp(
			dingTalkPlatform(() =>
				++attempts === 1 ? ok({ errcode: -1, errmsg: '系统繁忙' }) : ok({ errcode: 0 }),
			),
		);
		const { client, clock } = createTestClient();
		await client.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
			family: 'oapi',
			method: 'POST',
			path: '/p',
			body: {},
		});
		expect(clock.sleeps).toHaveLength(1);
	});

	it('maps a permission error to errcode, errmsg, request id and the permission hint', async () => {
		const http = new FakeHttp(
			dingTalkPlatform(() =>
				ok({
					errcode: 88,
					sub_code: '60011',
					sub_msg: '应用尚未开通所需的权限',
					errmsg: 'ding talk error',
					request_id: 'R-60011',
				}),
			),
		);
		const { client } = createTestClient();
		const error = await client
			.request(
				http.ctx,
				dingTalkProfile,
				dingTalkCredentials,
				{ family: 'oapi', method: 'POST', path: '/topapi/v2/user/get', body: {} },
				2,
			)
			.catch((e) => e);
		expect(error.message).toBe(
			'DingTalk rejected the request: 应用尚未开通所需的权限 (errcode 88, sub_code 60011)',
		);
		expect(error.description).toContain('Permission Management');
		expect(error.description).toContain('Request ID: R-60011');
		expect(error.description).toContain('POST /topapi/v2/user/get');
		expect(error.errorResponse).toMatchObject({
			errcode: 88,
			subCode: '60011',
			requestId: 'R-60011',
		});
	});

	it('paces calls per app and API when a rate is configured', async () => {
		const http = new FakeHttp(dingTalkPlatform(() => ok({ errcode: 0 })));
		const { client, clock } = createTestClient();
		const credentials = { ...dingTalkCredentials, maxRequestsPerSecond: 20 };
		for (let i = 0; i < 5; i++) {
			await client.request(http.ctx, dingTalkProfile, credentials, {
				family: 'oapi',
				method: 'POST',
				path: '/p',
				body: {},
			});
		}
		// 8% under the quota: 18.4 calls/s. The fake clock does not move between calls, so every
		// call after the first waits its slot.
		expect(clock.sleeps).toHaveLength(4);
		for (const ms of clock.sleeps) expect(ms).toBeCloseTo(1000 / 18.4, 2);
	});

	it('reports a missing credential field and a broken base URL as validation errors', async () => {
		const http = new FakeHttp(() => ok({}));
		const { client } = createTestClient();
		await expect(
			client.request(
				http.ctx,
				dingTalkProfile,
				{ ...dingTalkCredentials, appKey: '' },
				{ method: 'GET', path: '/x' },
			),
		).rejects.toThrow("The DingTalk credential is missing 'Client ID (AppKey)'");
		const error = await client
			.request(
				http.ctx,
				dingTalkProfile,
				{ ...dingTalkCredentials, oapiBaseUrl: 'oapi.test' },
				{ family: 'oapi', method: 'GET', path: '/x' },
			)
			.catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.description).toContain("'Old API Base URL'");
		expect(http.calls).toHaveLength(0);
	});

	it('uses one token for 100 concurrent calls', async () => {
		const http = new FakeHttp(dingTalkPlatform(() => ok({ errcode: 0 })));
		const { client } = createTestClient();
		await Promise.all(
			Array.from({ length: 100 }, () =>
				client.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
					family: 'oapi',
					method: 'POST',
					path: '/p',
					body: {},
				}),
			),
		);
		expect(http.callsTo('accessToken')).toHaveLength(1);
		expect(new Set(http.callsTo('/p').map((c) => c.qs?.access_token))).toEqual(new Set(['T1']));
	});

	it('keeps two apps on two tokens', async () => {
		let n = 0;
		const http = new FakeHttp((request) => {
			if (request.url.endsWith('accessToken'))
				return ok({
					accessToken: `${(request.body as { appKey: string }).appKey}-${++n}`,
					expireIn: 7200,
				});
			return ok({ errcode: 0 });
		});
		const { client } = createTestClient();
		await client.request(http.ctx, dingTalkProfile, dingTalkCredentials, {
			family: 'oapi',
			method: 'POST',
			path: '/p',
			body: {},
		});
		await client.request(
			http.ctx,
			dingTalkProfile,
			{ ...dingTalkCredentials, appKey: 'other' },
			{ family: 'oapi', method: 'POST', path: '/p', body: {} },
		);
		expect(http.callsTo('/p').map((c) => c.qs?.access_token)).toEqual(['dingappkey-1', 'other-2']);
	});
});

describe('ApiClient with WeCom', () => {
	function weComPlatform(api: (request: IHttpRequestOptions, token: string) => Answer) {
		let issued = 0;
		return (request: IHttpRequestOptions): Answer => {
			if (request.url.endsWith('/cgi-bin/gettoken')) {
				if (request.qs?.corpsecret !== weComCredentials.corpSecret)
					return ok({ errcode: 40001, errmsg: 'invalid credential' });
				issued++;
				return ok({ errcode: 0, errmsg: 'ok', access_token: `W${issued}`, expires_in: 7200 });
			}
			return api(request, String(request.qs?.access_token));
		};
	}

	it('gets a token with corpid/corpsecret and sends it as access_token', async () => {
		const http = new FakeHttp(weComPlatform(() => ok({ errcode: 0, errmsg: 'ok', msgid: 'M1' })));
		const { client } = createTestClient();
		const response = await client.request(http.ctx, weComProfile, weComCredentials, {
			method: 'POST',
			path: '/cgi-bin/message/send',
			body: {},
		});
		expect(response.body).toMatchObject({ msgid: 'M1' });
		expect(http.callsTo('gettoken')[0].qs).toEqual({
			corpid: 'wwcorp',
			corpsecret: weComCredentials.corpSecret,
		});
		expect(http.callsTo('message/send')[0].qs).toEqual({ access_token: 'W1' });
	});

	it.each([40014, 42001, 40001])('refreshes once on errcode %s', async (errcode) => {
		const http = new FakeHttp(
			weComPlatform((_r, token) =>
				token === 'W1' ? ok({ errcode, errmsg: 'x' }) : ok({ errcode: 0 }),
			),
		);
		const { client } = createTestClient();
		await client.request(http.ctx, weComProfile, weComCredentials, {
			method: 'POST',
			path: '/cgi-bin/x',
			body: {},
		});
		expect(http.callsTo('gettoken')).toHaveLength(2);
	});

	it('fails fast with the secret hint when gettoken says 40001', async () => {
		const http = new FakeHttp(weComPlatform(() => ok({ errcode: 0 })));
		const { client } = createTestClient();
		const error = await client
			.request(
				http.ctx,
				weComProfile,
				{ ...weComCredentials, corpSecret: 'bad-secret-123' },
				{ method: 'GET', path: '/cgi-bin/x' },
			)
			.catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(http.calls).toHaveLength(1);
		expect(error.description).toContain('Secret again');
		for (const text of allStrings(error)) expect(text).not.toContain('bad-secret-123');
	});

	it('quotes the IP WeCom saw in the 60020 hint', async () => {
		const http = new FakeHttp(
			weComPlatform(() =>
				ok({
					errcode: 60020,
					errmsg:
						'not allow to access from your ip, hint: [1700000000_1], from ip: 203.0.113.7, more info at https://open.work.weixin.qq.com/devtool/query?e=60020',
				}),
			),
		);
		const { client } = createTestClient();
		const error = await client
			.request(http.ctx, weComProfile, weComCredentials, { method: 'GET', path: '/cgi-bin/x' })
			.catch((e) => e);
		expect(error.description).toContain('the IP 203.0.113.7');
		expect(error.description).toContain('Trusted IPs');
	});

	it('backs off on 45009 and 45033', async () => {
		let attempts = 0;
		const http = new FakeHttp(
			weComPlatform(() => {
				attempts++;
				if (attempts === 1) return ok({ errcode: 45009, errmsg: 'api freq out of limit' });
				if (attempts === 2) return ok({ errcode: 45033, errmsg: 'api concurrent out of limit' });
				return ok({ errcode: 0 });
			}),
		);
		const { client, clock } = createTestClient();
		await client.request(http.ctx, weComProfile, weComCredentials, {
			method: 'POST',
			path: '/cgi-bin/x',
			body: {},
		});
		expect(clock.sleeps).toHaveLength(2);
	});

	it('never lets the token appear in errors, even when a network error message quotes the URL', async () => {
		const http = new FakeHttp(
			weComPlatform((request) => {
				throw Object.assign(
					new Error(
						`connect ECONNRESET ${request.url}?access_token=${String(request.qs?.access_token)}`,
					),
					{
						code: 'ECONNRESET',
					},
				);
			}),
		);
		const { client } = createTestClient(undefined, { transientRetries: 0 });
		const error = await client
			.request(http.ctx, weComProfile, weComCredentials, { method: 'GET', path: '/cgi-bin/x' })
			.catch((e) => e);
		expect(error.message).toBe(
			'Could not reach WeCom at qyapi.test: the connection was cut off before an answer came',
		);
		expect(error.description).toContain('ECONNRESET');
		for (const text of allStrings(error)) expect(text).not.toMatch(/W1/);
	});
});
