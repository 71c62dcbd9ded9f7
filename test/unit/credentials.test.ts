import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { DingTalkApi, DingTalkRobotApi, WeComApi, WeComRobotApi } from '../../index';
import { dingTalkCredentials, weComCredentials } from './fakes';

function helper(answer: (options: IHttpRequestOptions) => { statusCode: number; body: unknown }) {
	const calls: IHttpRequestOptions[] = [];
	const value = {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				calls.push(options);
				return answer(options);
			},
		},
	} as unknown as IHttpRequestHelper;
	return { value, calls };
}

describe('DingTalk API credential', () => {
	const credential = new DingTalkApi();

	it('fetches a token through the new token endpoint with the secret in the body', async () => {
		const { value, calls } = helper(() => ({
			statusCode: 200,
			body: { accessToken: 'tok', expireIn: 7200 },
		}));
		expect(await credential.preAuthentication.call(value, dingTalkCredentials)).toEqual({
			accessToken: 'tok',
		});
		expect(calls[0]).toMatchObject({
			method: 'POST',
			url: 'https://api.test/v1.0/oauth2/accessToken',
			body: { appKey: 'dingappkey', appSecret: dingTalkCredentials.appSecret },
		});
		expect(calls[0].qs).toBeUndefined();
	});

	it('fails the credential test on a wrong secret, with the hint and without the secret', async () => {
		const { value } = helper(() => ({
			statusCode: 400,
			body: {
				code: 'invalidClientIdOrSecret',
				message: '无效的clientId或者clientSecret',
				requestid: 'r',
			},
		}));
		const error = (await credential.preAuthentication
			.call(value, { ...dingTalkCredentials, appSecret: 'not-the-secret' })
			.catch((e: Error) => e)) as Error;
		expect(error).toBeInstanceOf(Error);
		expect(error.message).toContain('invalidClientIdOrSecret');
		expect(error.message).toContain('Credentials & Basic Info');
		expect(error.message).not.toContain('not-the-secret');
	});

	it('fails on empty fields without calling DingTalk', async () => {
		const { value, calls } = helper(() => ({ statusCode: 200, body: {} }));
		await expect(
			credential.preAuthentication.call(value, { ...dingTalkCredentials, appKey: '' }),
		).rejects.toThrow("Fill in 'Client ID (AppKey)'");
		expect(calls).toHaveLength(0);
	});

	it('authenticates old-API requests in the query and new-API requests in the header', async () => {
		const authenticate = credential.authenticate as (
			c: object,
			r: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const old = await authenticate(
			{ accessToken: 'tok' },
			{ url: 'https://oapi.dingtalk.com/topapi/v2/user/get', qs: { a: 1 } },
		);
		expect(old.qs).toEqual({ a: 1, access_token: 'tok' });
		const next = await authenticate(
			{ accessToken: 'tok' },
			{ baseURL: 'https://api.dingtalk.com', url: '/v1.0/contact/users/me' },
		);
		expect(next.headers).toEqual({ 'x-acs-dingtalk-access-token': 'tok' });
		expect(next.qs).toBeUndefined();
	});

	it('declares the token as a hidden expirable password field and tests against the token endpoint', () => {
		const token = credential.properties.find((p) => p.name === 'accessToken');
		expect(token).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
		});
		expect(credential.test.request.url).toBe('/v1.0/oauth2/accessToken');
		for (const property of credential.properties.filter((p) => /secret/i.test(p.name))) {
			expect(property.typeOptions?.password).toBe(true);
		}
	});
});

describe('WeCom API credential', () => {
	const credential = new WeComApi();

	it('fetches a token with corpid and corpsecret', async () => {
		const { value, calls } = helper(() => ({
			statusCode: 200,
			body: { errcode: 0, access_token: 'w', expires_in: 7200 },
		}));
		expect(await credential.preAuthentication.call(value, weComCredentials)).toEqual({
			accessToken: 'w',
		});
		expect(calls[0]).toMatchObject({
			method: 'GET',
			url: 'https://qyapi.test/cgi-bin/gettoken',
			qs: { corpid: 'wwcorp' },
		});
	});

	it.each([
		[40013, 'CorpID is wrong'],
		[40001, "app's Secret again"],
		[40091, 'another company'],
	])('fails the credential test on errcode %s with a hint', async (errcode, hint) => {
		const { value } = helper(() => ({ statusCode: 200, body: { errcode, errmsg: 'invalid' } }));
		await expect(credential.preAuthentication.call(value, weComCredentials)).rejects.toThrow(hint);
	});

	it('reports an unreachable base URL without leaking the secret', async () => {
		const value = {
			helpers: {
				httpRequest: async () => {
					throw new Error(
						`getaddrinfo ENOTFOUND qyapi.test ?corpsecret=${weComCredentials.corpSecret}`,
					);
				},
			},
		} as unknown as IHttpRequestHelper;
		const error = (await credential.preAuthentication
			.call(value, weComCredentials)
			.catch((e: Error) => e)) as Error;
		expect(error.message).toContain(
			'Could not reach WeCom at qyapi.test: the host name could not be resolved (DNS)',
		);
		expect(error.message).not.toContain(weComCredentials.corpSecret);
	});
});

