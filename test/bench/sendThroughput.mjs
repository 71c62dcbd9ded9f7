// Benchmark: what the pack adds on top of a bare HTTP client when sending DingTalk work
// notifications. Prints figures; asserts nothing (targets live here, never in timed tests).
//
//   baseline  undici, one keep-alive connection, the same asyncsend_v2 calls with a token in hand
//   pack      a real n8n run (n8n-core WorkflowExecute) of the DingTalk node, one item per call,
//             token cache and client-side pacing off, so the difference is our per-item overhead
//   burst     100 concurrent executions of one credential: how many token requests they cause
//
// Usage: npm run bench [-- --items 500]
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const require = createRequire(import.meta.url);
const { createEmulator } = require('../emulator');
const { runWorkflow } = require('../harness');
const pack = require('../../dist');
const { apiClient } = require('../../dist/nodes/shared/transport/apiClient');

const itemsArg = process.argv.indexOf('--items');
const ITEMS = itemsArg > 0 ? Number(process.argv[itemsArg + 1]) : 300;
const SEND_PATH = '/topapi/message/corpconversation/asyncsend_v2';

let tokenRequests = 0;
const emu = await createEmulator({
	maxRecordedRequests: 100,
	onRequest: (entry) => {
		if (entry.path === '/v1.0/oauth2/accessToken') tokenRequests++;
	},
});
const seed = emu.seed.dingtalk;
const message = (i) => ({ msgtype: 'text', text: { content: `benchmark message ${i}` } });
const user = (i) => `user${String((i % 320) + 1).padStart(3, '0')}`;

function figures(label, ms, calls, extra = '') {
	const perCall = ms / calls;
	console.log(
		`${label.padEnd(10)} ${calls} calls in ${ms.toFixed(0)} ms = ${perCall.toFixed(2)} ms/call, ${(1000 / perCall).toFixed(0)} calls/s ${extra}`,
	);
}

async function baseline() {
	const origin = new URL(emu.url);
	const pool = new Pool(origin.origin, { connections: 1 });
	const tokenResponse = await pool.request({
		path: `/dingtalk/api/v1.0/oauth2/accessToken`,
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ appKey: seed.appKey, appSecret: seed.appSecret }),
	});
	const { accessToken } = await tokenResponse.body.json();
	const started = performance.now();
	for (let i = 0; i < ITEMS; i++) {
		const response = await pool.request({
			path: `/dingtalk/oapi${SEND_PATH}?access_token=${accessToken}`,
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ agent_id: seed.agentId, userid_list: user(i), msg: message(i) }),
		});
		const body = await response.body.json();
		if (body.errcode !== 0) throw new Error(`baseline call failed: ${JSON.stringify(body)}`);
	}
	const ms = performance.now() - started;
	await pool.close();
	return ms;
}

const credentials = {
	dingTalkApi: {
		appKey: seed.appKey,
		appSecret: seed.appSecret,
		agentId: String(seed.agentId),
		oapiBaseUrl: emu.baseUrls.dingtalkOapi,
		apiBaseUrl: emu.baseUrls.dingtalkApi,
		maxRequestsPerSecond: 0,
	},
};

const workflow = {
	nodes: [
		{
			id: 's',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'd',
			name: 'Send',
			type: 'n8n-nodes-dingtalk-wecom.dingTalk',
			typeVersion: 1,
			position: [200, 0],
			parameters: {
				resource: 'workNotification',
				operation: 'send',
				sendTo: 'specific',
				userIds: '={{ $json.user }}',
				messageType: 'text',
				text: '={{ $json.text }}',
				options: {},
			},
			credentials: { dingTalkApi: { id: 'bench', name: 'bench' } },
		},
	],
	connections: { Start: { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
};
const run = (inputItems) =>
	runWorkflow({
		workflow,
		nodeTypes: { 'n8n-nodes-dingtalk-wecom.dingTalk': new pack.DingTalk() },
		credentialTypes: [new pack.DingTalkApi()],
		credentials,
		inputItems,
	});

async function packRun() {
	await run([{ user: 'user001', text: 'warm-up' }]);
	const inputItems = Array.from({ length: ITEMS }, (_, i) => ({
		user: user(i),
		text: message(i).text.content,
	}));
	global.gc?.();
	const heapBefore = process.memoryUsage().heapUsed;
	const started = performance.now();
	const result = await run(inputItems);
	const ms = performance.now() - started;
	const heapAfter = process.memoryUsage().heapUsed;
	const sent = result
		.nodeOutput('Send')
		.filter((item) => typeof item.json.taskId === 'number').length;
	if (sent !== ITEMS)
		throw new Error(`pack run sent ${sent} of ${ITEMS}: ${result.error?.message}`);
	return { ms, heapDeltaMb: (heapAfter - heapBefore) / 1024 / 1024 };
}

async function burst() {
	apiClient.resetTokens();
	const before = tokenRequests;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: 100 }, (_, i) => run([{ user: user(i), text: `burst ${i}` }])),
	);
	const ms = performance.now() - started;
	return { ms, tokenRequests: tokenRequests - before };
}

try {
	console.log(
		`DingTalk send benchmark, ${ITEMS} items, Node ${process.version}, emulator at ${emu.url}`,
	);
	const baseMs = await baseline();
	figures('baseline', baseMs, ITEMS);
	const { ms, heapDeltaMb } = await packRun();
	figures('pack', ms, ITEMS, `(heap +${heapDeltaMb.toFixed(1)} MB over the run)`);
	console.log(
		`overhead   ${((ms - baseMs) / ITEMS).toFixed(2)} ms per item over the bare client (n8n engine + our client)`,
	);
	const { ms: burstMs, tokenRequests: burstTokens } = await burst();
	console.log(
		`burst      100 concurrent executions in ${burstMs.toFixed(0)} ms, ${burstTokens} token request(s)`,
	);
	console.log(
		`memory     rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB at the end`,
	);
} finally {
	await emu.close();
}
