import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import {
	managedAccessTokenField,
	maxRequestsPerSecondField,
} from '../nodes/shared/credentialFields';
import { dingTalkProfile } from '../nodes/shared/platforms/dingtalk';
import { fetchCredentialToken } from '../nodes/shared/transport/credentialToken';

/**
 * An internal (self-built) DingTalk app. The DingTalk node manages the access token itself (cached,
 * refreshed early, refreshed once on rejection). `preAuthentication` + `authenticate` let n8n's
 * HTTP Request node use the credential too.
 */
export class DingTalkApi implements ICredentialType {
	name = 'dingTalkApi';

	displayName = 'DingTalk API';

	icon = {
		light: 'file:../nodes/DingTalk/dingtalk.svg',
		dark: 'file:../nodes/DingTalk/dingtalk.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#dingtalk-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID (AppKey)',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. dingxxxxxxxxxxxxxxxx',
			description: 'DingTalk Developer Console → your app → Credentials & Basic Info',
		},
		{
			displayName: 'Client Secret (AppSecret)',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Agent ID',
			name: 'agentId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 3000001',
			description: "The app's AgentId, needed to send work notifications (工作通知)",
		},
		maxRequestsPerSecondField(20, 'DingTalk allows 20 on standard-edition organisations'),
		{
			displayName: 'Old API Base URL',
			name: 'oapiBaseUrl',
			type: 'string',
			default: 'https://oapi.dingtalk.com',
			description: 'Change only to go through a reverse proxy or to use a local emulator',
		},
		{
			displayName: 'New API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: 'https://api.dingtalk.com',
			description: 'Change only to go through a reverse proxy or to use a local emulator',
		},
		managedAccessTokenField,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return { accessToken: await fetchCredentialToken(this, dingTalkProfile, credentials) };
	}

	/** The new API (paths under /v1.0/ or /v2.0/) takes the token in a header, the old one in the query. */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const token = String(credentials.accessToken ?? '');
		const target = `${requestOptions.baseURL ?? ''}${requestOptions.url ?? ''}`;
		if (/\/v[12]\.0\//.test(target)) {
			return {
				...requestOptions,
				headers: { ...requestOptions.headers, 'x-acs-dingtalk-access-token': token },
			};
		}
		return { ...requestOptions, qs: { ...requestOptions.qs, access_token: token } };
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.apiBaseUrl || "https://api.dingtalk.com").replace(/\\/+$/, "") }}',
			url: '/v1.0/oauth2/accessToken',
			method: 'POST',
			body: { appKey: '={{ $credentials.appKey }}', appSecret: '={{ $credentials.appSecret }}' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message: 'DingTalk rejected the Client ID (AppKey) or Client Secret (AppSecret)',
				},
			},
		],
	};
}
