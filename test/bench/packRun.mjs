// (a) The pack as a user runs it: Manual Trigger → the DingTalk or WeCom node, one item = one
// message to one user, executed by n8n-core's WorkflowExecute (test/harness), node parameters and
// credential at their defaults (no concurrency or pacing set anywhere), the pack's process-wide
// API client (token cache, throttle) shared by every run of this process.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

import { PLATFORMS, isRateLimitError } from './platforms.mjs';

const require = createRequire(import.meta.url);
// n8n's default log level; the harness would record every debug line otherwise.
process.env.N8N_LOG_LEVEL ??= 'info';
const { runWorkflow } = require('../harness');
const pack = require('../../dist');

const NODE_NAME = 'Send';

/**
 * @typedef {{ ms: number, sent: number, errorsSurfaced: number, rateLimitErrors: number,
 *   failedExecution: boolean, firstError?: string, result: unknown }} PackOutcome
 */

/**
 * @param {'dingtalk'|'wecom'} platformId
 * @param {import('./platforms.mjs').BenchSeed} seed
 * @param {import('./platforms.mjs').BaseUrls} baseUrls
 */
export function createPackRunner(platformId, seed, baseUrls) {
	const platform = PLATFORMS[platformId];
	const workflow = {
		name: `bench ${platform.name}`,
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'send',
				name: NODE_NAME,
				type: platform.nodeType,
				typeVersion: 1,
				position: [220, 0],
				parameters: platform.parameters,
				credentials: { [platform.credentialType]: { id: 'bench', name: 'bench' } },
			},
		],
		connections: { Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const nodeTypes = { [platform.nodeType]: new pack[platform.nodeClass]() };
	const credentialTypes = [new pack[platform.credentialClass]()];
	const credentials = { [platform.credentialType]: platform.credentials(seed, baseUrls) };

	/** @param {import('./platforms.mjs').BenchItem[]} items @returns {Promise<PackOutcome>} */
	return async function run(items) {
		const started = performance.now();
		const result = await runWorkflow({
			workflow,
			nodeTypes,
			credentialTypes,
			credentials,
			inputItems: items,
		});
		const ms = performance.now() - started;
		/** @type {any[]} */
		let output = [];
		try {
			output = result.nodeOutput(NODE_NAME);
		} catch {
			// the node did not run: the failed execution below says why
		}
		const failedExecution = result.status !== 'success';
		const errors = [
			...output.filter((item) => item.json?.error !== undefined).map((item) => item.json),
			...(failedExecution ? [result.error ?? { message: `status ${result.status}` }] : []),
		];
		const first = errors[0];
		return {
			ms,
			sent: output.filter((item) => platform.sentId(item.json) !== undefined).length,
			errorsSurfaced: errors.length,
			rateLimitErrors: errors.filter(isRateLimitError).length,
			failedExecution,
			firstError: first
				? `${first.message ?? first.error ?? ''} ${first.description ?? ''}`.trim()
				: undefined,
			result,
		};
	};
}
