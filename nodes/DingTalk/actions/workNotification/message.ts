import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { MessageType } from '../../../shared/actions/messageTypes';
import { buildMessage } from '../../../shared/actions/messageTypes';
import type { ParameterReader } from '../../../shared/actions/parameters';
import { textRowsProperty } from '../../../shared/actions/parameters';
import { actionCardButtonFields, readActionCardButtons } from '../actionCardButtons';
import { parseJsonField } from '../../../shared/validation';

/**
 * Work-notification message bodies. Note the snake_case `action_card` and `oa` keys next to the
 * camelCase `link` keys: that is DingTalk's own mix.
 * https://open.dingtalk.com/document/development/message-types-and-data-format
 */
const nonEmpty = z.string().trim().min(1, 'must not be empty');
const mediaId = z.object({ media_id: nonEmpty }).passthrough();

/** The `msg` object of one type: `{ msgtype, [msgtype]: body }`, other keys kept. */
const msgOf = <T extends string>(msgtype: T, body: z.ZodTypeAny) =>
	z.object({ msgtype: z.literal(msgtype), [msgtype]: body }).passthrough();

export type WorkNotificationMessage = IDataObject & { msgtype: string };

/** DingTalk documents a 2048-byte limit for `msg`. */
export const MESSAGE_BYTE_LIMIT = 2048;

