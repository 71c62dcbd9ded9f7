import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions, INode } from 'n8n-workflow';

import type { FetchedToken } from './tokenCache';

/** What both platforms report about a failed call, normalised. Never holds a secret. */
export interface PlatformErrorDetails {
	/** Numeric errcode (old DingTalk API, WeCom) or string code (DingTalk v1.0). */
	errcode?: number | string;
	errmsg?: string;
	/** DingTalk wraps some codes in errcode 88 + sub_code. */
	subCode?: string;
	subMsg?: string;
	requestId?: string;
	httpStatus?: number;
}

/**
 * How the platform answered, as far as retrying is concerned.
 * - tokenRejected: refresh the token and retry once.
 * - rateLimited / busy: the platform refused the call without doing it; back off and retry.
 * - serverError: 5xx; the platform may have done the work, so only idempotent calls are retried.
 * - credentialsRejected: the app id or secret is wrong; never retried.
 */
export type CallOutcome =
	| { kind: 'ok' }
	| {
			kind:
				| 'tokenRejected'
				| 'rateLimited'
				| 'busy'
				| 'serverError'
				| 'credentialsRejected'
				| 'failed';
			details: PlatformErrorDetails;
	  };

/** One base URL of a platform with its own token placement and error style. */
export interface ApiFamily {
	id: string;
	/** Shown in the UI and in error messages. */
	label: string;
	defaultBaseUrl: string;
	/** Credential field that overrides the base URL (proxies, the emulator). */
	baseUrlField: string;
	token: { in: 'query' | 'header'; name: string };
	classify(httpStatus: number, body: unknown): CallOutcome;
}

export interface TokenRequest {
	family: string;
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

export interface PlatformCredentials {
	[key: string]: unknown;
}

/** Everything that differs between DingTalk and WeCom, as data plus small pure functions. */
export interface PlatformProfile {
	name: 'DingTalk' | 'WeCom';
	credentialType: string;
	families: Record<string, ApiFamily>;
	/** The app identity a token belongs to (AppKey, CorpID + secret). */
	appId(credentials: PlatformCredentials): string;
	secret(credentials: PlatformCredentials): string;
	/** Credential fields that must be filled, with their UI names. */
	requiredCredentialFields: Array<{ name: string; displayName: string }>;
	tokenRequest(credentials: PlatformCredentials): TokenRequest;
	/** Returns the token, or the outcome that explains why there is none. */
	parseTokenResponse(httpStatus: number, body: unknown): FetchedToken | CallOutcome;
	/** Client-side pacing per app per API (0 = none). */
	requestsPerSecond(credentials: PlatformCredentials): number;
	/** Actionable advice for a failure, if we have any. */
	hint(
		details: PlatformErrorDetails,
		request?: { family: string; path: string },
	): string | undefined;
}

/** A call as operations describe it: everything but the host and the token. */
export interface ApiRequest {
	family?: string;
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IHttpRequestOptions['body'];
	headers?: IDataObject;
	/**
	 * Whether repeating the call is harmless (reads). Defaults to true for GET. Non-idempotent calls
	 * are never retried after a timeout or a 5xx, because the platform may already have acted.
	 */
	idempotent?: boolean;
	timeoutMs?: number;
	/** Whether the body is JSON (default) or something else such as multipart form data. */
	json?: boolean;
}

export interface ApiResponse<T = IDataObject> {
	body: T;
	httpStatus: number;
	requestId?: string;
}

/** The part of an n8n function context the client needs; every context type has it. */
export interface HttpContext {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
	getNode(): INode;
}
