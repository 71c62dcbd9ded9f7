import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { dingTalkRobot } from '../nodes/DingTalk/platform/robot';
import {
	robotAuthenticate,
	robotCheckField,
	robotCredentialTest,
} from '../nodes/shared/robot/credential';
import { checkRobotCredential } from '../nodes/shared/robot/webhook';

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
			// Named as the robot profile names it in its messages.
			displayName: dingTalkRobot.webhookField.displayName,
			name: dingTalkRobot.webhookField.name,
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
		robotCheckField,
	];

	/** Checks the token, the signature and the IP range by errcode, without posting to the group. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		await checkRobotCredential(this, dingTalkRobot, credentials);
		return { robotCheck: 'passed' };
	}

	authenticate = robotAuthenticate(dingTalkRobot);

	test: ICredentialTestRequest = robotCredentialTest(dingTalkRobot);
}
