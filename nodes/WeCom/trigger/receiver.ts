import type { IDataObject } from 'n8n-workflow';

import type { CallbackCipher } from '../../shared/callbacks/crypto';
import type { EventDeduplicator } from '../../shared/callbacks/deduplicator';
import { CallbackRejected } from '../../shared/callbacks/errors';
import type { CallbackOutcome } from '../../shared/callbacks/receiver';
import {
	cipherOf,
	MAX_ENVELOPE_BYTES,
	rawBodyText,
	readJson,
	settleCallback,
} from '../../shared/callbacks/receiver';
import type { ReplayGuard } from '../../shared/callbacks/replayGuard';
import type { XmlObject } from '../../shared/callbacks/xml';
import { readXml } from '../../shared/callbacks/xml';
import {
	APPROVAL_EVENTS,
	approvalFacts,
	dedupKey,
	genericItem,
	openApprovalChangeItem,
	sysApprovalChangeItem,
} from './events';
import type { MessageFormat } from './message';
import { readMessage } from './message';

/**
 * What the WeCom Trigger does with one request, without n8n: GET URL verification
 * (https://developer.work.weixin.qq.com/document/path/90930) and POST event delivery. Every check
 * that fails is a `CallbackRejected`, answered with a 4xx and no item.
 */

export interface ReceiverSettings {
	cipher: CallbackCipher;
	guard: ReplayGuard;
	deduplicator: EventDeduplicator;
	/** 'approval': approval changes only; 'all': every event. */
	events: string;
	templateIds: string[];
	statuses: string[];
	/** StatuChangeEvent codes of sys_approval_change (open_approval_change has none). */
	changeEvents?: string[];
}

export interface CallbackRequest {
	/** n8n's webhook name: 'setup' for the GET verification, 'default' for POSTed events. */
	webhook: string;
	query: IDataObject;
	rawBody: unknown;
}

/** The cipher of a WeCom Callback API credential, or why it cannot work. */
export function cipherFor(credentials: IDataObject): CallbackCipher | string {
	return cipherOf({
		// Trimmed: a space copied along from the console would fail every callback.
		token: String(credentials.token ?? '').trim(),
		encodingAesKey: String(credentials.encodingAesKeySecret ?? '').trim(),
		receiverId: String(credentials.corpId ?? '').trim(),
	});
}

interface Envelope {
	ciphertext: string;
	/** The envelope's format, which is the decrypted message's too (./message.ts). */
	format: MessageFormat;
}

/** The Encrypt element of the envelope: XML `<xml><Encrypt/>…</xml>` or JSON `{"encrypt"}`. */
function readEnvelope(body: string): Envelope {
	const trimmed = body.trim();
	if (trimmed.startsWith('{')) {
		const parsed = readJson(trimmed, 'The JSON envelope', { maxBytes: MAX_ENVELOPE_BYTES });
		const encrypt =
			typeof parsed === 'object' && parsed !== null
				? (parsed as { encrypt?: unknown }).encrypt
				: undefined;
		if (typeof encrypt !== 'string') {
			throw new CallbackRejected('format', 'The envelope has no encrypt field');
		}
		return { ciphertext: encrypt, format: 'json' };
	}
	const envelope = readXml(trimmed, { maxBytes: MAX_ENVELOPE_BYTES });
	if (typeof envelope.Encrypt !== 'string') {
		throw new CallbackRejected('format', 'The envelope has no single Encrypt element');
	}
	return { ciphertext: envelope.Encrypt, format: 'xml' };
}

/**
 * What an accepted POST is answered: `success` to XML callbacks, as WeCom's receive-message docs
 * allow (an empty body would do too); an empty body to JSON callbacks, the "空包" doc 101033 names
 * as the reply that sends nothing back (https://developer.work.weixin.qq.com/document/path/101033),
 * where `success` would be no JSON at all.
 */
function received(format: MessageFormat): string {
	return format === 'json' ? '' : 'success';
}

/** Whether the node's Events and filters let this message through. */
function wanted(settings: ReceiverSettings, message: XmlObject, event: string): boolean {
	if (!APPROVAL_EVENTS.includes(event)) return settings.events === 'all';
	const { templateId, status, change } = approvalFacts(message, event);
	if (settings.templateIds.length > 0 && !settings.templateIds.includes(templateId)) return false;
	const changes = settings.changeEvents ?? [];
	if (change !== undefined && changes.length > 0 && !changes.includes(change)) return false;
	return settings.statuses.length === 0 || settings.statuses.includes(status);
}

function itemOf(message: XmlObject, event: string, decrypted: string): IDataObject {
	switch (event) {
		case 'sys_approval_change':
			return sysApprovalChangeItem(message, decrypted);
		case 'open_approval_change':
			return openApprovalChangeItem(message, decrypted);
		default:
			return genericItem(message, decrypted);
	}
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

	const { ciphertext, format } = readEnvelope(rawBodyText(request.rawBody));
	// Nothing is decrypted or parsed further before the signature holds.
	cipher.verify({ ...signed, ciphertext });
	guard.check(signed.timestamp);
	const { message: decrypted } = cipher.decrypt(ciphertext);
	const { message, event } = readMessage(decrypted, format);
	const body = received(format);
	// A genuine event seen before is WeCom's own retry (it retries until it gets 200) or a replay of
	// it: either way it is answered as received and starts no second execution.
	if (deduplicator.seen(dedupKey(message, decrypted, format))) return { status: 200, body };
	if (!wanted(settings, message, event)) return { status: 200, body };
	return { status: 200, body, item: itemOf(message, event, decrypted) };
}

/** Answers one request; a refused one gets a 4xx, its reason, and no item. */
export function receiveCallback(
	request: CallbackRequest,
	settings: ReceiverSettings,
): CallbackOutcome {
	return settleCallback(() => handle(request, settings));
}
