import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationResult } from '../../../shared/actions/types';
import type { ParameterReader } from '../../../shared/actions/parameters';
import { optionsProperty } from '../../../shared/actions/parameters';
import { getUser } from '../../transport/contacts';
import { hiddenFieldsHint, userItem } from '../contactFields';

/** What Get by Mobile and Get by Email share: after finding the UserID, read the member. */
export const idOnlyOptions: INodeProperties = optionsProperty([
	{
		displayName: 'ID Only',
		name: 'idOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to return only the UserID, without the second call for the details',
	},
]);

export const readIdOnly = (read: ParameterReader): boolean =>
	read.boolean('options.idOnly', 'ID Only');

export async function userResult(
	ctx: IExecuteFunctions,
	userid: string,
	idOnly: boolean,
	itemIndex: number,
): Promise<OperationResult> {
	if (idOnly) return { json: { userid } };
	const user = await getUser(ctx, userid, itemIndex);
	return { json: userItem(user) as IDataObject, hints: hiddenFieldsHint([user], true) };
}
