import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { absoluteUrl, checkBaseUrl, isUnder } from '../transport/http';
import type { RobotProfile } from './webhook';
import { checkRobotCredential, parseRobotWebhook } from './webhook';

/** The webhook field of a robot credential, named as the robot profile names it in its messages. */
export function robotWebhookProperty(robot: RobotProfile): INodeProperties {
	const { name, displayName, placeholder, description } = robot.webhookField;
	return {
		displayName,
		name,
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder,
		description,
	};
}

/**
 * The credential's preAuthentication: checks the robot by errcode (token, signature, IP range),
 * without posting anything to the group.
 */
export function robotPreAuthentication(robot: RobotProfile) {
	return async function (this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		await checkRobotCredential(this, robot, credentials);
		return { robotCheck: 'passed' };
	};
}

/**
 * n8n runs a credential's preAuthentication only when it declares a hidden expirable field; the
 * robot credentials use it to check the robot (checkRobotCredential) when the user presses Test
 * or another node first uses the credential.
 */
export const robotCheckField: INodeProperties = {
	displayName: 'Robot Check',
	name: 'robotCheck',
	type: 'hidden',
	typeOptions: { expirable: true },
	default: '',
};

/**
 * Puts the robot's token (and for DingTalk its signature) on a request of another node, but only
 * on requests to the robot's own webhook endpoints (the folder of its send URL, checked: https, or
 * http to this machine), so the token cannot be carried to another host.
 */
export function robotAuthenticate(robot: RobotProfile): IAuthenticate {
	return async (credentials, requestOptions) => {
		const { sendUrl, token } = parseRobotWebhook(credentials[robot.webhookField.name], robot);
		const checked = checkBaseUrl(sendUrl, {
			owner: `${robot.name} credential`,
			field: robot.webhookField.displayName,
		});
		const folder = checked.slice(0, checked.lastIndexOf('/'));
		const target = absoluteUrl(requestOptions);
		if (!target || !isUnder(target, folder)) {
			throw new Error(
				`The ${robot.name} credential puts its token only on requests to the robot's own webhook (${folder}/…), not to ${target?.host ?? 'this URL'}.`,
			);
		}
		const extra = robot.signQuery?.(credentials as IDataObject, Date.now()) ?? {};
		return {
			...requestOptions,
			qs: { ...requestOptions.qs, [robot.tokenParam]: token, ...extra },
		};
	};
}

/**
 * The Test request posts the probe (a message type the robot refuses without posting). The
 * preAuthentication check has judged the answer by errcode before; these rules only back it up.
 */
export function robotCredentialTest(robot: RobotProfile): ICredentialTestRequest {
	const field = robot.webhookField.name;
	return {
		request: {
			url: `={{ /^https?:\\/\\//i.test($credentials.${field}) ? $credentials.${field}.trim().split("?")[0] : "${robot.sendUrl}" }}`,
			method: 'POST',
			body: robot.probeBody,
			disableFollowRedirect: true,
		},
		rules: Object.entries(robot.refusals).map(([errcode, message]) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'errcode', value: Number(errcode), message },
		})),
	};
}
