/**
 * The two ways a callback can fail before a workflow sees it.
 *
 * - `CallbackRejected`: the request itself is not acceptable (forged, broken, stale, replayed).
 *   A trigger answers it with a 4xx and starts no execution. `reason` says which check failed, so
 *   the answer and the log can name the check without quoting anything secret or personal.
 * - `CallbackConfigError`: what the user configured cannot work (e.g. an EncodingAESKey that is not
 *   43 letters or digits). No request can fix it, so it is not a rejection.
 *
 * Messages never contain keys, tokens, ciphertexts or decrypted text.
 */

export type CallbackRejectionReason =
	/** The SHA-1 signature over token, timestamp, nonce and ciphertext does not match. */
	| 'signature'
	/** The PKCS#7 padding after decryption is not 1..32 equal bytes (wrong key or tampering). */
	| 'padding'
	/** The receiver id (WeCom corpid / receiveid, DingTalk ownerKey) is not ours. */
	| 'receiver'
	/** Malformed input: base64, block length, layout, UTF-8, XML, a timestamp that is no number. */
	| 'format'
	/** Over one of our bounds (bytes, depth, element count). */
	| 'size'
	/** The timestamp lies outside the replay window. */
	| 'stale'
	/** The same request or event was already accepted. */
	| 'replay';

export class CallbackRejected extends Error {
	constructor(
		readonly reason: CallbackRejectionReason,
		message: string,
	) {
		super(message);
		this.name = 'CallbackRejected';
	}
}

export class CallbackConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CallbackConfigError';
	}
}
