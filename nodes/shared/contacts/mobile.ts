import type { INodeProperties } from 'n8n-workflow';

import { createValidationError } from '../errors';
import type { ParameterReader } from '../actions/parameters';

/**
 * A mobile number as both platforms store it: digits, optionally after a "+country-" prefix
 * (DingTalk writes overseas numbers as "+852-12345678"). Spaces are dropped before checking.
 */
export const MOBILE_PATTERN = '^(\\+\\d{1,4}-?)?\\d{5,15}$';
const MOBILE = new RegExp(MOBILE_PATTERN);

export function checkMobile(read: ParameterReader, value: string, displayName: string): string {
	const mobile = value.replace(/\s+/g, '');
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
