// What the send benchmark sends on each platform: the quota as the platform documents it, the
// node with its parameters and credential for the pack, and the same calls written out by hand
// for the undici loops. Plain data and small functions; imports nothing, so every process of the
// benchmark (the emulator, the bare loop's memory child) can load it without loading the pack.

/** Answers meaning "over the quota, not done": DingTalk 90018 (90002, 90006), WeCom 45009 (45033). */
const RATE_LIMIT_ERRCODES = new Set([90018, 90002, 90006, 45009, 45033]);

/** @param {number} status @param {any} body */
export function isRateLimitAnswer(status, body) {
	if (body && typeof body === 'object') {
		if (RATE_LIMIT_ERRCODES.has(Number(body.errcode))) return true;
		// DingTalk's new API: HTTP 403 Forbidden.AccessDenied.QpsLimitForAppkeyAndApi (or Qpm…).
		if (status === 403 && /Qp[sm]Limit/.test(String(body.code))) return true;
	}
	return false;
}

/** @param {number} status @param {any} body */
export function isOkAnswer(status, body) {
	return status === 200 && !!body && typeof body === 'object' && Number(body.errcode ?? 0) === 0;
}

/** A user-facing error (error item or failed execution) caused by the quota. */
export function isRateLimitError(/** @type {any} */ error) {
	if (!error) return false;
	let text = `${error.message ?? ''} ${error.description ?? ''}`;
	try {
		text += ` ${JSON.stringify(error)}`;
	} catch {
		// circular: message and description are enough
	}
	return /\b(90018|90002|90006|45009|45033)\b|Qp[sm]Limit|QuotaWaitExceeded|quota wait/i.test(text);
}

const json = { 'content-type': 'application/json' };
const pathOf = (/** @type {string} */ url) => new URL(url).pathname.replace(/\/$/, '');

/**
 * @typedef {{ user: string, text: string }} BenchItem
 * @typedef {{ method: 'GET' | 'POST', path: string, headers?: Record<string, string>, body?: string }} HttpCall
 * @typedef {{ appKey?: string, appSecret?: string, corpId?: string, corpSecret?: string, agentId: number, users: string[] }} BenchSeed
 * @typedef {{ dingtalkOapi: string, dingtalkApi: string, wecom: string }} BaseUrls
 */

