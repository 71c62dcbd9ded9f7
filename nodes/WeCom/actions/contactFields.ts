import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ParameterReader } from '../../shared/actions/parameters';
import { readLocator, resourceLocatorProperty } from '../../shared/actions/resourceLocator';
import type { LookupField } from '../../shared/contacts/lookups';
import { namingField } from '../../shared/contacts/lookups';
import { checkEmail } from '../../shared/contacts/email';
import { checkMobile } from '../../shared/contacts/mobile';
import { settle } from '../../shared/settle';
import { HIDDEN_SINCE_2022 } from '../platform/contacts';
import type { WeComUser } from '../transport/contacts';
import { userIdByEmail, userIdByMobile } from '../transport/contacts';

/** Fields the Department, User and Tag resources share. */

export function departmentLocator(options: {
	name?: string;
	displayName?: string;
	description: string;
}): INodeProperties {
	return resourceLocatorProperty({
		name: options.name ?? 'departmentId',
		displayName: options.displayName ?? 'Department',
		description: options.description,
		searchMethod: 'searchDepartments',
		idPlaceholder: 'e.g. 1 (the root department)',
		numericId: true,
	});
}

export function userLocator(options: { description: string }): INodeProperties {
	return resourceLocatorProperty({
		name: 'userId',
		displayName: 'User',
		description: options.description,
		searchMethod: 'searchUsers',
		idPlaceholder: 'e.g. ZhangSan',
		numericId: false,
		byMobile: 'e.g. 13700000001',
		byEmail: 'e.g. zhangsan@example.com',
	});
}

export function tagLocator(): INodeProperties {
	return resourceLocatorProperty({
		name: 'tagId',
		displayName: 'Tag',
		description: 'The tag (标签) whose members to read',
		searchMethod: 'searchTags',
		idPlaceholder: 'e.g. 1',
		numericId: true,
	});
}

export interface NumericRef extends LookupField {
	id: number;
}

export function readNumericLocator(
	read: ParameterReader,
	name: string,
	displayName: string,
): NumericRef {
	const { value } = readLocator(read, name, displayName, true);
	return { id: Number(value), value, displayName };
}

export interface UserRef extends LookupField {
	by: 'id' | 'mobile' | 'email';
	value: string;
}

export function readUser(read: ParameterReader): UserRef {
	const displayName = 'User';
	const { mode, value } = readLocator(read, 'userId', displayName, false);
	if (mode === 'mobile')
		return { by: 'mobile', value: checkMobile(read, value, 'User (By Mobile)'), displayName };
	if (mode === 'email')
		return { by: 'email', value: checkEmail(read, value, 'User (By Email)'), displayName };
	return { by: 'id', value, displayName };
}

export async function resolveUserId(
	ctx: IExecuteFunctions,
	user: UserRef,
	itemIndex: number,
): Promise<string> {
	if (user.by === 'mobile')
		return await namingField(user, userIdByMobile(ctx, user.value, itemIndex));
	if (user.by === 'email')
		return await namingField(user, userIdByAnyEmail(ctx, user.value, itemIndex));
	return user.value;
}

/**
 * The locator's By Email takes either kind of address: WeCom looks up the company mailbox
 * (email_type 1) and the personal e-mail of the profile (2) separately, so a miss on the first
 * (46004) tries the second. https://developer.work.weixin.qq.com/document/path/96268
 */
async function userIdByAnyEmail(
	ctx: IExecuteFunctions,
	email: string,
	itemIndex: number,
): Promise<string> {
	const company = await settle(userIdByEmail(ctx, { email, emailType: 1 }, itemIndex));
	if (company.ok) return company.value;
	const refusal = company.error;
	const code =
		refusal instanceof NodeApiError
			? (refusal.errorResponse as IDataObject | undefined)?.errcode
			: undefined;
	if (code !== 46004) throw refusal;
	return await userIdByEmail(ctx, { email, emailType: 2 }, itemIndex);
}

const GENDERS: Record<string, string> = { '0': 'unset', '1': 'male', '2': 'female' };
/** https://developer.work.weixin.qq.com/document/path/90196 */
const STATUSES: Record<number, string> = {
	1: 'active',
	2: 'disabled',
	4: 'notActivated',
	5: 'left',
};

/**
 * A member as WeCom returns it, plus `genderName` and `statusName`: WeCom's gender is a string
 * code ("1") and status a number, both easy to compare wrongly in later nodes.
 */
export function userItem(user: WeComUser): IDataObject {
	// In place: the answer is ours, and a copy of 20,000 members would double the memory.
	const record = user as IDataObject;
	if (record.gender !== undefined) record.genderName = GENDERS[String(record.gender)] ?? 'unset';
	if (typeof record.status === 'number')
		record.statusName = STATUSES[record.status] ?? String(record.status);
	return record;
}

/**
 * Shown when WeCom withheld names or mobiles: the 2022 rules, not a bug of the workflow. WeCom
 * then answers the userid in place of a member's name (https://developer.work.weixin.qq.com/document/path/96255)
 * and leaves out the private fields.
 */
export function hiddenFieldsHint(users: WeComUser[], details: boolean): NodeExecutionHint[] {
	const hidden = users.some((user) => {
		const record = user as IDataObject;
		return (
			record.name === undefined ||
			record.name === user.userid ||
			(details && record.mobile === undefined)
		);
	});
	return hidden ? [{ message: HIDDEN_SINCE_2022, type: 'info', location: 'outputPane' }] : [];
}

/** A department whose name WeCom withheld: it answers the ID as the name then (department/list). */
export const departmentNameHidden = (department: IDataObject): boolean =>
	department.name === undefined || department.name === String(department.id);
