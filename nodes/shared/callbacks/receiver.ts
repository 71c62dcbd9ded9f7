import type {
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CallbackSecrets } from './crypto';
import { CallbackCipher } from './crypto';
import { EventDeduplicator } from './deduplicator';
import { CallbackConfigError, CallbackRejected } from './errors';
import { DEFAULT_REPLAY_WINDOW_SECONDS, ReplayGuard } from './replayGuard';
import { settle } from '../settle';

/**
 * What every callback trigger does around its platform's checks: read the raw body within bounds,
 * keep a de-duplicator per trigger node, map a rejection to its HTTP status, and answer so that a
 * refused request starts nothing and logs only which check failed.
 */

/** The encrypted envelope is small; anything larger is refused before parsing. */
export const MAX_ENVELOPE_BYTES = 1_100_000;
/** Trigger nodes whose de-duplicators are kept (the oldest goes first). */
const MAX_RECEIVERS = 1000;

const deduplicators = new Map<string, EventDeduplicator>();

/**
 * One de-duplicator per trigger node (workflow id + node id), kept across requests. It lives in
 * this n8n process: in queue mode with several main processes each has its own.
 */
export function deduplicatorFor(key: string): EventDeduplicator {
	let found = deduplicators.get(key);
	if (found === undefined) {
		found = new EventDeduplicator();
		deduplicators.set(key, found);
		while (deduplicators.size > MAX_RECEIVERS) {
			const oldest = deduplicators.keys().next().value as string;
			deduplicators.delete(oldest);
		}
	}
	return found;
}

/** The de-duplicator of the trigger node a function context runs for. */
export function nodeDeduplicator(ctx: {
	getWorkflow(): { id?: string };
	getNode(): { id: string };
}): EventDeduplicator {
	return deduplicatorFor(`${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`);
}

export interface CallbackOutcome {
	status: number;
	body: string;
	/** The item to emit; absent when nothing may start. */
	item?: IDataObject;
	/** Why the request was refused (the check, never the data). */
	rejected?: CallbackRejected;
	/** Something unexpected went wrong: the error's class only (its message could quote data). */
	failed?: string;
}

