// @ts-check
'use strict';

const http = require('node:http');
const { createEmulator } = require('..');
const { useEmulator } = require('../support/testClient');
const cbCrypto = require('../callbacks/crypto');
const { DEFAULT_CALLBACK_CONFIG } = require('../callbacks');

const ctx = useEmulator();
const WECOM = DEFAULT_CALLBACK_CONFIG.wecom;
const DINGTALK = DEFAULT_CALLBACK_CONFIG.dingtalk;

// ---------------------------------------------------------------------------------------------
// A small receiver (what a trigger node will be): implements both protocols correctly by default;
// `mode` switches it to a particular mistake.
// ---------------------------------------------------------------------------------------------

/** @typedef {{ method: string, url: string, headers: http.IncomingHttpHeaders, body: string }} Received */

/**
 * @typedef {'correct'|'encryptedReply'|'plainSuccess'|'echoNewline'|'echoCiphertext'|'slow'|'acceptAll'|'error500'|'okText'|'hang'} Mode
 */

const FIVE_MINUTES_MS = 5 * 60_000;

function createReceiver() {
	/** @type {Received[]} */
	const received = [];
	const state = { /** @type {Mode} */ mode: 'correct', delayMs: 0 };

	/** What a correct receiver checks: signature, ownerKey/receiveId, freshness. */
	const open = (
		/** @type {{ token: string, key: string, id: string, timestamp: string, nonce: string, encrypt: string, signature: string }} */ input,
	) => {
		const ts = Number(input.timestamp);
		const ms = ts > 1e12 ? ts : ts * 1000;
		if (Math.abs(Date.now() - ms) > FIVE_MINUTES_MS) throw new Error('stale timestamp');
		return cbCrypto.verifyAndDecrypt({
			token: input.token,
			encodingAESKey: input.key,
			timestamp: input.timestamp,
			nonce: input.nonce,
			encrypt: input.encrypt,
			signature: input.signature,
			receiveId: input.id,
		}).message;
	};

	/** @param {http.IncomingMessage} req @param {string} body @returns {{ status: number, body: string }} */
	function answer(req, body) {
		const url = new URL(req.url ?? '/', 'http://receiver');
		const q = Object.fromEntries(url.searchParams);
		const mode = state.mode;
		if (mode === 'error500') return { status: 500, body: 'internal error' };
		if (mode === 'okText') return { status: 200, body: 'OK' };
		if (url.pathname === '/wecom') {
			if (req.method === 'GET') {
				if (mode === 'echoCiphertext') return { status: 200, body: q.echostr };
				const plain = open({
					token: WECOM.token,
					key: WECOM.encodingAESKey,
					id: WECOM.corpId,
					timestamp: q.timestamp,
					nonce: q.nonce,
					encrypt: q.echostr,
					signature: q.msg_signature,
				});
				return { status: 200, body: mode === 'echoNewline' ? `${plain}\n` : plain };
			}
			if (mode === 'acceptAll') return { status: 200, body: 'success' };
			const encrypt = body.trim().startsWith('{')
				? JSON.parse(body).encrypt
				: (/<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)?.[1] ?? '');
			open({
				token: WECOM.token,
				key: WECOM.encodingAESKey,
				id: WECOM.corpId,
				timestamp: q.timestamp,
				nonce: q.nonce,
				encrypt,
				signature: q.msg_signature,
			});
			if (mode === 'encryptedReply') {
				const reply = cbCrypto.encrypt(
					WECOM.encodingAESKey,
					'<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>',
					WECOM.corpId,
				);
				const timestamp = String(Math.floor(Date.now() / 1000));
				const signature = cbCrypto.signature(WECOM.token, timestamp, '1234567890', reply);
				return {
					status: 200,
					body: `<xml><Encrypt><![CDATA[${reply}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[1234567890]]></Nonce></xml>`,
				};
			}
			return { status: 200, body: '' };
		}
		// DingTalk: accept both query-name sets (which one the live server sends is unverified).
		if (mode === 'plainSuccess') return { status: 200, body: 'success' };
		const signature = q.msg_signature ?? q.signature;
		const timestamp = q.timeStamp ?? q.timestamp;
		// acceptAll: answers correctly without checking anything.
		if (mode !== 'acceptAll')
			open({
				token: DINGTALK.token,
				key: DINGTALK.aesKey,
				id: DINGTALK.ownerKey,
				timestamp,
				nonce: q.nonce,
				encrypt: JSON.parse(body).encrypt,
				signature,
			});
		const encrypt = cbCrypto.encrypt(DINGTALK.aesKey, 'success', DINGTALK.ownerKey);
		const replyTs = String(Date.now());
		const nonce = 'abcdEFGH12345678';
		return {
			status: 200,
			body: JSON.stringify({
				msg_signature: cbCrypto.signature(DINGTALK.token, replyTs, nonce, encrypt),
				timeStamp: replyTs,
				nonce,
				encrypt,
			}),
		};
	}

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
			if (state.mode === 'hang') return;
			let reply;
			try {
				reply = answer(req, body);
			} catch (error) {
				reply = { status: 403, body: `refused: ${/** @type {Error} */ (error).message}` };
			}
			setTimeout(
				() =>
					res
						.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' })
						.end(reply.body),
				state.mode === 'slow' ? state.delayMs : 0,
			);
		});
	});

	return {
		received,
		state,
		/** @type {string} */ url: '',
		async start() {
			await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
			this.url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
		},
		stop: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

const receiver = createReceiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
beforeEach(() => {
	receiver.received.length = 0;
	receiver.state.mode = 'correct';
	receiver.state.delayMs = 0;
});

const wecomUrl = () => `${receiver.url}/wecom`;
const dingtalkUrl = () => `${receiver.url}/dingtalk`;

// ---------------------------------------------------------------------------------------------

// Official sample vectors. V1 and V2: callback/Sample.py, V3: callback_json/Sample.py, all at
// https://github.com/sbzhu/weworkapi_python/tree/16e0b0524e64ef75bb5040f8efd5172f64e18e21 (later
// commits blank the token and key). D1: main() of
// https://github.com/open-dingtalk/dingtalk-callback-Crypto/blob/main/DingTalkCrypto.go.
describe('callback crypto against the official vectors', () => {
	const W = {
		token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
		key: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
		receiveId: 'ww1436e0e65a779aee',
	};
	const vectors = [
		{
			name: 'V1 (WeCom URL verification)',
			...W,
			timestamp: '1476416373',
			nonce: '47744683',
			signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
			encrypt:
				'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
			expect: { message: '1288432023552776189', random: '8908d0ff052afda0', pad: 7 },
		},
		{
			name: 'V2 (WeCom XML POST, pad 22, Chinese text)',
			...W,
			timestamp: '1476422779',
			nonce: '1597212914',
			signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
			encrypt:
				'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
			expect: {
				message:
					'<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
				random: '694ce5a83ae07fe3',
				pad: 22,
				length: 228,
			},
		},
		{
			name: 'V3 (WeCom JSON POST)',
			...W,
			timestamp: '1409659813',
			nonce: '1372623149',
			signature: 'e3647471e395139e2308c1fa963f2d648a00b90e',
			encrypt:
				'cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=',
			expect: { random: 'dDVXRx6kn1gOT43Q', pad: 10, length: 176 },
		},
		{
			name: 'D1 (DingTalk, pad 27)',
			token: 'tokenxxxx',
			key: 'o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus',
			receiveId: 'dingxxxxxx',
			timestamp: '1605695694141',
			nonce: 'WelUQl6bCqcBa2fM',
			signature: 'f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc',
			encrypt:
				'X1VSe9cTJUMZu60d3kyLYTrBq5578ZRJtteU94wG0Q4Uk6E/wQYeJRIC0/UFW5Wkya1Ihz9oXAdLlyC9TRaqsQ==',
			expect: { message: 'success', random: 'WelUQl6bCqcBa2fM', pad: 27 },
		},
	];

	test.each(vectors.map((vector) => [vector.name, vector]))(
		'%s: verifies, decrypts, and re-encrypts to the same ciphertext and signature',
		(_name, vector) => {
			const opened = cbCrypto.verifyAndDecrypt({
				token: vector.token,
				encodingAESKey: vector.key,
				timestamp: vector.timestamp,
				nonce: vector.nonce,
				encrypt: vector.encrypt,
				signature: vector.signature,
				receiveId: vector.receiveId,
			});
			expect(opened).toMatchObject({ ...vector.expect, receiveId: vector.receiveId });
			const again = cbCrypto.encrypt(vector.key, opened.message, vector.receiveId, {
				random: opened.random,
			});
			expect(again).toBe(vector.encrypt);
			expect(cbCrypto.signature(vector.token, vector.timestamp, vector.nonce, again)).toBe(
				vector.signature,
			);
		},
	);

	test('V3 plaintext keeps the sample typo (not JSON): crypto only', () => {
		const v3 = vectors[2];
		const { message } = cbCrypto.decrypt(v3.key, v3.encrypt);
		expect(message).toContain('"FromUserName": :mycreate"');
		expect(() => JSON.parse(message)).toThrow();
	});

	test('refusals name the failing step', () => {
		const d1 = vectors[3];
		const code = (/** @type {() => unknown} */ fn) => {
			try {
				fn();
			} catch (error) {
				return /** @type {{ code?: string }} */ (error).code;
			}
			return 'none';
		};
		expect(code(() => cbCrypto.decrypt(d1.key, d1.encrypt, { receiveId: 'suiteKeyxx' }))).toBe(
			'receiveId',
		); // the PHP and Python samples pass ownerKey suiteKeyxx with this key, which does not match D1
		expect(
			code(() =>
				cbCrypto.verifyAndDecrypt({
					token: 'other',
					encodingAESKey: d1.key,
					timestamp: d1.timestamp,
					nonce: d1.nonce,
					encrypt: d1.encrypt,
					signature: d1.signature,
				}),
			),
		).toBe('signature');
		expect(code(() => cbCrypto.decrypt(WECOM.encodingAESKey, d1.encrypt))).toMatch(
			/^(padding|length)$/,
		);
		expect(code(() => cbCrypto.aesKeyOf('short'))).toBe('aesKey');
		expect(code(() => cbCrypto.decrypt(d1.key, 'not base64!'))).toBe('base64');
	});
});

describe('WeCom URL verification', () => {
	test('GET url?msg_signature&timestamp&nonce&echostr; a correct receiver is ok', async () => {
		ctx.emu.clock.freeze(Date.now());
		const entry = await ctx.emu.callbacks.wecom.verifyUrl({ url: `${wecomUrl()}?app=1` });
		expect(entry).toMatchObject({
			id: 1,
			platform: 'wecom',
			kind: 'verify-url',
			ok: true,
			accepted: true,
			forge: null,
			deadlineMs: 1000,
		});
		expect(entry.response).toMatchObject({ status: 200, body: entry.plaintext });
		expect(entry.plaintext).toMatch(/^[1-9]\d{18}$/);
		const [got] = receiver.received;
		expect(got.method).toBe('GET');
		const url = new URL(got.url, 'http://x');
		expect([...url.searchParams.keys()]).toEqual([
			'app',
			'msg_signature',
			'timestamp',
			'nonce',
			'echostr',
		]);
		expect(url.searchParams.get('timestamp')).toBe(String(Math.floor(ctx.emu.clock.now() / 1000)));
		expect(got.url).not.toMatch(/echostr=[^&]*[+/=]/); // base64 characters travel percent-encoded
		expect(entry.query).toEqual(
			Object.fromEntries([...url.searchParams].filter(([name]) => name !== 'app')),
		);
		expect(entry.request.url).toBe(`${receiver.url}${got.url}`);
	});

	test('the same calls send the same bytes after reset() (deterministic nonces and prefixes)', async () => {
		const at = Date.parse('2024-05-01T08:00:00Z');
		ctx.emu.clock.freeze(at);
		const first = await ctx.emu.callbacks.wecom.verifyUrl({ url: wecomUrl() });
		ctx.emu.reset();
		ctx.emu.clock.freeze(at);
		const second = await ctx.emu.callbacks.wecom.verifyUrl({ url: wecomUrl() });
		expect(second.id).toBe(1);
		expect(second.request).toEqual(first.request);
		expect(ctx.emu.callbacks.log()).toHaveLength(1);
	});

	test.each(
		/** @type {Array<[Mode, RegExp]>} */ ([
			['echoNewline', /whitespace or a newline/],
			['echoCiphertext', /encrypted echostr unchanged/],
			['error500', /HTTP 500/],
		]),
	)('a receiver that answers wrongly (%s) is not ok', async (mode, reason) => {
		receiver.state.mode = mode;
		const entry = await ctx.emu.callbacks.wecom.verifyUrl({ url: wecomUrl() });
		expect(entry).toMatchObject({ ok: false, accepted: false });
		expect(entry.reason).toMatch(reason);
	});

	test('a receiver slower than the deadline is not ok, whether the platform gives up or waits on', async () => {
		receiver.state.mode = 'slow';
		receiver.state.delayMs = 300;
		const gaveUp = await ctx.emu.callbacks.wecom.verifyUrl({ url: wecomUrl(), deadlineMs: 100 });
		expect(gaveUp).toMatchObject({ ok: false, timedOut: true, response: null });
		expect(gaveUp.reason).toMatch(/no answer within \d+ ms \(the platform waits 100 ms\)/);
		const late = await ctx.emu.callbacks.wecom.verifyUrl({
			url: wecomUrl(),
			deadlineMs: 100,
			waitMs: 2000,
		});
		expect(late).toMatchObject({ ok: false, timedOut: false, response: { status: 200 } });
		expect(late.reason).toMatch(/answered after \d+ ms, later than the 100 ms/);
	});
});

describe('WeCom event delivery', () => {
	test('sys_approval_change in the XML envelope; "" / "success" / an encrypted reply are ok', async () => {
		const entry = await ctx.emu.callbacks.wecom.deliver({
			url: wecomUrl(),
			approval: { statuChangeEvent: 2 },
		});
		expect(entry).toMatchObject({
			kind: 'deliver',
			ok: true,
			accepted: true,
			deadlineMs: 5000,
			response: { status: 200, body: '' },
			attempt: 1, // deliver() does not retry unless asked (callbackRetriesAndForgeries.test.js)
			late: false,
			engineEvent: null,
		});
		const [got] = receiver.received;
		expect(got.method).toBe('POST');
		expect(got.headers['content-type']).toMatch(/xml/);
		expect(got.body).toMatch(
			/^<xml><ToUserName><!\[CDATA\[wwemucorp0001\]\]><\/ToUserName>\n<Encrypt><!\[CDATA\[[A-Za-z0-9+/=]+\]\]><\/Encrypt>\n<AgentID><!\[CDATA\[3010040\]\]><\/AgentID><\/xml>$/,
		);
		expect(Object.keys(entry.query)).toEqual(['msg_signature', 'timestamp', 'nonce']);
		const plain = entry.plaintext;
		for (const part of [
			'<FromUserName><![CDATA[sys]]></FromUserName>',
			'<MsgType><![CDATA[event]]></MsgType>',
			'<Event><![CDATA[sys_approval_change]]></Event>',
			'<AgentID>3010040</AgentID>',
			'<SpStatus>2</SpStatus>',
			'<StatuChangeEvent>2</StatuChangeEvent>',
			'<Applyer><UserId><![CDATA[WangWu]]></UserId><Party><![CDATA[31]]></Party></Applyer>',
		]) {
			expect(plain).toContain(part);
		}
		expect(plain).toMatch(/<SpNo>\d{12}<\/SpNo><SpNoStr><!\[CDATA\[\d{12}\]\]><\/SpNoStr>/);
		expect(plain).toMatch(
			/<SpRecord><SpStatus>2<\/SpStatus><ApproverAttr>1<\/ApproverAttr><Details><Approver><UserId><!\[CDATA\[LiSi\]\]><\/UserId><\/Approver>/,
		);

		receiver.state.mode = 'acceptAll';
		expect(await ctx.emu.callbacks.wecom.deliver({ url: wecomUrl() })).toMatchObject({
			ok: true,
			response: { body: 'success' },
		});
		receiver.state.mode = 'encryptedReply';
		const replied = await ctx.emu.callbacks.wecom.deliver({ url: wecomUrl() });
		expect(replied).toMatchObject({ ok: true, reply: expect.stringContaining('收到') });
	});

	test('the JSON variant and a caller-given plaintext', async () => {
		const message =
			'<xml><ToUserName><![CDATA[wwemucorp0001]]></ToUserName><FromUserName><![CDATA[ZhangSan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>1</MsgId><AgentID>1000002</AgentID></xml>';
		const entry = await ctx.emu.callbacks.wecom.deliver({
			url: wecomUrl(),
			format: 'json',
			message,
		});
		expect(entry.ok).toBe(true);
		expect(JSON.parse(receiver.received[0].body)).toEqual({
			tousername: 'wwemucorp0001',
			encrypt: expect.any(String),
			agentid: '1000002',
		});
		expect(
			cbCrypto.decrypt(WECOM.encodingAESKey, JSON.parse(receiver.received[0].body).encrypt).message,
		).toBe(message);
	});

	test('a non-200 answer or an unknown body is not ok', async () => {
		receiver.state.mode = 'error500';
		expect((await ctx.emu.callbacks.wecom.deliver({ url: wecomUrl() })).reason).toMatch(
			/HTTP 500; WeCom counts only HTTP 200/,
		);
		receiver.state.mode = 'okText';
		const text = await ctx.emu.callbacks.wecom.deliver({ url: wecomUrl() });
		expect(text).toMatchObject({
			ok: false,
			reason: 'answered "OK": neither empty, "success" nor an encrypted reply',
		});
	});
});

describe('DingTalk check_url and events', () => {
	test('check_url: {"encrypt"} decrypting to {"EventType":"check_url"}; the encrypted "success" is ok', async () => {
		ctx.emu.clock.freeze(Date.now());
		const entry = await ctx.emu.callbacks.dingtalk.checkUrl({ url: dingtalkUrl() });
		expect(entry).toMatchObject({
			platform: 'dingtalk',
			kind: 'check-url',
			ok: true,
			accepted: true,
			reply: 'success',
			deadlineMs: 1500,
			plaintext: '{"EventType":"check_url"}',
		});
		const [got] = receiver.received;
		expect(got.headers['content-type']).toMatch(/application\/json/);
		expect(Object.keys(JSON.parse(got.body))).toEqual(['encrypt']);
		expect(entry.query).toEqual({
			signature: expect.stringMatching(/^[0-9a-f]{40}$/),
			timestamp: String(ctx.emu.clock.now()),
			nonce: expect.stringMatching(/^[A-Za-z0-9]{16}$/),
		});
		const opened = cbCrypto.verifyAndDecrypt({
			token: DINGTALK.token,
			encodingAESKey: DINGTALK.aesKey,
			timestamp: entry.query.timestamp,
			nonce: entry.query.nonce,
			encrypt: JSON.parse(got.body).encrypt,
			signature: entry.query.signature,
			receiveId: DINGTALK.ownerKey,
		});
		expect(opened.message).toBe('{"EventType":"check_url"}');
	});

	test('both query-name sets and second timestamps (unverified forms) are available', async () => {
		const both = await ctx.emu.callbacks.dingtalk.checkUrl({
			url: dingtalkUrl(),
			queryNames: 'both',
			timestampUnit: 's',
		});
		expect(Object.keys(both.query)).toEqual([
			'signature',
			'msg_signature',
			'timestamp',
			'timeStamp',
			'nonce',
		]);
		expect(both.query.timestamp).toMatch(/^\d{10}$/);
		expect(both.ok).toBe(true);
		const alt = await ctx.emu.callbacks.dingtalk.checkUrl({
			url: dingtalkUrl(),
			queryNames: 'msg_signature',
		});
		expect(Object.keys(alt.query)).toEqual(['msg_signature', 'timeStamp', 'nonce']);
		expect(alt.ok).toBe(true);
	});

	test('a plain "success" (or anything but the encrypted JSON) is not ok, with the reason', async () => {
		receiver.state.mode = 'plainSuccess';
		const entry = await ctx.emu.callbacks.dingtalk.checkUrl({ url: dingtalkUrl() });
		expect(entry).toMatchObject({
			ok: false,
			accepted: false,
			response: { status: 200, body: 'success' },
		});
		expect(entry.reason).toBe(
			'answered the plain text "success"; DingTalk needs the encrypted "success" as JSON {msg_signature, timeStamp, nonce, encrypt}',
		);
		receiver.state.mode = 'correct';
		const wrongOwner = await ctx.emu.callbacks.dingtalk.checkUrl({
			url: dingtalkUrl(),
			ownerKey: 'dingotherapp',
			deadlineMs: 1500,
		});
		expect(wrongOwner.ok).toBe(false); // the receiver refuses it (403) since it expects the default ownerKey
		expect(wrongOwner.reason).toMatch(/HTTP 403/);
	});

	test('too slow for the 1500 ms', async () => {
		receiver.state.mode = 'slow';
		receiver.state.delayMs = 250;
		const entry = await ctx.emu.callbacks.dingtalk.checkUrl({ url: dingtalkUrl(), deadlineMs: 50 });
		expect(entry).toMatchObject({ ok: false, timedOut: true });
		expect(entry.reason).toMatch(/no answer within/);
	});

	test('approval events: bpms_instance_change and bpms_task_change with the documented fields', async () => {
		const start = await ctx.emu.callbacks.dingtalk.deliver({ url: dingtalkUrl() });
		expect(start.ok).toBe(true);
		const instance = JSON.parse(start.plaintext);
		expect(Object.keys(instance)).toEqual([
			'EventType',
			'EventTime',
			'CorpId',
			'BizId',
			'eventId',
			'processInstanceId',
			'processCode',
			'bizCategoryId',
			'businessId',
			'businessType',
			'title',
			'type',
			'staffId',
			'url',
			'createTime',
		]);
		expect(instance).toMatchObject({
			EventType: 'bpms_instance_change',
			CorpId: 'dingemucorp0001',
			type: 'start',
			staffId: 'user001',
			processCode: expect.stringMatching(/^PROC-/),
		});
		expect(instance.title).toMatch(/提交的请假$/);
		expect(instance.title).not.toMatch(/^user001/); // the seeded user's name

		const finish = JSON.parse(
			(
				await ctx.emu.callbacks.dingtalk.deliver({
					url: dingtalkUrl(),
					approval: { type: 'finish', result: 'refuse' },
				})
			).plaintext,
		);
		expect(finish).toMatchObject({
			type: 'finish',
			result: 'refuse',
			finishTime: expect.any(Number),
		});
		const terminate = JSON.parse(
			(
				await ctx.emu.callbacks.dingtalk.deliver({
					url: dingtalkUrl(),
					approval: { type: 'terminate' },
				})
			).plaintext,
		);
		expect(terminate).not.toHaveProperty('result');

		const task = ctx.emu.callbacks.dingtalk.approvalEvent({
			eventType: 'bpms_task_change',
			type: 'finish',
		});
		expect(task).toMatchObject({
			EventType: 'bpms_task_change',
			type: 'finish',
			result: 'agree',
			staffId: 'manager01',
			taskId: expect.any(Number),
			remark: '同意',
			finishTime: expect.any(Number),
		});
		const taskStart = ctx.emu.callbacks.dingtalk.approvalEvent({ eventType: 'bpms_task_change' });
		expect(taskStart).not.toHaveProperty('finishTime');
		const legacy = ctx.emu.callbacks.dingtalk.approvalEvent({ envelope: 'legacy' });
		expect(legacy).toMatchObject({ EventType: 'bpms_instance_change', corpId: 'dingemucorp0001' });
		expect(legacy).not.toHaveProperty('CorpId');
		expect(() => ctx.emu.callbacks.dingtalk.approvalEvent({ type: 'delete' })).toThrow(
			/start, finish, terminate/,
		);

		const own = await ctx.emu.callbacks.dingtalk.deliver({
			url: dingtalkUrl(),
			event: { EventType: 'user_add_org', UserId: ['user001'] },
		});
		expect(own).toMatchObject({
			ok: true,
			plaintext: '{"EventType":"user_add_org","UserId":["user001"]}',
		});
	});
});

describe('forged deliveries', () => {
	test.each([
		['wecom', 'signature'],
		['wecom', 'receiveId'],
		['wecom', 'stale'],
		['dingtalk', 'signature'],
		['dingtalk', 'ownerKey'],
		['dingtalk', 'stale'],
	])(
		'%s forge %s: is what it claims; a correct receiver refuses it (ok), one that accepts all is not ok',
		async (platform, forge) => {
			const send = (/** @type {string} */ url) =>
				platform === 'wecom'
					? ctx.emu.callbacks.wecom.deliver({ url, forge })
					: ctx.emu.callbacks.dingtalk.deliver({ url, forge });
			const url = platform === 'wecom' ? wecomUrl() : dingtalkUrl();
			const entry = await send(url);
			const config =
				platform === 'wecom'
					? { token: WECOM.token, key: WECOM.encodingAESKey, id: WECOM.corpId }
					: { token: DINGTALK.token, key: DINGTALK.aesKey, id: DINGTALK.ownerKey };
			const encrypt =
				platform === 'wecom'
					? (/<Encrypt><!\[CDATA\[(.*?)\]\]>/.exec(entry.request.body)?.[1] ?? '')
					: JSON.parse(entry.request.body).encrypt;
			const sig = entry.query.msg_signature ?? entry.query.signature;
			const signatureVerifies =
				cbCrypto.signature(config.token, entry.query.timestamp, entry.query.nonce, encrypt) === sig;
			const { receiveId } = cbCrypto.decrypt(config.key, encrypt);
			const ageMs =
				Date.now() -
				(platform === 'wecom'
					? Number(entry.query.timestamp) * 1000
					: Number(entry.query.timestamp));
			expect({
				signatureVerifies,
				sameReceiver: receiveId === config.id,
				stale: ageMs > 23 * 3_600_000,
			}).toEqual({
				signatureVerifies: forge !== 'signature',
				sameReceiver: forge === 'signature' || forge === 'stale',
				stale: forge === 'stale',
			});
			if (forge !== 'signature')
				expect(receiveId).toBe(
					forge === 'stale'
						? config.id
						: platform === 'wecom'
							? 'wwemucorp0002'
							: 'dingemuappkey0002',
				);

			expect(entry).toMatchObject({ forge, accepted: false, ok: true, response: { status: 403 } });
			receiver.state.mode = 'acceptAll';
			const naive = await send(url);
			expect(naive).toMatchObject({ forge, accepted: true, ok: false });
			expect(naive.reason).toBe(
				`the receiver accepted a forged delivery (forge: ${forge}); it must refuse it`,
			);
		},
	);

	test('unknown forge kinds are refused', async () => {
		await expect(
			ctx.emu.callbacks.wecom.deliver({ url: wecomUrl(), forge: 'ownerKey' }),
		).rejects.toThrow(/forge must be one of signature, receiveId, stale/);
		await expect(ctx.emu.callbacks.dingtalk.checkUrl({ url: 'ftp://x' })).rejects.toThrow(
			/absolute http/,
		);
	});
});

describe('redelivery', () => {
	test('sends the identical bytes again, recorded as a redelivery of the first send', async () => {
		const first = await ctx.emu.callbacks.dingtalk.deliver({
			url: dingtalkUrl(),
			approval: { type: 'finish' },
		});
		ctx.emu.clock.advance(60_000); // later, but the platform repeats what it sent
		const again = await ctx.emu.callbacks.redeliver(first.id);
		const third = await ctx.emu.callbacks.redeliver(again.id);
		expect(again).toMatchObject({
			kind: 'redeliver',
			redeliveryOf: first.id,
			ok: true,
			request: first.request,
			plaintext: first.plaintext,
		});
		expect(third.redeliveryOf).toBe(first.id);
		const [a, b, c] = receiver.received;
		expect(b).toEqual({ ...a, headers: expect.anything() });
		expect(c.body).toBe(a.body);
		expect(b.headers['content-length']).toBe(a.headers['content-length']);

		const wecom = await ctx.emu.callbacks.wecom.deliver({ url: wecomUrl() });
		const wecomAgain = await ctx.emu.callbacks.redeliver(wecom.id);
		expect(receiver.received[4]).toEqual({ ...receiver.received[3], headers: expect.anything() });
		expect(wecomAgain.ok).toBe(true);
		expect(ctx.emu.callbacks.log({ kind: 'redeliver' }).map((entry) => entry.id)).toEqual([
			2, 3, 5,
		]);
		await expect(ctx.emu.callbacks.redeliver(99)).rejects.toThrow(/no callback 99/);
	});
});

describe('control API and lifecycle', () => {
	test('/__emulator/callbacks routes', async () => {
		const { control } = ctx.client;
		expect((await control('/callbacks/config')).body).toEqual(DEFAULT_CALLBACK_CONFIG);
		const verify = await control('/callbacks/wecom/verify-url', { body: { url: wecomUrl() } });
		expect(verify.status).toBe(200);
		expect(verify.body).toMatchObject({ id: 1, kind: 'verify-url', ok: true });
		const delivered = await control('/callbacks/dingtalk/deliver', {
			body: { url: dingtalkUrl(), approval: { eventType: 'bpms_task_change' } },
		});
		expect(delivered.body).toMatchObject({ id: 2, ok: true });
		expect(
			(await control('/callbacks/dingtalk/check-url', { body: { url: dingtalkUrl() } })).body,
		).toMatchObject({ id: 3, ok: true });
		expect(
			(await control('/callbacks/wecom/deliver', { body: { url: wecomUrl(), forge: 'signature' } }))
				.body,
		).toMatchObject({ id: 4, ok: true, accepted: false });
		const redelivered = await control('/callbacks/2/redeliver', { method: 'POST' });
		expect(redelivered.body).toMatchObject({ id: 5, kind: 'redeliver', redeliveryOf: 2, ok: true });
		expect(receiver.received[4].body).toBe(receiver.received[1].body);

		expect((await control('/callbacks/2')).body).toEqual(delivered.body);
		expect(
			(await control('/callbacks', { query: { platform: 'dingtalk' } })).body.callbacks.map(
				(/** @type {{ id: number }} */ entry) => entry.id,
			),
		).toEqual([2, 3, 5]);
		expect((await control('/callbacks', { query: { since: 3 } })).body.callbacks).toHaveLength(2);
		expect(
			(await control('/callbacks/wecom/approval-event', { body: { statuChangeEvent: 3 } })).body
				.plaintext,
		).toContain('<StatuChangeEvent>3</StatuChangeEvent>');
		expect(
			(await control('/callbacks/dingtalk/approval-event', { body: { type: 'finish' } })).body,
		).toMatchObject({ type: 'finish', result: 'agree' });

		expect((await control('/callbacks/99')).status).toBe(404);
		expect((await control('/callbacks/99/redeliver', { method: 'POST' })).status).toBe(404);
		expect((await control('/callbacks/wecom/deliver', { body: { url: 'nope' } })).status).toBe(400);
		expect((await control('/callbacks', { query: { kind: 'other' } })).status).toBe(400);
		expect((await control('/callbacks', { method: 'DELETE' })).body).toEqual({ cleared: true });
		expect(ctx.emu.callbacks.log()).toEqual([]);
	});

	test('reset() empties the log; close() abandons callbacks in flight', async () => {
		await ctx.emu.callbacks.wecom.deliver({ url: wecomUrl() });
		ctx.emu.reset();
		expect(ctx.emu.callbacks.log()).toEqual([]);

		const other = await createEmulator();
		receiver.state.mode = 'hang';
		const pending = other.callbacks.wecom.deliver({ url: wecomUrl(), waitMs: 30_000 });
		while (receiver.received.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
		const closedAt = Date.now();
		await other.close();
		const entry = await pending;
		expect(Date.now() - closedAt).toBeLessThan(2000);
		expect(entry).toMatchObject({
			ok: false,
			accepted: false,
			response: null,
			error: 'aborted: the emulator closed',
		});
		expect(entry.reason).toMatch(/connection failed: aborted/);
	});
});
