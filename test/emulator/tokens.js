// @ts-check
'use strict';

const { EmulatorInputError } = require('./inputError');
const { PLATFORMS } = require('./match');

/**
 * Access tokens of both platforms: issue, validate, expire. The data lives in `state.tokens` so
 * that `reset()` and `GET /__emulator/state` see it like everything else.
 *
 * How a platform answers a token request while its previous token is still valid is a policy:
 * - `extend` (DingTalk): same token, life extended to a full lifetime
 *   (https://open.dingtalk.com/document/development/obtain-orgapp-token,
 *   https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app).
 * - `keep` (WeCom, "有效期内重复获取返回相同结果", https://developer.work.weixin.qq.com/document/path/91039): same token,
 *   same expiry, `expires_in` = the remaining seconds.
 *
 * @typedef {object} TokenRecord
 * @property {string} token
 * @property {string} platform
 * @property {string} owner      DingTalk: appKey. WeCom: "corpId/agentId".
 * @property {number} issuedAt   emulator clock, ms
 * @property {number} expiresAt  emulator clock, ms
 *
 * @typedef {{ lifetimes: Record<string, number>, issued: TokenRecord[] }} TokenData
 *
 * @typedef {object} TokenPolicy
 * @property {'extend'|'keep'} renewal
 * @property {(ids: import('./ids').IdSource) => string} mint  text of a new token
 *
 * @typedef {{ status: 'valid', record: TokenRecord } | { status: 'expired', record: TokenRecord } | { status: 'unknown' }} TokenCheck
 */

const DEFAULT_LIFETIME_SECONDS = 7200;

/** @returns {TokenData} */
function createTokenData() {
	return {
		lifetimes: { dingtalk: DEFAULT_LIFETIME_SECONDS, wecom: DEFAULT_LIFETIME_SECONDS },
		issued: [],
	};
}

function checkPlatform(/** @type {unknown} */ platform) {
	if (typeof platform !== 'string' || !PLATFORMS.includes(platform)) {
		throw new EmulatorInputError(
			`platform must be one of ${PLATFORMS.join(', ')}, got ${String(platform)}`,
		);
	}
	return platform;
}

/**
 * @param {object} deps
 * @param {import('./clock').Clock} deps.clock
 * @param {import('./ids').IdSource} deps.ids
 * @param {Record<string, TokenPolicy>} deps.policies
 * @param {() => TokenData} deps.data  the current state's token data
 */
function createTokenStore({ clock, ids, policies, data }) {
	return {
		/**
		 * A token for `owner`: the current one if still valid (per the platform's renewal policy),
		 * otherwise a new one.
		 * @param {string} platform
		 * @param {string} owner
		 * @returns {{ token: string, expiresIn: number }}
		 */
		issue(platform, owner) {
			const now = clock.now();
			const { lifetimes, issued } = data();
			const lifetimeMs = lifetimes[platform] * 1000;
			const current = issued.findLast(
				(record) =>
					record.platform === platform && record.owner === owner && record.expiresAt > now,
			);
			if (current) {
				if (policies[platform].renewal === 'extend') current.expiresAt = now + lifetimeMs;
				return { token: current.token, expiresIn: Math.floor((current.expiresAt - now) / 1000) };
			}
			const record = {
				token: policies[platform].mint(ids),
				platform,
				owner,
				issuedAt: now,
				expiresAt: now + lifetimeMs,
			};
			issued.push(record);
			return { token: record.token, expiresIn: lifetimes[platform] };
		},

		/**
		 * @param {string} platform
		 * @param {string} token
		 * @returns {TokenCheck}
		 */
		check(platform, token) {
			const record = data().issued.find(
				(item) => item.platform === platform && item.token === token,
			);
			if (!record) return { status: 'unknown' };
			return record.expiresAt > clock.now()
				? { status: 'valid', record }
				: { status: 'expired', record };
		},

		/**
		 * Every valid token (of one platform, or all) expires now. Returns how many did.
		 * @param {string} [platform]
		 */
		expireAll(platform) {
			if (platform !== undefined) checkPlatform(platform);
			const now = clock.now();
			let count = 0;
			for (const record of data().issued) {
				if ((platform === undefined || record.platform === platform) && record.expiresAt > now) {
					record.expiresAt = now;
					count += 1;
				}
			}
			return count;
		},

		/** Lifetime (`expires_in`) of tokens issued or extended from now on. */
		setLifetime(/** @type {string} */ platform, /** @type {number} */ seconds) {
			checkPlatform(platform);
			if (!Number.isInteger(seconds) || seconds < 1)
				throw new EmulatorInputError(`seconds must be a positive integer, got ${seconds}`);
			data().lifetimes[platform] = seconds;
		},

		lifetime: (/** @type {string} */ platform) => data().lifetimes[checkPlatform(platform)],

		/** @returns {TokenRecord[]} */
		list: () => data().issued.map((record) => ({ ...record })),
	};
}

/** @typedef {ReturnType<typeof createTokenStore>} TokenStore */

module.exports = { createTokenStore, createTokenData };
