import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { parseRobotWebhook, WECOM_ROBOT_DEFAULTS } from '../nodes/shared/robotWebhook';

/** A WeCom group robot (群机器人). Users paste the whole webhook URL or only its key; both work. */
export class WeComRobotApi implements ICredentialType {
	name = 'weComRobotApi';

	displayName = 'WeCom Robot API';

	icon = {
		light: 'file:../nodes/WeCom/wecom.svg',
		dark: 'file:../nodes/WeCom/wecom.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#wecom-robot-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook URL or Key',
			name: 'webhookToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
			description: 'Group chat → Group Robots → the robot → Webhook URL. The key alone also works.',
		},
	];

	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const { token } = parseRobotWebhook(credentials.webhookToken, WECOM_ROBOT_DEFAULTS);
		return { ...requestOptions, qs: { ...requestOptions.qs, key: token } };
	};

	// An unknown msgtype is refused without posting, while an invalid key is reported as 93000.
	test: ICredentialTestRequest = {
		request: {
			url: '={{ /^https?:\\/\\//i.test($credentials.webhookToken) ? $credentials.webhookToken.split("?")[0] : "https://qyapi.weixin.qq.com/cgi-bin/webhook/send" }}',
			method: 'POST',
			body: { msgtype: 'n8n_credential_check' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 93000, message: 'The webhook key is invalid' },
			},
		],
	};
}
