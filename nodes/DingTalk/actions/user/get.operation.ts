import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import type { Language } from '../../transport/contacts';
import { getUser } from '../../transport/contacts';
import type { UserRef } from '../contactFields';
import {
	optionsWithLanguage,
	readLanguage,
	readUser,
	resolveUserId,
	userItem,
	userLocator,
} from '../contactFields';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a user',
	description: 'Details of one member, chosen from the list, by userid or by mobile number',
};

export const description: INodeProperties[] = [
	userLocator({ description: 'The member to read' }),
	optionsWithLanguage,
];

export const writes = false;

interface Input {
	user: UserRef;
	language: Language;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return { user: readUser(read), language: readLanguage(read) };
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const userId = await resolveUserId(this, input.user, itemIndex);
	const user = await namingField(input.user, getUser(this, userId, input.language, itemIndex));
	return { json: userItem(user) };
}
