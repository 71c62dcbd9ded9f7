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
	/** @param {'aesKey'|'signature'|'base64'|'decrypt'|'padding'|'length'|'receiveId'|'random'} code @param {string} message */
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
 * Encrypts a message for a receiver.
 * @param {string} encodingAESKey 43 characters
 * @param {string} message        the plaintext message (counted in UTF-8 bytes)
 * @param {string} receiveId      corpid / ownerKey appended after the message ("" allowed)
 * @param {{ random?: string | Buffer }} [options] 16 bytes to put in front (default: 16 random letters/digits); fix it to reproduce a vector
 * @returns {string} base64
 */
function encrypt(encodingAESKey, message, receiveId, { random } = {}) {
	const key = aesKeyOf(encodingAESKey);
	const prefix =
		random === undefined
			? Buffer.from(randomPrefix(), 'latin1')
			: Buffer.isBuffer(random)
				? random
				: Buffer.from(String(random), 'utf8');
	if (prefix.length !== 16)
		throw new CallbackCryptoError(
			'random',
			`the random prefix must be 16 bytes, got ${prefix.length}`,
		);
	const body = Buffer.from(String(message), 'utf8');
	const length = Buffer.alloc(4);
	length.writeUInt32BE(body.length, 0);
	const plain = Buffer.concat([prefix, length, body, Buffer.from(String(receiveId ?? ''), 'utf8')]);
	const pad = BLOCK_SIZE - (plain.length % BLOCK_SIZE); // 1..32; a full block when already aligned
	const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
	const cipher = nodeCrypto.createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/**
 * Decrypts a ciphertext and checks its layout (and the receiveId when one is expected).
 * @param {string} encodingAESKey
 * @param {string} ciphertext base64
 * @param {{ receiveId?: string }} [options] expected receiveId/ownerKey; a mismatch throws (code 'receiveId')
 * @returns {{ message: string, receiveId: string, random: string, pad: number, length: number }}
 */
function decrypt(encodingAESKey, ciphertext, { receiveId } = {}) {
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
	const message = unpadded.subarray(20, 20 + length).toString('utf8');
	const found = unpadded.subarray(20 + length).toString('utf8');
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
 * @param {{ token: string, encodingAESKey: string, timestamp: string|number, nonce: string|number, encrypt: string, signature: string, receiveId?: string }} input
 */
function verifyAndDecrypt({
	token,
	encodingAESKey,
	timestamp,
	nonce,
	encrypt: ciphertext,
	signature: received,
	receiveId,
}) {
	const expected = signature(token, timestamp, nonce, ciphertext);
	if (!signatureMatches(expected, received)) {
		throw new CallbackCryptoError(
			'signature',
			`the signature ${JSON.stringify(received)} does not match ${expected} (sha1 of sorted token, timestamp, nonce, encrypt)`,
		);
	}
	return decrypt(encodingAESKey, ciphertext, receiveId === undefined ? {} : { receiveId });
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
	decrypt,
	verifyAndDecrypt,
	randomPrefix,
	isEncodingAESKey,
};
