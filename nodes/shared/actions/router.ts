import type {
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forEachConcurrently } from '../concurrency';
import { errorToItemJson, toNodeError } from '../errors';
import { describeItemNumbers } from '../numbers';
import type { PlatformProfile } from '../platform/types';
import { settle } from '../settle';
import type { RunStats } from '../transport/runLimits';
import { startRun } from '../transport/runLimits';
import { readThroughput } from './throughput';
import type { OperationModule, OperationResult, ResourceModule } from './types';

type Planned = { operation: OperationModule; prepared: unknown } | { failed: Error };

type Outcome = { result: OperationResult } | { error: Error };

/**
 * Runs the chosen operation for every input item, in two passes. First every item's parameters are
 * read and checked (no platform call), so bad input anywhere stops the node before anything is
 * sent. Then the items run concurrently, at most Concurrent Calls platform calls at a time under the
 * shared throttle, and their output is put back in input order. With continueOnFail a failed item
 * becomes an error item paired to its input and the others go on; without it the first failure
 * stops new items, lets the running ones finish, and the error names the item and, for operations
 * that change something, the items already done and those never started.
 */
export async function routeItems(
	this: IExecuteFunctions,
	resources: ResourceModule[],
	profile: Pick<PlatformProfile, 'name' | 'concurrency'>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();

	const plan: Planned[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const operation = findOperation.call(this, resources, i);
			plan.push({ operation, prepared: await operation.prepare.call(this, i) });
		} catch (error) {
			if (!continueOnFail) throw toNodeError(this.getNode(), error, i);
			plan.push({ failed: error });
		}
	}

	const operations = plan.flatMap((step) => ('operation' in step ? [step.operation] : []));
	const throughput = readThroughput(this, profile.concurrency, {
		writes: operations.some((operation) => operation.writes),
		appQuota:
			operations.length === 0 || operations.some((operation) => operation.appQuota !== false),
		concurrency: operations.find((operation) => operation.concurrency)?.concurrency,
	});
	const run = startRun(this, throughput.concurrency, throughput.maxWaitMs);

	const outcomes: Array<Outcome | undefined> = new Array(plan.length);
	let firstFailure: number | undefined;
	const progress = progressReporter(this, profile.name, plan.length, run.stats);
	await forEachConcurrently(
		plan.length,
		throughput.concurrency,
		async (i) => {
			const step = plan[i];
			if ('failed' in step) {
				outcomes[i] = { error: step.failed };
				return;
			}
			const attempt = await settle(step.operation.execute.call(this, step.prepared, i));
			outcomes[i] = attempt.ok ? { result: attempt.value } : { error: attempt.error as Error };
			if (!attempt.ok && !continueOnFail && firstFailure === undefined) {
				firstFailure = i;
				run.stopped = true;
			}
			progress.itemDone();
		},
		() => firstFailure !== undefined,
	);

	const paced = describePacing(profile.name, run.stats);
	if (paced) this.logger.info(paced, { node: this.getNode().name, ...run.stats });

	if (firstFailure !== undefined) {
		const failed = outcomes[firstFailure] as { error: Error };
		const nodeError = toNodeError(this.getNode(), failed.error, firstFailure);
		const step = plan[firstFailure] as { operation: OperationModule };
		if (step.operation.writes) noteItemsNotDone(nodeError, outcomes, firstFailure);
		throw nodeError;
	}

	const output: INodeExecutionData[] = [];
	const hints: NodeExecutionHint[] = [];
	outcomes.forEach((outcome, i) => {
		if (!outcome) return;
		if ('error' in outcome) {
			output.push({ json: errorToItemJson(outcome.error), pairedItem: { item: i } });
			return;
		}
		const entries = this.helpers.constructExecutionMetaData(
			this.helpers.returnJsonArray(outcome.result.json),
			{ itemData: { item: i } },
		);
		if (outcome.result.binary && entries[0]) entries[0].binary = outcome.result.binary;
		output.push(...entries);
		if (outcome.result.hints) hints.push(...outcome.result.hints);
	});

	if (paced) hints.push({ message: paced, type: 'info', location: 'outputPane' });
	if (hints.length) this.addExecutionHints(...dedupeHints(hints));
	return [output];
}

/** How often a long run reports how far it got. */
const PROGRESS_EVERY_MS = 10_000;

/**
 * Progress of long runs, every PROGRESS_EVERY_MS: to the editor's browser console for manual runs
 * (n8n's sendMessageToUI) and to n8n's log, with what the quota held back so far.
 */
export function progressReporter(
	ctx: Pick<IExecuteFunctions, 'getNode' | 'logger' | 'sendMessageToUI'>,
	platform: string,
	total: number,
	stats: RunStats,
	clock: () => number = Date.now,
): { itemDone(): void } {
	let done = 0;
	let lastReport = clock();
	return {
		itemDone() {
			done++;
			const now = clock();
			if (now - lastReport < PROGRESS_EVERY_MS || done === total) return;
			lastReport = now;
			const robot = stats.robot;
			const message = robot.posts
				? `${ctx.getNode().name}: ${done} of ${total} items done; ${robot.waitedPosts} messages waited ${(robot.waitedMs / 1000).toFixed(1)} s for the robot's per-minute limit, ${robot.throttleAnswers} throttle answers waited out`
				: `${ctx.getNode().name}: ${done} of ${total} items done; ${stats.throttledCalls} calls waited ${(stats.waitedMs / 1000).toFixed(1)} s for ${platform}'s quota, ${stats.rateLimitAnswers} rate-limit answers waited out`;
			ctx.logger.info(message);
			ctx.sendMessageToUI(message);
		},
	};
}

