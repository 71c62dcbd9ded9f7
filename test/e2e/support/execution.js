// @ts-check
'use strict';

/**
 * Readers for n8n execution JSON (what `n8n execute --rawOutput` prints and
 * GET /rest/executions/:id returns) and for the emulator's request log, for the assertion files.
 */

/** Every run of a node: [{ executionStatus, data: { main: [[{ json }]] }, error? }]. */
function nodeRuns(/** @type {any} */ execution, /** @type {string} */ nodeName) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	if (!runs) {
		const ran = Object.keys(execution?.data?.resultData?.runData ?? {});
		throw new Error(`Node "${nodeName}" did not run (nodes that ran: ${ran.join(', ') || 'none'})`);
	}
	return runs;
}

/** The `json` of each item a node output (first run, first output unless given). */
function outputJson(
	/** @type {any} */ execution,
	/** @type {string} */ nodeName,
	{ run = 0, output = 0 } = {},
) {
	const items = nodeRuns(execution, nodeName)[run]?.data?.main?.[output];
	if (!items) throw new Error(`Node "${nodeName}" run ${run} has no output ${output}`);
	return items.map((/** @type {{ json: unknown }} */ item) => item.json);
}

/** The error of a failed node run (undefined when it succeeded). */
function nodeError(/** @type {any} */ execution, /** @type {string} */ nodeName, { run = 0 } = {}) {
	return nodeRuns(execution, nodeName)[run]?.error;
}

/** The workflow-level error of a failed execution, if any. */
function executionError(/** @type {any} */ execution) {
	return execution?.data?.resultData?.error;
}

/**
 * For examples that start from a webhook: publishes the case's workflow, posts `body` as JSON to
 * its production webhook `path`, checks the answer, and returns the one execution it started (read
 * back through the REST API).
 * @param {any} context  the case context (testCase, n8n, rest)
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<{ execution: any, answer: any }>}
 */
async function publishAndPost(context, path, body) {
	const { testCase, n8n, rest } = context;
	await n8n.publishWorkflow(testCase.workflow.id);
	const url = n8n.webhookUrl(path);
	await n8n.waitForWebhook(url, { method: 'POST' });
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (response.status !== 200)
		throw new Error(`POST ${url} answered HTTP ${response.status}: ${await response.text()}`);
	const answer = await response.json();
	const deadline = Date.now() + 30_000;
	let executions = await rest.executions({ workflowId: testCase.workflow.id });
	while (
		!executions.some((/** @type {any} */ e) => e.finished || e.status === 'success') &&
		Date.now() < deadline
	) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		executions = await rest.executions({ workflowId: testCase.workflow.id });
	}
	if (executions.length !== 1)
		throw new Error(`expected one execution of ${testCase.name}, found ${executions.length}`);
	return { execution: await rest.execution(executions[0].id), answer };
}

/** Emulator requests that fetched an access token, per platform. */
const TOKEN_PATHS = {
	dingtalk: ['/gettoken', '/v1.0/oauth2/accessToken'],
	wecom: ['/cgi-bin/gettoken'],
};

function tokenFetches(
	/** @type {Array<{ platform: string, path: string }>} */ requests,
	/** @type {'dingtalk' | 'wecom'} */ platform,
) {
	return requests.filter(
		(request) => request.platform === platform && TOKEN_PATHS[platform].includes(request.path),
	);
}

/** `METHOD /platform path` lines, easy to compare with toEqual. */
function requestLines(
	/** @type {Array<{ method: string, platform: string, path: string }>} */ requests,
) {
	return requests.map((request) => `${request.method} ${request.platform} ${request.path}`);
}

/**
 * The first output item of `nodeName` in each execution.
 * @param {{ rest: any }} context
 * @param {Array<{ id: string }>} executions
 * @param {string} nodeName
 */
async function firstOutputItems(context, executions, nodeName) {
	const items = [];
	for (const { id } of executions) {
		const execution = await context.rest.execution(id);
		items.push(execution.data.resultData.runData[nodeName][0].data.main[0][0]);
	}
	return items;
}

/**
 * The executions of a workflow once `count` exist, and a moment later still exactly those (so a
 * duplicate execution would show up). Executions are saved when the run ends, around the response.
 * @param {{ rest: any }} context
 * @param {string} workflowId
 * @param {number} count
 * @param {{ settleMs?: number, timeoutMs?: number }} [options]
 */
async function executionsOf(
	context,
	workflowId,
	count,
	{ settleMs = 1000, timeoutMs = 30_000 } = {},
) {
	const deadline = Date.now() + timeoutMs;
	let executions = await context.rest.executions({ workflowId });
	while (executions.length < count && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		executions = await context.rest.executions({ workflowId });
	}
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	return context.rest.executions({ workflowId });
}

module.exports = {
	executionsOf,
	firstOutputItems,
	publishAndPost,
	nodeRuns,
	outputJson,
	nodeError,
	executionError,
	tokenFetches,
	requestLines,
	TOKEN_PATHS,
};
