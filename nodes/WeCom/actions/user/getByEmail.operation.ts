import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { userIdByEmail } from '../../transport/contacts';
import { checkEmail } from '../../../shared/contacts/email';
import { idOnlyOptions, readIdOnly, userResult } from './lookup';

export const option = {
	name: 'Get by Email',
	value: 'getByEmail',
	action: 'Get a user by email',
	description: 'Find the member with this company or personal e-mail address',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'The e-mail address as the member has it in WeCom',
	},
	{
		displayName: 'Email Type',
		name: 'emailType',
		type: 'options',
		options: [
			{ name: 'Company Mailbox', value: 1, description: 'The WeCom business mailbox (企业邮箱)' },
			{ name: 'Personal', value: 2, description: 'The personal e-mail on the member profile' },
		],
		default: 1,
	},
	idOnlyOptions,
];

export const writes = false;

interface Input {
	email: string;
	emailType: 1 | 2;
	idOnly: boolean;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return {
		email: checkEmail(read, read.text('email', 'Email'), 'Email'),
		emailType: Number(read.raw('emailType', 1)) === 2 ? 2 : 1,
		idOnly: readIdOnly(read),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const userid = await namingField(
		{ displayName: 'Email', value: input.email },
		userIdByEmail(this, { email: input.email, emailType: input.emailType }, itemIndex),
	);
	return await userResult(this, userid, input.idOnly, itemIndex);
}
