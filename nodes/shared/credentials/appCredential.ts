import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { redactSecrets } from '../errors';
import { settle } from '../settle';
import type { PlatformProfile } from '../platform/types';
import { absoluteUrl, familyBaseUrl, isUnder, TransportError } from '../transport/http';
import { PACING_MARGIN, QUOTA_FIELD_LABEL } from '../transport/throttle';
import {
	credentialValue,
	missingCredentialFields,
	requestToken,
	TokenRefused,
} from '../transport/tokenSource';

/**
 * The parts of an app credential (DingTalk API, WeCom API) that follow from the platform profile:
 * pacing and base URL fields, the hidden token n8n fetches for other nodes, how that token is put
 * on a request, and the Test request. The credential files add only their identity fields.
 */
export function appCredentialProperties(
	profile: PlatformProfile,
	identityFields: INodeProperties[],
): INodeProperties[] {
	const baseUrlFields = Object.values(profile.families).map((family): INodeProperties => {
		const defaultUrl = family.defaultBaseUrl;
		return {
			displayName: family.baseUrlLabel,
			name: family.baseUrlField,
			type: 'string',
			default: defaultUrl,
			description:
				'Change only to go through a reverse proxy (https://) or to use a local emulator (http:// is allowed only for this machine: localhost, 127.0.0.1, [::1])',
		};
	});
	const defaultPerSecond = profile.rateLimit.defaultPerSecond;
	return [
		...identityFields,
		{
			displayName: QUOTA_FIELD_LABEL,
			name: profile.rateLimit.field,
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10000 },
			default: defaultPerSecond,
			description: `The platform's quota of calls per second per API for this app (${profile.rateLimit.platformLimit}). The nodes stay about ${Math.round((1 - (profile.rateLimit.margin ?? PACING_MARGIN)) * 100)}% below it and slow down further when ${profile.name} answers with its rate limit. It applies per n8n process: in queue mode, divide it by the number of workers (and main, if main runs executions too). 0 turns pacing off.`,
		},
		...baseUrlFields,
		{
			// Fetched by n8n through preAuthentication when another node (HTTP Request) uses the
			// credential or the user tests it; our own nodes keep their tokens in the shared cache.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];
}

/**
 * Fetches a token for n8n's preAuthentication, through the same token request as the API client.
 * A wrong id or secret, a refused base URL, a redirect or an unreachable host fails here with what
 * to fix, so the credential's Test button reports it.
 */
export async function fetchCredentialToken(
	helper: IHttpRequestHelper,
	profile: PlatformProfile,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ accessToken: string }> {
	const missing = missingCredentialFields(profile, credentials);
	if (missing.length) throw new Error(`Fill in ${missing.join(' and ')}`);
	const secret = credentialValue(credentials, profile.secretField);
	const fetched = await settle(
		requestToken(helper, profile, credentials, { timeoutMs: 15_000, retries: 0 }),
	);
	if (fetched.ok) return { accessToken: fetched.value.token };
	throw credentialProblem(profile, fetched.error, secret);
}

/** What the Test button shows when no token could be had: what went wrong and what to fix. */
function credentialProblem(profile: PlatformProfile, error: unknown, secret: string): Error {
	if (error instanceof TransportError) return new Error(error.plainText);
	if (!(error instanceof TokenRefused)) return error as Error;
	const { details } = error;
	const code = details.errcode !== undefined ? ` (${details.errcode})` : '';
	const hint = profile.hint(details) ?? '';
	return new Error(
		redactSecrets(
			`${profile.name} refused the credentials: ${details.errmsg ?? 'unknown reason'}${code}. ${hint}`.trim(),
			[secret],
		),
	);
}

/**
 * Puts the token n8n fetched on a request of another node: in the header or the query, as the
 * family that owns the request's path wants it.
 */
export function appCredentialAuthenticate(profile: PlatformProfile): IAuthenticate {
	const families = Object.values(profile.families);
	return async (credentials, requestOptions) => {
		const token = String(credentials.accessToken ?? '');
		const target = absoluteUrl(requestOptions);
		// Only requests under one of the credential's API base URLs (checked: https, or http to
		// this machine) get the token.
		const matching = families.filter(
			(family) => target && isUnder(target, familyBaseUrl(profile, family.id, credentials)),
		);
		if (!target || !matching.length) {
			throw new Error(
				`The ${profile.name} credential puts its access token only on requests to its own API (${families
					.map((f) => credentialValue(credentials, f.baseUrlField) || f.defaultBaseUrl)
					.join(', ')}), not to ${target?.host ?? 'this URL'}. Use a URL under one of them.`,
			);
		}
		// Where several families share a base URL (one proxy for both), the path prefix decides.
		const family =
			matching.find((f) => f.pathPrefixes?.some((prefix) => target.pathname.includes(prefix))) ??
			matching.find((f) => !f.pathPrefixes?.length) ??
			matching[0];
		if (family.token.in === 'header') {
			return {
				...requestOptions,
				headers: { ...requestOptions.headers, [family.token.name]: token },
			};
		}
		return { ...requestOptions, qs: { ...requestOptions.qs, [family.token.name]: token } };
	};
}

/**
 * The Test request: the token request of the profile, as n8n expressions over the credential. n8n
 * runs preAuthentication first (fetchCredentialToken), which already refuses what is wrong; the
 * request and its rules then confirm the answer. Redirects are not followed here either.
 */
export function appCredentialTest(profile: PlatformProfile): ICredentialTestRequest {
	const endpoint = profile.tokenEndpoint;
	const family = profile.families[endpoint.family];
	const expressions = (mapping?: Record<string, string>) =>
		mapping
			? Object.fromEntries(
					Object.entries(mapping).map(([parameter, field]) => [
						parameter,
						`={{ $credentials.${field} }}`,
					]),
				)
			: undefined;
	const request: ICredentialTestRequest['request'] = {
		baseURL: `={{ ($credentials.${family.baseUrlField} || "${family.defaultBaseUrl}").trim().replace(/\\/+$/, "") }}`,
		url: endpoint.path,
		method: endpoint.method,
		disableFollowRedirect: true,
	};
	const qs = expressions(endpoint.qs);
	const body = expressions(endpoint.body);
	if (qs) request.qs = qs;
	if (body) request.body = body;
	return { request, rules: profile.credentialTestRules };
}
