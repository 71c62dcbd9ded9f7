import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { annotatePartialSend, toNodeError } from '../errors';

export interface ChunkedSendOptions<Call, Result> {
	node: INode;
	itemIndex: number;
	calls: Call[];
	send: (call: Call) => Promise<Result>;
	/** The id the platform gave a sent call (task ID, msgid), for the partial-send report. */
	idOf: (result: Result, call: Call) => string | number | undefined;
	idLabel: string;
	idKey: string;
	/** What running the item again would do to the calls already made. */
	rerun?: string;
	/**
	 * A refusal that concerns only this call's recipients (e.g. all of them invalid) and must not
	 * sink the other calls: return true to record it and go on.
	 */
	skipCall?: (error: NodeApiError, call: Call) => boolean;
}

/**
 * Sends one item's message in as many calls as the recipient limits require. Calls are never
 * retried here (the client already retried what is safe); when a later call fails, the error says
 * which calls went out, so nobody re-sends them by accident.
 */
export async function sendInChunks<Call, Result>(
	options: ChunkedSendOptions<Call, Result>,
): Promise<{
	sent: Array<{ call: Call; result: Result }>;
	skipped: Array<{ call: Call; error: NodeApiError }>;
}> {
	const sent: Array<{ call: Call; result: Result }> = [];
	const skipped: Array<{ call: Call; error: NodeApiError }> = [];
	for (const call of options.calls) {
		try {
			sent.push({ call, result: await options.send(call) });
		} catch (error) {
			if (
				error instanceof NodeApiError &&
				options.calls.length > 1 &&
				options.skipCall?.(error, call)
			) {
				skipped.push({ call, error });
				continue;
			}
			if (sent.length && error instanceof NodeApiError) {
				throw annotatePartialSend(error, {
					idLabel: options.idLabel,
					idKey: options.idKey,
					ids: sent
						.map((s) => options.idOf(s.result, s.call))
						.filter((id): id is string | number => id !== undefined),
					sentCalls: sent.length,
					plannedCalls: options.calls.length,
					rerun: options.rerun ?? 'sends those recipients the message again',
				});
			}
			throw toNodeError(options.node, error, options.itemIndex);
		}
	}
	if (!sent.length && skipped.length) throw skipped[0].error;
	return { sent, skipped };
}
