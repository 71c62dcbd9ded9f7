import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../../../shared/actions/parameters';
import { readLocator, resourceLocatorProperty } from '../../../shared/actions/resourceLocator';
import { checkEmail } from '../../../shared/contacts/email';
import { namingField } from '../../../shared/contacts/lookups';
import { checkMobile } from '../../../shared/contacts/mobile';
import { createValidationError } from '../../../shared/errors';
import { oncePerRun } from '../../../shared/actions/formMapping';
import { getTemplateDetail } from '../../transport/approvals';
import type { NumericRef, UserRef } from '../contactFields';
import { readNumericLocator } from '../contactFields';
import type { FormControl } from './form';
import { langText, parseControls } from './form';

/**
 * The approval template (审批模板) by its ID. WeCom has no API that lists templates to a
 * self-built app, so the ID is typed.
 */
export const templateIdField = (description: string): INodeProperties => ({
	displayName: 'Template ID',
	name: 'templateId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. C4ZXKAAPcf2kEj4dPXfhW1FmZyXLHnKLdyDuBxTZ4b',
	description: `${description}. Copy it from the end of the browser URL on the template's edit page (admin console → App Management → Approval (审批) → the template), or from template_id of an approval (Get) or approval event.`,
});

export function readTemplateId(read: ParameterReader, name = 'templateId'): string {
	const value = read.text(name, 'Template ID').trim();
	if (!/^[\w-]+$/.test(value)) {
		throw createValidationError(read.node, `'Template ID' is not a template ID: '${value}'`, {
			itemIndex: read.itemIndex,
			description:
				"A template ID is letters and digits, e.g. C4ZXKAAPcf2kEj4dPXfhW1FmZyXLHnKLdyDuBxTZ4b: copy it from the end of the template's edit page URL in the admin console.",
		});
	}
	return value;
}

export const spNoField: INodeProperties = {
	displayName: 'Approval Number',
	name: 'spNo',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 202612010001',
	description:
		'The approval (审批单) by its number (sp_no): from Create, Get Many or an approval event',
};

export function readSpNo(read: ParameterReader): string {
	const value = read.text('spNo', 'Approval Number').trim();
	if (!/^\d+$/.test(value)) {
		throw createValidationError(read.node, `'Approval Number' is not an sp_no: '${value}'`, {
			itemIndex: read.itemIndex,
			description: 'An approval number is digits, e.g. 202612010001 (spNo of Create or Get Many).',
		});
	}
	return value;
}

/** The applicant, picked or typed like WeCom's other user fields. */
export const creatorLocator: INodeProperties = resourceLocatorProperty({
	name: 'creatorUserId',
	displayName: 'Creator',
	description:
		"Who applies (申请人): an active member inside the app's Visible Range, in whose name the approval is submitted",
	searchMethod: 'searchUsers',
	idPlaceholder: 'e.g. ZhangSan',
	numericId: false,
	byMobile: 'e.g. 13700000001',
	byEmail: 'e.g. zhangsan@example.com',
});

/** The creator's department to submit for (optional: WeCom takes their main one otherwise). */
export const chooseDepartmentLocator: INodeProperties = resourceLocatorProperty({
	name: 'chooseDepartment',
	displayName: 'Department',
	required: false,
	description:
		"The creator's department the approval is submitted for, when they are in several (their main one otherwise)",
	searchMethod: 'searchDepartments',
	idPlaceholder: 'e.g. 2',
	numericId: true,
});

/** The chosen department, if any (a locator, or a plain ID from an expression). */
export function readChooseDepartment(read: ParameterReader): NumericRef | undefined {
	const name = 'options.chooseDepartment';
	const raw = read.raw(name, '');
	const given =
		typeof raw === 'object' && raw !== null && 'value' in raw
			? (raw as { value?: unknown }).value
			: raw;
	if (given === undefined || given === null || (typeof given === 'string' && !given.trim()))
		return undefined;
	return readNumericLocator(read, name, 'Department');
}

export function readCreator(read: ParameterReader): UserRef {
	const displayName = 'Creator';
	const { mode, value } = readLocator(read, 'creatorUserId', displayName, false);
	if (mode === 'mobile')
		return { by: 'mobile', value: checkMobile(read, value, 'Creator (By Mobile)'), displayName };
	if (mode === 'email')
		return { by: 'email', value: checkEmail(read, value, 'Creator (By Email)'), displayName };
	return { by: 'id', value, displayName };
}

export interface TemplateForm {
	name: string;
	controls: FormControl[];
}

/**
 * The form of a template, read once per run however many items use it, so every item's form is
 * checked before the first application is submitted.
 */
export async function templateForm(
	ctx: IExecuteFunctions,
	templateId: string,
	itemIndex: number,
): Promise<TemplateForm> {
	return await oncePerRun(ctx, `wecom-template:${templateId}`, async () => {
		const template = await namingField(
			{ displayName: 'Template ID', value: templateId },
			getTemplateDetail(ctx, templateId, itemIndex),
		);
		return {
			name: langText(template.template_names),
			controls: parseControls(template.template_content?.controls),
		};
	});
}
