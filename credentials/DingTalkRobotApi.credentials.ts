import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { dingTalkRobot } from '../nodes/DingTalk/platform/robot';
import {
	robotAuthenticate,
	robotCheckField,
	robotCredentialTest,
	robotPreAuthentication,
	robotWebhookProperty,
} from '../nodes/shared/robot/credential';

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
		robotWebhookProperty(dingTalkRobot),
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

	preAuthentication = robotPreAuthentication(dingTalkRobot);

	authenticate = robotAuthenticate(dingTalkRobot);

	test: ICredentialTestRequest = robotCredentialTest(dingTalkRobot);
}
