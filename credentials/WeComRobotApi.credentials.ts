import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { weComRobot } from '../nodes/WeCom/platform/robot';
import {
	robotAuthenticate,
	robotCheckField,
	robotCredentialTest,
} from '../nodes/shared/robot/credential';
import { checkRobotCredential } from '../nodes/shared/robot/webhook';

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
			// Named as the robot profile names it in its messages.
			displayName: weComRobot.webhookField.displayName,
			name: weComRobot.webhookField.name,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
			description: 'Group chat → Group Robots → the robot → Webhook URL. The key alone also works.',
		},
		robotCheckField,
	];

	/** Checks the key by errcode, without posting to the group. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		await checkRobotCredential(this, weComRobot, credentials);
		return { robotCheck: 'passed' };
	}

	authenticate = robotAuthenticate(weComRobot);

	test: ICredentialTestRequest = robotCredentialTest(weComRobot);
}
