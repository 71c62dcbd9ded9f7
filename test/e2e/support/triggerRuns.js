// @ts-check
'use strict';

/**
 * Running an example that starts with one of the pack's triggers: publish it, let the emulator act
 * as the platform, wait for the executions, unpublish (a published trigger would otherwise keep
 * receiving: the Stream trigger even holds a connection).
 */
const { executionsOf } = require('./execution');

/**
 * @param {any} context  the e2e case context (testCase, n8n, rest, emulator)
 * @param {(trigger: { url?: string }) => Promise<void>} act  makes the platform send the events
 * @param {{ executions: number, webhook?: boolean }} expected
 * @returns {Promise<any>} the (only) execution, in full
 */
async function runPublishedTrigger(context, act, { executions: count, webhook = true }) {
	const { testCase, n8n, rest, emulator } = context;
	const [trigger] = testCase.workflow.nodes;
	await n8n.publishWorkflow(testCase.workflow.id);
	try {
		let url;
		if (webhook) {
			url = n8n.webhookUrl(trigger.webhookId, 'webhook');
			await n8n.waitForWebhook(url, { method: 'POST' });
		} else {
			await emulator.dingtalk.stream.waitFor({ open: 1 }, 60_000);
		}
		await act({ url });
		const executions = await executionsOf(context, testCase.workflow.id, count, {
			timeoutMs: 60_000,
		});
		if (executions.length !== count)
			throw new Error(
				`expected ${count} execution(s) of ${testCase.name}, found ${executions.length}`,
			);
		return await rest.execution(executions[0].id);
	} finally {
		await rest.unpublishWorkflow(testCase.workflow.id);
	}
}

module.exports = { runPublishedTrigger };
