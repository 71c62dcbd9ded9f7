import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { RobotMessageType } from '../../../shared/robot/sendOperation';
import { customJsonMessageType } from '../../../shared/robot/sendOperation';
import {
	listProperties,
	type ListSpec,
	type ParameterReader,
	readListRows,
} from '../../../shared/actions/parameters';
import { actionCardButtonFields, readActionCardButtons } from '../actionCardButtons';
import { createValidationError } from '../../../shared/errors';
import { parseIdList } from '../../../shared/validation';
import { readLocator } from '../../../shared/actions/resourceLocator';
import { checkMobile } from '../../../shared/contacts/mobile';
import { userLocator } from '../contactFields';

/**
 * Custom robot message bodies and mentions. Fields are not marked required: n8n would then flag
 * them on other resources of the node whenever the message type comes from an expression; the
 * builders below refuse an empty one, naming the field and the item.
 * https://open.dingtalk.com/document/development/custom-robots-send-group-messages
 */

/** DingTalk counts at most 50 people in one message's `at`. */
const MAX_MENTIONS = 50;

const textField = (
	name: string,
	displayName: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	...extra,
});

const title = textField('title', 'Title', {
	placeholder: 'e.g. Build failed',
	description:
		'Shown in the chat list and in the notification (the message itself shows the markdown)',
});
const markdown = textField('markdownText', 'Markdown', {
	typeOptions: { rows: 5 },
	placeholder: 'e.g. #### Build failed\n> branch **main**',
});

/** Mentions, for the types DingTalk shows them in (text and markdown). */
export const mentionFields: INodeProperties[] = [
	{
		displayName: 'Mention Everyone',
		name: 'mentionAll',
		type: 'boolean',
		default: false,
		description: 'Whether to @ everyone in the group (@所有人)',
	},
	{
		displayName: 'Mention Mobiles',
		name: 'mentionMobiles',
		type: 'string',
		default: '',
		placeholder: 'e.g. 13800000001, 13800000002',
		description:
			'Mobile numbers of the people to @, separated by commas, or an array from an expression',
	},
	{
		displayName: 'Mention User IDs',
		name: 'mentionUserIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. manager01',
		description:
			'DingTalk userids of the people to @, separated by commas, or an array from an expression',
	},
];

/**
 * The switch the node's credential list looks at: on, the node also asks for a DingTalk API
 * credential, only so the pickers below can list the app's contacts (the robot never uses it). It
 * is shown for every message type, because a credential rule cannot test the type as well.
 */
export const PICK_MENTIONS = 'pickMentionsFromContacts';

const MENTIONED_TYPES = ['text', 'markdown'];

/** The switch on every other resource: hidden and always on, so the app credential shows there. */
export const appCredentialSwitch: INodeProperties = {
	displayName: 'Use App Credential',
	name: PICK_MENTIONS,
	type: 'hidden',
	default: true,
	displayOptions: { hide: { resource: ['groupRobot'] } },
};

/**
 * The switch, first in the robot send's form: the credentials show just above it, so the robot's
 * stays near the top.
 */
export const mentionPickerSwitch: INodeProperties = {
	displayName: 'Pick Mentions From Contacts',
	name: PICK_MENTIONS,
	type: 'boolean',
	default: false,
	description:
		'Whether to choose the people to @ (in text and markdown messages) from your DingTalk contacts. Needs a DingTalk API credential of an app that may read contacts, besides the robot; the robot itself does not use it.',
	hint: 'On: choose a DingTalk API credential above (only the picker uses it), then add people under People to Mention',
};

/** The people picked when the switch is on, after the typed mentions. */
export const mentionPickerFields: INodeProperties[] = [
	{
		displayName: 'People to Mention',
		name: 'mentionPeople',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Person',
		default: {},
		description: 'Added to the mentions typed above',
		displayOptions: { show: { [PICK_MENTIONS]: [true], messageType: MENTIONED_TYPES } },
		options: [
			{
				displayName: 'Person',
				name: 'person',
				values: [
					userLocator({
						name: 'user',
						displayName: 'Person',
						description: 'Someone in the group, from the contacts, by userid or by mobile',
						// Inside a list n8n would flag the row before the node can name it; an empty
						// row is refused when the item runs, with its row number.
						required: false,
					}),
				],
			},
		],
	},
];

