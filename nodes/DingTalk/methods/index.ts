import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { forEachConcurrently } from '../../shared/concurrency';
import { listOrExplain, matchesFilter } from '../../shared/contacts/lookups';
import { dingTalkProfile } from '../platform/profile';
import type { DingTalkUser } from '../transport/contacts';
import {
	USER_PAGE_SIZE,
	getUser,
	listSubDepartmentIds,
	listUsersPage,
	searchUserIds,
} from '../transport/contacts';
import { departmentTree } from './departmentTree';

const PAGE = 100;
const SEARCH_PAGE = 10;
const TYPE_AN_ID = 'choose "By ID" and type the ID';

/** Where the browse of all members stands: departments still to visit, and the cursor in one. */
interface BrowseState {
	queue: number[];
	cursor: number;
}

const userEntry = (user: DingTalkUser) => ({
	name: `${String(user.name ?? user.userid)} (${user.userid})`,
	value: user.userid,
});

/** Department pickers: the cached tree, filtered by name, path or ID, 100 entries per page. */
async function searchDepartments(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	let more = false;
	const results = await listOrExplain(dingTalkProfile, 'departments', TYPE_AN_ID, async () => {
		const matches = (await departmentTree(this)).filter((entry) =>
			matchesFilter(filter, entry.path, entry.id),
		);
		more = matches.length > offset + PAGE;
		return matches
			.slice(offset, offset + PAGE)
			.map((entry) => ({ name: `${entry.path} (${entry.id})`, value: String(entry.id) }));
	});
	return more ? { results, paginationToken: String(offset + PAGE) } : { results };
}

/**
 * User pickers. With a search text DingTalk searches by name on its side (ten names per page: the
 * search answers userids, each name costs a call); without one the picker browses the members
 * department by department, one page of 100 per scroll.
 */
async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	let token: string | undefined;
	const results = await listOrExplain(dingTalkProfile, 'users', TYPE_AN_ID, async () => {
		const word = (filter ?? '').trim();
		if (word) {
			const offset = Number(paginationToken ?? 0) || 0;
			const found = await searchUserIds(this, { word, offset, size: SEARCH_PAGE });
			const ids = found.list ?? [];
			const users: DingTalkUser[] = new Array(ids.length);
			await forEachConcurrently(ids.length, SEARCH_PAGE, async (index) => {
				users[index] = await getUser(this, String(ids[index]), 'zh_CN');
			});
			if (found.hasMore) token = String(offset + ids.length);
			return users.map(userEntry);
		}
		const state: BrowseState = paginationToken
			? (JSON.parse(paginationToken) as BrowseState)
			: { queue: [1], cursor: 0 };
		const deptId = state.queue[0];
		const page = await listUsersPage(this, {
			deptId,
			cursor: state.cursor,
			size: USER_PAGE_SIZE,
			language: 'zh_CN',
		});
		const queue =
			page.next === undefined
				? [...state.queue.slice(1), ...(await listSubDepartmentIds(this, deptId))]
				: state.queue;
		if (queue.length) token = JSON.stringify({ queue, cursor: page.next ?? 0 });
		return page.users.map(userEntry);
	});
	return token ? { results, paginationToken: token } : { results };
}

/** The recipient multi-selects: every department by its path, from the cached tree. */
async function getDepartments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listOrExplain(
		dingTalkProfile,
		'departments',
		'switch the field to an expression and enter the IDs',
		async () =>
			(await departmentTree(this)).map((entry) => ({
				name: entry.path,
				value: entry.id,
				description: `ID ${entry.id}`,
			})),
	);
}

export const listSearch = { searchDepartments, searchUsers };
export const loadOptions = { getDepartments };
