import { createHmac } from 'crypto';

/**
 * Group-robot webhooks are configured by pasting either the whole webhook URL or only its token
 * (DingTalk `access_token`, WeCom `key`); users do both, so accept both.
 */
export interface RobotWebhook {
	/** The send URL without its query string. */
	sendUrl: string;
	/** DingTalk access_token or WeCom key. */
	token: string;
}

export function parseRobotWebhook(
	input: unknown,
	defaults: { sendUrl: string; tokenParam: string },
): RobotWebhook {
	const value = String(input ?? '').trim();
	if (!/^https?:\/\//i.test(value)) return { sendUrl: defaults.sendUrl, token: value };
	const queryStart = value.indexOf('?');
	const sendUrl = queryStart === -1 ? value : value.slice(0, queryStart);
	const query = queryStart === -1 ? '' : value.slice(queryStart + 1);
	let token = '';
	for (const pair of query.split('&')) {
		const [name, raw = ''] = pair.split('=');
		if (name === defaults.tokenParam) token = decodeURIComponent(raw);
	}
	return { sendUrl, token };
}

/** DingTalk robot signing (加签): Base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), not yet URL-encoded. */
export function signDingTalkRobot(secret: string, timestamp: number): string {
	return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

export const DINGTALK_ROBOT_DEFAULTS = {
	sendUrl: 'https://oapi.dingtalk.com/robot/send',
	tokenParam: 'access_token',
};
export const WECOM_ROBOT_DEFAULTS = {
	sendUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
	tokenParam: 'key',
};
