import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { getApprovalDetail } from '../../transport/approvals';
import { approvalItem } from './approvalItem';
import { readSpNo, spNoField } from './fields';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get an approval',
	description: 'An approval: its status, approval nodes, approvers, comments and form values',
};

export const description: INodeProperties[] = [spNoField];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	return readSpNo(new ParameterReader(this, itemIndex));
}

export async function execute(
	this: IExecuteFunctions,
	spNo: string,
	itemIndex: number,
): Promise<OperationResult> {
	const info = await namingField(
		{ displayName: 'Approval Number', value: spNo },
		getApprovalDetail(this, spNo, itemIndex),
	);
	return { json: approvalItem(info, this.getTimezone()) };
}
