// @ts-check
'use strict';

/**
 * The wecom approval engine (templates with form schemas, instances, tasks, events). Filled in by
 * the approvals work; until then it serves nothing.
 *
 * @typedef {import('../family').RequestContext} RequestContext
 */

/** Runtime approval state, merged into the platform state by createState. */
function createApprovalState() {
	return { approvalInstances: [], approvalEvents: [] };
}

/** API routes, spread into the platform's family routes. @type {import('../family').Route[]} */
const APPROVAL_ROUTES = [];

/** Control-API routes, spread into control.js ROUTES. @type {import('../control').ControlRoute[]} */
const WECOM_APPROVAL_CONTROL_ROUTES = [];

/**
 * The programmatic controls (`emu.wecom.approvals`), over the live state.
 * @param {() => any} state the platform state (read anew on every call: reset() replaces it)
 * @param {{ clock: { now(): number } }} env
 */
function approvalControls(state, env) {
	void state;
	void env;
	return {};
}

module.exports = {
	createApprovalState,
	APPROVAL_ROUTES,
	WECOM_APPROVAL_CONTROL_ROUTES,
	approvalControls,
};
