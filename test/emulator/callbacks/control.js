// @ts-check
'use strict';

/**
 * Control API routes of the approval-event deliveries and the forgeries (README "Callbacks");
 * control.js lists them before `/callbacks/:id`, which would otherwise take `forgeries` as an id.
 *
 * @typedef {import('../control').ControlRoute} ControlRoute
 */

/** Query parameters of GET /callbacks/forgeries → a forgery-log filter. */
function forgeryFilter(/** @type {Record<string, string>} */ query) {
	const { run, platform, mutation, accepted, since } = query;
	return {
		...(run ? { run: Number(run) } : {}),
		...(platform ? { platform: /** @type {'dingtalk'|'wecom'} */ (platform) } : {}),
		...(mutation ? { mutation } : {}),
		...(accepted === 'true' || accepted === 'false' ? { accepted: accepted === 'true' } : {}),
		...(since ? { since: Number(since) } : {}),
	};
}

/** @type {ControlRoute[]} */
const CALLBACK_DELIVERY_CONTROL_ROUTES = [
	{
		method: 'GET',
		path: '/callbacks/retry-policies',
		summary: "each platform's retry policy {attempts, intervalMs} (deliverApprovalEvents' default)",
		handler: (emu) => emu.callbacks.retryPolicies,
	},
	{
		method: 'POST',
		path: '/callbacks/wecom/deliver-events',
		summary:
			'{url, spNo?, all?, retry?, …deliver options}: every sys_approval_change not yet sent to url; answers {callbacks}',
		handler: async (emu, { body }) => ({
			callbacks: await emu.callbacks.wecom.deliverApprovalEvents(body),
		}),
	},
	{
		method: 'POST',
		path: '/callbacks/dingtalk/deliver-events',
		summary:
			'{url, filter?, all?, retry?, …deliver options}: every bpms event not yet sent to url; answers {callbacks}',
		handler: async (emu, { body }) => ({
			callbacks: await emu.callbacks.dingtalk.deliverApprovalEvents(body),
		}),
	},
	{
		method: 'POST',
		path: '/callbacks/wecom/forgeries',
		summary:
			'{url, count?, seed?, base?, kinds?, concurrency?, deadlineMs?, …}: forged WeCom callbacks; answers the summary',
		handler: (emu, { body }) => emu.callbacks.wecom.forgeries(body),
	},
	{
		method: 'POST',
		path: '/callbacks/dingtalk/forgeries',
		summary:
			'{url, count?, seed?, base?, kinds?, concurrency?, deadlineMs?, …}: forged DingTalk callbacks; answers the summary',
		handler: (emu, { body }) => emu.callbacks.dingtalk.forgeries(body),
	},
	{
		method: 'GET',
		path: '/callbacks/forgeries',
		summary:
			'forgery log (one compact record per forged request); ?run=&platform=&mutation=&accepted=&since=',
		handler: (emu, { query }) => ({ forgeries: emu.callbacks.forgeryLog(forgeryFilter(query)) }),
	},
];

module.exports = { CALLBACK_DELIVERY_CONTROL_ROUTES };
