// @ts-check
'use strict';

/**
 * Everything a browser check needs: Chromium (installed if missing), a real n8n with the pack, the
 * emulator credentials and the examples (the e2e environment, one n8n boot), a fresh browser
 * signed in as the owner from the environment.
 */

const crypto = require('node:crypto');
const { setTimeout: sleep } = require('node:timers/promises');
const { ensureChromium } = require('./chromium');
const { launchEditorBrowser, signIn } = require('./editor');
const { setUp, tearDown } = require('../e2e/support/environment');

async function startSession({ log = (/** @type {string} */ line) => console.log(line) } = {}) {
	const chromium = ensureChromium({ log });
	if (!chromium.ok) throw new Error(chromium.reason);
	const environment = await setUp({ suite: 'browser', log });
	const { url } = environment.n8n;
	let browser;
	try {
		browser = await launchEditorBrowser();
		const landedOn = await signIn(browser.page, url, environment.n8n.owner);
		return { environment, browser, page: browser.page, url, landedOn };
	} catch (error) {
		await browser?.close();
		await tearDown(environment);
		throw error;
	}
}

async function endSession(
	/** @type {Awaited<ReturnType<typeof startSession>> | undefined} */ session,
) {
	if (!session) return;
	await session.browser.close();
	await tearDown(session.environment);
}

/**
 * Saves a workflow holding one node through the REST API the editor uses (what importing a
 * workflow file and saving it does); resolves to the workflow's id.
 * @param {Awaited<ReturnType<typeof startSession>>} session
 * @param {{ name: string, type: string, typeVersion: number, parameters: object, credentials?: object }} node
 */
async function createWorkflowWith(session, node) {
	const workflow = {
		name: `Browser check: ${node.name}`,
		nodes: [{ id: crypto.randomUUID(), position: [0, 0], ...node }],
		connections: {},
		settings: {},
	};
	const created = await session.environment.rest.request('POST', '/rest/workflows', workflow);
	return /** @type {string} */ (created.data.id);
}

/**
 * A node's parameters as n8n stored them (REST API), once `until(parameters)` holds or after the
 * timeout (so the caller's assertion reports what was saved). Saving is asynchronous in the editor.
 * @param {Awaited<ReturnType<typeof startSession>>} session
 * @param {string} workflowId
 * @param {string} nodeName
 * @param {(parameters: Record<string, unknown>) => boolean} until
 */
async function savedNodeParameters(session, workflowId, nodeName, until, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const workflow = await session.environment.rest.workflow(workflowId);
		const node = workflow.nodes.find((/** @type {{ name: string }} */ n) => n.name === nodeName);
		/** @type {Record<string, unknown>} */
		const parameters = node?.parameters ?? {};
		if (until(parameters) || Date.now() > deadline) return parameters;
		await sleep(200); // poll interval of a server-side state, not a wait for the page
	}
}

module.exports = { startSession, endSession, createWorkflowWith, savedNodeParameters };
