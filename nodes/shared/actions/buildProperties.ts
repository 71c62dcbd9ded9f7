import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ConcurrencyDefaults } from './throughput';
import { throughputProperty } from './throughput';
import type { ResourceModule } from './types';

/**
 * Builds the node's parameters from its resource folders: the Resource dropdown (the main resource
 * first, as listed), one Operation dropdown per resource (its main operation first), and every
 * operation's fields shown only for that resource and operation, then the Throughput options (their
 * default concurrency differs for operations that change something and for reads). Adding an
 * operation is one new file plus one export line in its resource's list.
 */
export function buildNodeProperties(
	resources: ResourceModule[],
	concurrency: ConcurrencyDefaults,
): INodeProperties[] {
	const mainResource = resources[0].resource.value;
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map((r) => ({ ...r.resource })),
			default: mainResource,
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
		const mainOperation = operations[0][0];
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.resource.value] } },
			options: operations.map(([, op]) => ({ ...op.option })),
			default: mainOperation,
		});
		for (const [key, operation] of operations) {
			properties.push(
				...updateDisplayOptions(
					{ show: { resource: [resource.resource.value], operation: [key] } },
					operation.description,
				),
			);
		}
		for (const writes of [true, false]) {
			for (const appQuota of [true, false]) {
				const kind = operations
					.filter(([, op]) => op.writes === writes && (op.appQuota !== false) === appQuota)
					.map(([key]) => key);
				if (!kind.length) continue;
				properties.push({
					...throughputProperty(
						concurrency,
						writes,
						appQuota,
						operations.find(([key]) => kind.includes(key))?.[1].concurrency,
					),
					displayOptions: { show: { resource: [resource.resource.value], operation: kind } },
				});
			}
		}
	}
	return properties;
}

/**
 * The node subtitle as users read it ("Send: Work Notification"), looked up from the chosen
 * resource and operation instead of showing their internal values.
 */
export function buildSubtitle(resources: ResourceModule[]): string {
	const labels: Record<string, string> = {};
	for (const resource of resources) {
		for (const [key, operation] of Object.entries(resource.operations)) {
			labels[`${resource.resource.value}:${key}`] =
				`${operation.option.name}: ${resource.resource.name}`;
		}
	}
	return `={{ ${JSON.stringify(labels)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}
