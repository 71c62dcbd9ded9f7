// @ts-check
// The n8n verification rules, checked on the real package and its build output (`npm test` builds
// first): no runtime dependencies, the only peer is n8n-workflow, shipped code imports nothing but
// n8n-workflow, zod, crypto and relative files, and uses no banned globals.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** @param {string} dir @returns {string[]} */
function filesUnder(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(full) : [full];
	});
}

describe('package.json', () => {
	it('has no runtime dependencies and only n8n-workflow as peer', () => {
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('pins zod to the copy n8n lends at run time', () => {
		expect(pkg.devDependencies.zod).toBe('3.25.76');
	});

	it('is an MIT community node package shipping dist only', () => {
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	});

	it('lists every node and credential source file, and the build produced each', () => {
		const sources = [
			...filesUnder(path.join(root, 'nodes')).filter((f) => f.endsWith('.node.ts')),
			...filesUnder(path.join(root, 'credentials')).filter((f) => f.endsWith('.credentials.ts')),
		].map((f) => `dist/${path.relative(root, f).replace(/\.ts$/, '.js')}`);
		expect([...pkg.n8n.nodes, ...pkg.n8n.credentials].sort()).toEqual(sources.sort());
		for (const file of sources) expect(fs.existsSync(path.join(root, file))).toBe(true);
	});

	it('copies every icon the nodes and credentials reference into dist', () => {
		const built = filesUnder(path.join(root, 'dist'));
		for (const file of built.filter((f) => /\.(node|credentials)\.js$/.test(f))) {
			const source = fs.readFileSync(file, 'utf8');
			for (const [, icon] of source.matchAll(/'file:([^']+)'/g)) {
				expect(fs.existsSync(path.resolve(path.dirname(file), icon))).toBe(true);
			}
		}
	});
});

describe('shipped code (dist)', () => {
	const shipped = filesUnder(path.join(root, 'dist')).filter((f) => f.endsWith('.js'));
	const allowed = new Set(['n8n-workflow', 'zod', 'crypto', 'node:crypto']);

	it('exists (npm test builds first)', () => {
		expect(shipped.length).toBeGreaterThan(10);
	});

	it('imports only n8n-workflow, zod, crypto and relative files', () => {
		const offending = [];
		for (const file of shipped) {
			for (const [, name] of fs.readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
				if (!name.startsWith('.') && !allowed.has(name))
					offending.push(`${path.relative(root, file)}: ${name}`);
			}
		}
		expect(offending).toEqual([]);
	});

	it('uses no process, timers, globalThis, env vars or file access', () => {
		const banned =
			/\b(process\.|globalThis|setTimeout|setInterval|setImmediate|__dirname|__filename)\b|require\("(fs|node:fs|child_process|path)"\)/;
		const offending = shipped.filter((file) => banned.test(fs.readFileSync(file, 'utf8')));
		expect(offending.map((f) => path.relative(root, f))).toEqual([]);
	});
});

describe('source hygiene', () => {
	it('has no inline eslint-disable comments anywhere', () => {
		const sources = ['nodes', 'credentials', 'test', 'examples']
			.flatMap((dir) => filesUnder(path.join(root, dir)))
			.concat([path.join(root, 'index.ts')])
			.filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.endsWith(path.basename(__filename)));
		const marker = ['eslint', 'disable'].join('-');
		expect(sources.filter((f) => fs.readFileSync(f, 'utf8').includes(marker))).toEqual([]);
	});

	it('exports every node and credential class from index.ts', () => {
		const index = require(path.join(root, 'dist/index.js'));
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			const exported = Object.values(require(path.join(root, file)));
			expect(exported.some((cls) => Object.values(index).includes(cls))).toBe(true);
		}
	});
});
