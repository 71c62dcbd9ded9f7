import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { formFields, parseControls } from '../actions/approval/form';
import { getTemplateDetail } from '../transport/approvals';

/** The Form fields of the template whose ID is entered, from gettemplatedetail. */
async function getApprovalTemplateFields(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const raw = this.getCurrentNodeParameter('templateId');
	const templateId = typeof raw === 'string' ? raw.trim() : '';
	if (!templateId || templateId.startsWith('='))
		return { fields: [], emptyFieldsNotice: 'Enter a Template ID first (not an expression).' };
	const template = await getTemplateDetail(this, templateId);
	const fields = formFields(parseControls(template.template_content?.controls));
	return fields.length
		? { fields }
		: { fields, emptyFieldsNotice: "This template's form has no fields the API can fill in." };
}

export const resourceMapping = { getApprovalTemplateFields };
