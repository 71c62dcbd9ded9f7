import type { IDataObject } from 'n8n-workflow';

import { settle } from '../../shared/settle';
import type { CredentialContext } from '../../shared/transport/platformTransport';
import { instanceItem } from '../actions/approval/instanceItem';
import { getInstance } from '../transport/approvals';
import { APPROVAL_EVENTS } from './events';

/** The Include Form Values switch of both DingTalk triggers. */
export const includeFormValuesProperty = {
	displayName: 'Include Form Values',
	name: 'includeFormValues',
	type: 'boolean' as const,
	default: false,
	description:
		"Whether to read the approval's form values and tasks with a DingTalk API credential (the events carry none). Adds `form` and `instance` to each approval event.",
};

/**
 * Adds the instance an approval event is about (https://open.dingtalk.com/document/orgapp/obtains-the-details-of-a-single-approval-instance-pop):
 * `form` as `{label: value}` and the whole instance under `instance`. A read that fails keeps the
 * event and says why under `instanceError`, so no event is lost to a lookup.
 */
export async function withInstance(
	ctx: CredentialContext,
	item: IDataObject,
): Promise<IDataObject> {
	const instanceId = item.processInstanceId;
	if (
		!APPROVAL_EVENTS.includes(String(item.event)) ||
		typeof instanceId !== 'string' ||
		!instanceId
	) {
		return item;
	}
	const read = await settle(getInstance(ctx, instanceId));
	if (!read.ok) {
		const error = read.error as { message?: unknown; description?: unknown };
		const why = [error.message, error.description].filter((part) => typeof part === 'string');
		return { ...item, instanceError: why.join(' ') || 'The instance could not be read' };
	}
	const instance = instanceItem(instanceId, read.value);
	return { ...item, form: instance.form, instance };
}
