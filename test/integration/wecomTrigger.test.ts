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
	const parameters: IDataObject = {
		events: 'approval',
		filters: {},
		settings: {},
		...request.parameters,
	};
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
		const hookWith = (credentials: IDataObject, settings: IDataObject = {}) =>
			({
				getCredentials: async () => credentials,
				getNodeParameter: () => settings,
				getNode: () => fakeNode(),
			}) as never;
		await expect(methods.checkExists.call(hookWith(CONFIG))).resolves.toBe(true);
		await expect(methods.create.call(hookWith(CONFIG))).resolves.toBe(true);
		await expect(methods.delete.call(hookWith(CONFIG))).resolves.toBe(true);
		// Publishing (or listening in a test run) fails with what to fix, instead of a trigger
		// that could only answer 500.
		await expect(
			methods.checkExists.call(hookWith({ ...CONFIG, encodingAesKeySecret: 'short' })),
		).rejects.toThrow(/The WeCom Trigger cannot check callbacks: The EncodingAESKey/);
		await expect(
			methods.checkExists.call(hookWith(CONFIG, { replayWindowSeconds: 0 })),
		).rejects.toThrow(/cannot check callbacks/);
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
		const echostr = emuCrypto.encrypt(
			CONFIG.encodingAesKeySecret,
			'7293845102938475610',
			CONFIG.corpId,
		);
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

	test('attachments of an approver are listed by media id, one as well as several', async () => {
		const plaintext = approvalEventXml(gen as never, Date.now(), { statuChangeEvent: 2 }).replace(
			'</Details>',
			'<Attach><![CDATA[WWCISP_one]]></Attach></Details>',
		);
		const item = (await call(delivery({ plaintext }))).result.workflowData?.[0][0].json;
		const nodes = item?.approvalNodes as Array<{ approvers: IDataObject[] }>;
		expect(nodes[0].approvers[0].attachments).toEqual(['WWCISP_one']);
		const two = plaintext.replace(
			'</Details>',
			'<Attach><![CDATA[WWCISP_two]]></Attach></Details>',
		);
		const again = (await call(delivery({ plaintext: two }))).result.workflowData?.[0][0].json;
		const againNodes = again?.approvalNodes as Array<{ approvers: IDataObject[] }>;
		expect(againNodes[0].approvers[0].attachments).toEqual(['WWCISP_one', 'WWCISP_two']);
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
			filters: { templateIds: 'T1, T3', statuses: ['2', '3'] },
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

	test('Change Events with Statuses keep the final decisions only: not earlier steps, not later comments', async () => {
		const parameters = {
			events: 'approval',
			filters: { statuses: ['2', '3'], changeEvents: ['2', '3'] },
		};
		const emitted = async (options: { statuChangeEvent: number; spStatus?: number }) => {
			const plaintext = approvalEventXml(gen as never, Date.now(), options);
			const outcome = await call({ ...delivery({ plaintext }), parameters });
			expect(outcome.sent).toEqual([{ status: 200, body: 'success' }]);
			return outcome.result.workflowData?.[0]?.length ?? 0;
		};
		// The first of two approvers agreed: the application is still pending.
		expect(await emitted({ statuChangeEvent: 2, spStatus: 1 })).toBe(0);
		expect(await emitted({ statuChangeEvent: 2, spStatus: 2 })).toBe(1);
		expect(await emitted({ statuChangeEvent: 3, spStatus: 3 })).toBe(1);
		// A comment on an approved application keeps SpStatus 2.
		expect(await emitted({ statuChangeEvent: 10, spStatus: 2 })).toBe(0);
	});

	test('a misconfigured credential answers 500 without revealing it', async () => {
		const outcome = await call({
			...delivery(),
			credentials: { encodingAesKeySecret: 'too-short-key' },
		});
		expect(outcome.sent[0].status).toBe(500);
		expect(outcome.result.workflowData).toBeUndefined();
		expect(`${outcome.sent[0].body} ${outcome.logs.join(' ')}`).not.toContain('too-short-key');
	});
});

// ---- Test messages written from the docs (the emulator has sys_approval_change XML only) ----

type Data = { [name: string]: string | number | Data | Array<string | number | Data> };

