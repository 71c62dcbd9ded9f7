import type { IDataObject } from 'n8n-workflow';

import { redactSecrets } from '../../../shared/errors';
import { settle } from '../../../shared/settle';
import type { HttpHelper } from '../../../shared/transport/http';
import {
	familyBaseUrl,
	isLoopback,
	resolvePath,
	sendHttp,
	TransportError,
} from '../../../shared/transport/http';
import type { PlatformCredentials } from '../../../shared/platform/types';
import { dingTalkProfile } from '../../platform/profile';

/**
 * Opening a Stream connection: `POST /v1.0/gateway/connections/open` with the app's Client ID and
 * secret answers an endpoint and a one-use ticket (valid 90 s) for the WebSocket
 * (https://open.dingtalk.com/document/direction/stream-mode-protocol-access-description;
 * https://github.com/open-dingtalk/developerpedia/blob/main/docs/learn/stream/protocol.md).
 * Events are chosen in the developer console, so EVENT subscribes to topic `*` only.
 */

export const GATEWAY_PATH = '/v1.0/gateway/connections/open';
const USER_AGENT = 'n8n-nodes-dingtalk-wecom';

export interface StreamGrant {
	/** The WebSocket URL with its ticket: a secret for 90 s, never logged. */
	url: string;
	/** Host of the endpoint, for messages. */
	host: string;
}

/**
 * Why no connection could be opened. `refused`: the gateway refused the app (wrong Client ID or
 * secret, Stream not enabled) or the credential cannot work, so retrying cannot help; otherwise
 * (network, 5xx, a bad answer) the session tries again.
 */
export interface StreamProblem {
	refused: boolean;
	message: string;
	advice: string;
}

export type StreamOpening = { grant: StreamGrant } | { problem: StreamProblem };

const unavailable = (message: string): { problem: StreamProblem } => ({
	problem: {
		refused: false,
		message,
		advice: 'Check that this n8n server can reach DingTalk (proxy, firewall).',
	},
});

const refused = (message: string, advice: string): { problem: StreamProblem } => ({
	problem: { refused: true, message, advice },
});

/**
 * The endpoint the gateway answered, checked like a base URL: `wss://` to DingTalk's hosts or the
 * configured API host, plain `ws://` only to this machine (the emulator).
 */
export function endpointUrl(endpoint: unknown, ticket: unknown, apiBaseUrl: string): StreamOpening {
	if (typeof endpoint !== 'string' || typeof ticket !== 'string' || ticket === '') {
		return unavailable('The Stream gateway answered without an endpoint or ticket');
	}
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		return unavailable('The Stream gateway answered an endpoint that is not a URL');
	}
	const apiHost = new URL(apiBaseUrl).hostname;
	const host = url.hostname.toLowerCase();
	const trusted = host === apiHost || host === 'dingtalk.com' || host.endsWith('.dingtalk.com');
	const allowed =
		(url.protocol === 'wss:' && (trusted || isLoopback(host))) ||
		(url.protocol === 'ws:' && isLoopback(host));
	if (!allowed) {
		return unavailable(
			`The Stream gateway answered an endpoint the node does not connect to (${url.protocol}//${url.host}): only wss:// to DingTalk or the configured API host, or ws:// to this machine`,
		);
	}
	url.searchParams.set('ticket', ticket);
	return { grant: { url: url.toString(), host: url.host } };
}

/** Asks the gateway for a connection. */
export async function openStream(
	ctx: HttpHelper,
	credentials: PlatformCredentials,
): Promise<StreamOpening> {
	const clientId = String(credentials.appKey ?? '').trim();
	const clientSecret = String(credentials.appSecret ?? '');
	if (clientId === '' || clientSecret === '') {
		return refused(
			'The DingTalk API credential has no Client ID (AppKey) or Client Secret (AppSecret)',
			'Fill in both in the credential: the Stream connection is opened with them.',
		);
	}
	let baseUrl: string;
	try {
		baseUrl = familyBaseUrl(dingTalkProfile, 'api', credentials);
	} catch (error) {
		if (error instanceof TransportError) return refused(error.message, error.advice);
		return refused('The New API Base URL of the credential is invalid', 'Fix or clear it.');
	}
	const sent = await settle(
		sendHttp(
			ctx,
			{
				method: 'POST',
				url: resolvePath(baseUrl, GATEWAY_PATH),
				headers: { Accept: 'application/json' },
				body: {
					clientId,
					clientSecret,
					ua: USER_AGENT,
					subscriptions: [{ type: 'EVENT', topic: '*' }],
				},
				json: true,
				timeout: 15_000,
			},
			{ platform: 'DingTalk', secrets: [clientSecret] },
		),
	);
	if (!sent.ok) {
		return unavailable(
			sent.error instanceof Error ? sent.error.message : 'The Stream gateway is unreachable',
		);
	}
	const answer = sent.value;
	const body = (
		typeof answer.body === 'object' && answer.body !== null ? answer.body : {}
	) as IDataObject;
	if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) {
		const said = redactSecrets(
			[body.code, body.message].filter((part) => typeof part === 'string').join(': ') ||
				`HTTP ${answer.status}`,
			[clientSecret],
		);
		return refused(
			`DingTalk refused to open a Stream connection for this app (${said})`,
			'Check the Client ID and Client Secret of the DingTalk API credential, and that the app uses Stream mode: developer console → the app → Events & Callbacks (事件与回调) → push mode Stream (Stream 模式推送).',
		);
	}
	if (answer.status !== 200) {
		return {
			problem: {
				refused: false,
				message: `DingTalk's Stream gateway answered HTTP ${answer.status}`,
				advice:
					"A problem on DingTalk's side or its rate limit: a published trigger keeps trying with back-off; for a test run, try again shortly.",
			},
		};
	}
	return endpointUrl(body.endpoint, body.ticket, baseUrl);
}
