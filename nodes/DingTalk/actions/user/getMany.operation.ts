import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import { readLimit, returnAllProperties } from '../../../shared/actions/returnAll';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import type { DingTalkUser, Language } from '../../transport/contacts';
import { USER_PAGE_SIZE, listSubDepartmentIds, listUsersPage } from '../../transport/contacts';
import type { DepartmentRef } from '../contactFields';
import {
	departmentLocator,
	optionsWithLanguage,
	readDepartment,
	readLanguage,
	userItem,
} from '../contactFields';

export const option = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many users',
	description: "Full details of a department's members, or of everyone in its subtree",
};

export const description: INodeProperties[] = [
	departmentLocator({ description: 'Whose members to list. The root department is 1.' }),
	{
		displayName: 'Include Sub-Departments',
		name: 'includeSubDepartments',
		type: 'boolean',
		default: false,
		description:
			'Whether to list the members of every department below it too, level by level. Someone in several of these departments is listed once; Limit still applies (switch on Return All for everyone).',
	},
	...returnAllProperties(),
	optionsWithLanguage,
];

export const writes = false;

interface Input {
	department: DepartmentRef;
	includeSubDepartments: boolean;
	limit: number;
	language: Language;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return {
		department: readDepartment(read),
		includeSubDepartments: read.boolean('includeSubDepartments', 'Include Sub-Departments'),
		limit: readLimit(read),
		language: readLanguage(read),
	};
}

/**
 * Departments are read one at a time, breadth-first, and each is paged to its end before the next
 * (DingTalk lists direct members only, 100 per call): the calls are exactly one per page plus one
 * per department for its sub-department IDs, and a Limit stops both as soon as it is reached.
 */
export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const users: DingTalkUser[] = [];
	const seen = new Set<string>();
	const queue = [input.department.id];
	while (queue.length && users.length < input.limit) {
		const deptId = queue.shift() as number;
		let cursor: number | undefined = 0;
		// Each department is paged to its end or until the Limit is reached; someone already listed
		// under an earlier department does not count towards it.
		while (cursor !== undefined && users.length < input.limit) {
			const wanted = input.limit - users.length;
			const request = listUsersPage(
				this,
				{
					deptId,
					cursor,
					// Full pages unless fewer are wanted, so Return All makes the fewest calls.
					size: Math.min(USER_PAGE_SIZE, wanted),
					language: input.language,
				},
				itemIndex,
			);
			const page =
				deptId === input.department.id
					? await namingField(input.department, request)
					: await request;
			for (const user of page.users) {
				if (seen.has(user.userid) || users.length >= input.limit) continue;
				seen.add(user.userid);
				users.push(user);
			}
			cursor = page.next;
		}
		if (input.includeSubDepartments && users.length < input.limit) {
			queue.push(...(await listSubDepartmentIds(this, deptId, itemIndex)));
		}
	}
	return { json: users.slice(0, input.limit).map(userItem) as IDataObject[] };
}
