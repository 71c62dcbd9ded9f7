import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationResult } from '../../../shared/actions/types';
import { ParameterReader } from '../../../shared/actions/parameters';
import type { TaskInput } from './common';
import { callForEachTask, readTaskInput, taskFields } from './common';

export const option = {
	name: 'Recall',
	value: 'recall',
	action: 'Recall a work notification',
	description: 'Withdraw a sent work notification (within 24 hours)',
};

export const description: INodeProperties[] = taskFields;

export const writes = true;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<TaskInput> {
	return await readTaskInput(new ParameterReader(this, itemIndex));
}

export async function execute(
	this: IExecuteFunctions,
	input: TaskInput,
	itemIndex: number,
): Promise<OperationResult> {
	const answers = await callForEachTask(this, input, itemIndex, 'recall');
	return {
		json: {
			taskId: answers[0].taskId,
			taskIds: answers.map((a) => a.taskId),
			recalled: true,
			requestIds: answers.map((a) => a.requestId ?? null),
		},
	};
}
