import { createHash } from 'crypto';
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError, sleep as n8nSleep } from 'n8n-workflow';

import { createApiError, createValidationError, redactDetails } from '../errors';
import { numberInRange } from '../numbers';
import type { PlatformCredentials, PlatformErrorDetails, PlatformProfile } from '../platform/types';
import { settle } from '../settle';
import { checkTimeout, familyBaseUrl, resolvePath, sendHttp, TransportError } from './http';
import { DEFAULT_MAX_WAIT_MS, runLimitsOf } from './runLimits';
import { QUOTA_FIELD_LABEL, QuotaWaitExceeded, Throttle } from './throttle';
import { TokenCache } from './tokenCache';
import {
	credentialValue,
	missingCredentialFields,
	requestToken,
	TokenRefused,
} from './tokenSource';
import type { ApiRequest, ApiResponse, HttpContext } from './types';

/**
 * Rate-limit answers are not counted here: the call waits out the lane's shared cool-down and is
 * repeated (the platform did not act on it) until its wait would pass Max Wait for Quota.
 */
export interface RetryPolicy {
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

/** Highest pacing the credential field accepts; anything above is no pacing in practice. */
const MAX_REQUESTS_PER_SECOND = 10_000;

/**
 * The one API client under every operation of both platforms. Operations describe a call
 * (`family`, `method`, `path`, `qs`, `body`); the client adds the checked base URL and the managed
 * token, recognises the platform's answer, refreshes a rejected token once, backs off on rate
 * limits, and turns failures into n8n errors that carry errcode, errmsg, request id and a hint.
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
		const node = ctx.getNode();
		const call = this.prepare(node, profile, credentials, request, itemIndex);
		const key = this.identityKey(profile, credentials);
		const policy = this.deps.retryPolicy;
		const idempotent = request.idempotent ?? request.method === 'GET';
		const describe = {
			platform: profile.name,
			method: request.method,
			path: request.path,
			itemIndex,
		};

		const limits = runLimitsOf(ctx);
		const maxWaitMs = limits?.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
		const lane = `${key}|${call.familyId}|${request.path}`;
		const secret = credentialValue(credentials, profile.secretField);
		// The wait for the quota is bounded from the call's first turn in the lane, not from the
		// start of the request (token fetch, back-off after "busy" answers).
		let deadline: number | undefined;
		let waitedMs = 0;

		let tokenRefreshed = false;
		let rateLimitAnswers = 0;
		let lastRateLimit: PlatformErrorDetails | undefined;
		let busyRetries = 0;
		let transientRetries = 0;

		for (;;) {
			// The run's slot covers the wait for the quota and the call itself, so at most
			// Concurrent Calls of this run hold a place in the lane at any time. The token is taken
			// after the wait, so a long wait never sends a token that expired meanwhile.
			const sendPaced = async () => {
				const now = this.deps.throttle.now();
				deadline ??= now + maxWaitMs;
				const exhaustedUntil = limits?.exhaustedLanes.get(lane);
				if (exhaustedUntil !== undefined && exhaustedUntil > now) {
					throw new QuotaWaitExceeded(exhaustedUntil, 0, exhaustedUntil - now, true);
				}
				const permit = await this.deps.throttle.acquire(
					lane,
					call.perSecond,
					deadline,
					profile.rateLimit.margin,
				);
				waitedMs += permit.waitedMs;
				if (limits) {
					limits.stats.calls++;
					if (permit.waitedMs > 0) {
						limits.stats.throttledCalls++;
						limits.stats.waitedMs += permit.waitedMs;
						limits.stats.longestWaitMs = Math.max(limits.stats.longestWaitMs, permit.waitedMs);
					}
				}
				const token = await this.token(ctx, profile, credentials, key, itemIndex);
				const secrets = [secret, token];
				const options: IHttpRequestOptions = {
					method: request.method,
					url: call.url,
					qs: { ...(request.qs ?? {}) },
					headers: { ...(request.headers ?? {}) },
					json: request.json ?? true,
					timeout: call.timeoutMs,
				};
				if (request.body !== undefined) options.body = request.body;
				if (call.family.token.in === 'query') options.qs![call.family.token.name] = token;
				else options.headers![call.family.token.name] = token;
				return {
					permit,
					token,
					secrets,
					sent: await settle(sendHttp(ctx, options, { platform: profile.name, secrets })),
				};
			};
			const attempt = await settle(limits ? limits.slots.run(sendPaced) : sendPaced());
			if (!attempt.ok) {
				if (attempt.error instanceof QuotaWaitExceeded) {
					// Later calls of this run to the same API fail at once instead of each waiting again.
					limits?.exhaustedLanes.set(lane, attempt.error.retryAt);
					throw quotaExhausted(node, profile, describe, attempt.error, maxWaitMs, {
						waitedMs: waitedMs + attempt.error.waitedMs,
						rateLimitAnswers,
						lastRateLimit: lastRateLimit && redactDetails(lastRateLimit, [secret]),
					});
				}
				throw attempt.error;
			}
			const { permit, token, secrets, sent } = attempt.value;
			if (!sent.ok) {
				const error = sent.error;
				const network = error instanceof TransportError && error.kind === 'network';
				if (network && idempotent && transientRetries < policy.transientRetries) {
					await this.deps.sleep(this.delay(transientRetries++));
					continue;
				}
				throw transportFailure(node, error, describe, idempotent);
			}
			const answer = sent.value;

			const outcome = call.family.classify(answer.status, answer.body);
			if (outcome.kind === 'rateLimited') this.deps.throttle.rateLimited(permit);
			else if (outcome.kind === 'ok') this.deps.throttle.succeeded(permit);
			if (outcome.kind === 'ok') {
				return {
					body: answer.body as T,
					httpStatus: answer.status,
					requestId: requestIdOf(answer.body),
				};
			}

			const details = redactDetails(outcome.details, secrets);
			if (outcome.kind === 'tokenRejected' && !tokenRefreshed) {
				tokenRefreshed = true;
				this.deps.tokenCache.invalidate(key, token);
				continue;
			}
			if (outcome.kind === 'rateLimited') {
				// Waited out in the lane's cool-down on the next pass; the deadline bounds it.
				rateLimitAnswers++;
				lastRateLimit = details;
				if (limits) limits.stats.rateLimitAnswers++;
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

			let hint = profile.hint(details, { family: call.familyId, path: request.path });
			let note: string | undefined;
			if (outcome.kind === 'tokenRejected') {
				hint = `${profile.name} rejected a freshly fetched access token too. Check that ${profile.tokenCredentialsLabel} belong to the app this API needs, then run again.`;
			} else if (outcome.kind === 'busy') {
				note = `Retried ${busyRetries} times with back-off.`;
			} else if (outcome.kind === 'serverError' && !idempotent) {
				note = `${profile.name} may have processed the call, so it was not repeated. Check the result before running the item again.`;
			}
			throw createApiError(node, details, { ...describe, hint, note });
		}
	}

	/** Forgets every cached token and every lane's pace and cool-down (tests; never needed in normal operation). */
	reset(): void {
		this.deps.tokenCache.clear();
		this.deps.throttle.clear();
	}

