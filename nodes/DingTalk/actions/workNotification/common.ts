import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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

export const agentIdOption: INodeProperties = {
	displayName: 'Agent ID',
	name: 'agentId',
	type: 'string',
	default: '',
	description: "The app's AgentId, if it differs from the one in the credential",
};

export const taskIdsField: INodeProperties = {
	displayName: 'Task IDs',
	name: 'taskIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 256271667526',
	description:
		'Task ID(s) returned by Send, separated by commas. After a Send node, an expression with its taskIds field covers every call of a large send.',
};

/** The agent ID for this item: the operation's option, else the credential's. */
export async function resolveAgentId(ctx: IExecuteFunctions, itemIndex: number): Promise<number> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { agentId?: string };
	const credentials = await dingTalk.credentials(ctx);
	const raw = String(options.agentId || credentials.agentId || '').trim();
	if (!/^\d+$/.test(raw)) {
		throw createValidationError(
			ctx.getNode(),
			raw ? `'Agent ID' must be a number, got '${raw}'` : "No 'Agent ID': set it in the DingTalk credential or in this node's options",
			{
				itemIndex,
				description: 'Find the AgentId in the DingTalk Developer Console → the app → Credentials & Basic Info.',
			},
		);
	}
	return Number(raw);
}

export function readTaskIds(ctx: IExecuteFunctions, itemIndex: number): string[] {
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
