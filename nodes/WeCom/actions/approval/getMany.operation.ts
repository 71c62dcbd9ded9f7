import { readInstant } from '../../../shared/actions/dates';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { optionsProperty, ParameterReader } from '../../../shared/actions/parameters';
import { readLimit, returnAllProperties } from '../../../shared/actions/returnAll';
import type { OperationResult } from '../../../shared/actions/types';
import { includeDetailsOption, readDetails } from '../../../shared/actions/formMapping';
import { createValidationError } from '../../../shared/errors';
import { parseIdList } from '../../../shared/validation';
import { LIST_RULES, RECORD_TYPE_OPTIONS, STATUS_FILTER_OPTIONS } from '../../platform/approvals';
import type { ApprovalQuery } from '../../transport/approvals';
import { getApprovalDetail, listApprovalNumbers } from '../../transport/approvals';
import { approvalItem } from './approvalItem';
import { readTemplateId } from './fields';

export const option = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many approvals',
	description: 'The approvals applied for in a time range, optionally with their details',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'Approvals applied for at or after this time. WeCom lists at most 31 days per call; longer ranges are split into several calls.',
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'Approvals applied for at or before this time; empty for now',
	},
	...returnAllProperties(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Creator User ID',
				name: 'creator',
				type: 'string',
				default: '',
				placeholder: 'e.g. ZhangSan',
				description: 'Only approvals this member applied for',
			},
			{
				displayName: 'Department IDs',
				name: 'departmentIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2, 3',
				description:
					'Only approvals submitted for these departments (any of them), separated by commas, or an array from an expression',
			},
			{
				displayName: 'Record Type',
				name: 'recordType',
				type: 'options',
				options: RECORD_TYPE_OPTIONS,
				default: '1',
				description: 'Only approvals of templates of this kind',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: STATUS_FILTER_OPTIONS,
				default: '1',
				description: 'Only approvals in this state',
			},
			{
				displayName: 'Template ID',
				name: 'templateId',
				type: 'string',
				default: '',
				placeholder: 'e.g. C4ZXKAAPcf2kEj4dPXfhW1FmZyXLHnKLdyDuBxTZ4b',
				description: 'Only approvals of this template',
			},
		],
	},
	optionsProperty([
		includeDetailsOption(
			'Whether to read every approval too (one call each): its status, approvers and form instead of only its number',
		),
	]),
];

export const writes = false;

interface Input {
	/** Calls of at most 31 days each, in order. */
	windows: ApprovalQuery[];
	limit: number;
	includeDetails: boolean;
}

const DAY_S = 24 * 60 * 60;

/** Unix seconds of a date-time parameter, a time without a zone read in the workflow's zone. */
function readTime(read: ParameterReader, name: string, displayName: string): number | undefined {
	const ms = readInstant(read, name, displayName, read.ctx.getTimezone());
	return ms === undefined ? undefined : Math.floor(ms / 1000);
}

/**
 * The range as calls of at most 31 days: each window starts where the one before ended (both ends
 * count, so an approval on a boundary second may be listed twice; execute drops the repeat).
 */
function splitRange(start: number, end: number): Array<{ startTime: number; endTime: number }> {
	const span = LIST_RULES.maxSpanDays * DAY_S;
	const windows: Array<{ startTime: number; endTime: number }> = [];
	for (let from = start; from < end; from += span) {
		windows.push({ startTime: from, endTime: Math.min(end, from + span) });
	}
	return windows;
}

function readFilters(read: ParameterReader): ApprovalQuery['filters'] {
	const filters: ApprovalQuery['filters'] = [];
	const templateId = read.optionalText('filters.templateId', 'Template ID').trim();
	if (templateId)
		filters.push({ key: 'template_id', value: readTemplateId(read, 'filters.templateId') });
	const creator = read.optionalText('filters.creator', 'Creator User ID').trim();
	if (creator) filters.push({ key: 'creator', value: creator });
	const departments = parseIdList(read.node, read.raw('filters.departmentIds', ''), {
		displayName: 'Department IDs',
		itemIndex: read.itemIndex,
		numeric: true,
		numericHint: 'Department IDs are whole numbers; the root department is 1.',
	});
	for (const id of departments) filters.push({ key: 'department', value: id });
	const status = read.raw('filters.status', '');
	if (status !== '' && status !== undefined && status !== null)
		filters.push({ key: 'sp_status', value: String(status) });
	const recordType = read.raw('filters.recordType', '');
	if (recordType !== '' && recordType !== undefined && recordType !== null)
		filters.push({ key: 'record_type', value: String(recordType) });
	return filters;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	const start = readTime(read, 'startTime', 'Start Time');
	if (start === undefined) {
		throw createValidationError(read.node, "'Start Time' is empty", {
			itemIndex,
			description: 'Pick from when on to list the approvals.',
		});
	}
	const end = readTime(read, 'endTime', 'End Time') ?? Math.floor(Date.now() / 1000);
	if (end <= start) {
		throw createValidationError(read.node, "'End Time' is not after 'Start Time'", {
			itemIndex,
			description: 'Choose an end later than the start (or leave it empty for now).',
		});
	}
	const filters = readFilters(read);
	return {
		windows: splitRange(start, end).map((window) => ({ ...window, filters })),
		limit: readLimit(read),
		includeDetails: read.boolean('options.includeDetails', 'Include Details'),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const seen = new Set<string>();
	const spNos: string[] = [];
	for (const window of input.windows) {
		let cursor: string | undefined = '';
		while (cursor !== undefined && spNos.length < input.limit) {
			const page: { spNos: string[]; next?: string } = await listApprovalNumbers(
				this,
				window,
				cursor,
				itemIndex,
			);
			for (const spNo of page.spNos) {
				if (seen.has(spNo)) continue;
				seen.add(spNo);
				spNos.push(spNo);
			}
			// A cursor WeCom gives back unchanged would page forever.
			cursor = page.spNos.length && page.next !== cursor ? page.next : undefined;
		}
		if (spNos.length >= input.limit) break;
	}
	const listed = spNos.slice(0, input.limit);
	if (!input.includeDetails) return { json: listed.map((spNo) => ({ spNo })) };
	const timeZone = this.getTimezone();
	const items = await readDetails(listed, async (spNo) =>
		approvalItem(await getApprovalDetail(this, spNo, itemIndex), timeZone),
	);
	return { json: items };
}
