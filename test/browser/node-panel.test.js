// @ts-check
'use strict';

/**
 * The pack as users meet it in n8n's editor (real n8n 2.41.1, Debian Chromium, playwright-core):
 * sign in as the owner from the environment, find our nodes in the node panel by English and
 * Chinese names, add one, pick departments, tags and (once a switch asks for the app credential)
 * the robot's mentions by name from the pickers the emulator's contacts fill, fill in an approval
 * template's form (a resource mapper loaded from the template chosen), and photograph
 * parameter panels (SCREENSHOT_DIR, default test/.output/screenshots;
 * `node test/browser/screenshots.js --out docs/screenshots` refreshes the committed ones). Search terms, names and pictures are data in cases.js.
 *
 * Chromium is installed when missing (needs root, as in CI); when it cannot be, the suite fails
 * with the reason instead of skipping.
 */

const fs = require('node:fs');
const path = require('node:path');
const {
	SEARCHES,
	NEW_NODES,
	EXAMPLE_NODES,
	LOCATOR_LISTS,
	MULTI_SELECTS,
	SWITCHED_PICKERS,
	RESOURCE_MAPPERS,
} = require('./cases');
const {
	SELECTORS,
	openNodePanelOnNewWorkflow,
	searchNodePanel,
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
} = require('./editor');
const { startSession, endSession, createWorkflowWith, savedNodeParameters } = require('./session');
const { exampleWorkflowId } = require('../n8n/examples');

const SCREENSHOT_DIR = path.resolve(
	process.env.SCREENSHOT_DIR || path.join(__dirname, '..', '.output', 'screenshots'),
);

/**
 * Whether `actual` holds everything `wanted` holds (objects and arrays compared key by key).
 * @param {unknown} actual
 * @param {unknown} wanted
 * @returns {boolean}
 */
function holds(actual, wanted) {
	if (wanted === null || typeof wanted !== 'object') return Object.is(actual, wanted);
	return (
		actual !== null &&
		typeof actual === 'object' &&
		Object.entries(wanted).every(([key, value]) =>
			holds(/** @type {Record<string, unknown>} */ (actual)[key], value),
		)
	);
}

/** @type {Awaited<ReturnType<typeof startSession>>} */
let session;

beforeAll(async () => {
	session = await startSession();
}, 20 * 60_000); // may provision n8n and install Chromium first

afterAll(async () => {
	await endSession(session);
}, 60_000);

