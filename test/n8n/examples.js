// @ts-check
'use strict';

/**
 * The example workflows (examples/*.json) as n8n imports them. Committed examples carry no
 * workflow id (users import them into their own n8n), so each gets a stable id derived from its
 * file name: re-importing overwrites the same workflow instead of adding a copy, and tests can
 * execute it by id. Node types stay as committed (`n8n-nodes-dingtalk-wecom.<name>`): the pack is
 * loaded under its package name (pack.js), exactly as for users.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { CREDENTIALS, referencedCredentials } = require('./credentials');

const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

/** 16 characters like n8n's own ids, the same for the same file name on every machine. */
function exampleWorkflowId(/** @type {string} */ name) {
	return `ex${crypto.createHash('sha256').update(name).digest('hex').slice(0, 14)}`;
}

/**
 * @typedef {{ name: string, file: string, workflow: { id: string, name: string, nodes: any[], connections: object, active?: boolean, [key: string]: any } }} Example
 * @param {string} [dir]
 * @returns {Example[]} sorted by file name
 */
function loadExamples(dir = EXAMPLES_DIR) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const name = path.basename(file, '.json');
			const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			return {
				name,
				file: path.join(dir, file),
				workflow: { ...workflow, id: workflow.id ?? exampleWorkflowId(name), active: false },
			};
		});
}

/** Problems with an example's credential references: each must be one of CREDENTIALS (type, id, name). */
function credentialProblems(/** @type {Example} */ example) {
	return referencedCredentials(example.workflow).flatMap(({ nodeName, type, id, name }) => {
		const known = CREDENTIALS.find((credential) => credential.type === type);
		if (!known)
			return [
				`${example.name}: node "${nodeName}" uses credential type ${type}, which test/n8n/credentials.js does not create`,
			];
		if (id !== known.id || name !== known.name) {
			return [
				`${example.name}: node "${nodeName}" references ${type} as ${JSON.stringify({ id, name })}; use ${JSON.stringify({ id: known.id, name: known.name })}`,
			];
		}
		return [];
	});
}

/** Node start types `n8n execute` accepts (the rest need the server: webhooks, triggers). */
const CLI_START_TYPES = ['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.executeWorkflowTrigger'];

function isRunnableFromCli(/** @type {Example} */ example) {
	return example.workflow.nodes.some((node) => CLI_START_TYPES.includes(node.type));
}

module.exports = {
	EXAMPLES_DIR,
	loadExamples,
	exampleWorkflowId,
	credentialProblems,
	isRunnableFromCli,
	CLI_START_TYPES,
};
