import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';
import { z } from 'zod';

import { agentIdOption } from '../../../shared/actions/agentId';
import { sendInChunks } from '../../../shared/actions/chunkedSend';
import { recipientIdsField } from '../../../shared/actions/recipientFields';
import type { OperationResult } from '../../../shared/actions/types';
import { planRecipientCalls } from '../../../shared/chunk';
import { createValidationError } from '../../../shared/errors';
import { parseIdList, parseResponse } from '../../../shared/validation';
import { weCom } from '../../transport';
import {
	appMessageAgentId,
	MAX_DEPARTMENTS_PER_CALL,
	MAX_TAGS_PER_CALL,
	MAX_USERS_PER_CALL,
	splitBar,
} from './common';

export const option = {
	name: 'Send',
	value: 'send',
	action: 'Send an app message',
	description: 'Send an app message (应用消息) to members, departments, tags or everyone',
};

/** message/send caps text content at 2048 bytes (wecom-api.md §B3). */
const TEXT_BYTE_LIMIT = 2048;

export const description: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		options: [
			{
				name: 'All Members',
				value: 'all',
				description: "Everyone in the app's visible range (@all)",
			},
			{ name: 'Members, Departments and Tags', value: 'specific', description: 'The IDs below' },
		],
		default: 'specific',
	},
	recipientIdsField({
		name: 'userIds',
		displayName: 'User IDs',
		placeholder: 'e.g. ZhangSan, LiSi',
		description:
			'Member UserIDs separated by commas or |, or an array from an expression. More than 1000 are sent in several calls.',
	}),
	recipientIdsField({
		name: 'departmentIds',
		displayName: 'Department IDs',
		placeholder: 'e.g. 2, 3',
		description:
			'Department IDs separated by commas, or an array from an expression. More than 100 are sent in several calls.',
	}),
	recipientIdsField({
		name: 'tagIds',
		displayName: 'Tag IDs',
		placeholder: 'e.g. 1',
		description:
			'Tag IDs separated by commas, or an array from an expression. More than 100 are sent in several calls.',
	}),
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		options: [
			{
				name: 'Markdown',
				value: 'markdown',
				description: 'Formatted text (shown in the WeCom app only)',
			},
			{ name: 'Text', value: 'text', description: 'Plain text, up to 2048 bytes' },
		],
		default: 'text',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description:
			'Message text; for Markdown, WeCom markdown such as **bold**, [link](https://…) and &lt;font color="info"&gt;…&lt;/font&gt;',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			agentIdOption,
			{
				displayName: 'Check Duplicates',
				name: 'enableDuplicateCheck',
				type: 'boolean',
				default: false,
				description:
					'Whether WeCom drops the message if the same content went to the same recipients within the interval',
			},
			{
				displayName: 'Duplicate Check Interval (Seconds)',
				name: 'duplicateCheckInterval',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 14400 },
				default: 1800,
				description: 'Window of the duplicate check; WeCom default 1800 seconds',
			},
			{
				displayName: 'Secret Message',
				name: 'safe',
				type: 'boolean',
				default: false,
				description:
					'Whether the message is confidential: it cannot be shared and shows a watermark (text only)',
			},
			{
				displayName: 'Translate IDs',
				name: 'enableIdTrans',
				type: 'boolean',
				default: false,
				description: 'Whether $userName=…$ and $departmentName=…$ placeholders are shown as names',
			},
		],
	},
];

const sendResponseSchema = z
	.object({
		msgid: z.string().optional(),
		invaliduser: z.string().optional(),
		invalidparty: z.string().optional(),
		invalidtag: z.string().optional(),
		unlicenseduser: z.string().optional(),
		response_code: z.string().optional(),
	})
	.passthrough();

