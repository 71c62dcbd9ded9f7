import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { RobotProfile } from '../../shared/robot/webhook';

/**
 * DingTalk robot signing (加签): Base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), sent with
 * the millisecond timestamp; DingTalk refuses timestamps more than an hour off.
 * https://open.dingtalk.com/document/dingstart/customize-robot-security-settings
 */
export function signDingTalkRobot(secret: string, timestamp: number): string {
	return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

const COPY_AGAIN =
	'Copy the webhook URL again from the group settings → Bots → the robot (the whole URL or only its access_token).';

/** Refusals of the robot itself, by errcode (the texts vary; the codes do not). */
const ROBOT_REFUSALS: Record<number, string> = {
	300001: `The robot's access token does not exist. ${COPY_AGAIN}`,
	300005: `The robot's access token does not exist (or belongs to an external group's robot). ${COPY_AGAIN}`,
	400101: `The robot's access token does not exist. ${COPY_AGAIN}`,
	400102: 'The robot is disabled. A group admin can enable it again in the group settings → Bots.',
	400106: `The robot does not exist. ${COPY_AGAIN}`,
	400013: 'The group of this robot was dissolved.',
};

/**
 * Errcode 310000 covers every security setting; only its text tells them apart, in English
 * ("sign not match, more: …") or, since 2022, Chinese ("description:机器人发送签名不匹配;…").
 * https://open.dingtalk.com/document/development/custom-robots-send-group-messages
 */
function securityRefusal(errmsg: string): string | undefined {
	if (/timestamp|过期/i.test(errmsg)) {
		return "DingTalk refused the robot's signature timestamp: this n8n server's clock is off by more than an hour. Correct the server's time (NTP).";
	}
	if (/sign|签名/i.test(errmsg)) {
		return "The sign secret is wrong, or missing while the robot signs (加签). Copy the robot's SEC… secret again from its security settings.";
	}
	if (/whitelist|白名单/i.test(errmsg)) {
		const ip = /ip\s+([0-9a-f.:]+)\s+not/i.exec(errmsg)?.[1];
		return `The robot accepts calls only from its IP range (IP地址段), and this n8n server${ip ? ` (${ip})` : ''} is not in it. Add the server's public IP in the robot's security settings.`;
	}
	// Keywords are checked per message: the token and the signature were accepted.
	if (/keyword|关键词/i.test(errmsg)) return undefined;
	return `DingTalk's robot security check refused the call: ${errmsg}`;
}

export const dingTalkRobot: RobotProfile = {
	name: 'DingTalk robot',
	sendUrl: 'https://oapi.dingtalk.com/robot/send',
	tokenParam: 'access_token',
	webhookField: {
		name: 'webhookToken',
		displayName: 'Webhook URL or Access Token',
		placeholder: 'e.g. https://oapi.dingtalk.com/robot/send?access_token=…',
		description: 'Group settings → Bots → the robot → Webhook. The access token alone also works.',
	},
	signQuery: (credentials: IDataObject, nowMs: number) => {
		const secret = String(credentials.signSecret ?? '').trim();
		return secret ? { timestamp: nowMs, sign: signDingTalkRobot(secret, nowMs) } : {};
	},
	otherSecrets: (credentials: IDataObject) => [String(credentials.signSecret ?? '').trim()],
	// An unknown msgtype is refused after the token and security checks, so nothing is posted.
	probeBody: { msgtype: 'n8n_credential_check' },
	refusals: ROBOT_REFUSALS,
	refusalsByText: { 310000: securityRefusal },
	// Unsupported message type, missing content, and the per-minute limit (130101 live, 410100 in
	// the docs): all come after the token and the signature were accepted.
	acceptedCodes: [400105, 40035, 130101, 410100],
	credentialType: 'dingTalkRobotApi',
	throttle: {
		codes: [130101, 410100],
		blockMs: 10 * 60_000,
		rule: 'DingTalk takes 20 messages a minute per robot and refuses every message for 10 minutes after more (https://open.dingtalk.com/document/development/custom-robots-send-group-messages).',
	},
	messageRefusals: {
		310000: (errmsg) =>
			/keyword|关键词/i.test(errmsg)
				? "The robot's security setting requires one of its keywords (自定义关键词) in every message, and this message has none. Put a keyword into the text or title (the group settings → Bots → the robot show them)."
				: (securityRefusal(errmsg) ??
					`DingTalk's robot security check refused the message: ${errmsg}`),
		400105: () =>
			'DingTalk does not know this message type. Check msgtype (text, markdown, link, actionCard, feedCard).',
		40035: (errmsg) =>
			`DingTalk refused the message: ${errmsg}. Check the message fields of this item.`,
		430101: () => 'DingTalk refused the content as unsafe (430101). Change the text or links.',
		430102: () => 'DingTalk refused the content as unsafe (430102). Change the text or links.',
		430103: () => 'DingTalk refused the content as unsafe (430103). Change the text or links.',
		430104: () => 'DingTalk refused the content as unsafe (430104). Change the text or links.',
	},
	// DingTalk posts a msgUuid once however often it arrives (https://open.dingtalk.com/document/development/custom-robots-send-group-messages).
	idempotencyKey: (body, key) => (body.msgUuid ? body : { ...body, msgUuid: key }),
};
