// A fake IWebhookFunctions for trigger nodes: the request n8n would hand over (query, raw body),
// the response the node writes, what it logs, and the node's parameters and credentials.
import type { IDataObject, INode, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

export interface Sent {
	status: number;
	body: string;
	type?: string;
}

export interface WebhookCall {
	result: IWebhookResponseData;
	sent: Sent[];
	logs: string[];
	/** Times the node read the unread body itself. */
	reads: string[];
}

export interface WebhookRequest {
	webhook?: 'setup' | 'default';
	query: IDataObject;
	rawBody?: Buffer | string;
	parameters: IDataObject;
	credentials: Record<string, IDataObject>;
	node: INode;
	/**
	 * n8n left the body unread (the trigger's hidden `options.binaryData`): the request has no
	 * rawBody yet, and readRawBody() reads `rawBody` when called. Headers as sent.
	 */
	unread?: { headers: IDataObject };
	/** n8n already read and parsed the body (a trigger whose options.binaryData was lost). */
	parsed?: boolean;
	/** HTTP calls the node makes through n8n's helper (form values), answered by this function. */
	httpRequest?: (options: IDataObject) => Promise<unknown>;
}

export async function callWebhook(
	webhook: (this: IWebhookFunctions) => Promise<IWebhookResponseData>,
	request: WebhookRequest,
): Promise<WebhookCall> {
	const sent: Sent[] = [];
	const logs: string[] = [];
	const reads: string[] = [];
	const response = {
		statusCode: 200,
		contentType: undefined as string | undefined,
		status(code: number) {
			this.statusCode = code;
			return this;
		},
		type(contentType: string) {
			this.contentType = contentType;
			return this;
		},
		send(body: string) {
			sent.push({ status: this.statusCode, body, type: this.contentType });
			return this;
		},
	};
	const context = {
		getResponseObject: () => response,
		getRequestObject: () => {
			// As n8n hands it over to the triggers (they ask n8n to leave bodies unparsed): no
			// rawBody until readRawBody(). `parsed: true` gives n8n's parsed path instead.
			if (request.parsed) return { rawBody: request.rawBody, body: {}, headers: {} };
			const headers = request.unread?.headers ?? {
				'content-length': String(
					request.rawBody === undefined ? 0 : Buffer.byteLength(request.rawBody),
				),
			};
			const unread: IDataObject = {
				headers,
				body: {},
				readRawBody: async () => {
					unread.rawBody = request.rawBody;
					reads.push('readRawBody');
				},
			};
			return unread;
		},
		getQueryData: () => request.query,
		getWebhookName: () => request.webhook ?? 'default',
		getCredentials: async (type: string) => {
			const found = request.credentials[type];
			if (!found) throw new Error(`Node does not have any credentials set for "${type}"`);
			return found;
		},
		getNodeParameter: (name: string, fallback?: unknown) => request.parameters[name] ?? fallback,
		getNode: () => request.node,
		getWorkflow: () => ({ id: 'wf-1', name: 'test', active: true }),
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			httpRequest: async (options: IDataObject) => {
				if (!request.httpRequest) throw new Error('no HTTP expected');
				return await request.httpRequest(options);
			},
		},
		logger: {
			warn: (message: string) => logs.push(message),
			error: (message: string) => logs.push(message),
			info: () => undefined,
			debug: () => undefined,
		},
	} as unknown as IWebhookFunctions;
	const result = await webhook.call(context);
	return { result, sent, logs, reads };
}

/** n8n's httpRequest helper, as far as the transport uses it, over real HTTP. */
export async function fetchHttp(options: IDataObject): Promise<unknown> {
	const url = new URL(String(options.url));
	for (const [key, value] of Object.entries((options.qs as IDataObject) ?? {})) {
		url.searchParams.set(key, String(value));
	}
	const response = await fetch(url, {
		method: String(options.method ?? 'GET'),
		headers: { 'content-type': 'application/json', ...(options.headers as Record<string, string>) },
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
		redirect: 'manual',
	});
	const text = await response.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// not JSON: kept as text
	}
	return { statusCode: response.status, body, headers: Object.fromEntries(response.headers) };
}