interface Recipients {
	users: string[];
	departments: string[];
	tags: string[];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const node = this.getNode();
	const agentId = await appMessageAgentId(this, itemIndex);
	const messageType = this.getNodeParameter('messageType', itemIndex) as 'text' | 'markdown';
	const content = String(this.getNodeParameter('content', itemIndex, '') ?? '');
	if (content.trim() === '') throw createValidationError(node, "'Content' is empty", { itemIndex });
	const bytes = Buffer.byteLength(content, 'utf8');
	if (messageType === 'text' && bytes > TEXT_BYTE_LIMIT) {
		throw createValidationError(
			node,
			`'Content' is ${bytes} bytes; WeCom accepts at most ${TEXT_BYTE_LIMIT} for text`,
			{
				itemIndex,
				description:
					'Shorten the text or split it over several messages (Chinese characters take 3 bytes each).',
			},
		);
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const sendTo = this.getNodeParameter('sendTo', itemIndex) as string;

	let plan: Recipients[];
	if (sendTo === 'all') {
		plan = [{ users: ['@all'], departments: [], tags: [] }];
	} else {
		const field = (name: string, displayName: string, numeric: boolean) =>
			parseIdList(node, this.getNodeParameter(name, itemIndex, ''), {
				displayName,
				itemIndex,
				numeric,
			});
		const users = field('userIds', 'User IDs', false);
		const departments = field('departmentIds', 'Department IDs', true);
		const tags = field('tagIds', 'Tag IDs', true);
		if (!users.length && !departments.length && !tags.length) {
			throw createValidationError(
				node,
				"Enter at least one of 'User IDs', 'Department IDs' and 'Tag IDs'",
				{
					itemIndex,
					description: "Or choose 'All Members' in 'Send To'.",
				},
			);
		}
		plan = planRecipientCalls({
			users: { ids: users, max: MAX_USERS_PER_CALL },
			departments: { ids: departments, max: MAX_DEPARTMENTS_PER_CALL },
			tags: { ids: tags, max: MAX_TAGS_PER_CALL },
		});
	}

	const path = '/cgi-bin/message/send';
	const { sent, skipped } = await sendInChunks({
		node,
		itemIndex,
		calls: plan,
		idLabel: 'message IDs',
		idKey: 'msgids',
		// In a split send, a call whose recipients are all invalid (81013) must not sink the calls
		// that can be delivered: its recipients count as invalid.
		skipCall: (error) => (error.errorResponse as IDataObject | undefined)?.errcode === 81013,
		send: async (call) => {
			const body: IDataObject = {
				msgtype: messageType,
				agentid: agentId,
				[messageType]: { content },
			};
			if (call.users.length) body.touser = call.users.join('|');
			if (call.departments.length) body.toparty = call.departments.join('|');
			if (call.tags.length) body.totag = call.tags.join('|');
			if (options.safe) body.safe = 1;
			if (options.enableIdTrans) body.enable_id_trans = 1;
			if (options.enableDuplicateCheck) {
				body.enable_duplicate_check = 1;
				body.duplicate_check_interval = options.duplicateCheckInterval ?? 1800;
			}
			const response = await weCom.request(this, { method: 'POST', path, body }, itemIndex);
			return parseResponse(node, response.body, sendResponseSchema, {
				platform: 'WeCom',
				method: 'POST',
				path,
				itemIndex,
			});
		},
		idOf: (result) => result.msgid,
	});

	const msgids = sent.map((s) => s.result.msgid).filter((id): id is string => Boolean(id));
	const invalid = {
		users: [
			...sent.flatMap((s) => splitBar(s.result.invaliduser)),
			...skipped.flatMap((s) => s.call.users.map((u) => u.toLowerCase())),
		],
		departments: [
			...sent.flatMap((s) => splitBar(s.result.invalidparty)),
			...skipped.flatMap((s) => s.call.departments),
		],
		tags: [
			...sent.flatMap((s) => splitBar(s.result.invalidtag)),
			...skipped.flatMap((s) => s.call.tags),
		],
		unlicensed: sent.flatMap((s) => splitBar(s.result.unlicenseduser)),
	};

	const hints: NodeExecutionHint[] = [];
	const invalidCount = invalid.users.length + invalid.departments.length + invalid.tags.length;
	if (invalidCount) {
		hints.push({
			message: `WeCom skipped ${invalidCount} invalid recipient(s) (see invalidUsers, invalidDepartments, invalidTags): unknown IDs or outside the app's visible range.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (invalid.unlicensed.length) {
		hints.push({
			message: `${invalid.unlicensed.length} member(s) have no WeCom API licence and did not get the message (see unlicensedUsers).`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return {
		json: {
			msgid: msgids[0],
			msgids,
			calls: plan.length,
			invalidUsers: invalid.users,
			invalidDepartments: invalid.departments,
			invalidTags: invalid.tags,
			unlicensedUsers: invalid.unlicensed,
		},
		hints,
	};
}
