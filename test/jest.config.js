// @ts-check
// Every suite of the project, as jest projects: `npm test` runs them all, `--selectProjects <name>`
// runs one. Integration and e2e suites start servers (the emulator, a real n8n), so they get longer
// timeouts; e2e runs alone (`--runInBand`) because it drives one real n8n.
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// Type checking is a separate step (`npm run typecheck`); jest only transpiles, which keeps it fast.
const tsJest = ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.json') }];

/** @param {string} name @param {string[]} testMatch @param {object} [extra] */
const project = (name, testMatch, extra = {}) => ({
	displayName: name,
	rootDir: root,
	testMatch: testMatch.map((pattern) => `<rootDir>/${pattern}`),
	transform: { '^.+\\.ts$': tsJest },
	testEnvironment: 'node',
	setupFiles: ['<rootDir>/test/setup/env.js'],
	...extra,
});

module.exports = {
	rootDir: root,
	projects: [
		project('unit', ['test/unit/**/*.test.ts', 'test/package/**/*.test.js']),
		project('emulator', ['test/emulator/__tests__/**/*.test.js']),
		project('integration', ['test/integration/**/*.test.ts']),
		project('security', ['test/security/**/*.test.ts']),
		project('e2e', ['test/e2e/**/*.test.js']),
		project('browser', ['test/browser/**/*.test.js']),
	],
};
