// The WeCom Trigger's webhook function with fake n8n request/response objects. The platform side
// is the emulator's own crypto and approval XML (written independently of the pack), so a valid
// callback here is what WeCom sends; every forged or broken one must get a 4xx and emit nothing.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { WeComCallbackApi, WeComTrigger } from '../../index';
import { DEFAULT_CALLBACK_CONFIG } from '../emulator/callbacks/core';
import * as emuCrypto from '../emulator/callbacks/crypto';
import { approvalEventXml } from '../emulator/callbacks/wecom';

const CONFIG = {
	corpId: DEFAULT_CALLBACK_CONFIG.wecom.corpId,
	token: DEFAULT_CALLBACK_CONFIG.wecom.token,
	encodingAesKeySecret: DEFAULT_CALLBACK_CONFIG.wecom.encodingAESKey,
};

let counter = 0;
const gen = {
	next: () => ++counter,
	base64url: () => 'abcdefghijklmnopqrstuvwxyz0123',
	hex: () => '1234567890123456789',
};

interface Sent {
	status: number;
	body: string;
}

interface Call {
	result: IWebhookResponseData;
	sent: Sent[];
	logs: string[];
}

let nodeSeq = 0;

function fakeNode(): INode {
	return {
		id: `trigger-${++nodeSeq}`,
		name: 'WeCom Trigger',
		type: 'n8n-nodes-dingtalk-wecom.weComTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

interface Request {
	webhook: 'setup' | 'default';
	query: IDataObject;
	rawBody?: Buffer | string;
	parameters?: IDataObject;
	credentials?: IDataObject;
	node?: INode;
}

async function call(request: Request): Promise<Call> {
	const sent: Sent[] = [];
	const logs: string[] = [];
	const response = {
		statusCode: 200,
		status(code: number) {
			this.statusCode = code;
			return this;
		},
		type() {
			return this;
		},
		send(body: string) {
			sent.push({ status: this.statusCode, body });
			return this;
		},
	};
	const parameters: IDataObject = { events: 'approval', options: {}, ...request.parameters };
	const node = request.node ?? fakeNode();
	const context = {
		getResponseObject: () => response,
		getRequestObject: () => ({ rawBody: request.rawBody, body: {} }),
		getQueryData: () => request.query,
		getWebhookName: () => request.webhook,
		getCredentials: async () => ({ ...CONFIG, ...request.credentials }),
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getNode: () => node,
		getWorkflow: () => ({ id: 'wf-1', name: 'test', active: true }),
		helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
		logger: {
			warn: (message: string) => logs.push(message),
			error: (message: string) => logs.push(message),
			info: () => undefined,
			debug: () => undefined,
		},
	} as unknown as IWebhookFunctions;
	const result = await new WeComTrigger().webhook.call(context);
	return { result, sent, logs };
}

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

interface DeliveryOptions {
	plaintext?: string;
	token?: string;
	corpId?: string;
	timestamp?: string;
	nonce?: string;
	format?: 'xml' | 'json';
}

function delivery(options: DeliveryOptions = {}) {
	const plaintext =
		options.plaintext ?? approvalEventXml(gen as never, Date.now(), { statuChangeEvent: 2 });
	const timestamp = options.timestamp ?? nowSeconds();
	const nonce = options.nonce ?? String(1_000_000 + ++counter);
	const encrypt = emuCrypto.encrypt(
		CONFIG.encodingAesKeySecret,
		plaintext,
		options.corpId ?? CONFIG.corpId,
	);
	const msgSignature = emuCrypto.signature(
		options.token ?? CONFIG.token,
		timestamp,
		nonce,
		encrypt,
	);
	const rawBody =
		options.format === 'json'
			? JSON.stringify({ tousername: CONFIG.corpId, encrypt, agentid: '3010040' })
			: `<xml><ToUserName><![CDATA[${CONFIG.corpId}]]></ToUserName>\n<Encrypt><![CDATA[${encrypt}]]></Encrypt>\n<AgentID><![CDATA[3010040]]></AgentID></xml>`;
	return {
		webhook: 'default' as const,
		query: { msg_signature: msgSignature, timestamp, nonce },
		rawBody: Buffer.from(rawBody, 'utf8'),
		plaintext,
	};
}

function expectRefused(outcome: Call, status: number) {
	expect(outcome.result.workflowData).toBeUndefined();
	expect(outcome.sent).toHaveLength(1);
	expect(outcome.sent[0].status).toBe(status);
	const everything = `${outcome.sent[0].body} ${outcome.logs.join(' ')}`;
	expect(everything).not.toContain(CONFIG.token);
	expect(everything).not.toContain(CONFIG.encodingAesKeySecret);
}

describe('WeCom Trigger: description and credential', () => {
	test('GET and POST webhooks on one path, lifecycle methods that simply succeed', async () => {
		const trigger = new WeComTrigger();
		const webhooks = trigger.description.webhooks ?? [];
		expect(webhooks.map((hook) => [hook.name, hook.httpMethod, hook.path])).toEqual([
			['setup', 'GET', 'webhook'],
			['default', 'POST', 'webhook'],
		]);
		const methods = trigger.webhookMethods.default;
		const hook = {} as never;
		await expect(methods.checkExists.call(hook)).resolves.toBe(true);
		await expect(methods.create.call(hook)).resolves.toBe(true);
		await expect(methods.delete.call(hook)).resolves.toBe(true);
	});

	test('the credential names its fields as the admin console does, secrets hidden', () => {
		const credential = new WeComCallbackApi();
		expect(
			credential.properties.map((p) => [p.displayName, p.name, !!p.typeOptions?.password]),
		).toEqual([
			['Corp ID', 'corpId', false],
			['Token', 'token', true],
			['EncodingAESKey', 'encodingAesKeySecret', true],
		]);
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
	});

	test('the credential test checks the key locally', async () => {
		const test = new WeComTrigger().methods.credentialTest.weComCallbackApiTest;
		const run = (data: ICredentialDataDecryptedObject) =>
			test.call({} as never, { id: '1', name: 'c', type: 'weComCallbackApi', data });
		await expect(run(CONFIG)).resolves.toMatchObject({ status: 'OK' });
		const bad = await run({ ...CONFIG, encodingAesKeySecret: 'short' });
		expect(bad).toMatchObject({ status: 'Error' });
		expect(bad.message).not.toContain('short');
		await expect(run({ ...CONFIG, corpId: '' })).resolves.toMatchObject({ status: 'Error' });
	});
});

describe('WeCom Trigger: URL verification (GET)', () => {
	function verification(token: string = CONFIG.token) {
		const timestamp = nowSeconds();
		const nonce = '1372623149';
		const echostr = emuCrypto.encrypt(CONFIG.encodingAesKeySecret, '7293845102938475610', CONFIG.corpId);
		return {
			webhook: 'setup' as const,
			query: {
				msg_signature: emuCrypto.signature(token, timestamp, nonce, echostr),
				timestamp,
				nonce,
				echostr,
			},
		};
	}

	test('answers the plain echostr and starts nothing', async () => {
		const outcome = await call(verification());
		expect(outcome.sent).toEqual([{ status: 200, body: '7293845102938475610' }]);
		expect(outcome.result).toEqual({ noWebhookResponse: true });
	});

	test('a wrong signature gets 403 and no echostr', async () => {
		const outcome = await call(verification('another-token'));
		expectRefused(outcome, 403);
		expect(outcome.sent[0].body).not.toContain('7293845102938475610');
	});

	test('a missing echostr gets 400', async () => {
		const request = verification();
		delete (request.query as IDataObject).echostr;
		expectRefused(await call(request), 400);
	});
});

describe('WeCom Trigger: event delivery (POST)', () => {
	test('a genuine approval change answers success and emits the clean item', async () => {
		const request = delivery();
		const outcome = await call(request);
		expect(outcome.sent).toEqual([{ status: 200, body: 'success' }]);
		const items = outcome.result.workflowData?.[0] ?? [];
		expect(items).toHaveLength(1);
		const item = items[0].json;
		expect(item).toMatchObject({
			event: 'sys_approval_change',
			corpId: CONFIG.corpId,
			agentId: '3010040',
			spName: '请假',
			templateId: 'C4NyMabcdefghijklmnopqrstuvwxyz0123',
			status: { code: 2, name: 'approved' },
			statuChangeEvent: { code: 2, meaning: 'approved' },
			applicant: { userId: 'WangWu', party: '31' },
			approvalNodes: [
				{
					status: { code: 2, name: 'approved' },
					approverAttr: { code: 1 },
					approvers: [{ userId: 'LiSi', status: { code: 2, name: 'approved' }, speech: '同意' }],
				},
			],
			notifiers: ['ZhangSan'],
			comments: [],
			raw: request.plaintext,
		});
		expect(item.spNo).toMatch(/^\d{12}$/);
		expect(outcome.logs).toEqual([]);
	});

	test('several approvers, nodes and comments all survive as arrays', async () => {
		const plaintext = approvalEventXml(gen as never, Date.now(), {
			statuChangeEvent: 10,
			records: [
				{
					spStatus: 2,
					approverAttr: 2,
					details: [
						{ approver: 'A1', speech: 'ok', spStatus: 2, spTime: 1700000000 },
						{ approver: 'A2', speech: 'fine', spStatus: 2, spTime: 1700000100 },
					],
				},
				{ spStatus: 1, approverAttr: 1, details: [{ approver: 'B1', spStatus: 1, spTime: 0 }] },
			],
			notifyers: ['N1', 'N2'],
		});
		const outcome = await call(delivery({ plaintext }));
		const item = outcome.result.workflowData?.[0][0].json as IDataObject;
		const nodes = item.approvalNodes as Array<{ approvers: IDataObject[] }>;
		expect(nodes.map((node) => node.approvers.map((a) => a.userId))).toEqual([
			['A1', 'A2'],
			['B1'],
		]);
		expect(nodes[0].approvers[0].time).toBe('2023-11-14T22:13:20.000Z');
		expect(nodes[1].approvers[0].time).toBeNull();
		expect(item.notifiers).toEqual(['N1', 'N2']);
		expect(item.comments).toEqual([
			expect.objectContaining({ userId: 'ZhangSan', content: '请尽快处理' }),
		]);
		expect(item.statuChangeEvent).toEqual({ code: 10, meaning: 'comment added' });
	});

	test('the JSON envelope works too', async () => {
		const outcome = await call(delivery({ format: 'json' }));
		expect(outcome.sent).toEqual([{ status: 200, body: 'success' }]);
		expect(outcome.result.workflowData?.[0]).toHaveLength(1);
	});

	test('a wrong signature gets 403 and emits nothing', async () => {
		expectRefused(await call(delivery({ token: 'forged-token' })), 403);
	});

	test('a tampered body gets 403 (the signature covers the ciphertext)', async () => {
		const request = delivery();
		const body = request.rawBody
			.toString('utf8')
			.replace(/<Encrypt><!\[CDATA\[(.)/, (_m, c) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`);
		expectRefused(await call({ ...request, rawBody: body }), 403);
	});

	test('a message for another corp gets 403', async () => {
		expectRefused(await call(delivery({ corpId: 'wwemucorp0002' })), 403);
	});

	test('a stale timestamp gets 403, a future one too', async () => {
		const old = String(Math.floor(Date.now() / 1000) - 600);
		expectRefused(await call(delivery({ timestamp: old })), 403);
		const future = String(Math.floor(Date.now() / 1000) + 600);
		expectRefused(await call(delivery({ timestamp: future })), 403);
	});

	test("a repeated event (WeCom's own retry, or a replay of it) is answered success and starts no second execution", async () => {
		const node = fakeNode();
		const plaintext = approvalEventXml(gen as never, Date.now(), { statuChangeEvent: 3 });
		const first = await call({ ...delivery({ plaintext }), node });
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		const again = await call({ ...delivery({ plaintext }), node });
		expect(again.result.workflowData).toBeUndefined();
		expect(again.sent.map((answer) => [answer.status, answer.body])).toEqual([[200, 'success']]);
		// Another trigger node has its own memory.
		const elsewhere = await call({ ...delivery({ plaintext }) });
		expect(elsewhere.result.workflowData?.[0]).toHaveLength(1);
	});

	test('malformed inner XML gets 400', async () => {
		for (const plaintext of [
			'<xml><Event>sys_approval_change</Event>',
			'<xml><Event>a</Evnt></xml>',
			'<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>',
			'not xml at all',
		]) {
			expectRefused(await call(delivery({ plaintext })), 400);
		}
	});

	test('broken envelopes get 4xx', async () => {
		const good = delivery();
		for (const rawBody of [
			undefined,
			'',
			'<xml><Encrypt>',
			'<xml><ToUserName>x</ToUserName></xml>',
			'{"encrypt": 5}',
			'{not json',
			'<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>',
		]) {
			const outcome = await call({ ...good, rawBody });
			expect(outcome.result.workflowData).toBeUndefined();
			expect(outcome.sent[0].status).toBeGreaterThanOrEqual(400);
			expect(outcome.sent[0].status).toBeLessThan(500);
		}
		expectRefused(await call({ ...good, rawBody: 'x'.repeat(1_200_000) }), 413);
		expectRefused(await call({ ...good, query: { ...good.query, msg_signature: undefined } }), 403);
		expectRefused(await call({ ...good, query: { ...good.query, timestamp: ['1', '2'] } }), 400);
	});

	test('Events: other events only with "every event", as parsed fields', async () => {
		const plaintext =
			'<xml><ToUserName><![CDATA[wwemucorp0001]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA[update_user]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID></xml>';
		const skipped = await call(delivery({ plaintext }));
		expect(skipped.sent).toEqual([{ status: 200, body: 'success' }]);
		expect(skipped.result.workflowData).toBeUndefined();
		const all = await call({ ...delivery({ plaintext }), parameters: { events: 'all' } });
		expect(all.result.workflowData?.[0][0].json).toMatchObject({
			event: 'change_contact',
			ChangeType: 'update_user',
			UserID: 'zhangsan',
			raw: plaintext,
		});
	});

	test('Template IDs and Status filters answer success but emit only what matches', async () => {
		const approved = approvalEventXml(gen as never, Date.now(), {
			statuChangeEvent: 2,
			templateId: 'T1',
		});
		const pending = approvalEventXml(gen as never, Date.now(), {
			statuChangeEvent: 1,
			templateId: 'T1',
		});
		const other = approvalEventXml(gen as never, Date.now(), {
			statuChangeEvent: 2,
			templateId: 'T2',
		});
		const parameters = {
			events: 'approval',
			options: { templateIds: 'T1, T3', statuses: ['2', '3'] },
		};
		const emitted = async (plaintext: string) => {
			const outcome = await call({ ...delivery({ plaintext }), parameters });
			expect(outcome.sent).toEqual([{ status: 200, body: 'success' }]);
			return outcome.result.workflowData?.[0]?.length ?? 0;
		};
		expect(await emitted(approved)).toBe(1);
		expect(await emitted(pending)).toBe(0);
		expect(await emitted(other)).toBe(0);
	});

	test('a misconfigured credential answers 500 without revealing it', async () => {
		const outcome = await call({ ...delivery(), credentials: { encodingAesKeySecret: 'too-short-key' } });
		expect(outcome.sent[0].status).toBe(500);
		expect(outcome.result.workflowData).toBeUndefined();
		expect(`${outcome.sent[0].body} ${outcome.logs.join(' ')}`).not.toContain('too-short-key');
	});
});
