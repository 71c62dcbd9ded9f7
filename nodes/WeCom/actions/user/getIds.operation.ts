import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import { readLimit, returnAllProperties } from '../../../shared/actions/returnAll';
import type { OperationResult } from '../../../shared/actions/types';
import { paginate } from '../../../shared/pagination';
import { USER_ID_PAGE_SIZE, listUserIdsPage } from '../../transport/contacts';

export const option = {
	name: 'Get IDs',
	value: 'getIds',
	action: 'Get the user IDs of the company',
	description:
		'Every member’s UserID with their departments (user/list_id): works where details are not allowed',
};

export const description: INodeProperties[] = [
	{
		displayName:
			"WeCom documents this list for the contacts-sync Secret (通讯录同步). If WeCom refuses the app's Secret (48002), use a credential with that Secret. With a Limit, the departments of the last member may be incomplete.",
		name: 'getIdsNotice',
		type: 'notice',
		default: '',
	},
	...returnAllProperties(),
];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<number> {
	return readLimit(new ParameterReader(this, itemIndex));
}

interface Member {
	userid: string;
	open_userid?: string;
	departmentIds: number[];
}

/**
 * user/list_id answers one row per member and department, 10,000 rows per call at most. Rows are
 * merged into one item per member; the Limit counts members.
 */
export async function execute(
	this: IExecuteFunctions,
	limit: number,
	itemIndex: number,
): Promise<OperationResult> {
	const members = new Map<string, Member>();
	await paginate<never, string>({
		returnAll: true,
		limit: 0,
		fetchPage: async (cursor) => {
			if (members.size >= limit) return { items: [] };
			const { rows, next } = await listUserIdsPage(
				this,
				{ cursor, limit: USER_ID_PAGE_SIZE },
				itemIndex,
			);
			for (const row of rows) {
				let member = members.get(row.userid);
				if (!member) {
					if (members.size >= limit) continue;
					member = {
						userid: row.userid,
						...(typeof row.open_userid === 'string' ? { open_userid: row.open_userid } : {}),
						departmentIds: [],
					};
					members.set(row.userid, member);
				}
				if (typeof row.department === 'number') member.departmentIds.push(row.department);
			}
			return { items: [], next: members.size >= limit ? undefined : next };
		},
	});
	return { json: [...members.values()] as unknown as IDataObject[] };
}
