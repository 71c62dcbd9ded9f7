import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { getInstance } from '../../transport/approvals';
import { instanceIdField, readInstanceId } from './fields';
import { instanceItem } from './instanceItem';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get an approval instance',
	description: 'An approval instance: its outcome, tasks, records and form values',
};

export const description: INodeProperties[] = [instanceIdField];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	return readInstanceId(new ParameterReader(this, itemIndex));
}

export async function execute(
	this: IExecuteFunctions,
	instanceId: string,
	itemIndex: number,
): Promise<OperationResult> {
	const instance = await namingField(
		{ displayName: 'Instance ID', value: instanceId },
		getInstance(this, instanceId, itemIndex),
	);
	return { json: instanceItem(instanceId, instance) };
}
