import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { redactSecrets } from '../errors';
import { numberInRange } from '../numbers';
import { settle } from '../settle';
import type { PlatformCredentials, PlatformProfile } from '../platform/types';

/** What every n8n context offers for HTTP (execute, load options, webhook, preAuthentication). */
export interface HttpHelper {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

/**
 * A failure below the platform's own answer: a refused URL, a redirect, no answer at all. Thrown by
 * the transport without a node at hand; the API client turns it into an n8n error for the item, the
 * credential's preAuthentication into a plain message for the Test button.
 */
export class TransportError extends Error {
	constructor(
		readonly kind: 'configuration' | 'input' | 'redirect' | 'network',
		message: string,
		/** What to do about it, in plain words. */
		readonly advice: string,
		/** The raw cause (network code and text), for the error's details only. */
		readonly detail?: string,
		readonly networkCode?: string,
	) {
		super(message);
	}

	get description(): string {
		return this.detail ? `${this.advice} ${this.detail}` : this.advice;
	}

	/**
	 * The text for places where n8n shows one message only (a credential's Test button, the HTTP
	 * Request node): no network code in it, because n8n replaces messages that contain one.
	 */
	get plainText(): string {
		return `${this.message}. ${this.advice}`;
	}
}

/** Longest timeout the transport accepts: Node's timers cap at 2^31-1 ms and wrap larger values to 1 ms. */
export const MAX_TIMEOUT_MS = 10 * 60 * 1000;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopback(hostname: string): boolean {
	const host = hostname.toLowerCase();
	// Only names and addresses that never leave this machine: not `*.localhost`, which a resolver
	// may answer from elsewhere. (The URL parser writes 127.1 and 0x7f000001 as 127.0.0.1.)
	return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Checks a base URL (a platform default, a credential override, a robot webhook) before anything is
 * sent to it: https, or plain http only towards this machine (the emulator, a local proxy), because
 * over plain http the secret and the tokens would cross the network readable by anyone on the way.
 * Returns the URL without a trailing slash.
 */
export function checkBaseUrl(value: string, where: { owner: string; field: string }): string {
	const fix = `Fix the field '${where.field}' in the ${where.owner}, or clear it to use the platform's own address.`;
	const url = parseUrl(value);
	if (!url) {
		throw new TransportError(
			'configuration',
			`The ${where.owner}'s '${where.field}' is not a valid URL`,
			`${fix} It must look like https://host[/path].`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new TransportError(
			'configuration',
			`The ${where.owner}'s '${where.field}' must start with https://`,
			fix,
		);
	}
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		throw new TransportError(
			'configuration',
			`The ${where.owner}'s '${where.field}' uses plain http:// towards ${url.hostname}, which would send the secret and tokens unencrypted`,
			`Use https://${url.host}${url.pathname.replace(/\/+$/, '')}. Plain http:// is allowed only for this machine (localhost, 127.0.0.1, [::1]), such as the emulator or a local proxy.`,
		);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new TransportError(
			'configuration',
			`The ${where.owner}'s '${where.field}' must not contain a user name, password, query or fragment`,
			fix,
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A URL, resolved against `base` when relative; undefined when it is not one. */
function parseUrl(value: string, base?: string): URL | undefined {
	try {
		return new URL(value, base);
	} catch {
		return undefined;
	}
}

/**
 * The checked base URL of one API family of a platform: the credential's override, else the
 * platform's host.
 */
export function familyBaseUrl(
	profile: PlatformProfile,
	familyId: string,
	credentials: PlatformCredentials,
): string {
	const family = profile.families[familyId];
	const configured = String(credentials[family.baseUrlField] ?? '').trim();
	return checkBaseUrl(configured || family.defaultBaseUrl, {
		owner: `${profile.name} credential`,
		field: family.baseUrlLabel,
	});
}

/**
 * A request's URL as n8n will send it, parsed; undefined when it is not one. Nodes on n8n's legacy
 * request helper (the HTTP Request node among them) name it `uri`, the others `baseURL` + `url`.
 */
export function absoluteUrl(options: {
	baseURL?: string;
	url?: string;
	uri?: unknown;
}): URL | undefined {
	return parseUrl(
		typeof options.uri === 'string' ? options.uri : `${options.baseURL ?? ''}${options.url ?? ''}`,
	);
}

/** Whether a URL is the base URL or below it (same scheme, host and port; dot segments resolved). */
export function isUnder(target: URL, baseUrl: string): boolean {
	const base = new URL(baseUrl);
	const basePath = base.pathname.replace(/\/+$/, '');
	return (
		target.protocol === base.protocol &&
		target.host === base.host &&
		(target.pathname === basePath || target.pathname.startsWith(`${basePath}/`))
	);
}

// Dot segments, also percent-encoded (%2e), would let a path climb out of the base path.
const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;

/**
 * Joins a path to a base URL and refuses any result outside it (other scheme, host, port or a path
 * above the base path), so a path typed or mapped by a user can never carry the managed token
 * elsewhere. The query belongs in `qs`, not in the path.
 */
export function resolvePath(baseUrl: string, path: string): string {
	const refuse = (why: string) =>
		new TransportError(
			'input',
			`The path '${path.slice(0, 200)}' ${why}`,
			`Enter only the path of an endpoint under ${baseUrl}, starting with one slash, for example /cgi-bin/user/get. Put query parameters in 'Query Parameters'.`,
		);
	if (!path.startsWith('/')) throw refuse('must start with a slash');
	if (path.startsWith('//')) throw refuse('must start with a single slash, not a host name');
	if (/[\\\s]/.test(path) || [...path].some((c) => c.charCodeAt(0) < 33 || c.charCodeAt(0) > 126)) {
		throw refuse('contains a backslash, a space, a control character or a non-ASCII character');
	}
	if (/[?#]/.test(path)) throw refuse('contains a query (?) or fragment (#)');
	if (DOT_SEGMENT.test(path)) throw refuse("contains '.' or '..' segments");
	// Encoded slashes, backslashes and percent signs (double encoding), and escapes of non-ASCII
	// bytes (overlong UTF-8 dots), would turn into separators or dots behind a decoding proxy.
	if (/%(2f|5c|25|[89a-f][0-9a-f])/i.test(path)) {
		throw refuse('contains an encoded slash, backslash, percent sign or non-ASCII byte');
	}
	// The checks above should make this impossible; the URL parser has the last word.
	const url = new URL(`${baseUrl}${path}`);
	if (!isUnder(url, baseUrl) || url.pathname === new URL(baseUrl).pathname.replace(/\/+$/, '')) {
		throw refuse(`leaves ${baseUrl}`);
	}
	return url.toString();
}

/** A checked timeout in milliseconds, or a refusal that names the field. */
export function checkTimeout(value: unknown, field: string): number {
	const ms = numberInRange(value, { min: 1, max: MAX_TIMEOUT_MS, whole: true });
	if (ms === undefined) {
		throw new TransportError(
			'input',
			`'${field}' must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${JSON.stringify(value)}`,
			'Enter a timeout such as 30000 (30 seconds).',
		);
	}
	return ms;
}

export interface HttpAnswer {
	status: number;
	body: unknown;
	headers: IDataObject;
}

type NetworkCause = 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'other';

const CAUSE_TEXT: Record<NetworkCause, string> = {
	dns: 'the host name could not be resolved (DNS)',
	refused: 'the connection was refused: nothing answers at that address',
	timeout: 'no answer came in time (timeout)',
	tls: 'the secure connection (TLS) failed: the certificate is not trusted or the server does not speak https',
	reset: 'the connection was cut off before an answer came',
	other: 'no answer came',
};

function networkCause(code: string, message: string): NetworkCause {
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
	if (code === 'ECONNREFUSED') return 'refused';
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) return 'timeout';
	if (
		/CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(code) ||
		/certificate|ssl|tls/i.test(message)
	) {
		return 'tls';
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) return 'reset';
	return 'other';
}

/**
 * Sends one request through n8n's HTTP helper. Redirects are never followed: an answer that points
 * elsewhere would take the secret (token requests) or the token (API calls) along. Errors carry no
 * secret; `secrets` are removed from any text that came back.
 */
export async function sendHttp(
	helper: HttpHelper,
	options: IHttpRequestOptions,
	describe: { platform: string; secrets: string[] },
): Promise<HttpAnswer> {
	const host = hostOf(options.url);
	const sent = await settle(
		helper.helpers.httpRequest({
			...options,
			disableFollowRedirect: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		}),
	);
	if (!sent.ok) {
		const error = sent.error as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
		const raw = redactSecrets(String(error?.message ?? error), describe.secrets);
		const code = String(
			error?.code ?? error?.cause?.code ?? /\bE[A-Z_]{3,}\b/.exec(raw)?.[0] ?? 'ERROR',
		);
		const cause = networkCause(code, raw);
		throw new TransportError(
			'network',
			`Could not reach ${describe.platform} at ${host}: ${CAUSE_TEXT[cause]}`,
			`Check the base URL in the credential, and that this n8n server may reach ${host} (proxy, firewall, egress rules).`,
			`Network error: ${code}, ${raw}.`,
			code,
		);
	}
	const response = sent.value as { statusCode: number; body: unknown; headers?: IDataObject };
	const status = Number(response.statusCode);
	if (status >= 300 && status < 400) {
		const target = redirectTarget(response.headers?.location, options.url);
		throw new TransportError(
			'redirect',
			`${describe.platform} at ${host} answered with a redirect (HTTP ${status}) to ${target}, which the node does not follow`,
			`A redirect would carry the secret or the access token to another address. Check the base URL override in the credential: it must point at the API itself (or clear it to use ${describe.platform}'s own host).`,
		);
	}
	return { status, body: parseBody(response.body), headers: response.headers ?? {} };
}

/** The host a redirect points at (never its query, which may echo a token). */
function redirectTarget(location: unknown, from: string): string {
	if (typeof location !== 'string' || location === '') return 'another address';
	return parseUrl(location, from)?.host ?? 'an invalid address';
}

function hostOf(url: string | undefined): string {
	return parseUrl(String(url))?.host ?? 'the configured address';
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