/**
 * `data` as WeCom writes it in XML: an element per key, one per entry of an array, strings in
 * CDATA and numbers bare, indented like the doc examples.
 */
function toXml(data: Data): string {
	const element = (name: string, value: Data[string], indent: string): string => {
		if (Array.isArray(value)) return value.map((entry) => element(name, entry, indent)).join('');
		if (typeof value === 'number') return `${indent}<${name}>${value}</${name}>\n`;
		if (typeof value === 'string') return `${indent}<${name}><![CDATA[${value}]]></${name}>\n`;
		const children = Object.entries(value)
			.map(([child, entry]) => element(child, entry, `${indent}  `))
			.join('');
		return `${indent}<${name}>\n${children}${indent}</${name}>\n`;
	};
	return `<xml>\n${Object.entries(data)
		.map(([name, value]) => element(name, value, '  '))
		.join('')}</xml>`;
}

interface OpenApprover {
	name: string;
	userId: string;
	status: number;
	speech?: string;
	opTime?: number;
}

interface OpenApprovalOptions {
	thirdNo?: string;
	templateId?: string;
	openSpStatus?: number;
	nodes?: Array<{ status: number; attr: number; type: number; items: OpenApprover[] }>;
	notifiers?: Array<{ name: string; userId: string }>;
	approverStep?: number;
}

/**
 * An `open_approval_change` event laid out as the example of
 * https://developer.work.weixin.qq.com/document/path/90269 (自建应用审批状态变化通知回调, quoted in
 * WxJava's WxCpXmlMessageTest): ApprovalInfo with ThirdNo, OpenSpName, OpenTemplateId, OpenSpStatus,
 * ApplyTime, the ApplyUser* fields, ApprovalNodes/ApprovalNode/Items/Item, NotifyNodes/NotifyNode and
 * approverstep (lower case, as in that example). Values are this test's own.
 */
function openApprovalData(options: OpenApprovalOptions = {}): Data {
	const nodes = options.nodes ?? [
		{ status: 1, attr: 1, type: 1, items: [{ name: '小红', userId: 'XiaoHong', status: 1 }] },
	];
	const notifiers = options.notifiers ?? [{ name: '小刚', userId: 'XiaoGang' }];
	return {
		ToUserName: CONFIG.corpId,
		FromUserName: 'sys',
		CreateTime: 1527838022,
		MsgType: 'event',
		Event: 'open_approval_change',
		AgentID: 1000002,
		ApprovalInfo: {
			ThirdNo: options.thirdNo ?? '201806010001',
			OpenSpName: '付款',
			OpenTemplateId: options.templateId ?? '1234567890',
			OpenSpStatus: options.openSpStatus ?? 1,
			ApplyTime: 1527837645,
			ApplyUserName: '小明',
			ApplyUserId: 'XiaoMing',
			ApplyUserParty: '产品部',
			ApplyUserImage: 'http://www.qq.com/xxx.png',
			ApprovalNodes: {
				ApprovalNode: nodes.map((node) => ({
					NodeStatus: node.status,
					NodeAttr: node.attr,
					NodeType: node.type,
					Items: {
						Item: node.items.map((item) => ({
							ItemName: item.name,
							ItemUserId: item.userId,
							ItemImage: `http://www.qq.com/${item.userId}.png`,
							ItemStatus: item.status,
							ItemSpeech: item.speech ?? '',
							ItemOpTime: item.opTime ?? 0,
						})),
					},
				})),
			},
			NotifyNodes: {
				NotifyNode: notifiers.map((notifier) => ({
					ItemName: notifier.name,
					ItemUserId: notifier.userId,
					ItemImage: `http://www.qq.com/${notifier.userId}.png`,
				})),
			},
			approverstep: options.approverStep ?? 0,
		},
	};
}

/**
 * A `sys_approval_change` event as the example of https://developer.work.weixin.qq.com/document/path/92633
 * lays it out, with one SpRecord, one Notifyer and one Attach, so that JSON has single objects
 * where XML has one element: both must still give arrays.
 */
