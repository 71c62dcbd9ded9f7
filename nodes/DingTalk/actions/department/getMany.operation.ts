import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import { readLimit, returnAllProperties } from '../../../shared/actions/returnAll';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { walkBreadthFirst } from '../../../shared/contacts/walk';
import { dingTalkProfile } from '../../platform/profile';
import type { Language } from '../../transport/contacts';
import { listSubDepartments } from '../../transport/contacts';
import type { DepartmentRef } from '../contactFields';
import {
	departmentLocator,
	optionsWithLanguage,
	readDepartment,
	readLanguage,
} from '../contactFields';

export const option = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many departments',
	description: 'The sub-departments of a department, or its whole subtree',
};

export const description: INodeProperties[] = [
	{
		...departmentLocator({
			name: 'parentDepartmentId',
			displayName: 'Parent Department',
			description: 'Whose sub-departments to list. The root department is 1.',
		}),
		default: { mode: 'id', value: '1' },
	},
	{
		displayName: 'Include All Levels',
		name: 'allLevels',
		type: 'boolean',
		default: false,
		description:
			'Whether to list the whole subtree (sub-departments of sub-departments, breadth-first) instead of the direct sub-departments only. DingTalk answers one level per call, so this makes one call per department.',
	},
	...returnAllProperties(),
	optionsWithLanguage,
];

export const writes = false;

interface Input {
	parent: DepartmentRef;
	allLevels: boolean;
	limit: number;
	language: Language;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return {
		parent: readDepartment(read, 'parentDepartmentId', 'Parent Department'),
		allLevels: read.boolean('allLevels', 'Include All Levels'),
		limit: readLimit(read),
		language: readLanguage(read),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	if (!input.allLevels) {
		const children = await namingField(
			input.parent,
			listSubDepartments(this, input.parent.id, input.language, itemIndex),
		);
		return { json: children.slice(0, input.limit) as IDataObject[] };
	}
	const found = await walkBreadthFirst({
		root: input.parent.id,
		childrenOf: async (id) =>
			id === input.parent.id
				? await namingField(input.parent, listSubDepartments(this, id, input.language, itemIndex))
				: await listSubDepartments(this, id, input.language, itemIndex),
		idOf: (department) => department.dept_id,
		concurrency: dingTalkProfile.concurrency.reads,
		...(input.limit === Infinity ? {} : { stop: (count: number) => count >= input.limit }),
	});
	return { json: found.slice(0, input.limit) as IDataObject[] };
}
