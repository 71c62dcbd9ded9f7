// @ts-check
'use strict';

/**
 * Loads a community node package into a real n8n the way an npm install does, so node types get
 * their real names (`n8n-nodes-dingtalk-wecom.dingTalk`, as in our example workflows) instead of
 * `CUSTOM.dingTalk` (what N8N_CUSTOM_EXTENSIONS gives).
 *
 * Why this works (n8n 2.41.1, compiled source in the provisioned runtime):
 * - `modules/community-packages/community-packages.module.js` `nodeLoaders()` hands n8n one
 *   `LazyPackageDirectoryLoader` per folder matching `n8n-nodes-*` / `@*\/n8n-nodes-*` in
 *   `<N8N_USER_FOLDER>/.n8n/nodes/node_modules` (`n8n-core` `scanDirectoryForPackages`), with no
 *   database lookup: the `installed_packages` table only drives the Settings page and
 *   reinstall-missing.
 * - `load-nodes-and-credentials.js` `postProcessLoaders()` names types `${packageName}.${name}`.
 * - n8n installs a package as its npm tarball's files with dev/peer/optional dependencies removed
 *   from package.json (`community-packages.service.js` `downloadPackage()`), so the package
 *   resolves `n8n-workflow`, `zod`… from n8n's own node_modules (n8n adds them to NODE_PATH).
 *
 * stagePack() reproduces that install: package.json (dependencies stripped the same way) and the
 * files the npm tarball would carry (`files` + README/LICENSE) copied to
 * `<userFolder>/.n8n/nodes/node_modules/<name>`. A copy, not a symlink: n8n resolves the real path
 * of a package folder, and from the clone's dist/ Node would find the repo's own devDependency
 * copies of n8n-workflow/zod before n8n's. For the same reason, when the user folder itself lies
 * inside a project with a node_modules (our `.dev/`), the pack's runtime imports are pinned to
 * n8n's copies with symlinks next to the package (identical to what NODE_PATH gives a real
 * install; n8n only scans `n8n-nodes-*` names there, so they are not mistaken for packages).
 */

const fs = require('node:fs');
const { builtinModules, createRequire } = require('node:module');
const path = require('node:path');

/** @typedef {{ name: string, version: string, files?: string[], n8n?: { nodes?: string[], credentials?: string[] } }} PackManifest */

function readPackManifest(/** @type {string} */ packDir) {
	return /** @type {PackManifest} */ (
		JSON.parse(fs.readFileSync(path.join(packDir, 'package.json'), 'utf8'))
	);
}

/** The files n8n will load: every `n8n.nodes` / `n8n.credentials` entry, which must exist (built). */
function packEntryFiles(/** @type {string} */ packDir, manifest = readPackManifest(packDir)) {
	const nodes = manifest.n8n?.nodes ?? [];
	const credentials = manifest.n8n?.credentials ?? [];
	if (nodes.length + credentials.length === 0)
		throw new Error(`${packDir}/package.json has no n8n.nodes / n8n.credentials`);
	const missing = [...nodes, ...credentials].filter(
		(file) => !fs.existsSync(path.join(packDir, file)),
	);
	if (missing.length)
		throw new Error(
			`The pack is not built: missing ${missing.join(', ')} in ${packDir} (run npm run build)`,
		);
	return { nodes, credentials };
}

