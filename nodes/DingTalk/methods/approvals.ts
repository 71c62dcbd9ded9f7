import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';

import { listOrExplain, matchesFilter } from '../../shared/contacts/lookups';
import { settle } from '../../shared/settle';
import { dingTalkProfile } from '../platform/profile';
import { getFormSchema, listVisibleTemplates } from '../transport/approvals';
import { formFields, parseFormSchema } from '../actions/approval/form';

const TEMPLATE_PAGE = 100;
/** Pages read at most for the Stream trigger's template filter (2,000 templates). */
const TEMPLATE_PAGES_LISTED = 20;

/** The originator chosen in the node, when it is a userid (the list then shows what they may start). */
function chosenOriginator(ctx: ILoadOptionsFunctions): string | undefined {
	const raw = ctx.getCurrentNodeParameter('originatorUserId') as
		| { mode?: string; value?: unknown }
		| undefined;
	const value = typeof raw?.value === 'string' ? raw.value.trim() : '';
	return value && raw?.mode !== 'mobile' && !value.startsWith('=') ? value : undefined;
}

/**
 * Approval templates: those the chosen originator may start, or all of the organisation's. DingTalk
 * pages them 100 at a time; the search text filters the page by name or process code.
 * https://open.dingtalk.com/document/orgapp/obtains-a-list-of-approval-forms-visible-to-the-specified
 */
async function searchApprovalTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	let next: number | undefined;
	const results = await listOrExplain(
		dingTalkProfile,
		'approval templates',
		'choose "By ID" and paste the template\'s process code',
		async () => {
			const page = await listVisibleTemplates(this, {
				userId: chosenOriginator(this),
				nextToken: Number(paginationToken ?? 0) || 0,
				maxResults: TEMPLATE_PAGE,
			});
			next = page.nextToken;
			return page.templates
				.filter((template) => matchesFilter(filter, template.name ?? '', template.processCode))
				.map((template) => ({
					name: String(template.name ?? template.processCode),
					value: template.processCode,
					url: typeof template.url === 'string' ? template.url : undefined,
				}));
		},
	);
	return next === undefined ? { results } : { results, paginationToken: String(next) };
}

/** The Form fields of the chosen template, from its form schema. */
async function getApprovalFormFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const raw = this.getCurrentNodeParameter('processCode') as
		| { value?: unknown }
		| string
		| undefined;
	const processCode = String(typeof raw === 'object' ? (raw?.value ?? '') : (raw ?? '')).trim();
	if (!processCode) return { fields: [], emptyFieldsNotice: 'Pick a template first.' };
	if (processCode.startsWith('='))
		return {
			fields: [],
			emptyFieldsNotice:
				"The template comes from an expression: use 'Map Automatically' or Define Form: Using JSON.",
		};
	// A template that cannot be read says so in the mapper, instead of n8n's "no fields".
	const read = await settle(getFormSchema(this, processCode));
	if (!read.ok) {
		return {
			fields: [],
			emptyFieldsNotice: `Could not load template ${processCode}: ${(read.error as Error).message}. Pick it from the list, or check its process code.`,
		};
	}
	const fields = formFields(parseFormSchema(read.value.items));
	return fields.length
		? { fields }
		: { fields, emptyFieldsNotice: "This template's form has no fields the API can fill in." };
}

/**
 * Every approval template of the organisation, by name, for the Stream trigger's template filter
 * (a multi-select: the node shows names and stores process codes).
 */
async function getApprovalTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listOrExplain(
		dingTalkProfile,
		'approval templates',
		'type the process codes with an expression',
		async () => {
			const options: INodePropertyOptions[] = [];
			let nextToken: number | undefined = 0;
			for (let page = 0; page < TEMPLATE_PAGES_LISTED && nextToken !== undefined; page++) {
				const read = await listVisibleTemplates(this, { nextToken, maxResults: TEMPLATE_PAGE });
				for (const template of read.templates) {
					options.push({
						name: `${String(template.name ?? template.processCode)} (${template.processCode})`,
						value: template.processCode,
					});
				}
				nextToken = read.nextToken;
			}
			return options;
		},
	);
}

export const approvalListSearch = { searchApprovalTemplates };
export const approvalLoadOptions = { getApprovalTemplates };
export const resourceMapping = { getApprovalFormFields };
