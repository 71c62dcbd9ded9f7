import { createHash } from 'crypto';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError, sleep as n8nSleep } from 'n8n-workflow';

import { createApiError, createValidationError, redactSecrets, toNodeError } from '../errors';
import { Throttle } from './throttle';
import type { FetchedToken } from './tokenCache';
import { TokenCache } from './tokenCache';
import type {
	ApiRequest,
	ApiResponse,
	CallOutcome,
	HttpContext,
	PlatformCredentials,
	PlatformErrorDetails,
	PlatformProfile,
} from './types';

export interface RetryPolicy {
	/** Retries after a documented rate-limit answer (the platform did not act on the call). */
	rateLimitRetries: number;
	/** Retries after an explicit "system busy" answer (errcode -1). */
	busyRetries: number;
	/** Retries of idempotent calls after a timeout, a network failure or a 5xx. */
	transientRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Random extra delay, as a fraction of the computed delay, so parallel callers spread out. */
	jitterRatio: number;
	/** Per-call timeout unless the request sets its own. */
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	rateLimitRetries: 4,
	busyRetries: 3,
	transientRetries: 2,
	baseDelayMs: 1000,
	maxDelayMs: 8000,
	jitterRatio: 0.5,
	timeoutMs: 30_000,
};

export interface ApiClientDeps {
	tokenCache: TokenCache;
	throttle: Throttle;
	sleep: (ms: number) => Promise<void>;
	random: () => number;
	retryPolicy: RetryPolicy;
}

/** Why no token could be had; turned into a NodeApiError for the item that asked. */
class TokenUnavailable extends Error {
	constructor(
		readonly details: PlatformErrorDetails,
		readonly path: string,
		readonly kind: string,
	) {
		super(details.errmsg ?? 'token unavailable');
	}
}

/** A network-level failure: no HTTP answer at all (refused, reset, timed out). */
interface TransportFailure {
	failed: true;
	code: string;
	message: string;
	timedOut: boolean;
}

interface HttpAnswer {
	failed: false;
	status: number;
	body: unknown;
}

const TOKEN_LABEL: Record<string, string> = {
	DingTalk: 'the AppKey and AppSecret',
	WeCom: 'the CorpID and CorpSecret',
};

/**
 * The one API client under every operation of both platforms. Operations describe a call
 * (`family`, `method`, `path`, `qs`, `body`); the client adds the base URL and the managed token,
 * recognises the platform's answer, refreshes a rejected token once, backs off on rate limits, and
 * turns failures into NodeApiErrors that carry errcode, errmsg, request id and a hint.
 */
export class ApiClient {
	private readonly identityKeys = new WeakMap<object, string>();

	constructor(readonly deps: ApiClientDeps) {}

	async request<T = IDataObject>(
		ctx: HttpContext,
		profile: PlatformProfile,
		credentials: PlatformCredentials,
		request: ApiRequest,
		itemIndex?: number,
	): Promise<ApiResponse<T>> {
		this.assertCredentials(ctx, profile, credentials, itemIndex);
		const familyId = request.family ?? Object.keys(profile.families)[0];
		const family = profile.families[familyId];
		if (!family) {
			throw createValidationError(
				ctx.getNode(),
				`Unknown ${profile.name} API family '${familyId}'`,
				{
					itemIndex,
				},
			);
		}
		const baseUrl = this.baseUrl(ctx, profile, credentials, familyId, itemIndex);
		const key = this.identityKey(profile, credentials);
		const policy = this.deps.retryPolicy;
		const idempotent = request.idempotent ?? request.method === 'GET';
		const secrets = [profile.secret(credentials)];
		const describe = {
			platform: profile.name,
			method: request.method,
			path: request.path,
			itemIndex,
		};

		let tokenRefreshed = false;
		let rateLimitRetries = 0;
		let busyRetries = 0;
		let transientRetries = 0;

		for (;;) {
			const token = await this.token(ctx, profile, credentials, key, itemIndex);
			await this.deps.throttle.acquire(
				`${key}|${familyId}|${request.path}`,
				profile.requestsPerSecond(credentials),
			);

			const options: IHttpRequestOptions = {
				method: request.method,
				url: `${baseUrl}${request.path}`,
				qs: { ...(request.qs ?? {}) },
				headers: { ...(request.headers ?? {}) },
				json: request.json ?? true,
				timeout: request.timeoutMs ?? policy.timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			};
			if (request.body !== undefined) options.body = request.body;
			if (family.token.in === 'query') options.qs![family.token.name] = token;
			else options.headers![family.token.name] = token;

			const answer = await this.send(ctx, options);
			if (answer.failed) {
				if (idempotent && transientRetries < policy.transientRetries) {
					await this.deps.sleep(this.delay(transientRetries++));
					continue;
				}
				throw this.transportError(ctx, profile, answer, describe, idempotent, [...secrets, token]);
			}

			const outcome = family.classify(answer.status, answer.body);
			if (outcome.kind === 'ok') {
				return {
					body: answer.body as T,
					httpStatus: answer.status,
					requestId: requestIdOf(answer.body),
				};
			}

			const details = outcome.details;
			if (outcome.kind === 'tokenRejected' && !tokenRefreshed) {
				tokenRefreshed = true;
				this.deps.tokenCache.invalidate(key, token);
				continue;
			}
			if (outcome.kind === 'rateLimited' && rateLimitRetries < policy.rateLimitRetries) {
				await this.deps.sleep(this.delay(rateLimitRetries++));
				continue;
			}
			if (outcome.kind === 'busy' && busyRetries < policy.busyRetries) {
				await this.deps.sleep(this.delay(busyRetries++));
				continue;
			}
			if (
				outcome.kind === 'serverError' &&
				idempotent &&
				transientRetries < policy.transientRetries
			) {
				await this.deps.sleep(this.delay(transientRetries++));
				continue;
			}

			let hint = profile.hint(details, { family: familyId, path: request.path });
			let note: string | undefined;
			if (outcome.kind === 'tokenRejected') {
				hint = `${profile.name} rejected a freshly fetched access token too. Check that ${TOKEN_LABEL[profile.name]} belong to the app this API needs, then run again.`;
			} else if (outcome.kind === 'rateLimited' || outcome.kind === 'busy') {
				note = `Retried ${outcome.kind === 'busy' ? busyRetries : rateLimitRetries} times with back-off.`;
			} else if (outcome.kind === 'serverError' && !idempotent) {
				note = `${profile.name} may have processed the call, so it was not repeated. Check the result before running the item again.`;
			}
			throw createApiError(ctx.getNode(), redactDetails(details, [...secrets, token]), {
				...describe,
				hint,
				note,
			});
		}
	}

