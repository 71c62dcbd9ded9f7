import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';

import { createValidationError } from '../errors';
import type { PlatformTransport } from '../transport/platformTransport';
import { parseJsonField } from '../validation';
import { z } from 'zod';
import type { OperationModule } from './types';

const jsonObjectOrArray = z.union([z.record(z.unknown()), z.array(z.unknown())]);

/** Query parameters the managed token or the platform's signing owns; users must not set them. */
const RESERVED_QUERY = ['access_token'];

/**
 * "Custom API Call": any endpoint of the platform with the managed token, the same error handling,
 * refresh-and-retry and rate-limit back-off as the built-in operations.
 */
export function createCustomApiCallOperation(
	transport: PlatformTransport,
	examplePath: string,
): OperationModule {
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
		{
			displayName: 'Query Parameters',
			name: 'queryParameters',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Parameter',
			default: {},
			options: [
				{
					displayName: 'Parameter',
					name: 'parameter',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
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
					typeOptions: { minValue: 1000 },
					default: 30000,
					description: 'How long to wait for an answer, in milliseconds',
				},
			],
		},
	);

	async function execute(this: IExecuteFunctions, itemIndex: number) {
		const node = this.getNode();
		const method = this.getNodeParameter('method', itemIndex) as IHttpRequestMethods;
		const family =
			families.length > 1
				? (this.getNodeParameter('apiFamily', itemIndex) as string)
				: families[0].id;
		const path = String(this.getNodeParameter('path', itemIndex, '')).trim();
		if (!path.startsWith('/') || path.includes('://')) {
			throw createValidationError(
				node,
				`'Path' must start with a slash, for example ${examplePath}`,
				{
					itemIndex,
					description: 'Enter only the path; the base URL comes from the credential.',
				},
			);
		}
		const parameters = this.getNodeParameter('queryParameters.parameter', itemIndex, []) as Array<{
			name: string;
			value: string;
		}>;
		const qs: IDataObject = {};
		for (const { name, value } of parameters) {
			if (!name) continue;
			if (RESERVED_QUERY.includes(name)) {
				throw createValidationError(
					node,
					`Remove the query parameter '${name}': the node adds the access token itself`,
					{
						itemIndex,
					},
				);
			}
			qs[name] = value;
		}
		let body: IDataObject | unknown[] | undefined;
		if (
			method !== 'GET' &&
			method !== 'DELETE' &&
			this.getNodeParameter('sendBody', itemIndex, true)
		) {
			body = parseJsonField(
				node,
				this.getNodeParameter('body', itemIndex, '{}'),
				jsonObjectOrArray,
				{
					displayName: 'Body',
					itemIndex,
				},
			) as IDataObject | unknown[];
		}
		const options = this.getNodeParameter('options', itemIndex, {}) as {
			safeToRetry?: boolean;
			splitArray?: boolean;
			timeout?: number;
		};
		const response = await transport.request<unknown>(
			this,
			{
				family,
				method,
				path,
				qs,
				body: body as IDataObject,
				idempotent: options.safeToRetry ?? method === 'GET',
				timeoutMs: options.timeout,
			},
			itemIndex,
		);
		const data = response.body;
		if (Array.isArray(data) && (options.splitArray ?? true)) {
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
		execute,
	};
}
