// The platform emulator in its own process (emulatorProcess.mjs), started with child_process.fork
// and driven over the IPC channel: `call(cmd, arg)` sends one command and resolves with its answer;
// `close()` stops the emulator and waits for the process to exit. `options` reach the child as
// argv[2] (JSON): `seed` is createEmulator's seed option (test/emulator/README.md "Start").
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));

/**
 * @typedef {{ seed?: { dingtalkUserCount?: number, dingtalkDepartmentCount?: number,
 *   wecomUserCount?: number, wecomDepartmentCount?: number } }} EmulatorOptions
 */

export async function startEmulator(/** @type {EmulatorOptions} */ options = {}) {
	const child = fork(here('./emulatorProcess.mjs'), [JSON.stringify(options)], {
		execArgv: [],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	let nextId = 0;
	/** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void }>} */
	const pending = new Map();
	let exited = false;
	const exit = new Promise((resolve) =>
		child.once('exit', (code, signal) => {
			exited = true;
			for (const waiter of pending.values())
				waiter.reject(new Error(`the emulator process exited (${code ?? signal})`));
			pending.clear();
			resolve(undefined);
		}),
	);
	await new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`the emulator process exited (${code})`)));
		child.on('message', (/** @type {any} */ message) => {
			if (message?.ready) return resolve(undefined);
			const waiter = pending.get(message?.id);
			if (!waiter) return;
			pending.delete(message.id);
			if (message.ok) waiter.resolve(message.value);
			else waiter.reject(new Error(`emulator: ${message.error}`));
		});
	});
	/** @param {string} cmd @param {unknown} [arg] @returns {Promise<any>} */
	const call = (cmd, arg) =>
		new Promise((resolve, reject) => {
			if (exited) return reject(new Error('the emulator process is gone'));
			const id = ++nextId;
			pending.set(id, { resolve, reject });
			child.send({ id, cmd, arg });
		});
	return {
		pid: child.pid,
		call,
		async close() {
			if (exited) return;
			await call('close').catch(() => undefined);
			const timer = setTimeout(() => child.kill(), 5000);
			await exit;
			clearTimeout(timer);
		},
	};
}
