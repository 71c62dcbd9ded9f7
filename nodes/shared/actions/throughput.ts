import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { integerValue } from '../validation';

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
	appQuota = true,
	ownConcurrency?: number,
): INodeProperties {
	const concurrency = ownConcurrency ?? (writes ? defaults.writes : defaults.reads);
	const options: INodeProperties[] = [
		{
			displayName: 'Concurrent Calls',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: concurrency,
			description: appQuota
				? `How many platform calls this node makes at once (items, and the parts of a split send): 1–${MAX_CONCURRENCY}, default ${concurrency}. The output keeps the input's order, and the credential's quota still applies.`
				: `How many items post at once: 1–${MAX_CONCURRENCY}, default ${concurrency}. The robot's 20 messages a minute apply however many post at once, and each post in flight holds its file in memory; the output keeps the input's order.`,
		},
		{
			displayName: 'Max Wait for Quota (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_WAIT_SECONDS },
			default: DEFAULT_MAX_WAIT_SECONDS,
			description: `1–${MAX_WAIT_SECONDS} s, default ${DEFAULT_MAX_WAIT_SECONDS}. How long one call may wait while the platform's quota is used up (pacing, and the cool-down after a rate-limit answer). After that the item fails (or, without On Error → Continue, the node stops) with an error that says when to try again.`,
		},
	];
	return {
		displayName: 'Throughput',
		name: 'throughput',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: appQuota ? options : options.filter((option) => option.name !== 'maxWaitSeconds'),
	};
}

export function readThroughput(
	ctx: IExecuteFunctions,
	defaults: ConcurrencyDefaults,
	kind: { writes: boolean; appQuota: boolean; concurrency?: number },
): { concurrency: number; maxWaitMs: number } {
	const { writes } = kind;
	// Node-wide settings: read once, and their errors name no item.
	const setting = (name: string, displayName: string, max: number, fallback: number) =>
		integerValue(ctx.getNode(), ctx.getNodeParameter(`throughput.${name}`, 0, fallback), {
			displayName,
			min: 1,
			max,
		});
	const concurrency = setting(
		'concurrency',
		'Concurrent Calls',
		MAX_CONCURRENCY,
		kind.concurrency ?? (writes ? defaults.writes : defaults.reads),
	);
	// Operations without the app quota do not offer this option: a value saved before is ignored.
	const maxWaitSeconds = kind.appQuota
		? setting(
				'maxWaitSeconds',
				'Max Wait for Quota (Seconds)',
				MAX_WAIT_SECONDS,
				DEFAULT_MAX_WAIT_SECONDS,
			)
		: DEFAULT_MAX_WAIT_SECONDS;
	return { concurrency, maxWaitMs: maxWaitSeconds * 1000 };
}
