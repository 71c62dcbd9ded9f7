import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { createValidationError } from '../../../shared/errors';
import { APPROVAL_PATHS } from '../../platform/approvals';
import { actOnInstance, getInstance } from '../../transport/approvals';
import type { UserRef } from '../contactFields';
import { readUser, resolveUserId, userLocator } from '../contactFields';
import { instanceIdField, readInstanceId } from './fields';

export const option = {
	name: 'Approve or Reject',
	value: 'approveOrReject',
	action: 'Approve or reject an approval task',
	description: "Act on an approver's running task of an instance, as that approver",
};

export const description: INodeProperties[] = [
	instanceIdField,
	userLocator({
		name: 'actionerUserId',
		displayName: 'Approver',
		description: 'The approver whose task this is (the task is acted on in their name)',
	}),
	{
		displayName: 'Decision',
		name: 'result',
		type: 'options',
		options: [
			{ name: 'Approve', value: 'agree' },
			{ name: 'Reject', value: 'refuse' },
		],
		default: 'agree',
	},
	{
		displayName: 'Remark',
		name: 'remark',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'A comment with the decision (审批意见), up to 1024 characters',
	},
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 69000000001',
		description:
			"The task to act on; empty for the approver's running task of the instance (read from the instance first)",
	},
];

export const writes = true;

interface Input {
	instanceId: string;
	approver: UserRef;
	result: 'agree' | 'refuse';
	remark: string;
	taskId?: number;
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
	const taskText = read.optionalText('taskId', 'Task ID').trim();
	if (taskText && !/^\d+$/.test(taskText)) {
		throw createValidationError(read.node, `'Task ID' must be a number, got '${taskText}'`, {
			itemIndex,
			description: "Copy the task's taskId from Get, or leave it empty.",
		});
	}
	return {
		instanceId: readInstanceId(read),
		approver: readUser(read, 'actionerUserId', 'Approver'),
		result: read.option<string>('result', 'agree') === 'refuse' ? 'refuse' : 'agree',
		remark,
		...(taskText ? { taskId: Number(taskText) } : {}),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const actionerUserId = await resolveUserId(this, input.approver, itemIndex);
	let taskId = input.taskId;
	if (taskId === undefined) {
		const instance = await namingField(
			{ displayName: 'Instance ID', value: input.instanceId },
			getInstance(this, input.instanceId, itemIndex),
		);
		const mine = (instance.tasks ?? []).filter(
			(task) => task.userId === actionerUserId && task.status === 'RUNNING',
		);
		if (mine.length > 1) {
			throw new NodeOperationError(
				this.getNode(),
				`'Approver' ${actionerUserId} has ${mine.length} running tasks in this instance`,
				{
					itemIndex,
					description: `Enter the one to act on in 'Task ID': ${mine.map((task) => String(task.taskId)).join(', ')}.`,
				},
			);
		}
		const [running] = mine;
		if (!running) {
			const waiting = (instance.tasks ?? [])
				.filter((task) => task.status === 'RUNNING')
				.map((task) => task.userId)
				.filter(Boolean);
			throw new NodeOperationError(
				this.getNode(),
				`'Approver' ${actionerUserId} has no running task in this instance`,
				{
					itemIndex,
					description: waiting.length
						? `It waits for: ${waiting.join(', ')}. Act as one of them.`
						: `The instance is ${String(instance.status ?? 'not running').toLowerCase()}: nobody can act on it now.`,
				},
			);
		}
		taskId = Number(running.taskId);
	}
	// A Task ID the user gave is the likelier culprit of a refusal than the instance.
	await namingField(
		input.taskId !== undefined
			? { displayName: 'Task ID', value: input.taskId }
			: { displayName: 'Instance ID', value: input.instanceId },
		actOnInstance(
			this,
			APPROVAL_PATHS.execute,
			{
				processInstanceId: input.instanceId,
				taskId,
				actionerUserId,
				result: input.result,
				...(input.remark ? { remark: input.remark } : {}),
			},
			itemIndex,
		),
	);
	return {
		json: {
			instanceId: input.instanceId,
			taskId,
			approverUserId: actionerUserId,
			decision: input.result === 'agree' ? 'approved' : 'rejected',
		},
	};
}
