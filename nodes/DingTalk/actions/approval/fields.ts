import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../../../shared/actions/parameters';
import { readLocator, resourceLocatorProperty } from '../../../shared/actions/resourceLocator';
import { namingField } from '../../../shared/contacts/lookups';
import { createValidationError } from '../../../shared/errors';
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
	placeholder: 'e.g. a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
	description:
		'The approval instance (审批实例): its ID from Create, Get Many or an approval event',
};

export const readInstanceId = (read: ParameterReader): string =>
	read.text('instanceId', 'Instance ID').trim();

/**
 * Forms of the templates this run uses, fetched once per template however many items use it, so
 * every item's form is checked before the first instance is created.
 */
const formsByRun = new WeakMap<object, Map<string, Promise<FormControl[]>>>();

export async function templateForm(
	ctx: IExecuteFunctions,
	processCode: string,
	itemIndex: number,
): Promise<FormControl[]> {
	let forms = formsByRun.get(ctx);
	if (!forms) {
		forms = new Map();
		formsByRun.set(ctx, forms);
	}
	let form = forms.get(processCode);
	if (!form) {
		form = namingField(
			{ displayName: 'Template', value: processCode },
			getFormSchema(ctx, processCode, itemIndex),
		).then((schema) => parseFormSchema(schema.items));
		forms.set(processCode, form);
		form.catch(() => forms?.delete(processCode));
	}
	return await form;
}

/**
 * The form values the item gives: mapped in the node, or the item's own fields when auto-mapped
 * (then fields the form does not have are other data of the item, not mistakes).
 */
export function mappedValues(
	ctx: IExecuteFunctions,
	read: ParameterReader,
): { values: IDataObject; autoMapped: boolean } {
	const mapper = read.raw('form', {}) as { mappingMode?: string; value?: IDataObject | null };
	if (mapper.mappingMode === 'autoMapInputData') {
		return { values: { ...(ctx.getInputData()[read.itemIndex]?.json ?? {}) }, autoMapped: true };
	}
	return { values: { ...(mapper.value ?? {}) }, autoMapped: false };
}
