import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';
import { z } from 'zod';

import { sendInChunks } from '../../../shared/actions/chunkedSend';
import { messageTypeProperties } from '../../../shared/actions/messageTypes';
import { ParameterReader } from '../../../shared/actions/parameters';
import type { RecipientPlan } from '../../../shared/actions/recipients';
import { readRecipients, recipientProperties } from '../../../shared/actions/recipients';
import type { OperationResult } from '../../../shared/actions/types';
import { parseResponse } from '../../../shared/validation';
import { dingTalk } from '../../transport';
import {
	optionsField,
	WORK_NOTIFICATION_PATH,
	WORK_NOTIFICATION_RECIPIENTS,
	workNotificationAgentId,
} from './common';
import type { WorkNotificationMessage } from './message';
import {
	buildWorkNotificationMessage,
	MESSAGE_BYTE_LIMIT,
	WORK_NOTIFICATION_MESSAGE_TYPES,
} from './message';

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
	...recipientProperties(WORK_NOTIFICATION_RECIPIENTS),
	...messageTypeProperties(WORK_NOTIFICATION_MESSAGE_TYPES, 'text'),
	optionsField,
];

export const writes = true;

interface SendInput {
	msg: WorkNotificationMessage;
	agentId: number;
	recipients: RecipientPlan;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<SendInput> {
	const read = new ParameterReader(this, itemIndex);
	return {
		msg: buildWorkNotificationMessage(read),
		agentId: await workNotificationAgentId(read),
		recipients: readRecipients(read, WORK_NOTIFICATION_RECIPIENTS),
	};
}

const sendResponseSchema = z.object({ task_id: z.union([z.number(), z.string()]) }).passthrough();

export async function execute(
	this: IExecuteFunctions,
	{ msg, agentId, recipients }: SendInput,
	itemIndex: number,
): Promise<OperationResult> {
	const node = this.getNode();
	const path = `${WORK_NOTIFICATION_PATH}/asyncsend_v2`;
	const { sent } = await sendInChunks({
		ctx: this,
		itemIndex,
		calls: recipients.calls,
		idLabel: 'task IDs',
		idKey: 'taskIds',
		send: async (call) => {
			const body: IDataObject = { agent_id: agentId, msg };
			if (recipients.everyone) body.to_all_user = true;
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
				allUsers: recipients.everyone,
				userIds: sent.reduce((n, s) => n + s.call.users.length, 0),
				departmentIds: sent.reduce((n, s) => n + s.call.departments.length, 0),
			},
			requestIds: sent.map((s) => s.result.requestId ?? null),
			msgtype: msg.msgtype,
		},
		hints,
	};
}
