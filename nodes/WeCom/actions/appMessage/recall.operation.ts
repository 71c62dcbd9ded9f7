import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { sendInChunks } from '../../../shared/actions/chunkedSend';
import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { createValidationError } from '../../../shared/errors';
import { parseIdList } from '../../../shared/validation';
import { weCom } from '../../transport';

export const option = {
	name: 'Recall',
	value: 'recall',
	action: 'Recall an app message',
	description: 'Withdraw an app message sent in the last 24 hours',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Message IDs',
		name: 'msgIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. vcT8gGc-7dFb4bxT35ONjBDz901sLlXPZw1DAMC_Gc26qRpK-AK5sTJkkb0128t',
		description:
			'Message ID(s) returned by Send, separated by commas. After a Send node, an expression with its msgids field covers every call of a large send.',
	},
];

export const writes = true;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	const read = new ParameterReader(this, itemIndex);
	const msgids = parseIdList(read.node, read.raw('msgIds'), {
		displayName: 'Message IDs',
		itemIndex,
	});
	if (!msgids.length) {
		throw createValidationError(read.node, "'Message IDs' is empty", {
			itemIndex,
			description: 'Enter the msgid returned by Send, or map the msgids field of a Send node.',
		});
	}
	return msgids;
}

export async function execute(
	this: IExecuteFunctions,
	msgids: string[],
	itemIndex: number,
): Promise<OperationResult> {
	// One call per message; when a later one fails, the error says which were already recalled.
	await sendInChunks({
		ctx: this,
		itemIndex,
		calls: msgids,
		idLabel: 'message IDs recalled',
		idKey: 'recalledMsgids',
		rerun: 'tries to recall those again, which WeCom refuses',
		send: async (msgid) =>
			await weCom.request(
				this,
				{ method: 'POST', path: '/cgi-bin/message/recall', body: { msgid } },
				itemIndex,
			),
		idOf: (_result, msgid) => msgid,
	});
	return { json: { msgid: msgids[0], msgids, recalled: true } };
}
