// @ts-check
'use strict';

/**
 * End to end against a real n8n 2.41.1 (provisioned on Node 24, see test/n8n/) with the built pack
 * installed as users install it, and the platform emulator standing in for DingTalk and WeCom.
 * One n8n serves the whole file. Needs `npm run build` first; the first run provisions n8n (~6 min).
 *
 * Adding an example: put the workflow in examples/ and its assertions in
 * test/e2e/examples/<name>.expect.js (see test/e2e/README.md). A missing assertion file fails.
 */

const fs = require('node:fs');
const path = require('node:path');
const { setUp, tearDown, allCases, loadFixture } = require('./support/environment');
const { executionsOf, firstOutputItems, tokenFetches } = require('./support/execution');
const { credentialSecrets, findLeaks } = require('../security/secretScan');
const { describePack } = require('../n8n/pack');
const { CREDENTIALS, referencedCredentials } = require('../n8n/credentials');
const { credentialProblems, isRunnableFromCli } = require('../n8n/examples');
const { describeTriggers } = require('./triggers.cases');

const SETUP_TIMEOUT_MS = 20 * 60_000; // includes first-time provisioning on a bare machine
const CASE_TIMEOUT_MS = 3 * 60_000;

/** @type {Awaited<ReturnType<typeof setUp>>} */
let context;
/** @type {Record<string, number>} */
const caseTimings = {};

beforeAll(async () => {
	context = await setUp();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
	await tearDown(context, caseTimings);
}, 60_000);

describe('the pack loads into n8n under its package name', () => {
	/** Type names the pack's package.json promises, from its built files. */
	const promised = () => describePack(context.runtime, context.pack.dir);

	test('every node of package.json is listed as <package name>.<node name>, none as CUSTOM.*', async () => {
		const expected = promised().nodes.map((node) => `${context.pack.name}.${node.name}`);
		const listed = (await context.rest.nodeTypes()).map((type) => type.name);
		expect(expected.length).toBeGreaterThan(0);
		expect(listed).toEqual(expect.arrayContaining(expected));
		expect(listed.filter((name) => name.startsWith('CUSTOM.'))).toEqual([]);
	});

	test('every credential of package.json is listed, with the fields npm run dev and the examples fill in', async () => {
		const credentialTypes = await context.rest.credentialTypes();
		const listed = new Map(credentialTypes.map((type) => [type.name, type]));
		const promisedTypes = promised().credentials.map((credential) => credential.name);
		expect([...listed.keys()]).toEqual(expect.arrayContaining(promisedTypes));
		// test/n8n/credentials.js must stay in step with the credential types it fills in.
		const mismatches = CREDENTIALS.flatMap(({ type, data }) => {
			const known = listed.get(type);
			if (!known) return [`${type}: not a credential type n8n loaded`];
			const fields = new Set(
				known.properties.map((/** @type {{ name: string }} */ property) => property.name),
			);
			return Object.keys(data(context.emulator))
				.filter((field) => !fields.has(field))
				.map((field) => `${type}.${field}: no such field`);
		});
		expect(mismatches).toEqual([]);
	});

	test('n8n logged no warning or error about the pack while starting', () => {
		// Not relying on describePack() here: a pack that fails to load must fail this test on its own.
		const names = [context.pack.name];
		const aboutThePack = new RegExp(
			`${names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}|Failed to load|Skipping package|Unknown credential name`,
			'i',
		);
		const problems = context.bootLog
			.filter((entry) => entry.level === 'warn' || entry.level === 'error')
			.filter((entry) =>
				aboutThePack.test(`${entry.message} ${JSON.stringify(entry.metadata ?? {})}`),
			)
			.map((entry) => `${entry.level}: ${entry.message}`);
		expect(context.bootLog.length).toBeGreaterThan(0); // the JSON log was written and read
		expect(problems).toEqual([]);
	});
});

