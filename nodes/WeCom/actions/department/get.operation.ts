import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { getDepartment } from '../../transport/contacts';
import type { NumericRef } from '../contactFields';
import { departmentLocator, readNumericLocator } from '../contactFields';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a department',
	description: 'Details of one department: name, parent, leaders, order',
};

export const description: INodeProperties[] = [
	departmentLocator({ description: 'The department to read' }),
];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<NumericRef> {
	return readNumericLocator(new ParameterReader(this, itemIndex), 'departmentId', 'Department');
}

export async function execute(
	this: IExecuteFunctions,
	department: NumericRef,
	itemIndex: number,
): Promise<OperationResult> {
	const found = await namingField(department, getDepartment(this, department.id, itemIndex));
	return { json: found as IDataObject };
}
