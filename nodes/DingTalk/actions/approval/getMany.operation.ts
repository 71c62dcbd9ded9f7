import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { optionsProperty, ParameterReader } from '../../../shared/actions/parameters';
import { readLimit, returnAllProperties } from '../../../shared/actions/returnAll';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import { createValidationError } from '../../../shared/errors';
import { includeDetailsOption, readDetails } from '../../../shared/actions/formMapping';
import { parseIdList } from '../../../shared/validation';
import { LIST_WINDOW, LISTABLE_STATUSES } from '../../platform/approvals';
import type { InstanceIdQuery } from '../../transport/approvals';
import { getInstance, listInstanceIds } from '../../transport/approvals';
import { readProcessCode, templateForm, templateLocator } from './fields';
import { readInstant } from '../../../shared/actions/dates';
import { instanceItem } from './instanceItem';

export const option = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many approval instances',
	description: 'Instances of a template started in a time range, optionally with their details',
};

export const description: INodeProperties[] = [
	templateLocator('Whose instances to list'),
	{
		displayName: 'Started After',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'Instances started at or after this time. DingTalk lists instances started in the last 365 days, at most 120 days in one range (without an end: at most 120 days ago).',
	},
	{
		displayName: 'Started Before',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'Instances started at or before this time; empty for now',
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
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: LISTABLE_STATUSES,
				default: [],
				description: 'Only instances in these states (all when none is chosen)',
			},
			{
				displayName: 'Originator User IDs',
				name: 'userIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. manager01, user001',
				description:
					'Only instances these people submitted (at most 10), separated by commas, or an array from an expression',
			},
		],
	},
	optionsProperty([
		includeDetailsOption(
			'Whether to read every instance too (one call each): its outcome, tasks and form values instead of only its ID',
		),
	]),
];

export const writes = false;

interface Input {
	query: InstanceIdQuery;
	limit: number;
	includeDetails: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** DingTalk's window rules, checked before the first call so the error says what to change. */
function checkWindow(read: ParameterReader, start: number, end: number | undefined, now: number) {
	const days = (ms: number) => Math.ceil(ms / DAY_MS);
	const refuse = (message: string, description: string) => {
		throw createValidationError(read.node, message, { itemIndex: read.itemIndex, description });
	};
	if (end !== undefined && end < start) {
		refuse("'Started Before' is earlier than 'Started After'", 'Swap the two times.');
	}
	if (end !== undefined && end - start > LIST_WINDOW.maxSpanDays * DAY_MS) {
		refuse(
			`The range is ${days(end - start)} days, more than DingTalk's ${LIST_WINDOW.maxSpanDays}`,
			'Split it into ranges of at most 120 days (for example one item per range).',
		);
	}
	// Without an end DingTalk lists instances started at most 120 days ago. With an end it allows
	// 365 days back (5 years on OA premium), so that limit is left to DingTalk and its hint.
	if (end === undefined && now - start > LIST_WINDOW.maxSpanDays * DAY_MS) {
		refuse(
			`'Started After' is ${days(now - start)} days ago; without 'Started Before' DingTalk lists instances started at most ${LIST_WINDOW.maxSpanDays} days ago`,
			"Set 'Started Before' too (then up to 365 days back), or start later.",
		);
	}
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	const processCode = readProcessCode(read);
	const timeZone = this.getTimezone();
	const startTime = readInstant(read, 'startTime', 'Started After', timeZone);
	if (startTime === undefined) {
		throw createValidationError(read.node, "'Started After' is empty", {
			itemIndex,
			description: 'Pick when the instances to list started, at most 120 days ago.',
		});
	}
	const endTime = readInstant(read, 'endTime', 'Started Before', timeZone);
	checkWindow(read, startTime, endTime, Date.now());
	const userIds = parseIdList(read.node, read.raw('filters.userIds', ''), {
		displayName: 'Originator User IDs',
		itemIndex,
	});
	if (userIds.length > LIST_WINDOW.maxUserIds) {
		throw createValidationError(
			read.node,
			`${userIds.length} originators, more than the ${LIST_WINDOW.maxUserIds} DingTalk filters on`,
			{ itemIndex, description: 'Split them over several items of at most 10.' },
		);
	}
	const statuses = read.raw('filters.statuses', []);
	// DingTalk lists nothing for an unknown process code; reading its form (once per run) says so.
	await templateForm(this, processCode, itemIndex);
	return {
		query: {
			processCode,
			startTime,
			endTime,
			userIds,
			statuses: Array.isArray(statuses) ? statuses.map(String) : [],
		},
		limit: readLimit(read),
		includeDetails: read.boolean('options.includeDetails', 'Include Details'),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const ids: string[] = [];
	let token: string | undefined = '0';
	const wanted = Math.min(input.limit, LIST_WINDOW.maxIds);
	while (token !== undefined && ids.length < wanted) {
		const page: { ids: string[]; nextToken?: string } = await namingField(
			{ displayName: 'Template', value: input.query.processCode },
			listInstanceIds(this, input.query, token, itemIndex),
		);
		ids.push(...page.ids);
		token = page.ids.length ? page.nextToken : undefined;
	}
	const listed = ids.slice(0, wanted);
	const hints =
		input.limit === Infinity && listed.length >= LIST_WINDOW.maxIds
			? [
					{
						message: `DingTalk lists at most ${LIST_WINDOW.maxIds} instances per query: narrow the time range to get the rest.`,
						type: 'warning' as const,
						location: 'outputPane' as const,
					},
				]
			: undefined;
	if (!input.includeDetails) {
		return {
			json: listed.map((instanceId) => ({ instanceId, processCode: input.query.processCode })),
			...(hints ? { hints } : {}),
		};
	}
	const items = await readDetails(listed, async (id) =>
		instanceItem(id, await getInstance(this, id, itemIndex)),
	);
	return { json: items, ...(hints ? { hints } : {}) };
}