	/**
	 * Everything about a call that can be checked before sending: the credential is complete, the
	 * family exists, its base URL is allowed, the path stays under it, the timeout and the pacing are
	 * sane numbers.
	 */
	private prepare(
		node: INode,
		profile: PlatformProfile,
		credentials: PlatformCredentials,
		request: ApiRequest,
		itemIndex: number | undefined,
	) {
		const missing = missingCredentialFields(profile, credentials);
		if (missing.length) {
			throw createValidationError(
				node,
				`The ${profile.name} credential is missing ${missing.join(', ')}`,
				{ itemIndex, description: 'Open the credential and fill in the missing fields.' },
			);
		}
		const familyId = request.family ?? Object.keys(profile.families)[0];
		const family = profile.families[familyId];
		if (!family) {
			throw createValidationError(node, `Unknown ${profile.name} API family '${familyId}'`, {
				itemIndex,
			});
		}
		try {
			const url = resolvePath(familyBaseUrl(profile, familyId, credentials), request.path);
			const timeoutMs = checkTimeout(
				request.timeoutMs ?? this.deps.retryPolicy.timeoutMs,
				'Timeout',
			);
			return { familyId, family, url, timeoutMs, perSecond: pacing(profile, credentials) };
		} catch (error) {
			throw transportFailure(node, error, { platform: profile.name, itemIndex }, true);
		}
	}

