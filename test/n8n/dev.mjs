#!/usr/bin/env node
// `npm run dev`: a real n8n 2.41.1 with this pack, the platform emulator and the example workflows.
//
//   node test/n8n/dev.mjs [--no-build] [--fresh]
//
// 1. provisions Node 24 + n8n (first time: a few minutes, cached in ~/.cache/n8n-nodes-dingtalk-wecom)
// 2. builds the pack (npm run build) and installs it into the dev n8n as npm would
// 3. starts the emulator (test/emulator) and n8n, with an owner account from the environment
// 4. imports credentials pointing at the emulator and every examples/*.json (re-imported each run:
//    edits made to an example in the editor are overwritten; save a copy under another name)
// Ctrl-C stops n8n and the emulator. The dev n8n keeps its data in .dev/ (git-ignored); --fresh
// starts from an empty one. n8n runs in China's time zone (GENERIC_TIMEZONE and TZ =
// Asia/Shanghai), so a Schedule Trigger at 9:00 fires at 9:00 Beijing time, as for the pack's users.
//
// Env: N8N_PORT (5678), EMULATOR_PORT (9990), N8N_LISTEN_ADDRESS (127.0.0.1; 0.0.0.0 to reach the
// editor from another machine), N8N_DEV_OWNER_EMAIL / N8N_DEV_OWNER_PASSWORD, N8N_DEV_TIMEZONE
// (Asia/Shanghai; an IANA name), N8N_RUNTIME_DIR, N8N_NODE24_BINARY (see provision.js).

// First: install the locked devDependencies when needed. Done here rather than as `a && b` in the
// npm script, so that npm's SIGTERM reaches this process (a shell in between would swallow it).
import '../setup/ensureDependencies.mjs';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { provisionN8n, NO_NODE24 } = require('./provision.js');
const { createN8n, isPortFree, freePort, DEFAULT_OWNER } = require('./instance.js');
const { stagePack } = require('./pack.js');
const {
	emulatorCredentials,
	fallbackEmulatorView,
	FALLBACK_EMULATOR_URL,
} = require('./credentials.js');
const { loadExamples, credentialProblems } = require('./examples.js');

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEV_DIR = path.join(REPO_ROOT, '.dev');
const EMULATOR_ENTRY = path.join(REPO_ROOT, 'test', 'emulator', 'index.js');
/** The example to open first (falls back to the first one). */
const FIRST_EXAMPLE = 'dingtalk-work-notification';
/**
 * n8n's time zone: GENERIC_TIMEZONE is the default of every workflow's "Timezone" setting (Schedule
 * Trigger, date expressions); TZ sets the process's local time (n8n's and its task runner's Date).
 */
const TIMEZONE = process.env.N8N_DEV_TIMEZONE || 'Asia/Shanghai';

const say = (line = '') => console.log(line);
const step = (line) => console.log(`\n▶ ${line}`);

function run(command, args, options) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: 'inherit', ...options });
		child.on('error', reject);
		child.on('exit', (code, signal) =>
			code === 0
				? resolve()
				: reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}`)),
		);
	});
}

/** One line per emulator request, like `npm run emulator` prints. */
function emulatorLine(entry) {
	const response = entry.response && typeof entry.response === 'object' ? entry.response : {};
	const code = response.errcode ?? response.code;
	const family = entry.family === 'qyapi' ? '' : `/${entry.family}`;
	const outcome =
		entry.status === 0
			? 'connection reset'
			: `${entry.status}${code === undefined ? '' : ` ${response.errcode === undefined ? 'code' : 'errcode'} ${code}`}`;
	return `[emulator] ${entry.method} /${entry.platform}${family}${entry.path} → ${outcome}`;
}

async function startEmulator() {
	const port = Number(process.env.EMULATOR_PORT || 9990);
	if (!fs.existsSync(EMULATOR_ENTRY)) {
		say(
			`  ! ${path.relative(REPO_ROOT, EMULATOR_ENTRY)} not found: no emulator; credentials point at ${FALLBACK_EMULATOR_URL} anyway`,
		);
		return { emulator: undefined, view: fallbackEmulatorView(`http://127.0.0.1:${port}`) };
	}
	if (!(await isPortFree(port)))
		throw new Error(
			`Port ${port} is in use (an emulator from npm run emulator?): stop it or set EMULATOR_PORT`,
		);
	const { createEmulator } = require(EMULATOR_ENTRY);
	const emulator = await createEmulator({ port, onRequest: (entry) => say(emulatorLine(entry)) });
	say(
		`  emulator on ${emulator.url} (control API ${emulator.url}/__emulator, docs test/emulator/README.md)`,
	);
	return { emulator, view: emulator };
}

async function choosePort() {
	const wanted = Number(process.env.N8N_PORT || 5678);
	if (await isPortFree(wanted)) return wanted;
	const port = await freePort();
	say(`  port ${wanted} is in use; n8n uses ${port} instead`);
	return port;
}

/** Throws unless `zone` is an IANA time zone name this Node knows (n8n would fall back silently). */
function checkTimezone(zone) {
	try {
		new Intl.DateTimeFormat('en', { timeZone: zone });
	} catch {
		throw new Error(
			`N8N_DEV_TIMEZONE=${zone} is not a time zone name (use an IANA name such as Asia/Shanghai)`,
		);
	}
}

/** "2026-12-01 18:05" in `zone`. */
const localTime = (zone) =>
	new Intl.DateTimeFormat('sv-SE', {
		timeZone: zone,
		dateStyle: 'short',
		timeStyle: 'short',
	}).format(new Date());

/**
 * The time zone n8n gives its editor: `timezone` in /rest/settings, which n8n only sends to a
 * signed-in user (without a session it answers the public subset). Or why it could not be read.
 */
