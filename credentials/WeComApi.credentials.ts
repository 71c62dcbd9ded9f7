import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IAuthenticateGeneric,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import {
	managedAccessTokenField,
	maxRequestsPerSecondField,
} from '../nodes/shared/credentialFields';
import { weComProfile } from '../nodes/shared/platforms/wecom';
import { fetchCredentialToken } from '../nodes/shared/transport/credentialToken';

/**
 * A self-built WeCom app (CorpID + the app's Secret). The WeCom node manages the access token itself;
 * `preAuthentication` + `authenticate` let n8n's HTTP Request node use the credential too.
 */
export class WeComApi implements ICredentialType {
	name = 'weComApi';

	displayName = 'WeCom API';

	icon = {
		light: 'file:../nodes/WeCom/wecom.svg',
		dark: 'file:../nodes/WeCom/wecom.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#wecom-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Corp ID',
			name: 'corpId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. ww1436e0e65a779aee',
			description: 'WeCom admin console → My Company → Company Information (企业ID)',
		},
		{
			displayName: 'Secret',
			name: 'corpSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The app's Secret: admin console → App Management → the app (each app has its own)",
		},
		{
			displayName: 'Agent ID',
			name: 'agentId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1000002',
			description: "The app's AgentId, needed to send app messages",
		},
		maxRequestsPerSecondField(0, 'WeCom allows 10,000 a minute per API for the whole company'),
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://qyapi.weixin.qq.com',
			description:
				'Change only to go through a reverse proxy with a fixed egress IP (for the Trusted IP rule) or to use a local emulator',
		},
		managedAccessTokenField,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return { accessToken: await fetchCredentialToken(this, weComProfile, credentials) };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { qs: { access_token: '={{ $credentials.accessToken }}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ($credentials.baseUrl || "https://qyapi.weixin.qq.com").replace(/\\/+$/, "") }}',
			url: '/cgi-bin/gettoken',
			method: 'GET',
			qs: { corpid: '={{ $credentials.corpId }}', corpsecret: '={{ $credentials.corpSecret }}' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 40013, message: 'The Corp ID is wrong' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 40001, message: 'The Secret is wrong' },
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errcode',
					value: 40091,
					message: 'The Secret belongs to another company or app',
				},
			},
		],
	};
}
