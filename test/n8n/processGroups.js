// @ts-check
'use strict';

/**
 * Child processes in their own process groups, shared by instance.js (n8n), redis.js and
 * postgres.js: each is spawned detached, so it leads a new group and a signal sent to the group
 * (-pid) reaches it and whatever it started (n8n's task runner, Postgres' backends). Groups not
 * yet closed are SIGKILLed when this Node process exits, as a last resort.
 *
 *   const group = spawnGroup(binary, args, { stdio });   // { child, pid, exited, kill(), stop() }
 *   await group.stop('SIGTERM', 10_000);                  // signal, SIGKILL after 10 s, closed
 */

const { spawn } = require('node:child_process');

/** Leaders of the groups this Node process started and that have not closed yet. */
/** @type {Set<number>} */
const running = new Set();
process.on('exit', () => {
	for (const pid of running) killGroup(pid, 'SIGKILL');
});

/** Sends `signal` to the process group led by `pid`; nothing when it is already gone. */
function killGroup(/** @type {number} */ pid, /** @type {NodeJS.Signals} */ signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

/**
 * Spawns `command` as the leader of a new process group (spawn's `detached`, forced on) and
 * tracks it until it closes.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options  spawn's options
 * @param {{ reapGroup?: boolean }} [tracking]  reapGroup: SIGKILL the group once the leader has
 *   closed too, for children that outlive it (n8n's task runner)
 */
function spawnGroup(command, args, options, { reapGroup = false } = {}) {
	const child = spawn(command, args, { ...options, detached: true });
	const pid = /** @type {number} */ (child.pid);
	running.add(pid);
	/** Resolves when the leader has closed (exited and its stdio ended). */
	const exited = /** @type {Promise<void>} */ (
		new Promise((resolve) =>
			child.on('close', () => {
				running.delete(pid);
				if (reapGroup) killGroup(pid, 'SIGKILL');
				resolve();
			}),
		)
	);
	return {
		child,
		pid,
		exited,
		/** Whether the leader has not exited yet. */
		get isRunning() {
			return child.exitCode === null && child.signalCode === null;
		},
		/** Sends `signal` to the whole group. */
		kill(/** @type {NodeJS.Signals} */ signal) {
			killGroup(pid, signal);
		},
		/** `signal` to the group (unless the leader has exited), SIGKILL after `timeoutMs`; resolves once closed. */
		async stop(/** @type {NodeJS.Signals} */ signal, /** @type {number} */ timeoutMs) {
			if (child.exitCode === null && child.signalCode === null) {
				killGroup(pid, signal);
				const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), timeoutMs);
				await exited;
				clearTimeout(timer);
			}
			await exited;
		},
	};
}

/** @typedef {ReturnType<typeof spawnGroup>} ProcessGroup */

module.exports = { spawnGroup, killGroup };
