// @ts-check
'use strict';

const { EmulatorInputError } = require('./inputError');
const { isPlainObject } = require('./values');

/**
 * Switches for behaviour the official docs leave open or where sources disagree. Defaults follow
 * the documented or live-observed form; README.md explains each one.
 */
function defaultSettings() {
	return {
		dingtalk: {
			/**
			 * asyncsend_v2 list limits: 'doc' = 100 users / 20 depts (https://open.dingtalk.com/document/development/asynchronous-sending-of-enterprise-session-messages),
			 * 'sdk' = 5000 / 500 (`check()` in https://github.com/opendingtalk/alibaba-dingtalk-service-sdk/blob/master/src/main/java/com/dingtalk/api/request/OapiMessageCorpconversationAsyncsendV2Request.java).
			 */
			recipientLimits: /** @type {'doc'|'sdk'} */ ('doc'),
			/** HTTP status of v1.0 InvalidAuthentication: 400 observed, 401 in the code table. */
			invalidAuthenticationStatus: /** @type {400|401} */ (400),
			/** Old-API gettoken with wrong credentials: 40096 observed, 40089 in the code table. */
			badCredentialsErrcode: /** @type {40096|40089} */ (40096),
			/** Max UTF-8 bytes of asyncsend_v2 `msg` as JSON (https://open.dingtalk.com/document/development/asynchronous-sending-of-enterprise-session-messages); 0 = no limit. */
			msgMaxBytes: 2048,
			/** Progress a new work-notification task starts with (status 2 = done). */
			newTaskProgress: { progress_in_percent: 100, status: 2 },
			/**
			 * robot/send with an unknown or empty access_token: 300001 "token is not exist" as users
			 * report it live (e.g. https://github.com/timonwong/prometheus-webhook-dingtalk/issues/91);
			 * 300005, same text, from an external group's robot
			 * (https://github.com/timonwong/prometheus-webhook-dingtalk/issues/226); 400101 only in
			 * https://open.dingtalk.com/document/development/custom-robots-send-group-messages.
			 */
			robotInvalidTokenErrcode: /** @type {300001|300005|400101} */ (300001),
			/**
			 * errmsg of robot/send's 310000 security failures (sources in README.md, Group robots):
			 * 'current' = the newer Chinese `description:…;solution:…;` texts, 'legacy' = the older
			 * English `…, more: [doc-url]` ones.
			 */
			robotErrorWording: /** @type {'current'|'legacy'} */ ('current'),
			/**
			 * robot/send over 20 messages a minute: 130101 reported live
			 * (https://github.com/ccfos/nightingale/issues/369), 410100 only in
			 * https://open.dingtalk.com/document/development/custom-robots-send-group-messages.
			 */
			robotTooFastErrcode: /** @type {130101|410100} */ (130101),
			/**
			 * What the contacts APIs let the app read: 'full'; 'noNames' (the app may read ids but not
			 * names, mobiles or e-mails: those fields are left out); 'none' (no contacts permission:
			 * every contacts call is refused with the platform's permission errcode).
			 */
			contactsPermission: /** @type {'full'|'noNames'|'none'} */ ('full'),
			/** Departments the app may see, with their sub-departments ([1] = the whole org). */
			contactsScope: /** @type {number[]} */ ([1]),
			/**
			 * /v1.0/contact/users/search: internal apps may not use it ("企业内部应用 暂不支持",
			 * https://developers.dingtalk.com/document/isvapp/address-book-search-user-id), so the
			 * emulator's apps are refused; 'allowed' answers as for a third-party enterprise app.
			 */
			userSearch: /** @type {'internalApp'|'allowed'} */ ('internalApp'),
		},
		wecom: {
			/** message/send: 'omit' leaves out empty invaliduser/invalidparty/invalidtag/unlicenseduser, 'empty' sends "". */
			emptyRecipientLists: /** @type {'omit'|'empty'} */ ('omit'),
			/** text.content over 2048 bytes: 'truncate' ("超过将截断", https://developer.work.weixin.qq.com/document/path/90236) or 'reject' (errcode 40035). */
			overlongText: /** @type {'truncate'|'reject'} */ ('truncate'),
			/**
			 * What the contacts APIs let the app read: 'full'; 'noNames' (an app created after
			 * 2022-06-20: user/get and user/list leave out avatar, gender, mobile, email, biz_mail,
			 * qr_code, address, https://developer.work.weixin.qq.com/document/path/96255, and names
			 * are answered as ids: the userid for members, the id for departments, per each page's
			 * field note); 'none' (no contacts permission: 48002 / 60011). See wecom/contacts.js.
			 */
			contactsPermission: /** @type {'full'|'noNames'|'none'} */ ('full'),
			/** Departments the app may see, with their sub-departments ([1] = the whole corp). */
			contactsScope: /** @type {number[]} */ ([1]),
		},
	};
}

