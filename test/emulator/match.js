// @ts-check
'use strict';

const { EmulatorInputError } = require('./inputError');

/**
 * Which requests a fault, a quota or a request-log filter applies to. One rule everywhere:
 * - `path` is the platform path as on the real host (`/topapi/...`, `/v1.0/...`, `/cgi-bin/...`),
 *   without the emulator prefix. A string is exact; a string ending in `*` is a prefix; a string
 *   starting with `^` is a RegExp source; a RegExp is used as is.
 * - `platform`, `family` and `method` (case-insensitive) must equal when given.
 *
 * @typedef {object} RequestSelector
 * @property {'dingtalk'|'wecom'} [platform]
 * @property {'oapi'|'api'|'qyapi'} [family]
 * @property {string|RegExp} [path]
 * @property {string} [method]
 *
 * @typedef {{ platform: string, family: string, method: string, path: string }} RequestKey
 */

const PLATFORMS = ['dingtalk', 'wecom'];
const FAMILIES = { dingtalk: ['oapi', 'api'], wecom: ['qyapi'] };

/**
 * Compiles a path pattern into a predicate.
 * @param {string|RegExp|undefined} pattern
 * @returns {(path: string) => boolean}
 */
function pathMatcher(pattern) {
	if (pattern === undefined || pattern === null || pattern === '') return () => true;
	if (pattern instanceof RegExp) return (path) => pattern.test(path);
	if (typeof pattern !== 'string')
		throw new EmulatorInputError(`path must be a string or RegExp, got ${typeof pattern}`);
	if (pattern.startsWith('^')) {
		let regexp;
		try {
			regexp = new RegExp(pattern);
		} catch (error) {
			throw new EmulatorInputError(
				`path ${pattern} is not a valid RegExp: ${/** @type {Error} */ (error).message}`,
			);
		}
		return (path) => regexp.test(path);
	}
	if (pattern.endsWith('*')) {
		const prefix = pattern.slice(0, -1);
		return (path) => path.startsWith(prefix);
	}
	return (path) => path === pattern;
}

/**
 * Checks a selector's fields and returns a predicate over requests.
 * @param {RequestSelector} selector
 * @returns {(request: RequestKey) => boolean}
 */
function requestMatcher(selector) {
	const { platform, family, method } = selector;
	if (platform !== undefined && !PLATFORMS.includes(platform)) {
		throw new EmulatorInputError(
			`platform must be one of ${PLATFORMS.join(', ')}, got ${platform}`,
		);
	}
	if (family !== undefined) {
		const known = platform ? FAMILIES[platform] : Object.values(FAMILIES).flat();
		if (!known.includes(family))
			throw new EmulatorInputError(`family must be one of ${known.join(', ')}, got ${family}`);
	}
	const matchesPath = pathMatcher(selector.path);
	const wantedMethod = method ? String(method).toUpperCase() : undefined;
	return (request) =>
		(platform === undefined || request.platform === platform) &&
		(family === undefined || request.family === family) &&
		(wantedMethod === undefined || request.method === wantedMethod) &&
		matchesPath(request.path);
}

/** A selector as JSON (RegExp paths become their `^…` source form). */
function describeSelector(/** @type {Record<string, any> & RequestSelector} */ selector) {
	const { path } = selector;
	return { ...selector, path: path instanceof RegExp ? path.source : path };
}

module.exports = { requestMatcher, describeSelector, PLATFORMS };
