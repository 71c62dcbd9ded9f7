import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { listUserIds } from '../../transport/contacts';
import type { DepartmentRef } from '../contactFields';
import { departmentLocator, readDepartment } from '../contactFields';

export const option = {
	name: 'Get IDs',
	value: 'getIds',
	action: 'Get the user IDs of a department',
	description:
		"The userids of a department's direct members in one item, ready for a send's User IDs",
};

export const description: INodeProperties[] = [
	departmentLocator({ description: 'Whose member IDs to read' }),
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
	const userIds = await namingField(department, listUserIds(this, department.id, itemIndex));
	return { json: { departmentId: department.id, userIds, count: userIds.length } };
}
