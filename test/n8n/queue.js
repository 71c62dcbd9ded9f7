// @ts-check
'use strict';

/**
 * n8n in queue mode (its own distributed engine): Redis, optionally PostgreSQL, one main
 * (`n8n start`) and N workers (`n8n worker`), all child processes in their own process groups on
 * 127.0.0.1, stopped by PID. What it relies on was verified by hand with n8n 2.41.1 (see
 * test/n8n/README.md "Queue mode"); in short:
 * - every process (main, workers, CLI) gets EXECUTIONS_MODE=queue, the Redis address, the same
 *   N8N_ENCRYPTION_KEY and the same database; a worker with another key exits at once;
 * - each process that executes runs its own JS task-runner broker: instance.js gives every
 *   process its own N8N_RUNNERS_BROKER_PORT;
 * - workers load nodes exactly like main, so the pack must be installed for them too: all
 *   processes share one user folder, into which the caller stages the pack (stagePack);
 * - order: Redis (+ Postgres) → CLI imports/publish (the first CLI command migrates the
 *   database) → main → workers; stop main, then workers, then Redis/Postgres.
 *
 *   const cluster = await createQueueCluster({ runtime, userFolder, logDir });  // Redis (+ Postgres) up
 *   await cluster.main.importCredentials([...]); await cluster.main.importWorkflows(wf);
 *   await cluster.main.publishWorkflow(wf.id);
 *   await cluster.start();   // main ready, then every worker ready (health check)
 *   ...                      // webhooks on cluster.main.webhookUrl(...), REST on cluster.main.rest()
 *   await cluster.stop();
 *
 * Database: `postgres` (default) or `sqlite` (the shared user folder's database.sqlite). n8n only
 * warns about SQLite in queue mode, but processes writing at the same time collide
 * (SQLITE_BUSY: database is locked, no busy timeout in n8n), so tests that run executions
 * concurrently should use Postgres.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createN8n, isPortFree } = require('./instance');
const { startRedis } = require('./redis');
const { startPostgres } = require('./postgres');

/**
 * @param {object} options
 * @param {import('./provision').RuntimePaths} options.runtime
 * @param {string} options.userFolder            shared by main, workers and the CLI (pack staged here)
 * @param {string} [options.logDir]              n8n's logs; default <userFolder>/logs
 * @param {number} [options.workers]             default 2
 * @param {number} [options.concurrency]         `n8n worker --concurrency` (default 10; <5 makes n8n warn)
 * @param {'postgres' | 'sqlite'} [options.database]  default postgres
 * @param {Record<string, string>} [options.env] extra env for every n8n process
 * @param {(line: string) => void} [options.log]
 */
async function createQueueCluster({
	runtime,
	userFolder,
	logDir,
	workers: workerCount = 2,
	concurrency = 10,
	database = 'postgres',
	env = {},
	log = (line) => console.log(line),
}) {
	/** @type {Record<string, number>} */
	const timings = {};
	const serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	/** @type {import('./redis').RedisServer | undefined} */
	let redis;
	/** @type {import('./postgres').PostgresServer | undefined} */
	let postgres;
	/** @type {string | undefined} */
	let postgresDir;
	try {
		let started = Date.now();
		redis = await startRedis({ dir: path.join(serverRoot, 'redis'), log });
		timings.redis = Date.now() - started;
		if (database === 'postgres') {
			started = Date.now();
			// Its own temp folder directly under the temp dir: as root it is handed to the postgres user.
			postgresDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pg-'));
			postgres = await startPostgres({ dir: postgresDir, log });
			timings.postgres = Date.now() - started;
		}
	} catch (error) {
		await postgres?.stop();
		await redis?.stop();
		fs.rmSync(serverRoot, { recursive: true, force: true });
		if (postgresDir) fs.rmSync(postgresDir, { recursive: true, force: true });
		throw error;
	}

	/** Shared by every process; random per cluster (n8n writes none to the user folder when this is set). */
	const queueEnv = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('base64url'),
		// Manual runs (REST /workflows/:id/run) go to the workers too, so main executes nothing and
		// starts no task runner (n8n 3 makes this the only behaviour).
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		...(postgres?.env ?? {}),
		...env,
	};
	const instance = () => createN8n({ runtime, userFolder, logDir, env: queueEnv });
	const main = instance();
	const workers = Array.from({ length: workerCount }, instance);
	/** PIDs and ports of everything started, for the caller's "nothing left behind" check. */
	/** @type {Array<{ name: string, pid: number, port: number }>} */
	const processes = [{ name: 'redis', pid: redis.pid, port: redis.port }];
	if (postgres) processes.push({ name: 'postgres', pid: postgres.pid, port: postgres.port });

	let stopped = false;
	return {
		database,
		redis,
		postgres,
		main,
		workers,
		env: queueEnv,
		timings,
		processes,

		/** Main (until /healthz/readiness), then every worker in parallel (until its health check answers). */
		async start() {
			let started = Date.now();
			await main.start();
			timings.main = Date.now() - started;
			processes.push({ name: 'main', pid: /** @type {number} */ (main.pid), port: main.port });
			started = Date.now();
			await Promise.all(
				workers.map(async (worker, index) => {
					const begun = Date.now();
					await worker.start({ command: 'worker', args: [`--concurrency=${concurrency}`] });
					timings[`worker${index + 1}`] = Date.now() - begun;
					processes.push({
						name: `worker${index + 1}`,
						pid: /** @type {number} */ (worker.pid),
						port: worker.port,
					});
				}),
			);
			timings.workers = Date.now() - started;
		},

		/** Main, then the workers, then Redis and Postgres; removes the servers' temp folders. */
		async stop() {
			if (stopped) return;
			stopped = true;
			let started = Date.now();
			await main.stop();
			timings.stopMain = Date.now() - started;
			started = Date.now();
			await Promise.all(workers.map((worker) => worker.stop()));
			timings.stopWorkers = Date.now() - started;
			started = Date.now();
			await redis?.stop();
			await postgres?.stop();
			timings.stopServers = Date.now() - started;
			fs.rmSync(serverRoot, { recursive: true, force: true });
			if (postgresDir) fs.rmSync(postgresDir, { recursive: true, force: true });
		},

		/**
		 * What is still there of the processes this cluster started: PIDs that still exist and ports
		 * still listened on (call after stop(); empty when nothing was left behind).
		 */
		async leftovers() {
			const left = [];
			for (const { name, pid, port } of processes) {
				if (alive(pid)) left.push(`${name}: process group ${pid} still exists`);
				if (!(await isPortFree(port))) left.push(`${name}: port ${port} is still in use`);
			}
			return left;
		},
	};
}

/** Whether a process group with this id still has a member (zombies of our own children included). */
function alive(/** @type {number} */ pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/** @typedef {Awaited<ReturnType<typeof createQueueCluster>>} QueueCluster */

module.exports = { createQueueCluster };
