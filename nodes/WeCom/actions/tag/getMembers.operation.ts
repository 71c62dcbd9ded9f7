import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { getTag } from '../../transport/contacts';
import type { NumericRef } from '../contactFields';
import { readNumericLocator, tagLocator } from '../contactFields';

export const option = {
	name: 'Get Members',
	value: 'getMembers',
	action: 'Get the members of a tag',
	description: 'The members and departments a tag holds, in one item',
};

export const description: INodeProperties[] = [tagLocator()];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<NumericRef> {
	return readNumericLocator(new ParameterReader(this, itemIndex), 'tagId', 'Tag');
}

export async function execute(
	this: IExecuteFunctions,
	tag: NumericRef,
	itemIndex: number,
): Promise<OperationResult> {
	const found = await namingField(tag, getTag(this, tag.id, itemIndex));
	const users = found.userlist ?? [];
	return {
		json: {
			tagId: tag.id,
			tagName: found.tagname ?? null,
			userIds: users.map((user) => user.userid),
			users,
			departmentIds: found.partylist ?? [],
		},
	};
}
