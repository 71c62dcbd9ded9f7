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
	/** A parameter with its label (the last match: the innermost one holding that input). */
	parameterItem: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="parameter-item"]:has([data-test-id="parameter-input-${name}"])`,
	closeNodeDetails: '[data-test-id="ndv-close-button"]',
	/** Credential fields (at the top of the parameters): each a label and a select of credentials. */
	credentialField: '[data-test-id="ndv"] [data-test-id="node-credentials-slot"]',
	credentialLabel: '[data-test-id="credentials-label"] label',
	credentialSelect: '[data-test-id="node-credentials-select"] .el-select',
	/** Its trigger: shows the credential chosen; aria-controls names its (teleported) list. */
	credentialTrigger: '[data-test-id="node-credentials-select"] input.el-input__inner',
	/** In its options (selectOption of that list): the name, then the credential type, as texts. */
	credentialOptionName: '.n8n-text',
	/** A boolean parameter's switch, and its state. */
	switch: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] .el-switch`,
	switchState: (/** @type {string} */ name, /** @type {boolean} */ on) =>
		`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] input.el-switch__input[aria-checked="${on}"]`,
	/** The "Add …" button of a fixed collection with one kind of row. */
	collectionAdd: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="fixed-collection-${name}"] [data-test-id="fixed-collection-add"]`,
	/** Resource locator (From List / By ID …): its mode, its input, and the list it opens. */
	locatorMode: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="resource-locator-${name}"] [data-test-id="rlc-mode-selector"] input`,
	locatorInput: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="resource-locator-${name}"] [data-test-id="rlc-input"]`,
	locatorSearch: '[data-test-id="rlc-search"]',
	locatorItem: '[data-test-id="rlc-item"]',
	locatorError: '[data-test-id="rlc-error-container"]',
	/** A dropdown or multi-select (element-plus select): disabled while its options load. */
	select: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] .el-select`,
	selectReady: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] .el-select:not(.el-select--disabled)`,
	/** Its trigger, whose aria-controls names the (teleported) list of options. */
	selectTrigger: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] input.el-input__inner`,
	/** Options of that list; each shows its name as a headline and its description below. */
	selectOption: (/** @type {string} */ listId) =>
		`[id=${JSON.stringify(listId)}] .el-select-dropdown__item`,
	selectOptionName: '.option-headline',
	/** The chosen values of a multi-select, shown as tags in its input. */
	selectChosen: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] .el-select__tags .el-tag`,
	/** A text or number parameter's input (a field of a resource mapper is a parameter too). */
	textInput: (/** @type {string} */ name) =>
		`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] :is(input, textarea)`,
	/** Resource mapper: its notice while it has no fields, and its fields (`parameter-input-<id>`). */
	mapperNotice: '[data-test-id="ndv"] [data-test-id="empty-fields-notice"]',
	mapperField: '[data-test-id="ndv"] [data-test-id="mapping-fields-container"] .parameter-item',
	/** In a field: its label (the first text), remove button (optional fields only), issues. */
	mapperFieldLabel: 'label .n8n-text',
	mapperFieldRemove: '[data-test-id^="remove-field-button-"]',
	parameterIssues: '[data-test-id="parameter-issues"]',
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
 * The trimmed texts of the visible elements matching `selector`, once every expected text is shown
 * (`exact`: once exactly those are shown, in any order), or what is shown after the timeout (so
 * the caller's assertion reports it).
 * @param {import('playwright-core').Page} page
 * @param {string} selector
 * @param {string[]} expected
 * @param {{ exact?: boolean, timeoutMs?: number }} [options]
 */
async function textsOnceShown(
	page,
	selector,
	expected,
	{ exact = false, timeoutMs = 10_000 } = {},
) {
	/** In the page: the visible texts, or false while they are not the expected ones yet. */
	const shownWhenReady = (
		/** @type {{ css: string, want: string[], same: boolean }} */ { css, want, same },
	) => {
		const shown = [...document.querySelectorAll(css)]
			.filter((element) => element.getClientRects().length > 0)
			.map((element) => element.textContent?.trim() ?? '');
		const ready =
			want.every((text) => shown.includes(text)) && (!same || shown.length === want.length);
		return ready ? shown : false;
	};
	const ready = await page
		.waitForFunction(
			shownWhenReady,
			{ css: selector, want: expected, same: exact },
			{ timeout: timeoutMs },
		)
		.then((handle) => /** @type {Promise<string[]>} */ (handle.jsonValue()))
		.catch(() => undefined);
	return (
		ready ??
		/** @type {string[]} */ (
			await page.evaluate(shownWhenReady, { css: selector, want: [], same: false })
		)
	);
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
	return textsOnceShown(page, SELECTORS.nodePanelItemName, expected, { timeoutMs });
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
	// On a new workflow an app that also has a trigger lists its triggers first and folds its
	// actions under "Actions (N)": unfold them.
	const actions = page.getByText(/^\s*Actions \(\d+\)\s*$/);
	await page
		.locator(`${SELECTORS.nodePanelItemName}, :text-matches("^\\s*Actions \\(\\d+\\)\\s*$")`)
		.first()
		.waitFor();
	if ((await page.locator(SELECTORS.nodePanelItemName, { hasText: exactly(action) }).count()) === 0)
		await actions.first().click();
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

/** The mode a resource locator shows ("From list", "By ID", …). */
async function locatorMode(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ parameter,
) {
	return (await page.inputValue(SELECTORS.locatorMode(parameter))).trim();
}

/**
 * What the open resource locator list shows once every expected entry is listed (`exact`: only
 * those), or after the timeout: `{ items }`, with `error` when n8n shows the list's error.
 * @param {import('playwright-core').Page} page
 * @param {string[]} expected
 * @param {{ exact?: boolean, timeoutMs?: number }} [options]
 */
async function locatorList(page, expected, options) {
	const items = await textsOnceShown(page, SELECTORS.locatorItem, expected, options);
	const error = page.locator(SELECTORS.locatorError);
	return (await error.isVisible()) ? { items, error: (await error.innerText()).trim() } : { items };
}

/**
 * Opens a resource locator's list (its From List mode) and returns what it shows once every
 * expected entry is listed (see locatorList).
 * @param {import('playwright-core').Page} page
 * @param {string} parameter
 * @param {string[]} expected
 */
async function openLocatorList(page, parameter, expected, timeoutMs = 15_000) {
	await page.click(SELECTORS.locatorInput(parameter));
	return locatorList(page, expected, { timeoutMs });
}

/**
 * Types into the open resource locator list's search box; returns what the list shows once it
 * lists exactly the expected entries (see locatorList).
 * @param {import('playwright-core').Page} page
 * @param {string} term
 * @param {string[]} expected
 */
async function searchLocatorList(page, term, expected, timeoutMs = 10_000) {
	await page.fill(SELECTORS.locatorSearch, term);
	return locatorList(page, expected, { exact: true, timeoutMs });
}

/** Closes the open resource locator list (Escape), leaving the node details view open. */
async function closeLocatorList(/** @type {import('playwright-core').Page} */ page) {
	await page.keyboard.press('Escape');
	await page.locator(SELECTORS.locatorItem).first().waitFor({ state: 'hidden' });
}

/** The id of the list of options a select opens (element-plus teleports it out of the input). */
async function optionsListId(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ parameter,
) {
	const id = await page.getAttribute(SELECTORS.selectTrigger(parameter), 'aria-controls');
	if (!id) throw new Error(`The "${parameter}" select names no list of options (aria-controls)`);
	return id;
}

/**
 * Opens a dropdown or multi-select once its options have loaded (n8n disables it meanwhile) and
 * returns the option names once every expected one is listed, or after the timeout.
 * @param {import('playwright-core').Page} page
 * @param {string} parameter
 * @param {string[]} expected
 */
async function openOptionsList(page, parameter, expected, timeoutMs = 15_000) {
	await page.waitForSelector(SELECTORS.selectReady(parameter), { timeout: timeoutMs });
	await page.click(SELECTORS.select(parameter));
	const option = SELECTORS.selectOption(await optionsListId(page, parameter));
	return textsOnceShown(page, `${option} ${SELECTORS.selectOptionName}`, expected, { timeoutMs });
}

/**
 * Clicks options of the open multi-select by name; returns the names it then shows as chosen.
 * @param {import('playwright-core').Page} page
 * @param {string} parameter
 * @param {string[]} names
 */
async function pickOptions(page, parameter, names) {
	const option = page.locator(SELECTORS.selectOption(await optionsListId(page, parameter)));
	for (const name of names)
		await option
			.filter({ has: page.locator(SELECTORS.selectOptionName, { hasText: exactly(name) }) })
			.click();
	return textsOnceShown(page, SELECTORS.selectChosen(parameter), names, { exact: true });
}

/** Closes the open list of a select (Escape), leaving the node details view open. */
async function closeOptionsList(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ parameter,
) {
	const option = SELECTORS.selectOption(await optionsListId(page, parameter));
	await page.keyboard.press('Escape');
	await page.locator(option).first().waitFor({ state: 'hidden' });
}

/**
 * Chooses an entry of the open resource locator list by name; returns what the locator then shows
 * (once it shows that name, or after the timeout).
 * @param {import('playwright-core').Page} page
 * @param {string} parameter
 * @param {string} name
 */
async function pickLocatorItem(page, parameter, name, timeoutMs = 10_000) {
	await page.locator(SELECTORS.locatorItem, { hasText: exactly(name) }).click();
	return inputValueOnceShown(page, SELECTORS.locatorInput(parameter), name, timeoutMs);
}

/** What an input shows, once it shows `want` or after the timeout. */
async function inputValueOnceShown(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ input,
	/** @type {string} */ want,
	timeoutMs = 10_000,
) {
	await page
		.waitForFunction(
			(/** @type {{ css: string, want: string }} */ { css, want }) =>
				/** @type {HTMLInputElement | null} */ (document.querySelector(css))?.value.trim() === want,
			{ css: input, want },
			{ timeout: timeoutMs },
		)
		.catch(() => undefined);
	return (await page.inputValue(input)).trim();
}

/**
 * Chooses an option of the open dropdown by name; returns what the dropdown then shows (once it
 * shows that name, or after the timeout).
 * @param {import('playwright-core').Page} page
 * @param {string} parameter
 * @param {string} name
 */
async function chooseOption(page, parameter, name, timeoutMs = 10_000) {
	await page
		.locator(SELECTORS.selectOption(await optionsListId(page, parameter)))
		.filter({ has: page.locator(SELECTORS.selectOptionName, { hasText: exactly(name) }) })
		.click();
	return inputValueOnceShown(page, SELECTORS.selectTrigger(parameter), name, timeoutMs);
}

/** Types into a text or number parameter and leaves it, as users do; returns what it then shows. */
async function typeParameter(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ parameter,
	/** @type {string} */ text,
) {
	const input = page.locator(SELECTORS.textInput(parameter));
	await input.fill(text);
	await input.blur();
	return (await input.inputValue()).trim();
}

/**
 * The fields of the open node's resource mapper, top to bottom, as `{ label, required, flagged }`
 * (`required`: n8n offers no button to remove it; `flagged`: it shows an issue, as a required
 * field does while empty), once they are exactly `expected`, or what is shown after the timeout.
 * @param {import('playwright-core').Page} page
 * @param {Array<{ label: string, required: boolean, flagged: boolean }>} expected
 */
async function mapperFields(page, expected, timeoutMs = 15_000) {
	/** In the page: the fields shown, or false while they are not the expected ones yet. */
	const shownWhenReady = (
		/** @type {{ css: { field: string, label: string, remove: string, issues: string }, want: string | null }} */ {
			css,
			want,
		},
	) => {
		const fields = [...document.querySelectorAll(css.field)]
			.filter((element) => element.getClientRects().length > 0)
			.map((element) => ({
				label: element.querySelector(css.label)?.textContent?.trim() ?? '',
				required: element.querySelector(css.remove) === null,
				flagged: element.querySelector(css.issues) !== null,
			}));
		return want === null || JSON.stringify(fields) === want ? fields : false;
	};
	const css = {
		field: SELECTORS.mapperField,
		label: SELECTORS.mapperFieldLabel,
		remove: SELECTORS.mapperFieldRemove,
		issues: SELECTORS.parameterIssues,
	};
	const want = JSON.stringify(
		expected.map(({ label, required, flagged }) => ({ label, required, flagged })),
	);
	const ready = await page
		.waitForFunction(shownWhenReady, { css, want }, { timeout: timeoutMs })
		.then(
			(handle) =>
				/** @type {Promise<Array<{ label: string, required: boolean, flagged: boolean }>>} */ (
					handle.jsonValue()
				),
		)
		.catch(() => undefined);
	return (
		ready ??
		/** @type {Array<{ label: string, required: boolean, flagged: boolean }>} */ (
			await page.evaluate(shownWhenReady, { css, want: null })
		)
	);
}

/**
 * The notice the open node's resource mapper shows while it has no fields, once it shows
 * `expected` (or what it shows after the timeout; '' for none).
 * @param {import('playwright-core').Page} page
 * @param {string} expected
 */
async function mapperNotice(page, expected, timeoutMs = 15_000) {
	const shown = await textsOnceShown(page, SELECTORS.mapperNotice, [expected], {
		exact: true,
		timeoutMs,
	});
	return shown.join('\n');
}

/** Scrolls the parameters so one, with its label, is at their top (for a picture of what follows). */
async function scrollToParameter(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ parameter,
) {
	await page
		.locator(SELECTORS.parameterItem(parameter))
		.last()
		.evaluate((item) => item.scrollIntoView({ block: 'start' }));
}

/** Whether a boolean parameter's switch is on. */
async function switchIsOn(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ parameter,
) {
	return (await page.locator(SELECTORS.switchState(parameter, true)).count()) > 0;
}

/** Turns a boolean parameter's switch on or off (a click, when it is not so already). */
async function setSwitch(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ parameter,
	/** @type {boolean} */ on,
) {
	if ((await switchIsOn(page, parameter)) !== on) await page.click(SELECTORS.switch(parameter));
	await page.waitForSelector(SELECTORS.switchState(parameter, on), { state: 'attached' });
}

/**
 * The credential fields of the open node details view, top to bottom, as `{ label, chosen }`
 * (`chosen`: the name of the credential chosen, '' while none is), once `count` fields are shown
 * (and, with `chosen`, one of them shows that credential), or what is shown after the timeout.
 * @param {import('playwright-core').Page} page
 * @param {{ count: number, chosen?: string, timeoutMs?: number }} options
 */
async function credentialFields(page, { count, chosen, timeoutMs = 10_000 }) {
	/** In the page: the fields shown, or false while they are not the expected ones yet. */
	const shownWhenReady = (
		/** @type {{ css: { field: string, label: string, trigger: string }, count: number, chosen: string | null }} */ {
			css,
			count,
			chosen,
		},
	) => {
		const fields = [...document.querySelectorAll(css.field)]
			.filter((element) => element.getClientRects().length > 0)
			.map((element) => ({
				label: element.querySelector(css.label)?.textContent?.trim() ?? '',
				chosen:
					/** @type {HTMLInputElement | null} */ (
						element.querySelector(css.trigger)
					)?.value.trim() ?? '',
			}));
		const ready =
			(count < 0 || fields.length === count) &&
			(chosen === null || fields.some((field) => field.chosen === chosen));
		return ready ? fields : false;
	};
	const css = {
		field: SELECTORS.credentialField,
		label: SELECTORS.credentialLabel,
		trigger: SELECTORS.credentialTrigger,
	};
	const ready = await page
		.waitForFunction(shownWhenReady, { css, count, chosen: chosen ?? null }, { timeout: timeoutMs })
		.then(
			(handle) =>
				/** @type {Promise<Array<{ label: string, chosen: string }>>} */ (handle.jsonValue()),
		)
		.catch(() => undefined);
	return (
		ready ??
		/** @type {Array<{ label: string, chosen: string }>} */ (
			await page.evaluate(shownWhenReady, { css, count: -1, chosen: null })
		)
	);
}

/** The list of credentials the `index`th credential field opens (element-plus teleports it). */
async function credentialListId(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {number} */ index,
) {
	const field = page.locator(SELECTORS.credentialField).nth(index);
	const id = await field.locator(SELECTORS.credentialTrigger).getAttribute('aria-controls');
	if (!id)
		throw new Error(`Credential field ${index} names no list of credentials (aria-controls)`);
	return id;
}

/**
 * Opens the `index`th credential field's list; returns the credentials it offers as
 * `{ name, type }` (each option shows the credential's name, then its type) once every expected one
 * is listed, or what is listed after the timeout.
 * @param {import('playwright-core').Page} page
 * @param {number} index
 * @param {Array<{ name: string, type: string }>} expected
 */
async function openCredentialList(page, index, expected, timeoutMs = 10_000) {
	await page
		.locator(SELECTORS.credentialField)
		.nth(index)
		.locator(SELECTORS.credentialSelect)
		.click();
	const option = SELECTORS.selectOption(await credentialListId(page, index));
	/** In the page: the credentials offered, or false while not every expected one is. */
	const offeredWhenReady = (
		/** @type {{ css: string, texts: string, want: Array<{ name: string, type: string }> }} */ {
			css,
			texts,
			want,
		},
	) => {
		const offered = [...document.querySelectorAll(css)]
			.filter((element) => element.getClientRects().length > 0)
			.map((element) => {
				const [name = '', type = ''] = [...element.querySelectorAll(texts)].map(
					(text) => text.textContent?.trim() ?? '',
				);
				return { name, type };
			});
		const ready = want.every((credential) =>
			offered.some((shown) => shown.name === credential.name && shown.type === credential.type),
		);
		return ready ? offered : false;
	};
	const ready = await page
		.waitForFunction(
			offeredWhenReady,
			{ css: option, texts: SELECTORS.credentialOptionName, want: expected },
			{ timeout: timeoutMs },
		)
		.then(
			(handle) =>
				/** @type {Promise<Array<{ name: string, type: string }>>} */ (handle.jsonValue()),
		)
		.catch(() => undefined);
	return (
		ready ??
		/** @type {Array<{ name: string, type: string }>} */ (
			await page.evaluate(offeredWhenReady, {
				css: option,
				texts: SELECTORS.credentialOptionName,
				want: [],
			})
		)
	);
}

/**
 * Chooses a credential by name in the `index`th credential field's open list; returns the
 * credential fields once that one shows it (see credentialFields).
 * @param {import('playwright-core').Page} page
 * @param {number} index
 * @param {string} name
 */
async function chooseCredential(page, index, name) {
	const count = await page.locator(SELECTORS.credentialField).count();
	await page
		.locator(SELECTORS.selectOption(await credentialListId(page, index)))
		.filter({ has: page.locator(SELECTORS.credentialOptionName, { hasText: exactly(name) }) })
		.click();
	return credentialFields(page, { count, chosen: name });
}

/** Adds a row to a fixed collection with its "Add …" button (`label`, as the user reads it). */
async function addCollectionRow(
	/** @type {import('playwright-core').Page} */ page,
	/** @type {string} */ collection,
	/** @type {string} */ label,
) {
	await page.locator(SELECTORS.collectionAdd(collection), { hasText: exactly(label) }).click();
}

/** Saves the open workflow as a user does, with Ctrl+S (n8n 2.41 also autosaves after edits). */
async function saveWorkflow(/** @type {import('playwright-core').Page} */ page) {
	await page.keyboard.press('Control+s');
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
	locatorMode,
	openLocatorList,
	searchLocatorList,
	closeLocatorList,
	openOptionsList,
	pickOptions,
	closeOptionsList,
	pickLocatorItem,
	chooseOption,
	typeParameter,
	mapperNotice,
	mapperFields,
	scrollToParameter,
	switchIsOn,
	setSwitch,
	credentialFields,
	openCredentialList,
	chooseCredential,
	addCollectionRow,
	saveWorkflow,
	screenshotNodeDetails,
	closeNodeDetails,
};
