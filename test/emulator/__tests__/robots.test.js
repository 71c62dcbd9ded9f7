// @ts-check
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');
const { useEmulator, call } = require('../support/testClient');
const { robotSign } = require('../dingtalk/robot');
const { createEmulator } = require('..');

const ctx = useEmulator();

// Robot signing vector computed for these tests from the algorithm in
// https://open.dingtalk.com/document/dingstart/customize-robot-security-settings (not an official vector).
const VECTOR = {
	timestamp: 1_700_000_000_000,
	secret: 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
	base64: 'bTgY2yDbep+wesS7jKiNj+srsHoADES4+C4f8LCHFtU=',
	urlEncoded: 'bTgY2yDbep%2BwesS7jKiNj%2BsrsHoADES4%2BC4f8LCHFtU%3D',
};
const T0 = Date.UTC(2025, 5, 1, 2, 0);

/**
 * The 310000 texts as captured live (sources in ../README.md, Group robots), written out here
 * (not read from the emulator), per
 * settings.dingtalk.robotErrorWording. Requests in these tests come from 127.0.0.1.
 */
const LEGACY_MORE = ', more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]';
const SECURITY = {
	current: {
		signMismatch: {
			errcode: 310000,
			errmsg:
				'description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的网址中，请确认机器人的密钥加密和填写正确;link:请参考本接口对应文档获得具体要求，或者在https://open.dingtalk.com/document/  搜索相关文档;',
		},
		timestampExpired: {
			errcode: 310000,
			errmsg:
				'description:机器人发送签名过期;solution:签名生成时间和发送时间请保持在 timestampms 以内;',
		},
		keywordMissing: {
			errcode: 310000,
			errmsg:
				'description:关键词不匹配;solution:请联系群管理员查看此机器人的关键词，并在发送的信息中包含此关键词;',
		},
		ipNotInWhitelist: {
			errcode: 310000,
			errmsg: 'description:ip 不在白名单中;solution:请联系对应群的管理员，设置机器人安全ip地址段',
		},
	},
	legacy: {
		signMismatch: { errcode: 310000, errmsg: `sign not match${LEGACY_MORE}` },
		timestampExpired: { errcode: 310000, errmsg: `invalid timestamp${LEGACY_MORE}` },
		keywordMissing: { errcode: 310000, errmsg: `keywords not in content${LEGACY_MORE}` },
		ipNotInWhitelist: { errcode: 310000, errmsg: 'ip 127.0.0.1 not in whitelist' },
	},
};
const TOKEN_NOT_EXIST = 'token is not exist';
const TOO_FAST = { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' };
const TOO_FAST_DOC = { errcode: 410100, errmsg: '发送速度太快而限流' };
const text = (/** @type {string} */ content) => ({ msgtype: 'text', text: { content } });

/** The seeded DingTalk robots: [0] signs (SEC… secret), [1] has keywords 告警 / alert. */
const dingRobots = () => {
	const [signed, keywords] = ctx.emu.seed.dingtalk.robots;
	return { signed, keywords };
};

/**
 * POST /robot/send. `sign: true` signs with the robot's secret at the emulator's now; an object
 * gives timestamp/sign (or leaves them out) explicitly.
 * @param {{ accessToken: string, secret?: string }} robot
 * @param {unknown} body
 * @param {{ sign?: boolean | { timestamp?: number | string, sign?: string }, raw?: string, headers?: Record<string, string> }} [options]
 */
function dingSend(robot, body, { sign = Boolean(robot.secret), raw, headers } = {}) {
	/** @type {Record<string, string | number>} */
	const query = { access_token: robot.accessToken };
	if (sign === true) {
		const timestamp = ctx.emu.clock.now();
		Object.assign(query, {
			timestamp,
			sign: robotSign(/** @type {string} */ (robot.secret), timestamp),
		});
	} else if (sign) {
		for (const [key, value] of Object.entries(sign)) if (value !== undefined) query[key] = value;
	}
	return call(`${ctx.emu.baseUrls.dingtalkOapi}/robot/send`, {
		method: 'POST',
		query,
		body,
		raw,
		headers,
	});
}

const weComKey = () => ctx.emu.seed.wecom.robots[0].key;
/** POST /cgi-bin/webhook/send?key=… @param {unknown} body @param {{ key?: string | null, raw?: string, headers?: Record<string, string> }} [options] */
function weComSend(body, { key = weComKey(), raw, headers } = {}) {
	return call(`${ctx.emu.baseUrls.wecom}/cgi-bin/webhook/send`, {
		method: 'POST',
		query: key === null ? {} : { key },
		body,
		raw,
		headers,
	});
}

/** A tiny valid PNG (1×1) as the image message needs it: base64 and the md5 of the raw bytes. */
const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e6a40d0000000049454e44ae426082',
	'hex',
);
const imageOf = (
	/** @type {Buffer} */ bytes,
	md5 = crypto.createHash('md5').update(bytes).digest('hex'),
) => ({ msgtype: 'image', image: { base64: bytes.toString('base64'), md5 } });

