// @ts-check
'use strict';

/**
 * One real n8n for the whole e2e suite, set up once (each n8n boot costs ~6-9 s):
 *   provision Node 24 + n8n (cached) → install the built pack into a fresh user folder in the
 *   system temp dir (outside the clone, so module resolution is a user's) → start the emulator in
 *   this process → import the emulator credentials and every case's workflow → start n8n.
 * Workflows imported or published later (webhook tests) are picked up by the running server.
 *
 * Cases = examples/*.json (with test/e2e/examples/<name>.expect.js) + test/e2e/fixtures/*.json
 * that have a <name>.expect.js (machinery canaries with n8n's built-in nodes only, and pack cases
 * that are not examples, such as the hardening cases).
 *
 * Env: E2E_PACK_DIR (default: the repo), E2E_EXAMPLES_DIR (default: examples/), E2E_EXPECT_DIR
 * (default: test/e2e/examples/), E2E_KEEP_USER_FOLDER=1 (keep the temp n8n user folder).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { provisionN8n } = require('../../n8n/provision');
const { createN8n } = require('../../n8n/instance');
const { stagePack } = require('../../n8n/pack');
const { emulatorCredentials } = require('../../n8n/credentials');
const { loadExamples, exampleWorkflowId, EXAMPLES_DIR } = require('../../n8n/examples');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Logs and timings of each suite go to test/.output/<suite>/ (git-ignored). */
const OUTPUT_ROOT = path.join(REPO_ROOT, 'test', '.output');
const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures');
const EXPECT_DIR = path.resolve(
	process.env.E2E_EXPECT_DIR || path.join(__dirname, '..', 'examples'),
);
/** Fixtures may point at the emulator, whose port is only known at run time. */
const EMULATOR_URL_PLACEHOLDER = '__EMULATOR_URL__';

/**
 * @typedef {{ kind: 'example' | 'fixture', name: string, file: string, expectFile: string, workflow: any }} Case
 */

/** Example workflows and the file that must hold their assertions. */
function exampleCases(dir = process.env.E2E_EXAMPLES_DIR || EXAMPLES_DIR) {
	return loadExamples(dir).map((example) => ({
		kind: /** @type {const} */ ('example'),
		...example,
		expectFile: path.join(EXPECT_DIR, `${example.name}.expect.js`),
	}));
}

/** Fixture workflows that come with an assertion file (others are used by name, e.g. webhook-echo). */
function fixtureCases() {
	return fs
		.readdirSync(FIXTURES_DIR)
		.filter(
			(file) =>
				file.endsWith('.json') &&
				fs.existsSync(path.join(FIXTURES_DIR, file.replace(/\.json$/, '.expect.js'))),
		)
		.sort()
		.map((file) => {
			const name = path.basename(file, '.json');
			return {
				kind: /** @type {const} */ ('fixture'),
				name,
				file: path.join(FIXTURES_DIR, file),
				expectFile: path.join(FIXTURES_DIR, `${name}.expect.js`),
				workflow: loadFixture(name),
			};
		});
}

/** A fixture workflow with a stable id and the emulator placeholder left for bindToEmulator(). */
function loadFixture(/** @type {string} */ name) {
	const workflow = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, `${name}.json`), 'utf8'));
	return { ...workflow, id: exampleWorkflowId(`fixture:${name}`), active: false };
}

/** Replaces the emulator URL placeholder everywhere in a workflow. */
function bindToEmulator(/** @type {any} */ workflow, /** @type {string} */ emulatorUrl) {
	return JSON.parse(JSON.stringify(workflow).split(EMULATOR_URL_PLACEHOLDER).join(emulatorUrl));
}

/** All cases the suite runs, known when jest collects tests. */
function allCases() {
	return [...exampleCases(), ...fixtureCases()];
}

/**
 * @param {{ suite?: string, log?: (line: string) => void }} [options]  suite: names the output folder
 */
