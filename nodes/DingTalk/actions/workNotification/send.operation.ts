import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';
import { z } from 'zod';

import { sendInChunks } from '../../../shared/actions/chunkedSend';
import { recipientIdsField } from '../../../shared/actions/recipientFields';
import type { OperationResult } from '../../../shared/actions/types';
import { planRecipientCalls } from '../../../shared/chunk';
import { createValidationError } from '../../../shared/errors';
import { parseIdList, parseResponse } from '../../../shared/validation';
import { dingTalk } from '../../transport';
import {
	MAX_DEPARTMENT_IDS_PER_CALL,
	MAX_USER_IDS_PER_CALL,
	optionsField,
	WORK_NOTIFICATION_PATH,
	workNotificationAgentId,
} from './common';
import { buildWorkNotificationMessage, MESSAGE_BYTE_LIMIT, messageFields } from './message';

export const option = {
	name: 'Send',
	value: 'send',
	action: 'Send a work notification',
	description: 'Send a work notification (工作通知) to users, departments or everyone',
};

export const description: INodeProperties[] = [
	{
		displayName:
			'DingTalk accepts a send even when a recipient is over a daily limit or already got the same content today, and then does not deliver it. Use Get Send Result to confirm delivery.',
		name: 'deliveryNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		options: [
			{ name: 'All Users', value: 'allUsers', description: 'Everyone in the organisation' },
			{
				name: 'Users and Departments',
				value: 'specific',
				description: 'The user IDs and department IDs below',
			},
		],
		default: 'specific',
	},
	recipientIdsField({
		name: 'userIds',
		displayName: 'User IDs',
		placeholder: 'e.g. manager01, user002',
		description:
			'DingTalk userids separated by commas, or an array from an expression. More than 100 are sent in several calls.',
	}),
	recipientIdsField({
		name: 'departmentIds',
		displayName: 'Department IDs',
		placeholder: 'e.g. 2, 3',
		description:
			'Department IDs separated by commas (sub-departments included), or an array from an expression. More than 20 are sent in several calls.',
	}),
	...messageFields,
	optionsField,
];

const sendResponseSchema = z.object({ task_id: z.union([z.number(), z.string()]) }).passthrough();

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const node = this.getNode();
	const msg = buildWorkNotificationMessage(this, itemIndex);
	const agentId = await workNotificationAgentId(this, itemIndex);
	const sendTo = this.getNodeParameter('sendTo', itemIndex) as string;

	let plan: Array<{ users: string[]; departments: string[] }>;
	if (sendTo === 'allUsers') {
		plan = [{ users: [], departments: [] }];
	} else {
		const users = parseIdList(node, this.getNodeParameter('userIds', itemIndex, ''), {
			displayName: 'User IDs',
			itemIndex,
		});
		const departments = parseIdList(node, this.getNodeParameter('departmentIds', itemIndex, ''), {
			displayName: 'Department IDs',
			itemIndex,
			numeric: true,
			numericHint: 'Department IDs are numbers, for example 1 for the root department.',
		});
		if (!users.length && !departments.length) {
			throw createValidationError(node, "Enter at least one of 'User IDs' and 'Department IDs'", {
				itemIndex,
				description: "Or choose 'All Users' in 'Send To'.",
			});
		}
		plan = planRecipientCalls({
			users: { ids: users, max: MAX_USER_IDS_PER_CALL },
			departments: { ids: departments, max: MAX_DEPARTMENT_IDS_PER_CALL },
		});
	}

	const path = `${WORK_NOTIFICATION_PATH}/asyncsend_v2`;
	const { sent } = await sendInChunks({
		node,
		itemIndex,
		calls: plan,
		idLabel: 'task IDs',
		idKey: 'taskIds',
		send: async (call) => {
			const body: IDataObject = { agent_id: agentId, msg };
			if (sendTo === 'allUsers') body.to_all_user = true;
			if (call.users.length) body.userid_list = call.users.join(',');
			if (call.departments.length) body.dept_id_list = call.departments.join(',');
			const response = await dingTalk.request(
				this,
				{ family: 'oapi', method: 'POST', path, body },
				itemIndex,
			);
			const { task_id } = parseResponse(node, response.body, sendResponseSchema, {
				platform: 'DingTalk',
				method: 'POST',
				path,
				itemIndex,
				requestId: response.requestId,
			});
			return { taskId: Number(task_id), requestId: response.requestId };
		},
		idOf: (result) => result.taskId,
	});

	const hints: NodeExecutionHint[] = [];
	const bytes = Buffer.byteLength(JSON.stringify(msg), 'utf8');
	if (bytes > MESSAGE_BYTE_LIMIT) {
		hints.push({
			message: `The message is ${bytes} bytes; DingTalk documents a ${MESSAGE_BYTE_LIMIT}-byte limit for work notifications and may cut or drop it.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return {
		json: {
			taskId: sent[0].result.taskId,
			taskIds: sent.map((s) => s.result.taskId),
			agentId,
			calls: sent.length,
			recipients: {
				allUsers: sendTo === 'allUsers',
				userIds: sent.reduce((n, s) => n + s.call.users.length, 0),
				departmentIds: sent.reduce((n, s) => n + s.call.departments.length, 0),
			},
			requestIds: sent.map((s) => s.result.requestId ?? null),
			msgtype: msg.msgtype,
		},
		hints,
	};
}