	/** Forgets every cached token (tests; never needed in normal operation). */
	resetTokens(): void {
		this.deps.tokenCache.clear();
	}

	private async token(
		ctx: HttpContext,
		profile: PlatformProfile,
		credentials: PlatformCredentials,
		key: string,
		itemIndex: number | undefined,
	): Promise<string> {
		try {
			return await this.deps.tokenCache.get(
				key,
				async () => await this.fetchToken(ctx, profile, credentials),
			);
		} catch (error) {
			if (error instanceof TokenUnavailable) {
				const hint =
					error.kind === 'credentialsRejected'
						? `Check ${TOKEN_LABEL[profile.name]} in the ${profile.name} credential. ${profile.hint(error.details, { family: '', path: error.path }) ?? ''}`.trim()
						: profile.hint(error.details, { family: '', path: error.path });
				throw createApiError(ctx.getNode(), error.details, {
					platform: profile.name,
					method: 'token',
					path: error.path,
					itemIndex,
					hint,
				});
			}
			throw toNodeError(ctx.getNode(), error, itemIndex);
		}
	}

	private async fetchToken(
		ctx: HttpContext,
		profile: PlatformProfile,
		credentials: PlatformCredentials,
	): Promise<FetchedToken> {
		const tokenRequest = profile.tokenRequest(credentials);
		const baseUrl = this.baseUrl(ctx, profile, credentials, tokenRequest.family, undefined);
		const secrets = [profile.secret(credentials)];
		const policy = this.deps.retryPolicy;
		let retries = 0;
		for (;;) {
			const options: IHttpRequestOptions = {
				method: tokenRequest.method,
				url: `${baseUrl}${tokenRequest.path}`,
				json: true,
				timeout: policy.timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			};
			if (tokenRequest.qs) options.qs = tokenRequest.qs;
			if (tokenRequest.body) options.body = tokenRequest.body;
			const answer = await this.send(ctx, options);
			let outcome: CallOutcome;
			if (answer.failed) {
				outcome = {
					kind: 'serverError',
					details: { errmsg: `${answer.code}: ${redactSecrets(answer.message, secrets)}` },
				};
			} else {
				const parsed = profile.parseTokenResponse(answer.status, answer.body);
				if ('token' in parsed) return parsed;
				outcome = parsed;
			}
			if (outcome.kind === 'ok') {
				outcome = { kind: 'failed', details: { errmsg: 'The token endpoint returned no token' } };
			}
			const retryable =
				outcome.kind === 'rateLimited' || outcome.kind === 'busy' || outcome.kind === 'serverError';
			if (retryable && retries < policy.transientRetries) {
				await this.deps.sleep(this.delay(retries++));
				continue;
			}
			throw new TokenUnavailable(
				redactDetails(outcome.details, secrets),
				tokenRequest.path,
				outcome.kind,
			);
		}
	}

