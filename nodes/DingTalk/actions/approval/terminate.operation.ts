import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { createValidationError } from '../../../shared/errors';
import { NodeOperationError } from 'n8n-workflow';

import { APPROVAL_PATHS, instanceOutcome } from '../../platform/approvals';
import { actOnInstance, getInstance } from '../../transport/approvals';
import { instanceIdField, readInstanceId } from './fields';

export const option = {
	name: 'Terminate',
	value: 'terminate',
	action: 'Terminate an approval instance',
	description: 'Withdraw (撤销) a running instance, as its originator or as the system',
};

export const description: INodeProperties[] = [
	instanceIdField,
	{
		displayName: 'Terminate As',
		name: 'terminateAs',
		type: 'options',
		options: [
			{
				name: 'The Originator',
				value: 'originator',
				description: 'As if the originator withdrew it (the node reads who that is)',
			},
			{ name: 'The System', value: 'system', description: 'Ended by the system, not by a person' },
		],
		default: 'originator',
	},
	{
		displayName: 'Remark',
		name: 'remark',
		type: 'string',
		default: '',
		description: 'Why it is withdrawn, up to 1024 characters',
	},
];

export const writes = true;

interface Input {
	instanceId: string;
	asSystem: boolean;
	remark: string;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	const remark = read.optionalText('remark', 'Remark');
	if ([...remark].length > 1024) {
		throw createValidationError(
			read.node,
			`'Remark' has ${[...remark].length} characters, more than DingTalk's 1024`,
			{
				itemIndex,
			},
		);
	}
	return {
		instanceId: readInstanceId(read),
		asSystem: read.option<string>('terminateAs', 'originator') === 'system',
		remark,
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const field = { displayName: 'Instance ID', value: input.instanceId };
	// Only the originator may withdraw an instance in their own name: DingTalk needs their userid.
	let operatingUserId: string | undefined;
	if (!input.asSystem) {
		const instance = await namingField(field, getInstance(this, input.instanceId, itemIndex));
		if (instance.status !== 'RUNNING') {
			throw new NodeOperationError(
				this.getNode(),
				`The instance is ${instanceOutcome(instance.status ?? '', instance.result ?? '')}: only running instances can be terminated`,
				{ itemIndex, description: `'Instance ID' is "${input.instanceId}".` },
			);
		}
		operatingUserId = instance.originatorUserId ?? undefined;
	}
	await namingField(
		field,
		actOnInstance(
			this,
			APPROVAL_PATHS.terminate,
			{
				processInstanceId: input.instanceId,
				isSystem: input.asSystem,
				...(operatingUserId ? { operatingUserId } : {}),
				...(input.remark ? { remark: input.remark } : {}),
			},
			itemIndex,
		),
	);
	return {
		json: {
			instanceId: input.instanceId,
			terminated: true,
			terminatedAs: input.asSystem ? 'system' : 'originator',
			...(operatingUserId ? { originatorUserId: operatingUserId } : {}),
		},
	};
}
