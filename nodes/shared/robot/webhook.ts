import type { IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { redactSecrets } from '../errors';
import { settle } from '../settle';
import { checkBaseUrl, sendHttp, TransportError } from '../transport/http';

/** A group robot's webhook, as platform data (nodes/<Platform>/platform/robot.ts). */
export interface RobotProfile {
	/** Shown in messages, e.g. "DingTalk robot". */
	name: string;
	/** The send URL used when the credential holds only the token or key. */
	sendUrl: string;
	/** The query parameter that carries the token or key. */
	tokenParam: string;
	/** The credential field with the webhook URL or token, as the form shows it. */
	webhookField: { name: string; displayName: string; placeholder: string; description: string };
	/** Extra query parameters for a request, e.g. DingTalk's signature. */
	signQuery?(credentials: IDataObject, nowMs: number): IDataObject;
	/** Secrets of the credential besides the token (sign secret). */
	otherSecrets(credentials: IDataObject): string[];
	/** A body the robot refuses without posting anything to the group. */
	probeBody: IDataObject;
	/** Errcodes that refuse the credential itself, with what to tell the user. */
	refusals: Record<number, string>;
	/** Errcodes whose text tells apart what is wrong: undefined when the credential is fine. */
	refusalsByText?: Record<number, (errmsg: string) => string | undefined>;
	/** Errcodes the robot answers the probe with once it accepted the credential. */
	acceptedCodes: number[];
	/** The credential type the node's robot resource asks for. */
	credentialType: string;
	/** The robot's answer to too many messages, and how long the platform then refuses it. */
	throttle: { codes: number[]; blockMs: number; rule: string };
	/** Refusals of one message (not of the credential), by errcode: what to change. */
	messageRefusals: Record<number, (errmsg: string) => string>;
	/**
	 * Marks a post so the platform takes a repeat of it only once, which makes a retry after a
	 * timeout safe (DingTalk's msgUuid); without it a timed-out post is never repeated.
	 */
	idempotencyKey?(body: IDataObject, key: string): IDataObject;
	/** The robot's own upload for files it then sends by media_id. */
	upload?: {
		/** The upload URL from the (checked) send URL; undefined when the send URL is not one. */
		url(sendUrl: string): string | undefined;
		/** The multipart field of the file and the query parameter of its type. */
		field: string;
		typeParam: string;
		/** What to check when the robot refuses an upload. */
		refusalHint: string;
	};
}

/**
 * What the probe's answer says about the credential: undefined when it is usable. Decided on the
 * errcode; anything the profile does not know as an acceptance is a failure.
 */
export function judgeProbe(
	robot: RobotProfile,
	{ errcode, errmsg }: { errcode: number; errmsg: string },
): string | undefined {
	if (robot.refusals[errcode]) return robot.refusals[errcode];
	const byText = robot.refusalsByText?.[errcode];
	if (byText) return byText(errmsg);
	if (robot.acceptedCodes.includes(errcode)) return undefined;
	return `The ${robot.name} answered errcode ${errcode}${errmsg ? ` (${errmsg})` : ''}, which does not show that this credential works. Copy the webhook URL again from the group settings.`;
}

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
		if (name === defaults.tokenParam) token = safeDecode(raw);
	}
	return { sendUrl, token };
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

/**
 * Checks a robot credential without posting to the group: sends the probe and judges the answer
 * by its errcode (the platform's wording of a refusal changes over time). Runs as the robot
 * credential's preAuthentication, so the Test button reports what is wrong.
 */
export async function checkRobotCredential(
	helper: IHttpRequestHelper,
	robot: RobotProfile,
	credentials: IDataObject,
): Promise<void> {
	const webhook = parseRobotWebhook(credentials[robot.webhookField.name], robot);
	if (!webhook.token) {
		throw new Error(
			`The '${robot.webhookField.displayName}' has no ${robot.tokenParam}. Paste the robot's whole webhook URL from the group settings, or only its ${robot.tokenParam}.`,
		);
	}
	const secrets = [webhook.token, ...robot.otherSecrets(credentials)];
	const checked = await settle(probeRobot(helper, robot, credentials, webhook, secrets));
	if (checked.ok && checked.value === undefined) return;
	if (checked.ok) throw new Error(checked.value);
	const error = checked.error;
	throw error instanceof TransportError ? new Error(error.plainText) : error;
}

/** Posts the probe; undefined when the robot accepts the credential, else what is wrong. */
async function probeRobot(
	helper: IHttpRequestHelper,
	robot: RobotProfile,
	credentials: IDataObject,
	webhook: RobotWebhook,
	secrets: string[],
): Promise<string | undefined> {
	const url = checkBaseUrl(webhook.sendUrl, {
		owner: `${robot.name} credential`,
		field: robot.webhookField.displayName,
	});
	const answer = await sendHttp(
		helper,
		{
			method: 'POST',
			url,
			qs: {
				[robot.tokenParam]: webhook.token,
				...(robot.signQuery?.(credentials, Date.now()) ?? {}),
			},
			body: robot.probeBody,
			json: true,
			timeout: 15_000,
		},
		{ platform: robot.name, secrets },
	);
	const body = answer.body as IDataObject | undefined;
	if (!body || typeof body !== 'object' || body.errcode === undefined) {
		return `The webhook URL did not answer like a ${robot.name} (HTTP ${answer.status}). Copy the webhook URL again from the group settings.`;
	}
	return judgeProbe(robot, {
		errcode: Number(body.errcode),
		errmsg: redactSecrets(String(body.errmsg ?? ''), secrets),
	});
}
