import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { getUser } from '../../transport/contacts';
import type { UserRef } from '../contactFields';
import { hiddenFieldsHint, readUser, resolveUserId, userItem, userLocator } from '../contactFields';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a user',
	description: 'Details of one member, chosen from the list, by UserID, mobile number or e-mail',
};

export const description: INodeProperties[] = [userLocator({ description: 'The member to read' })];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<UserRef> {
	return readUser(new ParameterReader(this, itemIndex));
}

export async function execute(
	this: IExecuteFunctions,
	user: UserRef,
	itemIndex: number,
): Promise<OperationResult> {
	const userId = await resolveUserId(this, user, itemIndex);
	const found = await namingField(user, getUser(this, userId, itemIndex));
	return { json: userItem(found), hints: hiddenFieldsHint([found], true) };
}
