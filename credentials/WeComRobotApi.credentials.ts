import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { weComRobot } from '../nodes/WeCom/platform/robot';
import {
	robotAuthenticate,
	robotCheckField,
	robotCredentialTest,
	robotPreAuthentication,
	robotWebhookProperty,
} from '../nodes/shared/robot/credential';

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

	properties: INodeProperties[] = [robotWebhookProperty(weComRobot), robotCheckField];

	preAuthentication = robotPreAuthentication(weComRobot);

	authenticate = robotAuthenticate(weComRobot);

	test: ICredentialTestRequest = robotCredentialTest(weComRobot);
}
