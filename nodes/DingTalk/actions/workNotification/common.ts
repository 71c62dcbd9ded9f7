import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { agentIdOption, resolveAgentId } from '../../../shared/actions/agentId';
import { sendInChunks } from '../../../shared/actions/chunkedSend';
import type { ParameterReader } from '../../../shared/actions/parameters';
import type { RecipientSpec } from '../../../shared/actions/recipients';
import { createValidationError } from '../../../shared/errors';
import { parseIdList } from '../../../shared/validation';
import { dingTalk } from '../../transport';

export const WORK_NOTIFICATION_PATH = '/topapi/message/corpconversation';

/**
 * Recipients of asyncsend_v2. The docs allow 100 user IDs and 20 department IDs per call (the SDK
 * 5000 and 500); splitting by the documented limits works under both readings.
 * https://open.dingtalk.com/document/development/asynchronous-sending-of-enterprise-session-messages
 */
export const WORK_NOTIFICATION_RECIPIENTS: RecipientSpec = {
	everyone: { value: 'allUsers', name: 'All Users', description: 'Everyone in the organisation' },
	specific: {
		name: 'Users and Departments',
		description: 'The user IDs and department IDs below',
	},
	lists: [
		{
			key: 'users',
			field: 'userIds',
			displayName: 'User IDs',
			placeholder: 'e.g. manager01, user002',
			description:
				'DingTalk userids separated by commas, or an array from an expression. More than 100 are sent in several calls.',
			numeric: false,
			maxPerCall: 100,
		},
		{
			key: 'departments',
			field: 'departmentIds',
			displayName: 'Department IDs',
			placeholder: 'e.g. 2, 3',
			description:
				'Department IDs separated by commas (sub-departments included), or an array from an expression. More than 20 are sent in several calls.',
			numeric: true,
			numericHint: 'Department IDs are numbers, for example 1 for the root department.',
			maxPerCall: 20,
			picker: {
				loadOptionsMethod: 'getDepartments',
				displayName: 'Departments',
				description:
					'Departments to send to (sub-departments included). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>. More than 20 are sent in several calls.',
			},
		},
	],
};

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

export async function workNotificationAgentId(read: ParameterReader): Promise<number> {
	return await resolveAgentId(
		read,
		dingTalk,
		'the DingTalk Developer Console → the app → Credentials & Basic Info',
	);
}

/** What the task operations need of an item: its agent ID and task IDs, checked. */
export interface TaskInput {
	agentId: number;
	taskIds: number[];
}

export async function readTaskInput(read: ParameterReader): Promise<TaskInput> {
	const ids = parseIdList(read.node, read.raw('taskIds'), {
		displayName: 'Task IDs',
		itemIndex: read.itemIndex,
		numeric: true,
		numericHint: 'Task IDs are the numbers returned by Send as taskId / taskIds.',
	});
	if (!ids.length) {
		throw createValidationError(read.node, "'Task IDs' is empty", {
			itemIndex: read.itemIndex,
			description: 'Enter the task ID returned by Send, or map the taskIds field of a Send node.',
		});
	}
	return { agentId: await workNotificationAgentId(read), taskIds: ids.map(Number) };
}

/**
 * Calls a work-notification endpoint once per task ID of the item (a large send has several) and
 * returns the answers in order.
 */
export async function callForEachTask(
	ctx: IExecuteFunctions,
	input: TaskInput,
	itemIndex: number,
	endpoint: 'getsendprogress' | 'getsendresult' | 'recall',
): Promise<Array<{ taskId: number; body: unknown; requestId?: string; path: string }>> {
	const path = `${WORK_NOTIFICATION_PATH}/${endpoint}`;
	// One call per task; for a recall that fails after others, the error says which were done.
	const { sent } = await sendInChunks({
		ctx,
		itemIndex,
		calls: input.taskIds,
		idLabel: 'task IDs done',
		idKey: 'doneTaskIds',
		rerun: 'calls DingTalk for those tasks again',
		send: async (taskId) => {
			// recall names the task msg_task_id; the reads name it task_id. Reads are safe to repeat.
			const body =
				endpoint === 'recall'
					? { agent_id: input.agentId, msg_task_id: taskId }
					: { agent_id: input.agentId, task_id: taskId };
			return await dingTalk.request(
				ctx,
				{ family: 'oapi', method: 'POST', path, body, idempotent: endpoint !== 'recall' },
				itemIndex,
			);
		},
		idOf: (_response, taskId) => taskId,
	});
	return sent.map(({ call: taskId, result }) => ({
		taskId,
		body: result.body,
		requestId: result.requestId,
		path,
	}));
}
