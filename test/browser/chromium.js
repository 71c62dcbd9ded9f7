#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Makes sure Debian's Chromium is at /usr/bin/chromium for the browser checks: playwright-core
 * brings no browser, and Playwright's own browser download needs its CDN, so the checks use the
 * distribution's package instead. Installs it with apt-get when missing and we are root (as in a
 * CI container); otherwise explains what to do. Non-interactive.
 *
 * Library: `const { ensureChromium } = require('./chromium'); const result = ensureChromium();`
 *          → { ok: true, path } | { ok: false, reason }
 * Script:  `node test/browser/chromium.js` (exit 0 when Chromium is ready, 1 otherwise)
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';

/** Flags that let Chromium run headless as root in a container without touching the network. */
const CHROMIUM_ARGS = Object.freeze([
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
]);

function aptGet(/** @type {string[]} */ args, /** @type {(line: string) => void} */ log) {
	log(`  $ apt-get ${args.join(' ')}`);
	const result = spawnSync('apt-get', args, {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	return result.status === 0;
}

/**
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
function ensureChromium({ log = (line) => console.log(line) } = {}) {
	if (fs.existsSync(CHROMIUM)) return { ok: true, path: CHROMIUM };
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot) {
		return {
			ok: false,
			reason: `${CHROMIUM} is missing and installing it needs root: run \`sudo apt-get install -y chromium\``,
		};
	}
	log(`Installing Debian's chromium (${CHROMIUM} is missing)…`);
	// Try without refreshing the package lists first (fast when they are recent), then with.
	const installArgs = ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-noto-cjk'];
	const installed =
		aptGet(installArgs, log) || (aptGet(['update'], log) && aptGet(installArgs, log));
	if (installed && fs.existsSync(CHROMIUM)) return { ok: true, path: CHROMIUM };
	return {
		ok: false,
		reason: `apt-get could not install chromium (see its output above); ${CHROMIUM} is still missing`,
	};
}

if (require.main === module) {
	const result = ensureChromium();
	if (result.ok) console.log(`Chromium ready: ${result.path}`);
	else console.error(result.reason);
	process.exit(result.ok ? 0 : 1);
}

module.exports = { ensureChromium, CHROMIUM, CHROMIUM_ARGS };