describe('robot credentials', () => {
	it('DingTalk: takes a pasted URL or a token and signs when a secret is set', async () => {
		const authenticate = new DingTalkRobotApi().authenticate as (
			c: object,
			r: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const plain = await authenticate(
			{ webhookToken: 'https://oapi.dingtalk.com/robot/send?access_token=abc' },
			{ url: 'https://oapi.dingtalk.com/robot/send' },
		);
		expect(plain.qs).toEqual({ access_token: 'abc' });
		const signed = await authenticate(
			{ webhookToken: 'abc', signSecret: 'SECxyz' },
			{ url: 'https://oapi.dingtalk.com/robot/send' },
		);
		expect(signed.qs).toMatchObject({
			access_token: 'abc',
			timestamp: expect.any(Number),
			sign: expect.any(String),
		});
		expect(Math.abs((signed.qs!.timestamp as number) - Date.now())).toBeLessThan(5000);
	});

	it('WeCom: takes a pasted URL or a key', async () => {
		const authenticate = new WeComRobotApi().authenticate as (
			c: object,
			r: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		expect(
			(
				await authenticate(
					{ webhookToken: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K9' },
					{ url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' },
				)
			).qs,
		).toEqual({ key: 'K9' });
		expect(
			(
				await authenticate(
					{ webhookToken: 'K9' },
					{ url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/upload_media' },
				)
			).qs,
		).toEqual({ key: 'K9' });
	});

	it("puts the robot's token only on requests to the robot's own webhook folder", async () => {
		for (const [credential, webhookToken] of [
			[new DingTalkRobotApi(), 'https://oapi.dingtalk.com/robot/send?access_token=abc'],
			[new WeComRobotApi(), 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K9'],
		] as const) {
			const authenticate = credential.authenticate as (
				c: object,
				r: IHttpRequestOptions,
			) => Promise<IHttpRequestOptions>;
			for (const url of [
				'https://collector.example/robot/send',
				'http://oapi.dingtalk.com/robot/send',
				'https://qyapi.weixin.qq.com/cgi-bin/message/send',
				'https://oapi.dingtalk.com/robot/../gettoken',
			]) {
				await expect(authenticate({ webhookToken }, { url })).rejects.toThrow(
					/credential puts its token only on requests to the robot's own webhook/,
				);
			}
		}
	});

	it("reads the URL of legacy request options (uri), as n8n's HTTP Request node sends them", async () => {
		const authenticate = new DingTalkApi().authenticate as (
			c: object,
			r: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const credentials = { appKey: 'k', appSecret: 's', accessToken: 'T0KEN' };
		const legacy = (uri: string) => ({ uri }) as unknown as IHttpRequestOptions;
		expect(
			await authenticate(credentials, legacy('https://api.dingtalk.com/v1.0/contact/users/me')),
		).toMatchObject({ headers: { 'x-acs-dingtalk-access-token': 'T0KEN' } });
		expect(
			await authenticate(credentials, legacy('https://oapi.dingtalk.com/topapi/v2/user/get')),
		).toMatchObject({ qs: { access_token: 'T0KEN' } });
		await expect(
			authenticate(credentials, legacy('https://collector.example/topapi/v2/user/get')),
		).rejects.toThrow(/not to collector\.example/);
	});

	it("puts an app's token only on requests under its API base URLs", async () => {
		const authenticate = new WeComApi().authenticate as (
			c: object,
			r: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const credentials = { corpId: 'ww1', corpSecret: 's', accessToken: 'T0KEN', baseUrl: '' };
		await expect(
			authenticate(credentials, { url: 'https://qyapi.weixin.qq.com/cgi-bin/user/get' }),
		).resolves.toMatchObject({ qs: { access_token: 'T0KEN' } });
		for (const url of [
			'https://collector.example/cgi-bin/user/get',
			'http://qyapi.weixin.qq.com/cgi-bin/user/get',
			'https://qyapi.weixin.qq.com.collector.example/cgi-bin/user/get',
		]) {
			await expect(authenticate(credentials, { url })).rejects.toThrow(
				/^The WeCom credential puts its access token only on requests to its own API \(https:\/\/qyapi\.weixin\.qq\.com\)/,
			);
		}
	});

	it('credential tests never post a real message (they send an unknown msgtype)', () => {
		for (const credential of [new DingTalkRobotApi(), new WeComRobotApi()]) {
			expect(credential.test.request.body).toEqual({ msgtype: 'n8n_credential_check' });
		}
	});
});
