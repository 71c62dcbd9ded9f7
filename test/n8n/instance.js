// @ts-check
'use strict';

/**
 * Runs a real n8n (the provisioned one, see provision.js) against one user folder:
 * `n8n start` as a server, and the CLI commands tests and `npm run dev` need.
 *
 *   const n8n = createN8n({ runtime, userFolder });
 *   await n8n.importCredentials([...]); await n8n.importWorkflows([...]); await n8n.publishWorkflow(id);
 *   await n8n.start();                       // waits for /healthz/readiness
 *   const rest = await n8n.rest();           // logged in as the owner
 *   const run = await n8n.executeWorkflow(id); // run.execution = the JSON of `n8n execute --rawOutput`
 *   await n8n.stop();
 *
 * CLI commands and the server may share the user folder (sqlite) at the same time: verified with
 * n8n 2.41.1 — import:credentials, import:workflow, publish:workflow and execute all work while
 * `n8n start` runs, and the server sees their rows at once (REST lists the imported workflow and
 * the CLI execution). Two things to know:
 * - each process that executes starts a task broker (default port 5679), so every process started
 *   here gets its own free N8N_RUNNERS_BROKER_PORT;
 * - n8n 2.41 activates published workflows asynchronously (publication outbox + a reconciler, every
 *   10 s by default, 2 s here): right after start() (~0.2 s later) and, for a workflow published
 *   with the CLI while the server runs, at the reconciler's next pass. No restart is needed;
 *   waitForWebhook() waits for it.
 *
 * The owner comes from the environment (N8N_INSTANCE_OWNER_MANAGED_BY_ENV), created or reset at
 * every `n8n start`, so the editor opens on a login page with known credentials and no sign-up.
 * Before the first start the CLI imports into the owner's personal project anyway (the database
 * migrations create the owner row without email; start fills it in).
 */

const fs = require('node:fs');
const net = require('node:net');
const { createRequire } = require('node:module');
const path = require('node:path');
const { spawnGroup, killGroup } = require('./processGroups');
const { createRestClient } = require('./rest');

/** Login of the n8n owner, overridable by env for people who want their own. */
const DEFAULT_OWNER = Object.freeze({
	email: process.env.N8N_DEV_OWNER_EMAIL || 'owner@example.com',
	password: process.env.N8N_DEV_OWNER_PASSWORD || 'Dev-Passw0rd',
	firstName: 'Dev',
	lastName: 'Owner',
});

/**
 * Settings that keep an offline n8n quiet and quick; all are n8n 2.41 config env vars. The first
 * group stops n8n (server and editor) from calling n8n's cloud services: telemetry (PostHog,
 * RudderStack), version checks and "what's new", templates, the onboarding survey, banners, the
 * catalogue of verified community nodes and the MCP server registry (api.n8n.io). Left at their
 * defaults because they already stay offline: the AI assistant/builder (need a licence and
 * N8N_AI_ASSISTANT_BASE_URL), Sentry (no DSN) and the licence server (contacted only to renew a
 * licence certificate, which these instances do not have; N8N_LICENSE_AUTO_RENEW_ENABLED=false
 * would only add a warning).
 */
const QUIET_ENV = Object.freeze({
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	// The node panel asks for the verified community nodes, which n8n fetches from api.n8n.io
	// (offline: "Failed to fetch community node types"). Installed packages, ours included, still load.
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	// The MCP server registry is fetched from api.n8n.io at start (fails offline, logs a stack).
	N8N_DISABLED_MODULES: 'mcp-registry',
	// No Python in the runtime: hide the Code node's Python mode (n8n still warns once that it cannot start a Python runner).
	N8N_PYTHON_ENABLED: 'false',
	// Plain http on localhost: a Secure cookie would be dropped by non-browser clients.
	N8N_SECURE_COOKIE: 'false',
	// Set explicitly (to today's defaults) so n8n does not print its deprecation notice for them.
	N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
	N8N_RUNNERS_TASK_TIMEOUT: '300',
	N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(2 * 1024 ** 3),
	N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
	N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
	// A workflow published with the CLI while n8n runs is activated by the publication reconciler:
	// every 2 s instead of 10 s. (Publishing in the editor does not wait for it.)
	N8N_WORKFLOW_PUBLICATION_RECONCILE_INTERVAL_SECONDS: '2',
});

