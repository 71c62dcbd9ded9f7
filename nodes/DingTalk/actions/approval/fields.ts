import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../../../shared/actions/parameters';
import { readLocator, resourceLocatorProperty } from '../../../shared/actions/resourceLocator';
import { namingField } from '../../../shared/contacts/lookups';
import { createValidationError } from '../../../shared/errors';
import { oncePerRun } from '../../../shared/actions/formMapping';
import { getFormSchema } from '../../transport/approvals';
import type { FormControl } from './form';
import { parseFormSchema } from './form';

/** The approval template (审批模板), picked from the organisation's or typed as its process code. */
export const templateLocator = (description: string): INodeProperties =>
	resourceLocatorProperty({
		name: 'processCode',
		displayName: 'Template',
		description,
		searchMethod: 'searchApprovalTemplates',
		idPlaceholder: 'e.g. PROC-FF6Y4BE1N2-JQNI4RZPW9PNX8B3BT7D1-K',
		numericId: false,
	});

export function readProcessCode(read: ParameterReader): string {
	const { value } = readLocator(read, 'processCode', 'Template', false);
	if (!/^PROC-[\w-]+$/.test(value)) {
		throw createValidationError(read.node, `'Template' is not a process code: '${value}'`, {
			itemIndex: read.itemIndex,
			description:
				"Pick the template from the list, or copy its process code (it starts with PROC-) from the template's page in the OA admin console.",
		});
	}
	return value;
}

export const instanceIdField: INodeProperties = {
	displayName: 'Instance ID',
	name: 'instanceId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. XhWrosZz4sL1RKV1G7Ps0I0010204109087',
	description:
		'The approval instance (审批实例): its ID from Create, Get Many or an approval event',
};

export const readInstanceId = (read: ParameterReader): string =>
	read.text('instanceId', 'Instance ID').trim();

/**
 * The form of a template, read once per run however many items use it, so every item's form is
 * checked before the first instance is created.
 */
export async function templateForm(
	ctx: IExecuteFunctions,
	processCode: string,
	itemIndex: number,
): Promise<FormControl[]> {
	return await oncePerRun(ctx, `dingtalk-form:${processCode}`, async () =>
		parseFormSchema(
			(
				await namingField(
					{ displayName: 'Template', value: processCode },
					getFormSchema(ctx, processCode, itemIndex),
				)
			).items,
		),
	);
}
