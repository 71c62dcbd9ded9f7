import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { dingTalkProfile } from '../nodes/DingTalk/platform/profile';
import {
	appCredentialAuthenticate,
	appCredentialProperties,
	appCredentialTest,
	fetchCredentialToken,
} from '../nodes/shared/credentials/appCredential';

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

	properties: INodeProperties[] = appCredentialProperties(dingTalkProfile, [
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
	]);

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await fetchCredentialToken(this, dingTalkProfile, credentials);
	}

	/** The new API (paths under /v1.0/ or /v2.0/) takes the token in a header, the old one in the query. */
	authenticate = appCredentialAuthenticate(dingTalkProfile);

	test: ICredentialTestRequest = appCredentialTest(dingTalkProfile);
}
