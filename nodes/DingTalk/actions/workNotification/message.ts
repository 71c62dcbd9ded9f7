import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { createValidationError } from '../../../shared/errors';
import { parseJsonField } from '../../../shared/validation';

/**
 * Work-notification message bodies (dingtalk-api.md §A4 "Message types"). Note the snake_case
 * `action_card` and `oa` keys next to the camelCase `link` keys: that is DingTalk's own mix.
 */
const nonEmpty = z.string().trim().min(1, 'must not be empty');
const mediaId = z.object({ media_id: nonEmpty }).passthrough();

export const workNotificationMessageSchema = z.discriminatedUnion('msgtype', [
	z
		.object({ msgtype: z.literal('text'), text: z.object({ content: nonEmpty }).passthrough() })
		.passthrough(),
	z.object({ msgtype: z.literal('image'), image: mediaId }).passthrough(),
	z
		.object({
			msgtype: z.literal('voice'),
			voice: z
				.object({
					media_id: nonEmpty,
					duration: z.union([z.string(), z.number()]).refine((d) => {
						const n = Number(d);
						return Number.isInteger(n) && n > 0 && n < 60;
					}, 'must be a whole number of seconds from 1 to 59'),
				})
				.passthrough(),
		})
		.passthrough(),
	z.object({ msgtype: z.literal('file'), file: mediaId }).passthrough(),
	z
		.object({
			msgtype: z.literal('link'),
			link: z
				.object({ messageUrl: nonEmpty, picUrl: nonEmpty, title: nonEmpty, text: nonEmpty })
				.passthrough(),
		})
		.passthrough(),
	z
		.object({
			msgtype: z.literal('oa'),
			oa: z
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
		})
		.passthrough(),
	z
		.object({
			msgtype: z.literal('markdown'),
			markdown: z.object({ title: nonEmpty, text: nonEmpty }).passthrough(),
		})
		.passthrough(),
	z
		.object({
			msgtype: z.literal('action_card'),
			action_card: z
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
		})
		.passthrough(),
]);

export type WorkNotificationMessage = z.infer<typeof workNotificationMessageSchema>;

/** DingTalk documents a 2048-byte limit for `msg`. */
export const MESSAGE_BYTE_LIMIT = 2048;

const show = (messageType: string[]) => ({ show: { messageType } });