/** Comma, space or full-width comma separated values, trimmed, empty ones dropped. */
export function commaList(value: unknown): string[] {
	return String(value ?? '')
		.split(/[\s,，]+/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/**
 * The cipher of a credential, or the reason it cannot work (a wrong key, an empty token): a
 * message that names the field, never its value.
 */
export function cipherOf(secrets: CallbackSecrets): CallbackCipher | string {
	try {
		return new CallbackCipher(secrets);
	} catch (error) {
		if (error instanceof CallbackConfigError) return error.message;
		return 'The credential is incomplete';
	}
}

/** The replay guard of the node's options, or the reason it cannot work. */
export function guardFor(windowSeconds: unknown): ReplayGuard | string {
	try {
		return new ReplayGuard({
			windowSeconds: Number(windowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS),
		});
	} catch (error) {
		return error instanceof Error ? error.message : 'The replay window is invalid';
	}
}

/** The HTTP status of a rejection: 400 malformed, 413 too large, 409 repeated, 403 otherwise. */
export function statusOf(error: CallbackRejected): number {
	switch (error.reason) {
		case 'format':
		case 'padding':
			return 400;
		case 'size':
			return 413;
		case 'replay':
			return 409;
		default:
			return 403;
	}
}

/** What `readCallbackBody` answers for a body declared larger than any envelope. */
export const BODY_TOO_LARGE = Symbol('body too large');

/**
 * A hidden parameter that makes n8n leave the request body unparsed: for version-1 webhook nodes
 * it skips its body parser when `options.binaryData` is set (`parseRequestBody` in n8n's
 * packages/cli/src/webhooks/webhook-helpers.ts). The trigger reads the raw bytes itself, so no
 * callback goes through n8n's shared XML parser, which crafted XML can wedge for every later XML
 * request of the instance (xml2js reused across requests).
 */
export const unparsedBodyParameter: INodeProperties = {
	displayName: 'Unparsed Body',
	name: 'options',
	type: 'hidden',
	default: { binaryData: true },
};

/**
 * The raw request body: n8n's `rawBody` if it read one, else read now (`readRawBody`, the same
 * bounded reader n8n uses). A body declared larger than any envelope is not read at all.
 */
export async function readCallbackBody(ctx: IWebhookFunctions): Promise<unknown> {
	const request = ctx.getRequestObject();
	if (request.rawBody !== undefined) return request.rawBody;
	const declared = Number(request.headers?.['content-length']);
	if (Number.isFinite(declared) && declared > MAX_ENVELOPE_BYTES) return BODY_TOO_LARGE;
	if (typeof request.readRawBody !== 'function') return undefined;
	const read = await settle(request.readRawBody());
	if (!read.ok) return BODY_TOO_LARGE;
	return request.rawBody;
}

/** The request body as text, from the raw bytes (never a parsed body). */
export function rawBodyText(raw: unknown): string {
	let text: string;
	if (raw === BODY_TOO_LARGE) {
		throw new CallbackRejected('size', 'The request body is too large');
	}
	if (raw instanceof Uint8Array) {
		if (raw.length > MAX_ENVELOPE_BYTES) {
			throw new CallbackRejected('size', 'The request body is too large');
		}
		text = Buffer.from(raw).toString('utf8');
	} else if (typeof raw === 'string') {
		text = raw;
	} else {
		throw new CallbackRejected('format', 'The request has no body');
	}
	if (text.length > MAX_ENVELOPE_BYTES) {
		throw new CallbackRejected('size', 'The request body is too large');
	}
	return text;
}

/** The parsed JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** A JSON object of a callback, or a 'format' rejection naming `what`. */
export function jsonObject(text: string, what: string): Record<string, unknown> {
	const parsed = parseJson(text.trim());
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new CallbackRejected('format', `${what} is not a JSON object`);
	}
	return parsed as Record<string, unknown>;
}

/** Runs the checks of one request; a refused one gets a 4xx, its reason, and no item. */
export function settleCallback(handle: () => CallbackOutcome): CallbackOutcome {
	try {
		return handle();
	} catch (error) {
		if (!(error instanceof CallbackRejected)) {
			// Not expected from the readers; answered without starting anything, and without detail.
			const failed = error instanceof Error ? error.name : typeof error;
			return { status: 500, body: 'Internal error', failed };
		}
		return { status: statusOf(error), body: `Refused: ${error.reason}`, rejected: error };
	}
}

/** The Replay Window option every callback trigger has. */
export const replayWindowOption: INodeProperties = {
	displayName: 'Replay Window (Seconds)',
	name: 'replayWindowSeconds',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_REPLAY_WINDOW_SECONDS,
	description: 'Callbacks whose signed timestamp is further from now than this are refused',
};

/** The options of a callback trigger (the name `options` is taken by `unparsedBodyParameter`). */
export const callbackSettingsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'settings',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [replayWindowOption],
};

/** What to check when genuine callbacks are refused for these reasons (forged ones are too). */
const REFUSAL_ADVICE: Partial<Record<CallbackRejected['reason'], string>> = {
	stale:
		"If genuine callbacks get this, check this server's clock, or widen the trigger's Replay Window.",
	signature: "If genuine callbacks get this, copy the Token from the platform's console again.",
	receiver:
		'If genuine callbacks get this, check the Corp ID (WeCom) or the Owner Key (DingTalk) in the credential.',
	padding: 'If genuine callbacks get this, copy the EncodingAESKey / aes_key again.',
};

export interface CallbackAnswer {
	/** The trigger's name in the log, e.g. "WeCom Trigger". */
	trigger: string;
	outcome: CallbackOutcome;
	/** How the body is sent: WeCom wants plain text, DingTalk JSON. */
	contentType: 'text/plain' | 'application/json';
}

/**
 * Writes the answer at once (the platforms wait 1 to 5 seconds), logs why a request was refused
 * (the check's name and our own message, never the data), and says whether anything may start.
 */
