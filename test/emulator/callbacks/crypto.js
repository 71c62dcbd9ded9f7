// @ts-check
'use strict';

const nodeCrypto = require('node:crypto');

/**
 * Callback crypto shared by WeCom (https://developer.work.weixin.qq.com/document/path/91144) and DingTalk HTTP
 * event subscriptions (https://open.dingtalk.com/document/development/http-callback-overview). Written independently of the pack's own implementation in
 * nodes/ on purpose: the pack is tested against this one, so the two must not share code.
 *
 * - AESKey = base64(EncodingAESKey + '='), 32 bytes; IV = AESKey[0..16]; AES-256-CBC.
 * - Plaintext = random(16) ‖ uint32 BE byteLength(msg) ‖ msg (UTF-8) ‖ receiveId, PKCS#7 padded
 *   to a multiple of 32 (pad byte 1..32, so Node's own 16-byte unpadding is switched off).
 * - Signature = SHA1 hex of the sorted [token, timestamp, nonce, encrypt], concatenated.
 *
 * "receiveId" is WeCom's name (corpid for internal apps); DingTalk calls the same trailing field
 * ownerKey (appKey, corpId or suiteKey).
 */

/**
 * Block size the platforms pad to: BLOCK_SIZE = 32 in https://github.com/open-dingtalk/dingtalk-callback-Crypto/blob/main/DingCallbackCrypto.java,
 * block_size = 32 in PKCS7Encoder of https://github.com/sbzhu/weworkapi_python/blob/master/callback_python3/WXBizMsgCrypt.py.
 */
const BLOCK_SIZE = 32;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RANDOM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Why a crypto step failed; `code` names the step.
 */
class CallbackCryptoError extends Error {
	/** @param {'aesKey'|'signature'|'base64'|'decrypt'|'padding'|'length'|'receiveId'|'random'|'utf8'} code @param {string} message */
	constructor(code, message) {
		super(message);
		this.name = 'CallbackCryptoError';
		this.code = code;
	}
}

/**
 * The 32-byte AES key of a 43-character EncodingAESKey.
 * @param {string} encodingAESKey
 */
function aesKeyOf(encodingAESKey) {
	if (typeof encodingAESKey !== 'string' || !ENCODING_AES_KEY.test(encodingAESKey)) {
		throw new CallbackCryptoError(
			'aesKey',
			// Its length only: even a malformed key is a secret and stays out of messages.
			`the EncodingAESKey must be 43 letters or digits, got ${typeof encodingAESKey === 'string' ? `${encodingAESKey.length} characters` : typeof encodingAESKey}`,
		);
	}
	const key = Buffer.from(`${encodingAESKey}=`, 'base64');
	if (key.length !== 32)
		throw new CallbackCryptoError(
			'aesKey',
			`the EncodingAESKey decodes to ${key.length} bytes, not 32`,
		);
	return key;
}

/**
 * SHA1 hex of the sorted, concatenated [token, timestamp, nonce, encrypt].
 * @param {string} token
 * @param {string|number} timestamp
 * @param {string|number} nonce
 * @param {string} encrypt
 */
function signature(token, timestamp, nonce, encrypt) {
	const parts = [String(token), String(timestamp), String(nonce), String(encrypt)].sort();
	return nodeCrypto.createHash('sha1').update(parts.join(''), 'utf8').digest('hex');
}

/** Constant-time comparison of a received signature with the one computed. */
function signatureMatches(/** @type {string} */ expected, /** @type {unknown} */ received) {
	if (typeof received !== 'string') return false;
	const a = Buffer.from(expected, 'utf8');
	const b = Buffer.from(received.toLowerCase(), 'utf8');
	return a.length === b.length && nodeCrypto.timingSafeEqual(a, b);
}

/** 16 random letters and digits, as the official samples put in front of the message. */
function randomPrefix() {
	const bytes = nodeCrypto.randomBytes(16);
	return Array.from(bytes, (byte) => RANDOM_ALPHABET[byte % RANDOM_ALPHABET.length]).join('');
}

