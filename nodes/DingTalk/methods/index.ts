import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { forEachConcurrently } from '../../shared/concurrency';
import { listOrExplain, matchesFilter, missingPermission } from '../../shared/contacts/lookups';
import { PickerCache } from '../../shared/contacts/pickerCache';
import { settle } from '../../shared/settle';
import { dingTalkProfile } from '../platform/profile';
import type { DingTalkUser } from '../transport/contacts';
import {
	USER_PAGE_SIZE,
	authorisedDepartments,
	getUser,
	listSubDepartmentIds,
	listUsersPage,
	searchUserIds,
} from '../transport/contacts';
import { appKeyOf, departmentTree, memberIndex } from './departmentTree';
import { approvalListSearch, resourceMapping } from './approvals';

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

/** Apps for which DingTalk refused the member search (internal apps), remembered for a while. */
const searchRefused = new PickerCache<true>(5 * 60_000);

/** One page of the server-side search, names read per userid (the search answers ids only). */
async function searchOnDingTalk(
	ctx: ILoadOptionsFunctions,
	word: string,
	offset: number,
): Promise<{ entries: Array<{ name: string; value: string }>; next?: string }> {
	const found = await searchUserIds(ctx, { word, offset, size: SEARCH_PAGE });
	const ids = (found.list ?? []).map(String);
	const users: DingTalkUser[] = new Array(ids.length);
	await forEachConcurrently(ids.length, SEARCH_PAGE, async (index) => {
		users[index] = await getUser(ctx, ids[index], 'zh_CN');
	});
	return {
		entries: users.map(userEntry),
		next: found.hasMore ? `search:${offset + ids.length}` : undefined,
	};
}

/**
 * User pickers. With a search text DingTalk searches by name on its side where it allows that
 * (third-party apps); internal apps are refused, so the picker falls back to the member list it
 * loads once and keeps for five minutes. Without a search text it browses the members department
 * by department, one page of 100 per scroll.
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
			const key = await appKeyOf(this);
			if (!searchRefused.has(key) && !paginationToken?.startsWith('index:')) {
				const offset = Number(paginationToken?.replace('search:', '') ?? 0) || 0;
				const outcome = await settle(searchOnDingTalk(this, word, offset));
				if (outcome.ok) {
					token = outcome.value.next;
					return outcome.value.entries;
				}
				if (missingPermission(outcome.error, dingTalkProfile) === undefined) throw outcome.error;
				await searchRefused.get(key, async () => true);
			}
			const offset = Number(paginationToken?.replace('index:', '') ?? 0) || 0;
			const matches = (await memberIndex(this)).filter((entry) =>
				matchesFilter(word, entry.search),
			);
			if (matches.length > offset + PAGE) token = `index:${offset + PAGE}`;
			return matches.slice(offset, offset + PAGE).map(({ name, value }) => ({ name, value }));
		}
		const state: BrowseState = paginationToken
			? (JSON.parse(paginationToken) as BrowseState)
			: { queue: await authorisedDepartments(this), cursor: 0 };
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

export const listSearch = { searchDepartments, searchUsers, ...approvalListSearch };
export { resourceMapping };
export const loadOptions = { getDepartments };
