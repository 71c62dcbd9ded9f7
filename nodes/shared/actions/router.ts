import type {
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorToItemJson, toNodeError } from '../errors';
import type { OperationModule, OperationResult, ResourceModule } from './types';

type Planned = { operation: OperationModule; prepared: unknown } | { failed: Error };

/**
 * Runs the chosen operation for every input item, in two passes. First every item's parameters are
 * read and checked (no platform call), so bad input anywhere stops the node before anything is
 * sent. Then the items run in order. With continueOnFail a failed item becomes an error item paired
 * to its input and the others go on; without it the first failure stops the node, naming the item
 * and, for operations that change something, the items already done.
 */
export async function routeItems(
	this: IExecuteFunctions,
	resources: ResourceModule[],
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

	const output: INodeExecutionData[] = [];
	const hints: NodeExecutionHint[] = [];
	const done: number[] = [];
	for (let i = 0; i < plan.length; i++) {
		const step = plan[i];
		if ('failed' in step) {
			output.push({ json: errorToItemJson(step.failed), pairedItem: { item: i } });
			continue;
		}
		let result: OperationResult;
		try {
			result = await step.operation.execute.call(this, step.prepared, i);
		} catch (error) {
			if (continueOnFail) {
				output.push({ json: errorToItemJson(error), pairedItem: { item: i } });
				continue;
			}
			const nodeError = toNodeError(this.getNode(), error, i);
			if (step.operation.writes && done.length) noteItemsAlreadyDone(nodeError, done);
			throw nodeError;
		}
		const entries = this.helpers.constructExecutionMetaData(
			this.helpers.returnJsonArray(result.json),
			{ itemData: { item: i } },
		);
		if (result.binary && entries[0]) entries[0].binary = result.binary;
		output.push(...entries);
		if (result.hints) hints.push(...result.hints);
		done.push(i);
	}

	if (hints.length) this.addExecutionHints(...dedupeHints(hints));
	return [output];
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

/** "0–3, 5": item numbers as ranges. */
export function describeItemNumbers(indexes: number[]): string {
	const parts: string[] = [];
	for (let k = 0; k < indexes.length; k++) {
		const start = indexes[k];
		while (k + 1 < indexes.length && indexes[k + 1] === indexes[k] + 1) k++;
		parts.push(start === indexes[k] ? String(start) : `${start}–${indexes[k]}`);
	}
	return parts.join(', ');
}

/**
 * The node stops on an item after earlier items already changed something on the platform; their
 * output is lost with the stop, so say which they were before anyone runs the node again.
 */
function noteItemsAlreadyDone(error: NodeApiError | NodeOperationError, done: number[]): void {
	const which = `${done.length === 1 ? 'Item' : 'Items'} ${describeItemNumbers(done)}`;
	const note = `${which} had already been sent or changed on the platform before this item failed. Running the node again repeats ${done.length === 1 ? 'it' : 'them'}: remove ${done.length === 1 ? 'it' : 'them'} from the input first, or turn on Settings → On Error → Continue to keep every item's result.`;
	error.description = [error.description, note].filter(Boolean).join(' ');
	const context = error.context as { itemsAlreadyDone?: number[] };
	context.itemsAlreadyDone = done;
}

function dedupeHints(hints: NodeExecutionHint[]): NodeExecutionHint[] {
	const seen = new Set<string>();
	return hints.filter((hint) => {
		if (seen.has(hint.message)) return false;
		seen.add(hint.message);
		return true;
	});
}
