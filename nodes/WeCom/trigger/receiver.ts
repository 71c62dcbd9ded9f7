import type { IDataObject } from 'n8n-workflow';

import { CallbackCipher } from '../../shared/callbacks/crypto';
import { EventDeduplicator } from '../../shared/callbacks/deduplicator';
import { CallbackConfigError, CallbackRejected } from '../../shared/callbacks/errors';
import { DEFAULT_REPLAY_WINDOW_SECONDS, ReplayGuard } from '../../shared/callbacks/replayGuard';
import type { XmlObject } from '../../shared/callbacks/xml';
import { readXml } from '../../shared/callbacks/xml';
import {
	APPROVAL_EVENTS,
	approvalFacts,
	dedupKey,
	genericItem,
	repeatedPathsFor,
	sysApprovalChangeItem,
} from './events';

/**
 * What the WeCom Trigger does with one request, without n8n: GET URL verification
 * (https://developer.work.weixin.qq.com/document/path/90930) and POST event delivery. Every check
 * that fails is a `CallbackRejected`, answered with a 4xx and no item.
 */

/** The encrypted envelope is small; anything larger is refused before parsing. */
export const MAX_ENVELOPE_BYTES = 1_100_000;
/** Trigger nodes whose de-duplicators are kept (the oldest goes first). */
const MAX_RECEIVERS = 1000;

const deduplicators = new Map<string, EventDeduplicator>();

/** One de-duplicator per trigger node (workflow id + node id), kept across requests. */
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

export interface ReceiverSettings {
	cipher: CallbackCipher;
	guard: ReplayGuard;
	deduplicator: EventDeduplicator;
	/** 'approval': approval changes only; 'all': every event. */
	events: string;
	templateIds: string[];
	statuses: string[];
}

export interface CallbackRequest {
	/** n8n's webhook name: 'setup' for the GET verification, 'default' for POSTed events. */
	webhook: string;
	query: IDataObject;
	rawBody: unknown;
}

export interface CallbackOutcome {
	status: number;
	body: string;
	/** The item to emit; absent when nothing may start. */
	item?: IDataObject;
	/** Why the request was refused (the check, never the data). */
	rejected?: CallbackRejected;
	/** Something unexpected went wrong (no detail kept: it could quote the message). */
	failed?: boolean;
}

export function commaList(value: unknown): string[] {
	return String(value ?? '')
		.split(/[\s,，]+/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/**
 * The cipher of a credential, or the reason it cannot work (a wrong EncodingAESKey, an empty
 * token) — a message that names the field, never its value.
 */
export function cipherFor(credentials: IDataObject): CallbackCipher | string {
	try {
		return new CallbackCipher({
			token: String(credentials.token ?? ''),
			encodingAesKey: String(credentials.encodingAESKey ?? ''),
			receiverId: String(credentials.corpId ?? ''),
		});
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

/** The request body as text: the raw bytes n8n keeps (`rawBody`), not its parsed body. */
function rawBodyText(raw: unknown): string {
	let text: string;
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
function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** The Encrypt element of the envelope: XML `<xml><Encrypt/>…</xml>` or JSON `{"encrypt"}`. */
function envelopeCiphertext(body: string): string {
	const trimmed = body.trim();
	if (trimmed.startsWith('{')) {
		const parsed = parseJson(trimmed);
		if (parsed === undefined) {
			throw new CallbackRejected('format', 'The JSON envelope is malformed');
		}
		const encrypt =
			typeof parsed === 'object' && parsed !== null
				? (parsed as { encrypt?: unknown }).encrypt
				: undefined;
		if (typeof encrypt !== 'string') {
			throw new CallbackRejected('format', 'The envelope has no encrypt field');
		}
		return encrypt;
	}
	const envelope = readXml(trimmed, { maxBytes: MAX_ENVELOPE_BYTES });
	if (typeof envelope.Encrypt !== 'string') {
		throw new CallbackRejected('format', 'The envelope has no single Encrypt element');
	}
	return envelope.Encrypt;
}

/** Whether the node's Events and filters let this message through. */
function wanted(settings: ReceiverSettings, message: XmlObject, event: string): boolean {
	if (!APPROVAL_EVENTS.includes(event)) return settings.events === 'all';
	if (event !== 'sys_approval_change') return true;
	const { templateId, status } = approvalFacts(message);
	if (settings.templateIds.length > 0 && !settings.templateIds.includes(templateId)) return false;
	return settings.statuses.length === 0 || settings.statuses.includes(status);
}

function handle(request: CallbackRequest, settings: ReceiverSettings): CallbackOutcome {
	const { cipher, guard, deduplicator } = settings;
	const signed = {
		signature: request.query.msg_signature,
		timestamp: request.query.timestamp,
		nonce: request.query.nonce,
	};
	if (request.webhook === 'setup') {
		// The signature covers the encrypted echostr; WeCom wants its plaintext back, exactly.
		const echostr = request.query.echostr;
		cipher.verify({ ...signed, ciphertext: echostr });
		return { status: 200, body: cipher.decrypt(echostr).message };
	}

	const ciphertext = envelopeCiphertext(rawBodyText(request.rawBody));
	// Nothing is decrypted or parsed further before the signature holds.
	cipher.verify({ ...signed, ciphertext });
	guard.check(signed.timestamp);
	const { message: xml } = cipher.decrypt(ciphertext);
	const head = readXml(xml);
	const event = typeof head.Event === 'string' ? head.Event : '';
	const message = readXml(xml, { repeated: repeatedPathsFor(event) });
	// A genuine event seen before is WeCom's own retry (it retries until it gets 200) or a replay of
	// it: either way it is answered as received and starts no second execution.
	if (deduplicator.seen(dedupKey(message, xml))) return { status: 200, body: 'success' };
	if (!wanted(settings, message, event)) return { status: 200, body: 'success' };
	const item =
		event === 'sys_approval_change'
			? sysApprovalChangeItem(message, xml)
			: genericItem(message, xml);
	return { status: 200, body: 'success', item };
}

/** Answers one request; a refused one gets a 4xx, its reason, and no item. */
export function receiveCallback(
	request: CallbackRequest,
	settings: ReceiverSettings,
): CallbackOutcome {
	try {
		return handle(request, settings);
	} catch (error) {
		if (!(error instanceof CallbackRejected)) {
			// Not expected from the readers; answered without starting anything, and without detail.
			return { status: 500, body: 'Internal error', failed: true };
		}
		return { status: statusOf(error), body: `Refused: ${error.reason}`, rejected: error };
	}
}