async function reportedTimezone(n8n) {
	try {
		const rest = await n8n.rest();
		const settings = await rest.request('GET', '/rest/settings');
		return settings?.data?.timezone ?? 'no timezone in /rest/settings';
	} catch (error) {
		return `/rest/settings unreadable: ${error.message}`;
	}
}

function banner({ url, examples, emulator, logFile, timezone }) {
	const first = examples.find((example) => example.name === FIRST_EXAMPLE) ?? examples[0];
	const lines = [
		'',
		'════════════════════════════════════════════════════════════════════════',
		`  n8n editor   ${url}`,
		`  login        ${DEFAULT_OWNER.email}  /  ${DEFAULT_OWNER.password}`,
		...(first
			? [
					`  run first    "${first.workflow.name}"`,
					`               ${url}/workflow/${first.workflow.id}  → Execute workflow`,
				]
			: ['  (no examples/*.json to import)']),
		`  examples     ${examples.length} imported; credentials "DingTalk account", "WeCom account", robots → emulator`,
		`  time zone    ${timezone.configured} (now ${localTime(timezone.configured)} there)${timezone.reported === timezone.configured ? '' : `  ! n8n reports: ${timezone.reported}`}`,
		`  emulator     ${emulator ? emulator.url : 'not running'}`,
		`  n8n log      ${path.relative(REPO_ROOT, logFile)}`,
		'  Ctrl-C stops n8n and the emulator.',
		'════════════════════════════════════════════════════════════════════════',
		'',
	];
	say(lines.join('\n'));
}

async function main() {
	const { values: flags } = parseArgs({
		options: {
			'no-build': { type: 'boolean', default: false },
			fresh: { type: 'boolean', default: false },
		},
	});
	const started = Date.now();
	checkTimezone(TIMEZONE);
	/** Everything to stop on exit, last started first. */
	const stoppers = [];
	let stopping;
	const shutdown = async (reason) => {
		if (stopping) return stopping;
		say(`\n${reason}: stopping…`);
		stopping = (async () => {
			for (const stop of stoppers.reverse())
				await stop().catch((error) => say(`  ${error.message}`));
		})();
		return stopping;
	};
	// `kill <npm pid>` or a supervisor stopping `npm run dev` signals npm, which exits without
	// passing the signal on: notice that the parent went away and stop too.
	const parent = process.ppid;
	setInterval(() => {
		if (process.ppid !== parent) shutdown('npm stopped').then(() => process.exit(0));
	}, 1000).unref();
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, () => {
			if (stopping) {
				say('Stopping already; exiting now.');
				process.exit(130); // instance.js kills n8n's process group on exit
			}
			shutdown(signal).then(() => process.exit(0));
		});
	}

	step('n8n runtime (Node 24 + n8n 2.41.1)');
	const runtime = await provisionN8n({ log: (line) => say(`  ${line}`) });
	say(`  ${runtime.runtimeDir}`);

	if (flags['no-build']) step('Build skipped (--no-build)');
	else {
		step('Building the pack (npm run build)');
		await run('npm', ['run', 'build'], { cwd: REPO_ROOT });
	}

	const userFolder = path.join(DEV_DIR, 'n8n');
	if (flags.fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	step(`Installing the pack into the dev n8n (${path.relative(REPO_ROOT, userFolder)})`);
	const pack = stagePack({ packDir: REPO_ROOT, userFolder, n8nDir: runtime.n8nDir });
	say(
		`  ${pack.name}@${pack.version}: ${pack.nodes.length} nodes, ${pack.credentials.length} credentials${pack.pinned.length ? ` (uses n8n's ${pack.pinned.join(', ')})` : ''}`,
	);

	step('Platform emulator');
	const { emulator, view } = await startEmulator();
	if (emulator) stoppers.push(() => emulator.close());

	const n8n = createN8n({
		runtime,
		userFolder,
		port: await choosePort(),
		listenAddress: process.env.N8N_LISTEN_ADDRESS || '127.0.0.1',
		logDir: path.join(DEV_DIR, 'logs'),
		env: { GENERIC_TIMEZONE: TIMEZONE, TZ: TIMEZONE },
	});
	stoppers.push(() => n8n.stop());

	step('Credentials and example workflows');
	await n8n.importCredentials(emulatorCredentials(view));
	const examples = loadExamples();
	for (const problem of examples.flatMap(credentialProblems)) say(`  ! ${problem}`);
	if (examples.length) await n8n.importWorkflows(examples.map((example) => example.workflow));
	for (const example of examples) say(`  ${example.name}: "${example.workflow.name}"`);

	step('Starting n8n');
	let ready = false;
	// n8n's own output is shown once it is up (the first start prints ~200 migration lines first).
	await n8n.start({ echo: (line) => ready && line.trim() && say(`[n8n] ${line}`) });
	ready = true;
	say(`  ready in ${Math.round((Date.now() - started) / 1000)}s`);
	banner({
		url: `http://localhost:${n8n.port}`,
		examples,
		emulator,
		logFile: n8n.logFile,
		timezone: { configured: TIMEZONE, reported: await reportedTimezone(n8n) },
	});
	await n8n.whenExited(); // normally never: Ctrl-C exits from the signal handler
	if (!stopping) {
		say(`\nn8n stopped unexpectedly; see ${path.relative(REPO_ROOT, n8n.logFile)}`);
		await shutdown('n8n exited');
		process.exit(1);
	}
}

main().catch((error) => {
	// No Node 24 for this machine (provision.js): the message says what to do; a stack would hide it.
	const detail = error?.code === NO_NODE24 ? error.message : (error.stack ?? error);
	console.error(`\nnpm run dev failed: ${detail}`);
	process.exit(1); // instance.js kills any n8n it started
});
