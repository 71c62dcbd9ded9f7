// @ts-check
'use strict';

const { findApp } = require('./org');

/**
 * The app a DingTalk token belongs to. One token per app serves both API families (emulator
 * choice).
 * @param {import('../family').RequestContext} ctx
 * @param {string | undefined} token
 * @returns {{ app: import('./seed').DingTalkApp } | { reason: 'missing' | 'invalid' | 'expired' }}
 */
function appForToken(ctx, token) {
	if (!token) return { reason: 'missing' };
	const check = ctx.env.tokens.check('dingtalk', token);
	if (check.status === 'unknown') return { reason: 'invalid' };
	if (check.status === 'expired') return { reason: 'expired' };
	const app = findApp(ctx.env.state.dingtalk, check.record.owner);
	return app ? { app } : { reason: 'invalid' };
}

module.exports = { appForToken };
