import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { createValidationError } from '../errors';
import type { ParameterReader } from './parameters';

/** A file from the item's binary data, as the platform calls need it. */
export interface ItemFile {
	/** The binary field it came from, for errors. */
	field: string;
	data: Buffer;
	fileName: string;
	mimeType: string;
}

export const BINARY_FIELD_PARAMETER = 'binaryPropertyName';

/** The "Input Binary Field" parameter, with a hint on what the file must be. */
export const binaryFieldProperty = (hint: string): INodeProperties => ({
	displayName: 'Input Binary Field',
	name: BINARY_FIELD_PARAMETER,
	type: 'string',
	default: 'data',
	hint,
});

export const readBinaryFieldName = (read: ParameterReader): string =>
	read.text(BINARY_FIELD_PARAMETER, 'Input Binary Field').trim();

/**
 * The bytes of one binary field of the item, or an error naming the fields the item does have.
 * Operations check files while preparing and read them again when they send, so a run over many
 * items holds one file at a time instead of all of them.
 */
export async function readItemFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
): Promise<ItemFile> {
	const binary = ctx.getInputData()[itemIndex]?.binary;
	if (!binary?.[field]) {
		const present = Object.keys(binary ?? {});
		throw createValidationError(ctx.getNode(), `The item has no binary field '${field}'`, {
			itemIndex,
			description: present.length
				? `Its binary fields are: ${present.join(', ')}. Enter one of them in 'Input Binary Field'.`
				: 'The item has no binary data: read or download the file first (e.g. Read/Write Files from Disk, HTTP Request).',
		});
	}
	return {
		field,
		data: await ctx.helpers.getBinaryDataBuffer(itemIndex, field),
		fileName: binary[field].fileName ?? field,
		mimeType: binary[field].mimeType ?? 'application/octet-stream',
	};
}
