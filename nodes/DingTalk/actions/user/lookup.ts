import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../../../shared/actions/parameters';
import { optionsProperty } from '../../../shared/actions/parameters';
import type { Language } from '../../transport/contacts';
import { getUser } from '../../transport/contacts';
import { languageOption, readLanguage, userItem } from '../contactFields';

/** What Get by Mobile and Get by Union ID share: after finding the userid, read the user. */
export const lookupOptions: INodeProperties = optionsProperty([
	{
		displayName: 'ID Only',
		name: 'idOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to return only the userid, without the second call for the details',
	},
	languageOption,
]);

export interface LookupOptions {
	idOnly: boolean;
	language: Language;
}

export const readLookupOptions = (read: ParameterReader): LookupOptions => ({
	idOnly: read.boolean('options.idOnly', 'ID Only'),
	language: readLanguage(read),
});

export async function userDetails(
	ctx: IExecuteFunctions,
	found: IDataObject & { userid: string },
	options: LookupOptions,
	itemIndex: number,
): Promise<IDataObject> {
	if (options.idOnly) return found;
	return { ...found, ...userItem(await getUser(ctx, found.userid, options.language, itemIndex)) };
}