const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 20_000;

/** A TCP port that was free a moment ago on 127.0.0.1. */
function freePort() {
	return /** @type {Promise<number>} */ (
		new Promise((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const { port } = /** @type {net.AddressInfo} */ (server.address());
				server.close(() => resolve(port));
			});
		})
	);
}

/** Whether `port` can be listened on now. */
function isPortFree(/** @type {number} */ port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, host, () => server.close(() => resolve(true)));
	});
}

/** Deletes all but the newest `keep` server logs (n8n-<time>.log/.jsonl pairs) in a log folder. */
function pruneLogs(/** @type {string} */ dir, keep = 10) {
	if (!fs.existsSync(dir)) return;
	const stamps = [
		...new Set(
			fs
				.readdirSync(dir)
				.filter((file) => /^n8n-.*\.(log|jsonl)$/.test(file))
				.map((file) => file.replace(/\.(log|jsonl)$/, '')),
		),
	].sort();
	for (const stamp of stamps.slice(0, Math.max(0, stamps.length - keep))) {
		for (const ext of ['.log', '.jsonl']) fs.rmSync(path.join(dir, stamp + ext), { force: true });
	}
}

/** A module from the provisioned n8n's node_modules (bcryptjs, flatted), loaded on this Node. */
function requireFromN8n(/** @type {{ n8nDir: string }} */ runtime, /** @type {string} */ name) {
	return createRequire(path.join(runtime.n8nDir, 'node_modules', 'n8n', 'package.json'))(name);
}

/** bcrypt hash for N8N_INSTANCE_OWNER_PASSWORD_HASH, with the bcryptjs n8n itself uses. */
function hashPassword(/** @type {{ n8nDir: string }} */ runtime, /** @type {string} */ password) {
	return requireFromN8n(runtime, 'bcryptjs').hashSync(password, 10);
}

/** Parses the JSON log lines n8n writes with N8N_LOG_FORMAT=json; other lines are skipped. */
function parseJsonLog(/** @type {string} */ text) {
	return text
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.flatMap((line) => {
			try {
				return [JSON.parse(line)];
			} catch {
				return [];
			}
		});
}

/**
 * Finds the execution that `n8n execute` logs (as JSON text inside a log line): the object with
 * `data.resultData`. It is logged on success and on failure ("Execution was NOT successful").
 */
function findExecution(/** @type {Array<{ message?: unknown }>} */ entries) {
	for (const { message } of entries) {
		if (typeof message !== 'string' || !message.startsWith('{')) continue;
		try {
			const value = JSON.parse(message);
			if (value?.data?.resultData) return value;
		} catch {
			// another JSON-looking message
		}
	}
	return undefined;
}

/**
 * @typedef {import('./provision').RuntimePaths} Runtime
 * @typedef {{ email: string, password: string, firstName: string, lastName: string }} Owner
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, ms: number }} CliResult
 */

/**
 * @param {object} options
 * @param {Runtime} options.runtime          from provisionN8n()
 * @param {string} options.userFolder        N8N_USER_FOLDER (n8n keeps `.n8n/` inside: database, key, nodes)
 * @param {Owner} [options.owner]            default DEFAULT_OWNER
 * @param {number} [options.port]            server port; 0/undefined = a free one
 * @param {string} [options.listenAddress]   default 127.0.0.1
 * @param {string} [options.logDir]          where server logs go; default <userFolder>/logs
 * @param {Record<string, string>} [options.env]  extra env for every n8n process
 */
