import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';
import { z } from 'zod';

import { agentIdOption } from '../../../shared/actions/agentId';
import { sendInChunks } from '../../../shared/actions/chunkedSend';
import { buildMessage, messageTypeProperties } from '../../../shared/actions/messageTypes';
import { ParameterReader } from '../../../shared/actions/parameters';
import type { RecipientPlan } from '../../../shared/actions/recipients';
import { readRecipients, recipientProperties } from '../../../shared/actions/recipients';
import type { OperationResult } from '../../../shared/actions/types';
import { createValidationError } from '../../../shared/errors';
import { parseResponse } from '../../../shared/validation';
import { weCom } from '../../transport';
import { APP_MESSAGE_RECIPIENTS, appMessageAgentId, splitBar } from './common';
import { APP_MESSAGE_TYPES } from './message';

export const option = {
	name: 'Send',
	value: 'send',
	action: 'Send an app message',
	description: 'Send an app message (应用消息) to members, departments, tags or everyone',
};

export const description: INodeProperties[] = [
	...recipientProperties(APP_MESSAGE_RECIPIENTS),
	...messageTypeProperties(APP_MESSAGE_TYPES, 'text'),
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
					'Whether the message is confidential: it cannot be shared and shows a watermark (Text messages only)',
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

export const writes = true;

interface SendInput {
	agentId: number;
	msgtype: string;
	message: IDataObject;
	/** The message's optional fields (safe, id translation, duplicate check). */
	flags: IDataObject;
	recipients: RecipientPlan;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<SendInput> {
	const read = new ParameterReader(this, itemIndex);
	const { type, body } = buildMessage(APP_MESSAGE_TYPES, read);
	const flags: IDataObject = {};
	if (read.boolean('options.safe', 'Secret Message')) {
		if (!type.extra?.supportsSafe) {
			const allowed = APP_MESSAGE_TYPES.filter((t) => t.extra?.supportsSafe).map((t) => t.name);
			throw createValidationError(
				read.node,
				`'Secret Message' is not available for ${type.name} messages`,
				{
					itemIndex,
					description: `WeCom documents confidential sending only for ${allowed.join(', ')}. Turn the option off or choose another message type.`,
				},
			);
		}
		flags.safe = 1;
	}
	if (read.boolean('options.enableIdTrans', 'Translate IDs')) flags.enable_id_trans = 1;
	if (read.boolean('options.enableDuplicateCheck', 'Check Duplicates')) {
		flags.enable_duplicate_check = 1;
		flags.duplicate_check_interval = read.integer(
			'options.duplicateCheckInterval',
			'Duplicate Check Interval (Seconds)',
			{ min: 1, max: 14400, fallback: 1800 },
		);
	}
	return {
		agentId: await appMessageAgentId(read),
		msgtype: type.value,
		message: body,
		flags,
		recipients: readRecipients(read, APP_MESSAGE_RECIPIENTS),
	};
}

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

export async function execute(
	this: IExecuteFunctions,
	{ agentId, msgtype, message, flags, recipients }: SendInput,
	itemIndex: number,
): Promise<OperationResult> {
	const node = this.getNode();
	const plan = recipients.everyone
		? [{ users: ['@all'], departments: [], tags: [] }]
		: recipients.calls;
	const path = '/cgi-bin/message/send';
	const { sent, skipped } = await sendInChunks({
		ctx: this,
		itemIndex,
		calls: plan,
		idLabel: 'message IDs',
		idKey: 'msgids',
		// In a split send, a call whose recipients are all invalid (81013) must not sink the calls
		// that can be delivered: its recipients count as invalid.
		skipCall: (error) => (error.errorResponse as IDataObject | undefined)?.errcode === 81013,
		send: async (call) => {
			const body: IDataObject = { msgtype, agentid: agentId, [msgtype]: message, ...flags };
			if (call.users.length) body.touser = call.users.join('|');
			if (call.departments.length) body.toparty = call.departments.join('|');
			if (call.tags.length) body.totag = call.tags.join('|');
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
