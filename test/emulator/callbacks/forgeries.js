// @ts-check
'use strict';

const nodeCrypto = require('node:crypto');
const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');
const cbCrypto = require('./crypto');
const {
	DEFAULT_CALLBACK_CONFIG,
	readOptions,
	requireUrl,
	stringOption,
	keyOption,
	msOption,
	createGenerators,
	createSeededRandom,
} = require('./core');
const { withQuery } = require('./http');
const wecom = require('./wecom');
const dingtalk = require('./dingtalk');

/**
 * Hostile callbacks derived from a genuine one: every case is something a correct receiver must
 * refuse with a 4xx and must not act on. Cases are built from a seed (SHA-256 counter stream, see
 * core.js createSeededRandom), so the same seed, base and clock give the same bytes. Where a
 * mutation is meant to reach a check behind the signature, the case is signed again with the real
 * token, so only that deeper check can refuse it. Every crypto-level case is checked here with the
 * emulator's own decrypt before it is kept: a mutation that would still decrypt to a valid message
 * is drawn again, so no case is a genuine delivery in disguise.
 *
 * What a "correct receiver" means here (README "Callbacks", Forgeries): the signature (SHA-1 of the
 * sorted token, timestamp, nonce, ciphertext) over the raw values; the timestamp (decimal digits,
 * seconds or ms) within `windowMs` of now, both ways; nonce present; strict base64; whole AES
 * blocks; PKCS#7 to 32 with every pad byte checked; the length field; the receive id (WeCom corpId)
 * or owner key (DingTalk); a body of at most 1.1 MB; a strict envelope (WeCom: XML with one
 * Encrypt, no DTD; DingTalk: one JSON object whose encrypt is a string); a strict decrypted
 * message (WeCom: well-formed XML, no DTD, bounded depth; DingTalk: a JSON object with an
 * EventType). URL verification (WeCom GET) is not held to the timestamp window: answering a
 * replayed echostr reveals nothing, so no GET case plays with the timestamp.
 *
 * Not generated, on purpose: the genuine signature in upper case (the same digest; hex is
 * case-insensitive and the pack folds case), leading whitespace or a BOM before the envelope
 * (trimmed by receivers), unknown extra query parameters or fields (ignored), an empty-string
 * nonce (signed, it is a nonce), duplicated query parameters (which one counts is the receiver's
 * reading, not a forgery): each would be a genuine delivery that a correct receiver may accept.
 *
 * @typedef {'wecom'|'dingtalk'} Platform
 * @typedef {{ method: string, url: string, headers: Record<string, string>, body: string }} OutgoingCallback
 *
 * @typedef {object} ForgeryCase
 * @property {number} index          0-based, in generation order
 * @property {Platform} platform
 * @property {string} mutation       the kind (MUTATIONS)
 * @property {string} detail         what exactly was changed
 * @property {OutgoingCallback} request
 *
 * @typedef {object} ForgeryPlan     a run's settings, after the options are read
 * @property {Platform} platform
 * @property {string} seed
 * @property {number} count
 * @property {number} concurrency
 * @property {number} deadlineMs
 * @property {string[]} kinds
 * @property {() => Iterable<ForgeryCase>} cases  builds the cases one by one, in order
 */

const MAX_BODY_BYTES = 1_100_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const HEX = '0123456789abcdef';
const NON_HEX = 'ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ-_.~ +/%';
const BASE64_GARBAGE = [
	'!',
	'*',
	'-',
	'_',
	' ',
	'.',
	':',
	'%',
	'$',
	'#',
	'@',
	'~',
	'\\',
	'\n',
	'é',
	'中',
];

/**
 * @typedef {object} Mutation
 * @property {string} kind
 * @property {number} weight          share of a run (relative)
 * @property {Platform[]} platforms
 * @property {string} layer           which check must refuse it
 * @property {(c: CaseContext) => Built | null} build  null: draw again
 *
 * @typedef {{ detail: string, request: OutgoingCallback }} Built
 */

/**
 * What a mutation builds with: the run's settings and a per-case random source.
 * @typedef {ReturnType<typeof caseContext>} CaseContext
 */

/** SHA-1 of what identifies a request (distinct cases). @param {OutgoingCallback} request */
const fingerprint = (request) =>
	nodeCrypto
		.createHash('sha1')
		.update(`${request.method} ${request.url}\n${request.headers['content-type'] ?? ''}\n`)
		.update(request.body)
		.digest('hex');

/** A deterministic id source for one run, so the default base event follows the seed. */
function seededIds(/** @type {string} */ seed) {
	/** @type {Map<string, number>} */
	const counters = new Map();
	const next = (/** @type {string} */ kind) => {
		const n = (counters.get(kind) ?? 0) + 1;
		counters.set(kind, n);
		return n;
	};
	return {
		next,
		digest: (/** @type {string} */ kind) =>
			nodeCrypto
				.createHash('sha256')
				.update(`forgery:${seed}:${kind}:${next(kind)}`)
				.digest(),
		reset: () => counters.clear(),
	};
}

/**
 * The settings of a run, shared by its cases.
 * @typedef {object} RunSettings
 * @property {Platform} platform
 * @property {string} url            POST target
 * @property {string} verifyUrl      WeCom GET target
 * @property {string} token
 * @property {string} key            EncodingAESKey / aesKey
 * @property {string} receiveId      WeCom corpId / DingTalk ownerKey
 * @property {string} otherReceiveId
 * @property {string} corpId         WeCom envelope ToUserName
 * @property {string} agentId
 * @property {string} plaintext      the genuine message to mutate
 * @property {'s'|'ms'} unit
 * @property {string} queryNames     DingTalk
 * @property {number} nowMs
 * @property {number} windowMs
 * @property {{ nonce: string, random: string }} base  the "captured" genuine delivery's values
 */

/**
 * @param {RunSettings} run
 * @param {import('./core').SeededRandom} rnd
 */
