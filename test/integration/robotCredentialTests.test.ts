import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	INodeTypes,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { DingTalkRobotApi, WeComRobotApi } from '../../index';
import { createEmulator } from '../emulator';

type Emulator = Awaited<ReturnType<typeof createEmulator>>;
type Outcome = { status: 'OK' | 'Error'; message?: string; body: Record<string, unknown> };

/** The request URL expression, resolved by n8n-workflow's expression engine with `$credentials`. */
function resolveUrl(expression: string, data: ICredentialDataDecryptedObject): string {
	const node: INode = {
		id: 'test',
		name: 'Credential test',
		type: 'test.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeTypes = {
		getByName: () => undefined,
		getByNameAndVersion: () => ({ description: { properties: [] } }),
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return String(
		workflow.expression.getSimpleParameterValue(node, expression, 'internal', {
			$credentials: data,
		}),
	);
}

/**
 * Fast, in-process check of the robot credentials' `test` (the e2e suite presses the real Test
 * button in n8n for the main cases; this covers the variants: keyword robots, both invalid-token
 * codes, clock skew, a missing key).
 * What n8n's credential tester does with a credential's `test`: resolve the request URL, apply the
 * credential's `authenticate`, send the request, and report Error with the message of the first
 * `responseSuccessBody` rule whose key equals its value (packages/cli CredentialsTester), otherwise OK.
 */
async function credentialTest(
	credential: DingTalkRobotApi | WeComRobotApi,
	data: ICredentialDataDecryptedObject,
): Promise<Outcome> {
	const { request, rules = [] } = credential.test;
	const url = resolveUrl(String(request.url), data);
	const authenticate = credential.authenticate as (
		c: ICredentialDataDecryptedObject,
		r: IHttpRequestOptions,
	) => Promise<IHttpRequestOptions>;
	const options = await authenticate(data, {
		url,
		method: request.method,
		body: request.body,
		qs: {},
	});
	const target = new URL(options.url);
	for (const [key, value] of Object.entries(options.qs ?? {}))
		target.searchParams.set(key, String(value));
	const response = await fetch(target, {
		method: options.method,
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(options.body),
	});
	const body = (await response.json()) as Record<string, unknown>;
	for (const rule of rules) {
		if (rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value)
			return { status: 'Error', message: rule.properties.message, body };
	}
	return { status: 'OK', body };
}

describe('robot credential tests against the emulator', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await createEmulator();
	});
	beforeEach(() => emu.reset());
	afterAll(async () => await emu.close());

	const dingtalk = () => {
		const [signed, keywords] = emu.seed.dingtalk.robots;
		return {
			signed: { url: signed.webhookUrl as string, secret: signed.secret as string },
			keywords: { url: keywords.webhookUrl as string },
		};
	};
	const dingTest = (data: ICredentialDataDecryptedObject) =>
		credentialTest(new DingTalkRobotApi(), data);
	const weComTest = (data: ICredentialDataDecryptedObject) =>
		credentialTest(new WeComRobotApi(), data);

	it('DingTalk: a signed robot with its secret passes (unsupported msgtype 400105) and nothing reaches the group', async () => {
		const { signed } = dingtalk();
		const outcome = await dingTest({ webhookToken: signed.url, signSecret: signed.secret });
		expect(outcome).toEqual({
			status: 'OK',
			body: { errcode: 400105, errmsg: '不支持的消息类型' },
		});
		expect(emu.dingtalk.robotMessages()).toEqual([]);
	});

	it('DingTalk: a keyword robot without a secret passes (keywords are checked after the msgtype)', async () => {
		expect(await dingTest({ webhookToken: dingtalk().keywords.url, signSecret: '' })).toMatchObject(
			{ status: 'OK', body: { errcode: 400105 } },
		);
	});

	it('DingTalk: a wrong token fails, with either invalid-token code', async () => {
		const wrong = dingtalk().signed.url.replace(/access_token=\w+/, 'access_token=0123abc');
		expect(await dingTest({ webhookToken: wrong, signSecret: '' })).toMatchObject({
			status: 'Error',
			message: 'The access token does not exist',
			body: { errcode: 300005 },
		});
		emu.settings.set({ dingtalk: { robotInvalidTokenErrcode: 400101 } });
		expect(await dingTest({ webhookToken: wrong, signSecret: '' })).toMatchObject({
			status: 'Error',
			message: 'The access token does not exist',
			body: { errcode: 400101 },
		});
	});

	it('DingTalk: a signed robot with a missing or wrong secret fails as "sign secret is wrong"', async () => {
		const { signed } = dingtalk();
		for (const signSecret of ['', 'SECwrong', `${signed.secret}x`]) {
			expect(await dingTest({ webhookToken: signed.url, signSecret })).toMatchObject({
				status: 'Error',
				message: 'The sign secret is wrong',
				body: { errcode: 310000, errmsg: 'sign not match' },
			});
		}
	});

	it("DingTalk: n8n's clock more than an hour off fails as a clock problem", async () => {
		const { signed } = dingtalk();
		emu.clock.freeze(Date.now() + 2 * 3600_000);
		expect(await dingTest({ webhookToken: signed.url, signSecret: signed.secret })).toMatchObject({
			status: 'Error',
			message: "The n8n server's clock is off by more than an hour",
		});
	});

	it('WeCom: a valid key passes (unknown msgtype refused with 40035) and nothing reaches the group', async () => {
		const outcome = await weComTest({
			webhookToken: emu.seed.wecom.robots[0].webhookUrl as string,
		});
		expect(outcome.status).toBe('OK');
		expect(outcome.body.errcode).toBe(40035);
		expect(emu.wecom.robotMessages()).toEqual([]);
	});

	it('WeCom: a wrong or missing key fails as "webhook key is invalid"', async () => {
		for (const webhookToken of [
			`${emu.baseUrls.wecom}/cgi-bin/webhook/send?key=not-a-key`,
			`${emu.baseUrls.wecom}/cgi-bin/webhook/send`,
		]) {
			expect(await weComTest({ webhookToken })).toMatchObject({
				status: 'Error',
				message: 'The webhook key is invalid',
				body: { errcode: 93000 },
			});
		}
	});
});