/** @typedef {ReturnType<typeof defaultSettings>} Settings */

const departmentIdList = (/** @type {unknown} */ value) =>
	Array.isArray(value) &&
	value.length > 0 &&
	value.every((id) => Number.isInteger(id) && Number(id) >= 1);

/** Allowed values per setting; a function validates free-form ones. */
const ALLOWED = {
	dingtalk: {
		recipientLimits: ['doc', 'sdk'],
		invalidAuthenticationStatus: [400, 401],
		badCredentialsErrcode: [40096, 40089],
		msgMaxBytes: (/** @type {unknown} */ value) => Number.isInteger(value) && Number(value) >= 0,
		newTaskProgress: (/** @type {any} */ value) =>
			isPlainObject(value) &&
			Number.isInteger(value.progress_in_percent) &&
			value.progress_in_percent >= 0 &&
			value.progress_in_percent <= 100 &&
			[0, 1, 2].includes(value.status),
		robotInvalidTokenErrcode: [300001, 300005, 400101],
		robotErrorWording: ['current', 'legacy'],
		robotTooFastErrcode: [130101, 410100],
		contactsPermission: ['full', 'noNames', 'none'],
		contactsScope: departmentIdList,
		userSearch: ['internalApp', 'allowed'],
	},
	wecom: {
		emptyRecipientLists: ['omit', 'empty'],
		overlongText: ['truncate', 'reject'],
		contactsPermission: ['full', 'noNames', 'none'],
		contactsScope: departmentIdList,
	},
};

/**
 * Applies a partial update such as `{ dingtalk: { recipientLimits: 'sdk' } }` in place, after
 * checking every key and value (nothing changes when something is wrong).
 * @param {Settings} settings
 * @param {unknown} patch
 */
function applySettings(settings, patch) {
	if (!isPlainObject(patch))
		throw new EmulatorInputError(
			'settings must be an object such as { "dingtalk": { "recipientLimits": "sdk" } }',
		);
	for (const [platform, values] of Object.entries(patch)) {
		const allowed = /** @type {Record<string, unknown>} */ (ALLOWED)[platform];
		if (!allowed)
			throw new EmulatorInputError(
				`unknown settings group ${platform}; known: ${Object.keys(ALLOWED).join(', ')}`,
			);
		if (!isPlainObject(values))
			throw new EmulatorInputError(`settings.${platform} must be an object`);
		for (const [key, value] of Object.entries(values)) {
			const rule = /** @type {Record<string, unknown>} */ (allowed)[key];
			if (!rule)
				throw new EmulatorInputError(
					`unknown setting ${platform}.${key}; known: ${Object.keys(allowed).join(', ')}`,
				);
			const ok =
				typeof rule === 'function' ? rule(value) : /** @type {unknown[]} */ (rule).includes(value);
			if (!ok)
				throw new EmulatorInputError(
					`invalid value for ${platform}.${key}: ${JSON.stringify(value)}`,
				);
		}
	}
	for (const [platform, values] of Object.entries(patch)) {
		Object.assign(/** @type {Record<string, object>} */ (settings)[platform], values);
	}
	return settings;
}

module.exports = { defaultSettings, applySettings };
