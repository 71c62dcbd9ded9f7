// @ts-check
'use strict';

/**
 * A control-API or programmatic call with a bad argument (unknown fault kind, unknown task…).
 * The control API answers it with HTTP `status` and `{ error: message }`.
 */
class EmulatorInputError extends Error {
	/** @param {string} message @param {number} [status] */
	constructor(message, status = 400) {
		super(message);
		this.name = 'EmulatorInputError';
		this.status = status;
	}
}

module.exports = { EmulatorInputError };
