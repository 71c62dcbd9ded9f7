import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { formFields, parseControls } from '../actions/approval/form';
import { getTemplateDetail } from '../transport/approvals';
import { settle } from '../../shared/settle';

/** The Form fields of the template whose ID is entered, from gettemplatedetail. */
async function getApprovalTemplateFields(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const raw = this.getCurrentNodeParameter('templateId');
	const templateId = typeof raw === 'string' ? raw.trim() : '';
	if (!templateId || templateId.startsWith('='))
		return { fields: [], emptyFieldsNotice: 'Enter a Template ID first (not an expression).' };
	// A template that cannot be read says so in the mapper, instead of n8n's "no fields".
	const read = await settle(getTemplateDetail(this, templateId));
	if (!read.ok) {
		return {
			fields: [],
			emptyFieldsNotice: `Could not load template ${templateId}: ${(read.error as Error).message}. Check the Template ID (copy it from the end of the template's edit-page URL).`,
		};
	}
	const template = read.value;
	const fields = formFields(parseControls(template.template_content?.controls));
	return fields.length
		? { fields }
		: { fields, emptyFieldsNotice: "This template's form has no fields the API can fill in." };
}

export const resourceMapping = { getApprovalTemplateFields };