function caseContext(run, rnd) {
	const { platform } = run;
	const tsAt = (/** @type {number} */ ms) =>
		String(run.unit === 's' ? Math.floor(ms / 1000) : Math.floor(ms));
	const nonce = () => (platform === 'wecom' ? rnd.digits(10) : rnd.alphanumeric(16));
	const random = () => rnd.alphanumeric(16);
	const sign = (
		/** @type {string} */ timestamp,
		/** @type {string} */ nonceValue,
		/** @type {string} */ encrypt,
		token = run.token,
	) => cbCrypto.signature(token, timestamp, nonceValue, encrypt);
	/** Encrypts for the receiver (or another one / another key). */
	const seal = (
		/** @type {{ message?: string, receiveId?: string, key?: string, random?: string }} */ options = {},
	) =>
		cbCrypto.encrypt(
			options.key ?? run.key,
			options.message ?? run.plaintext,
			options.receiveId ?? run.receiveId,
			{ random: options.random ?? random() },
		);
	/** Fresh genuine values: the request a platform would send now. */
	const genuine = (/** @type {{ message?: string }} */ options = {}) => {
		const timestamp = tsAt(run.nowMs - rnd.int(2000));
		const n = nonce();
		const encrypt = seal(options);
		return { timestamp, nonce: n, encrypt, signature: sign(timestamp, n, encrypt) };
	};
	/** Would a receiver that checks the crypto refuse this ciphertext? */
	const cryptoRefuses = (/** @type {string} */ encrypt, strict = false) => {
		try {
			cbCrypto.decrypt(run.key, encrypt, { receiveId: run.receiveId, strict });
			return false;
		} catch {
			return true;
		}
	};

	/**
	 * The query of a POST (or GET): values given as undefined are left out.
	 * @param {{ signature?: string, timestamp?: string, nonce?: string, echostr?: string }} values
	 * @returns {Array<[string, string]>}
	 */
	const query = (values) => {
		/** @type {Array<[string, string | undefined]>} */
		let params;
		if (platform === 'wecom') {
			params = [
				['msg_signature', values.signature],
				['timestamp', values.timestamp],
				['nonce', values.nonce],
			];
			if ('echostr' in values) params.push(['echostr', values.echostr]);
		} else {
			const marker = '\u0000';
			params = dingtalk
				.queryParams(run.queryNames, marker, marker, marker)
				.map(([name]) => [
					name,
					/signature/.test(name)
						? values.signature
						: /^time/i.test(name)
							? values.timestamp
							: values.nonce,
				]);
		}
		return /** @type {Array<[string, string]>} */ (
			params.filter(([, value]) => value !== undefined)
		);
	};

	/** The genuine envelope of a ciphertext, with its Content-Type. */
	const envelope = (/** @type {string} */ encrypt) =>
		platform === 'wecom'
			? wecom.envelope('xml', run.corpId, encrypt, run.agentId)
			: { body: JSON.stringify({ encrypt }), contentType: 'application/json; charset=utf-8' };

	/**
	 * @param {Array<[string, string]>} params
	 * @param {{ body: string, contentType: string }} content
	 * @returns {OutgoingCallback}
	 */
	const post = (params, content) => ({
		method: 'POST',
		url: withQuery(run.url, params),
		headers: { 'content-type': content.contentType },
		body: content.body,
	});
	/** @param {Array<[string, string]>} params @returns {OutgoingCallback} */
	const get = (params) => ({
		method: 'GET',
		url: withQuery(run.verifyUrl, params),
		headers: {},
		body: '',
	});

	/** A POST of these signed values with the genuine envelope of `encrypt`. */
	const signedPost = (
		/** @type {{ timestamp?: string, nonce?: string, encrypt: string, signature?: string }} */ v,
	) => post(query(v), envelope(v.encrypt));

	/** A POST signed again over a mutated ciphertext (fresh timestamp and nonce). */
	const resignedPost = (/** @type {string} */ encrypt) => {
		const timestamp = tsAt(run.nowMs - rnd.int(2000));
		const n = nonce();
		return signedPost({ timestamp, nonce: n, encrypt, signature: sign(timestamp, n, encrypt) });
	};

	return {
		run,
		rnd,
		platform,
		tsAt,
		nonce,
		random,
		sign,
		seal,
		genuine,
		cryptoRefuses,
		query,
		envelope,
		post,
		get,
		signedPost,
		resignedPost,
	};
}

// ---------------------------------------------------------------------------------------------
// Ciphertext mutations (shared by POST bodies and WeCom's echostr). Each returns the mutated
// ciphertext and what was done, or null when this draw would still decrypt (drawn again).

/**
 * @param {CaseContext} c
 * @param {string} plaintext
 * @returns {{ encrypt: string, detail: string } | null}
 */
function bitflip(c, plaintext) {
	const data = Buffer.from(c.seal({ message: plaintext }), 'base64');
	const blocks = data.length / 16;
	const region = c.rnd.pick(['last block', 'block before last', 'length field', 'anywhere']);
	const position =
		region === 'last block'
			? data.length - 16 + c.rnd.int(16)
			: region === 'block before last' && blocks > 1
				? data.length - 32 + c.rnd.int(16)
				: region === 'length field'
					? c.rnd.int(4)
					: c.rnd.int(data.length);
	const bit = c.rnd.int(8);
	data[position] ^= 1 << bit;
	const encrypt = data.toString('base64');
	return c.cryptoRefuses(encrypt)
		? { encrypt, detail: `bit ${bit} of ciphertext byte ${position} of ${data.length} (${region})` }
		: null;
}

/** @param {CaseContext} c @param {string} plaintext */
function truncated(c, plaintext) {
	const data = Buffer.from(c.seal({ message: plaintext }), 'base64');
	const blocks = data.length / 16;
	const cut = c.rnd.between(1, Math.max(1, Math.min(4, blocks - 1)));
	const fromStart = c.rnd.int(4) === 0;
	const kept = fromStart ? data.subarray(cut * 16) : data.subarray(0, data.length - cut * 16);
	const encrypt = kept.toString('base64');
	return encrypt !== '' && c.cryptoRefuses(encrypt)
		? { encrypt, detail: `${cut} whole AES block(s) cut from the ${fromStart ? 'start' : 'end'}` }
		: null;
}

/** @param {CaseContext} c @param {string} plaintext */
function misaligned(c, plaintext) {
	const data = Buffer.from(c.seal({ message: plaintext }), 'base64');
	const n = c.rnd.between(1, 15);
	const grow = c.rnd.int(2) === 0;
	const changed = grow ? Buffer.concat([data, c.rnd.bytes(n)]) : data.subarray(0, data.length - n);
	return {
		encrypt: changed.toString('base64'),
		detail: `${n} byte(s) ${grow ? 'added' : 'removed'}: ${changed.length} bytes, not whole AES blocks`,
	};
}

