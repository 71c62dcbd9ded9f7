import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	DINGTALK_ROBOT_DEFAULTS,
	parseRobotWebhook,
	signDingTalkRobot,
} from '../nodes/shared/robotWebhook';

/**
 * A DingTalk group custom robot (自定义机器人). Users paste the whole webhook URL or only its
 * access_token; both work. With a sign secret (加签) every request is signed.
 */
export class DingTalkRobotApi implements ICredentialType {
	name = 'dingTalkRobotApi';

	displayName = 'DingTalk Robot API';

	icon = {
		light: 'file:../nodes/DingTalk/dingtalk.svg',
		dark: 'file:../nodes/DingTalk/dingtalk.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#dingtalk-robot-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook URL or Access Token',
			name: 'webhookToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. https://oapi.dingtalk.com/robot/send?access_token=…',
			description:
				'Group settings → Bots → the robot → Webhook. The access token alone also works.',
		},
		{
			displayName: 'Sign Secret',
			name: 'signSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'e.g. SEC…',
			description: "The robot's signing secret (加签), if its security settings use signing",
		},
	];

	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const { token } = parseRobotWebhook(credentials.webhookToken, DINGTALK_ROBOT_DEFAULTS);
		const qs: Record<string, string | number> = { access_token: token };
		const secret = String(credentials.signSecret ?? '').trim();
		if (secret) {
			const timestamp = Date.now();
			qs.timestamp = timestamp;
			qs.sign = signDingTalkRobot(secret, timestamp);
		}
		return { ...requestOptions, qs: { ...requestOptions.qs, ...qs } };
	};

	// An unknown msgtype is refused without posting anything, while a wrong token, a wrong sign or a
	// disabled robot are reported first: the test checks the robot and never writes to the group.
	test: ICredentialTestRequest = {
		request: {
			url: '={{ /^https?:\\/\\//i.test($credentials.webhookToken) ? $credentials.webhookToken.split("?")[0] : "https://oapi.dingtalk.com/robot/send" }}',
			method: 'POST',
			body: { msgtype: 'n8n_credential_check' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 300005, message: 'The access token does not exist' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 400101, message: 'The access token does not exist' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 400102, message: 'The robot is disabled' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 400106, message: 'The robot does not exist' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errcode', value: 400013, message: 'The group was dissolved' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'errmsg', value: 'sign not match', message: 'The sign secret is wrong' },
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errmsg',
					value: 'invalid timestamp',
					message: "The n8n server's clock is off by more than an hour",
				},
			},
		],
	};
}
