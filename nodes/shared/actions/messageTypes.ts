import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { AnyZodObject } from 'zod';

import { createValidationError } from '../errors';
import type { ParameterReader } from './parameters';

/**
 * One message type of a send operation, in one place: its dropdown entry, its fields and how its
 * body is built from them. Adding a message type is one entry in the platform's table.
 */
export interface MessageType<Extra = object> {
	value: string;
	name: string;
	description: string;
	/** Fields shown for this type only (display options for the type are added for you). */
	fields: INodeProperties[];
	/** The message body from this type's fields. */
	build(read: ParameterReader): IDataObject;
	/** What the platform accepts for this type, when the body is checked before sending. */
	schema?: AnyZodObject;
	/** Platform data about the type (e.g. whether WeCom documents `safe` for it). */
	extra?: Extra;
}

const TYPE_PARAMETER = 'messageType';

/** The Message Type dropdown followed by every type's fields, each shown only for its type. */
export function messageTypeProperties(
	types: Array<Pick<MessageType, 'value' | 'name' | 'description' | 'fields'>>,
	defaultType: string,
): INodeProperties[] {
	const fields = types.flatMap((type) =>
		type.fields.map((field) => ({
			...field,
			displayOptions: {
				...field.displayOptions,
				show: { ...field.displayOptions?.show, [TYPE_PARAMETER]: [type.value] },
			},
		})),
	);
	return [
		{
			displayName: 'Message Type',
			name: TYPE_PARAMETER,
			type: 'options',
			options: types.map(({ name, value, description }) => ({ name, value, description })),
			default: defaultType,
		},
		...fields,
	];
}

/** The item's chosen message type, refused with the list of types when it is unknown. */
export function chosenMessageType<T extends Pick<MessageType, 'value' | 'name'>>(
	types: T[],
	read: ParameterReader,
): T {
	const value = read.option<string>(TYPE_PARAMETER);
	const type = types.find((t) => t.value === value);
	if (!type) {
		throw createValidationError(read.node, `Unknown message type '${value}'`, {
			itemIndex: read.itemIndex,
			description: `Choose one of: ${types.map((t) => t.name).join(', ')}.`,
		});
	}
	return type;
}

/** The chosen type of an item and its body. */
export function buildMessage<Extra>(
	types: Array<MessageType<Extra>>,
	read: ParameterReader,
): { type: MessageType<Extra>; body: IDataObject } {
	const type = chosenMessageType(types, read);
	return { type, body: type.build(read) };
}
