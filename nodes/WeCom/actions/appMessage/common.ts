import type { ParameterReader } from '../../../shared/actions/parameters';
import { resolveAgentId } from '../../../shared/actions/agentId';
import type { RecipientSpec } from '../../../shared/actions/recipients';
import { weCom } from '../../transport';

/**
 * Recipients of message/send: at most 1000 users, 100 departments and 100 tags per call.
 * https://developer.work.weixin.qq.com/document/path/90236
 */
export const APP_MESSAGE_RECIPIENTS: RecipientSpec = {
	everyone: {
		value: 'all',
		name: 'All Members',
		description: "Everyone in the app's visible range (@all)",
	},
	specific: { name: 'Members, Departments and Tags', description: 'The IDs below' },
	lists: [
		{
			key: 'users',
			field: 'userIds',
			displayName: 'User IDs',
			placeholder: 'e.g. ZhangSan, LiSi',
			description:
				'Member UserIDs separated by commas or |, or an array from an expression. More than 1000 are sent in several calls.',
			numeric: false,
			maxPerCall: 1000,
			// WeCom reads "@all" in touser as everyone in the app's visible range.
			refuse: { pattern: /^@/, why: 'which WeCom reads as everyone in the visible range' },
		},
		{
			key: 'departments',
			field: 'departmentIds',
			displayName: 'Department IDs',
			placeholder: 'e.g. 2, 3',
			description:
				'Department IDs separated by commas, or an array from an expression. More than 100 are sent in several calls.',
			numeric: true,
			maxPerCall: 100,
			picker: {
				loadOptionsMethod: 'getDepartments',
				displayName: 'Departments',
				description:
					'Departments to send to. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>. More than 100 are sent in several calls.',
			},
		},
		{
			key: 'tags',
			field: 'tagIds',
			displayName: 'Tag IDs',
			placeholder: 'e.g. 1',
			description:
				'Tag IDs separated by commas, or an array from an expression. More than 100 are sent in several calls.',
			numeric: true,
			maxPerCall: 100,
			picker: {
				loadOptionsMethod: 'getTags',
				displayName: 'Tags',
				description:
					'Tags whose members to send to. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>. More than 100 are sent in several calls.',
			},
		},
	],
};

export async function appMessageAgentId(read: ParameterReader): Promise<number> {
	return await resolveAgentId(read, weCom, 'the WeCom admin console → App Management → the app');
}

/** WeCom answers recipient lists as "a|b|c"; an empty or missing field means none. */
export function splitBar(value: unknown): string[] {
	return typeof value === 'string' && value !== '' ? value.split('|').filter(Boolean) : [];
}
