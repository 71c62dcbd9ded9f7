import type { INodeProperties } from 'n8n-workflow';

/**
 * A recipient ID list field (users, departments, tags) shown when "Send To" picks specific
 * recipients. It takes comma-separated text or an array from an expression (parseIdList reads both).
 */
export function recipientIdsField(field: {
	name: string;
	displayName: string;
	placeholder: string;
	description: string;
	sendToValue?: string;
}): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'string',
		default: '',
		placeholder: field.placeholder,
		description: field.description,
		displayOptions: { show: { sendTo: [field.sendToValue ?? 'specific'] } },
	};
}