	private async token(
		ctx: HttpContext,
		profile: PlatformProfile,
		credentials: PlatformCredentials,
		key: string,
		itemIndex: number | undefined,
	): Promise<string> {
		const node = ctx.getNode();
		try {
			return await this.deps.tokenCache.get(
				key,
				async () =>
					await requestToken(ctx, profile, credentials, {
						timeoutMs: this.deps.retryPolicy.timeoutMs,
						retries: this.deps.retryPolicy.transientRetries,
						sleepBeforeRetry: async (attempt) => await this.deps.sleep(this.delay(attempt)),
					}),
			);
		} catch (error) {
			if (!(error instanceof TokenRefused)) {
				throw transportFailure(
					node,
					error,
					{ platform: profile.name, method: 'token', path: profile.tokenEndpoint.path, itemIndex },
					true,
					`Could not get a ${profile.name} access token`,
				);
			}
			const advice = profile.hint(error.details, { family: '', path: error.path });
			const hint =
				error.kind === 'credentialsRejected'
					? `Check ${profile.tokenCredentialsLabel} in the ${profile.name} credential. ${advice ?? ''}`.trim()
					: advice;
			throw createApiError(node, error.details, {
				platform: profile.name,
				method: 'token',
				path: error.path,
				itemIndex,
				hint,
			});
		}
	}

	private delay(attempt: number): number {
		const { baseDelayMs, maxDelayMs, jitterRatio } = this.deps.retryPolicy;
		const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
		return Math.round(exponential * (1 + jitterRatio * this.deps.random()));
	}

	/** Stable per-app key; the secret is hashed so it is never kept as a map key in clear text. */
	private identityKey(profile: PlatformProfile, credentials: PlatformCredentials): string {
		const cached = this.identityKeys.get(credentials);
		if (cached) return cached;
		const tokenFamily = profile.families[profile.tokenEndpoint.family];
		const key = createHash('sha256')
			.update(
				JSON.stringify([
					profile.name,
					credentialValue(credentials, tokenFamily.baseUrlField),
					credentialValue(credentials, profile.appIdField),
					credentialValue(credentials, profile.secretField),
				]),
			)
			.digest('hex');
		this.identityKeys.set(credentials, key);
		return key;
	}
}

/** The credential's pacing, checked: a number from 0 (none) to MAX_REQUESTS_PER_SECOND. */
function pacing(profile: PlatformProfile, credentials: PlatformCredentials): number {
	const raw = credentials[profile.rateLimit.field];
	const value =
		raw === undefined || raw === ''
			? profile.rateLimit.defaultPerSecond
			: numberInRange(raw, { min: 0, max: MAX_REQUESTS_PER_SECOND });
	if (value === undefined) {
		throw new TransportError(
			'configuration',
			`The ${profile.name} credential's '${QUOTA_FIELD_LABEL}' must be a number from 0 to ${MAX_REQUESTS_PER_SECOND}, got ${JSON.stringify(raw)}`,
			`Set it to ${profile.rateLimit.defaultPerSecond} (${profile.rateLimit.platformLimit}), or 0 for no pacing.`,
		);
	}
	return value;
}

/**
 * A failure below the platform's answer, as the error of the item: refused settings and input name
 * the field; a network failure names the platform, the host and the cause, and for calls that may
 * have reached the platform says why they were not repeated. The network code stays out of the
 * message, because n8n replaces messages that mention one with generic text.
 */
