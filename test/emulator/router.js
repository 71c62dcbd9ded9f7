// @ts-check
'use strict';

/**
 * A tiny method + path router. Paths are literal except `:name` segments, which capture one
 * segment into `params`. Used for platform routes and for the control API.
 *
 * @template R
 * @typedef {{ method: string, path: string } & R} RouteOf
 */

/**
 * @template {{ method: string, path: string }} R
 * @param {R[]} routes
 */
function createRouter(routes) {
	const compiled = routes.map((route) => {
		/** @type {string[]} */
		const names = [];
		const source = route.path
			.split('/')
			.map((segment) => {
				if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
				names.push(segment.slice(1));
				return '([^/]+)';
			})
			.join('/');
		return { route, names, regexp: new RegExp(`^${source}$`) };
	});

	return {
		routes,
		/**
		 * @param {string} method
		 * @param {string} path
		 * @returns {{ route: R, params: Record<string, string> } | undefined}
		 */
		find(method, path) {
			for (const { route, names, regexp } of compiled) {
				if (route.method !== method) continue;
				const match = regexp.exec(path);
				if (!match) continue;
				/** @type {Record<string, string>} */
				const params = {};
				names.forEach((name, index) => {
					params[name] = decodeURIComponent(match[index + 1]);
				});
				return { route, params };
			}
			return undefined;
		},
	};
}

module.exports = { createRouter };
