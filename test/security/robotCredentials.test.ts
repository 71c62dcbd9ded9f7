import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	INodeTypes,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { DingTalkRobotApi, WeComRobotApi } from '../../index';
import { createEmulator } from '../emulator';
import { fetchHttpRequest, preAuthenticationHelper } from './fetchHttpRequest';
import { assertNoSecrets, credentialSecrets, emulatorSecrets } from './secretScan';

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
 * Fast, in-process check of the robot credentials (the e2e suite presses the real Test button in
 * n8n for the main cases; this covers the variants: both wordings, every invalid-token code, clock
 * skew, an IP range, a missing key). What n8n's credential tester does for a credential with a
 * hidden expirable field: run its preAuthentication (a thrown error is the test's message), then
 * resolve the `test` request, apply `authenticate`, send it, and report Error with the message of
 * the first `responseSuccessBody` rule whose key equals its value, otherwise OK.
 */
async function credentialTest(
	credential: DingTalkRobotApi | WeComRobotApi,
	data: ICredentialDataDecryptedObject,
): Promise<Outcome> {
	const checked = await credential.preAuthentication.call(preAuthenticationHelper, data).then(
		() => undefined,
		(error: Error) => error.message,
	);
	if (checked !== undefined) return { status: 'Error', message: checked, body: {} };
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
	const { body } = (await fetchHttpRequest(options)) as { body: Record<string, unknown> };
	for (const rule of rules) {
		if (rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value)
			return { status: 'Error', message: rule.properties.message, body };
	}
	return { status: 'OK', body };
}

const NO_TOKEN =
	"The robot's access token does not exist. Copy the webhook URL again from the group settings → Bots → the robot (the whole URL or only its access_token).";
const WRONG_SIGN =
	"The sign secret is wrong, or missing while the robot signs (加签). Copy the robot's SEC… secret again from its security settings.";
const CLOCK =
	"DingTalk refused the robot's signature timestamp: this n8n server's clock is off by more than an hour. Correct the server's time (NTP).";
const BAD_KEY =
	'The webhook key is invalid. Copy the webhook URL again from the group chat → Group Robots → the robot.';

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
	/** Runs the test and applies the secret scan to what the user would see. */
	const scanned = async (outcome: Promise<Outcome>, data: ICredentialDataDecryptedObject) => {
		const result = await outcome;
		assertNoSecrets(
			result.message ?? '',
			[...emulatorSecrets(emu), ...credentialSecrets({ robot: data })],
			'the credential test message',
		);
		return result;
	};
	const dingTest = async (data: ICredentialDataDecryptedObject) =>
		await scanned(credentialTest(new DingTalkRobotApi(), data), data);
	const weComTest = async (data: ICredentialDataDecryptedObject) =>
		await scanned(credentialTest(new WeComRobotApi(), data), data);

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

	it('DingTalk: a wrong token fails with every invalid-token code DingTalk uses', async () => {
		const wrong = dingtalk().signed.url.replace(/access_token=\w+/, 'access_token=0123abc');
		for (const code of [300001, 400101]) {
			emu.settings.set({ dingtalk: { robotInvalidTokenErrcode: code } });
			expect(await dingTest({ webhookToken: wrong, signSecret: '' })).toEqual({
				status: 'Error',
				message: NO_TOKEN,
				body: {},
			});
		}
		emu.settings.set({ dingtalk: { robotInvalidTokenErrcode: 300005 } });
		expect((await dingTest({ webhookToken: wrong, signSecret: '' })).message).toContain(
			'external group',
		);
	});

	it('DingTalk: a webhook URL without its access_token fails before anything is sent', async () => {
		const before = emu.requests().length;
		expect(
			await dingTest({ webhookToken: `${emu.baseUrls.dingtalkOapi}/robot/send`, signSecret: '' }),
		).toEqual({
			status: 'Error',
			message:
				"The 'Webhook URL or Access Token' has no access_token. Paste the robot's whole webhook URL from the group settings, or only its access_token.",
			body: {},
		});
		expect(emu.requests()).toHaveLength(before);
	});

	it.each(['current', 'legacy'])(
		'DingTalk (%s wording): a missing or wrong sign secret fails as a wrong sign secret',
		async (wording) => {
			emu.settings.set({ dingtalk: { robotErrorWording: wording as 'current' | 'legacy' } });
			const { signed } = dingtalk();
			for (const signSecret of ['', 'SECwrong', `${signed.secret}x`]) {
				expect(await dingTest({ webhookToken: signed.url, signSecret })).toEqual({
					status: 'Error',
					message: WRONG_SIGN,
					body: {},
				});
			}
		},
	);

	it.each(['current', 'legacy'])(
		"DingTalk (%s wording): n8n's clock more than an hour off fails as a clock problem",
		async (wording) => {
			emu.settings.set({ dingtalk: { robotErrorWording: wording as 'current' | 'legacy' } });
			const { signed } = dingtalk();
			emu.clock.freeze(Date.now() + 2 * 3600_000);
			expect(await dingTest({ webhookToken: signed.url, signSecret: signed.secret })).toMatchObject(
				{ status: 'Error', message: CLOCK },
			);
		},
	);

	it('DingTalk: a robot whose IP range leaves out this server fails and says so, in both wordings', async () => {
		emu.addSeed('dingtalk', 'robots', {
			name: 'ip',
			accessToken: 'ip-token',
			ipWhitelist: ['10.0.0.1'],
		});
		const webhookToken = `${emu.baseUrls.dingtalkOapi}/robot/send?access_token=ip-token`;
		const current = await dingTest({ webhookToken, signSecret: '' });
		expect(current.status).toBe('Error');
		expect(current.message).toMatch(
			/^The robot accepts calls only from its IP range \(IP地址段\), and this n8n server is not in it/,
		);
		emu.settings.set({ dingtalk: { robotErrorWording: 'legacy' } });
		expect((await dingTest({ webhookToken, signSecret: '' })).message).toContain(
			'and this n8n server (127.0.0.1) is not in it',
		);
	});

	it('DingTalk: an answer that does not show the robot accepted the credential is a failure', async () => {
		emu.faults.add({
			platform: 'dingtalk',
			path: '/robot/send',
			kind: 'errcode',
			errcode: 88,
			errmsg: 'something else',
		});
		const { signed } = dingtalk();
		expect(await dingTest({ webhookToken: signed.url, signSecret: signed.secret })).toEqual({
			status: 'Error',
			message:
				'The DingTalk robot answered errcode 88 (something else), which does not show that this credential works. Copy the webhook URL again from the group settings.',
			body: {},
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

	it('WeCom: a wrong key fails as an invalid key; a missing one before anything is sent', async () => {
		expect(
			await weComTest({ webhookToken: `${emu.baseUrls.wecom}/cgi-bin/webhook/send?key=not-a-key` }),
		).toEqual({ status: 'Error', message: BAD_KEY, body: {} });
		expect(await weComTest({ webhookToken: `${emu.baseUrls.wecom}/cgi-bin/webhook/send` })).toEqual(
			{
				status: 'Error',
				message:
					"The 'Webhook URL or Key' has no key. Paste the robot's whole webhook URL from the group settings, or only its key.",
				body: {},
			},
		);
	});

	it('refuses a webhook URL over plain http to another host and a redirecting one, naming the field', async () => {
		expect(
			(await weComTest({ webhookToken: 'http://robots.example.com/cgi-bin/webhook/send?key=k' }))
				.message,
		).toBe(
			"The WeCom robot credential's 'Webhook URL or Key' uses plain http:// towards robots.example.com, which would send the secret and tokens unencrypted. Use https://robots.example.com/cgi-bin/webhook/send. Plain http:// is allowed only for this machine (localhost, 127.0.0.1, [::1]), such as the emulator or a local proxy.",
		);
		emu.faults.add({
			platform: 'wecom',
			path: '/cgi-bin/webhook/send',
			kind: 'status',
			status: 307,
			headers: { location: 'https://elsewhere.example/collect' },
		});
		const redirected = await weComTest({
			webhookToken: emu.seed.wecom.robots[0].webhookUrl as string,
		});
		expect(redirected.status).toBe('Error');
		expect(redirected.message).toContain(
			'answered with a redirect (HTTP 307) to elsewhere.example',
		);
	});
});
