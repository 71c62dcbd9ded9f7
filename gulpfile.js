// Copies what tsc does not: node and credential icons. Codex (*.node.json) files are emitted by tsc
// through `resolveJsonModule` + the tsconfig include, but copying them here too keeps the build
// correct if a codex file is not imported anywhere.
const { src, dest, parallel } = require('gulp');

function copyNodeAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json'], { encoding: false }).pipe(
		dest('dist/nodes'),
	);
}

function copyCredentialAssets() {
	return src('credentials/**/*.{png,svg}', { encoding: false, allowEmpty: true }).pipe(
		dest('dist/credentials'),
	);
}

exports['build:icons'] = parallel(copyNodeAssets, copyCredentialAssets);
