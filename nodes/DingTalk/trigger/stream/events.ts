import type { IDataObject, IRun, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';
import { createHash } from 'crypto';

import type { EventDeduplicator } from '../../../shared/callbacks/deduplicator';
import { parseJson } from '../../../shared/callbacks/receiver';
import { withInstance } from '../details';
import type { EventEnvelope, EventFilters } from '../events';
import { eventDedupKey, eventItem, wanted } from '../events';
import type { AckStatus, DownstreamFrame } from './frames';

/**
 * What the Stream trigger does with one pushed event: read it, narrow it with the node's filters,
 * recognise a redelivery, hand the item to n8n, and say how to acknowledge it — SUCCESS only once
 * n8n has run it (or found it a duplicate), LATER when n8n could not take it, so DingTalk pushes it
 * again.
 */

/**
 * Longest wait for n8n to finish the execution before acknowledging anyway. DingTalk pushes an
 * unacknowledged event again after about 60 s; the execution exists by then, and a redelivery is
 * recognised, so waiting longer would only cause pushes that are dropped.
 */
export const MAX_ACK_WAIT_MS = 50_000;

export interface StreamEventSettings {
	filters: EventFilters;
	includeFormValues: boolean;
	deduplicator: EventDeduplicator;
	/** Keys n8n is handling right now: a redelivery waits for the first delivery's answer. */
	inFlight: Map<string, Promise<AckStatus>>;
	/** A test run in the editor takes one event: n8n resolves its run with the first emit only. */
	testRun: { emitted: boolean; end?: () => void };
	maxAckWaitMs?: number;
}

/** The envelope of a Stream event: its headers (https://github.com/open-dingtalk/developerpedia/blob/main/docs/learn/stream/protocol.md). */
export function streamEnvelope(frame: DownstreamFrame): EventEnvelope {
	const { headers } = frame;
	return {
		eventType: headers.eventType ?? '',
		eventId: headers.eventId || headers.messageId || '',
		corpId: headers.eventCorpId ?? '',
		eventTime: headers.eventBornTime,
	};
}

/** n8n's own de-duplication key for the execution: unique in its database, across processes. */
function executionKey(ctx: ITriggerFunctions, key: string): string {
	const scope = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}:${key}`;
	return `dingtalk-stream:${createHash('sha256').update(scope, 'utf8').digest('hex')}`;
}

async function handOver(
	ctx: ITriggerFunctions,
	item: IDataObject,
	key: string,
	{ maxWaitMs, testRun }: { maxWaitMs: number; testRun: StreamEventSettings['testRun'] },
): Promise<AckStatus> {
	const data = [ctx.helpers.returnJsonArray([item])];
	if (ctx.getMode() === 'manual') {
		// A test run in the editor shows the first event. Later ones would be acknowledged but
		// never shown (n8n takes one emit per test run), so they go back to DingTalk instead.
		if (testRun.emitted) return 'LATER';
		testRun.emitted = true;
		ctx.emit(data);
		testRun.end?.();
		return 'SUCCESS';
	}
	// n8n 2.41's Engine 2.0 refuses triggers that wait for their execution: the event is handed
	// over with n8n's de-duplication key only, and acknowledged once handed over.
	if (ctx.getWorkflowSettings?.().engineType === 'v2') {
		ctx.emit(data, undefined, undefined, executionKey(ctx, key));
		return 'SUCCESS';
	}
	const done = ctx.helpers.createDeferredPromise<IRun>();
	const run = done.promise.then(
		(): AckStatus => 'SUCCESS',
		(): AckStatus => 'LATER',
	);
	ctx.emit(data, undefined, done, executionKey(ctx, key));
	let settled = false;
	void run.then(() => {
		settled = true;
	});
	// Waited in short ticks, so no timer outlives the execution by more than a second.
	const waited = (async (): Promise<AckStatus> => {
		const until = Date.now() + maxWaitMs;
		while (!settled && Date.now() < until) await sleep(Math.min(1000, maxWaitMs));
		return 'SUCCESS';
	})();
	return await Promise.race([run, waited]);
}

export async function handleStreamEvent(
	ctx: ITriggerFunctions,
	frame: DownstreamFrame,
	settings: StreamEventSettings,
): Promise<AckStatus> {
	const envelope = streamEnvelope(frame);
	const parsed = parseJson(frame.data);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		ctx.logger.warn(
			`DingTalk Stream: an ${envelope.eventType || 'unnamed'} event had no readable data; acknowledged and dropped`,
		);
		return 'SUCCESS';
	}
	const data = parsed as Record<string, unknown>;
	const key = eventDedupKey(envelope, frame.data);
	const pending = settings.inFlight.get(key);
	if (pending !== undefined) return await pending;
	if (settings.deduplicator.seen(key)) return 'SUCCESS';
	// When the organisation's Webhook & Stream quota is used up, DingTalk still pushes events, but
	// with an error code instead of their content.
	if (data.errCode !== undefined && data.processInstanceId === undefined) {
		// In a test run this fails the run: the trigger leaves the connection like after an event.
		const testRunEnds = ctx.getMode() === 'manual' && !settings.testRun.emitted;
		if (testRunEnds) settings.testRun.emitted = true;
		ctx.saveFailedExecution(
			new NodeOperationError(
				ctx.getNode(),
				`DingTalk pushed a ${envelope.eventType} event without its content (errCode ${String(data.errCode)}: ${String(data.errMsg ?? '')})`,
				{
					description:
						"DingTalk sends events without content when the organisation's monthly Webhook & Stream quota is used up; see the edition's quota in the DingTalk admin console.",
				},
			),
		);
		if (testRunEnds) settings.testRun.end?.();
		return 'SUCCESS';
	}
	if (!wanted(settings.filters, envelope.eventType, data)) return 'SUCCESS';
	const answer = (async () => {
		let item = eventItem(envelope, data);
		if (settings.includeFormValues) item = await withInstance(ctx, item);
		return await handOver(ctx, item, key, {
			maxWaitMs: settings.maxAckWaitMs ?? MAX_ACK_WAIT_MS,
			testRun: settings.testRun,
		});
	})().catch((): AckStatus => 'LATER');
	settings.inFlight.set(key, answer);
	const status = await answer;
	settings.inFlight.delete(key);
	// Pushed again later: it must then get through.
	if (status === 'LATER') settings.deduplicator.forget(key);
	return status;
}