/** @param {CaseContext} c @param {string} plaintext */
function base64Garbage(c, plaintext) {
	const genuine = c.seal({ message: plaintext });
	const how = c.rnd.pick(['insert', 'url-safe', 'strip padding', 'inner padding', 'not base64']);
	let encrypt = genuine;
	let detail = '';
	if (how === 'insert') {
		const chars = Array.from({ length: c.rnd.between(1, 3) }, () => c.rnd.pick(BASE64_GARBAGE));
		for (const char of chars) {
			const at = c.rnd.int(encrypt.length);
			encrypt = `${encrypt.slice(0, at)}${char}${encrypt.slice(at)}`;
		}
		detail = `inserted ${JSON.stringify(chars.join(''))}`;
	} else if (how === 'url-safe') {
		if (!/[+/]/.test(genuine)) return null;
		encrypt = genuine.replace(/\+/g, '-').replace(/\//g, '_');
		detail = "the URL-safe alphabet ('-', '_' for '+', '/')";
	} else if (how === 'strip padding') {
		if (!genuine.endsWith('=')) return null;
		encrypt = genuine.replace(/=+$/, '');
		detail = "the trailing '=' removed";
	} else if (how === 'inner padding') {
		const at = 4 * c.rnd.between(1, Math.floor(genuine.length / 4) - 1);
		encrypt = `${genuine.slice(0, at)}==${genuine.slice(at)}`;
		detail = `'==' inserted at ${at}`;
	} else {
		encrypt = c.rnd.alphanumeric(c.rnd.between(8, 40)).replace(/[aeiou]/g, '!');
		detail = 'text that is not base64 at all';
	}
	return c.cryptoRefuses(encrypt) ? { encrypt, detail: `base64: ${detail}` } : null;
}

/**
 * The plaintext laid out by hand, padded as `pad` says, encrypted with the real key.
 * @param {CaseContext} c
 * @param {string} plaintext
 * @param {(layout: Buffer, pad: number) => { blocks: Buffer, detail: string } | null} pad
 */
function handPadded(c, plaintext, pad) {
	let message = plaintext;
	let layout = cbCrypto.plaintextLayout(message, c.run.receiveId, c.random());
	if (layout.length % 32 === 31) {
		// pad 1 leaves no other pad byte to get wrong; a trailing space is allowed after XML and JSON
		message = `${plaintext} `;
		layout = cbCrypto.plaintextLayout(message, c.run.receiveId, c.random());
	}
	const made = pad(layout, 32 - (layout.length % 32));
	if (!made) return null;
	return { encrypt: cbCrypto.encryptBlocks(c.run.key, made.blocks), detail: made.detail };
}

/** @param {CaseContext} c @param {string} plaintext */
function paddingZero(c, plaintext) {
	const made = handPadded(c, plaintext, (layout, pad) => {
		const allZero = c.rnd.int(2) === 0;
		const padding = Buffer.alloc(pad, allZero ? 0 : pad);
		padding[pad - 1] = 0;
		return {
			blocks: Buffer.concat([layout, padding]),
			detail: allZero ? `${pad} pad bytes, all 0` : `${pad} pad bytes, the last one 0`,
		};
	});
	return made && c.cryptoRefuses(made.encrypt) ? made : null;
}

/** @param {CaseContext} c @param {string} plaintext */
function paddingOver32(c, plaintext) {
	const made = handPadded(c, plaintext, (layout, pad) => {
		if (c.rnd.int(2) === 0) {
			// consistent, but longer than a 32-byte block allows
			const long = pad + 32;
			return {
				blocks: Buffer.concat([layout, Buffer.alloc(long, long)]),
				detail: `${long} pad bytes of ${long} (over 32)`,
			};
		}
		const value = c.rnd.between(33, 255);
		const padding = Buffer.alloc(pad, pad);
		padding[pad - 1] = value;
		return {
			blocks: Buffer.concat([layout, padding]),
			detail: `last pad byte ${value} (over 32)`,
		};
	});
	return made && c.cryptoRefuses(made.encrypt) ? made : null;
}

/** @param {CaseContext} c @param {string} plaintext */
function paddingInconsistent(c, plaintext) {
	const made = handPadded(c, plaintext, (layout, pad) => {
		const padding = Buffer.alloc(pad, pad);
		const wrong = c.rnd.between(1, pad - 1);
		const positions = c.rnd.shuffle(Array.from({ length: pad - 1 }, (_, i) => i)).slice(0, wrong);
		for (const at of positions) {
			let value = c.rnd.int(256);
			if (value === pad) value = (value + 1) % 256;
			padding[at] = value;
		}
		return {
			blocks: Buffer.concat([layout, padding]),
			detail: `last pad byte ${pad}, but ${wrong} of the ${pad - 1} before it differ`,
		};
	});
	// Refused by a receiver that checks every pad byte; the official samples read only the last.
	return made && c.cryptoRefuses(made.encrypt, true) ? made : null;
}

/** @param {CaseContext} c @param {string} plaintext @param {'over'|'short'} which */
function lengthLie(c, plaintext, which) {
	const actual = Buffer.byteLength(plaintext, 'utf8');
	const idBytes = Buffer.byteLength(c.run.receiveId, 'utf8');
	let length;
	if (which === 'over') {
		const how = c.rnd.int(3);
		length =
			how === 0
				? actual + idBytes + c.rnd.between(1, 4096)
				: how === 1
					? 0xffff_ffff - c.rnd.int(1000)
					: 0x8000_0000 + c.rnd.int(0x10000);
	} else {
		length = actual - c.rnd.between(1, Math.min(actual, 512));
	}
	const layout = cbCrypto.plaintextLayout(plaintext, c.run.receiveId, c.random(), { length });
	const encrypt = cbCrypto.encryptBlocks(c.run.key, cbCrypto.pad32(layout));
	return c.cryptoRefuses(encrypt)
		? {
				encrypt,
				detail: `length field ${length}; the message is ${actual} bytes (+${idBytes} of receive id)`,
			}
		: null;
}

/** @param {CaseContext} c @param {string} plaintext */
function otherReceiver(c, plaintext) {
	const id = c.run.receiveId;
	const variants = [
		[c.run.otherReceiveId, 'the emulator’s other corp/app'],
		[`${id}${c.rnd.alphanumeric(c.rnd.between(1, 4))}`, 'the real id with a suffix'],
		[id.slice(0, c.rnd.between(0, id.length - 1)), 'the real id cut short'],
		[id.toUpperCase() === id ? id.toLowerCase() : id.toUpperCase(), 'the real id in another case'],
		[
			`${id}${c.rnd.pick([' ', '\u0000', '\n'])}`,
			'the real id with a trailing space, NUL or newline',
		],
		[`${c.platform === 'wecom' ? 'ww' : 'ding'}${c.rnd.hex(16)}`, 'a random id'],
	];
	const [receiveId, detail] = c.rnd.pick(variants);
	if (receiveId === id) return null;
	const encrypt = c.seal({ message: plaintext, receiveId });
	return c.cryptoRefuses(encrypt)
		? { encrypt, detail: `encrypted for ${JSON.stringify(receiveId)} (${detail})` }
		: null;
}

/** @param {CaseContext} c @param {string} plaintext */
function otherKey(c, plaintext) {
	const key = c.rnd.alphanumeric(43);
	if (key === c.run.key) return null;
	const encrypt = c.seal({ message: plaintext, key });
	return c.cryptoRefuses(encrypt)
		? { encrypt, detail: 'encrypted with another EncodingAESKey' }
		: null;
}

/** @type {Record<string, (c: CaseContext, plaintext: string) => { encrypt: string, detail: string } | null>} */
const CIPHERTEXT_MUTATIONS = {
	'ciphertext-bitflip': bitflip,
	'ciphertext-truncated': truncated,
	'ciphertext-misaligned': misaligned,
	'ciphertext-base64-garbage': base64Garbage,
	'padding-zero': paddingZero,
	'padding-over-32': paddingOver32,
	'padding-inconsistent': paddingInconsistent,
	'length-overflow': (c, plaintext) => lengthLie(c, plaintext, 'over'),
	'length-short': (c, plaintext) => lengthLie(c, plaintext, 'short'),
	'receive-id-wrong': otherReceiver,
	'wrong-aes-key': otherKey,
};

// ---------------------------------------------------------------------------------------------
// Inner content: correctly signed and encrypted, so only the check of the decrypted message can
// refuse it.

/** @param {CaseContext} c @returns {{ message: string, detail: string } | null} */
function brokenXml(c) {
	const xml = c.run.plaintext;
	const how = c.rnd.pick([
		'truncated',
		'mismatched tag',
		'bare ampersand',
		'stray <',
		'two roots',
		'JSON, not XML',
		'forbidden character',
		'processing instruction',
		'empty',
		'wrong root',
	]);
	const closings = [...xml.matchAll(/<\/([A-Za-z]+)>/g)];
	switch (how) {
		case 'truncated': {
			const at = c.rnd.between(Math.floor(xml.length * 0.1), xml.length - 1);
			return { message: xml.slice(0, at), detail: `cut after ${at} of ${xml.length} characters` };
		}
		case 'mismatched tag': {
			const closing = c.rnd.pick(closings);
			if (!closing || closing.index === undefined) return null;
			const name = closing[1];
			const wrong = `${name.slice(0, -1)}${name.endsWith('x') ? 'y' : 'x'}`;
			return {
				message: `${xml.slice(0, closing.index)}</${wrong}>${xml.slice(closing.index + closing[0].length)}`,
				detail: `</${name}> closed as </${wrong}>`,
			};
		}
		case 'bare ampersand': {
			const tag = xml.match(/<CreateTime>(\d+)<\/CreateTime>/);
			if (!tag) return null;
			return {
				message: xml.replace(tag[0], `<CreateTime>${tag[1]}&${c.rnd.alphanumeric(3)}</CreateTime>`),
				detail: 'an unescaped & in CreateTime',
			};
		}
		case 'stray <': {
			const boundaries = [...xml.matchAll(/></g)].map((match) => (match.index ?? 0) + 1);
			const at = c.rnd.pick(boundaries);
			return {
				message: `${xml.slice(0, at)}<<${c.rnd.alphanumeric(3)}${xml.slice(at)}`,
				detail: `'<<' at ${at}`,
			};
		}
		case 'two roots':
			return {
				message: `${xml}<xml><MsgType>event</MsgType></xml>`,
				detail: 'a second root element',
			};
		case 'JSON, not XML':
			return {
				message: JSON.stringify({
					xml: { MsgType: 'event', Event: 'sys_approval_change', n: c.rnd.int(1e6) },
				}),
				detail: 'JSON instead of XML',
			};
		case 'forbidden character': {
			const at = xml.indexOf('<![CDATA[') + 9;
			const char = c.rnd.pick(['\u0001', '\u0008', '\u000b', '\u001f', '\ufffe']);
			return {
				message: `${xml.slice(0, at)}${char}${xml.slice(at)}`,
				detail: `U+${char.charCodeAt(0).toString(16).padStart(4, '0')} (XML forbids it) in a CDATA section`,
			};
		}
		case 'processing instruction': {
			const at = xml.indexOf('<ApprovalInfo>');
			if (at < 0) return null;
			return {
				message: `${xml.slice(0, at)}<?php system('id'); ?>${xml.slice(at)}`,
				detail: 'a processing instruction inside the message',
			};
		}
		case 'wrong root':
			if (!xml.startsWith('<xml>') || !xml.endsWith('</xml>')) return null;
			return {
				message: `<xmlx>${xml.slice(5, -6)}</xmlx>`,
				detail: 'root <xmlx> instead of <xml>',
			};
		default:
			return { message: '', detail: 'an empty message' };
	}
}

/** @param {CaseContext} c @returns {{ message: string, detail: string } | null} */
function brokenJson(c) {
	const json = c.run.plaintext;
	const how = c.rnd.pick([
		'truncated',
		'trailing garbage',
		'single quotes',
		'comment',
		'trailing comma',
		'NaN',
		'not an object',
		'no EventType',
		'XML, not JSON',
		'empty',
	]);
	switch (how) {
		case 'truncated': {
			const at = c.rnd.between(1, json.length - 1);
			return { message: json.slice(0, at), detail: `cut after ${at} of ${json.length} characters` };
		}
		case 'trailing garbage':
			return {
				message: `${json}${c.rnd.pick(['x', '}', ',{}', ']', '0'])}`,
				detail: 'text after the object',
			};
		case 'single quotes':
			return { message: json.replace(/"/g, "'"), detail: 'single quotes' };
		case 'comment':
			return {
				message: `/* ${c.rnd.alphanumeric(6)} */${json}`,
				detail: 'a comment before the object',
			};
		case 'trailing comma':
			return { message: `${json.slice(0, -1)},}`, detail: 'a trailing comma' };
		case 'NaN':
			return { message: `${json.slice(0, -1)},"n":NaN}`, detail: 'a NaN value' };
		case 'not an object': {
			const value = c.rnd.pick([`[${json}]`, JSON.stringify(json), '42', 'null', 'true']);
			return { message: value, detail: `top level ${value.slice(0, 12)}… is not an object` };
		}
		case 'no EventType':
			return {
				message: JSON.stringify({ eventType: 'bpms_instance_change', n: c.rnd.int(1e6) }),
				detail: 'an object without EventType',
			};
		case 'XML, not JSON':
			return {
				message: `<xml><EventType>bpms_instance_change</EventType><n>${c.rnd.int(1e6)}</n></xml>`,
				detail: 'XML instead of JSON',
			};
		default:
			return { message: '', detail: 'an empty message' };
	}
}

/** @param {CaseContext} c */
function deepNesting(c) {
	const depth = c.rnd.between(1000, 10_000);
	if (c.platform === 'wecom') {
		const xml = c.run.plaintext;
		const at = xml.lastIndexOf('</xml>');
		const closed = c.rnd.int(4) !== 0;
		const name = c.rnd.pick(['a', 'Details', 'SpRecord']);
		const nested = `${`<${name}>`.repeat(depth)}x${closed ? `</${name}>`.repeat(depth) : ''}`;
		return {
			message: `${xml.slice(0, at)}${nested}${xml.slice(at)}`,
			detail: `${depth} nested <${name}>${closed ? '' : ', never closed'}`,
		};
	}
	const open = c.rnd.int(2) === 0;
	return open
		? {
				message: `${c.run.plaintext.slice(0, -1)},"deep":${'['.repeat(depth)}`,
				detail: `${depth} nested arrays, never closed`,
			}
		: {
				message: `${'['.repeat(depth)}${c.run.plaintext}${']'.repeat(depth)}`,
				detail: `the event inside ${depth} nested arrays (top level not an object)`,
			};
}

/** @param {CaseContext} c */
function entityTricks(c) {
	const how = c.rnd.pick([
		'internal entity',
		'billion laughs',
		'external entity',
		'parameter entity',
		'undefined entity',
	]);
	const laughs = [
		'<!ENTITY lol "lol">',
		...Array.from(
			{ length: 9 },
			(_, i) => `<!ENTITY lol${i + 1} "${`&lol${i ? i : ''};`.repeat(10)}">`,
		),
	].join('');
	const dtd = {
		'internal entity': `<!DOCTYPE xml [<!ENTITY sp "${c.rnd.alphanumeric(8)}">]>`,
		'billion laughs': `<!DOCTYPE xml [${laughs}]>`,
		'external entity': `<!DOCTYPE xml [<!ENTITY sp SYSTEM "file:///etc/${c.rnd.pick(['passwd', 'hostname', 'hosts'])}">]>`,
		'parameter entity': `<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:${c.rnd.between(1024, 65535)}/x.dtd">%p;]>`,
		'undefined entity': '',
	}[how];
	const reference =
		how === 'billion laughs' ? '&lol9;' : how === 'undefined entity' ? '&nbsp;' : '&sp;';
	const base =
		c.platform === 'wecom'
			? c.run.plaintext
			: `<xml><EventType>bpms_instance_change</EventType><title>x</title></xml>`;
	let withRef = base.replace(
		/<(SpName|title)>(?:<!\[CDATA\[[^\]]*\]\]>|[^<]*)<\/\1>/,
		`<$1>${reference}</$1>`,
	);
	if (withRef === base) withRef = `${reference}${base}`; // a base without SpName: the reference leads
	return {
		message: `${dtd}${withRef}`,
		detail: `${how} in the decrypted XML${c.platform === 'dingtalk' ? ' (DingTalk sends JSON)' : ''}`,
	};
}

// ---------------------------------------------------------------------------------------------
// The mutation kinds.

const BOTH = /** @type {Platform[]} */ (['wecom', 'dingtalk']);
const WECOM = /** @type {Platform[]} */ (['wecom']);

/**
 * Signature layer: fresh genuine values with the signature (or what it covers) changed, not
 * signed again.
 * @param {string} kind @param {(c: CaseContext, g: { timestamp: string, nonce: string, encrypt: string, signature: string }) => { signature?: string, detail: string, changed?: Partial<{ timestamp: string, nonce: string, encrypt: string }> } | null} mutate
 * @returns {Mutation}
 */
function signatureMutation(kind, mutate) {
	return {
		kind,
		weight: 3,
		platforms: BOTH,
		layer: 'signature',
		build(c) {
			const g = c.genuine();
			const m = mutate(c, g);
			if (!m) return null;
			const sent = { ...g, ...m.changed, signature: m.signature };
			if (
				sent.signature !== undefined &&
				sent.signature === c.sign(sent.timestamp, sent.nonce, sent.encrypt)
			)
				return null;
			return { detail: m.detail, request: c.signedPost(sent) };
		},
	};
}

/** @param {string} kind @returns {Mutation} */
function ciphertextMutation(kind) {
	return {
		kind,
		weight: 3,
		platforms: BOTH,
		layer: kind.startsWith('padding')
			? 'padding'
			: kind.startsWith('length')
				? 'length'
				: kind === 'receive-id-wrong'
					? 'receive id'
					: 'ciphertext',
		build(c) {
			const m = CIPHERTEXT_MUTATIONS[kind](c, c.run.plaintext);
			return m && { detail: m.detail, request: c.resignedPost(m.encrypt) };
		},
	};
}

/**
 * Inner content, signed and encrypted with the real token and key.
 * @param {string} kind @param {number} weight @param {(c: CaseContext) => { message: string, detail: string } | null} make
 * @returns {Mutation}
 */
function innerMutation(kind, weight, make) {
	return {
		kind,
		weight,
		platforms: BOTH,
		layer: 'decrypted message',
		build(c) {
			const m = make(c);
			if (!m) return null;
			return { detail: m.detail, request: c.signedPost(c.genuine({ message: m.message })) };
		},
	};
}

/** A signed query over `encrypt` with a timestamp (or nonce) as given; undefined = left out. */
function timestampCase(
	/** @type {CaseContext} */ c,
	/** @type {{ timestamp?: string, signedTimestamp?: string, nonce?: string, signedNonce?: string, encrypt?: string }} */ v,
) {
	const encrypt = v.encrypt ?? c.seal();
	const nonce = 'nonce' in v ? v.nonce : c.nonce();
	const timestamp = v.timestamp;
	const signature = c.sign(
		v.signedTimestamp ?? timestamp ?? '',
		v.signedNonce ?? nonce ?? '',
		encrypt,
	);
	return c.signedPost({ timestamp, nonce, encrypt, signature });
}

/** @type {Mutation[]} */
const MUTATIONS = [
	signatureMutation('signature-flipped', (c, g) => {
		const at = c.rnd.int(40);
		const now = g.signature[at];
		const to = c.rnd.pick([...HEX].filter((char) => char !== now));
		return {
			signature: `${g.signature.slice(0, at)}${to}${g.signature.slice(at + 1)}`,
			detail: `hex digit ${at}: ${now} → ${to}`,
		};
	}),
	signatureMutation('signature-truncated', (c, g) => {
		const length = c.rnd.between(1, 39);
		const head = c.rnd.int(2) === 0;
		return {
			signature: head ? g.signature.slice(0, length) : g.signature.slice(40 - length),
			detail: `${head ? 'first' : 'last'} ${length} of 40 hex digits`,
		};
	}),
	signatureMutation('signature-missing', () => ({
		signature: undefined,
		detail: 'no signature parameter',
	})),
	signatureMutation('signature-empty', () => ({ signature: '', detail: 'an empty signature' })),
	signatureMutation('signature-uppercase', (c, g) => ({
		signature: c
			.sign(g.timestamp, g.nonce, g.encrypt, `${c.run.token}${c.rnd.alphanumeric(2)}`)
			.toUpperCase(),
		detail: 'upper-case hex of a signature made with another token',
	})),
	signatureMutation('signature-wrong-length', (c, g) => {
		if (c.rnd.int(2) === 0) {
			const extra = c.rnd.hex(c.rnd.between(1, 24));
			return {
				signature: `${g.signature}${extra}`,
				detail: `${40 + extra.length} hex digits (the real 40 + more)`,
			};
		}
		const parts = [c.run.token, g.timestamp, g.nonce, g.encrypt].sort().join('');
		return {
			signature: nodeCrypto.createHash('sha256').update(parts, 'utf8').digest('hex'),
			detail: 'SHA-256 (64 hex digits) instead of SHA-1',
		};
	}),
	signatureMutation('signature-wrong-token', (c, g) => {
		const token = c.rnd.alphanumeric(c.rnd.between(3, 32));
		return token === c.run.token
			? null
			: {
					signature: c.sign(g.timestamp, g.nonce, g.encrypt, token),
					detail: `signed with token ${token}`,
				};
	}),
	signatureMutation('signature-non-hex', (c, g) => {
		let signature = g.signature;
		const n = c.rnd.between(1, 3);
		for (let i = 0; i < n; i++) {
			const at = c.rnd.int(40);
			signature = `${signature.slice(0, at)}${c.rnd.pick([...NON_HEX])}${signature.slice(at + 1)}`;
		}
		return { signature, detail: `${n} character(s) that are not hex digits` };
	}),
	signatureMutation('unsigned-change', (c, g) => {
		const what = c.rnd.pick(['nonce', 'timestamp', 'ciphertext']);
		if (what === 'nonce')
			return {
				signature: g.signature,
				changed: { nonce: c.nonce() },
				detail: 'the nonce changed after signing',
			};
		if (what === 'timestamp') {
			const shiftS = c.rnd.between(1, 120) * c.rnd.pick([-1, 1]);
			const ms = Number(g.timestamp) * (c.run.unit === 's' ? 1000 : 1) + shiftS * 1000;
			return {
				signature: g.signature,
				changed: { timestamp: c.tsAt(ms) },
				detail: `the timestamp moved ${shiftS} s after signing (still within the window)`,
			};
		}
		return {
			signature: g.signature,
			changed: { encrypt: c.seal() },
			detail: 'the ciphertext swapped for another genuine one, not signed',
		};
	}),

	...Object.keys(CIPHERTEXT_MUTATIONS).map(ciphertextMutation),

	{
		kind: 'timestamp-stale',
		weight: 3,
		platforms: BOTH,
		layer: 'timestamp window',
		build(c) {
			const ageMs = c.run.windowMs + c.rnd.between(MINUTE_MS, 30 * DAY_MS);
			return {
				detail: `${Math.round(ageMs / 1000)} s old (window ${c.run.windowMs / 1000} s)`,
				request: timestampCase(c, { timestamp: c.tsAt(c.run.nowMs - ageMs) }),
			};
		},
	},
	{
		kind: 'timestamp-future',
		weight: 3,
		platforms: BOTH,
		layer: 'timestamp window',
		build(c) {
			const aheadMs = c.run.windowMs + c.rnd.between(MINUTE_MS, 30 * DAY_MS);
			return {
				detail: `${Math.round(aheadMs / 1000)} s ahead (window ${c.run.windowMs / 1000} s)`,
				request: timestampCase(c, { timestamp: c.tsAt(c.run.nowMs + aheadMs) }),
			};
		},
	},
	{
		kind: 'timestamp-non-numeric',
		weight: 3,
		platforms: BOTH,
		layer: 'timestamp format',
		build(c) {
			const ts = c.tsAt(c.run.nowMs);
			const timestamp = c.rnd.pick([
				'abc',
				`${ts}abc`,
				`${ts}.5`,
				` ${ts}`,
				`${ts} `,
				`-${ts}`,
				`+${ts}`,
				`0x${Number(ts).toString(16)}`,
				`${ts.slice(0, 1)}e${ts.length - 1}`,
				'NaN',
				'Infinity',
				'',
				`${ts},${ts}`,
				[...ts].map((digit) => String.fromCharCode(0xff10 + Number(digit))).join(''),
				[...ts].map((digit) => String.fromCharCode(0x0660 + Number(digit))).join(''),
				`${'9'.repeat(c.rnd.between(17, 40))}`,
			]);
			return {
				detail: `timestamp ${JSON.stringify(timestamp)}, signed`,
				request: timestampCase(c, { timestamp }),
			};
		},
	},
	{
		kind: 'timestamp-missing',
		weight: 3,
		platforms: BOTH,
		layer: 'timestamp format',
		build(c) {
			const signedAs = c.rnd.pick(['', 'undefined']);
			return {
				detail: `no timestamp parameter (signed with ${JSON.stringify(signedAs)} in its place)`,
				request: timestampCase(c, { timestamp: undefined, signedTimestamp: signedAs }),
			};
		},
	},
	{
		kind: 'nonce-missing',
		weight: 3,
		platforms: BOTH,
		layer: 'nonce',
		build(c) {
			const signedAs = c.rnd.pick(['', 'undefined']);
			return {
				detail: `no nonce parameter (signed with ${JSON.stringify(signedAs)} in its place)`,
				request: timestampCase(c, {
					timestamp: c.tsAt(c.run.nowMs),
					nonce: undefined,
					signedNonce: signedAs,
				}),
			};
		},
	},
	{
		kind: 'replay-stale',
		weight: 3,
		platforms: BOTH,
		layer: 'timestamp window',
		build(c) {
			// The run's genuine delivery as captured earlier: its nonce and random prefix, its old timestamp.
			const ageMs = c.run.windowMs + c.rnd.between(MINUTE_MS, 7 * DAY_MS);
			const timestamp = c.tsAt(c.run.nowMs - ageMs);
			const encrypt = c.seal({ random: c.run.base.random });
			return {
				detail: `the genuine delivery captured ${Math.round(ageMs / 1000)} s ago, sent again`,
				request: c.signedPost({
					timestamp,
					nonce: c.run.base.nonce,
					encrypt,
					signature: c.sign(timestamp, c.run.base.nonce, encrypt),
				}),
			};
		},
	},
	{
		kind: 'body-oversized',
		weight: 1,
		platforms: BOTH,
		layer: 'body size',
		build(c) {
			const size = c.rnd.between(MAX_BODY_BYTES + 1, MAX_BODY_BYTES + 150_000);
			if (c.rnd.int(2) === 0) {
				// one huge, well-formed ciphertext, signed
				const g = c.genuine();
				const envelopeBytes = Buffer.byteLength(c.envelope('').body, 'utf8');
				const encrypt = 'A'.repeat(Math.ceil((size - envelopeBytes) / 4) * 4);
				const signature = c.sign(g.timestamp, g.nonce, encrypt);
				return {
					detail: `a ${encrypt.length}-character ciphertext, signed`,
					request: c.signedPost({ ...g, encrypt, signature }),
				};
			}
			const g = c.genuine();
			const content = c.envelope(g.encrypt);
			const filler = size - Buffer.byteLength(content.body, 'utf8');
			const body =
				c.platform === 'wecom'
					? `${content.body}<!--${'x'.repeat(Math.max(0, filler - 7))}-->`
					: `${content.body.slice(0, -1)},"pad":"${'x'.repeat(Math.max(0, filler - 9))}"}`;
			return {
				detail: `the genuine envelope padded to ${Buffer.byteLength(body, 'utf8')} bytes`,
				request: c.post(c.query(g), { body, contentType: content.contentType }),
			};
		},
	},
	{
		kind: 'query-huge',
		weight: 2,
		platforms: BOTH,
		layer: 'query',
		build(c) {
			const g = c.genuine();
			const size = c.rnd.between(4000, 12_000);
			if (c.rnd.int(2) === 0)
				return {
					detail: `a ${size}-character signature`,
					request: c.signedPost({ ...g, signature: c.rnd.hex(size) }),
				};
			const timestamp = c.rnd.digits(size);
			return {
				detail: `a ${size}-digit timestamp, signed`,
				request: c.signedPost({
					...g,
					timestamp,
					signature: c.sign(timestamp, g.nonce, g.encrypt),
				}),
			};
		},
	},
	{
		kind: 'envelope-malformed',
		weight: 3,
		platforms: BOTH,
		layer: 'envelope',
		build(c) {
			const g = c.genuine();
			const { body, contentType } = c.envelope(g.encrypt);
			/** @type {Array<[string, string]>} */
			const xmlVariants = [
				[body.slice(0, body.length - c.rnd.between(1, 6)), 'cut before </xml> ends'],
				[body.replace('</Encrypt>', '</Encrypted>'), '</Encrypt> closed as </Encrypted>'],
				[`${c.rnd.pick(['x', '<', '&', ']]>'])}${body}`, 'garbage before the root'],
				[`${body}<xml></xml>`, 'a second root'],
				[
					body.replace(`<Encrypt><![CDATA[${g.encrypt}]]>`, `<Encrypt><![CDATA[${g.encrypt}`),
					'an unterminated CDATA section',
				],
				[
					body.replace(
						/<ToUserName>.*?<\/ToUserName>/,
						`<ToUserName>a&b${c.rnd.alphanumeric(3)}</ToUserName>`,
					),
					'a bare & in ToUserName',
				],
				[body.replace(/\n<Encrypt>.*?<\/Encrypt>/, ''), 'no Encrypt element'],
				[
					JSON.stringify({ tousername: c.run.corpId, encrypt: g.encrypt }).slice(
						0,
						-c.rnd.between(1, 3),
					),
					'a truncated JSON envelope',
				],
			];
			/** @type {Array<[string, string]>} */
			const jsonVariants = [
				[body.slice(0, body.length - c.rnd.between(1, 3)), 'a truncated JSON envelope'],
				[`${body}${c.rnd.pick(['x', '}', ',', ']'])}`, 'text after the object'],
				[body.replace(/"/g, "'"), 'single quotes'],
				[`[${body}]`, 'an array, not an object'],
				[JSON.stringify({ encrypt: [g.encrypt] }), 'encrypt is an array'],
				[JSON.stringify({ encrypt: { value: g.encrypt } }), 'encrypt is an object'],
				[
					JSON.stringify({ encrypt: null, Encrypt: g.encrypt }),
					'encrypt is null (the value under "Encrypt")',
				],
				[JSON.stringify({ encrypted: g.encrypt }), 'no encrypt field'],
				[`/*${c.rnd.alphanumeric(4)}*/${body}`, 'a comment before the object'],
				[JSON.stringify(g.encrypt), 'a bare JSON string'],
			];
			const [mutated, detail] = c.rnd.pick(c.platform === 'wecom' ? xmlVariants : jsonVariants);
			return { detail, request: c.post(c.query(g), { body: mutated, contentType }) };
		},
	},
	{
		kind: 'envelope-two-encrypt',
		weight: 3,
		platforms: BOTH,
		layer: 'envelope',
		build(c) {
			const g = c.genuine();
			const { contentType } = c.envelope(g.encrypt);
			if (c.platform === 'dingtalk') {
				// JSON readers keep the last value of a repeated key: here an unsigned ciphertext.
				return {
					detail: 'two encrypt keys, the signed one first',
					request: c.post(c.query(g), {
						body: `{"encrypt":${JSON.stringify(g.encrypt)},"encrypt":${JSON.stringify(c.seal())}}`,
						contentType,
					}),
				};
			}
			const other = c.rnd.int(3) === 0 ? g.encrypt : c.seal();
			const signedFirst = c.rnd.int(2) === 0;
			const [first, second] = signedFirst ? [g.encrypt, other] : [other, g.encrypt];
			return {
				detail: `two Encrypt elements, the signed one ${signedFirst ? 'first' : 'second'}${other === g.encrypt ? ' (both the same)' : ''}`,
				request: c.post(c.query(g), {
					body: `<xml>${wecom.node('ToUserName', c.run.corpId)}\n${wecom.node('Encrypt', first)}\n${wecom.node('Encrypt', second)}\n${wecom.node('AgentID', c.run.agentId)}</xml>`,
					contentType,
				}),
			};
		},
	},
	{
		kind: 'envelope-doctype',
		weight: 3,
		platforms: BOTH,
		layer: 'envelope',
		build(c) {
			const g = c.genuine();
			const how = c.rnd.pick([
				'entity holds the ciphertext',
				'external entity',
				'billion laughs',
				'unused DOCTYPE',
			]);
			const encryptNode =
				how === 'entity holds the ciphertext'
					? '<Encrypt>&e;</Encrypt>'
					: wecom.node('Encrypt', g.encrypt);
			const dtd = {
				'entity holds the ciphertext': `<!DOCTYPE xml [<!ENTITY e "${g.encrypt}">]>`,
				'external entity': `<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>`,
				'billion laughs': `<!DOCTYPE xml [<!ENTITY a "${'a'.repeat(c.rnd.between(8, 64))}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>`,
				'unused DOCTYPE': `<!DOCTYPE xml SYSTEM "http://127.0.0.1:${c.rnd.between(1024, 65535)}/envelope.dtd">`,
			}[how];
			const toUser =
				how === 'external entity' || how === 'billion laughs'
					? `<ToUserName>${how === 'external entity' ? '&e;' : '&c;'}</ToUserName>`
					: wecom.node('ToUserName', c.run.corpId);
			return {
				detail: `${how}${c.platform === 'dingtalk' ? ' (an XML envelope posted to DingTalk)' : ''}`,
				request: c.post(c.query(g), {
					body: `<?xml version="1.0"?>${dtd}<xml>${toUser}\n${encryptNode}\n${wecom.node('AgentID', c.run.agentId)}</xml>`,
					contentType: c.envelope('').contentType,
				}),
			};
		},
	},
	{
		kind: 'content-type-wrong',
		weight: 3,
		platforms: BOTH,
		layer: 'envelope',
		build(c) {
			const g = c.genuine();
			const how = c.rnd.pick(
				c.platform === 'wecom' ? ['form', 'multipart'] : ['form', 'multipart', 'xml'],
			);
			if (how === 'form')
				return {
					detail: 'form-encoded encrypt=… (application/x-www-form-urlencoded)',
					request: c.post(c.query(g), {
						body: new URLSearchParams({ encrypt: g.encrypt, tousername: c.run.corpId }).toString(),
						contentType: 'application/x-www-form-urlencoded',
					}),
				};
			if (how === 'multipart') {
				const boundary = `----emu${c.rnd.alphanumeric(16)}`;
				return {
					detail: 'a multipart/form-data field encrypt',
					request: c.post(c.query(g), {
						body: `--${boundary}\r\nContent-Disposition: form-data; name="encrypt"\r\n\r\n${g.encrypt}\r\n--${boundary}--\r\n`,
						contentType: `multipart/form-data; boundary=${boundary}`,
					}),
				};
			}
			return {
				detail: 'the WeCom XML envelope (text/xml) posted to DingTalk',
				request: c.post(c.query(g), wecom.envelope('xml', c.run.corpId, g.encrypt, c.run.agentId)),
			};
		},
	},
	{
		kind: 'body-empty',
		weight: 2,
		platforms: BOTH,
		layer: 'envelope',
		build(c) {
			const g = c.genuine();
			const body = c.rnd.pick(['', ' ', '\r\n', '\n\n']);
			return {
				detail: body === '' ? 'no body' : `a body of whitespace ${JSON.stringify(body)}`,
				request: c.post(c.query(g), { body, contentType: c.envelope('').contentType }),
			};
		},
	},
	innerMutation('inner-malformed', 3, (c) =>
		c.platform === 'wecom' ? brokenXml(c) : brokenJson(c),
	),
	innerMutation('inner-deep-nesting', 2, deepNesting),
	innerMutation('inner-entity', 3, entityTricks),

	// WeCom URL verification (GET): the echostr is what is signed and decrypted.
	{
		kind: 'verify-signature',
		weight: 3,
		platforms: WECOM,
		layer: 'signature',
		build(c) {
			const timestamp = c.tsAt(c.run.nowMs);
			const nonce = c.nonce();
			const echostr = c.seal({ message: c.rnd.digits(19) });
			const real = c.sign(timestamp, nonce, echostr);
			const how = c.rnd.pick([
				'flipped',
				'missing',
				'empty',
				'wrong token',
				'truncated',
				'nonce changed',
			]);
			const at = c.rnd.int(40);
			const signature = {
				flipped: `${real.slice(0, at)}${c.rnd.pick([...HEX].filter((char) => char !== real[at]))}${real.slice(at + 1)}`,
				missing: undefined,
				empty: '',
				'wrong token': c.sign(timestamp, nonce, echostr, `${c.run.token}${c.rnd.alphanumeric(3)}`),
				truncated: real.slice(0, c.rnd.between(1, 39)),
				'nonce changed': real,
			}[how];
			return {
				detail: `URL verification, signature ${how}`,
				request: c.get(
					c.query({
						signature,
						timestamp,
						nonce: how === 'nonce changed' ? c.nonce() : nonce,
						echostr,
					}),
				),
			};
		},
	},
	{
		kind: 'verify-echostr-crypto',
		weight: 3,
		platforms: WECOM,
		layer: 'echostr crypto',
		build(c) {
			const kind = c.rnd.pick([
				'ciphertext-bitflip',
				'ciphertext-truncated',
				'ciphertext-misaligned',
				'ciphertext-base64-garbage',
				'padding-zero',
				'padding-over-32',
				'length-overflow',
				'receive-id-wrong',
				'wrong-aes-key',
			]);
			const m = CIPHERTEXT_MUTATIONS[kind](c, c.rnd.digits(19));
			if (!m) return null;
			const timestamp = c.tsAt(c.run.nowMs);
			const nonce = c.nonce();
			return {
				detail: `URL verification, echostr ${kind}: ${m.detail}, signed`,
				request: c.get(
					c.query({
						signature: c.sign(timestamp, nonce, m.encrypt),
						timestamp,
						nonce,
						echostr: m.encrypt,
					}),
				),
			};
		},
	},
	{
		kind: 'verify-echostr-missing',
		weight: 2,
		platforms: WECOM,
		layer: 'echostr',
		build(c) {
			const timestamp = c.tsAt(c.run.nowMs);
			const nonce = c.nonce();
			const signedAs = c.rnd.pick(['', 'undefined']);
			return {
				detail: `URL verification without echostr (signed with ${JSON.stringify(signedAs)} in its place)`,
				request: c.get(
					c.query({ signature: c.sign(timestamp, nonce, signedAs), timestamp, nonce }),
				),
			};
		},
	},
];

/** The kinds a platform's runs use, in table order. @param {Platform} platform */
const kindsOf = (platform) =>
	MUTATIONS.filter((mutation) => mutation.platforms.includes(platform)).map(
		(mutation) => mutation.kind,
	);

/**
 * How many cases of each kind a run of `count` gets: shares by weight, largest remainders first,
 * every kind at least once when count allows.
 * @param {Mutation[]} mutations @param {number} count
 */
function apportion(mutations, count) {
	const total = mutations.reduce((sum, mutation) => sum + mutation.weight, 0);
	const exact = mutations.map((mutation) => (count * mutation.weight) / total);
	const counts = exact.map(Math.floor);
	let left = count - counts.reduce((sum, n) => sum + n, 0);
	const order = exact
		.map((value, index) => ({ index, rest: value - Math.floor(value) }))
		.sort((a, b) => b.rest - a.rest || a.index - b.index);
	for (const { index } of order) {
		if (left === 0) break;
		counts[index] += 1;
		left -= 1;
	}
	return counts;
}

/**
 * Reads the options of a run and returns its plan (cases built lazily, in order).
 * @param {Platform} platform
 * @param {unknown} input
 * @param {{ now: () => number, nameOf: (userid: string) => string | undefined, defaultSeed: () => string }} deps
 * @returns {ForgeryPlan}
 */
function planForgeries(platform, input, deps) {
	const options = readOptions(input, `${platform}.forgeries`);
	const url = requireUrl(options.url);
	const count = options.count ?? 1000;
	if (!Number.isInteger(count) || count < 1 || count > 20_000)
		throw new EmulatorInputError(
			`count must be a whole number 1..20000, got ${JSON.stringify(options.count)}`,
		);
	const concurrency = options.concurrency ?? 8;
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
		throw new EmulatorInputError(
			`concurrency must be a whole number 1..64, got ${JSON.stringify(options.concurrency)}`,
		);
	const seed =
		options.seed === undefined || options.seed === null
			? deps.defaultSeed()
			: stringOption(options.seed, 'seed', '');
	const deadlineMs = msOption(options.deadlineMs, 'deadlineMs', 5000);
	const windowMs = msOption(options.windowMs, 'windowMs', 300_000);
	const all = kindsOf(platform);
	const kinds = options.kinds ?? all;
	if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((kind) => all.includes(kind)))
		throw new EmulatorInputError(
			`kinds must be a non-empty list of ${all.join(', ')}; got ${JSON.stringify(options.kinds)}`,
		);
	const base = options.base ?? {};
	if (!isPlainObject(base)) throw new EmulatorInputError('base must be an object');

	const gen = createGenerators(seededIds(seed));
	const nowMs = deps.now();
	/** @type {RunSettings} */
	let run;
	if (platform === 'wecom') {
		const defaults = DEFAULT_CALLBACK_CONFIG.wecom;
		const corpId = stringOption(options.corpId ?? options.receiveId, 'corpId', defaults.corpId);
		if (base.message !== undefined && typeof base.message !== 'string')
			throw new EmulatorInputError('base.message must be the plaintext XML');
		const plaintext =
			base.message ?? wecom.approvalEventXml(gen, nowMs, { corpId, ...(base.approval ?? {}) });
		run = {
			platform,
			url,
			verifyUrl: options.verifyUrl === undefined ? url : requireUrl(options.verifyUrl),
			token: stringOption(options.token, 'token', defaults.token),
			key: keyOption(options.encodingAESKey, 'encodingAESKey', defaults.encodingAESKey),
			receiveId: corpId,
			otherReceiveId: wecom.OTHER_CORP_ID,
			corpId,
			agentId: wecom.xmlValue(plaintext, 'AgentID') ?? String(defaults.agentId),
			plaintext,
			unit: 's',
			queryNames: 'signature',
			nowMs,
			windowMs,
			base: { nonce: gen.wecomNonce(), random: gen.random16() },
		};
	} else {
		const defaults = DEFAULT_CALLBACK_CONFIG.dingtalk;
		const corpId = stringOption(options.corpId, 'corpId', defaults.corpId);
		const queryNames = options.queryNames ?? 'signature';
		if (!dingtalk.QUERY_NAMES.includes(queryNames))
			throw new EmulatorInputError(`queryNames must be one of ${dingtalk.QUERY_NAMES.join(', ')}`);
		const unit = options.timestampUnit ?? 'ms';
		if (unit !== 'ms' && unit !== 's')
			throw new EmulatorInputError('timestampUnit must be ms or s');
		if (base.event !== undefined && typeof base.event !== 'string' && !isPlainObject(base.event))
			throw new EmulatorInputError('base.event must be an object or its JSON text');
		const plaintext =
			typeof base.event === 'string'
				? base.event
				: JSON.stringify(
						base.event ??
							dingtalk.approvalEventObject(gen, nowMs, deps.nameOf, {
								corpId,
								...(base.approval ?? {}),
							}),
					);
		run = {
			platform,
			url,
			verifyUrl: url,
			token: stringOption(options.token, 'token', defaults.token),
			key: keyOption(options.aesKey ?? options.encodingAESKey, 'aesKey', defaults.aesKey),
			receiveId: stringOption(options.ownerKey, 'ownerKey', defaults.ownerKey),
			otherReceiveId: dingtalk.OTHER_OWNER_KEY,
			corpId,
			agentId: '',
			plaintext,
			unit,
			queryNames,
			nowMs,
			windowMs,
			base: { nonce: gen.dingtalkNonce(), random: gen.random16() },
		};
	}

	const mutations = MUTATIONS.filter(
		(mutation) => mutation.platforms.includes(platform) && kinds.includes(mutation.kind),
	);
	const counts = apportion(mutations, count);
	const order = createSeededRandom(`${seed}:order`).shuffle(
		mutations.flatMap((mutation, index) => Array.from({ length: counts[index] }, () => mutation)),
	);

	return {
		platform,
		seed,
		count,
		concurrency,
		deadlineMs,
		kinds: mutations.map((mutation) => mutation.kind),
		*cases() {
			/** @type {Set<string>} */
			const seen = new Set();
			for (let index = 0; index < order.length; index++) {
				const mutation = order[index];
				let made;
				for (let attempt = 0; attempt < 64 && !made; attempt++) {
					const built = mutation.build(
						caseContext(run, createSeededRandom(`${seed}:${index}:${attempt}`)),
					);
					if (built && !seen.has(fingerprint(built.request))) made = built;
				}
				if (!made)
					throw new Error(
						`forgeries: could not build a distinct ${mutation.kind} case (index ${index})`,
					);
				seen.add(fingerprint(made.request));
				yield {
					index,
					platform,
					mutation: mutation.kind,
					detail: made.detail,
					request: made.request,
				};
			}
		},
	};
}

module.exports = { planForgeries, kindsOf, fingerprint, MUTATIONS, MAX_BODY_BYTES };