function transportFailure(
	node: INode,
	error: unknown,
	describe: { platform: string; method?: string; path?: string; itemIndex?: number },
	idempotent: boolean,
	prefix?: string,
): Error {
	if (!(error instanceof TransportError)) return error as Error;
	const call = describe.method ? ` Call: ${describe.method} ${describe.path}.` : '';
	if (error.kind === 'configuration' || error.kind === 'input') {
		return createValidationError(node, error.message, {
			itemIndex: describe.itemIndex,
			description: error.description,
		});
	}
	const notRepeated =
		error.kind === 'network' && !idempotent
			? ` The call may have reached ${describe.platform}, so it was not repeated. Check the result (for a send: its send result) before running the item again.`
			: '';
	const message = prefix ? `${prefix}. ${error.message}` : error.message;
	return new NodeApiError(
		node,
		{
			platform: describe.platform,
			...(describe.method ? { request: `${describe.method} ${describe.path}` } : {}),
			...(error.networkCode ? { networkError: error.networkCode } : {}),
		},
		{
			message,
			description: `${error.description}${notRepeated}${call}`,
			itemIndex: describe.itemIndex,
		},
	);
}

/**
 * A call gave up waiting for the quota: say that it is exhausted, when the next call may go out and
 * what to change. With a rate-limit answer in hand its errcode leads, as for any refusal.
 */
function quotaExhausted(
	node: INode,
	profile: PlatformProfile,
	describe: { platform: string; method: string; path: string; itemIndex?: number },
	wait: QuotaWaitExceeded,
	maxWaitMs: number,
	seen: { waitedMs: number; rateLimitAnswers: number; lastRateLimit?: PlatformErrorDetails },
): NodeApiError {
	const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
	const maxWait = `Max Wait for Quota (${Math.round(maxWaitMs / 1000)} s)`;
	const at = new Date(wait.retryAt).toISOString();
	const answers = seen.rateLimitAnswers
		? ` ${profile.name} answered this call with its rate limit ${seen.rateLimitAnswers === 1 ? 'once' : `${seen.rateLimitAnswers} times`}; each time it waited out the shared cool-down and tried again.`
		: '';
	const waited = wait.earlierCall
		? `an earlier item of this run already waited as long as ${maxWait} allows for this API, so this call was not sent and did not wait again; the next call may go out in ${seconds(wait.retryInMs)} (at ${at}).`
		: `the call waited ${seconds(seen.waitedMs)} and would have gone out only ${seconds(wait.retryInMs)} later (at ${at}), after ${maxWait} had run out, so it was not sent.`;
	// Without a rate-limit answer it was this node's own pacing under the credential's quota.
	const cause = seen.rateLimitAnswers
		? `${profile.name}'s quota for this API is exhausted for now`
		: `This run's calls to this API filled the credential's quota (the node paces itself under it)`;
	const note = `${cause}: ${waited}${answers} Try again after that time, lower Concurrent Calls in the node's Throughput options, lower the credential's quota if other n8n workers or systems use the same app, or raise Max Wait for Quota.`;
	if (seen.lastRateLimit) {
		return createApiError(node, seen.lastRateLimit, {
			...describe,
			hint: profile.hint(seen.lastRateLimit, { family: '', path: describe.path }),
			note,
		});
	}
	return new NodeApiError(
		node,
		{ platform: describe.platform, request: `${describe.method} ${describe.path}` },
		{
			message: `The quota for ${describe.method} ${describe.path} is used up for now: the call waited longer than Max Wait for Quota allows`,
			description: `${note} Call: ${describe.method} ${describe.path}.`,
			itemIndex: describe.itemIndex,
		},
	);
}

function requestIdOf(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const record = body as IDataObject;
	const id = record.request_id ?? record.requestid ?? record.requestId;
	return id === undefined ? undefined : String(id);
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
