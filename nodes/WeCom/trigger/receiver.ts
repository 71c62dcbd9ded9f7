import type { IDataObject } from 'n8n-workflow';

import type { CallbackCipher } from '../../shared/callbacks/crypto';
import type { EventDeduplicator } from '../../shared/callbacks/deduplicator';
import { CallbackRejected } from '../../shared/callbacks/errors';
import type { CallbackOutcome } from '../../shared/callbacks/receiver';
import {
	cipherOf,
	MAX_ENVELOPE_BYTES,
	parseJson,
	rawBodyText,
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
	repeatedPathsFor,
	sysApprovalChangeItem,
} from './events';

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
		token: String(credentials.token ?? ''),
		encodingAesKey: String(credentials.encodingAesKeySecret ?? ''),
		receiverId: String(credentials.corpId ?? ''),
	});
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
	return settleCallback(() => handle(request, settings));
}
