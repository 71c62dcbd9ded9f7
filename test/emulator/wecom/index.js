// @ts-check
'use strict';

const { createWeComWorld, MAIN_CORP } = require('./seed');
const { WECOM_SEED_KINDS } = require('./org');
const { qyapiFamily } = require('./qyapi');
const { createWebhookState, WEBHOOK_SEND_PATH } = require('./robot');
const { createApprovalState } = require('./approvals');

/**
 * WeCom as the emulator sees it: one family, a token policy, the seeded world plus the runtime
 * collections.
 *
 * @typedef {import('./seed').WeComWorld & {
 *   messages: import('./appMessage').AppMessage[],
 *   memberDeliveries: Record<string, number[]>,
 *   robotMessages: import('./robot').WebhookMessage[],
 *   robotFlow: Record<string, { sentAt: number[] }>,
 *   robotMedia: Array<{ mediaId: string, key: string, type: string, filename: string, size: number, createdAt: number }>,
 * }} WeComState
 */

/** @param {import('../state').SeedOptions} [seed] @returns {WeComState} */
function createWeComState(seed = {}) {
	return {
		...createWeComWorld(seed),
		messages: [],
		memberDeliveries: {},
		...createWebhookState(),
		...createApprovalState(),
	};
}

/**
 * The credentials and ids tests need (`emu.seed.wecom`), for the main corp. Robots carry
 * `webhookPath` (after the WeCom base URL) and, when the base URLs are passed, the full `webhookUrl`.
 * @param {WeComState} state
 * @param {{ wecom: string }} [baseUrls]
 */
function describeWeComSeed(state, baseUrls) {
	const primary = state.apps.find((app) => app.corpId === MAIN_CORP) ?? state.apps[0];
	const inMainCorp = (/** @type {{ corpId: string }} */ item) => item.corpId === MAIN_CORP;
	return {
		corpId: primary.corpId,
		corpSecret: primary.secret,
		agentId: primary.agentId,
		apps: state.apps.map((app) => ({ ...app })),
		corps: state.corps.map((corp) => ({ ...corp })),
		robots: state.robots.map((robot) => {
			const webhookPath = `${WEBHOOK_SEND_PATH}?key=${robot.key}`;
			return {
				...robot,
				webhookPath,
				...(baseUrls ? { webhookUrl: `${baseUrls.wecom}${webhookPath}` } : {}),
			};
		}),
		users: state.users.filter(inMainCorp).map((user) => user.userid),
		unlicensedUsers: state.users
			.filter((user) => inMainCorp(user) && !user.licensed)
			.map((user) => user.userid),
		departments: state.departments
			.filter(inMainCorp)
			.map(({ id, parentid, name, name_en }) => ({ id, parentid, name, name_en })),
		tags: state.tags.filter(inMainCorp).map(({ tagid, tagname }) => ({ tagid, tagname })),
	};
}

const wecomPlatform = {
	name: /** @type {const} */ ('wecom'),
	families: [qyapiFamily],
	/** @type {import('../tokens').TokenPolicy} Long URL-safe text, like real WeCom tokens. */
	tokenPolicy: {
		renewal: 'keep',
		mint: (ids) => {
			const bytes = Buffer.concat([
				ids.digest('wecom-token'),
				ids.digest('wecom-token'),
				ids.digest('wecom-token'),
			]);
			return bytes.toString('base64url').slice(0, 128);
		},
	},
	createState: createWeComState,
	describeSeed: describeWeComSeed,
	seedKinds: WECOM_SEED_KINDS,
};

module.exports = { wecomPlatform };
