import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { createValidationError } from '../../../shared/errors';
import { APPROVAL_PATHS } from '../../platform/approvals';
import { actOnInstance } from '../../transport/approvals';
import type { UserRef } from '../contactFields';
import { readUser, resolveUserId, userLocator } from '../contactFields';
import { instanceIdField, readInstanceId } from './fields';

export const option = {
	name: 'Add Comment',
	value: 'addComment',
	action: 'Add a comment to an approval instance',
	description: 'Comment on an instance (评论) in the name of a member',
};

export const description: INodeProperties[] = [
	instanceIdField,
	userLocator({
		name: 'commentUserId',
		displayName: 'Commenter',
		description: 'Who the comment is from',
	}),
	{
		displayName: 'Comment',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'Up to 1024 characters',
	},
];

export const writes = true;

interface Input {
	instanceId: string;
	commenter: UserRef;
	text: string;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	const text = read.text('text', 'Comment');
	if ([...text].length > 1024) {
		throw createValidationError(
			read.node,
			`'Comment' has ${[...text].length} characters, more than DingTalk's 1024`,
			{
				itemIndex,
			},
		);
	}
	return {
		instanceId: readInstanceId(read),
		commenter: readUser(read, 'commentUserId', 'Commenter'),
		text,
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const commentUserId = await resolveUserId(this, input.commenter, itemIndex);
	await namingField(
		{ displayName: 'Instance ID', value: input.instanceId },
		actOnInstance(
			this,
			APPROVAL_PATHS.comments,
			{ processInstanceId: input.instanceId, text: input.text, commentUserId },
			itemIndex,
		),
	);
	return { json: { instanceId: input.instanceId, commented: true, commentUserId } };
}