async function setUp({ suite = 'e2e', log = (line) => console.log(line) } = {}) {
	const outputDir = path.join(OUTPUT_ROOT, suite);
	/** @type {Record<string, number>} */
	const timings = {};
	/** Runs a step and records how long it took. @template T @param {string} name @param {() => Promise<T>} step @returns {Promise<T>} */
	const lap = async (name, step) => {
		const started = Date.now();
		const value = await step();
		timings[name] = Date.now() - started;
		return value;
	};
	fs.mkdirSync(outputDir, { recursive: true });
	const runtime = await lap('provision', () => provisionN8n({ log }));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
	const packDir = path.resolve(process.env.E2E_PACK_DIR || REPO_ROOT);
	const pack = await lap('stagePack', async () =>
		stagePack({ packDir, userFolder, n8nDir: runtime.n8nDir }),
	);
	// The emulator is CommonJS test infrastructure from test/emulator; loaded here, not at file load,
	// so a missing emulator fails setup with a clear message.
	const { createEmulator } = require('../../emulator');
	// Every access token the emulator hands out (reset() forgets them), for the no-secrets-in-logs check.
	/** @type {Set<string>} */
	const issuedTokens = new Set();
	const emulator = await createEmulator({
		port: 0,
		onRequest: (entry) => {
			const answer = /** @type {{ access_token?: unknown, accessToken?: unknown } | undefined} */ (
				entry.response
			);
			const token = answer?.access_token ?? answer?.accessToken;
			if (typeof token === 'string' && token) issuedTokens.add(token);
		},
	});
	// The callback-receiver canary's Code node decrypts with Node's crypto, which n8n allows by name.
	const n8n = createN8n({
		runtime,
		userFolder,
		logDir: path.join(outputDir, 'logs'),
		env: { NODE_FUNCTION_ALLOW_BUILTIN: 'crypto' },
	});
	const credentials = emulatorCredentials(emulator);
	const cases = allCases().map((testCase) => ({
		...testCase,
		workflow: bindToEmulator(testCase.workflow, emulator.url),
	}));
	try {
		await lap('importCredentials', () => n8n.importCredentials(credentials));
		await lap('importWorkflows', () =>
			n8n.importWorkflows(cases.map((testCase) => testCase.workflow)),
		);
		const boot = await lap('start', () => n8n.start());
		const bootLog = n8n.logEntries();
		const rest = await lap('login', () => n8n.rest());
		log(
			`${suite}: n8n ${runtime.n8nVersion} at ${boot.url} (user folder ${userFolder}, log ${path.relative(REPO_ROOT, n8n.logFile)})`,
		);
		return {
			suite,
			outputDir,
			runtime,
			pack,
			emulator,
			n8n,
			rest,
			credentials,
			cases,
			bootLog,
			timings,
			userFolder,
			issuedTokens,
		};
	} catch (error) {
		await n8n.stop();
		await emulator.close();
		throw error;
	}
}

/**
 * Stops n8n and the emulator, writes and prints the timings (ms), removes the temp user folder
 * (logs stay in test/.output/<suite>/logs).
 */
async function tearDown(
	/** @type {Awaited<ReturnType<typeof setUp>> | undefined} */ context,
	/** @type {Record<string, number>} */ extraTimings = {},
) {
	if (!context) return;
	const started = Date.now();
	await context.n8n.stop();
	context.timings.stop = Date.now() - started;
	await context.emulator.close();
	const timings = { ...context.timings, ...extraTimings };
	fs.writeFileSync(
		path.join(context.outputDir, 'timings.json'),
		`${JSON.stringify(timings, null, 2)}\n`,
	);
	console.log(
		`${context.suite} timings (ms): ${Object.entries(timings)
			.map(([name, ms]) => `${name} ${ms}`)
			.join(', ')}`,
	);
	if (!process.env.E2E_KEEP_USER_FOLDER)
		fs.rmSync(context.userFolder, { recursive: true, force: true });
}

module.exports = {
	setUp,
	tearDown,
	allCases,
	exampleCases,
	fixtureCases,
	loadFixture,
	bindToEmulator,
	OUTPUT_ROOT,
	FIXTURES_DIR,
	EXPECT_DIR,
};