export const messageFields: INodeProperties[] = [
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		options: [
			{
				name: 'Action Card',
				value: 'action_card',
				description: 'Markdown card with one or more buttons',
			},
			{ name: 'Custom JSON', value: 'json', description: 'Any message type as a JSON msg object' },
			{ name: 'File', value: 'file', description: 'A file uploaded to DingTalk, by media ID' },
			{ name: 'Image', value: 'image', description: 'An image uploaded to DingTalk, by media ID' },
			{ name: 'Link', value: 'link', description: 'A link card with title, text and picture' },
			{ name: 'Markdown', value: 'markdown', description: 'Formatted text' },
			{ name: 'OA', value: 'oa', description: 'An OA card with header, form rows and status bar' },
			{ name: 'Text', value: 'text', description: 'Plain text' },
			{
				name: 'Voice',
				value: 'voice',
				description: 'A voice clip uploaded to DingTalk, by media ID',
			},
		],
		default: 'text',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: show(['text']),
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		required: true,
		description: 'Shown in the notification list and the chat preview',
		displayOptions: show(['markdown', 'link', 'action_card']),
	},
	{
		displayName: 'Markdown',
		name: 'markdown',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		required: true,
		description: 'Markdown text (DingTalk supports headings, bold, links, images and lists)',
		displayOptions: show(['markdown', 'action_card']),
	},
	{
		displayName: 'Text',
		name: 'linkText',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		displayOptions: show(['link']),
	},
	{
		displayName: 'Link URL',
		name: 'messageUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/report',
		description: 'Opened when the recipient taps the message',
		displayOptions: show(['link', 'oa']),
	},
	{
		displayName: 'Picture URL',
		name: 'picUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/cover.png',
		displayOptions: show(['link']),
	},
	{
		displayName: 'Buttons',
		name: 'buttonMode',
		type: 'options',
		options: [
			{ name: 'One Button', value: 'single' },
			{ name: 'Several Buttons', value: 'multiple' },
		],
		default: 'single',
		displayOptions: show(['action_card']),
	},
	{
		displayName: 'Button Title',
		name: 'singleTitle',
		type: 'string',
		default: 'View Details',
		displayOptions: { show: { messageType: ['action_card'], buttonMode: ['single'] } },
	},
	{
		displayName: 'Button URL',
		name: 'singleUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/approve',
		displayOptions: { show: { messageType: ['action_card'], buttonMode: ['single'] } },
	},
	{
		displayName: 'Button List',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button',
		default: {},
		displayOptions: { show: { messageType: ['action_card'], buttonMode: ['multiple'] } },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{ displayName: 'Title', name: 'title', type: 'string', default: '' },
					{
						displayName: 'URL',
						name: 'actionUrl',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com/approve',
					},
				],
			},
		],
	},
	{
		displayName: 'Button Layout',
		name: 'buttonOrientation',
		type: 'options',
		options: [
			{ name: 'Vertical', value: '0' },
			{ name: 'Horizontal', value: '1' },
		],
		default: '0',
		displayOptions: { show: { messageType: ['action_card'], buttonMode: ['multiple'] } },
	},
	{
		displayName: 'Header Text',
		name: 'oaHeadText',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show(['oa']),
	},
	{
		displayName: 'Header Color',
		name: 'oaHeadColor',
		type: 'color',
		default: '#1677FF',
		description: 'Background colour of the header',
		displayOptions: show(['oa']),
	},
	{
		displayName: 'Body Title',
		name: 'oaBodyTitle',
		type: 'string',
		default: '',
		displayOptions: show(['oa']),
	},
	{
		displayName: 'Body Content',
		name: 'oaBodyContent',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		displayOptions: show(['oa']),
	},
	{
		displayName: 'Form Rows',
		name: 'oaForm',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Row',
		default: {},
		description: 'Key-value rows; DingTalk shows at most 6',
		displayOptions: show(['oa']),
		options: [
			{
				displayName: 'Row',
				name: 'row',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'OA Options',
		name: 'oaOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['oa']),
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
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		default: '',
		required: true,
		description: 'ID returned by a DingTalk media upload (media/upload)',
		displayOptions: show(['image', 'file', 'voice']),
	},
	{
		displayName: 'Duration (Seconds)',
		name: 'voiceDuration',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 59 },
		default: 10,
		displayOptions: show(['voice']),
	},
	{
		displayName: 'Message JSON',
		name: 'messageJson',
		type: 'json',
		default: '{\n  "msgtype": "text",\n  "text": { "content": "Hello from n8n" }\n}',
		description: 'The msg object: a msgtype plus the object of that type, as in the DingTalk docs',
		displayOptions: show(['json']),
	},
];

/** ARGB as DingTalk wants it, from n8n's colour picker (#RRGGBB) or from an ARGB string. */
function toArgb(color: string): string {
	const hex = color.replace(/^#|^0x/i, '');
	return /^[0-9a-f]{6}$/i.test(hex) ? `FF${hex.toUpperCase()}` : hex.toUpperCase();
}

function requireText(
	ctx: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '');
	if (value.trim() === '') {
		throw createValidationError(ctx.getNode(), `'${displayName}' is empty`, { itemIndex });
	}
	return value;
}

