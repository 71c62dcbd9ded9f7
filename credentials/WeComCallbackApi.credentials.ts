import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The receive-message settings of a WeCom app (接收消息 → 设置API接收): the corp ID the messages are
 * addressed to, and the Token and EncodingAESKey the console generates. Used by the WeCom Trigger to
 * verify, decrypt and check every callback; nothing is sent anywhere, so there is no test request.
 */
export class WeComCallbackApi implements ICredentialType {
	name = 'weComCallbackApi';

	displayName = 'WeCom Callback API';

	icon = {
		light: 'file:../nodes/WeCom/wecom.svg',
		dark: 'file:../nodes/WeCom/wecom.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#wecom-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Corp ID',
			name: 'corpId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. ww1436e0e65a779aee',
			description:
				'WeCom admin console → My Company → Company Information (企业ID): the receive ID every callback must carry',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The app's Receive Messages settings (接收消息 → 设置API接收) → Token; copy it, or let the console generate one",
		},
		{
			displayName: 'EncodingAESKey',
			name: 'encodingAesKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The same settings → EncodingAESKey: 43 letters and digits',
		},
	];
}