/**
 * The unpadded plaintext layout: random(16) ‖ uint32 BE byteLength(msg) ‖ msg ‖ receiveId.
 * `length` overrides the length field (forgeries: a prefix that lies about the message).
 * @param {string} message
 * @param {string} receiveId
 * @param {string | Buffer} random 16 bytes
 * @param {{ length?: number }} [options]
 */
function plaintextLayout(message, receiveId, random, { length } = {}) {
	const prefix = Buffer.isBuffer(random) ? random : Buffer.from(String(random), 'utf8');
	if (prefix.length !== 16)
		throw new CallbackCryptoError(
			'random',
			`the random prefix must be 16 bytes, got ${prefix.length}`,
		);
	const body = Buffer.from(String(message), 'utf8');
	const field = Buffer.alloc(4);
	field.writeUInt32BE(length ?? body.length, 0);
	return Buffer.concat([prefix, field, body, Buffer.from(String(receiveId ?? ''), 'utf8')]);
}

/** PKCS#7 to 32: pad byte 1..32, a full block when already aligned. */
function pad32(/** @type {Buffer} */ plain) {
	const pad = BLOCK_SIZE - (plain.length % BLOCK_SIZE);
	return Buffer.concat([plain, Buffer.alloc(pad, pad)]);
}

/**
 * AES-256-CBC of whole 16-byte blocks, no padding added: the raw step under `encrypt`, for
 * plaintexts laid out by hand (forged padding or length fields).
 * @param {string} encodingAESKey
 * @param {Buffer} blocks  a positive multiple of 16 bytes
 * @returns {string} base64
 */
function encryptBlocks(encodingAESKey, blocks) {
	const key = aesKeyOf(encodingAESKey);
	if (blocks.length === 0 || blocks.length % 16 !== 0)
		throw new CallbackCryptoError(
			'decrypt',
			`encryptBlocks needs whole AES blocks, got ${blocks.length} bytes`,
		);
	const cipher = nodeCrypto.createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(blocks), cipher.final()]).toString('base64');
}

/**
 * Encrypts a message for a receiver.
 * @param {string} encodingAESKey 43 characters
 * @param {string} message        the plaintext message (counted in UTF-8 bytes)
 * @param {string} receiveId      corpid / ownerKey appended after the message ("" allowed)
 * @param {{ random?: string | Buffer }} [options] 16 bytes to put in front (default: 16 random letters/digits); fix it to reproduce a vector
 * @returns {string} base64
 */
function encrypt(encodingAESKey, message, receiveId, { random } = {}) {
	aesKeyOf(encodingAESKey);
	const prefix = random === undefined ? Buffer.from(randomPrefix(), 'latin1') : random;
	return encryptBlocks(encodingAESKey, pad32(plaintextLayout(message, receiveId, prefix)));
}

/**
 * Decrypts a ciphertext and checks its layout (and the receiveId when one is expected).
 * @param {string} encodingAESKey
 * @param {string} ciphertext base64
 * @param {{ receiveId?: string, strict?: boolean }} [options] expected receiveId/ownerKey; a mismatch throws (code
 *   'receiveId'). `strict`: every pad byte must equal the last (the official samples read only the last) and the
 *   message and receiveId must be valid UTF-8 (code 'utf8'): what a strict receiver checks.
 * @returns {{ message: string, receiveId: string, random: string, pad: number, length: number }}
 */
