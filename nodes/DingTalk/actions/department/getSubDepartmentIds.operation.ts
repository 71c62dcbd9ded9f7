import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { listSubDepartmentIds } from '../../transport/contacts';
import type { DepartmentRef } from '../contactFields';
import { departmentLocator, readDepartment } from '../contactFields';

export const option = {
	name: 'Get Sub-Department IDs',
	value: 'getSubDepartmentIds',
	action: 'Get the sub-department IDs of a department',
	description: 'The IDs of the direct sub-departments, in one item (cheaper than Get Many)',
};

export const description: INodeProperties[] = [
	departmentLocator({ description: 'Whose sub-department IDs to read. The root department is 1.' }),
];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<DepartmentRef> {
	return readDepartment(new ParameterReader(this, itemIndex));
}

export async function execute(
	this: IExecuteFunctions,
	department: DepartmentRef,
	itemIndex: number,
): Promise<OperationResult> {
	const ids = await namingField(department, listSubDepartmentIds(this, department.id, itemIndex));
	return { json: { departmentId: department.id, subDepartmentIds: ids } };
}
