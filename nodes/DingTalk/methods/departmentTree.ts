import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { PickerCache } from '../../shared/contacts/pickerCache';
import { walkBreadthFirst } from '../../shared/contacts/walk';
import { dingTalkProfile } from '../platform/profile';
import { dingTalk } from '../transport';
import { getDepartment, listSubDepartments } from '../transport/contacts';

export interface DepartmentEntry {
	id: number;
	name: string;
	/** "销售部 / 华东大区": names from below the root down to the department. */
	path: string;
}

/**
 * DingTalk lists departments one level per call and has no call for the whole tree, so the
 * pickers load it once (breadth-first, under the credential's pacing) and keep it for five
 * minutes per app: searching then filters in memory instead of reloading on every keystroke.
 */
const trees = new PickerCache<DepartmentEntry[]>(5 * 60_000);

export async function departmentTree(ctx: ILoadOptionsFunctions): Promise<DepartmentEntry[]> {
	const credentials = await dingTalk.credentials(ctx);
	const key = `${String(credentials.appKey)}|${String(credentials.oapiBaseUrl ?? '')}`;
	return await trees.get(key, async () => {
		const root = await getDepartment(ctx, 1, 'zh_CN');
		const pathOf = new Map<number, string>([[1, '']]);
		const found = await walkBreadthFirst({
			root: 1,
			childrenOf: async (id) => await listSubDepartments(ctx, id, 'zh_CN'),
			idOf: (department) => department.dept_id,
			concurrency: dingTalkProfile.concurrency.reads,
		});
		const entries: DepartmentEntry[] = [
			{ id: 1, name: root.name ?? 'Root', path: root.name ?? 'Root' },
		];
		for (const department of found) {
			const parentPath = pathOf.get(Number(department.parent_id)) ?? '';
			const name = department.name ?? String(department.dept_id);
			const path = parentPath ? `${parentPath} / ${name}` : name;
			pathOf.set(department.dept_id, path);
			entries.push({ id: department.dept_id, name, path });
		}
		return entries;
	});
}
