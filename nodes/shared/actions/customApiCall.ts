import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';
import { z } from 'zod';

import { createValidationError } from '../errors';
import { familyBaseUrl, MAX_TIMEOUT_MS, resolvePath, TransportError } from '../transport/http';
import type { PlatformTransport } from '../transport/platformTransport';
import { ParameterReader, textRowsProperty } from './parameters';
import type { OperationModule, ResourceModule } from './types';

const jsonObjectOrArray = z.union([z.record(z.unknown()), z.array(z.unknown())]);

const METHODS = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'];

/** The resource that holds the call; named apart from the "Custom API Call" n8n adds itself. */
export function customApiCallResource(description: string, call: OperationModule): ResourceModule {
	return {
		resource: { name: 'API Call with Managed Token', value: 'customApiCall', description },
		operations: { call },
	};
}

export interface CallInput {
	family: string;
	method: IHttpRequestMethods;
	path: string;
	qs: IDataObject;
	body?: IDataObject | unknown[];
	idempotent: boolean;
	timeoutMs: number;
	splitArray: boolean;
}

/**
 * "Custom API Call": any endpoint of the platform with the managed token, the same error handling,
 * refresh-and-retry and rate-limit back-off as the built-in operations.
 */
export function createCustomApiCallOperation(
	transport: PlatformTransport,
	examplePath: string,
): OperationModule<CallInput> {
	const families = Object.values(transport.profile.families);
	const description: INodeProperties[] = [
		{
			displayName: `Call any ${transport.profile.name} endpoint with this credential's managed access token. The token, errors, retries and rate limits are handled as in the other operations.`,
			name: 'customApiCallNotice',
			type: 'notice',
			default: '',
		},
	];
	if (families.length > 1) {
		const defaultFamily = families[0].id;
		description.push({
			displayName: 'API',
			name: 'apiFamily',
			type: 'options',
			options: families
				.map((family) => ({
					name: family.label.replace(/^the /, '').replace(/^./, (c) => c.toUpperCase()),
					value: family.id,
					description: `Base URL ${family.defaultBaseUrl} (or the credential's override)`,
				}))
				.sort((a, b) => a.name.localeCompare(b.name)),
			default: defaultFamily,
			description:
				'Which API family the path belongs to; it decides the host and how the token is sent',
		});
	}
	description.push(
		{
			displayName: 'Method',
			name: 'method',
			type: 'options',
			options: ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'].map((method) => ({
				name: method,
				value: method,
			})),
			default: 'POST',
		},
		{
			displayName: 'Path',
			name: 'path',
			type: 'string',
			required: true,
			default: '',
			placeholder: `e.g. ${examplePath}`,
			description: 'Path after the base URL, starting with a slash. Do not add the access token.',
		},
		textRowsProperty({
			displayName: 'Query Parameters',
			name: 'queryParameters',
			placeholder: 'Add Parameter',
			row: { displayName: 'Parameter', name: 'parameter' },
			fields: [
				{ displayName: 'Name', name: 'name' },
				{ displayName: 'Value', name: 'value' },
			],
		}),
		{
			displayName: 'Send Body',
			name: 'sendBody',
			type: 'boolean',
			default: true,
			description: 'Whether to send a JSON body',
			displayOptions: { hide: { method: ['GET', 'DELETE'] } },
		},
		{
			displayName: 'Body',
			name: 'body',
			type: 'json',
			default: '{}',
			description: 'JSON body of the request',
			displayOptions: { show: { sendBody: [true] }, hide: { method: ['GET', 'DELETE'] } },
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Safe to Retry',
					name: 'safeToRetry',
					type: 'boolean',
					default: false,
					description:
						'Whether repeating the call is harmless (a read). Then timeouts and server errors are retried; otherwise they are reported so nothing is done twice.',
				},
				{
					displayName: 'Split Array Response Into Items',
					name: 'splitArray',
					type: 'boolean',
					default: true,
					description: 'Whether a response that is a JSON array becomes one item per entry',
				},
				{
					displayName: 'Timeout (Ms)',
					name: 'timeout',
					type: 'number',
					typeOptions: { minValue: 1000, maxValue: MAX_TIMEOUT_MS },
					default: 30000,
					description: 'How long to wait for an answer, in milliseconds',
				},
			],
		},
	);

	/** Query parameters that carry the managed token; users must not set them. */
	const reservedQuery = families
		.filter((f) => f.token.in === 'query')
		.map((f) => f.token.name.toLowerCase());

	async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<CallInput> {
		const read = new ParameterReader(this, itemIndex);
		const node = read.node;
		const method = read.option<IHttpRequestMethods>('method');
		if (!METHODS.includes(method)) {
			throw createValidationError(node, `'Method' must be one of ${METHODS.join(', ')}`, {
				itemIndex,
			});
		}
		const family = families.length > 1 ? read.option<string>('apiFamily') : families[0].id;
		if (!transport.profile.families[family]) {
			throw createValidationError(node, `Unknown API '${family}'`, { itemIndex });
		}
		const path = read.text('path', 'Path').trim();
		// Checked against the credential's base URL now, so a path that would leave it fails before
		// any item is sent (the client checks again on every call).
		const credentials = await transport.credentials(this);
		let refused: unknown;
		try {
			resolvePath(familyBaseUrl(transport.profile, family, credentials), path);
		} catch (error) {
			refused = error;
		}
		if (refused instanceof TransportError) {
			const message =
				refused.kind === 'input' ? `'Path' is not allowed: ${refused.message}` : refused.message;
			throw createValidationError(node, message, { itemIndex, description: refused.description });
		}
		if (refused) throw refused;
		const qs: IDataObject = {};
		for (const { name, value } of read.rows('queryParameters.parameter', {
			name: 'Query Parameter Name',
			value: 'Query Parameter Value',
		})) {
			if (!name.trim()) continue;
			if (reservedQuery.includes(name.trim().toLowerCase())) {
				throw createValidationError(
					node,
					`Remove the query parameter '${name}': the node adds the access token itself`,
					{ itemIndex },
				);
			}
			qs[name.trim()] = value;
		}
		let body: IDataObject | unknown[] | undefined;
		if (method !== 'GET' && method !== 'DELETE' && read.boolean('sendBody', 'Send Body', true)) {
			body = read.json('body', 'Body', jsonObjectOrArray) as IDataObject | unknown[];
		}
		return {
			family,
			method,
			path,
			qs,
			body,
			idempotent: read.boolean('options.safeToRetry', 'Safe to Retry', method === 'GET'),
			timeoutMs: read.integer('options.timeout', 'Timeout (Ms)', {
				min: 1000,
				max: MAX_TIMEOUT_MS,
				fallback: 30000,
			}),
			splitArray: read.boolean('options.splitArray', 'Split Array Response Into Items', true),
		};
	}

	async function execute(this: IExecuteFunctions, input: CallInput, itemIndex: number) {
		const response = await transport.request<unknown>(
			this,
			{
				family: input.family,
				method: input.method,
				path: input.path,
				qs: input.qs,
				body: input.body as IDataObject,
				idempotent: input.idempotent,
				timeoutMs: input.timeoutMs,
			},
			itemIndex,
		);
		const data = response.body;
		if (Array.isArray(data) && input.splitArray) {
			return {
				json: data.map((entry) =>
					entry && typeof entry === 'object'
						? (entry as IDataObject)
						: { value: entry as IDataObject[keyof IDataObject] },
				),
			};
		}
		if (data && typeof data === 'object') return { json: data as IDataObject };
		return { json: { response: (data ?? null) as IDataObject[keyof IDataObject] } };
	}

	return {
		option: {
			name: 'Call',
			value: 'call',
			action: `Call a ${transport.profile.name} API endpoint`,
			description: `Make an authenticated request to any ${transport.profile.name} API endpoint`,
		},
		description,
		writes: true,
		prepare,
		execute,
	};
}