function createN8n({
	runtime,
	userFolder,
	owner = DEFAULT_OWNER,
	port,
	listenAddress = '127.0.0.1',
	logDir,
	env: extraEnv = {},
}) {
	userFolder = path.resolve(userFolder);
	const logs = path.resolve(logDir ?? path.join(userFolder, 'logs'));
	fs.mkdirSync(logs, { recursive: true });
	pruneLogs(logs);
	const passwordHash = hashPassword(runtime, owner.password);
	/** The running server's process group. */
	/** @type {import('./processGroups').ProcessGroup | undefined} */
	let server;
	/** @type {Promise<void> | undefined} */
	let exited;
	/** @type {ReturnType<typeof createRestClient> | undefined} */
	let restClient;
	let importCounter = 0;

	const state = { port: port ?? 0, url: '', logFile: '', jsonLogFile: '' };

	/** Env shared by the server and CLI commands. */
	function baseEnv() {
		/** @type {NodeJS.ProcessEnv} */
		const env = { ...process.env };
		// Never inherit another n8n's settings (a developer's N8N_* variables) nor the test runner's:
		// jest sets NODE_ENV=test, with which n8n refuses to load nodes ("Not available in tests").
		for (const key of Object.keys(env))
			if (
				/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$|JEST_)/.test(
					key,
				)
			)
				delete env[key];
		return {
			...env,
			...QUIET_ENV,
			PATH: `${path.dirname(runtime.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: userFolder,
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: owner.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: passwordHash,
			N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
			...extraEnv,
		};
	}

	/**
	 * Runs `n8n <args>` to completion (its own task broker port, JSON logs on stdout).
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number }} [options]
	 * @returns {Promise<CliResult>}
	 */
	async function cli(args, { timeoutMs = 300_000 } = {}) {
		const env = {
			...baseEnv(),
			N8N_LOG_FORMAT: 'json',
			N8N_LOG_OUTPUT: 'console',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		};
		const started = Date.now();
		return new Promise((resolve, reject) => {
			// Own process group; killed again once n8n has closed: its task runner, if it outlived it.
			const group = spawnGroup(
				runtime.nodeBin,
				[runtime.n8nBin, ...args],
				{ env, cwd: userFolder, stdio: ['ignore', 'pipe', 'pipe'] },
				{ reapGroup: true },
			);
			const { child } = group;
			let stdout = '';
			let stderr = '';
			child.stdout?.on('data', (chunk) => (stdout += chunk));
			child.stderr?.on('data', (chunk) => (stderr += chunk));
			const timer = setTimeout(() => group.kill('SIGKILL'), timeoutMs);
			child.on('error', reject);
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
			});
		});
	}

	/** Runs a CLI command and throws with its output unless it exits 0. */
	async function cliOrThrow(/** @type {string[]} */ args) {
		const result = await cli(args);
		if (result.code !== 0)
			throw new Error(
				`n8n ${args.join(' ')} exited with ${result.signal ?? result.code}\n${messagesOf(result).join('\n')}`,
			);
		return result;
	}

	/** The log messages of a CLI run, for error reports. */
	const messagesOf = (/** @type {CliResult} */ result) => [
		...parseJsonLog(result.stdout).map((entry) => `${entry.level}: ${entry.message}`),
		...result.stderr.split('\n').filter(Boolean),
	];

	/**
	 * Runs an import command on a given file, or on data written to a temporary file in the user
	 * folder (deleted afterwards: credentials are in clear there).
	 */
	async function importFrom(/** @type {string} */ command, /** @type {unknown} */ input) {
		if (typeof input === 'string') return cliOrThrow([command, `--input=${path.resolve(input)}`]);
		const dir = path.join(userFolder, 'imports');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(
			dir,
			`${command.replace(':', '-')}-${process.pid}-${++importCounter}.json`,
		);
		fs.writeFileSync(file, JSON.stringify(input, null, 2), { mode: 0o600 });
		try {
			return await cliOrThrow([command, `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	return {
		userFolder,
		owner,
		get port() {
			return state.port;
		},
		/** http://127.0.0.1:<port> once started. */
		get url() {
			return state.url;
		},
		/** The server's console output (text) and its JSON log (one object per line). */
		get logFile() {
			return state.logFile;
		},
		get jsonLogFile() {
			return state.jsonLogFile;
		},
		get isRunning() {
			return Boolean(server && server.isRunning);
		},
		/** PID of the running server (the leader of its process group), undefined when stopped. */
		get pid() {
			return server?.pid;
		},
		cli,

		/** `n8n import:credentials`; `credentials` = array (data in clear, encrypted by n8n) or a file path. */
		async importCredentials(/** @type {unknown[] | string} */ credentials) {
			return importFrom('import:credentials', credentials);
		},

		/** `n8n import:workflow`; one workflow, an array, or a file path. Same id = overwritten. */
		async importWorkflows(/** @type {object | object[] | string} */ workflows) {
			const result = await importFrom('import:workflow', workflows);
			const skipped = parseJsonLog(result.stdout).filter((entry) =>
				/^Skipped workflow/.test(entry.message),
			);
			if (skipped.length)
				throw new Error(
					`n8n skipped workflows on import: ${skipped.map((entry) => entry.message).join('; ')}`,
				);
			return result;
		},

		/** `n8n publish:workflow --id` (activation takes effect at the next start). */
		async publishWorkflow(/** @type {string} */ id) {
			return cliOrThrow(['publish:workflow', `--id=${id}`]);
		},

		/**
		 * `n8n execute --id <id> --rawOutput`: runs a workflow whose start node is a Manual Trigger.
		 * @returns {Promise<{ ok: boolean, status: string | undefined, execution: any, messages: string[], cli: CliResult }>}
		 *   execution: the full run (data.resultData.runData per node); ok: exit code 0
		 */
		async executeWorkflow(/** @type {string} */ id) {
			const result = await cli(['execute', `--id=${id}`, '--rawOutput']);
			const execution = findExecution(parseJsonLog(result.stdout));
			return {
				ok: result.code === 0,
				status: execution?.status,
				execution,
				messages: messagesOf(result),
				cli: result,
			};
		},

		/**
		 * Starts `n8n start` and waits until /healthz/readiness answers 200 (database migrated, REST up).
		 * With `command: 'worker'` (queue mode, see queue.js) it starts `n8n worker <args>` instead:
		 * `port` is then the worker's health-check server (QUEUE_HEALTH_CHECK_PORT, answering
		 * /healthz/readiness once the worker takes jobs) and `url` points at it.
		 * @param {{ echo?: (line: string) => void, command?: 'start' | 'worker', args?: string[] }} [options]
		 *   echo: also receive each console line; args: extra CLI arguments (e.g. `--concurrency=5`)
		 * @returns {Promise<{ url: string, bootMs: number }>}
		 */
		async start({ echo, command = 'start', args = [] } = {}) {
			if (server) throw new Error('n8n is already started');
			if (!state.port) state.port = await freePort();
			else if (!(await isPortFree(state.port, listenAddress)))
				throw new Error(
					`Port ${state.port} is in use (another n8n?); choose another with N8N_PORT`,
				);
			const stamp = new Date().toISOString().replace(/[:.]/g, '-');
			const logName =
				command === 'start' ? `n8n-${stamp}` : `n8n-${stamp}-${command}-${state.port}`;
			state.logFile = path.join(logs, `${logName}.log`);
			state.jsonLogFile = path.join(logs, `${logName}.jsonl`);
			state.url = `http://127.0.0.1:${state.port}`;
			const serverEnv =
				command === 'worker'
					? {
							QUEUE_HEALTH_CHECK_ACTIVE: 'true',
							QUEUE_HEALTH_CHECK_PORT: String(state.port),
							N8N_WORKER_SERVER_ADDRESS: listenAddress,
						}
					: {
							N8N_PORT: String(state.port),
							N8N_LISTEN_ADDRESS: listenAddress,
							N8N_HOST: 'localhost',
							N8N_EDITOR_BASE_URL: `http://localhost:${state.port}/`,
							N8N_WEBHOOK_URL: `http://localhost:${state.port}/`,
						};
			const env = {
				...baseEnv(),
				...serverEnv,
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				N8N_LOG_OUTPUT: 'console,file',
				N8N_LOG_FILE_LOCATION: state.jsonLogFile,
				...extraEnv,
			};
			const started = Date.now();
			const out = fs.createWriteStream(state.logFile);
			// Own process group: stop() ends n8n and its task runner together, and once n8n has closed
			// the group is killed again (a task runner that outlived it).
			const group = spawnGroup(
				runtime.nodeBin,
				[runtime.n8nBin, command, ...args],
				{ env, cwd: userFolder, stdio: ['ignore', 'pipe', 'pipe'] },
				{ reapGroup: true },
			);
			const { child } = group;
			server = group;
			exited = group.exited;
			let pending = '';
			const onData = (/** @type {Buffer} */ chunk) => {
				out.write(chunk);
				if (!echo) return;
				pending += chunk.toString();
				const lines = pending.split('\n');
				pending = lines.pop() ?? '';
				for (const line of lines) echo(line);
			};
			child.stdout?.on('data', onData);
			child.stderr?.on('data', onData);
			child.on('close', () => out.end());
			await waitUntilReady(child, `${state.url}/healthz/readiness`, state.logFile);
			return { url: state.url, bootMs: Date.now() - started };
		},

		/** SIGTERM, wait for n8n's graceful shutdown, then SIGKILL whatever is left of its group. */
		async stop() {
			if (!server) return;
			const group = server;
			server = undefined;
			restClient = undefined;
			await group.stop('SIGTERM', STOP_TIMEOUT_MS);
		},

		/** Resolves when the server process has exited (crash or stop()). */
		whenExited() {
			return exited ?? Promise.resolve();
		},

		/** REST client logged in as the owner (cached until stop()). */
		async rest() {
			if (!state.url) throw new Error('n8n is not started');
			if (!restClient) {
				const flatted = requireFromN8n(runtime, 'flatted');
				restClient = createRestClient({
					baseUrl: state.url,
					parseFlatted: (text) => flatted.parse(text),
				});
				await restClient.login(owner.email, owner.password);
			}
			return restClient;
		},

		/** The server's JSON log entries so far ({ level, message, metadata, timestamp }). */
		logEntries() {
			return state.jsonLogFile && fs.existsSync(state.jsonLogFile)
				? parseJsonLog(fs.readFileSync(state.jsonLogFile, 'utf8'))
				: [];
		},

		/**
		 * Production webhook URL: `/webhook/<segments joined by />`. Which segments depends on the node
		 * (n8n-workflow getNodeWebhookPath): n8n's Webhook node declares `isFullPath`, so its URL is
		 * `/webhook/<path>`; trigger nodes without it (Slack, Telegram… and typically ours) get
		 * `/webhook/<node.webhookId>/<path>`.
		 */
		webhookUrl(/** @type {string[]} */ ...segments) {
			return `${state.url}/webhook/${segments.map((segment) => segment.replace(/^\/+|\/+$/g, '')).join('/')}`;
		},

		/**
		 * Waits until n8n serves a production webhook. n8n 2.41 activates published workflows
		 * asynchronously after it reports ready (publication reconciler), so calling a webhook right
		 * after start() can get 404. The probe is a CORS preflight (OPTIONS with Origin), which n8n
		 * answers from its webhook registry without running the workflow: 204 with
		 * Access-Control-Allow-Methods once registered, 404 before.
		 * @param {string} url  from webhookUrl()
		 * @param {{ method?: string, timeoutMs?: number }} [options]
		 */
		async waitForWebhook(url, { method = 'POST', timeoutMs = 60_000 } = {}) {
			const deadline = Date.now() + timeoutMs;
			let last = '';
			while (Date.now() < deadline) {
				const response = await fetch(url, { method: 'OPTIONS', headers: { origin: state.url } });
				const allowed = (response.headers.get('access-control-allow-methods') ?? '').split(/,\s*/);
				if (response.status === 204 && allowed.includes(method.toUpperCase())) return;
				last = `HTTP ${response.status} ${allowed.join(',')} ${(await response.text()).slice(0, 200)}`;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			throw new Error(
				`Webhook ${method} ${url} was not registered within ${timeoutMs / 1000}s (last probe: ${last})`,
			);
		},
	};
}

/** Polls the readiness endpoint; fails early (with the log's tail) when n8n exits. */
async function waitUntilReady(
	/** @type {import('node:child_process').ChildProcess} */ child,
	/** @type {string} */ url,
	/** @type {string} */ logFile,
) {
	const deadline = Date.now() + READY_TIMEOUT_MS;
	const tail = () =>
		fs.existsSync(logFile)
			? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')
			: '';
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(
				`n8n exited during start (${child.signalCode ?? child.exitCode}); log ${logFile}:\n${tail()}`,
			);
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	killGroup(/** @type {number} */ (child.pid), 'SIGKILL');
	throw new Error(
		`n8n was not ready after ${READY_TIMEOUT_MS / 1000}s; log ${logFile}:\n${tail()}`,
	);
}

/** @typedef {ReturnType<typeof createN8n>} N8nInstance */

module.exports = {
	createN8n,
	DEFAULT_OWNER,
	QUIET_ENV,
	freePort,
	isPortFree,
	hashPassword,
	requireFromN8n,
	parseJsonLog,
	findExecution,
	pruneLogs,
};