	private async send(
		ctx: HttpContext,
		options: IHttpRequestOptions,
	): Promise<HttpAnswer | TransportFailure> {
		try {
			const response = (await ctx.helpers.httpRequest(options)) as {
				statusCode: number;
				body: unknown;
			};
			return { failed: false, status: response.statusCode, body: parseBody(response.body) };
		} catch (error) {
			const code = String(error?.code ?? error?.cause?.code ?? 'ERROR');
			const message = String(error?.message ?? error);
			const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message);
			return { failed: true, code, message, timedOut };
		}
	}

	private transportError(
		ctx: HttpContext,
		profile: PlatformProfile,
		failure: TransportFailure,
		describe: { platform: string; method: string; path: string; itemIndex?: number },
		idempotent: boolean,
		secrets: string[],
	): NodeApiError {
		const advice = idempotent
			? 'Check that n8n can reach the platform (proxy, firewall, base URL in the credential) and try again.'
			: `The call may have reached ${profile.name}, so it was not repeated. Check the result (for a send: its send result) before running the item again.`;
		// The raw network message goes to the description: n8n replaces messages that contain
		// network error codes with generic text, which would hide which platform and call failed.
		return new NodeApiError(
			ctx.getNode(),
			{
				platform: profile.name,
				request: `${describe.method} ${describe.path}`,
				networkError: failure.code,
			},
			{
				message: `The request to ${profile.name} ${describeFailure(failure)}`,
				description: `${advice} Network error: ${redactSecrets(failure.message, secrets)}. Call: ${describe.method} ${describe.path}.`,
				itemIndex: describe.itemIndex,
			},
		);
	}

	private delay(attempt: number): number {
		const { baseDelayMs, maxDelayMs, jitterRatio } = this.deps.retryPolicy;
		const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
		return Math.round(exponential * (1 + jitterRatio * this.deps.random()));
	}

	private baseUrl(
		ctx: HttpContext,
		profile: PlatformProfile,
		credentials: PlatformCredentials,
		familyId: string,
		itemIndex: number | undefined,
	): string {
		const family = profile.families[familyId];
		const configured = String(credentials[family.baseUrlField] ?? '').trim();
		const url = (configured || family.defaultBaseUrl).replace(/\/+$/, '');
		if (!/^https?:\/\/[^\s/]+/i.test(url)) {
			throw createValidationError(
				ctx.getNode(),
				`The ${profile.name} credential's base URL for ${family.label} is not a valid http(s) URL`,
				{
					itemIndex,
					description: `Fix or clear the base URL field '${family.baseUrlField}' in the credential.`,
				},
			);
		}
		return url;
	}

	private assertCredentials(
		ctx: HttpContext,
		profile: PlatformProfile,
		credentials: PlatformCredentials,
		itemIndex: number | undefined,
	): void {
		const missing = profile.requiredCredentialFields.filter(
			(field) => String(credentials[field.name] ?? '').trim() === '',
		);
		if (missing.length) {
			throw createValidationError(
				ctx.getNode(),
				`The ${profile.name} credential is missing ${missing.map((f) => `'${f.displayName}'`).join(', ')}`,
				{ itemIndex, description: 'Open the credential and fill in the missing fields.' },
			);
		}
	}

	/** Stable per-app key; the secret is hashed so it is never kept as a map key in clear text. */
	private identityKey(profile: PlatformProfile, credentials: PlatformCredentials): string {
		const cached = this.identityKeys.get(credentials);
		if (cached) return cached;
		const tokenFamily = profile.tokenRequest(credentials).family;
		const baseField = profile.families[tokenFamily].baseUrlField;
		const key = createHash('sha256')
			.update(
				JSON.stringify([
					profile.name,
					String(credentials[baseField] ?? ''),
					profile.appId(credentials),
					profile.secret(credentials),
				]),
			)
			.digest('hex');
		this.identityKeys.set(credentials, key);
		return key;
	}
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'was refused: nothing answers at the base URL',
	ENOTFOUND: 'failed: the host name could not be resolved',
	EAI_AGAIN: 'failed: the host name could not be resolved',
	ECONNRESET: 'was cut off before an answer came',
	EPIPE: 'was cut off before an answer came',
};

function describeFailure(failure: TransportFailure): string {
	if (failure.timedOut) return 'timed out';
	return NETWORK_FAILURES[failure.code] ?? 'failed before an answer came';
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return body;
	try {
		return JSON.parse(trimmed);
	} catch {
		return body;
	}
}

function requestIdOf(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const record = body as IDataObject;
	const id = record.request_id ?? record.requestid ?? record.requestId;
	return id === undefined ? undefined : String(id);
}

function redactDetails(details: PlatformErrorDetails, secrets: string[]): PlatformErrorDetails {
	const copy = { ...details };
	if (copy.errmsg) copy.errmsg = redactSecrets(copy.errmsg, secrets);
	if (copy.subMsg) copy.subMsg = redactSecrets(copy.subMsg, secrets);
	return copy;
}

/** Real-time dependencies used inside n8n; tests build their own ApiClient with fakes. */
export function createDefaultApiClient(): ApiClient {
	return new ApiClient({
		tokenCache: new TokenCache(),
		throttle: new Throttle({ sleep: n8nSleep }),
		sleep: n8nSleep,
		random: Math.random,
		retryPolicy: DEFAULT_RETRY_POLICY,
	});
}

/** The process-wide client: one token cache and one throttle for every node of the pack. */
export const apiClient = createDefaultApiClient();
