// @ts-check
'use strict';

/**
 * A small client for the REST API that n8n's editor uses (`/rest/...`, `/types/...`), logged in
 * as a user with the session cookie, the way the browser is. n8n 2.41 binds the session to a
 * `browser-id` header, so every request sends the same one.
 *
 * n8n stores execution data in the `flatted` format (a JSON array with back references); pass
 * `parseFlatted` (n8n's own copy, see instance.js) so getExecution() returns plain objects.
 */

/**
 * @typedef {object} ExecutionSummary
 * @property {string} id
 * @property {string} workflowId
 * @property {string} mode      'cli' | 'webhook' | 'manual' | 'trigger' | …
 * @property {string} status    'success' | 'error' | 'running' | 'waiting' | …
 * @property {string} startedAt
 * @property {string | null} stoppedAt
 */

class RestError extends Error {
	/** @param {string} message @param {number} status @param {string} body */
	constructor(message, status, body) {
		super(message);
		this.status = status;
		this.body = body;
	}
}

/**
 * @param {{ baseUrl: string, parseFlatted?: (text: string) => any, browserId?: string }} options
 */
function createRestClient({ baseUrl, parseFlatted, browserId = 'n8n-nodes-dingtalk-wecom-tests' }) {
	let cookie = '';

	/** @param {string} method @param {string} path @param {unknown} [body] */
	async function request(method, path, body) {
		const response = await fetch(new URL(path, baseUrl), {
			method,
			headers: {
				'browser-id': browserId,
				accept: 'application/json',
				...(cookie ? { cookie } : {}),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new RestError(
				`${method} ${path} → HTTP ${response.status}: ${text.slice(0, 500)}`,
				response.status,
				text,
			);
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie
			.map((line) => line.split(';')[0])
			.find((pair) => pair.startsWith('n8n-auth='));
		if (auth) cookie = auth;
		return text ? JSON.parse(text) : undefined;
	}

	/** `/rest/...` answers are wrapped in `{ data }`. */
	/** @param {string} method @param {string} path @param {unknown} [body] */
	const data = async (method, path, body) => (await request(method, path, body))?.data;

	return {
		request,
		/** Logs in; later calls carry the session cookie. */
		async login(/** @type {string} */ email, /** @type {string} */ password) {
			return data('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		},
		/**
		 * What the editor asks when a user opens a picker: a resource locator's list
		 * (`methods.listSearch`), with search text and next page, as n8n's own UI sends it.
		 * @param {{ nodeType: string, version: number, methodName: string, credentials: Record<string, { id: string, name: string }>, parameters?: Record<string, unknown>, filter?: string, paginationToken?: string }} query
		 */
		async resourceLocatorResults(query) {
			return /** @type {{ results: Array<{ name: string, value: string | number }>, paginationToken?: string }} */ (
				await data('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
					nodeTypeAndVersion: { name: query.nodeType, version: query.version },
					path: 'parameters',
					methodName: query.methodName,
					currentNodeParameters: query.parameters ?? {},
					credentials: query.credentials,
					...(query.filter !== undefined ? { filter: query.filter } : {}),
					...(query.paginationToken !== undefined
						? { paginationToken: query.paginationToken }
						: {}),
				})
			);
		},
		/**
		 * The options of a dropdown or multi-select loaded by `methods.loadOptions`.
		 * @param {{ nodeType: string, version: number, methodName: string, credentials: Record<string, { id: string, name: string }>, parameters?: Record<string, unknown> }} query
		 */
		async loadOptions(query) {
			return /** @type {Array<{ name: string, value: string | number, description?: string }>} */ (
				await data('POST', '/rest/dynamic-node-parameters/options', {
					nodeTypeAndVersion: { name: query.nodeType, version: query.version },
					path: 'parameters',
					methodName: query.methodName,
					currentNodeParameters: query.parameters ?? {},
					credentials: query.credentials,
				})
			);
		},
		/** Every node type n8n loaded (what the editor's node panel lists), names like `n8n-nodes-base.set`. */
		async nodeTypes() {
			return /** @type {Array<{ name: string, displayName: string, version: number | number[], [key: string]: any }>} */ (
				await request('GET', '/types/nodes.json')
			);
		},
		/** Every credential type n8n loaded. */
		async credentialTypes() {
			return /** @type {Array<{ name: string, displayName: string, supportedNodes?: string[], [key: string]: any }>} */ (
				await request('GET', '/types/credentials.json')
			);
		},
		async workflows() {
			return data('GET', '/rest/workflows');
		},
		async workflow(/** @type {string} */ id) {
			return data('GET', `/rest/workflows/${encodeURIComponent(id)}`);
		},
		async credentials() {
			return data('GET', '/rest/credentials');
		},
		/**
		 * Saves a new workflow as the editor does (POST /rest/workflows).
		 * @param {Record<string, unknown>} workflow
		 * @returns {Promise<{ id: string, versionId: string, [key: string]: any }>}
		 */
		async createWorkflow(workflow) {
			return data('POST', '/rest/workflows', workflow);
		},
		/** The editor's Publish button: n8n validates the saved nodes (credentials included) first. */
		async publishWorkflow(/** @type {string} */ id, /** @type {string} */ versionId) {
			return data('POST', `/rest/workflows/${encodeURIComponent(id)}/activate`, { versionId });
		},
		async unpublishWorkflow(/** @type {string} */ id) {
			return data('POST', `/rest/workflows/${encodeURIComponent(id)}/deactivate`, {});
		},
		/**
		 * Executions, newest first, all pages (n8n serves at most 100 per request).
		 * @param {{ workflowId?: string, status?: string[] }} [filter]
		 * @returns {Promise<ExecutionSummary[]>}
		 */
		async executions({ workflowId, status } = {}) {
			const filter = { ...(workflowId ? { workflowId } : {}), ...(status ? { status } : {}) };
			/** @type {ExecutionSummary[]} */
			const all = [];
			for (;;) {
				const query = new URLSearchParams({ limit: '100' });
				if (Object.keys(filter).length) query.set('filter', JSON.stringify(filter));
				if (all.length) query.set('lastId', all[all.length - 1].id);
				const { results } = await data('GET', `/rest/executions?${query}`);
				all.push(...results);
				if (results.length < 100) return all;
			}
		},
		/**
		 * The editor's "Test" button of a credential: n8n runs the credential type's `test` request
		 * (with its `authenticate`) on the server. `data` replaces the stored fields it names.
		 * @param {{ id: string, name: string, type: string, data: Record<string, unknown> }} credential
		 * @returns {Promise<{ status: 'OK' | 'Error', message: string }>}
		 */
		async testCredential(credential) {
			return data('POST', '/rest/credentials/test', { credentials: credential });
		},
		/** One execution with its `data` (run data of every node) parsed. */
		async execution(/** @type {string} */ id) {
			const execution = await data('GET', `/rest/executions/${encodeURIComponent(id)}`);
			if (typeof execution?.data === 'string') {
				if (!parseFlatted)
					throw new Error('createRestClient: pass parseFlatted to read execution data');
				execution.data = parseFlatted(execution.data);
			}
			return execution;
		},
	};
}

/** @typedef {ReturnType<typeof createRestClient>} RestClient */

module.exports = { createRestClient, RestError };
