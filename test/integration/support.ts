import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import {
	DingTalk,
	DingTalkApi,
	DingTalkRobotApi,
	WeCom,
	WeComApi,
	WeComRobotApi,
} from '../../index';
import { sleep } from 'n8n-workflow';

import { clearPickerCaches } from '../../nodes/shared/contacts/pickerCache';
import { robotPacer } from '../../nodes/shared/robot/client';
import { apiClient } from '../../nodes/shared/transport/apiClient';
import { createEmulator } from '../emulator';
import { callPickerMethod, runWorkflow } from '../harness';
import { assertNoSecrets, credentialSecrets, emulatorSecrets } from '../security/secretScan';

export type Emulator = Awaited<ReturnType<typeof createEmulator>>;
type RecordedRequest = ReturnType<Emulator['requests']>[number];

export const DINGTALK_TYPE = 'n8n-nodes-dingtalk-wecom.dingTalk';
export const WECOM_TYPE = 'n8n-nodes-dingtalk-wecom.weCom';

const nodeTypes = { [DINGTALK_TYPE]: new DingTalk(), [WECOM_TYPE]: new WeCom() };
const credentialTypes = [
	new DingTalkApi(),
	new WeComApi(),
	new DingTalkRobotApi(),
	new WeComRobotApi(),
];

/**
 * One emulator per test file; every test starts from the seeded state with an empty token cache.
 * `afterRequest` hooks run when the emulator answered a platform request (e.g. expire tokens mid-run).
 */
export function useEmulator() {
	const context = {
		emu: undefined as unknown as Emulator,
		afterRequest: [] as Array<(entry: RecordedRequest) => void>,
	};
	beforeAll(async () => {
		context.emu = await createEmulator({
			onRequest: (entry) => context.afterRequest.forEach((hook) => hook(entry)),
		});
	});
	beforeEach(() => {
		context.emu.reset();
		context.afterRequest.length = 0;
		apiClient.reset();
		clearPickerCaches();
	});
	afterAll(async () => await context.emu.close());
	return context;
}

export function credentialsFor(
	emu: Emulator,
	overrides: {
		dingTalkApi?: IDataObject;
		weComApi?: IDataObject;
		dingTalkRobotApi?: IDataObject;
		weComRobotApi?: IDataObject;
	} = {},
) {
	const { dingtalk, wecom } = emu.seed;
	// The signed robot by default: every DingTalk robot test also exercises signing.
	const dingTalkRobot = dingtalk.robots?.find((robot) => robot.secret) ?? dingtalk.robots?.[0];
	return {
		dingTalkRobotApi: {
			webhookToken: dingTalkRobot?.webhookUrl ?? '',
			signSecret: dingTalkRobot?.secret ?? '',
			robotCheck: '',
			...overrides.dingTalkRobotApi,
		},
		weComRobotApi: {
			webhookToken: wecom.robots?.[0]?.webhookUrl ?? '',
			robotCheck: '',
			...overrides.weComRobotApi,
		},
		dingTalkApi: {
			appKey: dingtalk.appKey,
			appSecret: dingtalk.appSecret,
			agentId: String(dingtalk.agentId),
			oapiBaseUrl: emu.baseUrls.dingtalkOapi,
			apiBaseUrl: emu.baseUrls.dingtalkApi,
			maxRequestsPerSecond: 0,
			accessToken: '',
			...overrides.dingTalkApi,
		},
		weComApi: {
			corpId: wecom.corpId,
			corpSecret: wecom.corpSecret,
			agentId: String(wecom.agentId),
			baseUrl: emu.baseUrls.wecom,
			maxRequestsPerSecond: 0,
			accessToken: '',
			...overrides.weComApi,
		},
	};
}

