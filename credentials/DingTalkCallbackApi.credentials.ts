import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The HTTP event subscription of a DingTalk app (事件订阅 → HTTP 推送): the aes_key and token the
 * developer console shows, and the owner key every push is encrypted for — the app's AppKey for an
 * internal app's console subscription, the CorpId when the callback was registered through the API
 * (https://open.dingtalk.com/document/development/http-callback-overview). Used by the DingTalk
 * Trigger to verify, decrypt and answer every push; nothing is sent anywhere, so there is no test
 * request.
 */
export class DingTalkCallbackApi implements ICredentialType {
	name = 'dingTalkCallbackApi';

	displayName = 'DingTalk Callback API';

	icon = {
		light: 'file:../nodes/DingTalk/dingtalk.svg',
		dark: 'file:../nodes/DingTalk/dingtalk.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#dingtalk-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Owner Key (AppKey or CorpId)',
			name: 'ownerKey',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. dingxxxxxxxxxxxxxxxx',
			description:
				"The app's Client ID (AppKey) when the subscription is set in the developer console (the usual case); the CorpId when the callback was registered through the API. Every push is encrypted for it.",
		},
		{
			displayName: 'Token (签名 Token)',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Developer console → the app → Events & Callbacks (事件与回调) → HTTP push: the token (签名 token)',
		},
		{
			displayName: 'aes_key (加密 aes_key)',
			name: 'encodingAesKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The same page: the aes_key (加密 aes_key), 43 letters and digits',
		},
	];
}
