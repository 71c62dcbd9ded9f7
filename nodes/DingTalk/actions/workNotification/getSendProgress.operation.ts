import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { OperationResult } from '../../../shared/actions/types';
import { parseResponse } from '../../../shared/validation';
import { ParameterReader } from '../../../shared/actions/parameters';
import type { TaskInput } from './common';
import { callForEachTask, readTaskInput, taskFields } from './common';

export const option = {
	name: 'Get Send Progress',
	value: 'getSendProgress',
	action: 'Get the send progress of a work notification',
	description: 'How far DingTalk got delivering a send (tasks from the last 24 hours)',
};

export const description: INodeProperties[] = taskFields;

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<TaskInput> {
	return await readTaskInput(new ParameterReader(this, itemIndex));
}

const progressSchema = z
	.object({
		progress: z
			.object({ progress_in_percent: z.coerce.number(), status: z.coerce.number() })
			.passthrough(),
	})
	.passthrough();

const STATUS = ['notStarted', 'processing', 'done'] as const;

export async function execute(
	this: IExecuteFunctions,
	input: TaskInput,
	itemIndex: number,
): Promise<OperationResult> {
	const tasks = (await callForEachTask(this, input, itemIndex, 'getsendprogress')).map(
		({ taskId, body, requestId, path }) => {
			const { progress } = parseResponse(this.getNode(), body, progressSchema, {
				platform: 'DingTalk',
				method: 'POST',
				path,
				itemIndex,
				requestId,
			});
			return {
				taskId,
				progressInPercent: progress.progress_in_percent,
				status: STATUS[progress.status] ?? String(progress.status),
				statusCode: progress.status,
				requestId: requestId ?? null,
			};
		},
	);
	const least = Math.min(...tasks.map((t) => t.statusCode));
	return {
		json: {
			taskId: tasks[0].taskId,
			taskIds: tasks.map((t) => t.taskId),
			done: tasks.every((t) => t.statusCode === 2),
			status: STATUS[least] ?? String(least),
			progressInPercent: Math.floor(
				tasks.reduce((sum, t) => sum + t.progressInPercent, 0) / tasks.length,
			),
			tasks,
		},
	};
}
