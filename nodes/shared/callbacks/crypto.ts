import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'crypto';

import { CallbackConfigError, CallbackRejected } from './errors';

/**
 * The callback crypto of WeCom (企业微信 "加解密方案",
 * https://developer.work.weixin.qq.com/document/path/91144) and of DingTalk HTTP event subscriptions
 * (钉钉 "HTTP 回调", https://open.dingtalk.com/document/development/http-callback-overview). The two
 * are one algorithm; they differ only in data — the token, the 43-character EncodingAESKey and the
 * receiver id at the end of the plaintext: WeCom's `receiveid` (the corpid for an internal app, ""
 * for intelligent-robot callbacks), DingTalk's ownerKey (the AppKey for a console subscription, the
 * CorpId when registered through the API, the suiteKey for ISV apps). So nothing here asks which
 * platform it serves.
 *
 * - AESKey = Base64Decode(EncodingAESKey + "="), 32 bytes; IV = AESKey[0..16]; AES-256-CBC.
 * - Plaintext = random(16) ‖ uint32 big-endian byte length of msg ‖ msg (UTF-8) ‖ receiver id,
 *   PKCS#7-padded to a multiple of 32 bytes (pad byte 1..32).
 * - Signature = lowercase hex SHA-1 of the sorted [token, timestamp, nonce, ciphertext], joined.
 *
 * Official samples: https://github.com/sbzhu/weworkapi_python/blob/master/callback_python3/WXBizMsgCrypt.py
 * and https://github.com/open-dingtalk/dingtalk-callback-Crypto/blob/main/DingCallbackCrypto.java.
 */

/**
 * Both samples pad to 32-byte blocks (`block_size = 32` in WXBizMsgCrypt.py's PKCS7Encoder,
 * `BLOCK_SIZE = 32` in DingCallbackCrypto.java), not to AES's 16. Node's own unpadding accepts
 * only pad bytes up to 16 and fails on real callbacks (the official vectors have pads of 22 and 27),
 * so padding is switched off in the cipher and done here.
 */
export const CALLBACK_BLOCK_SIZE = 32;

/**
 * Ciphertexts longer than this (base64 characters) are refused before any work: 1 MiB of base64 is
 * 768 KiB of plaintext, above what the XML reader accepts (512 KB) and far above any real event.
 */
export const MAX_CIPHERTEXT_LENGTH = 1_048_576;

const AES_BLOCK = 16;
const RANDOM_LENGTH = 16;
const LENGTH_FIELD = 4;
const HEADER = RANDOM_LENGTH + LENGTH_FIELD;
const ENCODING_AES_KEY_LENGTH = 43;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface CallbackPlaintext {
	message: string;
	/** WeCom's receiveid / DingTalk's ownerKey, as found after the message. */
	receiverId: string;
}

function isAlphanumeric(code: number): boolean {
	return (
		(code >= 48 && code <= 57) || // 0-9
		(code >= 65 && code <= 90) || // A-Z
		(code >= 97 && code <= 122) // a-z
	);
}

/**
 * The 32-byte AES key of an EncodingAESKey: exactly 43 letters or digits (both consoles generate
 * them so, and DingCallbackCrypto.java checks `AES_ENCODE_KEY_LENGTH = 43`). The message never
 * repeats the key.
 */
