// @ts-check
'use strict';

const { createDingTalkOrg } = require('./seed');
const { DINGTALK_SEED_KINDS } = require('./org');
const { createFlowControl } = require('./workNotification');
const { oapiFamily } = require('./oapi');
const { createRobotState, ROBOT_SEND_PATH } = require('./robot');
const { apiFamily } = require('./api');
const { createApprovalState } = require('./approvals');

/**
 * DingTalk as the emulator sees it: two families (old API, new API), a token policy, the seeded
 * organisation plus the runtime collections.
 *
 * @typedef {import('./seed').DingTalkOrg & {
 *   tasks: import('./workNotification').WorkTask[],
 *   flowControl: import('./workNotification').FlowControl,
 *   robotMessages: import('./robot').RobotMessage[],
 *   robotFlow: Record<string, import('./robot').RobotFlow>,
 * }} DingTalkState
 */

/**
 * @param {{ dingtalkUserCount?: number, dingtalkDepartmentCount?: number }} options seed sizes
 * @returns {DingTalkState}
 */
function createDingTalkState(options) {
	return {
		...createDingTalkOrg(options),
		tasks: [],
		flowControl: createFlowControl(),
		...createRobotState(),
		...createApprovalState(),
	};
}

/**
 * The credentials and ids tests need (`emu.seed.dingtalk`). Robots carry `webhookPath` (after the
 * old-API base URL) and, when the base URLs are passed, the full `webhookUrl`.
 * @param {DingTalkState} state
 * @param {{ dingtalkOapi: string }} [baseUrls]
 */
function describeDingTalkSeed(state, baseUrls) {
	const [primary] = state.apps;
	return {
		corpId: state.corpId,
		appKey: primary.appKey,
		appSecret: primary.appSecret,
		agentId: primary.agentId,
		apps: state.apps.map((app) => ({ ...app })),
		robots: state.robots.map((robot) => {
			const webhookPath = `${ROBOT_SEND_PATH}?access_token=${robot.accessToken}`;
			return {
				...robot,
				webhookPath,
				...(baseUrls ? { webhookUrl: `${baseUrls.dingtalkOapi}${webhookPath}` } : {}),
			};
		}),
		users: state.users.map((user) => user.userid),
		departments: state.departments.map(({ dept_id, parent_id, name, name_en }) => ({
			dept_id,
			parent_id,
			name,
			name_en,
		})),
	};
}

const dingtalkPlatform = {
	name: /** @type {const} */ ('dingtalk'),
	families: [oapiFamily, apiFamily],
	/** @type {import('../tokens').TokenPolicy} 32 hex characters, like real DingTalk tokens. */
	tokenPolicy: {
		renewal: 'extend',
		mint: (ids) => ids.digest('dingtalk-token').toString('hex').slice(0, 32),
	},
	createState: createDingTalkState,
	describeSeed: describeDingTalkSeed,
	seedKinds: DINGTALK_SEED_KINDS,
};

module.exports = { dingtalkPlatform };
