import type { INodeProperties } from 'n8n-workflow';

/**
 * The token n8n core fetches through the credential's `preAuthentication` when the credential is
 * used by other nodes (HTTP Request) or tested. Hidden and expirable: n8n refetches it when empty.
 * Our own nodes keep their tokens in the shared TokenCache instead.
 */
export const managedAccessTokenField: INodeProperties = {
	displayName: 'Access Token',
	name: 'accessToken',
	type: 'hidden',
	typeOptions: { expirable: true, password: true },
	default: '',
};

/** Client-side pacing per app and API (see Throttle). */
export function maxRequestsPerSecondField(
	defaultValue: number,
	platformLimit: string,
): INodeProperties {
	return {
		displayName: 'Max Requests per Second',
		name: 'maxRequestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: defaultValue,
		description: `Calls per second per API this n8n instance makes with this app (${platformLimit}). 0 means no limit.`,
	};
}
