import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ResourceModule } from './types';

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/**
 * Builds the node's parameters from its resource folders: the Resource dropdown, one Operation
 * dropdown per resource, and every operation's fields shown only for that resource and operation.
 * Adding an operation is one new file plus one export line in its resource's index.
 */
export function buildNodeProperties(
	resources: ResourceModule[],
	defaultResource: string,
): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map((r) => ({ ...r.resource })).sort(byName),
			default: defaultResource,
		},
	];
	for (const resource of resources) {
		const operations = Object.entries(resource.operations);
		for (const [key, operation] of operations) {
			if (operation.option.value !== key) {
				throw new Error(
					`Operation export '${key}' must match its option value '${operation.option.value}'`,
				);
			}
		}
		const defaultOperation = resource.defaultOperation ?? operations[0][0];
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.resource.value] } },
			options: operations.map(([, op]) => ({ ...op.option })).sort(byName),
			default: defaultOperation,
		});
		for (const [key, operation] of operations) {
			properties.push(
				...updateDisplayOptions(
					{ show: { resource: [resource.resource.value], operation: [key] } },
					operation.description,
				),
			);
		}
	}
	return properties;
}