const SYS_APPROVAL_DATA: Data = {
	ToUserName: CONFIG.corpId,
	FromUserName: 'sys',
	CreateTime: 1571732272,
	MsgType: 'event',
	Event: 'sys_approval_change',
	AgentID: 3010040,
	ApprovalInfo: {
		SpNoStr: '202506110001',
		SpNo: 202506110001,
		SpName: '示例模板',
		SpStatus: 2,
		TemplateId: '3TkaH5KFbrG9heEQWLJjhgpFwmqAFB4dLEnapaB7aaa',
		ApplyTime: 1571728713,
		Applyer: { UserId: 'WuJunJie', Party: '1' },
		SpRecord: {
			SpStatus: 2,
			ApproverAttr: 2,
			Details: [
				{
					Approver: { UserId: 'WangXiaoMing' },
					Speech: '同意',
					SpStatus: 2,
					SpTime: 1571732272,
					Attach: 'WWCISP_media',
				},
				{ Approver: { UserId: 'LiuXiaoHong' }, Speech: '', SpStatus: 1, SpTime: 0 },
			],
		},
		Notifyer: { UserId: 'LiuXiaoGang' },
		StatuChangeEvent: 2,
	},
};

const emittedItem = (outcome: Call) => outcome.result.workflowData?.[0]?.[0]?.json as IDataObject;

