import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { getTemplateDetail } from '../../transport/approvals';
import { describeControl, langText, parseControls } from './form';
import { readTemplateId, templateIdField } from './fields';

export const option = {
	name: 'Get Template',
	value: 'getTemplate',
	action: 'Get an approval template',
	description:
		"A template's form: every control with its ID, type, title, whether it is required, and its options",
};

export const description: INodeProperties[] = [templateIdField('The approval template to read')];

export const writes = false;

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	return readTemplateId(new ParameterReader(this, itemIndex));
}

export async function execute(
	this: IExecuteFunctions,
	templateId: string,
	itemIndex: number,
): Promise<OperationResult> {
	const template = await namingField(
		{ displayName: 'Template ID', value: templateId },
		getTemplateDetail(this, templateId, itemIndex),
	);
	return {
		json: {
			templateId,
			name: langText(template.template_names),
			names: template.template_names ?? [],
			controls: parseControls(template.template_content?.controls).map(describeControl),
			raw: {
				template_names: template.template_names ?? [],
				template_content: template.template_content ?? {},
			},
		},
	};
}
