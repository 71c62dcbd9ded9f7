import type { IExecuteFunctions } from 'n8n-workflow';

import { resolveAgentId } from '../../../shared/actions/agentId';
import { weCom } from '../../transport';

/** Per-call recipient limits of message/send (wecom-api.md §B3). */
export const MAX_USERS_PER_CALL = 1000;
export const MAX_DEPARTMENTS_PER_CALL = 100;
export const MAX_TAGS_PER_CALL = 100;

export async function appMessageAgentId(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<number> {
	return await resolveAgentId(
		ctx,
		weCom,
		itemIndex,
		'the WeCom admin console → App Management → the app',
	);
}

/** WeCom answers recipient lists as "a|b|c"; an empty or missing field means none. */
export function splitBar(value: unknown): string[] {
	return typeof value === 'string' && value !== '' ? value.split('|').filter(Boolean) : [];
}
