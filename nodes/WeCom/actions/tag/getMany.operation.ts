import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import { readLimit, returnAllProperties } from '../../../shared/actions/returnAll';
import type { OperationResult } from '../../../shared/actions/types';
import { listTags } from '../../transport/contacts';

export const option = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many tags',
	description: 'Every tag of the company: ID and name',
};

export const description: INodeProperties[] = [...returnAllProperties()];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<number> {
	return readLimit(new ParameterReader(this, itemIndex));
}

export async function execute(
	this: IExecuteFunctions,
	limit: number,
	itemIndex: number,
): Promise<OperationResult> {
	return { json: (await listTags(this, itemIndex)).slice(0, limit) as IDataObject[] };
}
