import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { agentIdOption, resolveAgentId } from '../../../shared/actions/agentId';
import { createValidationError } from '../../../shared/errors';
import { parseIdList } from '../../../shared/validation';
import { dingTalk } from '../../transport';

export const WORK_NOTIFICATION_PATH = '/topapi/message/corpconversation';

/**
 * Per-call recipient limits of asyncsend_v2. The docs say 100 user IDs and 20 department IDs; the
 * SDK allows 5000 and 500 (dingtalk-api.md §A4, unverified). Splitting by the documented limits
 * works under both readings.
 */
export const MAX_USER_IDS_PER_CALL = 100;
export const MAX_DEPARTMENT_IDS_PER_CALL = 20;

export const optionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [agentIdOption],
};

/** Fields of the operations that act on sent tasks (progress, result, recall). */
export const taskFields: INodeProperties[] = [
	{
		displayName: 'Task IDs',
		name: 'taskIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 256271667526',
		description:
			'Task ID(s) returned by Send, separated by commas. After a Send node, an expression with its taskIds field covers every call of a large send.',
	},
	optionsField,
];

export async function workNotificationAgentId(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<number> {
	return await resolveAgentId(
		ctx,
		dingTalk,
		itemIndex,
		'the DingTalk Developer Console → the app → Credentials & Basic Info',
	);
}

function readTaskIds(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const ids = parseIdList(ctx.getNode(), ctx.getNodeParameter('taskIds', itemIndex), {
		displayName: 'Task IDs',
		itemIndex,
		numeric: true,
		numericHint: 'Task IDs are the numbers returned by Send as taskId / taskIds.',
	});
	if (!ids.length) {
		throw createValidationError(ctx.getNode(), "'Task IDs' is empty", {
			itemIndex,
			description: 'Enter the task ID returned by Send, or map the taskIds field of a Send node.',
		});
	}
	return ids;
}

/**
 * Calls a work-notification endpoint once per task ID of the item (a large send has several) and
 * returns the answers in order.
 */
export async function callForEachTask(
	ctx: IExecuteFunctions,
	itemIndex: number,
	endpoint: 'getsendprogress' | 'getsendresult' | 'recall',
): Promise<Array<{ taskId: number; body: unknown; requestId?: string; path: string }>> {
	const agentId = await workNotificationAgentId(ctx, itemIndex);
	const path = `${WORK_NOTIFICATION_PATH}/${endpoint}`;
	const answers = [];
	for (const id of readTaskIds(ctx, itemIndex)) {
		const taskId = Number(id);
		// recall names the task msg_task_id; the reads name it task_id. Reads are safe to repeat.
		const body =
			endpoint === 'recall'
				? { agent_id: agentId, msg_task_id: taskId }
				: { agent_id: agentId, task_id: taskId };
		const response = await dingTalk.request(
			ctx,
			{ family: 'oapi', method: 'POST', path, body, idempotent: endpoint !== 'recall' },
			itemIndex,
		);
		answers.push({ taskId, body: response.body, requestId: response.requestId, path });
	}
	return answers;
}
