import type { INodeProperties } from 'n8n-workflow';

import { createValidationError } from '../errors';
import type { PlatformTransport } from '../transport/platformTransport';
import { textValue } from '../validation';
import type { ParameterReader } from './parameters';

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
	read: ParameterReader,
	transport: PlatformTransport,
	whereToFind: string,
): Promise<number> {
	const override = read.optionalText('options.agentId', 'Agent ID').trim();
	const credentials = await transport.credentials(read.ctx);
	const raw =
		override ||
		textValue(read.node, credentials.agentId, {
			displayName: 'Agent ID',
			itemIndex: read.itemIndex,
		}).trim();
	if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
		throw createValidationError(
			read.node,
			raw
				? `'Agent ID' must be a number, got '${raw}'`
				: `No 'Agent ID': set it in the ${transport.profile.name} credential or in this node's options`,
			{ itemIndex: read.itemIndex, description: `Find the AgentId in ${whereToFind}.` },
		);
	}
	return Number(raw);
}
