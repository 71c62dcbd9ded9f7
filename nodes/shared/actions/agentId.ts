import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { createValidationError } from '../errors';
import type { PlatformTransport } from '../transport/platformTransport';

/** The per-operation override of the credential's AgentId, offered in each operation's Options. */
export const agentIdOption: INodeProperties = {
	displayName: 'Agent ID',
	name: 'agentId',
	type: 'string',
	default: '',
	description: "The app's AgentId, if it differs from the one in the credential",
};

/**
 * Reads the agent ID for an item: the operation's option, else the credential's. Both platforms
 * address app messages by a numeric AgentId; `whereToFind` tells users where their console shows it.
 */
export async function resolveAgentId(
	ctx: IExecuteFunctions,
	transport: PlatformTransport,
	itemIndex: number,
	whereToFind: string,
): Promise<number> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { agentId?: string };
	const credentials = await transport.credentials(ctx);
	const raw = String(options.agentId || credentials.agentId || '').trim();
	if (!/^\d+$/.test(raw)) {
		throw createValidationError(
			ctx.getNode(),
			raw
				? `'Agent ID' must be a number, got '${raw}'`
				: `No 'Agent ID': set it in the ${transport.profile.name} credential or in this node's options`,
			{ itemIndex, description: `Find the AgentId in ${whereToFind}.` },
		);
	}
	return Number(raw);
}
