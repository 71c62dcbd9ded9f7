import type { RobotProfile } from '../../shared/robot/webhook';

/** WeCom group robot (群机器人): https://developer.work.weixin.qq.com/document/path/91770 */
export const weComRobot: RobotProfile = {
	name: 'WeCom robot',
	sendUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
	tokenParam: 'key',
	webhookField: {
		name: 'webhookToken',
		displayName: 'Webhook URL or Key',
		placeholder: 'e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
		description: 'Group chat → Group Robots → the robot → Webhook URL. The key alone also works.',
	},
	otherSecrets: () => [],
	// An unknown msgtype is refused after the key check, so nothing is posted.
	probeBody: { msgtype: 'n8n_credential_check' },
	refusals: {
		93000:
			'The webhook key is invalid. Copy the webhook URL again from the group chat → Group Robots → the robot.',
	},
	// Invalid message type or parameter: the key was accepted.
	acceptedCodes: [40008, 40035],
};