export function callbackAesKey(encodingAesKey: string, keyName = 'EncodingAESKey'): Buffer {
	let valid =
		typeof encodingAesKey === 'string' && encodingAesKey.length === ENCODING_AES_KEY_LENGTH;
	for (let i = 0; valid && i < ENCODING_AES_KEY_LENGTH; i++) {
		valid = isAlphanumeric(encodingAesKey.charCodeAt(i));
	}
	if (!valid) {
		throw new CallbackConfigError(
			`The ${keyName} must be exactly 43 letters or digits: copy it again from the console`,
		);
	}
	// 43 base64 characters carry 258 bits; the last 2 are dropped. Real keys do not always leave them
	// zero (the official WeCom sample key ends in 't'), so they are not checked.
	return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/**
 * SHA-1 hex of token, timestamp, nonce and ciphertext, sorted and joined without a separator
 * (`getSignature` in DingCallbackCrypto.java, `SHA1.getSHA1` in WXBizMsgCrypt.py). JavaScript sorts
 * by UTF-16 code unit like Java's `String.compareTo`; the inputs are ASCII in practice.
 */
export function callbackSignature(
	token: string,
	timestamp: string | number,
	nonce: string | number,
	ciphertext: string,
): string {
	const parts = [token, String(timestamp), String(nonce), ciphertext].sort();
	return createHash('sha1').update(parts.join(''), 'utf8').digest('hex');
}

/**
 * Compares a received signature with the expected one in constant time. `timingSafeEqual` needs
 * equal lengths and throws otherwise, so a different length (or no string at all) is answered
 * `false` after comparing the expected value with itself, which costs the same time.
 */
export function signaturesMatch(expected: string, received: unknown): boolean {
	const want = Buffer.from(expected, 'utf8');
	if (typeof received !== 'string') {
		timingSafeEqual(want, want);
		return false;
	}
	// Hex is case-insensitive; both samples emit lowercase.
	const got = Buffer.from(received.toLowerCase(), 'utf8');
	if (got.length !== want.length) {
		timingSafeEqual(want, want);
		return false;
	}
	return timingSafeEqual(want, got);
}

/** 16 random letters and digits, as both official samples put in front of the message. */
function randomPrefix(): Buffer {
	const out = Buffer.alloc(RANDOM_LENGTH);
	let filled = 0;
	while (filled < RANDOM_LENGTH) {
		for (const byte of randomBytes(RANDOM_LENGTH)) {
			// 248 = 4 × 62: bytes from 248 up are skipped so every character is equally likely.
			if (byte < 248 && filled < RANDOM_LENGTH) {
				out[filled++] = ALPHANUMERIC.charCodeAt(byte % ALPHANUMERIC.length);
			}
		}
	}
	return out;
}

function encryptWithKey(
	key: Buffer,
	message: string,
	receiverId: string,
	random: Buffer | undefined,
): string {
	const prefix = random ?? randomPrefix();
	if (prefix.length !== RANDOM_LENGTH) {
		throw new CallbackConfigError(`The random prefix must be ${RANDOM_LENGTH} bytes`);
	}
	const body = Buffer.from(message, 'utf8');
	const length = Buffer.alloc(LENGTH_FIELD);
	length.writeUInt32BE(body.length, 0);
	const plain = Buffer.concat([prefix, length, body, Buffer.from(receiverId, 'utf8')]);
	// Always 1..32: an aligned plaintext gets a whole block of 32s, as PKCS#7 requires.
	const pad = CALLBACK_BLOCK_SIZE - (plain.length % CALLBACK_BLOCK_SIZE);
	const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, AES_BLOCK));
	cipher.setAutoPadding(false);
	return Buffer.concat([
		cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
		cipher.final(),
	]).toString('base64');
}

/** Standard base64 with its '=' padding, nothing else (no whitespace, no URL-safe alphabet). */
function isStrictBase64(text: string): boolean {
	if (text.length === 0 || text.length % 4 !== 0) return false;
	let end = text.length;
	if (text.charCodeAt(end - 1) === 61) end--; // '='
	if (text.charCodeAt(end - 1) === 61) end--;
	for (let i = 0; i < end; i++) {
		const code = text.charCodeAt(i);
		if (!isAlphanumeric(code) && code !== 43 && code !== 47) return false; // '+', '/'
	}
	return true;
}

/** The UTF-8 text of `bytes`, or undefined when they are not valid UTF-8. */
function strictUtf8(bytes: Buffer): string | undefined {
	const text = bytes.toString('utf8');
	// Invalid sequences decode to U+FFFD, which re-encodes differently.
	return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

function decryptWithKey(
	key: Buffer,
	ciphertext: unknown,
	expectedReceiverId: string,
	maxLength: number,
): CallbackPlaintext {
	if (typeof ciphertext !== 'string') {
		throw new CallbackRejected('format', 'The ciphertext is missing or not a string');
	}
	if (ciphertext.length > maxLength) {
		throw new CallbackRejected('size', `The ciphertext is longer than ${maxLength} characters`);
	}
	if (!isStrictBase64(ciphertext)) {
		throw new CallbackRejected('format', 'The ciphertext is not base64');
	}
	const data = Buffer.from(ciphertext, 'base64');
	// Padding to 32 also makes every genuine ciphertext a multiple of 32; the AES block (16) is what
	// the cipher itself needs, and the padding check below catches the rest.
	if (data.length === 0 || data.length % AES_BLOCK !== 0) {
		throw new CallbackRejected(
			'format',
			`The ciphertext is ${data.length} bytes, not a multiple of ${AES_BLOCK}`,
		);
	}
	const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, AES_BLOCK));
	decipher.setAutoPadding(false);
	// Without auto-padding and with whole blocks, update/final cannot fail.
	const plain = Buffer.concat([decipher.update(data), decipher.final()]);

	const pad = plain[plain.length - 1];
	let padOk = pad >= 1 && pad <= CALLBACK_BLOCK_SIZE && pad <= plain.length;
	for (let i = plain.length - pad; padOk && i < plain.length; i++) padOk = plain[i] === pad;
	if (!padOk) {
		throw new CallbackRejected('padding', 'The PKCS#7 padding is invalid (wrong key?)');
	}
	const unpadded = plain.subarray(0, plain.length - pad);
	if (unpadded.length < HEADER) {
		throw new CallbackRejected(
			'format',
			'The plaintext is shorter than its random prefix and length field',
		);
	}
	const length = unpadded.readUInt32BE(RANDOM_LENGTH);
	if (length > unpadded.length - HEADER) {
		throw new CallbackRejected(
			'format',
			`The length field says ${length} bytes but only ${unpadded.length - HEADER} follow`,
		);
	}
	const message = strictUtf8(unpadded.subarray(HEADER, HEADER + length));
	const receiverId = strictUtf8(unpadded.subarray(HEADER + length));
	if (message === undefined || receiverId === undefined) {
		throw new CallbackRejected('format', 'The plaintext is not valid UTF-8');
	}
	// WeCom's sample returns -40005 and DingTalk's 900010 here: a message for another corp or app.
	if (receiverId !== expectedReceiverId) {
		throw new CallbackRejected('receiver', 'The message is addressed to another receiver id');
	}
	return { message, receiverId };
}

