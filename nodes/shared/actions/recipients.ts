import type { INodeProperties } from 'n8n-workflow';

import { planRecipientCalls } from '../chunk';
import { createValidationError } from '../errors';
import { parseIdList } from '../validation';
import type { ParameterReader } from './parameters';

/** One recipient ID list of a send (users, departments, tags), as platform data. */
export interface RecipientList {
	key: string;
	/** Parameter name and its label. */
	field: string;
	displayName: string;
	placeholder: string;
	description: string;
	numeric: boolean;
	numericHint?: string;
	/** How many IDs of this list one call may carry; longer lists are split over several calls. */
	maxPerCall: number;
	/** IDs with a special meaning on the platform that must not come in through this list. */
	refuse?: { pattern: RegExp; why: string };
	/**
	 * From node version 1.1 the list is a multi-select loaded by this `methods.loadOptions`
	 * function (names to pick; an expression still gives IDs). Version 1 keeps its text field, so
	 * saved workflows open as they were saved.
	 */
	picker?: { loadOptionsMethod: string; displayName: string; description: string };
}

/** Node versions: 1 has text ID fields for recipients, 1.1 adds the pickers. */
export const PICKER_VERSION = 1.1;

/** The recipients of a send operation: everyone, or the listed IDs. */
export interface RecipientSpec {
	/** `value` is what saved workflows hold for "everyone" (kept as each node first stored it). */
	everyone: { value: string; name: string; description: string };
	specific: { name: string; description: string };
	lists: RecipientList[];
}

const SEND_TO_SPECIFIC = 'specific';

/** "Send To" plus one ID field per list, shown when specific recipients are chosen. */
export function recipientProperties(spec: RecipientSpec): INodeProperties[] {
	return [
		{
			displayName: 'Send To',
			name: 'sendTo',
			type: 'options',
			options: [{ ...spec.everyone }, { value: SEND_TO_SPECIFIC, ...spec.specific }],
			default: SEND_TO_SPECIFIC,
		},
		...spec.lists.flatMap((list): INodeProperties[] => {
			const text: INodeProperties = {
				displayName: list.displayName,
				name: list.field,
				type: 'string',
				default: '',
				placeholder: list.placeholder,
				description: list.description,
				displayOptions: { show: { sendTo: [SEND_TO_SPECIFIC] } },
			};
			if (!list.picker) return [text];
			return [
				{ ...text, displayOptions: { show: { sendTo: [SEND_TO_SPECIFIC], '@version': [1] } } },
				{
					displayName: list.picker.displayName,
					name: list.field,
					type: 'multiOptions',
					typeOptions: { loadOptionsMethod: list.picker.loadOptionsMethod },
					default: [],
					description: list.picker.description,
					displayOptions: {
						show: { sendTo: [SEND_TO_SPECIFIC], '@version': [{ _cnd: { gte: PICKER_VERSION } }] },
					},
				},
			];
		}),
	];
}

export interface RecipientPlan {
	everyone: boolean;
	/** One entry per call: list key → the IDs of that call (empty when sending to everyone). */
	calls: Array<Record<string, string[]>>;
}

/**
 * Reads an item's recipients (comma-separated text or arrays from expressions), checks them, and
 * plans the calls the per-call limits need.
 */
export function readRecipients(read: ParameterReader, spec: RecipientSpec): RecipientPlan {
	if (read.option('sendTo') === spec.everyone.value) {
		return { everyone: true, calls: [Object.fromEntries(spec.lists.map((l) => [l.key, []]))] };
	}
	// From version 1.1 a list with a picker is shown under the picker's name; errors use it.
	const shownName = (list: RecipientList) =>
		list.picker && read.node.typeVersion >= PICKER_VERSION
			? list.picker.displayName
			: list.displayName;
	const lists = spec.lists.map((list) => ({
		list: { ...list, displayName: shownName(list) },
		ids: parseIdList(read.node, read.raw(list.field, ''), {
			displayName: shownName(list),
			itemIndex: read.itemIndex,
			numeric: list.numeric,
			numericHint: list.numericHint,
		}),
	}));
	for (const { list, ids } of lists) {
		const refused = list.refuse && ids.find((id) => list.refuse!.pattern.test(id));
		if (refused) {
			throw createValidationError(
				read.node,
				`'${list.displayName}' contains '${refused}', ${list.refuse!.why}`,
				{
					itemIndex: read.itemIndex,
					description: `Choose '${spec.everyone.name}' in 'Send To' for that.`,
				},
			);
		}
	}
	if (lists.every(({ ids }) => ids.length === 0)) {
		const names = lists.map(({ list }) => `'${list.displayName}'`);
		throw createValidationError(
			read.node,
			`Enter at least one of ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`,
			{ itemIndex: read.itemIndex, description: `Or choose '${spec.everyone.name}' in 'Send To'.` },
		);
	}
	return {
		everyone: false,
		calls: planRecipientCalls(
			Object.fromEntries(lists.map(({ list, ids }) => [list.key, { ids, max: list.maxPerCall }])),
		),
	};
}