export const PLATFORMS = {
	dingtalk: {
		id: 'dingtalk',
		name: 'DingTalk',
		what: 'work notifications (Work Notification → Send, asyncsend_v2)',
		// 20 calls per second per app and API on standard-edition organisations (the figure the
		// pack's DingTalk profile quotes too).
		quota: {
			spec: { platform: /** @type {const} */ ('dingtalk'), perSecond: 20 },
			perSecond: 20,
			text: '20 calls/s per app per API',
		},
		tokenPaths: ['/v1.0/oauth2/accessToken', '/gettoken'],
		nodeType: 'n8n-nodes-dingtalk-wecom.dingTalk',
		nodeClass: 'DingTalk',
		credentialClass: 'DingTalkApi',
		credentialType: 'dingTalkApi',
		profile: { module: 'nodes/DingTalk/platform/profile', name: 'dingTalkProfile' },
		parameters: {
			resource: 'workNotification',
			operation: 'send',
			sendTo: 'specific',
			userIds: '={{ $json.user }}',
			messageType: 'text',
			text: '={{ $json.text }}',
			options: {},
		},
		/** The credential as saved with its defaults: no pacing field, so the pack's default applies. */
		credentials: (/** @type {BenchSeed} */ seed, /** @type {BaseUrls} */ baseUrls) => ({
			appKey: seed.appKey,
			appSecret: seed.appSecret,
			agentId: String(seed.agentId),
			oapiBaseUrl: baseUrls.dingtalkOapi,
			apiBaseUrl: baseUrls.dingtalkApi,
			accessToken: '',
		}),
		sentId: (/** @type {any} */ item) => item?.taskId,
		/** @param {BenchSeed} seed @param {BaseUrls} baseUrls */
		calls(seed, baseUrls) {
			const oapi = pathOf(baseUrls.dingtalkOapi);
			const api = pathOf(baseUrls.dingtalkApi);
			return {
				origin: new URL(baseUrls.dingtalkOapi).origin,
				/** @type {HttpCall} */
				token: {
					method: 'POST',
					path: `${api}/v1.0/oauth2/accessToken`,
					headers: json,
					body: JSON.stringify({ appKey: seed.appKey, appSecret: seed.appSecret }),
				},
				tokenOf: (/** @type {any} */ body) => String(body.accessToken),
				/** @returns {HttpCall} */
				send: (/** @type {string} */ token, /** @type {BenchItem} */ item) => ({
					method: 'POST',
					path: `${oapi}/topapi/message/corpconversation/asyncsend_v2?access_token=${token}`,
					headers: json,
					body: JSON.stringify({
						agent_id: seed.agentId,
						userid_list: item.user,
						msg: { msgtype: 'text', text: { content: item.text } },
					}),
				}),
			};
		},
	},
	wecom: {
		id: 'wecom',
		name: 'WeCom',
		what: 'app messages (App Message → Send, message/send)',
		// 10,000 calls per minute per API for the whole company (the figure the pack's WeCom
		// profile quotes too); the emulator counts it per corpId and API.
		quota: {
			spec: { platform: /** @type {const} */ ('wecom'), perMinute: 10_000 },
			perSecond: 10_000 / 60,
			text: '10,000 calls/min per app per API',
		},
		tokenPaths: ['/cgi-bin/gettoken'],
		nodeType: 'n8n-nodes-dingtalk-wecom.weCom',
		nodeClass: 'WeCom',
		credentialClass: 'WeComApi',
		credentialType: 'weComApi',
		profile: { module: 'nodes/WeCom/platform/profile', name: 'weComProfile' },
		parameters: {
			resource: 'appMessage',
			operation: 'send',
			sendTo: 'specific',
			userIds: '={{ $json.user }}',
			departmentIds: '',
			tagIds: '',
			messageType: 'text',
			content: '={{ $json.text }}',
			options: {},
		},
		credentials: (/** @type {BenchSeed} */ seed, /** @type {BaseUrls} */ baseUrls) => ({
			corpId: seed.corpId,
			corpSecret: seed.corpSecret,
			agentId: String(seed.agentId),
			baseUrl: baseUrls.wecom,
			accessToken: '',
		}),
		sentId: (/** @type {any} */ item) => item?.msgid,
		/** @param {BenchSeed} seed @param {BaseUrls} baseUrls */
		calls(seed, baseUrls) {
			const base = pathOf(baseUrls.wecom);
			const query = new URLSearchParams({
				corpid: String(seed.corpId),
				corpsecret: String(seed.corpSecret),
			});
			return {
				origin: new URL(baseUrls.wecom).origin,
				/** @type {HttpCall} */
				token: { method: 'GET', path: `${base}/cgi-bin/gettoken?${query}` },
				tokenOf: (/** @type {any} */ body) => String(body.access_token),
				/** @returns {HttpCall} */
				send: (/** @type {string} */ token, /** @type {BenchItem} */ item) => ({
					method: 'POST',
					path: `${base}/cgi-bin/message/send?access_token=${token}`,
					headers: json,
					body: JSON.stringify({
						touser: item.user,
						msgtype: 'text',
						agentid: seed.agentId,
						text: { content: item.text },
					}),
				}),
			};
		},
	},
};

/**
 * One message to one user per item, users in turn, text unique per run (so DingTalk's "same
 * content to the same user on the same day" flow control never applies).
 * @param {BenchSeed} seed @param {number} count @param {string} tag
 * @returns {BenchItem[]}
 */
export function benchItems(seed, count, tag) {
	return Array.from({ length: count }, (_, i) => ({
		user: seed.users[i % seed.users.length],
		text: `benchmark ${tag} message ${i + 1}`,
	}));
}
