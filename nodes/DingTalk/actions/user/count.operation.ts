import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { countUsers } from '../../transport/contacts';

export const option = {
	name: 'Count',
	value: 'count',
	action: 'Count the users of the organisation',
	description: 'How many members the organisation has',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Only Active',
		name: 'onlyActive',
		type: 'boolean',
		default: true,
		description: 'Whether to count only members who have activated DingTalk',
	},
];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<boolean> {
	return new ParameterReader(this, itemIndex).boolean('onlyActive', 'Only Active', true);
}

export async function execute(
	this: IExecuteFunctions,
	onlyActive: boolean,
	itemIndex: number,
): Promise<OperationResult> {
	return { json: { count: await countUsers(this, onlyActive, itemIndex), onlyActive } };
}
