import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type {
	CallOutcome,
	FetchedToken,
	PlatformCredentials,
	PlatformErrorDetails,
	PlatformProfile,
} from '../platform/types';
import { redactDetails } from '../errors';
import { settle } from '../settle';
import type { HttpHelper } from './http';
import { familyBaseUrl, resolvePath, sendHttp, TransportError } from './http';

/** The platform answered the token request but handed out no token. */
export class TokenRefused extends Error {
	constructor(
		readonly kind: Exclude<CallOutcome['kind'], 'ok'>,
		readonly details: PlatformErrorDetails,
		readonly path: string,
	) {
		super(details.errmsg ?? 'no token');
	}
}

export function credentialValue(credentials: PlatformCredentials, field: string): string {
	return String(credentials[field] ?? '').trim();
}

/** The fields of `requiredCredentialFields` that are empty. */
export function missingCredentialFields(
	profile: PlatformProfile,
	credentials: PlatformCredentials,
): string[] {
	return profile.requiredCredentialFields
		.filter((field) => credentialValue(credentials, field.name) === '')
		.map((field) => `'${field.displayName}'`);
}

function mapFields(
	mapping: Record<string, string> | undefined,
	credentials: PlatformCredentials,
): IDataObject | undefined {
	if (!mapping) return undefined;
	const values: IDataObject = {};
	for (const [parameter, field] of Object.entries(mapping)) {
		values[parameter] = credentialValue(credentials, field);
	}
	return values;
}

export interface TokenRequestOptions {
	timeoutMs: number;
	/** Retries after a rate limit, "busy" or no answer (the token endpoint is safe to repeat). */
	retries: number;
	sleepBeforeRetry?: (attempt: number) => Promise<void>;
}

/**
 * The one token request of the pack, built from the profile's token endpoint. The API client caches
 * what it returns; the credential's preAuthentication (HTTP Request node, Test button) uses it
 * uncached.
 */
export async function requestToken(
	helper: HttpHelper,
	profile: PlatformProfile,
	credentials: PlatformCredentials,
	options: TokenRequestOptions,
): Promise<FetchedToken> {
	const endpoint = profile.tokenEndpoint;
	const baseUrl = familyBaseUrl(profile, endpoint.family, credentials);
	const request: IHttpRequestOptions = {
		method: endpoint.method,
		url: resolvePath(baseUrl, endpoint.path),
		json: true,
		timeout: options.timeoutMs,
	};
	const qs = mapFields(endpoint.qs, credentials);
	const body = mapFields(endpoint.body, credentials);
	if (qs) request.qs = qs;
	if (body) request.body = body;
	const secrets = [credentialValue(credentials, profile.secretField)];

	for (let attempt = 0; ; attempt++) {
		const sent = await settle(sendHttp(helper, request, { platform: profile.name, secrets }));
		if (!sent.ok) {
			const network = sent.error instanceof TransportError && sent.error.kind === 'network';
			if (network && attempt < options.retries) {
				await options.sleepBeforeRetry?.(attempt);
				continue;
			}
			throw sent.error;
		}
		let outcome: FetchedToken | CallOutcome = endpoint.parse(sent.value.status, sent.value.body);
		if ('token' in outcome) return outcome;
		if (outcome.kind === 'ok') {
			outcome = { kind: 'failed', details: { errmsg: 'the token endpoint returned no token' } };
		}
		const retryable =
			outcome.kind === 'rateLimited' || outcome.kind === 'busy' || outcome.kind === 'serverError';
		if (retryable && attempt < options.retries) {
			await options.sleepBeforeRetry?.(attempt);
			continue;
		}
		throw new TokenRefused(outcome.kind, redactDetails(outcome.details, secrets), endpoint.path);
	}
}
