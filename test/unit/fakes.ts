import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { ApiClient, DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport/apiClient';
import type { RetryPolicy } from '../../nodes/shared/transport/apiClient';
import { Throttle } from '../../nodes/shared/transport/throttle';
import { TokenCache } from '../../nodes/shared/transport/tokenCache';

export const node: INode = {
	id: 'node-1',
	name: 'Test Node',
	type: 'n8n-nodes-dingtalk-wecom.dingTalk',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface Answer {
	statusCode: number;
	body: unknown;
}

/** A scripted platform: each handler sees the request and answers, or throws a network error. */
export type Handler = (request: IHttpRequestOptions) => Answer | Promise<Answer>;

export class FakeHttp {
	readonly calls: IHttpRequestOptions[] = [];

	constructor(private readonly handler: Handler) {}

	readonly ctx = {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) => {
				// Copy, so later mutation by the client cannot rewrite what the test saw.
				this.calls.push(JSON.parse(JSON.stringify(options)));
				return await this.handler(options);
			},
		},
		getNode: () => node,
	};

	callsTo(pathPart: string): IHttpRequestOptions[] {
		return this.calls.filter((call) => call.url.includes(pathPart));
	}
}

/** A controllable clock whose sleep advances time instead of waiting. */
export class FakeClock {
	time = 1_700_000_000_000;

	readonly sleeps: number[] = [];

	now = () => this.time;

	sleep = async (ms: number) => {
		this.sleeps.push(ms);
		this.time += ms;
	};
}

export function createTestClient(clock = new FakeClock(), policy: Partial<RetryPolicy> = {}) {
	const tokenCache = new TokenCache({ now: clock.now });
	const client = new ApiClient({
		tokenCache,
		throttle: new Throttle({ now: clock.now, sleep: clock.sleep }),
		sleep: clock.sleep,
		random: () => 0.5,
		retryPolicy: { ...DEFAULT_RETRY_POLICY, ...policy },
	});
	return { client, tokenCache, clock };
}

export const dingTalkCredentials = {
	appKey: 'dingappkey',
	appSecret: 'super-secret-app-secret',
	agentId: '3000001',
	oapiBaseUrl: 'https://oapi.test',
	apiBaseUrl: 'https://api.test',
	maxRequestsPerSecond: 0,
};

export const weComCredentials = {
	corpId: 'wwcorp',
	corpSecret: 'super-secret-corp-secret',
	agentId: '1000002',
	baseUrl: 'https://qyapi.test',
	maxRequestsPerSecond: 0,
};

/** Collects every string reachable from a value (error objects included) to look for secrets. */
export function allStrings(value: unknown, seen = new Set<unknown>()): string[] {
	if (typeof value === 'string') return [value];
	if (!value || typeof value !== 'object' || seen.has(value)) return [];
	seen.add(value);
	const keys = new Set([...Object.getOwnPropertyNames(value), ...Object.keys(value)]);
	return [...keys].flatMap((key) => allStrings((value as Record<string, unknown>)[key], seen));
}
