import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

/**
 * `helpers.httpRequest` as n8n hands it to a credential's preAuthentication, reduced to what the
 * pack uses there: query, JSON body, full response, HTTP errors as answers, manual redirects.
 * Workflow runs use n8n-core's own HTTP stack; a credential on its own needs only this contract.
 */
export async function fetchHttpRequest(options: IHttpRequestOptions) {
	const target = new URL(String(options.url));
	for (const [key, value] of Object.entries(options.qs ?? {}))
		target.searchParams.set(key, String(value));
	const response = await fetch(target, {
		method: options.method,
		headers: { 'content-type': 'application/json' },
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
		redirect: options.disableFollowRedirect ? 'manual' : 'follow',
	});
	const text = await response.text();
	return {
		statusCode: response.status,
		headers: Object.fromEntries(response.headers),
		body: text.startsWith('{') ? JSON.parse(text) : text,
	};
}

export const preAuthenticationHelper = {
	helpers: { httpRequest: fetchHttpRequest },
} as unknown as IHttpRequestHelper;
