import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { weComProfile } from '../nodes/WeCom/platform/profile';
import {
	appCredentialAuthenticate,
	appCredentialProperties,
	appCredentialTest,
	fetchCredentialToken,
} from '../nodes/shared/credentials/appCredential';

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

	properties: INodeProperties[] = appCredentialProperties(weComProfile, [
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
	]);

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await fetchCredentialToken(this, weComProfile, credentials);
	}

	authenticate = appCredentialAuthenticate(weComProfile);

	test: ICredentialTestRequest = appCredentialTest(weComProfile);
}
