import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { forEachConcurrently } from '../../shared/concurrency';
import { PickerCache, credentialKey } from '../../shared/contacts/pickerCache';
import { walkBreadthFirst } from '../../shared/contacts/walk';
import { dingTalkProfile } from '../platform/profile';
import { dingTalk } from '../transport';
import type { DingTalkUser } from '../transport/contacts';
import {
	USER_PAGE_SIZE,
	authorisedDepartments,
	getDepartment,
	listSubDepartments,
	listUsersPage,
} from '../transport/contacts';

export interface DepartmentEntry {
	id: number;
	name: string;
	/** "销售部 / 华东大区": names from the top of the app's range down to the department. */
	path: string;
}

export interface MemberEntry {
	name: string;
	value: string;
	search: string;
}

/**
 * DingTalk lists departments one level per call and has no call for the whole tree, nor (for
 * internal apps) a member search, so the pickers load the tree, and the members when someone
 * searches them, once (under the credential's pacing) and keep them for five minutes per app:
 * searching then filters in memory instead of reloading on every keystroke.
 */
const TTL_MS = 5 * 60_000;
const trees = new PickerCache<DepartmentEntry[]>(TTL_MS);
const members = new PickerCache<MemberEntry[]>(TTL_MS);

export async function appKeyOf(ctx: ILoadOptionsFunctions): Promise<string> {
	const credentials = await dingTalk.credentials(ctx);
	return credentialKey([
		credentials.appKey,
		credentials.appSecret,
		credentials.oapiBaseUrl,
		credentials.apiBaseUrl,
	]);
}

/** Every department in the app's contacts range, breadth-first from the top of the range. */
export async function departmentTree(ctx: ILoadOptionsFunctions): Promise<DepartmentEntry[]> {
	return await trees.get(await appKeyOf(ctx), async () => {
		const entries: DepartmentEntry[] = [];
		for (const rootId of await authorisedDepartments(ctx)) {
			const root = await getDepartment(ctx, rootId, 'zh_CN');
			const rootName = typeof root.name === 'string' ? root.name : String(rootId);
			const pathOf = new Map<number, string>([[rootId, rootName]]);
			entries.push({ id: rootId, name: rootName, path: rootName });
			const found = await walkBreadthFirst({
				root: rootId,
				childrenOf: async (id) => await listSubDepartments(ctx, id, 'zh_CN'),
				idOf: (department) => department.dept_id,
				concurrency: dingTalkProfile.concurrency.reads,
			});
			for (const department of found) {
				const parentPath = pathOf.get(Number(department.parent_id));
				const name =
					typeof department.name === 'string' ? department.name : String(department.dept_id);
				// Paths start below the organisation itself ("销售部 / 华东大区"), not at its name.
				const path =
					parentPath && Number(department.parent_id) !== 1 ? `${parentPath} / ${name}` : name;
				pathOf.set(department.dept_id, path);
				entries.push({ id: department.dept_id, name, path });
			}
		}
		return entries;
	});
}

/** Every member of the app's range with their name, each once (for searching them by name). */
export async function memberIndex(ctx: ILoadOptionsFunctions): Promise<MemberEntry[]> {
	return await members.get(await appKeyOf(ctx), async () => {
		const departments = await departmentTree(ctx);
		const byDepartment: DingTalkUser[][] = new Array(departments.length);
		await forEachConcurrently(
			departments.length,
			dingTalkProfile.concurrency.reads,
			async (index) => {
				const users: DingTalkUser[] = [];
				let cursor: number | undefined = 0;
				while (cursor !== undefined) {
					const page = await listUsersPage(ctx, {
						deptId: departments[index].id,
						cursor,
						size: USER_PAGE_SIZE,
						language: 'zh_CN',
					});
					users.push(...page.users);
					cursor = page.next;
				}
				byDepartment[index] = users;
			},
		);
		const seen = new Set<string>();
		const entries: MemberEntry[] = [];
		for (const user of byDepartment.flat()) {
			if (seen.has(user.userid)) continue;
			seen.add(user.userid);
			const name = typeof user.name === 'string' && user.name ? user.name : user.userid;
			entries.push({
				name: `${name} (${user.userid})`,
				value: user.userid,
				search: `${name} ${user.userid}`,
			});
		}
		return entries;
	});
}