interface Mentions {
	all: boolean;
	mobiles: string[];
	userIds: string[];
}

/** The people picked from contacts: by mobile they are mentioned as mobiles, otherwise as userids. */
function pickedMentions(read: ParameterReader): Pick<Mentions, 'mobiles' | 'userIds'> {
	const picked = { mobiles: [] as string[], userIds: [] as string[] };
	if (!read.boolean(PICK_MENTIONS, 'Pick Mentions From Contacts')) return picked;
	const rows = read.raw('mentionPeople.person', []);
	if (!Array.isArray(rows)) return picked;
	rows.forEach((_row, index) => {
		const { mode, value } = readLocator(
			read,
			`mentionPeople.person[${index}].user`,
			`People to Mention (row ${index + 1})`,
			false,
		);
		if (mode === 'mobile')
			picked.mobiles.push(checkMobile(read, value, `People to Mention (row ${index + 1})`));
		else picked.userIds.push(value);
	});
	return picked;
}

function readMentions(read: ParameterReader): Mentions {
	const picked = pickedMentions(read);
	const unique = (values: string[]) => [...new Set(values)];
	const mentions = {
		all: read.boolean('mentionAll', 'Mention Everyone'),
		mobiles: unique([
			// As the contacts store them, so a number typed and also picked is mentioned once.
			...parseIdList(read.node, read.raw('mentionMobiles', ''), {
				displayName: 'Mention Mobiles',
				itemIndex: read.itemIndex,
			}).map((mobile) => checkMobile(read, mobile, 'Mention Mobiles')),
			...picked.mobiles,
		]),
		userIds: unique([
			...parseIdList(read.node, read.raw('mentionUserIds', ''), {
				displayName: 'Mention User IDs',
				itemIndex: read.itemIndex,
			}),
			...picked.userIds,
		]),
	};
	const count = mentions.mobiles.length + mentions.userIds.length;
	if (count > MAX_MENTIONS) {
		throw createValidationError(
			read.node,
			`${count} people to mention, more than DingTalk's ${MAX_MENTIONS}`,
			{
				itemIndex: read.itemIndex,
				description: `Mention at most ${MAX_MENTIONS} people per message, or use 'Mention Everyone'.`,
			},
		);
	}
	return mentions;
}

/**
 * DingTalk highlights a mention only when the text itself contains "@<mobile>" or "@<userid>"; the
 * `at` field alone notifies silently. Missing ones are appended.
 */
function withMentions(text: string, mentions: Mentions, separator: string): string {
	const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const missing = [...mentions.mobiles, ...mentions.userIds]
		// "@man" inside "@manager01" is not a mention of man.
		.filter((id) => !new RegExp(`@${escape(id)}(?![\\w-])`).test(text))
		.map((id) => `@${id}`);
	return missing.length ? `${text}${separator}${missing.join(' ')}` : text;
}

function mentioned(
	body: IDataObject,
	field: 'text' | 'markdown',
	read: ParameterReader,
): IDataObject {
	const mentions = readMentions(read);
	const key = field === 'text' ? 'content' : 'text';
	const part = body[field] as IDataObject;
	// In markdown the mentions go on a line of their own, not into a heading or quote above.
	part[key] = withMentions(String(part[key]), mentions, field === 'markdown' ? '\n\n' : ' ');
	return {
		...body,
		at: { atMobiles: mentions.mobiles, atUserIds: mentions.userIds, isAtAll: mentions.all },
	};
}

/** Feed-card links, from fields or a JSON array (which may use DingTalk's own key names). */
const FEED_LINKS: ListSpec<'title' | 'messageUrl' | 'picUrl'> = {
	displayName: 'Links',
	name: 'links',
	row: { displayName: 'Link', name: 'link' },
	fields: [
		{ displayName: 'Title', name: 'title' },
		{
			displayName: 'URL',
			name: 'messageUrl',
			placeholder: 'e.g. https://example.com/news/1',
			aliases: ['messageURL', 'url'],
		},
		{
			displayName: 'Picture URL',
			name: 'picUrl',
			placeholder: 'e.g. https://example.com/1.png',
			aliases: ['picURL'],
		},
	],
	example: { title: 'Report', messageUrl: 'https://example.com/report', picUrl: '' },
};