function decrypt(encodingAESKey, ciphertext, { receiveId, strict = false } = {}) {
	const key = aesKeyOf(encodingAESKey);
	if (typeof ciphertext !== 'string' || ciphertext === '' || !BASE64.test(ciphertext)) {
		throw new CallbackCryptoError(
			'base64',
			`the ciphertext is not base64: ${JSON.stringify(String(ciphertext).slice(0, 60))}`,
		);
	}
	const data = Buffer.from(ciphertext, 'base64');
	if (data.length === 0 || data.length % 16 !== 0) {
		throw new CallbackCryptoError(
			'decrypt',
			`the ciphertext is ${data.length} bytes, not a positive multiple of the AES block (16)`,
		);
	}
	let plain;
	try {
		const decipher = nodeCrypto.createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
		decipher.setAutoPadding(false);
		plain = Buffer.concat([decipher.update(data), decipher.final()]);
	} catch (error) {
		throw new CallbackCryptoError(
			'decrypt',
			`AES decryption failed: ${/** @type {Error} */ (error).message}`,
		);
	}
	const pad = plain[plain.length - 1];
	if (pad < 1 || pad > BLOCK_SIZE || pad > plain.length) {
		throw new CallbackCryptoError(
			'padding',
			`the PKCS#7 pad byte is ${pad}, not 1..${BLOCK_SIZE} (wrong key?)`,
		);
	}
	if (strict && !plain.subarray(plain.length - pad).every((byte) => byte === pad))
		throw new CallbackCryptoError(
			'padding',
			`the last ${pad} bytes are not all ${pad} (inconsistent PKCS#7 padding)`,
		);
	const unpadded = plain.subarray(0, plain.length - pad);
	if (unpadded.length < 20)
		throw new CallbackCryptoError(
			'length',
			`the plaintext is ${unpadded.length} bytes, shorter than random(16) + length(4)`,
		);
	const length = unpadded.readUInt32BE(16);
	if (20 + length > unpadded.length) {
		throw new CallbackCryptoError(
			'length',
			`the length field says ${length} bytes but only ${unpadded.length - 20} follow (wrong key?)`,
		);
	}
	const messageBytes = unpadded.subarray(20, 20 + length);
	const foundBytes = unpadded.subarray(20 + length);
	const message = messageBytes.toString('utf8');
	const found = foundBytes.toString('utf8');
	if (
		strict &&
		!(
			Buffer.from(message, 'utf8').equals(messageBytes) &&
			Buffer.from(found, 'utf8').equals(foundBytes)
		)
	)
		throw new CallbackCryptoError('utf8', 'the message or the receiveId is not valid UTF-8');
	if (receiveId !== undefined && found !== receiveId) {
		throw new CallbackCryptoError(
			'receiveId',
			`the receiveId/ownerKey is ${JSON.stringify(found)}, expected ${JSON.stringify(receiveId)}`,
		);
	}
	return {
		message,
		receiveId: found,
		random: unpadded.subarray(0, 16).toString('latin1'),
		pad,
		length,
	};
}

/**
 * Checks the signature, then decrypts: what a correct receiver does.
 * @param {{ token: string, encodingAESKey: string, timestamp: string|number, nonce: string|number, encrypt: string, signature: string, receiveId?: string, strict?: boolean }} input
 *   `strict`: exact (lowercase) signature, strict padding and UTF-8 (see decrypt)
 */
function verifyAndDecrypt({
	token,
	encodingAESKey,
	timestamp,
	nonce,
	encrypt: ciphertext,
	signature: received,
	receiveId,
	strict = false,
}) {
	const expected = signature(token, timestamp, nonce, ciphertext);
	if (!signatureMatches(expected, received) || (strict && received !== expected)) {
		throw new CallbackCryptoError(
			'signature',
			`the signature ${JSON.stringify(received)} does not match ${expected} (sha1 of sorted token, timestamp, nonce, encrypt)`,
		);
	}
	return decrypt(encodingAESKey, ciphertext, {
		strict,
		...(receiveId === undefined ? {} : { receiveId }),
	});
}

/** Is this a valid EncodingAESKey (43 letters/digits)? */
const isEncodingAESKey = (/** @type {unknown} */ value) =>
	typeof value === 'string' && ENCODING_AES_KEY.test(value);

module.exports = {
	BLOCK_SIZE,
	CallbackCryptoError,
	aesKeyOf,
	signature,
	signatureMatches,
	encrypt,
	encryptBlocks,
	plaintextLayout,
	pad32,
	decrypt,
	verifyAndDecrypt,
	randomPrefix,
	isEncodingAESKey,
};