describe('workflows run headless (n8n execute) against the emulator', () => {
	const cases = allCases();

	test('there are examples, and each references only the credentials npm run dev creates', () => {
		const examples = cases.filter((testCase) => testCase.kind === 'example');
		expect(examples.length).toBeGreaterThan(0);
		expect(examples.flatMap((example) => credentialProblems(example))).toEqual([]);
	});

	test.each(cases.map((testCase) => [`${testCase.kind} ${testCase.name}`, testCase.name]))(
		'%s',
		async (_title, name) => {
			const testCase = context.cases.find((candidate) => candidate.name === name);
			if (!testCase) throw new Error(`case ${name} was not set up`);
			if (!fs.existsSync(testCase.expectFile)) {
				throw new Error(
					`No assertions for ${testCase.kind} ${name}: create ${path.relative(process.cwd(), testCase.expectFile)} (see test/e2e/README.md)`,
				);
			}
			const expectation = require(testCase.expectFile);
			const check = typeof expectation === 'function' ? expectation : expectation.check;
			const started = Date.now();

			// Fresh emulator state and fresh credentials (no stored token) for every case, so request
			// counts and ids do not depend on which case ran before.
			context.emulator.reset();
			await context.n8n.importCredentials(context.credentials);
			const caseContext = { ...context, testCase };
			let execution;
			if (typeof expectation.run === 'function') {
				execution = await expectation.run(caseContext);
			} else {
				if (!isRunnableFromCli(testCase))
					throw new Error(
						`${name} does not start with a Manual Trigger: its assertion file must export run(context)`,
					);
				const run = await context.n8n.executeWorkflow(testCase.workflow.id);
				if (!run.execution)
					throw new Error(
						`n8n execute printed no execution for ${name}:\n${run.messages.join('\n')}`,
					);
				execution = run.execution;
			}
			const requests = context.emulator.requests();
			caseTimings[`case ${name}`] = Date.now() - started;

			expect({
				status: execution.status,
				error: execution.data?.resultData?.error?.message,
			}).toEqual({
				status: expectation.expectedStatus ?? 'success',
				error: expectation.expectedError,
			});
			// One token fetch per API credential the workflow uses (its token is then reused).
			for (const platform of /** @type {const} */ (['dingtalk', 'wecom'])) {
				const credentialIds = new Set(
					referencedCredentials(testCase.workflow)
						.filter(
							(reference) =>
								CREDENTIALS.find((credential) => credential.type === reference.type)
									?.tokenPlatform === platform,
						)
						.map((reference) => reference.id),
				);
				if (credentialIds.size)
					expect({ platform, tokenFetches: tokenFetches(requests, platform).length }).toEqual({
						platform,
						tokenFetches: expectation.tokenFetches?.[platform] ?? credentialIds.size,
					});
			}
			check(execution, requests, caseContext);
		},
		CASE_TIMEOUT_MS,
	);
});

