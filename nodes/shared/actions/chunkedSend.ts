import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { forEachConcurrently } from '../concurrency';
import { annotatePartialSend, toNodeError } from '../errors';
import type { Settled } from '../settle';
import { settle } from '../settle';
import { runLimitsOf } from '../transport/runLimits';

export interface ChunkedSendOptions<Call, Result> {
	ctx: IExecuteFunctions;
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
 * Sends one item's message in as many calls as the recipient limits require. The calls run
 * concurrently within the run's Concurrent Calls; once one fails (and cannot be skipped) no further
 * call starts and the running ones finish. Calls are never retried here (the client already
 * retried what is safe); when a call fails after others went out, the error says which, so nobody
 * re-sends them by accident. Results keep the order of the calls.
 */
export async function sendInChunks<Call, Result>(
	options: ChunkedSendOptions<Call, Result>,
): Promise<{
	sent: Array<{ call: Call; result: Result }>;
	skipped: Array<{ call: Call; error: NodeApiError }>;
}> {
	const { calls } = options;
	const run = runLimitsOf(options.ctx);
	const outcomes: Array<Settled<Result> | undefined> = new Array(calls.length);
	const skippedCalls = new Set<number>();
	let failure: unknown;
	await forEachConcurrently(
		calls.length,
		run?.slots.size ?? 1,
		async (index) => {
			const outcome = await settle(options.send(calls[index]));
			outcomes[index] = outcome;
			if (outcome.ok) return;
			const skippable =
				outcome.error instanceof NodeApiError &&
				calls.length > 1 &&
				options.skipCall?.(outcome.error, calls[index]);
			if (skippable) skippedCalls.add(index);
			else failure ??= outcome.error;
		},
		() => failure !== undefined || run?.stopped === true,
	);

	const sent: Array<{ call: Call; result: Result }> = [];
	const sentCallNumbers: number[] = [];
	const skipped: Array<{ call: Call; error: NodeApiError }> = [];
	let notMade = 0;
	for (let index = 0; index < calls.length; index++) {
		const outcome = outcomes[index];
		if (!outcome) notMade++;
		else if (outcome.ok) {
			sent.push({ call: calls[index], result: outcome.value });
			sentCallNumbers.push(index + 1);
		} else if (skippedCalls.has(index)) {
			skipped.push({ call: calls[index], error: outcome.error as NodeApiError });
		}
	}
	// The run stopped because another item failed: this item is incomplete, not done.
	failure ??=
		notMade > 0
			? new NodeOperationError(
					options.ctx.getNode(),
					`Stopped after another item failed: ${sent.length} of ${calls.length} calls of this item were made`,
					{ itemIndex: options.itemIndex },
				)
			: undefined;
	if (failure !== undefined) {
		if (sent.length && (failure instanceof NodeApiError || failure instanceof NodeOperationError)) {
			throw annotatePartialSend(failure, {
				idLabel: options.idLabel,
				idKey: options.idKey,
				ids: sent
					.map((s) => options.idOf(s.result, s.call))
					.filter((id): id is string | number => id !== undefined),
				sentCalls: sent.length,
				plannedCalls: calls.length,
				sentCallNumbers,
				rerun: options.rerun ?? 'sends those recipients the message again',
			});
		}
		throw toNodeError(options.ctx.getNode(), failure, options.itemIndex);
	}
	if (!sent.length && skipped.length) throw skipped[0].error;
	return { sent, skipped };
}
