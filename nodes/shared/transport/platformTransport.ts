import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { settle } from '../settle';

import type { ApiClient } from './apiClient';
import { apiClient } from './apiClient';
import type { PlatformCredentials, PlatformProfile } from '../platform/types';
import type { ApiRequest, ApiResponse, HttpContext } from './types';

/** A function context that can also read the node's credentials (execute, loadOptions, webhook…). */
export interface CredentialContext extends HttpContext {
	getCredentials<T extends object = ICredentialDataDecryptedObject>(
		type: string,
		itemIndex?: number,
	): Promise<T>;
}

/**
 * Credentials are decrypted once per function context: n8n hands the same context to every item of
 * a run, and decrypting per call would cost a database read each time.
 */
const credentialsByContext = new WeakMap<object, Map<string, Promise<PlatformCredentials>>>();

export async function loadCredentials(
	ctx: CredentialContext,
	type: string,
): Promise<PlatformCredentials> {
	let byType = credentialsByContext.get(ctx);
	if (!byType) {
		byType = new Map();
		credentialsByContext.set(ctx, byType);
	}
	let pending = byType.get(type);
	if (!pending) {
		pending = ctx.getCredentials<PlatformCredentials>(type);
		byType.set(type, pending);
		pending.catch(() => byType?.delete(type));
	}
	return await pending;
}

/** One platform's API as operations use it: `dingTalk.request(this, { path, body }, i)`. */
export interface PlatformTransport {
	readonly profile: PlatformProfile;
	credentials(ctx: CredentialContext): Promise<PlatformCredentials>;
	request<T = Record<string, unknown>>(
		ctx: CredentialContext,
		request: ApiRequest,
		itemIndex?: number,
	): Promise<ApiResponse<T>>;
}

export function createPlatformTransport(
	profile: PlatformProfile,
	client: ApiClient = apiClient,
): PlatformTransport {
	// n8n's own words name the credential type ("dingTalkApi"); say what to choose instead.
	const credentialsOf = async (ctx: CredentialContext) => {
		const outcome = await settle(loadCredentials(ctx, profile.credentialType));
		if (outcome.ok) return outcome.value;
		const message = (outcome.error as Error).message ?? '';
		if (/does not have any credentials set|Credentials not found/.test(message)) {
			throw new NodeOperationError(ctx.getNode(), `Choose a ${profile.name} API credential first`, {
				description: `This needs the ${profile.name} app's credential: select or create one in the node's credential field.`,
			});
		}
		throw outcome.error;
	};
	return {
		profile,
		credentials: credentialsOf,
		request: async <T>(ctx: CredentialContext, request: ApiRequest, itemIndex?: number) => {
			const credentials = await credentialsOf(ctx);
			return await client.request<T>(ctx, profile, credentials, request, itemIndex);
		},
	};
}
