import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationResult } from '../../../shared/actions/types';
import { dingTalk } from '../../transport';
import { agentIdOption, readTaskIds, resolveAgentId, taskIdsField, WORK_NOTIFICATION_PATH } from './common';

export const option = {
	name: 'Recall',
	value: 'recall',
	action: 'Recall a work notification',
	description: 'Withdraw a sent work notification (within 24 hours)',
};

export const description: INodeProperties[] = [
	taskIdsField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [agentIdOption],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult> {
	const agentId = await resolveAgentId(this, itemIndex);
	const taskIds = readTaskIds(this, itemIndex);
	const requestIds = [];
	for (const taskId of taskIds) {
		const response = await dingTalk.request(
			this,
			{
				family: 'oapi',
				method: 'POST',
				path: `${WORK_NOTIFICATION_PATH}/recall`,
				body: { agent_id: agentId, msg_task_id: Number(taskId) },
			},
			itemIndex,
		);
		requestIds.push(response.requestId ?? null);
	}
	return {
		json: { taskId: Number(taskIds[0]), taskIds: taskIds.map(Number), recalled: true, requestIds },
	};
}
