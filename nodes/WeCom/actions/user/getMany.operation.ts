import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import { readLimit, returnAllProperties } from '../../../shared/actions/returnAll';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { listUsers } from '../../transport/contacts';
import type { NumericRef } from '../contactFields';
import {
	departmentLocator,
	hiddenFieldsHint,
	readNumericLocator,
	userItem,
} from '../contactFields';

export const option = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many users',
	description: 'The members of a department, optionally with its sub-departments',
};

export const description: INodeProperties[] = [
	departmentLocator({ description: 'Whose members to list. The root department is 1.' }),
	{
		displayName: 'Include Sub-Departments',
		name: 'includeSubDepartments',
		type: 'boolean',
		default: false,
		description: 'Whether to list the members of every department below it too',
	},
	{
		displayName: 'Details',
		name: 'details',
		type: 'options',
		options: [
			{
				name: 'Full',
				value: 'full',
				description: 'Every field the app may read (user/list)',
			},
			{
				name: 'Simple',
				value: 'simple',
				description: 'UserID, name and departments only (user/simplelist)',
			},
		],
		default: 'full',
	},
	...returnAllProperties(),
];

export const writes = false;

interface Input {
	department: NumericRef;
	includeSubDepartments: boolean;
	details: boolean;
	limit: number;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return {
		department: readNumericLocator(read, 'departmentId', 'Department'),
		includeSubDepartments: read.boolean('includeSubDepartments', 'Include Sub-Departments'),
		details: read.option<'full' | 'simple'>('details', 'full') !== 'simple',
		limit: readLimit(read),
	};
}

/** WeCom answers a department's members in one call, without paging; the Limit trims the list. */
export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const users = await namingField(
		input.department,
		listUsers(
			this,
			{
				departmentId: input.department.id,
				withSubDepartments: input.includeSubDepartments,
				details: input.details,
			},
			itemIndex,
		),
	);
	const json = users.slice(0, input.limit);
	return { json: json.map(userItem), hints: hiddenFieldsHint(json, input.details) };
}