describe('WeCom Trigger: open_approval_change (a self-built app’s approval flow)', () => {
	test('one node with one approver: a clean item whose lists are still arrays', async () => {
		const plaintext = toXml(openApprovalData());
		const outcome = await call(delivery({ plaintext }));
		expect(outcome.sent).toEqual([{ status: 200, body: 'success' }]);
		expect(emittedItem(outcome)).toEqual({
			event: 'open_approval_change',
			corpId: CONFIG.corpId,
			agentId: '1000002',
			createTime: '2018-06-01T07:27:02.000Z',
			thirdNo: '201806010001',
			openSpName: '付款',
			openTemplateId: '1234567890',
			openSpStatus: { code: 1, name: 'pending' },
			applyTime: '2018-06-01T07:20:45.000Z',
			applicant: {
				userId: 'XiaoMing',
				name: '小明',
				party: '产品部',
				image: 'http://www.qq.com/xxx.png',
			},
			approverStep: 0,
			approvalNodes: [
				{
					status: { code: 1, name: 'pending' },
					approverAttr: { code: 1, name: 'any one approves (或签)' },
					nodeType: { code: 1, name: 'fixed members' },
					approvers: [
						{
							userId: 'XiaoHong',
							name: '小红',
							party: '',
							image: 'http://www.qq.com/XiaoHong.png',
							status: { code: 1, name: 'pending' },
							speech: '',
							time: null,
						},
					],
				},
			],
			notifiers: [
				{ userId: 'XiaoGang', name: '小刚', party: '', image: 'http://www.qq.com/XiaoGang.png' },
			],
			raw: plaintext,
		});
	});

	test('several nodes, approvers and cc users keep their order; acted times are ISO', async () => {
		const plaintext = toXml(
			openApprovalData({
				openSpStatus: 2,
				approverStep: 1,
				nodes: [
					{
						status: 2,
						attr: 2,
						type: 2,
						items: [
							{ name: 'A1', userId: 'A1', status: 2, speech: '同意', opTime: 1700000000 },
							{ name: 'A2', userId: 'A2', status: 2, speech: 'ok', opTime: 1700000100 },
						],
					},
					{
						status: 4,
						attr: 1,
						type: 3,
						items: [{ name: 'B1', userId: 'B1', status: 4, opTime: 1700000200 }],
					},
				],
				notifiers: [
					{ name: 'N1', userId: 'N1' },
					{ name: 'N2', userId: 'N2' },
				],
			}),
		);
		const item = emittedItem(await call(delivery({ plaintext })));
		expect(item.openSpStatus).toEqual({ code: 2, name: 'approved' });
		expect(item.approverStep).toBe(1);
		const nodes = item.approvalNodes as IDataObject[];
		expect(nodes.map((node) => [node.status, node.approverAttr, node.nodeType])).toEqual([
			[
				{ code: 2, name: 'approved' },
				{ code: 2, name: 'all approve (会签)' },
				{ code: 2, name: 'tag' },
			],
			[
				{ code: 4, name: 'redirected' },
				{ code: 1, name: 'any one approves (或签)' },
				{ code: 3, name: 'supervisor' },
			],
		]);
		const approvers = nodes.map((node) => node.approvers as IDataObject[]);
		expect(approvers.map((list) => list.map((a) => [a.userId, a.speech, a.time]))).toEqual([
			[
				['A1', '同意', '2023-11-14T22:13:20.000Z'],
				['A2', 'ok', '2023-11-14T22:15:00.000Z'],
			],
			[['B1', '', '2023-11-14T22:16:40.000Z']],
		]);
		expect((item.notifiers as IDataObject[]).map((n) => n.userId)).toEqual(['N1', 'N2']);
	});

	test('the spellings other sources use (ItemUserid, ApproverStep) are read the same', async () => {
		const plaintext = toXml(openApprovalData({ approverStep: 2 }))
			.split('ItemUserId')
			.join('ItemUserid')
			.split('approverstep')
			.join('ApproverStep');
		const item = emittedItem(await call(delivery({ plaintext })));
		const nodes = item.approvalNodes as Array<{ approvers: IDataObject[] }>;
		expect(nodes[0].approvers[0].userId).toBe('XiaoHong');
		expect((item.notifiers as IDataObject[])[0].userId).toBe('XiaoGang');
		expect(item.approverStep).toBe(2);
	});

	test('wrappers repeated in place (as WxJava reads ApprovalNodes and Items) give the same nodes', async () => {
		const plaintext = [
			'<xml><Event><![CDATA[open_approval_change]]></Event><ApprovalInfo>',
			'<OpenSpStatus>1</OpenSpStatus>',
			'<ApprovalNodes><NodeStatus>2</NodeStatus><NodeAttr>1</NodeAttr><NodeType>1</NodeType>',
			'<Items><ItemUserId><![CDATA[A1]]></ItemUserId><ItemStatus>2</ItemStatus></Items></ApprovalNodes>',
			'<ApprovalNodes><NodeStatus>1</NodeStatus><NodeAttr>2</NodeAttr><NodeType>1</NodeType>',
			'<Items><ItemUserId><![CDATA[B1]]></ItemUserId><ItemStatus>1</ItemStatus></Items>',
			'<Items><ItemUserId><![CDATA[B2]]></ItemUserId><ItemStatus>1</ItemStatus></Items></ApprovalNodes>',
			'</ApprovalInfo></xml>',
		].join('');
		const item = emittedItem(await call(delivery({ plaintext })));
		const nodes = item.approvalNodes as Array<{ approvers: IDataObject[] }>;
		expect(nodes.map((node) => node.approvers.map((a) => a.userId))).toEqual([
			['A1'],
			['B1', 'B2'],
		]);
		expect(item.notifiers).toEqual([]);
	});

	test('Template IDs match OpenTemplateId and Statuses OpenSpStatus', async () => {
		const parameters = {
			events: 'approval',
			filters: { templateIds: 'T1, T3', statuses: ['2', '4'] },
		};
		const emitted = async (options: OpenApprovalOptions) => {
			const plaintext = toXml(openApprovalData(options));
			const outcome = await call({ ...delivery({ plaintext }), parameters });
			expect(outcome.sent).toEqual([{ status: 200, body: 'success' }]);
			return outcome.result.workflowData?.[0]?.length ?? 0;
		};
		expect(await emitted({ templateId: 'T1', openSpStatus: 2 })).toBe(1);
		expect(await emitted({ templateId: 'T3', openSpStatus: 4 })).toBe(1);
		expect(await emitted({ templateId: 'T1', openSpStatus: 1 })).toBe(0);
		expect(await emitted({ templateId: 'T1', openSpStatus: 3 })).toBe(0);
		expect(await emitted({ templateId: 'T2', openSpStatus: 2 })).toBe(0);
	});

	test('the Statuses filter says which field and codes it matches for each event', () => {
		const filters = new WeComTrigger().description.properties.find((p) => p.name === 'filters');
		const filter = (filters?.options as Array<{ name: string; description?: string }>).find(
			(option) => option.name === 'statuses',
		);
		expect(filter?.description).toMatch(/SpStatus of sys_approval_change/);
		expect(filter?.description).toMatch(/OpenSpStatus of open_approval_change \(codes 1–4/);
	});
});

describe('WeCom Trigger: JSON callbacks (the decrypted message is JSON)', () => {
	const json = (data: unknown) => delivery({ format: 'json', plaintext: JSON.stringify(data) });

	test('sys_approval_change in JSON gives the item the same data gives in XML, answered with an empty body', async () => {
		const fromJson = await call(json(SYS_APPROVAL_DATA));
		expect(fromJson.sent).toEqual([{ status: 200, body: '' }]);
		const fromXml = await call(delivery({ plaintext: toXml(SYS_APPROVAL_DATA) }));
		const { raw: rawJson, ...jsonItem } = emittedItem(fromJson);
		const { raw: rawXml, ...xmlItem } = emittedItem(fromXml);
		expect(jsonItem).toEqual(xmlItem);
		expect(rawJson).toBe(JSON.stringify(SYS_APPROVAL_DATA));
		expect(rawXml).toBe(toXml(SYS_APPROVAL_DATA));
		expect(jsonItem).toMatchObject({
			event: 'sys_approval_change',
			agentId: '3010040',
			spNo: '202506110001',
			status: { code: 2, name: 'approved' },
			createTime: '2019-10-22T08:17:52.000Z',
			approvalNodes: [
				{
					approverAttr: { code: 2 },
					approvers: [
						{
							userId: 'WangXiaoMing',
							attachments: ['WWCISP_media'],
							time: '2019-10-22T08:17:52.000Z',
						},
						{ userId: 'LiuXiaoHong', attachments: [], time: null },
					],
				},
			],
			notifiers: ['LiuXiaoGang'],
			comments: [],
		});
	});

	test('open_approval_change in JSON, its lists as single objects or arrays, keys in lower case', async () => {
		const data = openApprovalData({ openSpStatus: 3 });
		const info = data.ApprovalInfo as Data;
		// One node and one cc user as objects instead of arrays of one; lower-case keys as WeCom's
		// JSON callbacks write them.
		const nodes = info.ApprovalNodes as { ApprovalNode: Data[] };
		const notified = info.NotifyNodes as { NotifyNode: Data[] };
		const lowered = {
			event: 'open_approval_change',
			approvalinfo: {
				...info,
				openspstatus: 3,
				OpenSpStatus: undefined,
				ApprovalNodes: { ApprovalNode: nodes.ApprovalNode[0] },
				NotifyNodes: { NotifyNode: notified.NotifyNode[0] },
			},
		};
		const item = emittedItem(await call(json(lowered)));
		expect(item.openSpStatus).toEqual({ code: 3, name: 'rejected' });
		const fromXml = emittedItem(await call(delivery({ plaintext: toXml(data) })));
		expect(item.approvalNodes).toEqual(fromXml.approvalNodes);
		expect(item.notifiers).toEqual(fromXml.notifiers);
		expect(item.thirdNo).toBe('201806010001');
	});

	test('another event in JSON: its fields as text, declared lists as arrays (Every Event)', async () => {
		const data = {
			ToUserName: CONFIG.corpId,
			FromUserName: 'sys',
			CreateTime: 1700000000,
			MsgType: 'event',
			Event: 'change_contact',
			ChangeType: 'update_user',
			UserID: 'zhangsan',
			IsLeaderInDept: '1,0',
			ExtAttr: { Item: { Name: '爱好', Type: 0, Text: { Value: '旅游' } } },
		};
		const skipped = await call(json(data));
		expect(skipped.sent).toEqual([{ status: 200, body: '' }]);
		expect(skipped.result.workflowData).toBeUndefined();
		const outcome = await call({ ...json(data), parameters: { events: 'all' } });
		expect(emittedItem(outcome)).toEqual({
			event: 'change_contact',
			ToUserName: CONFIG.corpId,
			FromUserName: 'sys',
			CreateTime: '1700000000',
			MsgType: 'event',
			Event: 'change_contact',
			ChangeType: 'update_user',
			UserID: 'zhangsan',
			IsLeaderInDept: '1,0',
			ExtAttr: { Item: [{ Name: '爱好', Type: '0', Text: { Value: '旅游' } }] },
			raw: JSON.stringify(data),
		});
	});

	test('a MsgId beyond 2^53 keeps every digit, so two messages that differ in the last one are both received', async () => {
		// The text message of WeCom's JSON sample (https://github.com/sbzhu/weworkapi_python/blob/master/callback_json/Sample.py),
		// its typo fixed; the MsgId is written as a JSON number there.
		const message = (msgId: string) =>
			`{"ToUserName":"${CONFIG.corpId}","FromUserName":"mycreate","CreateTime":1409659813,"MsgType":"text","Content":"hello","MsgId":${msgId},"AgentID":218}`;
		const node = fakeNode();
		const parameters = { events: 'all' };
		const send = (msgId: string) =>
			call({ ...delivery({ format: 'json', plaintext: message(msgId) }), node, parameters });
		const first = await send('4561255354251345929');
		expect(emittedItem(first)).toMatchObject({
			event: 'text',
			MsgId: '4561255354251345929',
			CreateTime: '1409659813',
			AgentID: '218',
		});
		// 4561255354251345929 and …930 are the same JavaScript number.
		expect(emittedItem(await send('4561255354251345930'))?.MsgId).toBe('4561255354251345930');
		const again = await send('4561255354251345929');
		expect(again.sent).toEqual([{ status: 200, body: '' }]);
		expect(again.result.workflowData).toBeUndefined();
	});

	test('a forged signature or a tampered ciphertext gets 403 and emits nothing', async () => {
		const plaintext = JSON.stringify(SYS_APPROVAL_DATA);
		expectRefused(await call(delivery({ format: 'json', plaintext, token: 'forged-token' })), 403);
		const request = json(SYS_APPROVAL_DATA);
		const body = request.rawBody
			.toString('utf8')
			.replace(/"encrypt":"(.)/, (_m, c) => `"encrypt":"${c === 'A' ? 'B' : 'A'}`);
		expectRefused(await call({ ...request, rawBody: body }), 403);
	});

	test('a signed message that is not a JSON object gets 400 and emits nothing', async () => {
		for (const plaintext of [
			'{"Event": "sys_approval_change", ',
			'{"Event": "sys_approval_change"} trailing',
			'{"CreateTime": 01}',
			'{"CreateTime": -}',
			'{"CreateTime": NaN}',
			'[{"Event": "sys_approval_change"}]',
			'"sys_approval_change"',
			'{"Event": "sys_approval_change", "__proto__": {"polluted": 1}}',
			// The envelope is JSON, so the message must be: XML inside is refused, not guessed.
			toXml(SYS_APPROVAL_DATA),
		]) {
			const outcome = await call({
				...delivery({ format: 'json', plaintext }),
				parameters: { events: 'all' },
			});
			expectRefused(outcome, 400);
			expect(outcome.logs.join(' ')).toMatch(/refused a callback \(format\)/);
		}
		expect(({} as IDataObject).polluted).toBeUndefined();
	});

	test('a signed message nested deeper than 32 levels gets 413 before it is parsed', async () => {
		const deep = `{"Event":"change_contact","a":${'['.repeat(40)}${']'.repeat(40)}}`;
		const outcome = await call({
			...delivery({ format: 'json', plaintext: deep }),
			parameters: { events: 'all' },
		});
		expectRefused(outcome, 413);
		// Brackets inside strings are text, not depth.
		const quoted = `{"Event":"change_contact","a":"${'['.repeat(40)}"}`;
		const accepted = await call({
			...delivery({ format: 'json', plaintext: quoted }),
			parameters: { events: 'all' },
		});
		expect(emittedItem(accepted)?.a).toBe('['.repeat(40));
		// So are escaped quotes: the string below does not end at \".
		const escaped = `{"Event":"change_contact","a":"\\"${'{'.repeat(40)}"}`;
		const stillText = await call({
			...delivery({ format: 'json', plaintext: escaped }),
			parameters: { events: 'all' },
		});
		expect(emittedItem(stillText)?.a).toBe(`"${'{'.repeat(40)}`);
	});
});
