import type { INodeProperties } from 'n8n-workflow';

import { createValidationError } from '../errors';
import type { ParameterReader } from '../actions/parameters';

/**
 * A mobile number as both platforms store it: digits, optionally after a "+country-" prefix
 * (DingTalk writes overseas numbers as "+852-12345678"). Spaces are dropped before checking.
 */
export const MOBILE_PATTERN = '^(\\+\\d{1,4}-?)?\\d{5,15}$';
const MOBILE = new RegExp(MOBILE_PATTERN);

/**
 * As the contacts store numbers: without spaces or dashes inside the number, and mainland numbers
 * without +86 (both platforms keep those as the bare 11 digits); other country codes stay as
 * "+852-12345678".
 */
function normaliseMobile(value: string): string {
	// A country code is told apart by the space or dash after it ("+852 1234 5678").
	const compact = value
		.trim()
		.replace(/^(\+\d{1,4})[\s-]+/, '$1-')
		.replace(/\s+/g, '');
	const prefixed = /^(\+\d{1,4})-([\d-]+)$/.exec(compact);
	if (prefixed) {
		const local = prefixed[2].replace(/-/g, '');
		return prefixed[1] === '+86' ? local : `${prefixed[1]}-${local}`;
	}
	const mainland = /^\+86(1\d{10})$/.exec(compact);
	if (mainland) return mainland[1];
	return compact.replace(/(?<=\d)-(?=\d)/g, '');
}

export function checkMobile(read: ParameterReader, value: string, displayName: string): string {
	const mobile = normaliseMobile(value);
	if (!MOBILE.test(mobile)) {
		throw createValidationError(read.node, `'${displayName}' is not a mobile number: '${value}'`, {
			itemIndex: read.itemIndex,
			description:
				'Enter the digits of the number as the contacts store it, e.g. 13800000001, or +852-12345678 for a number outside mainland China.',
		});
	}
	return mobile;
}

export function readMobile(read: ParameterReader, name: string, displayName: string): string {
	return checkMobile(read, read.text(name, displayName).trim(), displayName);
}

/** The Mobile field of a Get by Mobile operation. */
export function mobileProperty(placeholder: string, description: string): INodeProperties {
	return {
		displayName: 'Mobile',
		name: 'mobile',
		type: 'string',
		required: true,
		default: '',
		placeholder,
		description,
	};
}
