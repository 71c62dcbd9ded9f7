import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { listOrExplain, matchesFilter } from '../../shared/contacts/lookups';
import { PickerCache } from '../../shared/contacts/pickerCache';
import { departmentNameHidden } from '../actions/contactFields';
import { weComProfile } from '../platform/profile';
import { weCom } from '../transport';
import { listDepartmentIds, listDepartments, listTags, listUsers } from '../transport/contacts';

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
 * call for self-built apps; the pickers keep the answer for a minute per app and filter it while
 * the user types.
 */
const departmentLists = new PickerCache<Entry[]>(60_000);
const memberLists = new PickerCache<Entry[]>(60_000);

async function cacheKey(ctx: ILoadOptionsFunctions): Promise<string> {
	const credentials = await weCom.credentials(ctx);
	return `${String(credentials.corpId)}|${String(credentials.corpSecret).slice(-6)}|${String(credentials.baseUrl ?? '')}`;
}

/** Departments by their path; apps that may not read names get IDs (department/simplelist). */
async function departments(ctx: ILoadOptionsFunctions): Promise<Entry[]> {
	return await departmentLists.get(await cacheKey(ctx), async () => {
		const named = await listDepartments(ctx, 1);
		if (
			named.length &&
			!named.some((department) => departmentNameHidden(department as IDataObject))
		) {
			const nameOf = new Map(named.map((d) => [d.id, String(d.name)]));
			const parentOf = new Map(named.map((d) => [d.id, Number(d.parentid)]));
			const pathOf = (id: number): string => {
				const parts: string[] = [];
				for (
					let at: number | undefined = id;
					at !== undefined && nameOf.has(at);
					at = parentOf.get(at)
				) {
					parts.unshift(nameOf.get(at) as string);
					if (parts.length > 20) break;
				}
				return parts.join(' / ');
			};
			return named.map((d) => ({
				name: pathOf(d.id),
				value: d.id,
				search: `${pathOf(d.id)} ${d.id}`,
			}));
		}
		// Names are hidden from apps created after 2022-06-20: list IDs, which still work for sending.
		return (await listDepartmentIds(ctx, 1)).map((d) => ({
			name: `Department ${d.id} (name hidden by WeCom)`,
			value: d.id,
			search: String(d.id),
		}));
	});
}

async function members(ctx: ILoadOptionsFunctions): Promise<Entry[]> {
	return await memberLists.get(await cacheKey(ctx), async () =>
		(await listUsers(ctx, { departmentId: 1, withSubDepartments: true, details: false })).map(
			(user) => {
				const name = (user as IDataObject).name;
				const label =
					typeof name === 'string' && name && name !== user.userid
						? `${name} (${user.userid})`
						: user.userid;
				return { name: label, value: user.userid, search: label };
			},
		),
	);
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
	return (await listTags(ctx)).map((tag) => ({
		name: tag.tagname,
		value: tag.tagid,
		search: `${tag.tagname} ${tag.tagid}`,
	}));
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
