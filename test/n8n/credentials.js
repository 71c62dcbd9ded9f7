// @ts-check
'use strict';

/**
 * The credentials `npm run dev` and the e2e suite create in n8n, pointing at the platform emulator.
 * THE one place that knows credential type names, field names and the fixed ids that example
 * workflows reference: adjust here when a credential changes.
 *
 * Convention for examples/*.json: a node uses the credential by these ids and names, e.g.
 *   "credentials": { "dingTalkApi": { "id": "dtEmulatorApp01", "name": "DingTalk account" } }
 * n8n imports the credentials with these ids, so the examples run unchanged; a user importing an
 * example into their own n8n just picks their credential in the node.
 */

/** Emulator defaults (test/emulator/README.md "Seeded data") for when the emulator is not there. */
const FALLBACK_EMULATOR_URL = 'http://127.0.0.1:9990';

/**
 * @typedef {object} EmulatorView  what the credentials need from a running emulator (emu.baseUrls, emu.seed)
 * @property {{ dingtalkOapi: string, dingtalkApi: string, wecom: string }} baseUrls
 * @property {{ dingtalk: { appKey: string, appSecret: string, agentId: number | string, robots?: Array<{ accessToken: string, secret?: string }> },
 *              wecom: { corpId: string, corpSecret: string, agentId: number | string, robots?: Array<{ key: string }> } }} seed
 */

/**
 * tokenPlatform: the credential fetches an access token from that platform (the e2e suite checks
 * one fetch per credential per run); robots sign or carry a key instead.
 * @type {Array<{ type: string, id: string, name: string, tokenPlatform?: 'dingtalk' | 'wecom', data: (emu: EmulatorView) => Record<string, unknown> }>}
 */
const CREDENTIALS = [
	{
		type: 'dingTalkApi',
		id: 'dtEmulatorApp01',
		name: 'DingTalk account',
		tokenPlatform: 'dingtalk',
		data: ({ baseUrls, seed }) => ({
			appKey: seed.dingtalk.appKey,
			appSecret: seed.dingtalk.appSecret,
			agentId: String(seed.dingtalk.agentId),
			oapiBaseUrl: baseUrls.dingtalkOapi,
			apiBaseUrl: baseUrls.dingtalkApi,
		}),
	},
	{
		type: 'dingTalkRobotApi',
		id: 'dtEmulatorRobot01',
		name: 'DingTalk robot',
		data: ({ baseUrls, seed }) => {
			const robot = seed.dingtalk.robots?.find((candidate) => candidate.secret) ?? {
				accessToken: '',
				secret: '',
			};
			return {
				webhookToken: `${baseUrls.dingtalkOapi}/robot/send?access_token=${robot.accessToken}`,
				signSecret: robot.secret ?? '',
			};
		},
	},
	{
		type: 'weComApi',
		id: 'wcEmulatorApp01',
		name: 'WeCom account',
		tokenPlatform: 'wecom',
		data: ({ baseUrls, seed }) => ({
			corpId: seed.wecom.corpId,
			corpSecret: seed.wecom.corpSecret,
			agentId: String(seed.wecom.agentId),
			baseUrl: baseUrls.wecom,
		}),
	},
	{
		// The emulator's DingTalk HTTP event subscription (test/emulator/README.md "Callbacks").
		type: 'dingTalkCallbackApi',
		id: 'dtEmulatorCallback01',
		name: 'DingTalk callback',
		data: () => ({
			ownerKey: 'dingemuappkey0001',
			token: 'emuDingTalkToken0001',
			encodingAesKeySecret: 'emuDingTalkCallbackAesKey000000000000000001',
		}),
	},
	{
		// The emulator's WeCom callback settings (test/emulator/README.md "Callbacks").
		type: 'weComCallbackApi',
		id: 'wcEmulatorCallback01',
		name: 'WeCom callback',
		data: () => ({
			corpId: 'wwemucorp0001',
			token: 'emuWeComCallbackToken',
			encodingAesKeySecret: 'emuWeComCallbackEncodingAESKey0000000000001',
		}),
	},
	{
		type: 'weComRobotApi',
		id: 'wcEmulatorRobot01',
		name: 'WeCom robot',
		data: ({ baseUrls, seed }) => ({
			webhookToken: `${baseUrls.wecom}/cgi-bin/webhook/send?key=${seed.wecom.robots?.[0]?.key ?? ''}`,
		}),
	},
];

/** What the credentials point at when no emulator object is available (values from its README). */
function fallbackEmulatorView(url = FALLBACK_EMULATOR_URL) {
	return /** @type {EmulatorView} */ ({
		baseUrls: {
			dingtalkOapi: `${url}/dingtalk/oapi`,
			dingtalkApi: `${url}/dingtalk/api`,
			wecom: `${url}/wecom`,
		},
		seed: {
			dingtalk: {
				appKey: 'dingemuappkey0001',
				appSecret: 'emu-dingtalk-app-secret-0001',
				agentId: 3000001,
				robots: [],
			},
			wecom: {
				corpId: 'wwemucorp0001',
				corpSecret: 'emu-wecom-secret-1000002',
				agentId: 1000002,
				robots: [],
			},
		},
	});
}

/**
 * The credentials in `n8n import:credentials` format (`data` in clear; n8n encrypts it on import).
 * @param {EmulatorView} emulator
 */
function emulatorCredentials(emulator) {
	return CREDENTIALS.map(({ type, id, name, data }) => ({ id, name, type, data: data(emulator) }));
}

/** Credentials a workflow's nodes reference: [{ nodeName, type, id, name }]. */
function referencedCredentials(
	/** @type {{ nodes: Array<{ name: string, credentials?: Record<string, { id?: string, name?: string }> }> }} */ workflow,
) {
	return workflow.nodes.flatMap((node) =>
		Object.entries(node.credentials ?? {}).map(([type, ref]) => ({
			nodeName: node.name,
			type,
			id: ref.id,
			name: ref.name,
		})),
	);
}

module.exports = {
	CREDENTIALS,
	emulatorCredentials,
	fallbackEmulatorView,
	referencedCredentials,
	FALLBACK_EMULATOR_URL,
};
