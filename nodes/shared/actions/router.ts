import type { IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorToItemJson, toNodeError } from '../errors';
import type { ResourceModule } from './types';

/**
 * Runs the chosen operation for every input item. Each item gets its own try/catch: with
 * continueOnFail a failed item becomes an error item (paired to its input) and the others go on;
 * without it the first failure stops the node, naming the item.
 */
export async function routeItems(
	this: IExecuteFunctions,
	resources: ResourceModule[],
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	const hints: NodeExecutionHint[] = [];

	for (let i = 0; i < items.length; i++) {
		try {
			const resourceName = this.getNodeParameter('resource', i) as string;
			const operationName = this.getNodeParameter('operation', i) as string;
			const resource = resources.find((r) => r.resource.value === resourceName);
			const operation = resource?.operations[operationName];
			if (!operation) {
				throw new NodeOperationError(
					this.getNode(),
					`The operation '${operationName}' of resource '${resourceName}' is not supported`,
					{ itemIndex: i },
				);
			}
			const result = await operation.execute.call(this, i);
			output.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result.json), {
					itemData: { item: i },
				}),
			);
			if (result.hints) hints.push(...result.hints);
		} catch (error) {
			if (this.continueOnFail()) {
				output.push({ json: errorToItemJson(error), pairedItem: { item: i } });
				continue;
			}
			throw toNodeError(this.getNode(), error, i);
		}
	}

	if (hints.length) this.addExecutionHints(...dedupeHints(hints));
	return [output];
}

function dedupeHints(hints: NodeExecutionHint[]): NodeExecutionHint[] {
	const seen = new Set<string>();
	return hints.filter((hint) => {
		if (seen.has(hint.message)) return false;
		seen.add(hint.message);
		return true;
	});
}
