import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from './parameters';

/** Calls in flight per node run by default, per platform: for operations that change something and for reads. */
export interface ConcurrencyDefaults {
	writes: number;
	reads: number;
}

const MAX_CONCURRENCY = 100;
const DEFAULT_MAX_WAIT_SECONDS = 60;
const MAX_WAIT_SECONDS = 3600;

/**
 * The Throughput options every operation has: how many calls run at once and how long one call
 * may wait for the platform's quota. The quota itself is the credential's, because the platform
 * counts calls per app.
 */
export function throughputProperty(
	defaults: ConcurrencyDefaults,
	writes: boolean,
): INodeProperties {
	const concurrency = writes ? defaults.writes : defaults.reads;
	return {
		displayName: 'Throughput',
		name: 'throughput',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Concurrent Calls',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				default: concurrency,
				description:
					"How many platform calls this node makes at once (items, and the parts of a split send). The output keeps the input's order, and the credential's quota still applies.",
			},
			{
				displayName: 'Max Wait for Quota (Seconds)',
				name: 'maxWaitSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_WAIT_SECONDS },
				default: DEFAULT_MAX_WAIT_SECONDS,
				description:
					"How long one call may wait while the platform's quota is used up (pacing, and the cool-down after a rate-limit answer). After that the item fails (or, without On Error → Continue, the node stops) with an error that says when to try again.",
			},
		],
	};
}

export function readThroughput(
	ctx: IExecuteFunctions,
	defaults: ConcurrencyDefaults,
	writes: boolean,
): { concurrency: number; maxWaitMs: number } {
	const read = new ParameterReader(ctx, 0);
	const concurrency = read.integer('throughput.concurrency', 'Concurrent Calls', {
		min: 1,
		max: MAX_CONCURRENCY,
		fallback: writes ? defaults.writes : defaults.reads,
	});
	const maxWaitSeconds = read.integer('throughput.maxWaitSeconds', 'Max Wait for Quota (Seconds)', {
		min: 1,
		max: MAX_WAIT_SECONDS,
		fallback: DEFAULT_MAX_WAIT_SECONDS,
	});
	return { concurrency, maxWaitMs: maxWaitSeconds * 1000 };
}
