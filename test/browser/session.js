// @ts-check
'use strict';

/**
 * Everything a browser check needs: Chromium (installed if missing), a real n8n with the pack, the
 * emulator credentials and the examples (the e2e environment, one n8n boot), a fresh browser
 * signed in as the owner from the environment.
 */

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

module.exports = { startSession, endSession };