describe('n8n editor with the pack', () => {
	test('the owner from the environment signs in straight to the workflows (no sign-up wall)', () => {
		expect(session.landedOn).not.toMatch(/\/(setup|signin|signup)/);
	});

	describe('node panel search', () => {
		beforeAll(async () => {
			await openNodePanelOnNewWorkflow(session.page, session.url);
		}, 60_000);

		test.each(SEARCHES.map((search) => [search.term, search.nodes]))(
			'"%s" lists %j',
			async (term, nodes) => {
				const shown = await searchNodePanel(
					session.page,
					/** @type {string} */ (term),
					/** @type {string[]} */ (nodes),
				);
				expect(shown).toEqual(expect.arrayContaining(/** @type {string[]} */ (nodes)));
			},
			60_000,
		);
	});

	test.each(NEW_NODES.map((choice) => [`${choice.node} → ${choice.action}`, choice]))(
		'adding %s from the node panel opens its parameters',
		async (_title, choice) => {
			const { page, url } = session;
			await openNodePanelOnNewWorkflow(page, url);
			await addNodeFromPanel(page, choice);
			for (const parameter of choice.parameters)
				await expect(page.locator(SELECTORS.parameterInput(parameter)).isVisible()).resolves.toBe(
					true,
				);
			const file = await screenshotNodeDetails(page, path.join(SCREENSHOT_DIR, choice.screenshot));
			expect(fs.statSync(file).size).toBeGreaterThan(10_000);
			await closeNodeDetails(page);
		},
		60_000,
	);

	test.each(EXAMPLE_NODES.map((shot) => [`${shot.example} / ${shot.node}`, shot]))(
		'the example node %s opens with its settings',
		async (_title, shot) => {
			const { page, url } = session;
			await openWorkflowNode(page, url, exampleWorkflowId(shot.example), shot.node);
			await expect(page.locator(SELECTORS.nodeParameters).isVisible()).resolves.toBe(true);
			for (const parameter of shot.parameters ?? [])
				await page
					.locator(SELECTORS.parameterInput(parameter))
					.first()
					.waitFor({ state: 'visible', timeout: 15_000 });
			const file = await screenshotNodeDetails(page, path.join(SCREENSHOT_DIR, shot.screenshot));
			expect(fs.statSync(file).size).toBeGreaterThan(10_000);
			await closeNodeDetails(page);
		},
		60_000,
	);

	describe('pickers list the platform contacts by name', () => {
		test.each(LOCATOR_LISTS.map((list) => [list.title, list]))(
			'%s',
			async (_title, list) => {
				const { page, url } = session;
				const workflowId = await createWorkflowWith(session, list.node);
				await openWorkflowNode(page, url, workflowId, list.node.name);
				await expect(locatorMode(page, list.parameter)).resolves.toMatch(/^from list$/i);
				await expect(openLocatorList(page, list.parameter, list.shows)).resolves.toEqual({
					items: expect.arrayContaining(list.shows),
				});
				if (list.search)
					await expect(
						searchLocatorList(page, list.search.term, list.search.shows),
					).resolves.toEqual({ items: list.search.shows });
				if (list.screenshot) {
					const file = await screenshotNodeDetails(
						page,
						path.join(SCREENSHOT_DIR, list.screenshot),
					);
					expect(fs.statSync(file).size).toBeGreaterThan(10_000);
				}
				await closeLocatorList(page);
				await closeNodeDetails(page);
			},
			60_000,
		);

		test.each(MULTI_SELECTS.map((select) => [select.title, select]))(
			'%s: names to pick, IDs saved',
			async (_title, select) => {
				const { page, url } = session;
				const workflowId = await createWorkflowWith(session, select.node);
				await openWorkflowNode(page, url, workflowId, select.node.name);
				for (const [field, shown] of Object.entries(select.fields ?? {}))
					await expect(
						page.locator(`${SELECTORS.parameterInput(field)} input`).inputValue(),
					).resolves.toBe(shown);
				await expect(openOptionsList(page, select.parameter, select.shows)).resolves.toEqual(
					expect.arrayContaining(select.shows),
				);
				await expect(pickOptions(page, select.parameter, select.pick)).resolves.toEqual(
					select.pick,
				);
				await closeOptionsList(page, select.parameter);
				await saveWorkflow(page);
				const saved = await savedNodeParameters(
					session,
					workflowId,
					select.node.name,
					(parameters) =>
						Array.isArray(parameters[select.parameter]) &&
						/** @type {unknown[]} */ (parameters[select.parameter]).length >= select.saves.length,
				);
				expect(saved[select.parameter]).toStrictEqual(select.saves);
				await closeNodeDetails(page);
			},
			60_000,
		);

		test.each(SWITCHED_PICKERS.map((picker) => [picker.title, picker]))(
			'%s: switched on, it asks for the credential its list needs; the list shows the contacts',
			async (_title, picker) => {
				const { page, url } = session;
				const workflowId = await createWorkflowWith(session, picker.node);
				await openWorkflowNode(page, url, workflowId, picker.node.name);
				// Off: only the credentials the node always needs.
				await expect(switchIsOn(page, picker.switch)).resolves.toBe(false);
				const off = picker.credentials;
				await expect(credentialFields(page, { count: off.length })).resolves.toEqual(off);
				// On: one credential field more, offering the credential the list needs.
				await setSwitch(page, picker.switch, true);
				const on = await credentialFields(page, { count: off.length + 1 });
				expect(on).toHaveLength(off.length + 1);
				expect(on).toEqual(expect.arrayContaining(off));
				const added = on.findIndex((field) => !off.some((shown) => shown.label === field.label));
				await expect(openCredentialList(page, added, [picker.adds])).resolves.toEqual(
					expect.arrayContaining([picker.adds]),
				);
				await expect(chooseCredential(page, added, picker.adds.name)).resolves.toEqual(
					on.map((field, index) =>
						index === added ? { ...field, chosen: picker.adds.name } : field,
					),
				);
				// A row of the collection: its locator lists the contacts and searches them.
				await addCollectionRow(page, picker.collection, picker.add);
				await expect(locatorMode(page, picker.parameter)).resolves.toMatch(/^from list$/i);
				await expect(openLocatorList(page, picker.parameter, picker.shows)).resolves.toEqual({
					items: expect.arrayContaining(picker.shows),
				});
				await expect(
					searchLocatorList(page, picker.search.term, picker.search.shows),
				).resolves.toEqual({ items: picker.search.shows });
				const file = await screenshotNodeDetails(
					page,
					path.join(SCREENSHOT_DIR, picker.screenshot),
				);
				expect(fs.statSync(file).size).toBeGreaterThan(10_000);
				// Chosen and saved (Ctrl+S): the entry's ID, read back through the REST API.
				await expect(pickLocatorItem(page, picker.parameter, picker.pick)).resolves.toBe(
					picker.pick,
				);
				await saveWorkflow(page);
				const saved = await savedNodeParameters(
					session,
					workflowId,
					picker.node.name,
					(parameters) => holds(parameters, picker.saves),
				);
				expect(saved).toMatchObject(picker.saves);
				await closeNodeDetails(page);
			},
			60_000,
		);
	});

	test.each(RESOURCE_MAPPERS.map((mapper) => [mapper.title, mapper]))(
		'%s: the fields load from the choice, typed values are saved',
		async (_title, mapper) => {
			const { page, url } = session;
			const workflowId = await createWorkflowWith(session, mapper.node);
			await openWorkflowNode(page, url, workflowId, mapper.node.name);
			// Nothing chosen yet: no fields, a notice.
			await expect(mapperNotice(page, mapper.notice)).resolves.toBe(mapper.notice);
			await expect(locatorMode(page, mapper.locator)).resolves.toMatch(/^from list$/i);
			await expect(openLocatorList(page, mapper.locator, mapper.shows)).resolves.toEqual({
				items: expect.arrayContaining(mapper.shows),
			});
			await expect(pickLocatorItem(page, mapper.locator, mapper.pick)).resolves.toBe(mapper.pick);
			// Chosen: its fields, the required ones flagged while empty, the dropdown's options.
			const empty = mapper.fields.map((field) => ({ ...field, flagged: field.required }));
			await expect(mapperFields(page, empty)).resolves.toEqual(empty);
			const { dropdown } = mapper;
			await expect(openOptionsList(page, dropdown.field, dropdown.shows)).resolves.toEqual(
				dropdown.shows,
			);
			// Filled in: the dropdown's option chosen, the other fields typed; no field flagged.
			for (const [field, value] of Object.entries(mapper.fill))
				await expect(
					field === dropdown.field
						? chooseOption(page, field, value)
						: typeParameter(page, field, value),
				).resolves.toBe(value);
			const filled = mapper.fields.map((field) => ({ ...field, flagged: false }));
			await expect(mapperFields(page, filled)).resolves.toEqual(filled);
			await scrollToParameter(page, mapper.locator);
			const file = await screenshotNodeDetails(page, path.join(SCREENSHOT_DIR, mapper.screenshot));
			expect(fs.statSync(file).size).toBeGreaterThan(10_000);
			// Saved (Ctrl+S): the choice and the values as typed, read back through the REST API.
			await saveWorkflow(page);
			const saved = await savedNodeParameters(session, workflowId, mapper.node.name, (parameters) =>
				holds(parameters, mapper.saves),
			);
			expect(saved).toMatchObject(mapper.saves);
			expect(saved.form).toHaveProperty('value', mapper.saves.form.value);
			// Another choice: its own fields, none of the values typed before; saved so.
			const { then } = mapper;
			await openLocatorList(page, mapper.locator, [then.pick]);
			await expect(pickLocatorItem(page, mapper.locator, then.pick)).resolves.toBe(then.pick);
			const other = then.fields.map((field) => ({ ...field, flagged: field.required }));
			await expect(mapperFields(page, other)).resolves.toEqual(other);
			await saveWorkflow(page);
			const resaved = await savedNodeParameters(
				session,
				workflowId,
				mapper.node.name,
				(parameters) => holds(parameters, then.saves),
			);
			expect(resaved).toMatchObject(then.saves);
			expect(resaved.form).toHaveProperty('value', then.saves.form.value);
			await closeNodeDetails(page);
		},
		60_000,
	);
});
