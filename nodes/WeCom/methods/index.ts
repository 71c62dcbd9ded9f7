import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { listOrExplain, matchesFilter } from '../../shared/contacts/lookups';
import { PickerCache, credentialKey } from '../../shared/contacts/pickerCache';
import { departmentNameHidden } from '../actions/contactFields';
import { weComProfile } from '../platform/profile';
import { weCom } from '../transport';
import type { WeComDepartment } from '../transport/contacts';
import { listDepartments, listTags, listUsers } from '../transport/contacts';
import { resourceMapping } from './approvals';

const PAGE = 100;
const TYPE_AN_ID = 'choose "By ID" and type the ID';
const TYPE_IDS = 'switch the field to an expression and enter the IDs';

interface Entry {
	name: string;
	value: string | number;
	search: string;
}

/**
 * WeCom answers the whole department tree and every member in one call each, without a search
 * call for self-built apps; the pickers keep the answers for a minute per app and filter them
 * while the user types.
 */
const TTL_MS = 60_000;
const departmentLists = new PickerCache<WeComDepartment[]>(TTL_MS);
const memberLists = new PickerCache<Entry[]>(TTL_MS);
const tagLists = new PickerCache<Entry[]>(TTL_MS);

async function cacheKey(ctx: ILoadOptionsFunctions): Promise<string> {
	const credentials = await weCom.credentials(ctx);
	return credentialKey([credentials.corpId, credentials.corpSecret, credentials.baseUrl]);
}

/** Every department in the app's Visible Range (department/list without an ID). */
async function visibleDepartments(ctx: ILoadOptionsFunctions): Promise<WeComDepartment[]> {
	return await departmentLists.get(
		await cacheKey(ctx),
		async () => await listDepartments(ctx, undefined),
	);
}

/** Departments by their path below the company; IDs where WeCom hides names (2022 rules). */
async function departments(ctx: ILoadOptionsFunctions): Promise<Entry[]> {
	const all = await visibleDepartments(ctx);
	if (all.some((department) => departmentNameHidden(department as IDataObject))) {
		// Names are hidden from apps created after 2022-06-20: list IDs, which still work for sending.
		return all.map((d) => ({
			name: `Department ${d.id} (name hidden by WeCom)`,
			value: d.id,
			search: String(d.id),
		}));
	}
	const byId = new Map(all.map((d) => [d.id, d]));
	const pathOf = (id: number): string => {
		const parts: string[] = [];
		// Up to (not including) the company itself, like the DingTalk pickers; the company's own entry
		// shows its name.
		for (let at = byId.get(id); at && parts.length < 20; at = byId.get(Number(at.parentid))) {
			if (at.id !== id && Number(at.parentid) === 0) break;
			parts.unshift(String(at.name));
		}
		return parts.join(' / ');
	};
	return all.map((d) => ({ name: pathOf(d.id), value: d.id, search: `${pathOf(d.id)} ${d.id}` }));
}

/**
 * Every member in the Visible Range, each once: the simple member list of each top visible
 * department with its sub-departments (the company root is refused to apps that see part of it).
 */
async function members(ctx: ILoadOptionsFunctions): Promise<Entry[]> {
	return await memberLists.get(await cacheKey(ctx), async () => {
		const all = await visibleDepartments(ctx);
		const ids = new Set(all.map((d) => d.id));
		const tops = all.filter((d) => !ids.has(Number(d.parentid))).map((d) => d.id);
		const seen = new Set<string>();
		const entries: Entry[] = [];
		for (const top of tops) {
			const users = await listUsers(ctx, {
				departmentId: top,
				withSubDepartments: true,
				details: false,
			});
			for (const user of users) {
				if (seen.has(user.userid)) continue;
				seen.add(user.userid);
				const name = (user as IDataObject).name;
				const label =
					typeof name === 'string' && name && name !== user.userid
						? `${name} (${user.userid})`
						: user.userid;
				entries.push({ name: label, value: user.userid, search: label });
			}
		}
		return entries;
	});
}

function page(entries: Entry[], filter?: string, token?: string): INodeListSearchResult {
	const offset = Number(token ?? 0) || 0;
	const matches = entries.filter((entry) => matchesFilter(filter, entry.search));
	const results = matches
		.slice(offset, offset + PAGE)
		.map(({ name, value }) => ({ name, value: String(value) }));
	return matches.length > offset + PAGE
		? { results, paginationToken: String(offset + PAGE) }
		: { results };
}

async function searchWith(
	what: string,
	load: () => Promise<Entry[]>,
	filter?: string,
	token?: string,
): Promise<INodeListSearchResult> {
	let result: INodeListSearchResult = { results: [] };
	const results = await listOrExplain(weComProfile, what, TYPE_AN_ID, async () => {
		result = page(await load(), filter, token);
		return result.results;
	});
	return { ...result, results };
}

async function searchDepartments(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchWith(
		'departments',
		async () => await departments(this),
		filter,
		paginationToken,
	);
}

async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchWith('members', async () => await members(this), filter, paginationToken);
}

async function tagEntries(ctx: ILoadOptionsFunctions): Promise<Entry[]> {
	return await tagLists.get(await cacheKey(ctx), async () =>
		(await listTags(ctx)).map((tag) => ({
			name: tag.tagname,
			value: tag.tagid,
			search: `${tag.tagname} ${tag.tagid}`,
		})),
	);
}

async function searchTags(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchWith('tags', async () => await tagEntries(this), filter, paginationToken);
}

const asOptions = (entries: Entry[]): INodePropertyOptions[] =>
	entries.map(({ name, value }) => ({ name, value, description: `ID ${value}` }));

async function getDepartments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listOrExplain(weComProfile, 'departments', TYPE_IDS, async () =>
		asOptions(await departments(this)),
	);
}

async function getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listOrExplain(weComProfile, 'tags', TYPE_IDS, async () =>
		asOptions(await tagEntries(this)),
	);
}

export const listSearch = { searchDepartments, searchUsers, searchTags };
export const loadOptions = { getDepartments, getTags };
export { resourceMapping };
