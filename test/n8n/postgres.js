// @ts-check
'use strict';

/**
 * A throw-away PostgreSQL for n8n's queue mode (see queue.js): Debian's `postgresql` server
 * binaries (installed with apt-get when missing), a fresh cluster in a temp folder (initdb, trust
 * auth, no fsync), the postmaster started as a child process in its own process group on a free
 * loopback port, and stopped by PID (fast shutdown). Nothing of the system's own cluster is used.
 *
 * Postgres refuses to run as root, so as root the binaries run as the package's `postgres` user
 * (spawn's uid/gid) in folders it owns; as any other user they run as that user.
 *
 *   const pg = await startPostgres({ dir });   // { port, env: DB_* for n8n, stop() }
 */

const fs = require('node:fs');
const path = require('node:path');
const { freePort } = require('./instance');
const { spawnGroup } = require('./processGroups');
const { installDebianPackages, run } = require('./redis');

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const PG_ROOT = '/usr/lib/postgresql';

/** The newest /usr/lib/postgresql/<major>/bin holding initdb and postgres, if any. */
function findPostgresBin() {
	if (process.env.POSTGRES_BIN_DIR) return process.env.POSTGRES_BIN_DIR;
	if (!fs.existsSync(PG_ROOT)) return undefined;
	const majors = fs
		.readdirSync(PG_ROOT)
		.filter((name) => /^\d+$/.test(name))
		.sort((a, b) => Number(b) - Number(a));
	for (const major of majors) {
		const bin = path.join(PG_ROOT, major, 'bin');
		if (['initdb', 'postgres', 'pg_isready'].every((name) => fs.existsSync(path.join(bin, name))))
			return bin;
	}
	return undefined;
}

/**
 * The server binaries' folder; installs Debian's `postgresql` when there is none (POSTGRES_BIN_DIR
 * overrides the search).
 * @param {{ log?: (line: string) => void }} [options]
 */
async function ensurePostgres(options = {}) {
	const found = findPostgresBin();
	if (found) return found;
	await installDebianPackages(['postgresql'], options);
	const installed = findPostgresBin();
	if (!installed)
		throw new Error(
			`apt-get installed postgresql, but ${PG_ROOT}/<major>/bin has no server binaries`,
		);
	return installed;
}

/** uid/gid to run the server as: the `postgres` user when we are root, else ourselves. */
function serverUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (!line)
		throw new Error(
			'running as root, but there is no postgres user to run PostgreSQL as (Debian package postgresql creates it)',
		);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/**
 * initdb + postgres on 127.0.0.1 (a free port unless given) with data, socket and log in `dir`
 * (as root, `dir` is handed to the postgres user, so its parents must be traversable: use a
 * folder directly in the system temp dir);
 * resolves once pg_isready says it accepts connections. `env` = the DB_* variables for n8n
 * (database `postgres` of this fresh cluster, user `postgres`, trust auth: no password).
 * @param {{ dir: string, port?: number, log?: (line: string) => void }} options
 */
async function startPostgres({ dir, port, log }) {
	const bin = await ensurePostgres({ log });
	const user = serverUser();
	const dataDir = path.join(dir, 'data');
	const socketDir = path.join(dir, 'socket');
	fs.mkdirSync(dir, { recursive: true });
	for (const folder of [dir, dataDir, socketDir]) {
		fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
		if (user.uid !== undefined) fs.chownSync(folder, user.uid, /** @type {number} */ (user.gid));
	}
	const started = Date.now();
	const asServer = { ...user, cwd: dir, env: { ...process.env, LC_ALL: 'C' } };
	const init = await run(
		path.join(bin, 'initdb'),
		['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
		asServer,
	);
	if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.output}`);
	const initMs = Date.now() - started;

	const chosenPort = port || (await freePort());
	const logFile = path.join(dir, 'postgres.log');
	const out = fs.openSync(logFile, 'a');
	// Own process group, so stop() and the exit handler reach the postmaster and its backends.
	const server = spawnGroup(
		path.join(bin, 'postgres'),
		[
			'-D',
			dataDir,
			'-h',
			'127.0.0.1',
			'-p',
			String(chosenPort),
			'-k',
			socketDir,
			// A test database: durability is not wanted, speed is.
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		{ ...asServer, stdio: ['ignore', out, out] },
	);
	fs.closeSync(out);
	const tail = () => fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
	const deadline = Date.now() + READY_TIMEOUT_MS;
	for (;;) {
		if (!server.isRunning)
			throw new Error(`postgres exited during start; log ${logFile}:\n${tail()}`);
		const ready = await run(path.join(bin, 'pg_isready'), [
			'-q',
			'-h',
			'127.0.0.1',
			'-p',
			String(chosenPort),
		]);
		if (ready.code === 0) break;
		if (Date.now() > deadline) {
			server.kill('SIGKILL');
			throw new Error(`postgres was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${tail()}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		port: chosenPort,
		pid: server.pid,
		logFile,
		initMs,
		startMs: Date.now() - started,
		/** n8n's database settings for this server. */
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(chosenPort),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: 'postgres',
		},
		/** SIGINT = fast shutdown (ends open sessions), SIGKILL after a while. */
		stop() {
			return server.stop('SIGINT', STOP_TIMEOUT_MS);
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof startPostgres>>} PostgresServer */

module.exports = { startPostgres, ensurePostgres, findPostgresBin };
