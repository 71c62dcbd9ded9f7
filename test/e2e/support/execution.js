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

module.exports = {
	nodeRuns,
	outputJson,
	nodeError,
	executionError,
	tokenFetches,
	requestLines,
	TOKEN_PATHS,
};
