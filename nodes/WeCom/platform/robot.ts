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
	credentialType: 'weComRobotApi',
	throttle: {
		codes: [45009],
		// Someone else filled the robot's minute, and when their first post leaves it is unknown:
		// a whole window (plus the pacer's margin) always suffices, so one retry does.
		blockMs: 61_000,
		rule: 'WeCom takes 20 messages a minute per robot (https://developer.work.weixin.qq.com/document/path/91770).',
	},
	// Files and voices are uploaded to the robot's own endpoint first and sent by media_id
	// (reference B8: multipart field `media`, type file|voice).
	upload: {
		url: (sendUrl) =>
			/\/cgi-bin\/webhook\/send$/.test(sendUrl)
				? sendUrl.replace(/\/send$/, '/upload_media')
				: undefined,
		field: 'media',
		typeParam: 'type',
		refusalHint:
			'Files must be more than 5 bytes and up to 20 MB; voices AMR, up to 2 MB and 60 s.',
	},
	messageRefusals: {
		40035: (errmsg) =>
			`WeCom refused the message: ${errmsg.replace(/,?\s*hint:.*$/, '')}. Check this item's message: text up to 2048 bytes, markdown up to 4096, images JPG or PNG up to 2 MB, news 1 to 8 articles each with a title and a URL.`,
		40008: () => 'WeCom does not know this message type. Check msgtype.',
	},
};