describe('DingTalk custom robot: POST /robot/send', () => {
	beforeEach(() => ctx.emu.clock.freeze(T0));

	test('the sign algorithm reproduces the signing vector, and the endpoint accepts the vector as sent in a URL', async () => {
		expect(robotSign(VECTOR.secret, VECTOR.timestamp)).toBe(VECTOR.base64);
		ctx.emu.addSeed('dingtalk', 'robots', {
			name: 'vector',
			accessToken: 'vector-token',
			secret: VECTOR.secret,
		});
		ctx.emu.clock.freeze(VECTOR.timestamp + 30 * 60_000);
		const url = `${ctx.emu.baseUrls.dingtalkOapi}/robot/send?access_token=vector-token&timestamp=${VECTOR.timestamp}&sign=${VECTOR.urlEncoded}`;
		expect((await call(url, { body: text('vector') })).body).toEqual({ errcode: 0, errmsg: 'ok' });
		// The same sign left un-encoded loses its "+" on the way (they read as spaces): refused.
		const unencoded = `${ctx.emu.baseUrls.dingtalkOapi}/robot/send?access_token=vector-token&timestamp=${VECTOR.timestamp}&sign=${VECTOR.base64}`;
		expect((await call(unencoded, { body: text('vector') })).body).toEqual(
			SECURITY.current.signMismatch,
		);
		expect(ctx.emu.dingtalk.robotMessages('vector-token')).toHaveLength(1);
	});

	test('a valid message answers exactly {errcode 0, errmsg ok} and is recorded with its content, mentions and msgUuid', async () => {
		const { signed } = dingRobots();
		const at = {
			atMobiles: ['13800000001', '13800000001'],
			atUserIds: ['user001'],
			isAtAll: false,
		};
		const { status, body } = await dingSend(signed, { ...text('部署完成'), at, msgUuid: 'u-1' });
		expect(status).toBe(200);
		expect(body).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(ctx.emu.dingtalk.robotMessages()).toEqual([
			{
				id: 1,
				robot: signed.name,
				accessToken: signed.accessToken,
				sentAt: T0,
				msgtype: 'text',
				content: { content: '部署完成' },
				at: { atMobiles: ['13800000001'], atUserIds: ['user001'], isAtAll: false },
				msgUuid: 'u-1',
				signed: true,
			},
		]);
		// Filter by name or token; another robot has posted nothing.
		expect(ctx.emu.dingtalk.robotMessages(signed.name)).toHaveLength(1);
		expect(ctx.emu.dingtalk.robotMessages(dingRobots().keywords.accessToken)).toEqual([]);
	});

	test('every message type with its required keys is accepted; a missing key is 40035 naming it', async () => {
		const { signed } = dingRobots();
		const valid = [
			{ msgtype: 'link', link: { title: 't', text: 'x', messageUrl: 'https://e.x', picUrl: '' } },
			{ msgtype: 'markdown', markdown: { title: 't', text: '# x' } },
			{
				msgtype: 'actionCard',
				actionCard: { title: 't', text: 'x', singleTitle: 'go', singleURL: 'https://e.x' },
			},
			{
				msgtype: 'actionCard',
				actionCard: {
					title: 't',
					text: 'x',
					btnOrientation: '1',
					btns: [{ title: 'a', actionURL: 'https://e.x' }],
				},
			},
			{
				msgtype: 'feedCard',
				feedCard: {
					links: [{ title: 't', messageURL: 'https://e.x', picURL: 'https://e.x/p.png' }],
				},
			},
		];
		for (const message of valid)
			expect((await dingSend(signed, message)).body).toEqual({ errcode: 0, errmsg: 'ok' });
		const missing = [
			[{ msgtype: 'link', link: { title: 't', text: 'x' } }, '缺少参数 link.messageUrl'],
			[{ msgtype: 'markdown', markdown: { text: 'x' } }, '缺少参数 markdown.title'],
			[
				{ msgtype: 'actionCard', actionCard: { title: 't', text: 'x', singleTitle: 'go' } },
				'缺少参数 actionCard.singleURL',
			],
			[
				{ msgtype: 'actionCard', actionCard: { title: 't', text: 'x' } },
				'缺少参数 actionCard.btns',
			],
			[
				{ msgtype: 'feedCard', feedCard: { links: [{ title: 't', messageURL: 'u' }] } },
				'缺少参数 feedCard.links[0].picURL',
			],
			[{ msgtype: 'text' }, '缺少参数 text'],
		];
		for (const [message, errmsg] of missing)
			expect((await dingSend(signed, message)).body).toEqual({ errcode: 40035, errmsg });
		expect(ctx.emu.dingtalk.robotMessages()).toHaveLength(valid.length);
	});

	test('refusals come in the documented check order: token, IP, sign, body, msgtype, keywords, at; none is recorded', async () => {
		const { signed, keywords } = dingRobots();
		const ghost = { accessToken: 'no-such-token', secret: signed.secret };
		// 1. Token before anything else (here also no sign and no body): 300001 as seen live.
		expect((await dingSend(ghost, undefined, { sign: {} })).body).toEqual({
			errcode: 300001,
			errmsg: TOKEN_NOT_EXIST,
		});
		expect((await dingSend({ accessToken: '' }, undefined)).body).toEqual({
			errcode: 300001,
			errmsg: TOKEN_NOT_EXIST,
		});
		// The whole webhook URL pasted as the token (the usual live cause) is unknown too.
		expect((await dingSend({ accessToken: signed.webhookUrl ?? '' }, text('x'))).body).toEqual({
			errcode: 300001,
			errmsg: TOKEN_NOT_EXIST,
		});
		// No access_token parameter at all.
		expect(
			(await call(`${ctx.emu.baseUrls.dingtalkOapi}/robot/send`, { body: text('x') })).body,
		).toEqual({ errcode: 300001, errmsg: TOKEN_NOT_EXIST });
		ctx.emu.settings.set({ dingtalk: { robotInvalidTokenErrcode: 300005 } });
		expect((await dingSend(ghost, text('x'))).body).toEqual({
			errcode: 300005,
			errmsg: TOKEN_NOT_EXIST,
		});
		ctx.emu.settings.set({ dingtalk: { robotInvalidTokenErrcode: 400101 } });
		expect((await dingSend(ghost, text('x'))).body).toEqual({
			errcode: 400101,
			errmsg: 'access_token不存在',
		});
		// 2. IP whitelist before the sign.
		ctx.emu.addSeed('dingtalk', 'robots', {
			name: 'ip',
			accessToken: 'ip-token',
			secret: 'SECip',
			ipWhitelist: ['10.0.0.1'],
		});
		expect((await dingSend({ accessToken: 'ip-token' }, undefined)).body).toEqual(
			SECURITY.current.ipNotInWhitelist,
		);
		ctx.emu.addSeed('dingtalk', 'robots', {
			name: 'ip ok',
			accessToken: 'ip-ok-token',
			ipWhitelist: ['127.0.0.1'],
		});
		expect((await dingSend({ accessToken: 'ip-ok-token' }, text('x'))).body).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		// 3. Sign before the body: none, no timestamp, another secret's sign.
		expect((await dingSend(signed, undefined, { sign: {} })).body).toEqual(
			SECURITY.current.signMismatch,
		);
		expect(
			(
				await dingSend(signed, undefined, {
					sign: { sign: robotSign(/** @type {string} */ (signed.secret), T0) },
				})
			).body,
		).toEqual(SECURITY.current.timestampExpired);
		expect(
			(
				await dingSend(signed, undefined, {
					sign: { timestamp: T0, sign: robotSign('SECother', T0) },
				})
			).body,
		).toEqual(SECURITY.current.signMismatch);
		// 4. Body: empty, not JSON, malformed JSON.
		expect((await dingSend(signed, undefined)).body).toEqual({
			errcode: 40035,
			errmsg: '缺少参数 json',
		});
		expect(
			(
				await dingSend(signed, undefined, {
					raw: 'msgtype=text',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
				})
			).body,
		).toEqual({
			errcode: 43004,
			errmsg: '无效的HTTP HEADER Content-Type',
		});
		expect(
			(
				await dingSend(signed, undefined, {
					raw: '{"msgtype":',
					headers: { 'content-type': 'application/json' },
				})
			).body,
		).toEqual({ errcode: 40035, errmsg: '缺少参数 json' });
		// 5. msgtype: missing, unknown (the credential check's), wrong case.
		for (const msgtype of [undefined, 'n8n_credential_check', 'TEXT']) {
			expect((await dingSend(signed, { msgtype, text: { content: 'x' } })).body).toEqual({
				errcode: 400105,
				errmsg: '不支持的消息类型',
			});
		}
		// 6. Keywords only after the message type: an unknown type is still 400105 on a keyword robot.
		expect((await dingSend(keywords, { msgtype: 'n8n_credential_check' })).body).toEqual({
			errcode: 400105,
			errmsg: '不支持的消息类型',
		});
		expect((await dingSend(keywords, { ...text('no keyword'), at: 'everyone' })).body).toEqual(
			SECURITY.current.keywordMissing,
		);
		// 7. at: malformed, more than 50 mentions.
		expect((await dingSend(keywords, { ...text('告警'), at: 'everyone' })).body).toMatchObject({
			errcode: 40035,
		});
		const atMobiles = Array.from({ length: 26 }, (_, i) => `1380000${String(i).padStart(4, '0')}`);
		const atUserIds = Array.from({ length: 25 }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);
		expect(
			(
				await dingSend(keywords, {
					...text('告警'),
					at: { atMobiles, atUserIds: atUserIds.slice(0, 24) },
				})
			).body,
		).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(
			(await dingSend(keywords, { ...text('告警'), at: { atMobiles, atUserIds } })).body,
		).toEqual({ errcode: 40035, errmsg: '不合法的参数: at 最多 50 个，收到 51 个' });

		expect(ctx.emu.dingtalk.robotMessages().map((message) => message.robot)).toEqual([
			'ip ok',
			keywords.name,
		]);
		// Robot answers carry no request_id; the attempts are in the request log.
		expect(
			ctx.emu
				.requests({ path: '/robot/send' })
				.every((entry) => !('request_id' in /** @type {object} */ (entry.response))),
		).toBe(true);
	});

	test('timestamp window: at most 1 hour from the emulator clock either way, in ms', async () => {
		const { signed } = dingRobots();
		const secret = /** @type {string} */ (signed.secret);
		const at = (/** @type {number} */ timestamp) =>
			dingSend(signed, text('x'), { sign: { timestamp, sign: robotSign(secret, timestamp) } });
		expect((await at(T0 - 3600_000)).body).toEqual({ errcode: 0, errmsg: 'ok' });
		expect((await at(T0 + 3600_000)).body).toEqual({ errcode: 0, errmsg: 'ok' });
		expect((await at(T0 - 3600_001)).body).toEqual(SECURITY.current.timestampExpired);
		expect((await at(T0 + 3600_001)).body).toEqual(SECURITY.current.timestampExpired);
		// Seconds instead of ms are far outside the window.
		expect((await at(Math.floor(T0 / 1000))).body).toEqual(SECURITY.current.timestampExpired);
		expect(
			(
				await dingSend(signed, text('x'), {
					sign: { timestamp: 'soon', sign: robotSign(secret, T0) },
				})
			).body,
		).toEqual(SECURITY.current.timestampExpired);
		// Moving the emulator clock moves the window.
		ctx.emu.clock.advance(2 * 3600_000);
		expect((await at(T0)).body).toEqual(SECURITY.current.timestampExpired);
		expect(ctx.emu.dingtalk.robotMessages()).toHaveLength(2);
	});

	test('keywords: one of them in a title or text of the message; URLs do not count', async () => {
		const { keywords } = dingRobots();
		const ok = { errcode: 0, errmsg: 'ok' };
		const refused = SECURITY.current.keywordMissing;
		expect((await dingSend(keywords, text('磁盘告警：90%'))).body).toEqual(ok);
		expect(
			(
				await dingSend(keywords, {
					msgtype: 'markdown',
					markdown: { title: 'CPU alert', text: 'high' },
				})
			).body,
		).toEqual(ok);
		expect(
			(
				await dingSend(keywords, {
					msgtype: 'actionCard',
					actionCard: {
						title: 't',
						text: 'x',
						btns: [{ title: 'alert log', actionURL: 'https://e.x' }],
					},
				})
			).body,
		).toEqual(ok);
		expect(
			(
				await dingSend(keywords, {
					msgtype: 'link',
					link: { title: 't', text: 'x', messageUrl: 'https://e.x/alert' },
				})
			).body,
		).toEqual(refused);
		expect((await dingSend(keywords, text('Alert'))).body).toEqual(refused); // case-sensitive
		expect(ctx.emu.dingtalk.robotMessages()).toHaveLength(3);
		// At most 10 keywords per robot (https://open.dingtalk.com/document/dingstart/customize-robot-security-settings).
		const eleven = Array.from({ length: 11 }, (_, i) => `k${i}`);
		expect(() =>
			ctx.emu.addSeed('dingtalk', 'robots', { accessToken: 'many', keywords: eleven }),
		).toThrow(/at most 10/);
		expect(
			(
				await ctx.client.control('/seed/dingtalk/robots', {
					body: { accessToken: keywords.accessToken },
				})
			).status,
		).toBe(409);
	});

	test('rate limit: 20 per minute; the 21st is 130101 and the robot stays throttled for 10 minutes', async () => {
		const { signed, keywords } = dingRobots();
		for (let i = 0; i < 20; i += 1) {
			expect((await dingSend(signed, text(`m${i}`))).body).toEqual({ errcode: 0, errmsg: 'ok' });
			ctx.emu.clock.advance(1000);
		}
		const throttledAt = ctx.emu.clock.now(); // T0 + 20 s: 20 messages in the last minute
		expect((await dingSend(signed, text('m20'))).body).toEqual(TOO_FAST);
		// Another robot is not affected.
		expect((await dingSend(keywords, text('告警'))).body).toEqual({ errcode: 0, errmsg: 'ok' });
		// A minute later the window is empty, but the throttle lasts 10 minutes from the 21st message.
		ctx.emu.clock.freeze(throttledAt + 2 * 60_000);
		expect((await dingSend(signed, text('m21'))).body).toEqual(TOO_FAST);
		ctx.emu.clock.freeze(throttledAt + 10 * 60_000 - 1);
		expect((await dingSend(signed, text('m22'))).body).toEqual(TOO_FAST);
		ctx.emu.clock.freeze(throttledAt + 10 * 60_000);
		expect((await dingSend(signed, text('m23'))).body).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(
			ctx.emu.dingtalk.robotMessages(signed.accessToken).map((message) => message.content.content),
		).toEqual([...Array.from({ length: 20 }, (_, i) => `m${i}`), 'm23']);
	});

	test('rate limit with robotTooFastErrcode 410100: the doc code and text, same 10-minute throttle', async () => {
		const { keywords } = dingRobots();
		ctx.emu.settings.set({ dingtalk: { robotTooFastErrcode: 410100 } });
		for (let i = 0; i < 20; i += 1)
			expect((await dingSend(keywords, text(`告警 ${i}`))).body.errcode).toBe(0);
		expect((await dingSend(keywords, text('告警 20'))).body).toEqual(TOO_FAST_DOC);
		ctx.emu.clock.advance(10 * 60_000 - 1);
		expect((await dingSend(keywords, text('告警 21'))).body).toEqual(TOO_FAST_DOC);
		// The code is read when answering: switching back mid-throttle answers 130101.
		ctx.emu.settings.set({ dingtalk: { robotTooFastErrcode: 130101 } });
		expect((await dingSend(keywords, text('告警 22'))).body).toEqual(TOO_FAST);
		ctx.emu.clock.advance(1);
		expect((await dingSend(keywords, text('告警 23'))).body).toEqual({ errcode: 0, errmsg: 'ok' });
		expect(ctx.emu.dingtalk.robotMessages(keywords.accessToken)).toHaveLength(21);
	});

	test('robotErrorWording legacy: the older English 310000 texts for all four security failures', async () => {
		const { signed, keywords } = dingRobots();
		const secret = /** @type {string} */ (signed.secret);
		ctx.emu.addSeed('dingtalk', 'robots', {
			name: 'ip',
			accessToken: 'ip-token',
			ipWhitelist: ['10.0.0.1'],
		});
		/** The four failures, each sent once; `wording` picks the expected texts. */
		const failures = async (/** @type {'current' | 'legacy'} */ wording) => {
			const expected = SECURITY[wording];
			expect((await dingSend(signed, text('x'), { sign: {} })).body).toEqual(expected.signMismatch);
			expect(
				(
					await dingSend(signed, text('x'), {
						sign: { timestamp: T0, sign: robotSign('SECx', T0) },
					})
				).body,
			).toEqual(expected.signMismatch);
			expect(
				(
					await dingSend(signed, text('x'), {
						sign: { timestamp: T0 - 3600_001, sign: robotSign(secret, T0 - 3600_001) },
					})
				).body,
			).toEqual(expected.timestampExpired);
			expect((await dingSend(keywords, text('no keyword'))).body).toEqual(expected.keywordMissing);
			expect((await dingSend({ accessToken: 'ip-token' }, text('x'))).body).toEqual(
				expected.ipNotInWhitelist,
			);
		};
		await failures('current');
		ctx.emu.settings.set({ dingtalk: { robotErrorWording: 'legacy' } });
		await failures('legacy');
		// The wording covers only the 310000 texts: token and rate-limit answers keep theirs.
		expect((await dingSend({ accessToken: 'nope' }, text('x'))).body).toEqual({
			errcode: 300001,
			errmsg: TOKEN_NOT_EXIST,
		});
		for (let i = 0; i < 20; i += 1)
			expect((await dingSend(keywords, text(`告警 ${i}`))).body.errcode).toBe(0);
		expect((await dingSend(keywords, text('告警 20'))).body).toEqual(TOO_FAST);
		// Back to current, read on every answer.
		ctx.emu.settings.set({ dingtalk: { robotErrorWording: 'current' } });
		expect((await dingSend(signed, text('x'), { sign: {} })).body).toEqual(
			SECURITY.current.signMismatch,
		);
		expect(ctx.emu.dingtalk.robotMessages().map((message) => message.robot)).toEqual(
			Array(20).fill(keywords.name),
		);
	});

	// Sends from a second loopback address (127.0.0.2), which Linux routes locally like 127.0.0.1.
	test('the IP refusal is about the caller: legacy text names its address, the current one names none', async () => {
		ctx.emu.addSeed('dingtalk', 'robots', {
			name: 'ip',
			accessToken: 'ip-token',
			ipWhitelist: ['127.0.0.3'],
		});
		/** POST /robot/send?access_token=ip-token from a given local address. */
		const sendFrom = (/** @type {string} */ localAddress) =>
			new Promise((resolve, reject) => {
				const url = new URL(`${ctx.emu.baseUrls.dingtalkOapi}/robot/send?access_token=ip-token`);
				const request = http.request(
					url,
					{ method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
					(response) => {
						let data = '';
						response.setEncoding('utf8');
						response.on('data', (chunk) => (data += chunk));
						response.on('end', () => resolve(JSON.parse(data)));
					},
				);
				request.on('error', reject);
				request.end(JSON.stringify(text('from elsewhere')));
			});
		expect(await sendFrom('127.0.0.2')).toEqual(SECURITY.current.ipNotInWhitelist);
		expect(await sendFrom('127.0.0.3')).toEqual({ errcode: 0, errmsg: 'ok' });
		ctx.emu.settings.set({ dingtalk: { robotErrorWording: 'legacy' } });
		expect(await sendFrom('127.0.0.2')).toEqual({
			errcode: 310000,
			errmsg: 'ip 127.0.0.2 not in whitelist',
		});
		expect(await sendFrom('127.0.0.1')).toEqual({
			errcode: 310000,
			errmsg: 'ip 127.0.0.1 not in whitelist',
		});
		expect(ctx.emu.dingtalk.robotMessages('ip')).toHaveLength(1);
	});

	test('robot settings: live defaults, the allowed values, unknown values refused without any change', async () => {
		expect(ctx.emu.settings.get().dingtalk).toMatchObject({
			robotInvalidTokenErrcode: 300001,
			robotErrorWording: 'current',
			robotTooFastErrcode: 130101,
		});
		/** @type {[string, unknown[], unknown[]][]} */
		const cases = [
			['robotInvalidTokenErrcode', [300001, 300005, 400101], [300002, 40014, '300001', null]],
			['robotErrorWording', ['current', 'legacy'], ['english', 'Legacy', 'doc', '', 1]],
			['robotTooFastErrcode', [130101, 410100], [45009, 90018, '130101', undefined]],
		];
		for (const [key, allowed, refused] of cases) {
			for (const value of allowed)
				expect(ctx.emu.settings.set({ dingtalk: { [key]: value } }).dingtalk).toMatchObject({
					[key]: value,
				});
			ctx.emu.reset();
			for (const value of refused)
				expect(() => ctx.emu.settings.set({ dingtalk: { [key]: value } })).toThrow(
					`invalid value for dingtalk.${key}`,
				);
		}
		// One bad value in a patch: the good ones in it are not applied either.
		expect(() =>
			ctx.emu.settings.set({
				dingtalk: {
					robotErrorWording: 'legacy',
					robotTooFastErrcode: 410100,
					robotInvalidTokenErrcode: 1,
				},
			}),
		).toThrow('invalid value for dingtalk.robotInvalidTokenErrcode: 1');
		const bad = await ctx.client.control('/settings', {
			method: 'PATCH',
			body: { dingtalk: { robotErrorWording: 'legacy', robotTooFastErrcode: 429 } },
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error).toBe('invalid value for dingtalk.robotTooFastErrcode: 429');
		expect(() => ctx.emu.settings.set({ dingtalk: { robotWording: 'legacy' } })).toThrow(
			/unknown setting dingtalk\.robotWording; known: .*robotErrorWording.*robotTooFastErrcode/,
		);
		expect(ctx.emu.settings.get().dingtalk).toMatchObject({
			robotInvalidTokenErrcode: 300001,
			robotErrorWording: 'current',
			robotTooFastErrcode: 130101,
		});
		const { signed } = dingRobots();
		expect((await dingSend(signed, text('x'), { sign: {} })).body).toEqual(
			SECURITY.current.signMismatch,
		);
		// PATCH over the control API takes effect; reset() returns to the defaults.
		const patched = await ctx.client.control('/settings', {
			method: 'PATCH',
			body: { dingtalk: { robotErrorWording: 'legacy', robotInvalidTokenErrcode: 400101 } },
		});
		expect(patched.status).toBe(200);
		expect((await dingSend(signed, text('x'), { sign: {} })).body).toEqual(
			SECURITY.legacy.signMismatch,
		);
		expect((await dingSend({ accessToken: 'nope' }, text('x'))).body.errcode).toBe(400101);
		ctx.emu.reset();
		expect((await dingSend(signed, text('x'), { sign: {} })).body).toEqual(
			SECURITY.current.signMismatch,
		);
	});

	test('robot settings given to createEmulator: refused when unknown, kept across reset() when valid', async () => {
		await expect(
			createEmulator({ settings: { dingtalk: { robotErrorWording: 'old' } } }),
		).rejects.toThrow('invalid value for dingtalk.robotErrorWording: "old"');
		await expect(
			createEmulator({ settings: { dingtalk: { robotTooFastErrcode: 410101 } } }),
		).rejects.toThrow('invalid value for dingtalk.robotTooFastErrcode: 410101');
		const emu = await createEmulator({
			settings: {
				dingtalk: {
					robotErrorWording: 'legacy',
					robotInvalidTokenErrcode: 300005,
					robotTooFastErrcode: 410100,
				},
			},
		});
		try {
			emu.reset();
			const [, keywords] = emu.seed.dingtalk.robots;
			const send = (/** @type {string} */ accessToken, /** @type {unknown} */ body) =>
				call(`${emu.baseUrls.dingtalkOapi}/robot/send`, {
					query: { access_token: accessToken },
					body,
				});
			expect((await send('nope', text('x'))).body).toEqual({
				errcode: 300005,
				errmsg: TOKEN_NOT_EXIST,
			});
			expect((await send(keywords.accessToken, text('no keyword'))).body).toEqual(
				SECURITY.legacy.keywordMissing,
			);
			emu.clock.freeze(T0);
			for (let i = 0; i < 20; i += 1)
				expect((await send(keywords.accessToken, text(`告警 ${i}`))).body.errcode).toBe(0);
			expect((await send(keywords.accessToken, text('告警 20'))).body).toEqual(TOO_FAST_DOC);
		} finally {
			await emu.close();
		}
	});

	test('a sliding minute: the 21st message passes once the first is more than 60 s old', async () => {
		const { keywords } = dingRobots();
		for (let i = 0; i < 20; i += 1)
			expect((await dingSend(keywords, text(`告警 ${i}`))).body.errcode).toBe(0);
		ctx.emu.clock.advance(60_000);
		expect((await dingSend(keywords, text('告警 20'))).body).toEqual({ errcode: 0, errmsg: 'ok' });
	});

	test('msgUuid: a retry with the same key answers ok and is not posted again', async () => {
		const { keywords } = dingRobots();
		expect((await dingSend(keywords, { ...text('告警 1'), msgUuid: 'retry-1' })).body).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		expect((await dingSend(keywords, { ...text('告警 1'), msgUuid: 'retry-1' })).body).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		expect((await dingSend(keywords, { ...text('告警 2'), msgUuid: 'retry-2' })).body).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		expect(ctx.emu.dingtalk.robotMessages().map((message) => message.msgUuid)).toEqual([
			'retry-1',
			'retry-2',
		]);
	});
});

describe('WeCom group robot: POST /cgi-bin/webhook/send', () => {
	beforeEach(() => ctx.emu.clock.freeze(T0));

	test('a valid message answers exactly {errcode 0, errmsg ok}, whatever the Content-Type, and is recorded', async () => {
		const { status, body } = await weComSend({
			msgtype: 'text',
			text: {
				content: '发布完成',
				mentioned_list: ['ZhangSan', '@all'],
				mentioned_mobile_list: ['13800001111'],
			},
		});
		expect(status).toBe(200);
		expect(body).toEqual({ errcode: 0, errmsg: 'ok' });
		// JSON sent as text/plain (as many clients do) is read as JSON.
		expect(
			(
				await weComSend(undefined, {
					raw: JSON.stringify({ msgtype: 'markdown', markdown: { content: '**ok**' } }),
					headers: { 'content-type': 'text/plain' },
				})
			).body,
		).toEqual({ errcode: 0, errmsg: 'ok' });
		expect((await weComSend(imageOf(PNG))).body).toEqual({ errcode: 0, errmsg: 'ok' });
		const [first, second, third] = ctx.emu.wecom.robotMessages();
		expect(first).toEqual({
			id: 1,
			robot: '群机器人 Group robot',
			key: weComKey(),
			sentAt: T0,
			msgtype: 'text',
			content: {
				content: '发布完成',
				mentioned_list: ['ZhangSan', '@all'],
				mentioned_mobile_list: ['13800001111'],
			},
			mentionedList: ['ZhangSan', '@all'],
			mentionedMobileList: ['13800001111'],
			image: null,
		});
		expect(second).toMatchObject({ id: 2, msgtype: 'markdown', content: { content: '**ok**' } });
		expect(third).toMatchObject({
			id: 3,
			msgtype: 'image',
			image: { size: PNG.length, md5: crypto.createHash('md5').update(PNG).digest('hex') },
		});
	});

	test('refusals in the documented order: key (93000), body, msgtype, message (40035); none is recorded', async () => {
		const tail = (/** @type {number} */ code) =>
			expect.stringMatching(
				new RegExp(
					`, hint: \\[\\d+_\\d+_[0-9a-f]{32}\\], from ip: 127\\.0\\.0\\.1, more info at https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e=${code}$`,
				),
			);
		// 1. Key first (bad body too).
		for (const key of ['not-a-key', null, '']) {
			const { body } = await weComSend(undefined, { key, raw: '{oops' });
			expect(body).toEqual({
				errcode: 93000,
				errmsg: expect.stringMatching(/^invalid webhook url, hint: \[/),
			});
			expect(body.errmsg).toEqual(tail(93000));
		}
		// 2. Body: empty, malformed, not an object.
		for (const raw of ['', '{"msgtype":', '[1,2]']) {
			const { body } = await weComSend(undefined, {
				raw,
				headers: { 'content-type': 'application/json' },
			});
			expect(body.errcode).toBe(40035);
			expect(body.errmsg).toMatch(/^invalid parameter, Warning: wrong json format\., hint: /);
		}
		// 3. msgtype: missing, unknown (the credential check's), wrong case.
		for (const msgtype of [undefined, 'n8n_credential_check', 'TEXT']) {
			const { body } = await weComSend({ msgtype, text: { content: 'x' } });
			expect(body).toEqual({
				errcode: 40035,
				errmsg: expect.stringMatching(/^invalid parameter, invalid message type /),
			});
			expect(body.errmsg).toEqual(tail(40035));
		}
		// 4. The message itself.
		const refused = [
			[{ msgtype: 'text' }, 'missing text'],
			[{ msgtype: 'text', text: { content: '' } }, 'missing text.content'],
			[
				{ msgtype: 'text', text: { content: 'x', mentioned_list: 'ZhangSan' } },
				'text.mentioned_list must be an array of strings',
			],
			[{ msgtype: 'file', file: {} }, 'missing file.media_id'],
			[{ msgtype: 'voice', voice: { media_id: ' ' } }, 'missing voice.media_id'],
			[{ msgtype: 'news', news: { articles: [] } }, 'news.articles must hold 1 to 8 articles'],
			[
				{
					msgtype: 'news',
					news: { articles: Array.from({ length: 9 }, () => ({ title: 't', url: 'https://e.x' })) },
				},
				'news.articles must hold 1 to 8 articles',
			],
			[{ msgtype: 'news', news: { articles: [{ title: 't' }] } }, 'missing news.articles[0].url'],
			[
				{ msgtype: 'template_card', template_card: { card_type: 'vote_interaction' } },
				'template_card.card_type must be one of text_notice, news_notice',
			],
			[
				{
					msgtype: 'template_card',
					template_card: {
						card_type: 'text_notice',
						main_title: { title: 't' },
						card_action: { type: 1 },
					},
				},
				'missing template_card.card_action.url',
			],
		];
		for (const [message, detail] of refused) {
			const { body } = await weComSend(message);
			expect(body).toEqual({
				errcode: 40035,
				errmsg: expect.stringContaining(`invalid parameter, ${detail}, hint: [`),
			});
		}
		expect(ctx.emu.wecom.robotMessages()).toEqual([]);
	});

	test('limits: text 2048 bytes, markdown and markdown_v2 4096 bytes (UTF-8), image JPG/PNG up to 2 MB with its md5', async () => {
		const ok = { errcode: 0, errmsg: 'ok' };
		const tooLong = (
			/** @type {string} */ field,
			/** @type {number} */ bytes,
			/** @type {number} */ max,
		) => ({
			errcode: 40035,
			errmsg: expect.stringContaining(
				`invalid parameter, ${field} is ${bytes} bytes, at most ${max}, hint:`,
			),
		});
		expect(
			(await weComSend({ msgtype: 'text', text: { content: '字'.repeat(682) + 'ab' } })).body,
		).toEqual(ok); // 2048 bytes
		expect(
			(await weComSend({ msgtype: 'text', text: { content: '字'.repeat(683) } })).body,
		).toEqual(tooLong('text.content', 2049, 2048));
		expect(
			(await weComSend({ msgtype: 'markdown', markdown: { content: 'x'.repeat(4096) } })).body,
		).toEqual(ok);
		expect(
			(await weComSend({ msgtype: 'markdown', markdown: { content: 'x'.repeat(4097) } })).body,
		).toEqual(tooLong('markdown.content', 4097, 4096));
		expect(
			(await weComSend({ msgtype: 'markdown_v2', markdown_v2: { content: 'x'.repeat(4097) } }))
				.body,
		).toEqual(tooLong('markdown_v2.content', 4097, 4096));

		const jpeg = Buffer.concat([
			Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
			Buffer.alloc(2 * 1024 * 1024 - 4),
		]); // exactly 2 MB
		expect((await weComSend(imageOf(jpeg))).body).toEqual(ok);
		const bigger = Buffer.concat([jpeg, Buffer.from([0])]);
		expect((await weComSend(imageOf(bigger))).body).toEqual({
			errcode: 40035,
			errmsg: expect.stringContaining(`image is ${bigger.length} bytes, at most 2097152`),
		});
		expect((await weComSend(imageOf(Buffer.from('GIF89a-not-allowed')))).body).toEqual({
			errcode: 40035,
			errmsg: expect.stringContaining('image must be JPG or PNG'),
		});
		expect((await weComSend(imageOf(PNG, 'd41d8cd98f00b204e9800998ecf8427e'))).body).toEqual({
			errcode: 40035,
			errmsg: expect.stringContaining('image.md5 is not the md5 of the image'),
		});
		expect(
			(
				await weComSend(
					imageOf(PNG, crypto.createHash('md5').update(PNG).digest('hex').toUpperCase()),
				)
			).body,
		).toEqual(ok);
		expect(ctx.emu.wecom.robotMessages().map((message) => message.msgtype)).toEqual([
			'text',
			'markdown',
			'image',
			'image',
		]);
	});

	test('rate limit: 20 per minute per robot; the 21st is 45009, and sending works again once the minute slides on', async () => {
		ctx.emu.addSeed('wecom', 'robots', { key: 'second-robot', name: 'second' });
		for (let i = 0; i < 20; i += 1) {
			expect((await weComSend({ msgtype: 'text', text: { content: `m${i}` } })).body).toEqual({
				errcode: 0,
				errmsg: 'ok',
			});
			ctx.emu.clock.advance(1000);
		}
		const { body } = await weComSend({ msgtype: 'text', text: { content: 'm20' } });
		expect(body).toEqual({
			errcode: 45009,
			errmsg: expect.stringMatching(/^api freq out of limit, hint: \[/),
		});
		expect(
			(await weComSend({ msgtype: 'text', text: { content: 'other' } }, { key: 'second-robot' }))
				.body,
		).toEqual({ errcode: 0, errmsg: 'ok' });
		// The first message (T0) leaves the window at T0 + 60 s: no 10-minute throttle on WeCom.
		ctx.emu.clock.freeze(T0 + 60_000);
		expect((await weComSend({ msgtype: 'text', text: { content: 'm21' } })).body).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		expect((await weComSend({ msgtype: 'text', text: { content: 'm22' } })).body.errcode).toBe(
			45009,
		);
		expect(ctx.emu.wecom.robotMessages(weComKey())).toHaveLength(21);
		expect(ctx.emu.wecom.robotMessages('second')).toHaveLength(1);
	});
});

describe('robots: seed webhook URLs, control API, reset', () => {
	test('emu.seed robots carry full webhook URLs that work when POSTed to', async () => {
		const { signed, keywords } = dingRobots();
		expect(keywords.webhookUrl).toBe(
			`${ctx.emu.baseUrls.dingtalkOapi}/robot/send?access_token=${keywords.accessToken}`,
		);
		expect(
			(await call(/** @type {string} */ (keywords.webhookUrl), { body: text('告警 via seed URL') }))
				.body,
		).toEqual({ errcode: 0, errmsg: 'ok' });
		const timestamp = ctx.emu.clock.now();
		const signedUrl = `${signed.webhookUrl}&timestamp=${timestamp}&sign=${encodeURIComponent(robotSign(/** @type {string} */ (signed.secret), timestamp))}`;
		expect((await call(signedUrl, { body: text('signed via seed URL') })).body).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});

		const [group] = ctx.emu.seed.wecom.robots;
		expect(group.webhookUrl).toBe(
			`${ctx.emu.baseUrls.wecom}/cgi-bin/webhook/send?key=${group.key}`,
		);
		expect(
			(
				await call(/** @type {string} */ (group.webhookUrl), {
					body: { msgtype: 'text', text: { content: 'via seed URL' } },
				})
			).body,
		).toEqual({ errcode: 0, errmsg: 'ok' });

		// Robots added later get URLs too, and GET /__emulator/seed shows them.
		ctx.emu.addSeed('wecom', 'robots', { key: 'added-key' });
		const seed = (await ctx.client.control('/seed')).body;
		expect(seed.wecom.robots.map((/** @type {any} */ robot) => robot.webhookUrl)).toEqual([
			group.webhookUrl,
			`${ctx.emu.baseUrls.wecom}/cgi-bin/webhook/send?key=added-key`,
		]);
		expect(seed.dingtalk.robots[0].webhookUrl).toBe(signed.webhookUrl);
	});

	test('GET /__emulator/dingtalk/robot-messages and /wecom/robot-messages, with ?robot=', async () => {
		const { keywords } = dingRobots();
		ctx.emu.addSeed('dingtalk', 'robots', { name: 'plain', accessToken: 'plain-token' });
		await dingSend(keywords, text('告警 1'));
		await dingSend({ accessToken: 'plain-token' }, text('plain 1'));
		await weComSend({ msgtype: 'text', text: { content: 'wecom 1' } });

		const all = await ctx.client.control('/dingtalk/robot-messages');
		expect(all.status).toBe(200);
		expect(all.body.messages.map((/** @type {any} */ message) => message.content.content)).toEqual([
			'告警 1',
			'plain 1',
		]);
		const byName = await ctx.client.control('/dingtalk/robot-messages', {
			query: { robot: 'plain' },
		});
		expect(byName.body.messages.map((/** @type {any} */ message) => message.accessToken)).toEqual([
			'plain-token',
		]);
		const byToken = await ctx.client.control('/dingtalk/robot-messages', {
			query: { robot: keywords.accessToken },
		});
		expect(byToken.body.messages).toHaveLength(1);

		const wecom = await ctx.client.control('/wecom/robot-messages', {
			query: { robot: weComKey() },
		});
		expect(wecom.body).toEqual({ messages: ctx.emu.wecom.robotMessages() });
		expect(wecom.body.messages[0].content).toEqual({ content: 'wecom 1' });
		expect(
			(await ctx.client.control('/wecom/robot-messages', { query: { robot: 'nobody' } })).body,
		).toEqual({ messages: [] });

		const overview = (await ctx.client.control('')).body.routes.join('\n');
		expect(overview).toContain('GET /__emulator/dingtalk/robot-messages');
		expect(overview).toContain('GET /__emulator/wecom/robot-messages');
	});

	test('reset() forgets robot messages, throttles and rate windows', async () => {
		ctx.emu.clock.freeze(T0);
		const { keywords } = dingRobots();
		for (let i = 0; i < 21; i += 1) await dingSend(keywords, text(`告警 ${i}`));
		for (let i = 0; i < 21; i += 1) await weComSend({ msgtype: 'text', text: { content: `${i}` } });
		expect((await dingSend(keywords, text('告警'))).body).toEqual(TOO_FAST);
		expect((await weComSend({ msgtype: 'text', text: { content: 'x' } })).body.errcode).toBe(45009);

		await ctx.client.control('/reset', { method: 'POST' });
		ctx.emu.clock.freeze(T0);
		expect(ctx.emu.dingtalk.robotMessages()).toEqual([]);
		expect(ctx.emu.wecom.robotMessages()).toEqual([]);
		expect((await dingSend(keywords, text('告警 after reset'))).body).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		expect((await weComSend({ msgtype: 'text', text: { content: 'after reset' } })).body).toEqual({
			errcode: 0,
			errmsg: 'ok',
		});
		expect(ctx.emu.state.dingtalk.robotMessages).toHaveLength(1);
	});
});
