#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Photographs the parameter panels listed in cases.js (NEW_NODES, EXAMPLE_NODES, the
 * LOCATOR_LISTS with a screenshot, list open and searched, the SWITCHED_PICKERS, switched on,
 * credential chosen, a row added and its list searched, and the RESOURCE_MAPPERS, chosen and
 * filled in) with a real n8n and the built pack, into a folder:
 *
 *   node test/browser/screenshots.js --out docs/screenshots   (default test/.output/screenshots)
 *
 * Needs the pack built (npm run build). Installs Chromium if missing and root.
 */

const path = require('node:path');
const { parseArgs } = require('node:util');
const {
	NEW_NODES,
	EXAMPLE_NODES,
	LOCATOR_LISTS,
	SWITCHED_PICKERS,
	RESOURCE_MAPPERS,
} = require('./cases');
const {
	openNodePanelOnNewWorkflow,
	addNodeFromPanel,
	openWorkflowNode,
	openLocatorList,
	searchLocatorList,
	closeLocatorList,
	pickLocatorItem,
	openOptionsList,
	chooseOption,
	typeParameter,
	mapperFields,
	scrollToParameter,
	setSwitch,
	credentialFields,
	openCredentialList,
	chooseCredential,
	addCollectionRow,
	screenshotNodeDetails,
	closeNodeDetails,
} = require('./editor');
const { startSession, endSession, createWorkflowWith } = require('./session');
const { exampleWorkflowId } = require('../n8n/examples');

async function main() {
	const { values } = parseArgs({
		options: {
			out: { type: 'string', default: path.join(__dirname, '..', '.output', 'screenshots') },
		},
	});
	const out = path.resolve(/** @type {string} */ (values.out));
	const session = await startSession();
	try {
		const { page, url } = session;
		for (const choice of NEW_NODES) {
			await openNodePanelOnNewWorkflow(page, url);
			await addNodeFromPanel(page, choice);
			console.log(await screenshotNodeDetails(page, path.join(out, choice.screenshot)));
			await closeNodeDetails(page);
		}
		for (const shot of EXAMPLE_NODES) {
			await openWorkflowNode(page, url, exampleWorkflowId(shot.example), shot.node);
			console.log(await screenshotNodeDetails(page, path.join(out, shot.screenshot)));
			await closeNodeDetails(page);
		}
		for (const list of LOCATOR_LISTS) {
			if (!list.screenshot) continue;
			await openWorkflowNode(
				page,
				url,
				await createWorkflowWith(session, list.node),
				list.node.name,
			);
			await openLocatorList(page, list.parameter, list.shows);
			if (list.search) await searchLocatorList(page, list.search.term, list.search.shows);
			console.log(await screenshotNodeDetails(page, path.join(out, list.screenshot)));
			await closeLocatorList(page);
			await closeNodeDetails(page);
		}
		for (const picker of SWITCHED_PICKERS) {
			await openWorkflowNode(
				page,
				url,
				await createWorkflowWith(session, picker.node),
				picker.node.name,
			);
			await setSwitch(page, picker.switch, true);
			const on = await credentialFields(page, { count: picker.credentials.length + 1 });
			const added = on.findIndex(
				(field) => !picker.credentials.some((shown) => shown.label === field.label),
			);
			await openCredentialList(page, added, [picker.adds]);
			await chooseCredential(page, added, picker.adds.name);
			await addCollectionRow(page, picker.collection, picker.add);
			await openLocatorList(page, picker.parameter, picker.shows);
			await searchLocatorList(page, picker.search.term, picker.search.shows);
			console.log(await screenshotNodeDetails(page, path.join(out, picker.screenshot)));
			await closeLocatorList(page);
			await closeNodeDetails(page);
		}
		for (const mapper of RESOURCE_MAPPERS) {
			await openWorkflowNode(
				page,
				url,
				await createWorkflowWith(session, mapper.node),
				mapper.node.name,
			);
			await openLocatorList(page, mapper.locator, mapper.shows);
			await pickLocatorItem(page, mapper.locator, mapper.pick);
			await mapperFields(
				page,
				mapper.fields.map((field) => ({ ...field, flagged: field.required })),
			);
			await openOptionsList(page, mapper.dropdown.field, mapper.dropdown.shows);
			for (const [field, value] of Object.entries(mapper.fill))
				await (field === mapper.dropdown.field
					? chooseOption(page, field, value)
					: typeParameter(page, field, value));
			await mapperFields(
				page,
				mapper.fields.map((field) => ({ ...field, flagged: false })),
			);
			await scrollToParameter(page, mapper.locator);
			console.log(await screenshotNodeDetails(page, path.join(out, mapper.screenshot)));
			await closeNodeDetails(page);
		}
	} finally {
		await endSession(session);
	}
}

main().catch((error) => {
	console.error(`Screenshots failed: ${error.stack ?? error}`);
	process.exit(1);
});
