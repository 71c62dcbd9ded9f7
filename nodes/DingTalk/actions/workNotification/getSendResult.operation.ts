import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';
import { z } from 'zod';

import type { OperationResult } from '../../../shared/actions/types';
import { parseResponse } from '../../../shared/validation';
import { ParameterReader } from '../../../shared/actions/parameters';
import type { TaskInput } from './common';
import { callForEachTask, readTaskInput, taskFields } from './common';

export const option = {
	name: 'Get Send Result',
	value: 'getSendResult',
	action: 'Get the send result of a work notification',
	description: 'Who read, did not read, or did not get a send (tasks from the last 24 hours)',
};

export const description: INodeProperties[] = taskFields;

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<TaskInput> {
	return await readTaskInput(new ParameterReader(this, itemIndex));
}

const idList = z.array(z.union([z.string(), z.number()])).nullish();

const resultSchema = z
	.object({
		send_result: z
			.object({
				invalid_user_id_list: idList,
				forbidden_user_id_list: idList,
				failed_user_id_list: idList,
				read_user_id_list: idList,
				unread_user_id_list: idList,
				invalid_dept_id_list: idList,
				forbidden_list: z
					.array(
						z
							.object({
								code: z.union([z.string(), z.number()]),
								count: z.coerce.number().optional(),
								userid: z.string(),
							})
							.passthrough(),
					)
					.nullish(),
			})
			.passthrough(),
	})
	.passthrough();

/**
 * Why DingTalk held a message back (flow-control codes of getsendresult).
 * https://open.dingtalk.com/document/development/gets-the-result-of-sending-messages-asynchronously-to-the-enterprise
 */
const FLOW_CONTROL_REASONS: Record<string, string> = {
	'143103': 'too many messages per minute',
	'143104': 'too many messages per minute',
	'143105': 'daily limit per user reached',
	'143106': 'same content already sent to this user today',
	'143203': 'too many messages per minute (third-party app)',
	'143204': 'too many messages per minute (third-party app)',
	'143205': 'daily limit per user reached (third-party app)',
	'143206': 'same content already sent to this user today (third-party app)',
	'1430000': 'no recipients',
	'1430002': 'content not allowed',
};

/** Union of several tasks' lists, keeping the first-seen order. */
function merge(lists: Array<Array<string | number> | null | undefined>): string[] {
	return [...new Set(lists.flatMap((list) => (list ?? []).map(String)))];
}

export async function execute(
	this: IExecuteFunctions,
	input: TaskInput,
	itemIndex: number,
): Promise<OperationResult> {
	const answers = await callForEachTask(this, input, itemIndex, 'getsendresult');
	const taskIds = answers.map((a) => a.taskId);
	const results = answers.map(
		({ body, path, requestId }) =>
			parseResponse(this.getNode(), body, resultSchema, {
				platform: 'DingTalk',
				method: 'POST',
				path,
				itemIndex,
				requestId,
			}).send_result,
	);

	const forbidden = results.flatMap((r) =>
		(r.forbidden_list ?? []).map((entry) => ({
			userId: entry.userid,
			code: Number(entry.code),
			count: entry.count ?? null,
			reason: FLOW_CONTROL_REASONS[String(entry.code)] ?? 'held back by DingTalk flow control',
		})),
	);
	const json: IDataObject = {
		taskId: taskIds[0],
		taskIds,
		readUserIds: merge(results.map((r) => r.read_user_id_list)),
		unreadUserIds: merge(results.map((r) => r.unread_user_id_list)),
		failedUserIds: merge(results.map((r) => r.failed_user_id_list)),
		forbiddenUserIds: merge(results.map((r) => r.forbidden_user_id_list)),
		invalidUserIds: merge(results.map((r) => r.invalid_user_id_list)),
		invalidDepartmentIds: merge(results.map((r) => r.invalid_dept_id_list)).map(Number),
		forbidden,
	};
	const count = (key: string) => (json[key] as unknown[]).length;
	json.counts = {
		read: count('readUserIds'),
		unread: count('unreadUserIds'),
		failed: count('failedUserIds'),
		forbidden: count('forbiddenUserIds'),
		invalidUsers: count('invalidUserIds'),
		invalidDepartments: count('invalidDepartmentIds'),
	};

	const hints: NodeExecutionHint[] = [];
	const notReached = count('failedUserIds') + count('forbiddenUserIds') + count('invalidUserIds');
	if (notReached) {
		hints.push({
			message: `${notReached} recipient(s) did not get the message (failed, held back by flow control, or invalid). See failedUserIds, forbidden and invalidUserIds.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return { json, hints };
}
