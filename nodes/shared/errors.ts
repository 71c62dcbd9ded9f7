import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { describeItemNumbers } from './numbers';
import type { PlatformErrorDetails } from './platform/types';

/** Query parameters that carry secrets on either platform; their values never leave the client. */
const SECRET_QUERY_PARAMS = [
	'access_token',
	'appsecret',
	'appSecret',
	'corpsecret',
	'key',
	'sign',
	'clientSecret',
];

/** Removes secret values (known ones and secret-looking query parameters) from free text. */
export function redactSecrets(text: string, secrets: Array<string | undefined> = []): string {
	let result = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) result = result.split(secret).join('***');
	}
	for (const name of SECRET_QUERY_PARAMS) {
		result = result.replace(new RegExp(`([?&]${name}=)[^&#\\s"']+`, 'g'), '$1***');
	}
	return result;
}

/** The details with every secret removed from the platform's own texts. */
export function redactDetails(
	details: PlatformErrorDetails,
	secrets: Array<string | undefined>,
): PlatformErrorDetails {
	const copy = { ...details };
	if (copy.errmsg) copy.errmsg = redactSecrets(copy.errmsg, secrets);
	if (copy.subMsg) copy.subMsg = redactSecrets(copy.subMsg, secrets);
	return copy;
}

export interface ApiErrorContext {
	platform: string;
	method: string;
	path: string;
	itemIndex?: number;
	hint?: string;
	/** Extra sentence explaining what was or was not done (e.g. chunks already sent). */
	note?: string;
	/** What did succeed before the failure (e.g. task ids of chunks already sent). */
	partialResult?: IDataObject;
}

function describeCode(details: PlatformErrorDetails): string {
	const parts: string[] = [];
	if (details.errcode !== undefined) {
		parts.push(
			typeof details.errcode === 'number' ? `errcode ${details.errcode}` : details.errcode,
		);
	}
	if (details.subCode) parts.push(`sub_code ${details.subCode}`);
	if (details.httpStatus && details.httpStatus !== 200) parts.push(`HTTP ${details.httpStatus}`);
	return parts.join(', ');
}

/**
 * A platform refused a call: NodeApiError with errcode, errmsg, request id and a hint, in a shape
 * that continueOnFail output and tests can read back (`errorResponse`).
 */
export function createApiError(
	node: INode,
	details: PlatformErrorDetails,
	context: ApiErrorContext,
): NodeApiError {
	const reason = details.subMsg || details.errmsg || 'no message';
	const code = describeCode(details);
	const message = `${context.platform} rejected the request: ${reason}${code ? ` (${code})` : ''}`;
	const sentences = [context.hint, context.note].filter(Boolean) as string[];
	if (details.requestId) sentences.push(`Request ID: ${details.requestId}.`);
	sentences.push(`Call: ${context.method} ${context.path}.`);

	const errorResponse: JsonObject = { platform: context.platform };
	if (details.errcode !== undefined) errorResponse.errcode = details.errcode;
	if (details.errmsg !== undefined) errorResponse.errmsg = details.errmsg;
	if (details.subCode !== undefined) errorResponse.subCode = details.subCode;
	if (details.subMsg !== undefined) errorResponse.subMsg = details.subMsg;
	if (details.requestId !== undefined) errorResponse.requestId = details.requestId;
	if (details.httpStatus !== undefined) errorResponse.httpStatus = details.httpStatus;
	if (context.hint) errorResponse.hint = context.hint;
	errorResponse.request = `${context.method} ${context.path}`;
	if (context.partialResult) errorResponse.partialResult = context.partialResult as JsonObject;

	return new NodeApiError(node, errorResponse, {
		message,
		description: sentences.join(' '),
		httpCode: String(details.errcode ?? details.httpStatus ?? ''),
		itemIndex: context.itemIndex,
	});
}

/** Our own validation of what the user entered: names the field and the item. */
export function createValidationError(
	node: INode,
	message: string,
	options: { itemIndex?: number; description?: string } = {},
): NodeOperationError {
	const where = options.itemIndex === undefined ? '' : ` [item ${options.itemIndex}]`;
	return new NodeOperationError(node, `${message}${where}`, {
		itemIndex: options.itemIndex,
		description: options.description,
	});
}

/** The JSON an item carries when continueOnFail keeps it: message plus platform details. */
export function errorToItemJson(error: Error & { description?: string | null }): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	const response = (error as { errorResponse?: unknown }).errorResponse;
	if (error instanceof NodeApiError && response && typeof response === 'object') {
		const details = response as IDataObject;
		for (const key of ['errcode', 'errmsg', 'subCode', 'requestId', 'hint'] as const) {
			if (details[key] !== undefined) json[key] = details[key];
		}
		const extra = (details.partialResult ?? undefined) as IDataObject | undefined;
		if (extra) json.partialResult = extra;
	}
	return json;
}

/**
 * A later call of a split send failed after earlier calls went through: say what was already sent,
 * in the description and in the error's data, so nobody re-sends it by accident.
 */
export function annotatePartialSend<E extends NodeApiError | NodeOperationError>(
	error: E,
	partial: {
		idLabel: string;
		idKey: string;
		ids: Array<string | number>;
		sentCalls: number;
		plannedCalls: number;
		/** Which calls (1-based) went out: with concurrent calls they need not be the first ones. */
		sentCallNumbers: number[];
		/** What running the item again would do, e.g. "sends those recipients the message again". */
		rerun: string;
	},
): E {
	const calls = `call${partial.sentCallNumbers.length === 1 ? '' : 's'} ${describeItemNumbers(partial.sentCallNumbers)}`;
	const note = `${partial.sentCalls} of ${partial.plannedCalls} calls were made before this failure (${calls}; ${partial.idLabel} ${partial.ids.join(', ')}); running the item again ${partial.rerun}.`;
	error.description = `${note} ${error.description ?? ''}`.trim();
	const response = (error.errorResponse ?? {}) as IDataObject;
	response.partialResult = {
		[partial.idKey]: partial.ids,
		sentCalls: partial.sentCalls,
		plannedCalls: partial.plannedCalls,
		sentCallNumbers: partial.sentCallNumbers,
	};
	error.errorResponse = response as JsonObject;
	return error;
}

/**
 * Errors that reach the router or a node: our NodeApiError/NodeOperationError pass through
 * unchanged (they already carry their context); anything else is wrapped so n8n shows it properly.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined)
			error.context.itemIndex = itemIndex;
		return error;
	}
	const message = redactSecrets(String((error as Error)?.message ?? error));
	return new NodeOperationError(node, message, { itemIndex });
}