/**
 * Encrypts `message` for `receiverId`. `random` fixes the 16-byte prefix (to reproduce a vector);
 * by default it is 16 random letters and digits like the samples use.
 */
export function encryptCallbackMessage(
	encodingAesKey: string,
	message: string,
	receiverId: string,
	random?: Buffer,
): string {
	return encryptWithKey(callbackAesKey(encodingAesKey), message, receiverId, random);
}

/**
 * Decrypts a ciphertext and checks its layout and receiver id. Anything wrong with the ciphertext
 * is a `CallbackRejected`; only a bad EncodingAESKey is a `CallbackConfigError`.
 */
export function decryptCallbackMessage(
	encodingAesKey: string,
	ciphertext: unknown,
	expectedReceiverId: string,
	options: { maxLength?: number } = {},
): CallbackPlaintext {
	return decryptWithKey(
		callbackAesKey(encodingAesKey),
		ciphertext,
		expectedReceiverId,
		options.maxLength ?? MAX_CIPHERTEXT_LENGTH,
	);
}

export interface CallbackSecrets {
	/** The Token of the callback settings. */
	token: string;
	/** The 43-character EncodingAESKey (DingTalk: aes_key). */
	encodingAesKey: string;
	/** What the platform's console calls the key, for messages (default EncodingAESKey). */
	keyName?: string;
	/** WeCom: the corpid (or other receiveid); DingTalk: the ownerKey (AppKey, CorpId or suiteKey). */
	receiverId: string;
}

/** What a signed callback carries, as read from the request (so: not yet known to be strings). */
export interface SignedCiphertext {
	signature: unknown;
	timestamp: unknown;
	nonce: unknown;
	ciphertext: unknown;
}

/**
 * One receiver's callback crypto, built once from its settings: checks and opens incoming
 * callbacks and seals answers (DingTalk's encrypted `success`, WeCom's passive replies).
 */
export class CallbackCipher {
	private readonly key: Buffer;

	private readonly token: string;

	private readonly receiverId: string;

	private readonly maxLength: number;

	constructor(secrets: CallbackSecrets, options: { maxCiphertextLength?: number } = {}) {
		if (typeof secrets.token !== 'string' || secrets.token === '') {
			throw new CallbackConfigError('The callback Token is empty');
		}
		if (typeof secrets.receiverId !== 'string') {
			throw new CallbackConfigError('The receiver id must be a string');
		}
		this.key = callbackAesKey(secrets.encodingAesKey, secrets.keyName);
		this.token = secrets.token;
		this.receiverId = secrets.receiverId;
		this.maxLength = options.maxCiphertextLength ?? MAX_CIPHERTEXT_LENGTH;
	}

	sign(timestamp: string | number, nonce: string | number, ciphertext: string): string {
		return callbackSignature(this.token, timestamp, nonce, ciphertext);
	}

	/** Checks the signature of a request; throws `CallbackRejected` ('format', 'size', 'signature'). */
	verify(request: SignedCiphertext): void {
		const { signature, timestamp, nonce, ciphertext } = request;
		if (typeof timestamp !== 'string' || typeof nonce !== 'string') {
			throw new CallbackRejected('format', 'The timestamp or nonce is missing or repeated');
		}
		if (typeof ciphertext !== 'string') {
			throw new CallbackRejected('format', 'The ciphertext is missing or not a string');
		}
		// Bounded before hashing, so an oversized body costs nothing.
		if (ciphertext.length > this.maxLength) {
			throw new CallbackRejected(
				'size',
				`The ciphertext is longer than ${this.maxLength} characters`,
			);
		}
		if (!signaturesMatch(this.sign(timestamp, nonce, ciphertext), signature)) {
			throw new CallbackRejected('signature', 'The signature does not match');
		}
	}

	/** Decrypts a ciphertext addressed to this receiver (no signature check). */
	decrypt(ciphertext: unknown): CallbackPlaintext {
		return decryptWithKey(this.key, ciphertext, this.receiverId, this.maxLength);
	}

	/** Verifies, then decrypts: what every incoming callback goes through. */
	open(request: SignedCiphertext): CallbackPlaintext {
		this.verify(request);
		return this.decrypt(request.ciphertext);
	}

	/** Encrypts and signs an answer. */
	seal(
		message: string,
		timestamp: string | number,
		nonce: string | number,
		random?: Buffer,
	): { ciphertext: string; signature: string } {
		const ciphertext = encryptWithKey(this.key, message, this.receiverId, random);
		return { ciphertext, signature: this.sign(timestamp, nonce, ciphertext) };
	}
}
