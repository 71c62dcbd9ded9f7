// @ts-check
'use strict';

/**
 * Drives n8n 2.41's editor with playwright-core and Debian's Chromium. Every selector the browser
 * checks rely on is in SELECTORS (n8n's own `data-test-id` attributes, which its Playwright suite
 * uses too); waits are on selectors and page state, never fixed sleeps.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { CHROMIUM, CHROMIUM_ARGS } = require('./chromium');

const SELECTORS = Object.freeze({
	signInEmail: 'input[name="emailOrLdapLoginId"]',
	signInPassword: 'input[name="password"]',
	signInSubmit: '[data-test-id="form-submit-button"]',
	canvas: '[data-test-id="canvas"]',
	/** The "+" at the canvas's top right that opens the node panel (node creator). */
	openNodePanel: '[data-test-id="canvas-plus-button"]',
	nodePanel: '[data-test-id="node-creator"]',
	nodePanelSearch: 'input[data-test-id="node-creator-search-bar"]',
	/** Names in the node panel: nodes in search results, actions once a node is chosen. */
	nodePanelItemName: '[data-test-id="node-creator-item-name"]',
	canvasNode: (/** @type {string} */ name) =>
		`[data-test-id="canvas-node"][data-node-name=${JSON.stringify(name)}]`,
	/** Node details view (the dialog with input, parameters and output). */
	nodeDetails: '[data-test-id="ndv"]',
	nodeParameters: '[data-test-id="ndv"] [data-test-id="node-parameters"]',
	parameterInput: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"]`,
	closeNodeDetails: '[data-test-id="ndv-close-button"]',
});

const TIMEOUT_MS = 30_000;

/**
 * A fresh headless Chromium (own user-data-dir, removed on close) with one page.
 * @param {{ viewport?: { width: number, height: number } }} [options]
 */
async function launchEditorBrowser({ viewport = { width: 1440, height: 1000 } } = {}) {
	const { chromium } = require('playwright-core');
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-browser-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		// playwright adds --headless itself; the rest are the flags that make Chromium quiet offline as root.
		args: CHROMIUM_ARGS.filter((arg) => arg !== '--headless'),
		viewport,
		locale: 'en-US',
	});
	context.setDefaultTimeout(TIMEOUT_MS);
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		page,
		async close() {
			await context.close();
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** Signs in on /signin; resolves once the app has left the sign-in page. */
async function signIn(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ baseUrl,
	/** @type {{ email: string, password: string }} */ owner,
) {
	await page.goto(`${baseUrl}/signin`);
	await page.fill(SELECTORS.signInEmail, owner.email);
	await page.fill(SELECTORS.signInPassword, owner.password);
	await page.click(SELECTORS.signInSubmit);
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	return new URL(page.url()).pathname;
}

/** Opens an empty workflow and its node panel. */
async function openNodePanelOnNewWorkflow(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ baseUrl,
) {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.click(SELECTORS.openNodePanel);
	await page.waitForSelector(SELECTORS.nodePanelSearch);
}

/** The names the node panel shows. */
function panelNames(/** @type {import('playwright-core').Page} */ page) {
	return page
		.locator(SELECTORS.nodePanelItemName)
		.allTextContents()
		.then((names) => names.map((name) => name.trim()));
}

/**
 * Types a search term into the open node panel and returns the names listed once every expected
 * name is shown, or what is shown after the timeout (so the caller's assertion reports it).
 * @param {import('playwright-core').Page} page
 * @param {string} term
 * @param {string[]} expected
 */
async function searchNodePanel(page, term, expected, timeoutMs = 10_000) {
	await page.fill(SELECTORS.nodePanelSearch, term);
	await page
		.waitForFunction(
			({ selector, want }) => {
				const shown = [...document.querySelectorAll(selector)].map((element) =>
					element.textContent?.trim(),
				);
				return want.every((name) => shown.includes(name));
			},
			{ selector: SELECTORS.nodePanelItemName, want: expected },
			{ timeout: timeoutMs },
		)
		.catch(() => undefined);
	return panelNames(page);
}

/**
 * Picks a node in the node panel's results, then one of its actions; n8n adds it to the canvas
 * and opens its details view.
 * @param {import('playwright-core').Page} page
 * @param {{ term: string, node: string, action: string }} choice
 */
async function addNodeFromPanel(page, { term, node, action }) {
	await searchNodePanel(page, term, [node]);
	await page.locator(SELECTORS.nodePanelItemName, { hasText: exactly(node) }).click();
	await page.locator(SELECTORS.nodePanelItemName, { hasText: exactly(action) }).click();
	await page.waitForSelector(SELECTORS.nodeParameters);
}

/** Opens a saved workflow and a node's details view. */
async function openWorkflowNode(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ baseUrl,
	/** @type {string} */ workflowId,
	/** @type {string} */ nodeName,
) {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.locator(SELECTORS.canvasNode(nodeName)).dblclick();
	await page.waitForSelector(SELECTORS.nodeParameters);
}

/**
 * Screenshots the open node details view (`part: 'dialog'`) or only its parameter panel.
 * @param {import('playwright-core').Page} page
 * @param {string} file
 * @param {{ part?: 'dialog' | 'parameters' }} [options]
 */
async function screenshotNodeDetails(page, file, { part = 'dialog' } = {}) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	await page.mouse.move(0, 0); // no hover toolbars in the picture
	await page
		.locator(part === 'dialog' ? SELECTORS.nodeDetails : SELECTORS.nodeParameters)
		.screenshot({ path: file, animations: 'disabled' });
	return file;
}

async function closeNodeDetails(/** @type {import('playwright-core').Page} */ page) {
	await page.click(SELECTORS.closeNodeDetails);
	await page.waitForSelector(SELECTORS.nodeDetails, { state: 'detached' });
}

const exactly = (/** @type {string} */ text) =>
	new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

module.exports = {
	SELECTORS,
	launchEditorBrowser,
	signIn,
	openNodePanelOnNewWorkflow,
	searchNodePanel,
	panelNames,
	addNodeFromPanel,
	openWorkflowNode,
	screenshotNodeDetails,
	closeNodeDetails,
};
