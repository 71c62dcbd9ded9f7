import type { IDataObject } from 'n8n-workflow';

import { parseJson } from '../../../shared/callbacks/receiver';

/**
 * Stream frames (https://github.com/open-dingtalk/developerpedia/blob/main/docs/learn/stream/protocol.md):
 * the server sends `{specVersion, type: SYSTEM | EVENT | CALLBACK, headers, data}` with `data` a
 * JSON string; the client answers on the same socket with `{code, headers, message, data}`.
 */

/** Larger frames are dropped unread (an approval event is a few hundred bytes). */
export const MAX_FRAME_CHARS = 1_048_576;

export interface DownstreamFrame {
	type: string;
	headers: Record<string, string>;
	/** The frame's data: a JSON string. */
	data: string;
}

/** A frame from the server, or undefined when it is not one (logged and dropped by the caller). */
export function readFrame(raw: unknown): DownstreamFrame | undefined {
	if (typeof raw !== 'string' || raw.length > MAX_FRAME_CHARS) return undefined;
	const parsed = parseJson(raw);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
	const frame = parsed as IDataObject;
	if (typeof frame.type !== 'string') return undefined;
	const headers: Record<string, string> = {};
	if (typeof frame.headers === 'object' && frame.headers !== null) {
		for (const [key, value] of Object.entries(frame.headers as IDataObject)) {
			if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
		}
	}
	const data = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data ?? null);
	return { type: frame.type, headers, data };
}

/** The answer to a `ping`: code 200 with the same headers and data. */
export function pongFrame(frame: DownstreamFrame): string {
	return JSON.stringify({ code: 200, headers: frame.headers, message: 'OK', data: frame.data });
}

export type AckStatus = 'SUCCESS' | 'LATER';

/**
 * The acknowledgement of an event: SUCCESS when n8n has it, LATER to have it pushed again. Both
 * `code` and `status` are sent: the SDKs disagree on which the server reads.
 */
export function ackFrame(messageId: string, status: AckStatus, message: string): string {
	return JSON.stringify({
		code: 200,
		headers: { contentType: 'application/json', messageId },
		message: 'OK',
		data: JSON.stringify({ status, message }),
	});
}
