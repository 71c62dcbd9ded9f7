// @ts-check
'use strict';

/**
 * A throw-away Redis for n8n's queue mode (see queue.js): Debian's `redis-server`, installed with
 * apt-get when the machine lacks it, started as a child process in its own process group on a
 * free loopback port, with no persistence, and stopped by PID.
 *
 *   const redis = await startRedis({ dir });   // { port, pid, stop() }
 *
 * Also home of the small apt-get helper the Postgres helper shares (`installDebianPackages`).
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { freePort } = require('./instance');
const { spawnGroup, killGroup } = require('./processGroups');

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/** Runs a command to completion, output captured. */
function run(
	/** @type {string} */ command,
	/** @type {string[]} */ args,
	/** @type {import('node:child_process').SpawnOptions} */ options = {},
) {
	return /** @type {Promise<{ code: number | null, output: string }>} */ (
		new Promise((resolve, reject) => {
			const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
			let output = '';
			child.stdout?.on('data', (chunk) => (output += chunk));
			child.stderr?.on('data', (chunk) => (output += chunk));
			child.on('error', reject);
			child.on('close', (code) => resolve({ code, output }));
		})
	);
}

/** An executable on PATH (or undefined). */
function onPath(/** @type {string} */ name) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return file;
		} catch {
			// not here
		}
	}
	return undefined;
}

/** `apt-get update` runs at most once per process. */
/** @type {Promise<void> | undefined} */
let aptUpdated;

/**
 * Installs Debian packages with apt-get, quietly (the output is shown only when it fails): as
 * root directly, otherwise through `sudo -n` when sudo works without a password; else it throws
 * with the command to run. `apt-get update` first, once per process (a fresh CI machine has no
 * package lists).
 * @param {string[]} packages
 * @param {{ log?: (line: string) => void }} [options]
 */
async function installDebianPackages(packages, { log = (line) => console.log(line) } = {}) {
	if (!onPath('apt-get'))
		throw new Error(
			`${packages.join(', ')} missing and this is not a Debian/Ubuntu machine (no apt-get): install ${packages.join(' ')} yourself`,
		);
	/** @type {string[]} */
	let prefix = [];
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		const sudo = onPath('sudo') && (await run('sudo', ['-n', 'true'])).code === 0;
		if (!sudo)
			throw new Error(
				`${packages.join(', ')} missing; install as root: apt-get update && apt-get install -y ${packages.join(' ')}`,
			);
		prefix = ['sudo', '-n'];
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const apt = async (/** @type {string[]} */ args) => {
		const [command, ...rest] = [...prefix, 'apt-get', ...args];
		const result = await run(command, rest, { env });
		if (result.code !== 0)
			throw new Error(
				`${[...prefix, 'apt-get', ...args].join(' ')} failed (exit ${result.code}):\n${result.output.split('\n').slice(-25).join('\n')}`,
			);
	};
	const started = Date.now();
	aptUpdated ??= apt(['update', '-qq']);
	await aptUpdated;
	await apt(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
	log(
		`installed ${packages.join(', ')} with apt-get (${((Date.now() - started) / 1000).toFixed(1)} s)`,
	);
}

/**
 * The redis-server binary: REDIS_SERVER_BINARY, /usr/bin/redis-server or one on PATH; installs
 * Debian's `redis-server` package when there is none.
 * @param {{ log?: (line: string) => void }} [options]
 */
async function ensureRedisServer(options = {}) {
	const find = () =>
		process.env.REDIS_SERVER_BINARY ||
		(fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : onPath('redis-server'));
	const found = find();
	if (found) return found;
	await installDebianPackages(['redis-server'], options);
	const installed = find();
	if (!installed)
		throw new Error('apt-get installed redis-server, but no redis-server binary was found');
	return installed;
}

/** One PING: resolves true on +PONG. */
function ping(/** @type {number} */ port) {
	return /** @type {Promise<boolean>} */ (
		new Promise((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			let answer = '';
			const done = (/** @type {boolean} */ ok) => {
				socket.destroy();
				resolve(ok);
			};
			socket.setTimeout(1000, () => done(false));
			socket.on('error', () => done(false));
			socket.on('connect', () => socket.write('PING\r\n'));
			socket.on('data', (chunk) => {
				answer += chunk;
				if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
			});
		})
	);
}

/**
 * Starts `redis-server` on 127.0.0.1 (a free port unless given), no RDB/AOF persistence, working
 * directory and log in `dir`; resolves once it answers PING.
 * @param {{ dir: string, port?: number, log?: (line: string) => void }} options
 */
async function startRedis({ dir, port, log }) {
	const binary = await ensureRedisServer({ log });
	fs.mkdirSync(dir, { recursive: true });
	const chosenPort = port || (await freePort());
	const logFile = path.join(dir, 'redis.log');
	const out = fs.openSync(logFile, 'a');
	const started = Date.now();
	// Own process group, so stop() and the exit handler reach it by PID.
	const server = spawnGroup(
		binary,
		[
			'--port',
			String(chosenPort),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--dir',
			dir,
		],
		{ stdio: ['ignore', out, out] },
	);
	fs.closeSync(out);
	const tail = () => fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
	const deadline = Date.now() + READY_TIMEOUT_MS;
	for (;;) {
		if (!server.isRunning)
			throw new Error(`redis-server exited during start; log ${logFile}:\n${tail()}`);
		if (await ping(chosenPort)) break;
		if (Date.now() > deadline) {
			server.kill('SIGKILL');
			throw new Error(
				`redis-server did not answer PING within ${READY_TIMEOUT_MS / 1000} s:\n${tail()}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return {
		port: chosenPort,
		pid: server.pid,
		logFile,
		startMs: Date.now() - started,
		/** SIGTERM (no save configured, so it just exits), SIGKILL after a while. */
		stop() {
			return server.stop('SIGTERM', STOP_TIMEOUT_MS);
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof startRedis>>} RedisServer */

module.exports = { startRedis, ensureRedisServer, installDebianPackages, onPath, run, killGroup };