/**
 * What the quota (and the robot's per-minute limit) did to this run, when it did anything worth
 * telling: waits adding up to a second or more, or rate-limit answers that were waited out.
 */
export function describePacing(platform: string, stats: RunStats): string | undefined {
	const told = [appPacing(platform, stats), robotPacing(stats.robot)].filter(Boolean);
	return told.length ? told.join(' ') : undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function appPacing(platform: string, stats: RunStats): string | undefined {
	if (stats.rateLimitAnswers === 0 && stats.waitedMs < 1000) return undefined;
	const waited = stats.throttledCalls
		? `Paced under ${platform}'s quota (the credential's Quota per API): ${stats.throttledCalls} of ${stats.calls} calls waited for their turn, ${seconds(stats.waitedMs / stats.throttledCalls)} on average, ${seconds(stats.longestWaitMs)} at most`
		: `No call waited for ${platform}'s quota`;
	if (!stats.rateLimitAnswers) return `${waited}.`;
	return `${waited}; ${stats.rateLimitAnswers} rate-limit ${stats.rateLimitAnswers === 1 ? 'answer was' : 'answers were'} waited out and retried. If another system or n8n worker uses the same app, lower the quota in the credential so they share it.`;
}

function robotPacing(robot: RunStats['robot']): string | undefined {
	if (robot.throttleAnswers === 0 && robot.waitedMs < 1000) return undefined;
	const waited = robot.waitedPosts
		? `Paced under the robot's 20 messages a minute: ${robot.waitedPosts} of ${robot.posts} messages waited for their turn, ${seconds(robot.waitedMs / robot.waitedPosts)} on average, ${seconds(robot.longestWaitMs)} at most`
		: 'No message waited for the robot';
	if (!robot.throttleAnswers) return `${waited}.`;
	return `${waited}; the platform throttled the robot ${robot.throttleAnswers} ${robot.throttleAnswers === 1 ? 'time' : 'times'}, and the messages waited it out. If other workflows or systems post to the same robot, send fewer messages (for example one summary instead of one per item).`;
}

function findOperation(
	this: IExecuteFunctions,
	resources: ResourceModule[],
	itemIndex: number,
): OperationModule {
	const resourceName = this.getNodeParameter('resource', itemIndex) as string;
	const operationName = this.getNodeParameter('operation', itemIndex) as string;
	const resource = resources.find((r) => r.resource.value === resourceName);
	const operation = resource?.operations[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation '${operationName}' of resource '${resourceName}' is not supported`,
			{ itemIndex },
		);
	}
	return operation;
}

/**
 * The node stops on an item after other items already changed something on the platform; their
 * output is lost with the stop, so say which they were (and which never started) before anyone
 * runs the node again.
 */
function noteItemsNotDone(
	error: NodeApiError | NodeOperationError,
	outcomes: Array<Outcome | undefined>,
	failedItem: number,
): void {
	const done: number[] = [];
	const alsoFailed: number[] = [];
	const notStarted: number[] = [];
	// A plain loop: forEach would skip the holes that are exactly the items never started.
	for (let i = 0; i < outcomes.length; i++) {
		const outcome = outcomes[i];
		if (!outcome) notStarted.push(i);
		else if ('result' in outcome) done.push(i);
		else if (i !== failedItem) alsoFailed.push(i);
	}
	const items = (list: number[]) =>
		`${list.length === 1 ? 'Item' : 'Items'} ${describeItemNumbers(list)}`;
	const them = done.length === 1 ? 'it' : 'them';
	const sentences: string[] = [];
	if (done.length) {
		sentences.push(
			`${items(done)} ${done.length === 1 ? 'was' : 'were'} sent or changed on the platform in this run. Running the node again repeats ${them}: remove ${them} from the input first, or turn on Settings → On Error → Continue to keep every item's result.`,
		);
	}
	if (alsoFailed.length) {
		sentences.push(
			`${items(alsoFailed)} ${alsoFailed.length === 1 ? 'was' : 'were'} running at the same time and failed too (turn on Continue to see why).`,
		);
	}
	if (notStarted.length) sentences.push(`${items(notStarted)} did not run.`);
	if (!sentences.length) return;
	error.description = [error.description, ...sentences].filter(Boolean).join(' ');
	const context = error.context as {
		itemsAlreadyDone?: number[];
		itemsAlsoFailed?: number[];
		itemsNotStarted?: number[];
	};
	context.itemsAlreadyDone = done;
	context.itemsAlsoFailed = alsoFailed;
	context.itemsNotStarted = notStarted;
}

function dedupeHints(hints: NodeExecutionHint[]): NodeExecutionHint[] {
	const seen = new Set<string>();
	return hints.filter((hint) => {
		if (seen.has(hint.message)) return false;
		seen.add(hint.message);
		return true;
	});
}
