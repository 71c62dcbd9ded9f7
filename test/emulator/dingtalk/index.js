// @ts-check
'use strict';

const { createDingTalkOrg } = require('./seed');
const { DINGTALK_SEED_KINDS } = require('./org');
const { createFlowControl } = require('./workNotification');
const { oapiFamily } = require('./oapi');
const { apiFamily } = require('./api');

/**
 * DingTalk as the emulator sees it: two families (old API, new API), a token policy, the seeded
 * organisation plus the runtime collections.
 *
 * @typedef {import('./seed').DingTalkOrg & {
 *   tasks: import('./workNotification').WorkTask[],
 *   flowControl: import('./workNotification').FlowControl,
 * }} DingTalkState
 */

/** @param {{ dingtalkUserCount?: number }} options @returns {DingTalkState} */
function createDingTalkState(options) {
	return { ...createDingTalkOrg(options), tasks: [], flowControl: createFlowControl() };
}

/** The credentials and ids tests need (`emu.seed.dingtalk`). */
function describeDingTalkSeed(/** @type {DingTalkState} */ state) {
	const [primary] = state.apps;
	return {
		corpId: state.corpId,
		appKey: primary.appKey,
		appSecret: primary.appSecret,
		agentId: primary.agentId,
		apps: state.apps.map((app) => ({ ...app })),
		robots: state.robots.map((robot) => ({ ...robot })),
		users: state.users.map((user) => user.userid),
		departments: state.departments.map(({ dept_id, parent_id, name, name_en }) => ({ dept_id, parent_id, name, name_en })),
	};
}

const dingtalkPlatform = {
	name: /** @type {const} */ ('dingtalk'),
	families: [oapiFamily, apiFamily],
	/** @type {import('../tokens').TokenPolicy} 32 hex characters, like real DingTalk tokens. */
	tokenPolicy: { renewal: 'extend', mint: (ids) => ids.digest('dingtalk-token').toString('hex').slice(0, 32) },
	createState: createDingTalkState,
	describeSeed: describeDingTalkSeed,
	seedKinds: DINGTALK_SEED_KINDS,
};

module.exports = { dingtalkPlatform };