/** Builds the `msg` object from the message fields of one item, validated like Custom JSON. */
export function buildWorkNotificationMessage(
	ctx: IExecuteFunctions,
	itemIndex: number,
): WorkNotificationMessage {
	const node = ctx.getNode();
	const type = ctx.getNodeParameter('messageType', itemIndex) as string;
	const text = (name: string, displayName: string) =>
		requireText(ctx, name, displayName, itemIndex);
	let msg: IDataObject;
	switch (type) {
		case 'text':
			msg = { msgtype: 'text', text: { content: text('text', 'Text') } };
			break;
		case 'markdown':
			msg = {
				msgtype: 'markdown',
				markdown: { title: text('title', 'Title'), text: text('markdown', 'Markdown') },
			};
			break;
		case 'link':
			msg = {
				msgtype: 'link',
				link: {
					title: text('title', 'Title'),
					text: text('linkText', 'Text'),
					messageUrl: text('messageUrl', 'Link URL'),
					picUrl: text('picUrl', 'Picture URL'),
				},
			};
			break;
		case 'action_card': {
			const card: IDataObject = {
				title: text('title', 'Title'),
				markdown: text('markdown', 'Markdown'),
			};
			if (ctx.getNodeParameter('buttonMode', itemIndex) === 'single') {
				card.single_title = text('singleTitle', 'Button Title');
				card.single_url = text('singleUrl', 'Button URL');
			} else {
				const buttons = ctx.getNodeParameter('buttons.button', itemIndex, []) as Array<{
					title: string;
					actionUrl: string;
				}>;
				if (!buttons.length) {
					throw createValidationError(node, "'Button List' needs at least one button", {
						itemIndex,
					});
				}
				card.btn_orientation = ctx.getNodeParameter('buttonOrientation', itemIndex, '0') as string;
				card.btn_json_list = buttons.map((b) => ({ title: b.title, action_url: b.actionUrl }));
			}
			msg = { msgtype: 'action_card', action_card: card };
			break;
		}
		case 'oa': {
			const options = ctx.getNodeParameter('oaOptions', itemIndex, {}) as IDataObject;
			const rows = ctx.getNodeParameter('oaForm.row', itemIndex, []) as Array<{
				key: string;
				value: string;
			}>;
			const body: IDataObject = {};
			const bodyTitle = ctx.getNodeParameter('oaBodyTitle', itemIndex, '') as string;
			const bodyContent = ctx.getNodeParameter('oaBodyContent', itemIndex, '') as string;
			if (bodyTitle) body.title = bodyTitle;
			if (bodyContent) body.content = bodyContent;
			if (rows.length) body.form = rows.map((row) => ({ key: row.key, value: row.value }));
			if (options.author) body.author = options.author;
			if (options.image) body.image = options.image;
			if (options.richNum) body.rich = { num: options.richNum, unit: options.richUnit ?? '' };
			const oa: IDataObject = {
				message_url: text('messageUrl', 'Link URL'),
				head: {
					bgcolor: toArgb(String(ctx.getNodeParameter('oaHeadColor', itemIndex, '#1677FF'))),
					text: text('oaHeadText', 'Header Text'),
				},
				body,
			};
			if (options.pcMessageUrl) oa.pc_message_url = options.pcMessageUrl;
			if (options.statusValue)
				oa.status_bar = { status_value: options.statusValue, status_bg: options.statusBg ?? '' };
			msg = { msgtype: 'oa', oa };
			break;
		}
		case 'image':
		case 'file':
			msg = { msgtype: type, [type]: { media_id: text('mediaId', 'Media ID') } };
			break;
		case 'voice':
			msg = {
				msgtype: 'voice',
				voice: {
					media_id: text('mediaId', 'Media ID'),
					duration: String(ctx.getNodeParameter('voiceDuration', itemIndex, 10)),
				},
			};
			break;
		case 'json':
			return parseJsonField(
				node,
				ctx.getNodeParameter('messageJson', itemIndex),
				workNotificationMessageSchema,
				{
					displayName: 'Message JSON',
					itemIndex,
				},
			);
		default:
			throw createValidationError(node, `Unknown message type '${type}'`, { itemIndex });
	}
	return parseJsonField(node, msg, workNotificationMessageSchema, {
		displayName: 'Message',
		itemIndex,
	});
}