/** Bare module names the pack's shipped JavaScript requires (n8n-workflow, zod, …). */
function bareImports(/** @type {string} */ dir) {
	const names = new Set();
	const walk = (/** @type {string} */ folder) => {
		for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
			const full = path.join(folder, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.js')) {
				for (const [, spec] of fs
					.readFileSync(full, 'utf8')
					.matchAll(/require\(["']([^"'./][^"']*)["']\)/g)) {
					const name = spec.startsWith('@')
						? spec.split('/').slice(0, 2).join('/')
						: spec.split('/')[0];
					if (!builtinModules.includes(name) && !name.startsWith('node:')) names.add(name);
				}
			}
		}
	};
	walk(dir);
	return [...names].sort();
}

/** Is there a node_modules folder above `dir` (where Node would look before NODE_PATH)? */
function hasAncestorNodeModules(/** @type {string} */ dir) {
	for (let current = path.dirname(dir); ; current = path.dirname(current)) {
		if (fs.existsSync(path.join(current, 'node_modules'))) return true;
		if (path.dirname(current) === current) return false;
	}
}

/** Links `names` in `nodeModules` to the copies n8n itself loads (resolved from n8n's CLI package). */
function pinToN8nModules(
	/** @type {string} */ nodeModules,
	/** @type {string[]} */ names,
	/** @type {string} */ n8nDir,
) {
	const requireFromN8n = createRequire(
		path.join(n8nDir, 'node_modules', 'n8n', 'dist', 'load-nodes-and-credentials.js'),
	);
	const pinned = [];
	for (const name of names) {
		let target;
		try {
			target = path.dirname(requireFromN8n.resolve(`${name}/package.json`));
		} catch {
			continue; // n8n does not lend it: the load fails the same way it would for users
		}
		const link = path.join(nodeModules, name);
		fs.mkdirSync(path.dirname(link), { recursive: true });
		fs.rmSync(link, { recursive: true, force: true });
		fs.symlinkSync(target, link, 'dir');
		pinned.push(name);
	}
	return pinned;
}

/**
 * Installs the pack at `packDir` (package.json + built files) into the n8n user folder, replacing a
 * previous copy. n8n must be (re)started afterwards to load it.
 * @param {{ packDir: string, userFolder: string, n8nDir: string }} options  n8nDir: runtime.n8nDir
 * @returns {{ name: string, version: string, dir: string, nodes: string[], credentials: string[], pinned: string[] }}
 */
function stagePack({ packDir, userFolder, n8nDir }) {
	const manifest = readPackManifest(packDir);
	const { nodes, credentials } = packEntryFiles(packDir, manifest);
	const nodeModules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	const dir = path.join(nodeModules, manifest.name);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });

	const { devDependencies, peerDependencies, optionalDependencies, ...installed } =
		/** @type {any} */ (manifest);
	fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(installed, null, 2)}\n`);
	const shipped = [
		...(manifest.files ?? ['dist']),
		...fs.readdirSync(packDir).filter((file) => /^(readme|license|licence)/i.test(file)),
	];
	for (const entry of new Set(shipped)) {
		const source = path.join(packDir, entry);
		if (fs.existsSync(source))
			fs.cpSync(source, path.join(dir, entry), {
				recursive: true,
				filter: (file) => !file.endsWith('.tsbuildinfo'),
			});
	}

	const pinned = hasAncestorNodeModules(path.join(userFolder, '.n8n'))
		? pinToN8nModules(nodeModules, bareImports(dir), n8nDir)
		: [];
	return { name: manifest.name, version: manifest.version, dir, nodes, credentials, pinned };
}

/**
 * What n8n should load from a package: each `n8n.nodes` / `n8n.credentials` file required and its
 * classes instantiated the way n8n's loader does (on the provisioned Node 24, with n8n's modules on
 * NODE_PATH), giving the type names to expect. Run it on a staged copy (stagePack().dir).
 * @param {{ nodeBin: string, n8nDir: string }} runtime
 * @param {string} packageDir
 * @returns {{ nodes: Array<{ file: string, name: string, displayName: string }>, credentials: Array<{ file: string, name: string, displayName: string, properties: string[] }> }}
 */
function describePack(runtime, packageDir) {
	const { nodes, credentials } = packEntryFiles(packageDir);
	const script = `
		const path = require('node:path');
		const load = (file) => Object.values(require(path.resolve(${JSON.stringify(packageDir)}, file)))
			.filter((value) => typeof value === 'function').map((Type) => ({ file, instance: new Type() }));
		const nodes = ${JSON.stringify(nodes)}.flatMap(load).map(({ file, instance }) => {
			const description = instance.description ?? {};
			return { file, name: description.name, displayName: description.displayName };
		});
		const credentials = ${JSON.stringify(credentials)}.flatMap(load).map(({ file, instance }) =>
			({ file, name: instance.name, displayName: instance.displayName, properties: (instance.properties ?? []).map((p) => p.name) }));
		process.stdout.write(JSON.stringify({ nodes, credentials }));`;
	const { execFileSync } = require('node:child_process');
	const nodePath = [
		path.join(runtime.n8nDir, 'node_modules', 'n8n', 'node_modules'),
		path.join(runtime.n8nDir, 'node_modules'),
	].join(path.delimiter);
	const output = execFileSync(runtime.nodeBin, ['-e', script], {
		cwd: packageDir,
		env: { ...process.env, NODE_PATH: nodePath, NODE_OPTIONS: '' },
		encoding: 'utf8',
	});
	return JSON.parse(output);
}

module.exports = { stagePack, readPackManifest, packEntryFiles, bareImports, describePack };
