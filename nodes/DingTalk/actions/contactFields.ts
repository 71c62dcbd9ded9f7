import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../../shared/actions/parameters';
import { optionsProperty } from '../../shared/actions/parameters';
import { readLocator, resourceLocatorProperty } from '../../shared/actions/resourceLocator';
import type { LookupField } from '../../shared/contacts/lookups';
import { namingField } from '../../shared/contacts/lookups';
import { checkMobile } from '../../shared/contacts/mobile';
import type { DingTalkUser, Language } from '../transport/contacts';
import { userIdByMobile } from '../transport/contacts';

/** Fields the Department and User resources share: who or which department, and the language. */

export function departmentLocator(options: {
	name?: string;
	displayName?: string;
	description: string;
	displayOptions?: INodeProperties['displayOptions'];
	required?: boolean;
}): INodeProperties {
	return resourceLocatorProperty({
		required: options.required,
		name: options.name ?? 'departmentId',
		displayName: options.displayName ?? 'Department',
		description: options.description,
		searchMethod: 'searchDepartments',
		idPlaceholder: 'e.g. 1 (the root department)',
		numericId: true,
		displayOptions: options.displayOptions,
	});
}

export function userLocator(options: {
	name?: string;
	displayName?: string;
	description: string;
	displayOptions?: INodeProperties['displayOptions'];
	required?: boolean;
}): INodeProperties {
	return resourceLocatorProperty({
		required: options.required,
		name: options.name ?? 'userId',
		displayName: options.displayName ?? 'User',
		description: options.description,
		searchMethod: 'searchUsers',
		idPlaceholder: 'e.g. manager01',
		numericId: false,
		byMobile: 'e.g. 13800000001',
		displayOptions: options.displayOptions,
	});
}

export interface DepartmentRef extends LookupField {
	id: number;
}

export function readDepartment(
	read: ParameterReader,
	name = 'departmentId',
	displayName = 'Department',
): DepartmentRef {
	const { value } = readLocator(read, name, displayName, true);
	return { id: Number(value), value, displayName };
}

export interface UserRef extends LookupField {
	byMobile: boolean;
	value: string;
}

export function readUser(read: ParameterReader, name = 'userId', displayName = 'User'): UserRef {
	const { mode, value } = readLocator(read, name, displayName, false);
	if (mode === 'mobile') {
		return {
			byMobile: true,
			value: checkMobile(read, value, `${displayName} (By Mobile)`),
			displayName,
		};
	}
	return { byMobile: false, value, displayName };
}

/** The userid of a user chosen by ID or list entry, or looked up by mobile number first. */
export async function resolveUserId(
	ctx: IExecuteFunctions,
	user: UserRef,
	itemIndex: number,
): Promise<string> {
	if (!user.byMobile) return user.value;
	return await namingField(user, userIdByMobile(ctx, user.value, itemIndex));
}

export const languageOption: INodeProperties = {
	displayName: 'Language',
	name: 'language',
	type: 'options',
	options: [
		{ name: 'Chinese (zh_CN)', value: 'zh_CN' },
		{ name: 'English (en_US)', value: 'en_US' },
	],
	default: 'zh_CN',
	description:
		'Language of department names in the answer (English names where the organisation has set them)',
};

export const optionsWithLanguage: INodeProperties = optionsProperty([languageOption]);

export const readLanguage = (read: ParameterReader): Language =>
	read.option<Language>('options.language', 'zh_CN') === 'en_US' ? 'en_US' : 'zh_CN';

/**
 * A user as DingTalk returns it, plus `hiredAt` as an ISO date: DingTalk gives `hired_date` in
 * milliseconds, which date nodes misread as seconds.
 */
export function userItem(user: DingTalkUser): IDataObject {
	// In place: the answer is ours, and a copy of 20,000 users would double the memory.
	const record = user as IDataObject;
	if (typeof record.hired_date === 'number' && record.hired_date > 0)
		record.hiredAt = new Date(record.hired_date).toISOString();
	return record;
}