describe('pickers in the editor (n8n asks the node through its REST API)', () => {
	const DINGTALK = { nodeType: 'n8n-nodes-dingtalk-wecom.dingTalk', version: 1.1 };
	const WECOM = { nodeType: 'n8n-nodes-dingtalk-wecom.weCom', version: 1.1 };
	const dingTalkCredential = { dingTalkApi: { id: 'dtEmulatorApp01', name: 'DingTalk account' } };
	/**
	 * The editor sends every parameter with its default; n8n checks the credential's display rule
	 * against them, and the DingTalk app credential's rule names the hidden switch.
	 */
	const AS_EDITOR = { pickMentionsFromContacts: true, resource: 'workNotification' };
	const weComCredential = { weComApi: { id: 'wcEmulatorApp01', name: 'WeCom account' } };

	beforeEach(async () => {
		context.emulator.reset();
		await context.n8n.importCredentials(context.credentials);
	});

	test('DingTalk lists departments by path and searches them; the recipient multi-select lists them too', async () => {
		const all = await context.rest.resourceLocatorResults({
			...DINGTALK,
			methodName: 'searchDepartments',
			credentials: dingTalkCredential,
			parameters: AS_EDITOR,
		});
		expect(all.results).toContainEqual({ name: '销售部 / 华东大区 (51)', value: '51' });
		const found = await context.rest.resourceLocatorResults({
			...DINGTALK,
			methodName: 'searchDepartments',
			credentials: dingTalkCredential,
			parameters: AS_EDITOR,
			filter: '上海',
		});
		expect(found.results).toEqual([{ name: '销售部 / 华东大区 / 上海办事处 (511)', value: '511' }]);
		const options = await context.rest.loadOptions({
			...DINGTALK,
			methodName: 'getDepartments',
			credentials: dingTalkCredential,
			// As the editor sends them: every parameter with its default, the hidden switch included.
			parameters: {
				pickMentionsFromContacts: true,
				resource: 'workNotification',
				operation: 'send',
				sendTo: 'specific',
			},
		});
		expect(options).toContainEqual({ name: '销售部', value: 5, description: 'ID 5' });
	});

	test('the DingTalk robot lists people to mention with the app credential, only while Pick Mentions From Contacts is on', async () => {
		const robotSend = { resource: 'groupRobot', operation: 'send', messageType: 'text' };
		const credentials = {
			...dingTalkCredential,
			dingTalkRobotApi: { id: 'dtEmulatorRobot01', name: 'DingTalk robot' },
		};
		const people = await context.rest.resourceLocatorResults({
			...DINGTALK,
			methodName: 'searchUsers',
			credentials,
			parameters: { ...robotSend, pickMentionsFromContacts: true },
			filter: '钱多多',
		});
		expect(people.results).toContainEqual({ name: '钱多多 (boss01)', value: 'boss01' });
		// With the switch off the node does not have the app credential, and n8n refuses to use it.
		await expect(
			context.rest.resourceLocatorResults({
				...DINGTALK,
				methodName: 'searchUsers',
				credentials,
				parameters: { ...robotSend, pickMentionsFromContacts: false },
				filter: '钱多多',
			}),
		).rejects.toThrow();
	});

	test('WeCom lists members, departments and tags; a missing permission becomes an entry that says what to grant', async () => {
		// First without the permission: a failed load is not cached, so the lists below load afresh.
		context.emulator.settings.set({ wecom: { contactsPermission: 'none' } });
		const refused = await context.rest.resourceLocatorResults({
			...WECOM,
			methodName: 'searchTags',
			credentials: weComCredential,
		});
		expect(refused.results).toHaveLength(1);
		expect(refused.results[0].name).toMatch(/^Cannot list tags: .*By ID/);

		context.emulator.reset();
		const users = await context.rest.resourceLocatorResults({
			...WECOM,
			methodName: 'searchUsers',
			credentials: weComCredential,
			filter: '张三',
		});
		expect(users.results).toEqual([{ name: '张三 (ZhangSan)', value: 'ZhangSan' }]);
		const tags = await context.rest.loadOptions({
			...WECOM,
			methodName: 'getTags',
			credentials: weComCredential,
		});
		expect(tags.map((tag) => tag.value)).toEqual([1, 2, 3, 4]);
	});
});

