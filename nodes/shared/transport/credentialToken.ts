import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { redactSecrets } from '../errors';
import type { PlatformProfile } from './types';

/**
 * Fetches an access token for a credential's `preAuthentication`, which n8n runs for the HTTP
 * Request node and when the user tests the credential. A wrong app id or secret fails here with
 * the platform's errcode and what to fix, so a credential test fails on wrong input.
 */
export async function fetchCredentialToken(
	helper: IHttpRequestHelper,
	profile: PlatformProfile,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const missing = profile.requiredCredentialFields.filter(
		(f) => String(credentials[f.name] ?? '').trim() === '',
	);
	if (missing.length) {
		throw new Error(`Fill in ${missing.map((f) => `'${f.displayName}'`).join(' and ')}`);
	}
	const tokenRequest = profile.tokenRequest(credentials);
	const family = profile.families[tokenRequest.family];
	const baseUrl = (
		String(credentials[family.baseUrlField] ?? '').trim() || family.defaultBaseUrl
	).replace(/\/+$/, '');
	const options: IHttpRequestOptions = {
		method: tokenRequest.method,
		url: `${baseUrl}${tokenRequest.path}`,
		json: true,
		timeout: 15_000,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (tokenRequest.qs) options.qs = tokenRequest.qs;
	if (tokenRequest.body) options.body = tokenRequest.body;

	const secret = profile.secret(credentials);
	const response = (await helper.helpers.httpRequest(options).then(
		(answer) => answer,
		(error: Error) => ({ unreachable: redactSecrets(String(error?.message ?? error), [secret]) }),
	)) as { statusCode: number; body: unknown } | { unreachable: string };
	if ('unreachable' in response) {
		throw new Error(`Could not reach ${profile.name} at ${baseUrl}: ${response.unreachable}`);
	}
	const parsed = profile.parseTokenResponse(response.statusCode, response.body);
	if ('token' in parsed) return parsed.token;
	const details = parsed.kind === 'ok' ? { errmsg: 'no token in the answer' } : parsed.details;
	const code = details.errcode !== undefined ? ` (${details.errcode})` : '';
	const hint = profile.hint(details) ?? '';
	throw new Error(
		redactSecrets(
			`${profile.name} refused the credentials: ${details.errmsg ?? 'unknown reason'}${code}. ${hint}`.trim(),
			[secret],
		),
	);
}
