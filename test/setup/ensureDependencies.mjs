// `npm test` and `npm run dev` must work on a fresh clone (they run this first; pre-scripts would not
// run, because .npmrc sets ignore-scripts): install the locked devDependencies
// (npm ci) when node_modules is missing or was installed from another lockfile. Plain Node, no
// dependencies, because it runs before any are there.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lockfile = path.join(root, 'package-lock.json');
const marker = path.join(root, 'node_modules', '.installed-lock-hash');
const lockHash = createHash('sha256').update(readFileSync(lockfile)).digest('hex');

// npm keeps a hidden lockfile of what it installed; newer than package-lock.json means an install
// (ours or the developer's own npm ci/install) already happened for this lockfile.
const hiddenLockfile = path.join(root, 'node_modules', '.package-lock.json');
const installedByNpm =
	existsSync(hiddenLockfile) && statSync(hiddenLockfile).mtimeMs >= statSync(lockfile).mtimeMs;
const installed = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '';
if (installed !== lockHash && installedByNpm && !existsSync(marker)) {
	writeFileSync(marker, `${lockHash}\n`);
} else if (installed !== lockHash) {
	console.log(
		existsSync(path.join(root, 'node_modules'))
			? '[deps] package-lock.json changed since the last install: npm ci'
			: '[deps] no node_modules yet: npm ci (about a minute)',
	);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
	writeFileSync(marker, `${lockHash}\n`);
}
