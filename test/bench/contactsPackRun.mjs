// The pack side of the contacts benchmark: Manual Trigger → the DingTalk or WeCom node (typeVersion
// 1.1) with one input item, executed by n8n-core's WorkflowExecute (test/harness) from dist/, the
// pack's process-wide API client (token cache, throttle) shared by every run of this process. The
// credential is saved with "Quota per API" = the benchmark's pace (0 = no pacing).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

import { CASES, credentialsOf } from './contactsCases.mjs';
import { PLATFORMS } from './platforms.mjs';

const require = createRequire(import.meta.url);
// n8n's default log level; the harness would record every debug line otherwise.
process.env.N8N_LOG_LEVEL ??= 'info';
const { runWorkflow } = require('../harness');
const pack = require('../../dist');

const NODE_NAME = 'Contacts';

/**
 * @typedef {{ ms: number, items: number, distinct: number, errorsSurfaced: number,
 *   failedExecution: boolean, firstError?: string, result: unknown }} PackOutcome
 */

/**
 * @param {import('./contactsCases.mjs').CaseId} caseId
 * @param {import('./contactsCases.mjs').Identity} identity
 * @param {import('./platforms.mjs').BaseUrls} baseUrls
 * @param {number} pace
 */
export function createContactsPackRunner(caseId, identity, baseUrls, pace) {
	const definition = CASES[caseId];
	const platform = PLATFORMS[definition.platform];
	const nodeTypes = { [platform.nodeType]: new pack[platform.nodeClass]() };
	const credentialTypes = [new pack[platform.credentialClass]()];
	const credentials = {
		[platform.credentialType]: credentialsOf(definition.platform, identity, baseUrls, pace),
	};
	const workflowOf = (/** @type {object} */ parameters) => ({
		name: `bench ${definition.name}`,
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
				id: 'contacts',
				name: NODE_NAME,
				type: platform.nodeType,
				typeVersion: 1.1,
				position: [220, 0],
				parameters,
				credentials: { [platform.credentialType]: { id: 'bench', name: 'bench' } },
			},
		],
		connections: { Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	const workflows = {
		run: workflowOf(definition.parameters),
		warmUp: workflowOf(definition.warmUpParameters),
	};

	/** @param {object} workflow @returns {Promise<PackOutcome>} */
	async function execute(workflow) {
		const started = performance.now();
		const result = await runWorkflow({
			workflow,
			nodeTypes,
			credentialTypes,
			credentials,
			inputItems: [{}],
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
		const keys = new Set(output.map((item) => item.json?.[definition.outputKey]));
		keys.delete(undefined);
		return {
			ms,
			items: output.length,
			distinct: keys.size,
			errorsSurfaced: errors.length,
			failedExecution,
			firstError: first
				? `${first.message ?? first.error ?? ''} ${first.description ?? ''}`.trim()
				: undefined,
			result,
		};
	}

	return {
		run: () => execute(workflows.run),
		warmUp: () => execute(workflows.warmUp),
	};
}
