import type { INodeProperties, INodePropertyMode } from 'n8n-workflow';

import { EMAIL_PATTERN } from '../contacts/email';
import { MOBILE_PATTERN } from '../contacts/mobile';
import { createValidationError } from '../errors';
import type { ParameterReader } from './parameters';

export interface LocatorOptions {
	displayName: string;
	name: string;
	description: string;
	/** The `methods.listSearch` function that lists and searches. */
	searchMethod: string;
	idPlaceholder: string;
	/** Numeric IDs (departments, tags) are checked as numbers. */
	numericId: boolean;
	/** Users can also be chosen by mobile number or e-mail: the placeholder of each such mode. */
	byMobile?: string;
	byEmail?: string;
	required?: boolean;
	displayOptions?: INodeProperties['displayOptions'];
}

/**
 * From List (with search), By ID and, for users, By Mobile / By Email, as n8n's own nodes offer
 * them. Every mode is written out below (n8n's lint checks modes only there) and the ones the
 * field does not offer are dropped.
 */
export function resourceLocatorProperty(options: LocatorOptions): INodeProperties {
	const offered = new Set(['list', 'id']);
	if (options.byMobile) offered.add('mobile');
	if (options.byEmail) offered.add('email');
	const property: INodeProperties = {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${/^[aeiou]/i.test(options.displayName) ? 'an' : 'a'} ${options.displayName.toLowerCase()}...`,
				typeOptions: { searchListMethod: options.searchMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: options.idPlaceholder,
				...(options.numericId
					? {
							validation: [
								{
									type: 'regex',
									properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'The ID is a number' },
								},
							],
						}
					: {}),
			},
			{
				displayName: 'By Mobile',
				name: 'mobile',
				type: 'string',
				placeholder: options.byMobile ?? '',
				validation: [
					{
						type: 'regex',
						properties: { regex: MOBILE_PATTERN, errorMessage: 'Enter a mobile number' },
					},
				],
			},
			{
				displayName: 'By Email',
				name: 'email',
				type: 'string',
				placeholder: options.byEmail ?? '',
				validation: [
					{
						type: 'regex',
						properties: { regex: EMAIL_PATTERN, errorMessage: 'Enter an e-mail address' },
					},
				],
			},
		],
		...(options.displayOptions ? { displayOptions: options.displayOptions } : {}),
	};
	property.modes = (property.modes as INodePropertyMode[]).filter((mode) => offered.has(mode.name));
	return property;
}

/** The chosen mode and the value, trimmed; a plain value from an expression counts as an ID. */
export interface LocatorValue {
	mode: string;
	value: string;
}

/**
 * Reads a resource locator. Empty values, objects and (for numeric IDs) non-numbers are refused
 * with the field's name, so a picker entry that only explains a missing permission never reaches
 * the platform.
 */
export function readLocator(
	read: ParameterReader,
	name: string,
	displayName: string,
	numericId: boolean,
): LocatorValue {
	const raw = read.raw(name, '') as unknown;
	const locator =
		raw && typeof raw === 'object' && 'value' in raw
			? (raw as { mode?: unknown; value?: unknown })
			: { mode: 'id', value: raw };
	const mode = typeof locator.mode === 'string' ? locator.mode : 'id';
	const value =
		typeof locator.value === 'number' && Number.isFinite(locator.value)
			? String(locator.value)
			: typeof locator.value === 'string'
				? locator.value.trim()
				: undefined;
	if (value === undefined) {
		throw createValidationError(
			read.node,
			`'${displayName}' must be an ID, but the expression gave ${JSON.stringify(locator.value)}`,
			{ itemIndex: read.itemIndex, description: 'Map a single ID (text or number).' },
		);
	}
	if (value === '') {
		throw createValidationError(read.node, `'${displayName}' is empty`, {
			itemIndex: read.itemIndex,
			description: 'Pick one from the list, or enter its ID.',
		});
	}
	if (numericId && !/^\d+$/.test(value)) {
		throw createValidationError(
			read.node,
			`'${displayName}' must be a numeric ID, got '${value}'`,
			{ itemIndex: read.itemIndex, description: 'Department and tag IDs are whole numbers.' },
		);
	}
	return { mode, value };
}
