import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import { readLimit, returnAllProperties } from '../../../shared/actions/returnAll';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { HIDDEN_SINCE_2022 } from '../../platform/contacts';
import { listDepartmentIds, listDepartments } from '../../transport/contacts';
import type { NumericRef } from '../contactFields';
import { departmentLocator, departmentNameHidden, readNumericLocator } from '../contactFields';

export const option = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many departments',
	description: 'The departments below a department, with names or as IDs only',
};

export const description: INodeProperties[] = [
	{
		...departmentLocator({
			name: 'parentDepartmentId',
			displayName: 'Parent Department',
			description: 'Whose sub-departments to list (not included itself). The root department is 1.',
		}),
		default: { mode: 'id', value: '1' },
	},
	{
		displayName: 'Include All Levels',
		name: 'allLevels',
		type: 'boolean',
		default: true,
		description:
			'Whether to list every department below it, or only its direct sub-departments. WeCom answers the whole subtree in one call either way.',
	},
	{
		displayName: 'IDs Only',
		name: 'idsOnly',
		type: 'boolean',
		default: false,
		description:
			'Whether to list only ID, parent ID and order (department/simplelist). Use it when the app may not read department names, or for speed: WeCom marks the list with names as slow.',
	},
	...returnAllProperties(),
];

export const writes = false;

interface Input {
	parent: NumericRef;
	allLevels: boolean;
	idsOnly: boolean;
	limit: number;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return {
		parent: readNumericLocator(read, 'parentDepartmentId', 'Parent Department'),
		allLevels: read.boolean('allLevels', 'Include All Levels', true),
		idsOnly: read.boolean('idsOnly', 'IDs Only'),
		limit: readLimit(read),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const { id } = input.parent;
	const all = (
		input.idsOnly
			? await namingField(input.parent, listDepartmentIds(this, id, itemIndex))
			: await namingField(input.parent, listDepartments(this, id, itemIndex))
	) as IDataObject[];
	// Both lists contain the parent itself and the whole subtree.
	const below = all.filter(
		(department) => department.id !== id && (input.allLevels || Number(department.parentid) === id),
	);
	const json = below.slice(0, input.limit);
	const namesHidden = !input.idsOnly && json.some(departmentNameHidden);
	return {
		json,
		hints: namesHidden
			? [{ message: HIDDEN_SINCE_2022, type: 'info', location: 'outputPane' }]
			: [],
	};
}
