import { createHash } from 'crypto';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	listProperties,
	type ListSpec,
	type ParameterReader,
	readListRows,
} from '../../../shared/actions/parameters';
import type { RobotBinaryMessage, RobotMessageType } from '../../../shared/robot/sendOperation';
import { customJsonMessageType } from '../../../shared/robot/sendOperation';
import { binaryFieldProperty } from '../../../shared/actions/binaryInput';
import { createValidationError } from '../../../shared/errors';
import { parseIdList } from '../../../shared/validation';

/**
 * WeCom group robot message bodies. https://developer.work.weixin.qq.com/document/path/91770
 * Fields are not marked required: n8n would then flag them on other resources of the node whenever
 * the message type comes from an expression; the builders refuse an empty one, naming the field.
 * Image, file and voice take their content from the item's binary data (see RobotBinaryMessage).
 */
const TEXT_MAX_BYTES = 2048;
/** upload_media: every file over 5 bytes; files up to 20 MB, voices (AMR) up to 2 MB. */
const UPLOAD_MAX_BYTES = { file: 20 * 1024 * 1024, voice: 2 * 1024 * 1024 };
const MARKDOWN_MAX_BYTES = 4096;
const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
const MAX_ARTICLES = 8;

function limitedText(
	read: ParameterReader,
	name: string,
	displayName: string,
	maxBytes: number,
): string {
	const text = read.text(name, displayName);
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > maxBytes) {
		throw createValidationError(
			read.node,
			`'${displayName}' is ${bytes} bytes, more than WeCom's ${maxBytes}`,
			{
				itemIndex: read.itemIndex,
				description:
					'Shorten it (Chinese characters take 3 bytes each), or split it over several messages.',
			},
		);
	}
	return text;
}

const contentField = (name: string, displayName: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	typeOptions: { rows: 5 },
	default: '',
	placeholder,
});

/** upload_media refuses files of 5 bytes or fewer, and voices that are not AMR. */
function uploadCheck(type: 'file' | 'voice'): RobotBinaryMessage['check'] {
	return ({ field, data }, read) => {
		const max = UPLOAD_MAX_BYTES[type];
		if (data.length <= 5 || data.length > max) {
			throw createValidationError(
				read.node,
				`The ${type} in '${field}' is ${data.length} bytes; WeCom takes more than 5 bytes and up to ${max / 1048576} MB`,
				{ itemIndex: read.itemIndex },
			);
		}
		if (type === 'voice' && !data.subarray(0, 6).equals(Buffer.from('#!AMR\n', 'latin1'))) {
			throw createValidationError(read.node, `The voice in '${field}' is not an AMR recording`, {
				itemIndex: read.itemIndex,
				description:
					'WeCom robots play AMR voices of up to 60 s only; convert the recording first.',
			});
		}
	};
}

/** JPG and PNG, told by their first bytes (the only formats the robot shows). */
function imageFormat(data: Buffer): 'jpg' | 'png' | undefined {
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
	if (
		data.length >= 8 &&
		data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
	)
		return 'png';
	return undefined;
}

/** News articles, from fields or a JSON array in WeCom's own shape. */
const NEWS_ARTICLES: ListSpec<'title' | 'description' | 'url' | 'picurl'> = {
	displayName: 'Articles',
	name: 'articles',
	row: { displayName: 'Article', name: 'article' },
	fields: [
		{ displayName: 'Title', name: 'title' },
		{ displayName: 'Description', name: 'description' },
		{ displayName: 'URL', name: 'url', placeholder: 'e.g. https://example.com/news/1' },
		{
			displayName: 'Picture URL',
			name: 'picurl',
			placeholder: 'e.g. https://example.com/1.png',
			aliases: ['picUrl'],
		},
	],
	example: { title: 'Report', description: 'Daily figures', url: 'https://example.com/report' },
};

