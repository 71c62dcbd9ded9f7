import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { createValidationError } from '../../../shared/errors';
import { weCom } from '../../transport';

/** Per-call recipient limits of message/send (wecom-api.md §B3). */
export const MAX_USERS_PER_CALL = 1000;
export const MAX_DEPARTMENTS_PER_CALL = 100;
export const MAX_TAGS_PER_CALL = 100;

export const agentIdOption: INodeProperties = {
	displayName: 'Agent ID',
	name: 'agentId',
	type: 'string',
	default: '',
	description: "The app's AgentId, if it differs from the one in the credential",
};

/** The agent ID for this item: the operation's option, else the credential's. */
export async function resolveAgentId(ctx: IExecuteFunctions, itemIndex: number): Promise<number> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { agentId?: string };
	const credentials = await weCom.credentials(ctx);
	const raw = String(options.agentId || credentials.agentId || '').trim();
	if (!/^\d+$/.test(raw)) {
		throw createValidationError(
			ctx.getNode(),
			raw ? `'Agent ID' must be a number, got '${raw}'` : "No 'Agent ID': set it in the WeCom credential or in this node's options",
			{ itemIndex, description: 'Find the AgentId in the WeCom admin console → App Management → the app.' },
		);
	}
	return Number(raw);
}

/** WeCom answers recipient lists as "a|b|c"; an empty or missing field means none. */
export function splitBar(value: unknown): string[] {
	return typeof value === 'string' && value !== '' ? value.split('|').filter(Boolean) : [];
}