describe('publishing (n8n checks the saved nodes and their credentials)', () => {
	/** A scheduled workflow with one DingTalk robot node, its parameters as the editor saves them. */
	const scheduled = (name, robotParameters, credentials) => ({
		name,
		nodes: [
			{
				id: 'schedule',
				name: 'Every Day',
				type: 'n8n-nodes-base.scheduleTrigger',
				typeVersion: 1.2,
				position: [0, 0],
				parameters: { rule: { interval: [{ field: 'days' }] } },
			},
			{
				id: 'robot',
				name: 'Alert',
				type: 'n8n-nodes-dingtalk-wecom.dingTalk',
				typeVersion: 1.1,
				position: [200, 0],
				// Values at their defaults (Operation: Send, Message Type: Text, the switch off) are not saved.
				parameters: robotParameters,
				credentials,
			},
		],
		connections: { 'Every Day': { main: [[{ node: 'Alert', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	const robotCredential = { dingTalkRobotApi: { id: 'dtEmulatorRobot01', name: 'DingTalk robot' } };

	beforeEach(async () => {
		await context.n8n.importCredentials(context.credentials);
	});

	test('a robot workflow publishes with the robot credential alone; with mentions picked from contacts it needs the app credential', async () => {
		const robot = await context.rest.createWorkflow(
			scheduled(
				'e2e publish robot',
				{ resource: 'groupRobot', text: 'Daily check' },
				robotCredential,
			),
		);
		const published = await context.rest.publishWorkflow(robot.id, robot.versionId);
		expect(published.activeVersionId ?? published.active).toBeTruthy();
		await context.rest.unpublishWorkflow(robot.id);

		const picking = await context.rest.createWorkflow(
			scheduled(
				'e2e publish robot with picker',
				{ resource: 'groupRobot', text: 'Daily check', pickMentionsFromContacts: true },
				robotCredential,
			),
		);
		await expect(context.rest.publishWorkflow(picking.id, picking.versionId)).rejects.toThrow(
			/Missing required credential: dingTalkApi/,
		);
	});
});

describe("credential tests (the editor's Test button) ask the platform and fail on wrong input", () => {
	/**
	 * App credentials fail in their preAuthentication (the token fetch) before n8n reaches the test
	 * request's rules, so their messages are the pack's own, with the platform's errcode and a hint.
	 * [title, credential type, fields replacing the stored ones, expected status, expected message,
	 *  options: `setup(emulator)` before the test, `asksPlatform: false` when the pack refuses the
	 *  credential before sending anything]
	 * Wrong values are obviously fake so that an error message echoing them would be caught below.
	 * @type {Array<[string, string, Record<string, string>, 'OK' | 'Error', RegExp | undefined, { setup?: (emulator: any) => void, asksPlatform?: boolean }?]>}
	 */
	const cases = [
		['DingTalk app: right AppKey and AppSecret', 'dingTalkApi', {}, 'OK', undefined],
		[
			'DingTalk app: wrong AppSecret',
			'dingTalkApi',
			{ appSecret: 'WRONG-secret-e2e-0001' },
			'Error',
			/^DingTalk refused the credentials: .*\(invalidClientIdOrSecret\)\. Copy the Client ID \(AppKey\) and Client Secret \(AppSecret\) again/,
		],
		[
			'DingTalk app: unknown AppKey',
			'dingTalkApi',
			{ appKey: 'dingWRONGkey-e2e' },
			'Error',
			/^DingTalk refused the credentials: .*\(invalidClientIdOrSecret\)\. Copy the Client ID \(AppKey\) and Client Secret \(AppSecret\) again/,
		],
		['WeCom app: right Corp ID and Secret', 'weComApi', {}, 'OK', undefined],
		[
			'WeCom app: wrong Secret',
			'weComApi',
			{ corpSecret: 'WRONG-secret-e2e-0002' },
			'Error',
			/^WeCom refused the credentials: .*\(40001\)\. WeCom rejected the Secret\./,
		],
		[
			'WeCom app: wrong Corp ID',
			'weComApi',
			{ corpId: 'wwWRONGcorp-e2e' },
			'Error',
			/^WeCom refused the credentials: .*\(40013\)\. The CorpID is wrong\./,
		],
		[
			'DingTalk app: a new-API base URL over plain http to another host is refused, nothing sent',
			'dingTalkApi',
			{ apiBaseUrl: 'http://api.dingtalk.example' },
			'Error',
			/^The DingTalk credential's 'New API Base URL' uses plain http:\/\/ towards api\.dingtalk\.example, which would send the secret and tokens unencrypted\. Use https:\/\/api\.dingtalk\.example\./,
			{ asksPlatform: false },
		],
		[
			'WeCom app: an unreachable base URL names the host and the cause in plain words',
			'weComApi',
			{ baseUrl: 'http://127.0.0.1:1' },
			'Error',
			/^Could not reach WeCom at 127\.0\.0\.1:1: the connection was refused: nothing answers at that address\. Check the base URL in the credential/,
			{ asksPlatform: false },
		],
		[
			'WeCom app: a base URL that redirects is refused instead of following it',
			'weComApi',
			{},
			'Error',
			/^WeCom at 127\.0\.0\.1:\d+ answered with a redirect \(HTTP 307\) to elsewhere\.example, which the node does not follow\. A redirect would carry the secret/,
			{
				setup: (emulator) =>
					emulator.faults.add({
						platform: 'wecom',
						path: '/cgi-bin/gettoken',
						kind: 'status',
						status: 307,
						headers: { location: 'https://elsewhere.example/cgi-bin/gettoken' },
					}),
			},
		],
		['DingTalk robot: right webhook URL and sign secret', 'dingTalkRobotApi', {}, 'OK', undefined],
		[
			'DingTalk robot: wrong sign secret',
			'dingTalkRobotApi',
			{ signSecret: 'SECWRONGe2e0000000000000000000000000000000000000000000000000000' },
			'Error',
			/The sign secret is wrong/,
		],
		[
			'DingTalk robot: sign secret missing for a robot that signs',
			'dingTalkRobotApi',
			{ signSecret: '' },
			'Error',
			/The sign secret is wrong/,
		],
		[
			'DingTalk robot: unknown access token',
			'dingTalkRobotApi',
			{ webhookToken: 'WRONGtokene2e0000000000000000000000000000000000000000000000000000' },
			'Error',
			/^The robot's access token does not exist\. Copy the webhook URL again/,
		],
		[
			'DingTalk robot: an IP range that leaves out this server',
			'dingTalkRobotApi',
			{
				webhookToken: 'e2eiprangetoken000000000000000000000000000000000000000000000000',
				signSecret: '',
			},
			'Error',
			/^The robot accepts calls only from its IP range \(IP地址段\), and this n8n server is not in it/,
			{
				setup: (emulator) =>
					emulator.addSeed('dingtalk', 'robots', {
						name: 'e2e ip range',
						accessToken: 'e2eiprangetoken000000000000000000000000000000000000000000000000',
						ipWhitelist: ['10.0.0.1'],
					}),
			},
		],
		['WeCom robot: right webhook URL', 'weComRobotApi', {}, 'OK', undefined],
		[
			'WeCom robot: unknown key',
			'weComRobotApi',
			{ webhookToken: '00000000-WRONG-e2e-0000-000000000000' },
			'Error',
			/The webhook key is invalid/,
		],
	];

	test.each(cases)(
		'%s',
		async (_title, type, changes, status, message, options = {}) => {
			const stored = context.credentials.find((credential) => credential.type === type);
			if (!stored) throw new Error(`no emulator credential of type ${type}`);
			context.emulator.reset();
			options.setup?.(context.emulator);
			const data = { ...stored.data, ...changes };
			// Bare tokens go to the real platform host, which this machine cannot reach: point them at the emulator.
			if (changes.webhookToken && !/^https?:/.test(changes.webhookToken)) {
				const base = String(stored.data.webhookToken).split('?')[0];
				data.webhookToken = `${base}?${type === 'weComRobotApi' ? 'key' : 'access_token'}=${changes.webhookToken}`;
			}
			const result = await context.rest.testCredential({
				id: stored.id,
				name: stored.name,
				type,
				data,
			});

			expect(result.status).toBe(status);
			if (message) expect(result.message).toMatch(message);
			for (const secret of Object.values(changes).filter((value) => value.length > 0))
				expect(result.message).not.toContain(secret);
			// The test really asked the platform (unless the pack refused first), and a robot check
			// posted nothing to the group.
			if (options.asksPlatform === false) expect(context.emulator.requests()).toEqual([]);
			else expect(context.emulator.requests().length).toBeGreaterThan(0);
			expect([
				...context.emulator.state.dingtalk.robotMessages,
				...context.emulator.state.wecom.robotMessages,
			]).toEqual([]);
		},
		CASE_TIMEOUT_MS,
	);
});

describe('webhooks of a published workflow (n8n Webhook node)', () => {
	test(
		'each delivery starts exactly one execution with its data, and n8n answers what the last node returns',
		async () => {
			const started = Date.now();
			const { workflow, urls } = await publishWebhookFixture('webhook-echo');
			const [url] = urls;
			caseTimings['webhook publish until registered'] = Date.now() - started;

			const deliveries = [1, 2, 3, 4, 5].map((n) => ({
				body: { message: `delivery ${n}`, n },
				signature: `sig-${n}`,
			}));
			const deliver = async (/** @type {(typeof deliveries)[number]} */ delivery) => {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-e2e-signature': delivery.signature },
					body: JSON.stringify(delivery.body),
				});
				return { status: response.status, body: await response.json() };
			};
			// Three one after the other, then two at the same time.
			const answers = [];
			for (const delivery of deliveries.slice(0, 3)) answers.push(await deliver(delivery));
			answers.push(...(await Promise.all(deliveries.slice(3).map(deliver))));
			expect(answers).toEqual(
				deliveries.map(({ body, signature }) => ({
					status: 200,
					body: { echo: body.message, doubled: body.n * 2, signature },
				})),
			);

			const executions = await executionsOf(context, workflow.id, deliveries.length);
			expect(executions.map(({ mode, status }) => ({ mode, status }))).toEqual(
				deliveries.map(() => ({ mode: 'webhook', status: 'success' })),
			);
			const received = (await firstOutputItems(context, executions, 'Webhook')).map(
				(item) => item.json.body,
			);
			expect(received.sort((a, b) => a.n - b.n)).toEqual(
				deliveries.map((delivery) => delivery.body),
			);
		},
		CASE_TIMEOUT_MS,
	);

	test(
		'the emulator as the calling platform: WeCom and DingTalk approval events and a redelivery, one execution each, bytes as logged',
		async () => {
			const { workflow, urls } = await publishWebhookFixture('webhook-callbacks');
			const [url] = urls;
			const { callbacks } = context.emulator;
			callbacks.clearLog();
			// No timed assertions: the platform deadline (5 s WeCom, 1.5 s DingTalk) is widened so a slow
			// machine cannot fail the case; how fast n8n answered is printed with the timings instead.
			const patient = { waitMs: 15_000, deadlineMs: 15_000 };

			const wecom = await callbacks.wecom.deliver({
				url,
				approval: { statuChangeEvent: 2 },
				...patient,
			});
			const dingtalk = await callbacks.dingtalk.deliver({
				url,
				approval: { type: 'finish', result: 'agree' },
				...patient,
			});
			const again = await callbacks.redeliver(dingtalk.id, patient);
			const sent = [wecom, dingtalk, again];
			caseTimings['slowest n8n answer to a callback, Webhook node'] = Math.max(
				...sent.map((entry) => entry.elapsedMs ?? 0),
			);

			// The callback log recorded n8n's HTTP answer ("success", the Webhook node's Response Data).
			expect(
				sent.map((entry) => ({ status: entry.response?.status, body: entry.response?.body })),
			).toEqual(sent.map(() => ({ status: 200, body: 'success' })));
			// WeCom takes a bare "success"; DingTalk wants it encrypted, which a plain Webhook node cannot do
			// (that is the future trigger's job), so the emulator judges it the way DingTalk would.
			expect(wecom).toMatchObject({ ok: true, accepted: true });
			expect(dingtalk).toMatchObject({
				ok: false,
				accepted: false,
				reason: expect.stringContaining('plain text "success"'),
			});
			expect(again).toMatchObject({
				kind: 'redeliver',
				redeliveryOf: dingtalk.id,
				request: dingtalk.request,
			});

			// Exactly one execution per delivery, the redelivery included: n8n's Webhook node does not
			// deduplicate (platforms retry with the same bytes; dropping repeats is the future trigger's job).
			const executions = await executionsOf(context, workflow.id, sent.length);
			expect(executions.map(({ mode, status }) => ({ mode, status }))).toEqual(
				sent.map(() => ({ mode: 'webhook', status: 'success' })),
			);
			const received = (await firstOutputItems(context, executions, 'Webhook')).map((item) => ({
				query: item.json.query,
				body: item.json.body,
				raw: Buffer.from(item.binary.data.data, 'base64').toString('utf8'),
			}));
			// What n8n received is byte for byte what the emulator logged as sent (query, raw body), and
			// n8n's own parse of the body (XML for WeCom, JSON for DingTalk) holds the same envelope.
			const expected = sent.map((entry) => {
				const encrypt =
					entry.platform === 'wecom'
						? /<Encrypt><!\[CDATA\[(.*?)\]\]>/.exec(entry.request.body)?.[1]
						: JSON.parse(entry.request.body).encrypt;
				return {
					query: entry.query,
					body:
						entry.platform === 'wecom'
							? { xml: { tousername: 'wwemucorp0001', encrypt, agentid: '3010040' } }
							: { encrypt },
					raw: entry.request.body,
				};
			});
			const order = (/** @type {{ raw: string }} */ a, /** @type {{ raw: string }} */ b) =>
				a.raw.localeCompare(b.raw);
			expect(received.sort(order)).toEqual(expected.sort(order));
		},
		CASE_TIMEOUT_MS,
	);
});

describe('a callback receiver built from built-in nodes, called by the emulator as the platform', () => {
	test(
		'URL checks and events get the answers WeCom and DingTalk require; forged callbacks get 403',
		async () => {
			const { workflow } = await publishWebhookFixture('webhook-callback-receiver');
			const url = (/** @type {string} */ platform) =>
				context.n8n.webhookUrl(`e2e-receiver-${platform}`);
			const { callbacks } = context.emulator;
			callbacks.clearLog();
			const patient = { waitMs: 15_000, deadlineMs: 15_000 }; // no timed assertions, as above

			const genuine = [
				await callbacks.wecom.verifyUrl({ url: url('wecom'), ...patient }),
				await callbacks.wecom.deliver({
					url: url('wecom'),
					approval: { statuChangeEvent: 2 },
					...patient,
				}),
				await callbacks.dingtalk.checkUrl({ url: url('dingtalk'), ...patient }),
				await callbacks.dingtalk.deliver({
					url: url('dingtalk'),
					approval: { type: 'finish', result: 'agree' },
					...patient,
				}),
			];
			const forged = [
				await callbacks.wecom.deliver({ url: url('wecom'), forge: 'signature', ...patient }),
				await callbacks.wecom.deliver({ url: url('wecom'), forge: 'receiveId', ...patient }),
				await callbacks.dingtalk.deliver({ url: url('dingtalk'), forge: 'ownerKey', ...patient }),
				await callbacks.dingtalk.deliver({ url: url('dingtalk'), forge: 'stale', ...patient }),
			];
			const verdict = (/** @type {any} */ entry) => ({
				kind: entry.kind,
				forge: entry.forge,
				status: entry.response?.status,
				ok: entry.ok,
				reason: entry.reason,
			});
			expect(genuine.map(verdict)).toEqual(
				genuine.map((entry) => ({
					kind: entry.kind,
					forge: null,
					status: 200,
					ok: true,
					reason: undefined,
				})),
			);
			expect(forged.map(verdict)).toEqual(
				forged.map((entry) => ({
					kind: 'deliver',
					forge: entry.forge,
					status: 403,
					ok: true,
					reason: undefined,
				})),
			);
			// DingTalk's encrypted reply decrypts to "success" (the emulator checked its signature and ownerKey).
			expect(
				genuine.filter((entry) => entry.platform === 'dingtalk').map((entry) => entry.reply),
			).toEqual(['success', 'success']);

			// One execution per callback, and the receiver decrypted exactly what the emulator encrypted.
			const sent = [...genuine, ...forged];
			caseTimings['slowest n8n answer to a callback, receiver canary'] = Math.max(
				...sent.map((entry) => entry.elapsedMs ?? 0),
			);
			const executions = await executionsOf(context, workflow.id, sent.length);
			expect(executions.map(({ status }) => status)).toEqual(sent.map(() => 'success'));
			const decrypted = (await firstOutputItems(context, executions, 'Receiver')).map(
				(item) => item.json.event,
			);
			expect(decrypted.filter((event) => event !== null).sort()).toEqual(
				genuine.map((entry) => entry.plaintext).sort(),
			);
		},
		CASE_TIMEOUT_MS,
	);
});

/** Every secret of the run: the credentials' secrets and every token the emulator issued. */
function runSecrets() {
	const secrets = [...context.issuedTokens].map((value) => ({
		label: 'issued access token',
		value,
	}));
	for (const credential of context.credentials) {
		secrets.push(
			...credentialSecrets({
				[credential.type]: /** @type {Record<string, unknown>} */ (credential.data),
			}),
		);
	}
	return secrets;
}

describeTriggers(() => context, CASE_TIMEOUT_MS);

// Last in the file, so it reads the log and the executions of everything above.
describe('nothing secret in what n8n logged or stored', () => {
	test('no secret appears in any execution of the pack that n8n stored (items, errors, hints)', async () => {
		const executions = await context.rest.executions();
		const leaks = [];
		let scanned = 0;
		for (const { id } of executions) {
			const execution = await context.rest.execution(id);
			// The built-in canary fetches a token with n8n's own HTTP Request node on purpose; every
			// workflow with a node or credential of the pack is scanned.
			const nodes = execution.workflowData?.nodes ?? [];
			const usesPack = nodes.some(
				(/** @type {{ type: string, credentials?: object }} */ node) =>
					node.type.startsWith('n8n-nodes-dingtalk-wecom.') ||
					Object.keys(node.credentials ?? {}).some((type) =>
						context.credentials.some((credential) => credential.type === type),
					),
			);
			if (!usesPack) continue;
			scanned++;
			const where = `execution ${id} (${execution.workflowData?.name})`;
			leaks.push(
				...findLeaks(JSON.stringify(execution), runSecrets()).map((leak) => `${where}: ${leak}`),
			);
		}
		expect(scanned).toBeGreaterThanOrEqual(3);
		expect(leaks).toEqual([]);
	});

	test('no app secret, robot token, sign secret or issued access token appears in the n8n server log', () => {
		const secrets = new Set(runSecrets().map((secret) => secret.value));
		expect(context.issuedTokens.size).toBeGreaterThan(0); // the examples above did fetch tokens
		const logs = [context.n8n.logFile, context.n8n.jsonLogFile]
			.filter((file) => file && fs.existsSync(file))
			.map((file) => fs.readFileSync(file, 'utf8'));
		expect(logs.join('').length).toBeGreaterThan(0);
		const leaked = [...secrets].filter((secret) => logs.some((text) => text.includes(secret)));
		expect(leaked.map((secret) => `${secret.slice(0, 4)}… (${secret.length} chars)`)).toEqual([]);
	});
});

/**
 * Imports and publishes a fixture with n8n Webhook nodes (picked up by the running n8n, no restart)
 * and waits until each of its webhooks is registered. A Webhook node has the full path
 * /webhook/<path>; trigger nodes will get /webhook/<webhookId>/<path>.
 * @returns {Promise<{ workflow: any, urls: string[] }>} urls: one per Webhook node, in node order
 */
async function publishWebhookFixture(/** @type {string} */ name) {
	const workflow = loadFixture(name);
	await context.n8n.importWorkflows(workflow);
	await context.n8n.publishWorkflow(workflow.id);
	const webhooks = workflow.nodes.filter(
		(/** @type {{ type: string }} */ node) => node.type === 'n8n-nodes-base.webhook',
	);
	const urls = [];
	for (const { parameters } of webhooks) {
		const url = context.n8n.webhookUrl(parameters.path);
		await context.n8n.waitForWebhook(url, { method: parameters.httpMethod ?? 'GET' });
		urls.push(url);
	}
	return { workflow, urls };
}