const textField = (
	name: string,
	displayName: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties =>
	({ displayName, name, type: 'string', default: '', required: true, ...extra }) as INodeProperties;

const titleField = textField('title', 'Title', {
	description: 'Shown in the notification list and the chat preview',
});
const markdownField = textField('markdown', 'Markdown', {
	typeOptions: { rows: 6 },
	description: 'Markdown text (DingTalk supports headings, bold, links, images and lists)',
});
const linkUrlField = textField('messageUrl', 'Link URL', {
	placeholder: 'e.g. https://example.com/report',
	description: 'Opened when the recipient taps the message',
});
const mediaIdField = textField('mediaId', 'Media ID', {
	description: 'ID returned by a DingTalk media upload (media/upload)',
});

/** ARGB as DingTalk wants it, from n8n's colour picker (#RRGGBB) or from an ARGB string. */
function toArgb(color: string): string {
	const hex = color.replace(/^#|^0x/i, '');
	return /^[0-9a-f]{6}$/i.test(hex) ? `FF${hex.toUpperCase()}` : hex.toUpperCase();
}

function mediaMessage(value: 'image' | 'file', name: string, description: string): MessageType {
	return {
		value,
		schema: msgOf(value, mediaId),
		name,
		description,
		fields: [mediaIdField],
		build: (read) => ({ msgtype: value, [value]: { media_id: read.text('mediaId', 'Media ID') } }),
	};
}

function actionCard(read: ParameterReader): IDataObject {
	const card: IDataObject = {
		title: read.text('title', 'Title'),
		markdown: read.text('markdown', 'Markdown'),
	};
	const buttons = readActionCardButtons(read);
	if ('single' in buttons) {
		card.single_title = buttons.single.title;
		card.single_url = buttons.single.url;
	} else {
		card.btn_orientation = buttons.orientation;
		card.btn_json_list = buttons.list.map((b) => ({ title: b.title, action_url: b.url }));
	}
	return { msgtype: 'action_card', action_card: card };
}

function oaMessage(read: ParameterReader): IDataObject {
	const option = (key: string, displayName: string) =>
		read.optionalText(`oaOptions.${key}`, displayName);
	const body: IDataObject = {};
	const bodyTitle = read.optionalText('oaBodyTitle', 'Body Title');
	const bodyContent = read.optionalText('oaBodyContent', 'Body Content');
	const rows = read.rows('oaForm.row', { key: 'Key', value: 'Value' });
	if (bodyTitle) body.title = bodyTitle;
	if (bodyContent) body.content = bodyContent;
	if (rows.length) body.form = rows.map((row) => ({ key: row.key, value: row.value }));
	const author = option('author', 'Author');
	const image = option('image', 'Image Media ID');
	const richNum = option('richNum', 'Rich Number');
	if (author) body.author = author;
	if (image) body.image = image;
	if (richNum) body.rich = { num: richNum, unit: option('richUnit', 'Rich Unit') };
	const oa: IDataObject = {
		message_url: read.text('messageUrl', 'Link URL'),
		head: {
			bgcolor: toArgb(read.optionalText('oaHeadColor', 'Header Color') || '#1677FF'),
			text: read.text('oaHeadText', 'Header Text'),
		},
		body,
	};
	const pcMessageUrl = option('pcMessageUrl', 'PC Link URL');
	const statusValue = option('statusValue', 'Status Text');
	if (pcMessageUrl) oa.pc_message_url = pcMessageUrl;
	if (statusValue) {
		oa.status_bar = {
			status_value: statusValue,
			status_bg: option('statusBg', 'Status Background'),
		};
	}
	return { msgtype: 'oa', oa };
}

/** Every work-notification message type: one entry each. */
export const WORK_NOTIFICATION_MESSAGE_TYPES: MessageType[] = [
	{
		value: 'text',
		schema: msgOf('text', z.object({ content: nonEmpty }).passthrough()),
		name: 'Text',
		description: 'Plain text',
		fields: [textField('text', 'Text', { typeOptions: { rows: 4 } })],
		build: (read) => ({ msgtype: 'text', text: { content: read.text('text', 'Text') } }),
	},
	{
		value: 'markdown',
		schema: msgOf('markdown', z.object({ title: nonEmpty, text: nonEmpty }).passthrough()),
		name: 'Markdown',
		description: 'Formatted text',
		fields: [titleField, markdownField],
		build: (read) => ({
			msgtype: 'markdown',
			markdown: { title: read.text('title', 'Title'), text: read.text('markdown', 'Markdown') },
		}),
	},
	{
		value: 'link',
		schema: msgOf(
			'link',
			z
				.object({ messageUrl: nonEmpty, picUrl: nonEmpty, title: nonEmpty, text: nonEmpty })
				.passthrough(),
		),
		name: 'Link',
		description: 'A link card with title, text and picture',
		fields: [
			titleField,
			textField('linkText', 'Text', { typeOptions: { rows: 3 } }),
			linkUrlField,
			textField('picUrl', 'Picture URL', { placeholder: 'e.g. https://example.com/cover.png' }),
		],
		build: (read) => ({
			msgtype: 'link',
			link: {
				title: read.text('title', 'Title'),
				text: read.text('linkText', 'Text'),
				messageUrl: read.text('messageUrl', 'Link URL'),
				picUrl: read.text('picUrl', 'Picture URL'),
			},
		}),
	},
	{
		value: 'action_card',
		schema: msgOf(
			'action_card',
			z
				.object({
					title: nonEmpty,
					markdown: nonEmpty,
					single_title: z.string().optional(),
					single_url: z.string().optional(),
					btn_orientation: z.enum(['0', '1']).optional(),
					btn_json_list: z
						.array(z.object({ title: nonEmpty, action_url: nonEmpty }).passthrough())
						.optional(),
				})
				.passthrough()
				.refine((card) => Boolean(card.single_url) || Boolean(card.btn_json_list?.length), {
					message: 'needs single_title + single_url, or btn_json_list',
				}),
		),
		name: 'Action Card',
		description: 'Markdown card with one or more buttons',
		fields: [titleField, markdownField, ...actionCardButtonFields],
		build: actionCard,
	},
	{
		value: 'oa',
		schema: msgOf(
			'oa',
			z
				.object({
					message_url: z.string().optional(),
					head: z
						.object({
							bgcolor: z.string().regex(/^[0-9A-Fa-f]{8}$/, 'must be 8 hex digits (ARGB)'),
							text: z.string(),
						})
						.passthrough(),
					body: z.record(z.unknown()),
				})
				.passthrough(),
		),
		name: 'OA',
		description: 'An OA card with header, form rows and status bar',
		fields: [
			linkUrlField,
			textField('oaHeadText', 'Header Text'),
			{
				displayName: 'Header Color',
				name: 'oaHeadColor',
				type: 'color',
				default: '#1677FF',
				description: 'Background colour of the header',
			},
			{ displayName: 'Body Title', name: 'oaBodyTitle', type: 'string', default: '' },
			{
				displayName: 'Body Content',
				name: 'oaBodyContent',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
			},
			textRowsProperty({
				displayName: 'Form Rows',
				name: 'oaForm',
				placeholder: 'Add Row',
				description: 'Key-value rows; DingTalk shows at most 6',
				row: { displayName: 'Row', name: 'row' },
				fields: [
					{ displayName: 'Key', name: 'key' },
					{ displayName: 'Value', name: 'value' },
				],
			}),
			{
				displayName: 'OA Options',
				name: 'oaOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{ displayName: 'Author', name: 'author', type: 'string', default: '' },
					{ displayName: 'Image Media ID', name: 'image', type: 'string', default: '' },
					{ displayName: 'PC Link URL', name: 'pcMessageUrl', type: 'string', default: '' },
					{
						displayName: 'Rich Number',
						name: 'richNum',
						type: 'string',
						default: '',
						description: 'A highlighted number, e.g. an amount',
					},
					{ displayName: 'Rich Unit', name: 'richUnit', type: 'string', default: '' },
					{
						displayName: 'Status Background',
						name: 'statusBg',
						type: 'string',
						default: '',
						placeholder: 'e.g. 0xFFF65E5E',
						description:
							'Status bar colour; DingTalk shows the status bar only for up to 5 users sent by user ID',
					},
					{ displayName: 'Status Text', name: 'statusValue', type: 'string', default: '' },
				],
			},
		],
		build: oaMessage,
	},
	mediaMessage('image', 'Image', 'An image uploaded to DingTalk, by media ID'),
	mediaMessage('file', 'File', 'A file uploaded to DingTalk, by media ID'),
	{
		value: 'voice',
		schema: msgOf(
			'voice',
			z
				.object({
					media_id: nonEmpty,
					duration: z.union([z.string(), z.number()]).refine((d) => {
						const n = Number(d);
						return Number.isInteger(n) && n > 0 && n < 60;
					}, 'must be a whole number of seconds from 1 to 59'),
				})
				.passthrough(),
		),
		name: 'Voice',
		description: 'A voice clip uploaded to DingTalk, by media ID',
		fields: [
			mediaIdField,
			{
				displayName: 'Duration (Seconds)',
				name: 'voiceDuration',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 59 },
				default: 10,
			},
		],
		build: (read) => ({
			msgtype: 'voice',
			voice: {
				media_id: read.text('mediaId', 'Media ID'),
				duration: String(
					read.integer('voiceDuration', 'Duration (Seconds)', { min: 1, max: 59, fallback: 10 }),
				),
			},
		}),
	},
	{
		value: 'json',
		name: 'Custom JSON',
		description: 'Any message type as a JSON msg object',
		fields: [
			{
				displayName: 'Message JSON',
				name: 'messageJson',
				type: 'json',
				default: '{\n  "msgtype": "text",\n  "text": { "content": "Hello from n8n" }\n}',
				description:
					'The msg object: a msgtype plus the object of that type, as in the DingTalk docs',
			},
		],
		build: (read) =>
			read.json('messageJson', 'Message JSON', workNotificationMessageSchema) as IDataObject,
	},
];

/**
 * Every `msg` DingTalk accepts, from the table: Custom JSON and the built messages are checked
 * against it alike.
 */
export const workNotificationMessageSchema = z.discriminatedUnion(
	'msgtype',
	WORK_NOTIFICATION_MESSAGE_TYPES.flatMap((type) => (type.schema ? [type.schema] : [])) as [
		z.AnyZodObject,
		z.AnyZodObject,
		...z.AnyZodObject[],
	],
);

/** Builds the `msg` object from the message fields of one item, validated like Custom JSON. */
export function buildWorkNotificationMessage(read: ParameterReader): WorkNotificationMessage {
	const { body } = buildMessage(WORK_NOTIFICATION_MESSAGE_TYPES, read);
	return parseJsonField(read.node, body, workNotificationMessageSchema, {
		displayName: 'Message',
		itemIndex: read.itemIndex,
	}) as WorkNotificationMessage;
}