/** Manual Trigger → one node of ours, as the editor would save it. */
export function singleNodeWorkflow(
	type: string,
	parameters: INodeParameters,
	options: {
		continueOnFail?: boolean;
		name?: string;
		typeVersion?: number;
		credential?: string;
	} = {},
) {
	const name = options.name ?? 'Node';
	const credential = options.credential ?? (type === DINGTALK_TYPE ? 'dingTalkApi' : 'weComApi');
	return {
		name: 'test',
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'node',
				name,
				type,
				typeVersion: options.typeVersion ?? 1,
				position: [200, 0],
				parameters,
				credentials: { [credential]: { id: 'cred-1', name: 'Test credential' } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: { Start: { main: [[{ node: name, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export async function run(
	emu: Emulator,
	workflow: object,
	options: {
		inputItems?: IDataObject[];
		/** Whole input items, e.g. with binary data. */
		inputExecutionItems?: INodeExecutionData[];
		credentials?: Parameters<typeof credentialsFor>[1];
	} = {},
) {
	const credentials = credentialsFor(emu, options.credentials);
	const result = await runWorkflow({
		workflow,
		nodeTypes,
		credentialTypes,
		credentials,
		inputItems: options.inputItems,
		inputExecutionItems: options.inputExecutionItems,
	});
	// Every run of every integration test passes the secret scan: nothing secret in its items,
	// errors or logs.
	assertNoSecrets(
		{ runData: result.runData, error: result.error, logs: result.logs },
		[...emulatorSecrets(emu), ...credentialSecrets(credentials)],
		'the workflow run',
	);
	return result;
}

/** Every string of a run's data, to check that no secret leaked into it. */
export function serialisedRun(result: Awaited<ReturnType<typeof run>>): string {
	const seen = new WeakSet();
	return JSON.stringify(
		{ runData: result.runData, error: result.error, logs: result.logs },
		(_key, value) => {
			if (value && typeof value === 'object') {
				if (seen.has(value)) return undefined;
				seen.add(value);
			}
			if (value instanceof Error)
				return {
					...value,
					message: value.message,
					stack: value.stack,
					description: (value as { description?: string }).description,
				};
			return value;
		},
	);
}

/** The tokens the emulator issued during the run: none may show up in n8n's data. */
export function issuedTokens(emu: Emulator): string[] {
	return emu
		.requests()
		.filter((r) => /gettoken|accessToken/.test(r.path))
		.map((r) => {
			const body = r.response as { access_token?: string; accessToken?: string };
			return body.access_token ?? body.accessToken ?? '';
		})
		.filter(Boolean);
}

/** Parameters of DingTalk → Work Notification → Send with a text to `$json.users`. */
export const dingTalkSendText = (extra: Record<string, unknown> = {}) => ({
	resource: 'workNotification',
	operation: 'send',
	sendTo: 'specific',
	userIds: '={{ $json.users }}',
	departmentIds: '',
	messageType: 'text',
	text: '=Hello {{ $json.name }}',
	options: {},
	...extra,
});

/** Parameters of WeCom → App Message → Send with a text to `$json.users` (departments, tags). */
export const weComSendText = (extra: Record<string, unknown> = {}) => ({
	resource: 'appMessage',
	operation: 'send',
	sendTo: 'specific',
	userIds: '={{ $json.users }}',
	departmentIds: '={{ $json.departments }}',
	tagIds: '={{ $json.tags }}',
	messageType: 'text',
	content: '=Hi {{ $json.name }}',
	options: {},
	...extra,
});

/** A picker of one of our nodes as the editor calls it: listSearch (filter, page) or loadOptions. */
export async function pick(
	emu: Emulator,
	type: string,
	kind: 'listSearch' | 'loadOptions',
	method: string,
	options: {
		filter?: string;
		paginationToken?: string;
		parameters?: INodeParameters;
		credentials?: Parameters<typeof credentialsFor>[1];
	} = {},
) {
	const credential = type === DINGTALK_TYPE ? 'dingTalkApi' : 'weComApi';
	const credentials = credentialsFor(emu, options.credentials);
	const result = await callPickerMethod({
		nodeTypes,
		credentialTypes,
		credentials,
		node: {
			id: 'node',
			name: 'Node',
			type,
			typeVersion: 1.1,
			position: [0, 0],
			parameters: options.parameters ?? {},
			credentials: { [credential]: { id: 'cred-1', name: 'Test credential' } },
		},
		kind,
		method,
		filter: options.filter,
		paginationToken: options.paginationToken,
	});
	assertNoSecrets(result, [...emulatorSecrets(emu), ...credentialSecrets(credentials)], 'a picker');
	return result as {
		results: Array<{ name: string; value: string | number }>;
		paginationToken?: string;
	} & Array<{ name: string; value: string | number; description?: string }>;
}

/**
 * Robot tests run the process-wide robot pacer on the emulator's clock, frozen: a wait moves it
 * forward at once, so a minute of pacing takes no real time.
 */
export function useFrozenRobotClock(ctx: ReturnType<typeof useEmulator>) {
	beforeEach(() => {
		robotPacer.clear();
		ctx.emu.clock.freeze();
		robotPacer.useClock({
			now: () => ctx.emu.clock.now(),
			sleep: async (ms) => {
				ctx.emu.clock.advance(ms);
			},
		});
	});
	afterAll(() => robotPacer.useClock({ now: () => Date.now(), sleep }));
}
