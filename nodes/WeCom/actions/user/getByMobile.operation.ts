import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { mobileProperty, readMobile } from '../../../shared/contacts/mobile';
import { userIdByMobile } from '../../transport/contacts';
import { idOnlyOptions, readIdOnly, userResult } from './lookup';

export const option = {
	name: 'Get by Mobile',
	value: 'getByMobile',
	action: 'Get a user by mobile number',
	description: 'Find the member with this mobile number',
};

export const description: INodeProperties[] = [
	mobileProperty(
		'e.g. 13700000001',
		'The mobile number as the contacts store it. WeCom blocks this lookup for a day after too many numbers that match nobody, so map real numbers only.',
	),
	idOnlyOptions,
];

export const writes = false;

interface Input {
	mobile: string;
	idOnly: boolean;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return { mobile: readMobile(read, 'mobile', 'Mobile'), idOnly: readIdOnly(read) };
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const userid = await namingField(
		{ displayName: 'Mobile', value: input.mobile },
		userIdByMobile(this, input.mobile, itemIndex),
	);
	return await userResult(this, userid, input.idOnly, itemIndex);
}