export const ROBOT_MESSAGE_TYPES: RobotMessageType[] = [
	{
		value: 'text',
		name: 'Text',
		description: 'Plain text, with mentions',
		fields: [
			textField('text', 'Text', {
				typeOptions: { rows: 4 },
				placeholder: 'e.g. Disk usage on db-1 is 93%',
			}),
			...mentionFields,
		],
		build: (read) =>
			mentioned({ msgtype: 'text', text: { content: read.text('text', 'Text') } }, 'text', read),
	},
	{
		value: 'markdown',
		name: 'Markdown',
		description: 'A titled markdown message, with mentions',
		fields: [title, markdown, ...mentionFields],
		build: (read) =>
			mentioned(
				{
					msgtype: 'markdown',
					markdown: {
						title: read.text('title', 'Title'),
						text: read.text('markdownText', 'Markdown'),
					},
				},
				'markdown',
				read,
			),
	},
	{
		value: 'link',
		name: 'Link',
		description: 'A link card with title, text and picture',
		fields: [
			title,
			textField('linkText', 'Text', { typeOptions: { rows: 3 } }),
			textField('messageUrl', 'Link URL', { placeholder: 'e.g. https://example.com/report' }),
			{
				...textField('picUrl', 'Picture URL', {
					placeholder: 'e.g. https://example.com/cover.png',
				}),
				required: false,
			},
		],
		build: (read) => ({
			msgtype: 'link',
			link: {
				title: read.text('title', 'Title'),
				text: read.text('linkText', 'Text'),
				messageUrl: read.text('messageUrl', 'Link URL'),
				picUrl: read.optionalText('picUrl', 'Picture URL'),
			},
		}),
	},
	{
		value: 'actionCard',
		name: 'Action Card',
		description: 'A markdown card with one button, or several side by side or stacked',
		fields: [
			title,
			markdown,
			...actionCardButtonFields,
			{
				displayName: 'Hide Sender Avatar',
				name: 'hideAvatar',
				type: 'boolean',
				default: false,
				description: "Whether to hide the robot's avatar on the card",
			},
		],
		build: (read) => {
			const card: IDataObject = {
				title: read.text('title', 'Title'),
				text: read.text('markdownText', 'Markdown'),
				hideAvatar: read.boolean('hideAvatar', 'Hide Sender Avatar') ? '1' : '0',
			};
			const buttons = readActionCardButtons(read);
			if ('single' in buttons) {
				card.singleTitle = buttons.single.title;
				card.singleURL = buttons.single.url;
			} else {
				card.btns = buttons.list.map((b) => ({ title: b.title, actionURL: b.url }));
				card.btnOrientation = buttons.orientation;
			}
			return { msgtype: 'actionCard', actionCard: card };
		},
	},
	{
		value: 'feedCard',
		name: 'Feed Card',
		description: 'A list of links, each with a title and a picture',
		fields: listProperties(FEED_LINKS),
		build: (read) => {
			const rows = readListRows(read, FEED_LINKS);
			if (!rows.length) {
				throw createValidationError(read.node, "'Links' is empty", {
					itemIndex: read.itemIndex,
					description: 'A feed card needs at least one link.',
				});
			}
			rows.forEach((row, index) => {
				if (!row.title.trim() || !row.messageUrl.trim())
					throw createValidationError(read.node, `Link ${index + 1} needs a title and a URL`, {
						itemIndex: read.itemIndex,
					});
			});
			return {
				msgtype: 'feedCard',
				feedCard: {
					links: rows.map((row) => ({
						title: row.title,
						messageURL: row.messageUrl,
						picURL: row.picUrl,
					})),
				},
			};
		},
	},
	customJsonMessageType('Any robot message body from the DingTalk docs'),
];
