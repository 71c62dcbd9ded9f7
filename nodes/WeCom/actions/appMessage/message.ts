import type { INodeProperties } from 'n8n-workflow';

import type { MessageType } from '../../../shared/actions/messageTypes';
import type { ParameterReader } from '../../../shared/actions/parameters';
import { createValidationError } from '../../../shared/errors';

/**
 * What WeCom documents per app-message type beyond its body: whether the message may be sent
 * as confidential (`safe`).
 * https://developer.work.weixin.qq.com/document/path/90236
 */
export interface AppMessageTypeData {
	supportsSafe: boolean;
}

const contentField = (description: string): INodeProperties => ({
	displayName: 'Content',
	name: 'content',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	description,
});

function content(read: ParameterReader, maxBytes: number, typeName: string): string {
	const value = read.text('content', 'Content');
	const bytes = Buffer.byteLength(value, 'utf8');
	if (bytes > maxBytes) {
		throw createValidationError(
			read.node,
			`'Content' is ${bytes} bytes; WeCom accepts at most ${maxBytes} for ${typeName}`,
			{
				itemIndex: read.itemIndex,
				description:
					'Shorten the text or split it over several messages (Chinese characters take 3 bytes each).',
			},
		);
	}
	return value;
}

/** Every app-message type: one entry each. */
export const APP_MESSAGE_TYPES: Array<MessageType<AppMessageTypeData>> = [
	{
		value: 'text',
		name: 'Text',
		description: 'Plain text, up to 2048 bytes',
		fields: [contentField('Message text')],
		build: (read) => ({ content: content(read, 2048, 'text') }),
		extra: { supportsSafe: true },
	},
	{
		value: 'markdown',
		name: 'Markdown',
		description: 'Formatted text (shown in the WeCom app only)',
		fields: [
			contentField(
				'WeCom markdown such as **bold**, [link](https://…) and &lt;font color="info"&gt;…&lt;/font&gt;',
			),
		],
		build: (read) => ({ content: content(read, 2048, 'markdown') }),
		extra: { supportsSafe: false },
	},
];