export const ROBOT_MESSAGE_TYPES: RobotMessageType[] = [
	{
		value: 'text',
		name: 'Text',
		description: 'Plain text, with mentions',
		fields: [
			contentField('content', 'Text', 'e.g. Disk usage on db-1 is 93%'),
			{
				displayName: 'Mention Everyone',
				name: 'mentionAll',
				type: 'boolean',
				default: false,
				description: 'Whether to @ everyone in the group (@all)',
			},
			{
				displayName: 'Mention User IDs',
				name: 'mentionUserIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. ZhangSan, LiSi',
				description: 'UserIDs of members to @, separated by commas, or an array from an expression',
			},
			{
				displayName: 'Mention Mobiles',
				name: 'mentionMobiles',
				type: 'string',
				default: '',
				placeholder: 'e.g. 13700000001',
				description:
					'Mobile numbers of members to @, separated by commas, or an array from an expression',
			},
		],
		build: (read) => {
			const userIds = parseIdList(read.node, read.raw('mentionUserIds', ''), {
				displayName: 'Mention User IDs',
				itemIndex: read.itemIndex,
			});
			const mobiles = parseIdList(read.node, read.raw('mentionMobiles', ''), {
				displayName: 'Mention Mobiles',
				itemIndex: read.itemIndex,
			});
			if (read.boolean('mentionAll', 'Mention Everyone') && !userIds.includes('@all'))
				userIds.push('@all');
			return {
				msgtype: 'text',
				text: {
					content: limitedText(read, 'content', 'Text', TEXT_MAX_BYTES),
					...(userIds.length ? { mentioned_list: userIds } : {}),
					...(mobiles.length ? { mentioned_mobile_list: mobiles } : {}),
				},
			};
		},
	},
	{
		value: 'markdown',
		name: 'Markdown',
		description: 'Markdown with font colours; mention with &lt;@userid&gt;',
		fields: [
			contentField(
				'content',
				'Markdown',
				'e.g. **Build failed** <font color="warning">main</font>',
			),
		],
		build: (read) => ({
			msgtype: 'markdown',
			markdown: { content: limitedText(read, 'content', 'Markdown', MARKDOWN_MAX_BYTES) },
		}),
	},
	{
		value: 'markdown_v2',
		name: 'Markdown V2',
		description: 'Markdown with tables, lists and images (no colours or mentions)',
		fields: [
			contentField('content', 'Markdown', 'e.g. | Host | CPU |\n| --- | --- |\n| db-1 | 93% |'),
		],
		build: (read) => ({
			msgtype: 'markdown_v2',
			markdown_v2: { content: limitedText(read, 'content', 'Markdown', MARKDOWN_MAX_BYTES) },
		}),
	},
	{
		value: 'image',
		name: 'Image',
		description: "A JPG or PNG of up to 2 MB from the item's binary data",
		fields: [
			binaryFieldProperty('The input binary field holding the image: a JPG or PNG of up to 2 MB'),
		],
		binary: {
			check: ({ field, data }, read) => {
				if (data.length > IMAGE_MAX_BYTES) {
					throw createValidationError(
						read.node,
						`The image in '${field}' is ${(data.length / 1048576).toFixed(1)} MB, more than WeCom's 2 MB`,
						{
							itemIndex: read.itemIndex,
							description:
								'Send a smaller image (resize or compress it first, e.g. with the Edit Image node).',
						},
					);
				}
				if (!imageFormat(data)) {
					throw createValidationError(
						read.node,
						`The file in '${field}' is not a JPG or PNG image`,
						{
							itemIndex: read.itemIndex,
							description:
								'WeCom robots show JPG and PNG images only; convert it first (e.g. with the Edit Image node).',
						},
					);
				}
			},
			message: ({ data }) => ({
				msgtype: 'image',
				image: {
					base64: data.toString('base64'),
					md5: createHash('md5').update(data).digest('hex'),
				},
			}),
		},
	},
	{
		value: 'news',
		name: 'News',
		description: 'One to eight article links with title, description and picture',
		fields: listProperties(NEWS_ARTICLES),
		build: (read) => {
			const rows = readListRows(read, NEWS_ARTICLES);
			if (rows.length < 1 || rows.length > MAX_ARTICLES) {
				throw createValidationError(
					read.node,
					`'Articles' has ${rows.length} articles; WeCom takes 1 to ${MAX_ARTICLES}`,
					{
						itemIndex: read.itemIndex,
					},
				);
			}
			rows.forEach((row, index) => {
				if (!row.title.trim() || !row.url.trim())
					throw createValidationError(read.node, `Article ${index + 1} needs a title and a URL`, {
						itemIndex: read.itemIndex,
					});
			});
			return {
				msgtype: 'news',
				news: {
					articles: rows.map((row) => ({
						title: row.title,
						url: row.url,
						...(row.description ? { description: row.description } : {}),
						...(row.picurl ? { picurl: row.picurl } : {}),
					})),
				},
			};
		},
	},
	{
		value: 'template_card',
		name: 'Template Card',
		description: 'A text notice or news notice card that opens a link when clicked',
		fields: [
			{
				displayName: 'Card Type',
				name: 'cardType',
				type: 'options',
				options: [
					{
						name: 'Text Notice',
						value: 'text_notice',
						description: 'Title, an emphasised figure and text',
					},
					{ name: 'News Notice', value: 'news_notice', description: 'Title and a large image' },
				],
				default: 'text_notice',
			},
			{
				...contentField('cardTitle', 'Title', 'e.g. Deploy finished'),
				typeOptions: {},
				description:
					'Best kept to 26 characters (longer may be cut off). A news notice needs it; a text notice needs it or the Text below.',
			},
			{
				displayName: 'Description',
				name: 'cardDescription',
				type: 'string',
				default: '',
				description: 'Under the title; best kept to 30 characters',
			},
			{
				displayName: 'Emphasised Figure',
				name: 'emphasisTitle',
				type: 'string',
				default: '',
				placeholder: 'e.g. 99.9%',
				description: 'A large figure in the middle of the card; best kept to 10 characters',
				displayOptions: { show: { cardType: ['text_notice'] } },
			},
			{
				displayName: 'Emphasised Figure Label',
				name: 'emphasisDescription',
				type: 'string',
				default: '',
				placeholder: 'e.g. uptime this month',
				description: 'Under the figure; best kept to 15 characters',
				displayOptions: { show: { cardType: ['text_notice'] } },
			},
			{
				displayName: 'Text',
				name: 'subTitleText',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Best kept to 112 characters (longer may be cut off)',
				displayOptions: { show: { cardType: ['text_notice'] } },
			},
			{
				...contentField('cardImageUrl', 'Image URL', 'e.g. https://example.com/chart.png'),
				typeOptions: {},
				displayOptions: { show: { cardType: ['news_notice'] } },
			},
			{
				...contentField('cardUrl', 'Link URL', 'e.g. https://example.com/deploys/42'),
				typeOptions: {},
				description: 'Opened when the card is clicked',
			},
		],
		build: (read) => {
			const cardType =
				read.option<string>('cardType', 'text_notice') === 'news_notice'
					? 'news_notice'
					: 'text_notice';
			const title = read.optionalText('cardTitle', 'Title');
			const description = read.optionalText('cardDescription', 'Description');
			// WeCom recommends lengths for the card's texts (26, 30, 10, 15 and 112 characters) but
			// does not refuse longer ones: https://developer.work.weixin.qq.com/document/path/91770
			const card: IDataObject = {
				card_type: cardType,
				card_action: { type: 1, url: read.text('cardUrl', 'Link URL') },
			};
			if (title || description)
				card.main_title = {
					...(title ? { title } : {}),
					...(description ? { desc: description } : {}),
				};
			if (cardType === 'news_notice') {
				if (!title) read.text('cardTitle', 'Title');
				card.card_image = { url: read.text('cardImageUrl', 'Image URL') };
			} else {
				const figure = read.optionalText('emphasisTitle', 'Emphasised Figure');
				const label = read.optionalText('emphasisDescription', 'Emphasised Figure Label');
				if (figure || label) card.emphasis_content = { title: figure, desc: label };
				const text = read.optionalText('subTitleText', 'Text');
				if (text) card.sub_title_text = text;
				if (!title && !text) {
					throw createValidationError(read.node, "A text notice card needs a 'Title' or a 'Text'", {
						itemIndex: read.itemIndex,
						description: 'Fill in at least one of them.',
					});
				}
			}
			return { msgtype: 'template_card', template_card: card };
		},
	},
	{
		value: 'file',
		name: 'File',
		description: "A file of up to 20 MB from the item's binary data, uploaded to the robot first",
		fields: [binaryFieldProperty('The input binary field holding the file: up to 20 MB')],
		binary: { check: uploadCheck('file'), message: { upload: 'file' } },
	},
	{
		value: 'voice',
		name: 'Voice',
		description:
			"An AMR voice of up to 2 MB from the item's binary data, uploaded to the robot first",
		fields: [
			binaryFieldProperty('The input binary field holding the voice: AMR, up to 2 MB and 60 s'),
		],
		binary: { check: uploadCheck('voice'), message: { upload: 'voice' } },
	},
	customJsonMessageType('Any robot message body from the WeCom docs (e.g. an interactive card)'),
];
