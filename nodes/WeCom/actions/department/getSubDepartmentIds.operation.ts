import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { listDepartmentIds } from '../../transport/contacts';
import type { NumericRef } from '../contactFields';
import { departmentLocator, readNumericLocator } from '../contactFields';

export const option = {
	name: 'Get Sub-Department IDs',
	value: 'getSubDepartmentIds',
	action: 'Get the sub-department IDs of a department',
	description: 'The IDs of every department below it, in one item',
};

export const description: INodeProperties[] = [
	departmentLocator({ description: 'Whose sub-department IDs to read. The root department is 1.' }),
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
	const rows = await namingField(department, listDepartmentIds(this, department.id, itemIndex));
	const below = rows.filter((row) => row.id !== department.id);
	return {
		json: {
			departmentId: department.id,
			subDepartmentIds: below.map((row) => row.id),
			directSubDepartmentIds: below
				.filter((row) => row.parentid === department.id)
				.map((row) => row.id),
		},
	};
}
