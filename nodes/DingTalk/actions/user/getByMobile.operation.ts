import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { mobileProperty, readMobile } from '../../../shared/contacts/mobile';
import { userIdByMobile } from '../../transport/contacts';
import type { LookupOptions } from './lookup';
import { lookupOptions, readLookupOptions, userDetails } from './lookup';

export const option = {
	name: 'Get by Mobile',
	value: 'getByMobile',
	action: 'Get a user by mobile number',
	description: 'Find the member with this mobile number',
};

export const description: INodeProperties[] = [
	mobileProperty(
		'e.g. 13800000001',
		'The mobile number as the contacts store it (+852-12345678 outside mainland China)',
	),
	lookupOptions,
];

export const writes = false;

interface Input {
	mobile: string;
	options: LookupOptions;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return { mobile: readMobile(read, 'mobile', 'Mobile'), options: readLookupOptions(read) };
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
	return { json: await userDetails(this, { userid }, input.options, itemIndex) };
}
