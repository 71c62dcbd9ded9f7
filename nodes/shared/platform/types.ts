import type { ICredentialTestRequest, IHttpRequestMethods } from 'n8n-workflow';

/** What a platform reports about a failed call, normalised. Never holds a secret. */
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

/** A token as the token endpoint hands it out. */
export interface FetchedToken {
	token: string;
	/** Lifetime in seconds as reported by the platform (`expires_in` / `expireIn`). */
	expiresInSeconds: number;
}

/** One base URL of a platform with its own token placement and error style. */
export interface ApiFamily {
	id: string;
	/** Shown in the UI and in error messages. */
	label: string;
	defaultBaseUrl: string;
	/** Credential field that overrides the base URL (proxies, the emulator). */
	baseUrlField: string;
	/** That field's name in the credential form. */
	baseUrlLabel: string;
	token: { in: 'query' | 'header'; name: string };
	/**
	 * Path prefixes that belong to this family when a request names none (n8n's HTTP Request node
	 * with our credential); the family without prefixes takes everything else.
	 */
	pathPrefixes?: string[];
	classify(httpStatus: number, body: unknown): CallOutcome;
}

/**
 * The token endpoint as data: which credential field goes into which query or body parameter.
 * The API client, the credential's preAuthentication and its Test request are all built from it.
 */
export interface TokenEndpoint {
	family: string;
	method: IHttpRequestMethods;
	path: string;
	/** Query parameter name → credential field. */
	qs?: Record<string, string>;
	/** JSON body property → credential field. */
	body?: Record<string, string>;
	/** The token, or the outcome that explains why there is none. */
	parse(httpStatus: number, body: unknown): FetchedToken | CallOutcome;
}

export interface PlatformCredentials {
	[key: string]: unknown;
}

/** A credential field as error messages name it. */
export interface CredentialFieldRef {
	name: string;
	displayName: string;
}

/** Everything that differs between DingTalk and WeCom apps, as data plus small pure functions. */
export interface PlatformProfile {
	name: string;
	credentialType: string;
	/** The first family is the default one. */
	families: Record<string, ApiFamily>;
	/** The app identity a token belongs to (AppKey, CorpID) and its secret. */
	appIdField: string;
	secretField: string;
	/** Credential fields that must be filled. */
	requiredCredentialFields: CredentialFieldRef[];
	/** How messages name the pair that fetches a token, e.g. "the AppKey and AppSecret". */
	tokenCredentialsLabel: string;
	tokenEndpoint: TokenEndpoint;
	/** The credential's Test rules; the request itself is built from `tokenEndpoint`. */
	credentialTestRules: ICredentialTestRequest['rules'];
	/** Client-side pacing per app per API: the credential field, its default and the platform's figure. */
	rateLimit: {
		field: string;
		defaultPerSecond: number;
		platformLimit: string;
		/**
		 * Share of the quota the nodes pace at (default PACING_MARGIN). A per-second window needs a
		 * wider margin than a per-minute one, where jitter between calls averages out.
		 */
		margin?: number;
	};
	/** Platform calls one node run makes at once by default (the node's Throughput options). */
	concurrency: { writes: number; reads: number };
	/** Refusal codes (sub_code or errcode) that mean the app may not read contacts. */
	contacts: { permissionCodes: string[] };
	/** Actionable advice for a failure, if we have any. */
	hint(
		details: PlatformErrorDetails,
		request?: { family: string; path: string },
	): string | undefined;
}