export function answerCallback(ctx: IWebhookFunctions, answer: CallbackAnswer): void {
	const { outcome } = answer;
	if (outcome.rejected) {
		const { reason, message } = outcome.rejected;
		const advice = REFUSAL_ADVICE[reason] ? ` ${REFUSAL_ADVICE[reason]}` : '';
		ctx.logger.warn(`${answer.trigger} refused a callback (${reason}): ${message}.${advice}`);
	}
	if (outcome.failed) {
		ctx.logger.error(`${answer.trigger} failed on a callback (${outcome.failed}); nothing started`);
	}
	// Refusals are plain text whatever the platform's answer format: they are for people.
	const type = outcome.status === 200 ? answer.contentType : 'text/plain';
	ctx.getResponseObject().status(outcome.status).type(type).send(outcome.body);
}

/** The trigger's answer to n8n once the response is written: the item to run with, if any. */
export function startWith(
	ctx: IWebhookFunctions,
	item: IDataObject | undefined,
): IWebhookResponseData {
	if (item === undefined) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [ctx.helpers.returnJsonArray([item])] };
}

/** A misconfigured trigger answers 500 (nothing a request can fix) and logs what to change. */
export function answerMisconfigured(
	ctx: IWebhookFunctions,
	trigger: string,
	reason: string,
): IWebhookResponseData {
	ctx.logger.error(`${trigger} is misconfigured: ${reason}`);
	ctx.getResponseObject().status(500).type('text/plain').send(`The ${trigger} is misconfigured`);
	return { noWebhookResponse: true };
}

/** Default bounds of `readJson`, the same as the XML reader's (512 KB, 32 levels). */
export const JSON_MAX_BYTES = 512 * 1024;
export const JSON_MAX_DEPTH = 32;

export interface JsonReadOptions {
	/** Default 512 KB (UTF-8 bytes). */
	maxBytes?: number;
	/** Default 32 levels of objects and arrays, the outermost included. */
	maxDepth?: number;
	/**
	 * Numbers as their source text (`"4561255354251345929"`) instead of JavaScript numbers, which
	 * round integers above 2^53: WeCom's JSON sample sends its MsgId as such a number
	 * (https://github.com/sbzhu/weworkapi_python/blob/master/callback_json/Sample.py).
	 */
	numbersAsText?: boolean;
}

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

function isJsonNumberChar(code: number): boolean {
	// 0-9 + - . e E
	return (
		(code >= 48 && code <= 57) ||
		code === 43 ||
		code === 45 ||
		code === 46 ||
		code === 101 ||
		code === 69
	);
}

/**
 * Reads JSON a callback carries, within bounds, throwing nothing but `CallbackRejected` ('size'
 * over the bytes or the depth, 'format' for what is not JSON, a malformed number, or a `__proto__`
 * key, which the XML reader refuses as an element name too). The depth is counted on the text
 * before it is parsed, so no deep value ever reaches a caller's recursive walk.
 */
export function readJson(input: unknown, what: string, options: JsonReadOptions = {}): unknown {
	const maxBytes = options.maxBytes ?? JSON_MAX_BYTES;
	const maxDepth = options.maxDepth ?? JSON_MAX_DEPTH;
	if (typeof input !== 'string') throw new CallbackRejected('format', `${what} is not text`);
	if (input.length > maxBytes || Buffer.byteLength(input, 'utf8') > maxBytes) {
		throw new CallbackRejected('size', `${what} is larger than ${maxBytes} bytes`);
	}
	const parts: string[] = [];
	let from = 0;
	let depth = 0;
	let inString = false;
	for (let i = 0; i < input.length; i++) {
		const code = input.charCodeAt(i);
		if (inString) {
			// A backslash escapes the next character; a quote ends the string.
			if (code === 92) i++;
			else if (code === 34) inString = false;
			continue;
		}
		if (code === 34) {
			inString = true;
		} else if (code === 123 || code === 91) {
			// '{' '['
			if (++depth > maxDepth) {
				throw new CallbackRejected('size', `${what} nests deeper than ${maxDepth} levels`);
			}
		} else if (code === 125 || code === 93) {
			depth--;
		} else if (options.numbersAsText && (code === 45 || (code >= 48 && code <= 57))) {
			let end = i + 1;
			while (end < input.length && isJsonNumberChar(input.charCodeAt(end))) end++;
			const literal = input.slice(i, end);
			if (!JSON_NUMBER.test(literal)) {
				throw new CallbackRejected('format', `${what} has a malformed number at offset ${i}`);
			}
			parts.push(input.slice(from, i), `"${literal}"`);
			from = end;
			i = end - 1;
		}
	}
	parts.push(input.slice(from));
	let protoKey = false;
	let parsed: unknown;
	let valid = true;
	try {
		parsed = JSON.parse(parts.join(''), (key, value: unknown) => {
			if (key !== '__proto__') return value;
			protoKey = true;
			return undefined;
		}) as unknown;
	} catch {
		valid = false;
	}
	if (!valid) throw new CallbackRejected('format', `${what} is not valid JSON`);
	if (protoKey) {
		throw new CallbackRejected('format', `${what} has a key named __proto__, which is refused`);
	}
	return parsed;
}

