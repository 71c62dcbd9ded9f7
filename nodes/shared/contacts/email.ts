import { createValidationError } from '../errors';
import type { ParameterReader } from '../actions/parameters';

/** An address with one @ and a dot in the domain: enough to catch a name or a mobile typed instead. */
export const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$';
const EMAIL = new RegExp(EMAIL_PATTERN);

export function checkEmail(read: ParameterReader, value: string, displayName: string): string {
	const email = value.trim();
	if (!EMAIL.test(email)) {
		throw createValidationError(
			read.node,
			`'${displayName}' is not an e-mail address: '${value}'`,
			{
				itemIndex: read.itemIndex,
				description:
					'Enter the address as the member has it in the contacts, e.g. zhangsan@example.com.',
			},
		);
	}
	return email;
}
