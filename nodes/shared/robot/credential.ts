import type {
	IAuthenticate,
	ICredentialTestRequest,
	IDataObject,
	INodeProperties,
} from 'n8n-workflow';

import type { RobotProfile } from './webhook';
import { parseRobotWebhook } from './webhook';

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

/** Puts the robot's token (and for DingTalk its signature) on a request of another node. */
export function robotAuthenticate(robot: RobotProfile): IAuthenticate {
	return async (credentials, requestOptions) => {
		const { token } = parseRobotWebhook(credentials[robot.webhookField.name], robot);
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
export function robotCredentialTest(
	robot: RobotProfile,
	rules: ICredentialTestRequest['rules'],
): ICredentialTestRequest {
	const field = robot.webhookField.name;
	return {
		request: {
			url: `={{ /^https?:\\/\\//i.test($credentials.${field}) ? $credentials.${field}.trim().split("?")[0] : "${robot.sendUrl}" }}`,
			method: 'POST',
			body: robot.probeBody,
			disableFollowRedirect: true,
		},
		rules,
	};
}
