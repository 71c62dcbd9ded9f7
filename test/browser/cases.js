// @ts-check
'use strict';

/**
 * What the browser checks look for and photograph. Data only: edit here when node names, aliases
 * or example workflows change.
 */

/** Node panel searches: each term must list (at least) these node display names. */
const SEARCHES = [
	{ term: '钉钉', nodes: ['DingTalk'] },
	{ term: 'DingTalk', nodes: ['DingTalk'] },
	{ term: '企业微信', nodes: ['WeCom'] },
	{ term: 'WeCom', nodes: ['WeCom'] },
	// A built-in node: if this fails too, the editor or the harness is broken, not the pack.
	{ term: 'HTTP Request', nodes: ['HTTP Request'] },
];

/** Nodes added from the node panel (search → node → action); the details view is photographed. */
const NEW_NODES = [
	{
		term: '钉钉',
		node: 'DingTalk',
		action: 'Send a work notification',
		parameters: ['resource', 'operation'],
		screenshot: 'dingtalk-new-node.png',
	},
	{
		term: '企业微信',
		node: 'WeCom',
		action: 'Send an app message',
		parameters: ['resource', 'operation'],
		screenshot: 'wecom-new-node.png',
	},
];

/** Nodes of the example workflows (examples/<example>.json), photographed with their settings. */
const EXAMPLE_NODES = [
	{
		example: 'dingtalk-work-notification',
		node: 'Send Work Notification',
		screenshot: 'dingtalk-send.png',
	},
	{ example: 'wecom-app-message', node: 'Send App Message', screenshot: 'wecom-send.png' },
	{
		example: 'dingtalk-bulk-work-notifications',
		node: 'Send Personal Notification',
		// The Throughput options the example sets are shown as fields of their own.
		parameters: ['concurrency', 'maxWaitSeconds'],
		screenshot: 'dingtalk-bulk-send.png',
	},
];

module.exports = { SEARCHES, NEW_NODES, EXAMPLE_NODES };
