import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { listParentsOfDepartment, listParentsOfUser } from '../../transport/contacts';
import type { DepartmentRef, UserRef } from '../contactFields';
import {
	departmentLocator,
	readDepartment,
	readUser,
	resolveUserId,
	userLocator,
} from '../contactFields';

export const option = {
	name: 'Get Parent Path',
	value: 'getParentPath',
	action: 'Get the parent departments of a department or user',
	description: 'Every department from a department (or each department of a user) up to the root',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Of',
		name: 'of',
		type: 'options',
		options: [
			{ name: 'Department', value: 'department', description: 'One path, from the department up' },
			{
				name: 'User',
				value: 'user',
				description: 'One path (one output item) per department the user belongs to',
			},
		],
		default: 'department',
	},
	departmentLocator({
		description: 'The department whose path to the root to read',
		displayOptions: { show: { of: ['department'] } },
	}),
	userLocator({
		description: 'The user whose departments’ paths to the root to read',
		displayOptions: { show: { of: ['user'] } },
	}),
];

export const writes = false;

type Input = { of: 'department'; department: DepartmentRef } | { of: 'user'; user: UserRef };

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return read.option<'department' | 'user'>('of', 'department') === 'user'
		? { of: 'user', user: readUser(read) }
		: { of: 'department', department: readDepartment(read) };
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	if (input.of === 'department') {
		const path = await namingField(
			input.department,
			listParentsOfDepartment(this, input.department.id, itemIndex),
		);
		// DingTalk lists the department itself first and the root last.
		return { json: { departmentId: input.department.id, parentIds: path } };
	}
	const userId = await resolveUserId(this, input.user, itemIndex);
	const paths = await namingField(input.user, listParentsOfUser(this, userId, itemIndex));
	return {
		json: paths.map((path) => ({ userId, departmentId: path[0], parentIds: path })),
	};
}
