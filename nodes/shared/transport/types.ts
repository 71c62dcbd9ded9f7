import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions, INode } from 'n8n-workflow';

import type { HttpHelper } from './http';

/** A call as operations describe it: everything but the host and the token. */
export interface ApiRequest {
	/** The API family (base URL and token placement); the profile's first family by default. */
	family?: string;
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IHttpRequestOptions['body'];
	headers?: IDataObject;
	/**
	 * Whether repeating the call is harmless (reads). Defaults to true for GET. Non-idempotent calls
	 * are never retried after a timeout or a 5xx, because the platform may already have acted.
	 */
	idempotent?: boolean;
	timeoutMs?: number;
	/** Whether the body is JSON (default) or something else such as multipart form data. */
	json?: boolean;
}

export interface ApiResponse<T = IDataObject> {
	body: T;
	httpStatus: number;
	requestId?: string;
}

/** The part of an n8n function context the client needs; every context type has it. */
export interface HttpContext extends HttpHelper {
	getNode(): INode;
}
