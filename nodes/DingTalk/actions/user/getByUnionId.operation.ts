import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { userByUnionId } from '../../transport/contacts';
import type { LookupOptions } from './lookup';
import { lookupOptions, readLookupOptions, userDetails } from './lookup';

export const option = {
	name: 'Get by Union ID',
	value: 'getByUnionId',
	action: 'Get a user by union ID',
	description: 'Find the member with this unionid (the ID a user has across apps of one developer)',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Union ID',
		name: 'unionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. emuunion0001',
		description: 'The unionid, as login (OAuth) and event payloads carry it',
	},
	lookupOptions,
];

export const writes = false;

interface Input {
	unionId: string;
	options: LookupOptions;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return { unionId: read.text('unionId', 'Union ID').trim(), options: readLookupOptions(read) };
}

/** contact_type 0 is a member of the organisation, 1 an external contact. */
const CONTACT_TYPES: Record<number, string> = { 0: 'internal', 1: 'external' };

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const found = await namingField(
		{ displayName: 'Union ID', value: input.unionId },
		userByUnionId(this, input.unionId, itemIndex),
	);
	const contactType = found.contact_type ?? 0;
	const json = { ...found, contactType: CONTACT_TYPES[contactType] ?? String(contactType) };
	// An external contact has no member details to read (user/get would refuse the userid).
	if (contactType !== 0) {
		return {
			json,
			hints: [
				{
					message:
						'This union ID belongs to an external contact (外部联系人), not a member: only the userid is returned.',
					type: 'info',
					location: 'outputPane',
				},
			],
		};
	}
	return { json: await userDetails(this, json, input.options, itemIndex) };
}
