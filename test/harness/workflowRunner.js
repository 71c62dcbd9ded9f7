// @ts-check
'use strict';
/**
 * Runs real n8n workflow JSON in process with n8n-core's WorkflowExecute, the way n8n tests its own
 * nodes (packages/core/nodes-testing in n8n-io/n8n), but without jest: the benchmarks use it too.
 * HTTP is real (n8n-core's own helpers.httpRequest), credentials come from a map, and the
 * credential types' `authenticate` / `preAuthentication` run as in n8n.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// n8n-core writes an encryption key under N8N_USER_FOLDER on first use: never the user's ~/.n8n.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-harness-'));
}

const { Workflow, ICredentialsHelper } = require('n8n-workflow');
const {
	WorkflowExecute,
	ExecutionLifecycleHooks,
	Credentials,
	LoadOptionsContext,
} = require('n8n-core');
// n8n-core's own copies of its DI container and logger (it may nest them), to record what a run logs.
const fromCore = (/** @type {string} */ name) =>
	require(require.resolve(name, { paths: [require.resolve('n8n-core')] }));
const { Container } = fromCore('@n8n/di');
const { Logger } = fromCore('@n8n/backend-common');

/**
 * Everything n8n-core logs goes to the current run's `logs` instead of the console, message and
 * metadata both, so tests can check that no secret is ever logged.
 * @type {string[] | undefined}
 */
let currentLogs;
// At debug level n8n's logger turns no level into a no-op, so every line reaches the recorder.
process.env.N8N_LOG_LEVEL ??= 'debug';
Container.get(Logger).setInternalLogger(
	/** @type {any} */ ({
		log(
			/** @type {string} */ level,
			/** @type {string} */ message,
			/** @type {unknown} */ metadata,
		) {
			currentLogs?.push(`${level}: ${message} ${safeJson(metadata)}`);
		},
		child() {
			return this;
		},
	}),
);

/** @param {unknown} value */
function safeJson(value) {
	const seen = new WeakSet();
	return JSON.stringify(value, (_key, entry) => {
		if (entry instanceof Error) return { ...entry, name: entry.name, message: entry.message };
		if (entry && typeof entry === 'object') {
			if (seen.has(entry)) return undefined;
			seen.add(entry);
		}
		return entry;
	});
}

/** Emits the items a test gives it (default one empty item); stands in for n8n's Manual Trigger. */
class ManualTrigger {
	constructor() {
		this.description = {
			displayName: 'Manual Trigger',
			name: 'manualTrigger',
			group: ['trigger'],
			version: 1,
			description: '',
			defaults: { name: 'Manual Trigger' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		};
	}

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		return [this.getInputData()];
	}
}

/**
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} CredentialData
 */

/** @param {Record<string, INodeType>} byType */
function createNodeTypes(byType) {
	/** @type {Record<string, INodeType>} */
	const all = {
		'n8n-nodes-base.manualTrigger': /** @type {any} */ (new ManualTrigger()),
		...byType,
	};
	const get = (/** @type {string} */ type) => {
		const nodeType = /** @type {INodeType | undefined} */ (all[type]);
		if (!nodeType) throw new Error(`Unknown node type ${type}; pass it in nodeTypes`);
		return nodeType;
	};
	return {
		getByName: get,
		getByNameAndVersion: get,
		getKnownTypes: () => ({}),
	};
}

/**
 * Credentials by type name (or by credential id, which wins), decrypted, with the type's
 * `authenticate` and `preAuthentication` applied as n8n core does. Updates stay in memory.
 */
class CredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {ICredentialType[]} credentialTypes
	 * @param {Record<string, CredentialData>} store
	 */
	constructor(credentialTypes, store) {
		super();
		this.types = new Map(credentialTypes.map((type) => [type.name, type]));
		this.store = store;
		/** How often each type's preAuthentication ran (tests assert token fetches with it). */
		this.preAuthenticationCalls = /** @type {Record<string, number>} */ ({});
	}

	/** @param {string} name */
	type(name) {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}; pass it in credentialTypes`);
		return type;
	}

	getParentTypes() {
		return [];
	}

	getCredentialsProperties(/** @type {string} */ type) {
		return this.type(type).properties;
	}

	/** @param {import('n8n-workflow').INodeCredentialsDetails} details @param {string} type */
	key(details, type) {
		return details?.id && this.store[details.id] ? details.id : type;
	}

	async getDecrypted(
		/** @type {any} */ _additionalData,
		/** @type {any} */ details,
		/** @type {string} */ type,
	) {
		const data = this.store[this.key(details, type)];
		if (!data) throw new Error(`No credentials of type ${type} given to the harness`);
		return /** @type {CredentialData} */ ({ ...data });
	}

	async getCredentials(/** @type {any} */ details, /** @type {string} */ type) {
		return new Credentials({ id: details?.id ?? null, name: details?.name ?? '' }, type, '');
	}

	async updateCredentials(
		/** @type {any} */ details,
		/** @type {string} */ type,
		/** @type {CredentialData} */ data,
	) {
		this.store[this.key(details, type)] = { ...data };
	}

	async updateCredentialsOauthTokenData() {}

	getOAuth2Options() {
		return undefined;
	}

	isCredentialUsableByNode() {
		return true;
	}

	/**
	 * @param {CredentialData} credentials @param {string} typeName
	 * @param {import('n8n-workflow').IHttpRequestOptions} requestOptions
	 * @param {Workflow} workflow @param {import('n8n-workflow').INode} node
	 */
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate && authenticate.type === 'generic') {
			const options = /** @type {any} */ (requestOptions);
			for (const [outerKey, values] of Object.entries(authenticate.properties)) {
				options[outerKey] = options[outerKey] ?? {};
				for (const [key, value] of Object.entries(
					/** @type {Record<string, unknown>} */ (values),
				)) {
					options[outerKey][key] = workflow.expression.getSimpleParameterValue(
						node,
						/** @type {any} */ (value),
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					);
				}
			}
		}
		return requestOptions;
	}

	/**
	 * Mirrors n8n: runs preAuthentication when the hidden expirable field is empty or the caller
	 * says the credentials expired, stores the result, and hands it back.
	 * @param {import('n8n-workflow').IHttpRequestHelper} helpers @param {CredentialData} credentials
	 * @param {string} typeName @param {import('n8n-workflow').INode} node @param {boolean} expired
	 */
	async preAuthentication(helpers, credentials, typeName, node, expired) {
		const type = this.type(typeName);
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined && !expired)
			return undefined;
		this.preAuthenticationCalls[typeName] = (this.preAuthenticationCalls[typeName] ?? 0) + 1;
		const output = /** @type {CredentialData} */ (
			await type.preAuthentication.call(helpers, credentials)
		);
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		const key = this.key(/** @type {any} */ (details), typeName);
		this.store[key] = { ...this.store[key], ...output };
		return Object.assign(credentials, /** @type {CredentialData} */ (output));
	}

	async runPreAuthentication(
		/** @type {any} */ helpers,
		/** @type {CredentialData} */ credentials,
		/** @type {string} */ typeName,
	) {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return /** @type {CredentialData} */ (await type.preAuthentication.call(helpers, credentials));
	}
}

/**
 * @typedef {object} RunOptions
 * @property {import('n8n-workflow').IWorkflowBase | any} workflow  workflow JSON as n8n exports it
 * @property {Record<string, INodeType>} nodeTypes   by full type name, e.g. 'n8n-nodes-dingtalk-wecom.dingTalk'
 * @property {ICredentialType[]} [credentialTypes]
 * @property {Record<string, CredentialData>} [credentials]  by credential type name or credential id
 * @property {Array<import('n8n-workflow').IDataObject>} [inputItems]  what the start node emits (default [{}])
 * @property {Array<import('n8n-workflow').INodeExecutionData>} [inputExecutionItems]  or whole items, with binary data
 *
 * @typedef {object} RunResult
 * @property {'success' | 'error' | string} status
 * @property {any} error                     workflow-level error (the failing node's error)
 * @property {import('n8n-workflow').IRunData} runData
 * @property {(nodeName: string) => import('n8n-workflow').INodeExecutionData[]} nodeOutput
 * @property {(nodeName: string) => any} nodeError
 * @property {(nodeName: string) => import('n8n-workflow').NodeExecutionHint[]} nodeHints
 * @property {CredentialsHelper} credentialsHelper
 * @property {string[]} logs               what n8n logged during the run (level: message metadata)
 */

/** @param {RunOptions} options @returns {Promise<RunResult>} */
async function runWorkflow({
	workflow,
	nodeTypes,
	credentialTypes = [],
	credentials = {},
	inputItems = [{}],
	inputExecutionItems,
}) {
	const types = createNodeTypes(nodeTypes);
	const credentialsHelper = new CredentialsHelper(credentialTypes, structuredClone(credentials));
	const instance = new Workflow({
		id: 'harness',
		name: workflow.name ?? 'harness',
		nodes: workflow.nodes,
		connections: workflow.connections,
		nodeTypes: /** @type {any} */ (types),
		settings: workflow.settings ?? { executionOrder: 'v1' },
		active: false,
	});
	const startNode = instance.getStartNode();
	if (!startNode) throw new Error('The workflow has no start node');

	const hooks = new ExecutionLifecycleHooks(
		'manual',
		'harness-execution',
		/** @type {any} */ (workflow),
	);
	/** @type {Promise<import('n8n-workflow').IRun>} */
	const finished = new Promise((resolve) =>
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)),
	);

	// Only what a plain (non-sub-workflow, non-AI) run reads; members n8n treats as optional stay
	// undefined so the engine takes its simple paths.
	const noop = () => undefined;
	const additionalData = {
		hooks,
		credentialsHelper,
		executionId: 'harness-execution',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		restartExecutionId: undefined,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formBaseUrl: 'http://localhost:5678/form',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		userId: 'harness-user',
		setExecutionStatus: noop,
		sendDataToUI: noop,
		logAiEvent: noop,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not supported by the harness');
		},
		startRunnerTask: async () => {
			throw new Error('Code-node task runners are not supported by the harness');
		},
	};

	const runExecutionData = {
		resultData: { runData: {} },
		executionData: {
			metadata: {},
			contextData: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [inputExecutionItems ?? inputItems.map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	};
	const logs = /** @type {string[]} */ ([]);
	currentLogs = logs;
	const execute = new WorkflowExecute(
		/** @type {any} */ (additionalData),
		'manual',
		/** @type {any} */ (runExecutionData),
	);
	await execute.processRunExecutionData(instance);
	const run = await finished;
	currentLogs = undefined;

	const runData = run.data.resultData.runData;
	const lastRun = (/** @type {string} */ name) => {
		const runs = runData[name];
		if (!runs?.length)
			throw new Error(`Node "${name}" did not run. Ran: ${Object.keys(runData).join(', ')}`);
		return runs[runs.length - 1];
	};
	return {
		status: run.status,
		error: run.data.resultData.error,
		runData,
		nodeOutput: (name) => lastRun(name).data?.main?.[0] ?? [],
		nodeError: (name) => lastRun(name).error,
		nodeHints: (name) => lastRun(name).hints ?? [],
		credentialsHelper,
		logs,
	};
}

/**
 * Calls a node's picker method (`methods.listSearch.*` or `methods.loadOptions.*`) the way n8n's
 * editor backend does: a LoadOptionsContext over a one-node workflow, the node's own parameters
 * and the given credentials.
 * @param {object} options
 * @param {Record<string, INodeType>} options.nodeTypes
 * @param {ICredentialType[]} [options.credentialTypes]
 * @param {Record<string, CredentialData>} [options.credentials]
 * @param {import('n8n-workflow').INode} options.node
 * @param {'listSearch' | 'loadOptions'} options.kind
 * @param {string} options.method
 * @param {string} [options.filter]
 * @param {string} [options.paginationToken]
 */
async function callPickerMethod({
	nodeTypes,
	credentialTypes = [],
	credentials = {},
	node,
	kind,
	method,
	filter,
	paginationToken,
}) {
	const types = createNodeTypes(nodeTypes);
	const credentialsHelper = new CredentialsHelper(credentialTypes, structuredClone(credentials));
	const instance = new Workflow({
		id: 'harness-picker',
		nodes: [node],
		connections: {},
		nodeTypes: /** @type {any} */ (types),
		settings: { executionOrder: 'v1' },
		active: false,
	});
	const additionalData = /** @type {any} */ ({
		credentialsHelper,
		currentNodeParameters: node.parameters,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		userId: 'harness-user',
	});
	const context = new LoadOptionsContext(instance, node, additionalData, 'parameters');
	const nodeType = /** @type {any} */ (types.getByNameAndVersion(node.type));
	const fn = nodeType.methods?.[kind]?.[method];
	if (typeof fn !== 'function') throw new Error(`${node.type} has no methods.${kind}.${method}`);
	return kind === 'listSearch'
		? await fn.call(context, filter, paginationToken)
		: await fn.call(context);
}

module.exports = { runWorkflow, callPickerMethod, createNodeTypes, CredentialsHelper };
