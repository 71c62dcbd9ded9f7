// @ts-check
'use strict';

const { defaultSettings, applySettings } = require('./settings');
const { createTokenData } = require('./tokens');
const { dingtalkPlatform } = require('./dingtalk');
const { wecomPlatform } = require('./wecom');

/**
 * All mutable platform data, as plain JSON-able objects: `reset()` builds a fresh one and
 * `GET /__emulator/state` serialises it. (Faults, quotas and the request log live outside.)
 *
 * @typedef {object} EmulatorState
 * @property {import('./settings').Settings} settings
 * @property {import('./tokens').TokenData} tokens
 * @property {import('./dingtalk').DingTalkState} dingtalk
 * @property {import('./wecom').WeComState} wecom
 *
 * Sizes of the seeded orgs. Departments beyond the named ones are generated nested under them.
 * @typedef {{ dingtalkUserCount?: number, dingtalkDepartmentCount?: number, wecomUserCount?: number, wecomDepartmentCount?: number }} SeedOptions
 */

const PLATFORMS = { dingtalk: dingtalkPlatform, wecom: wecomPlatform };

/** @param {{ settings?: unknown, seed?: SeedOptions }} options @returns {EmulatorState} */
function createState({ settings, seed = {} }) {
	const initialSettings = defaultSettings();
	if (settings !== undefined) applySettings(initialSettings, settings);
	return {
		settings: initialSettings,
		tokens: createTokenData(),
		dingtalk: dingtalkPlatform.createState(seed),
		wecom: wecomPlatform.createState(seed),
	};
}

module.exports = { createState, PLATFORMS };