/**
 * The lifecycle of a webhook whose URL is pasted into the platform's console, not registered
 * through an API: nothing to create or remove (as n8n's Slack Trigger). When n8n asks whether the
 * webhook exists (on publishing, and when a test run starts listening) the credential and options
 * are checked, so that a trigger that could only answer 500 fails there, with what to fix.
 */
export function consoleWebhookMethods(check: {
	trigger: string;
	credentialType: string;
	cipherFor: (credentials: IDataObject) => CallbackCipher | string;
	/** The receiver id's field (Corp ID, Owner Key) and what to say when it is empty. */
	receiver: { field: string; empty: string };
}) {
	return {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials(check.credentialType);
				const cipher = check.cipherFor(credentials);
				const settings = this.getNodeParameter('settings', {}) as IDataObject;
				const guard = guardFor(settings.replayWindowSeconds);
				const noReceiver = String(credentials[check.receiver.field] ?? '').trim() === '';
				let problem = typeof guard === 'string' ? guard : '';
				if (noReceiver) problem = check.receiver.empty;
				if (typeof cipher === 'string') problem = cipher;
				if (problem !== '') {
					throw new NodeOperationError(
						this.getNode(),
						`The ${check.trigger} cannot check callbacks: ${problem}`,
						{
							description:
								"Fix the trigger's credential (or its Replay Window option): every callback would be refused until then.",
						},
					);
				}
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};
}

/**
 * The Test button of a callback credential: nothing to call, so it checks locally that the token
 * and key can work and that the receiver id is filled in.
 */
export function testCallbackCredential(
	data: IDataObject,
	cipherFor: (credentials: IDataObject) => CallbackCipher | string,
	receiver: { field: string; empty: string; ok: string },
): INodeCredentialTestResult {
	const cipher = cipherFor(data);
	if (typeof cipher === 'string') return { status: 'Error', message: cipher };
	if (String(data[receiver.field] ?? '').trim() === '') {
		return { status: 'Error', message: receiver.empty };
	}
	return { status: 'OK', message: receiver.ok };
}

/** What a callback trigger needs for its platform's checks, read once per request. */
export interface CallbackRequestContext {
	cipher: CallbackCipher;
	guard: ReplayGuard;
	deduplicator: EventDeduplicator;
	query: IDataObject;
	rawBody: unknown;
}

/**
 * The cipher of the trigger's credential, its replay guard, de-duplicator and the raw request; or,
 * when the credential or options cannot work, the 500 answer already sent.
 */
export async function readCallbackRequest(
	ctx: IWebhookFunctions,
	trigger: string,
	credentialType: string,
	cipherFor: (credentials: IDataObject) => CallbackCipher | string,
): Promise<CallbackRequestContext | { misconfigured: IWebhookResponseData }> {
	const settings = ctx.getNodeParameter('settings', {}) as IDataObject;
	const cipher = cipherFor(await ctx.getCredentials(credentialType));
	if (typeof cipher === 'string')
		return { misconfigured: answerMisconfigured(ctx, trigger, cipher) };
	const guard = guardFor(settings.replayWindowSeconds);
	if (typeof guard === 'string') return { misconfigured: answerMisconfigured(ctx, trigger, guard) };
	return {
		cipher,
		guard,
		deduplicator: nodeDeduplicator(ctx),
		query: ctx.getQueryData() as IDataObject,
		rawBody: await readCallbackBody(ctx),
	};
}
