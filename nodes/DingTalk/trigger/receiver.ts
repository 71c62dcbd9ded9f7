import { randomBytes } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import type { CallbackCipher } from '../../shared/callbacks/crypto';
import type { EventDeduplicator } from '../../shared/callbacks/deduplicator';
import { CallbackRejected } from '../../shared/callbacks/errors';
import type { CallbackOutcome } from '../../shared/callbacks/receiver';
import { cipherOf, jsonObject, rawBodyText, settleCallback } from '../../shared/callbacks/receiver';
import type { ReplayGuard } from '../../shared/callbacks/replayGuard';
import type { EventFilters } from './events';
import { eventDedupKey, eventItem, httpEnvelope, httpEventData, wanted } from './events';

/**
 * What the DingTalk Trigger does with one HTTP event-subscription request, without n8n
 * (https://open.dingtalk.com/document/development/http-callback-overview): the signature is checked
 * on the raw `encrypt` value first, then the timestamp window, decryption and the owner key. Every
 * accepted request, `check_url` included, is answered with the encrypted `success`
 * (https://open.dingtalk.com/document/development/test-callback-url-events); a refused one gets a
 * 4xx and no item.
 */

export interface ReceiverSettings {
	cipher: CallbackCipher;
	guard: ReplayGuard;
	deduplicator: EventDeduplicator;
	filters: EventFilters;
	/** Milliseconds now, for the answer's timeStamp (injectable for tests). */
	now?: () => number;
}

export interface CallbackRequest {
	query: IDataObject;
	rawBody: unknown;
}

/** The cipher of a DingTalk Callback API credential, or why it cannot work. */
export function cipherFor(credentials: IDataObject): CallbackCipher | string {
	return cipherOf({
		// Trimmed: a space copied along from the console would fail every push.
		token: String(credentials.token ?? '').trim(),
		encodingAesKey: String(credentials.encodingAesKeySecret ?? '').trim(),
		receiverId: String(credentials.ownerKey ?? '').trim(),
		keyName: 'aes_key',
	});
}

/**
 * A query value under either of its names. The overview page names `signature` and `timestamp`;
 * the official crypto sample reads `msg_signature` and `timeStamp` first
 * (https://github.com/open-dingtalk/dingtalk-callback-Crypto), so both are accepted.
 */
function queryValue(query: IDataObject, names: string[]): unknown {
	for (const name of names) {
		if (query[name] !== undefined) return query[name];
	}
	return undefined;
}

/** The encrypted `success` every accepted push must get back, as DingTalk's JSON. */
export function successAnswer(cipher: CallbackCipher, nowMs: number): string {
	const timeStamp = String(nowMs);
	const nonce = randomBytes(6).toString('hex');
	const sealed = cipher.seal('success', timeStamp, nonce);
	return JSON.stringify({
		msg_signature: sealed.signature,
		timeStamp,
		nonce,
		encrypt: sealed.ciphertext,
	});
}

function handle(request: CallbackRequest, settings: ReceiverSettings): CallbackOutcome {
	const { cipher, guard, deduplicator } = settings;
	const envelope = jsonObject(rawBodyText(request.rawBody), 'The request body');
	const signed = {
		signature: queryValue(request.query, ['msg_signature', 'signature']),
		timestamp: queryValue(request.query, ['timeStamp', 'timestamp']),
		nonce: request.query.nonce,
		ciphertext: envelope.encrypt,
	};
	// Nothing is decrypted or parsed further before the signature holds.
	cipher.verify(signed);
	guard.check(signed.timestamp);
	const { message } = cipher.decrypt(signed.ciphertext);
	const event = jsonObject(message, 'The decrypted event');
	const answer = { status: 200, body: successAnswer(cipher, (settings.now ?? Date.now)()) };
	const head = httpEnvelope(event);
	if (head.eventType === '') throw new CallbackRejected('format', 'The event has no EventType');
	// The URL check when the subscription is saved: answered, never started.
	if (head.eventType === 'check_url') return answer;
	// A repeat is DingTalk's own retry of a push it counted as failed, or a replay within the
	// window: answered as received either way, with no second execution.
	if (deduplicator.seen(eventDedupKey(head, message))) return answer;
	const data = httpEventData(event);
	if (!wanted(settings.filters, head.eventType, data)) return answer;
	return { ...answer, item: eventItem(head, data) };
}

/** Answers one request; a refused one gets a 4xx, its reason, and no item. */
export function receiveCallback(
	request: CallbackRequest,
	settings: ReceiverSettings,
): CallbackOutcome {
	return settleCallback(() => handle(request, settings));
}
