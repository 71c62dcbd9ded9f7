import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { ItemFile } from '../../../shared/actions/binaryInput';
import { readItemFile } from '../../../shared/actions/binaryInput';
import { optionsProperty, ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { createValidationError } from '../../../shared/errors';
import { parseIdList } from '../../../shared/validation';
import { CREATE_LIMITS } from '../../platform/approvals';
import { applyEvent, uploadFile } from '../../transport/approvals';
import type { NumericRef, UserRef } from '../contactFields';
import { resolveUserId } from '../contactFields';
import type { Attachment } from './form';
import { encodeForm, sendable } from './form';
import { formProperties, mappedValues } from '../../../shared/actions/formMapping';
import {
	chooseDepartmentLocator,
	creatorLocator,
	readChooseDepartment,
	readCreator,
	readTemplateId,
	templateForm,
	templateIdField,
} from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	action: 'Create an approval',
	description: "Submit an approval (审批申请) from a template, filling in the template's own form",
};

export const description: INodeProperties[] = [
	templateIdField("The approval template (审批模板) to submit; its form's fields load below"),
	creatorLocator,
	...formProperties({
		method: 'getApprovalTemplateFields',
		dependsOn: 'templateId',
		jsonDescription: "WeCom's apply_data.contents as JSON, for anything the fields do not cover",
		noFieldsError: 'Enter a Template ID above: its form fields load here',
	}),
	{
		displayName: 'Form (JSON)',
		name: 'formJson',
		type: 'json',
		default:
			'[\n  { "control": "Textarea", "id": "Textarea-1", "value": { "text": "Family matters" } }\n]',
		description:
			'WeCom\'s apply_data.contents: an array of {control, ID, value} with the IDs of the template\'s controls (see Get Template), values as WeCom documents them (numbers and money as strings, e.g. "3.5")',
		displayOptions: { show: { formInput: ['json'] } },
	},
	{
		displayName: 'Approvers',
		name: 'approverMode',
		type: 'options',
		options: [
			{
				name: "Use the Template's Flow",
				value: 'template',
				description: 'The approvers and cc set for the template in the admin console',
			},
			{
				name: 'Choose Approvers',
				value: 'steps',
				description: 'Steps of approvers given here, in order, and who is notified',
			},
		],
		default: 'template',
	},
	{
		displayName: 'Approval Steps',
		name: 'approvers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Approval Step',
		default: {},
		description: 'The approval nodes in order: each step waits for the one before',
		displayOptions: { show: { approverMode: ['steps'] } },
		options: [
			{
				displayName: 'Step',
				name: 'step',
				values: [
					{
						displayName: 'How They Approve',
						name: 'attr',
						type: 'options',
						options: [
							{
								name: 'Any One Approves (或签)',
								value: 1,
								description: 'The first of them to approve decides',
							},
							{
								name: 'All Must Approve (会签)',
								value: 2,
								description: 'Countersign: everyone listed approves',
							},
						],
						default: 1,
					},
					{
						displayName: 'Approver User IDs',
						name: 'userIds',
						type: 'string',
						default: '',
						placeholder: 'e.g. LiSi, ZhangSan',
						description:
							'UserIDs of this step, separated by commas, or an array from an expression',
					},
				],
			},
		],
	},
	{
		displayName: 'Notifier User IDs',
		name: 'notifierUserIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. ZhouBa',
		description:
			'Who is copied (抄送人), separated by commas, or an array from an expression; none when empty',
		displayOptions: { show: { approverMode: ['steps'] } },
	},
	{
		displayName: 'Notify When',
		name: 'notifyType',
		type: 'options',
		options: [
			{ name: 'At Submission', value: 1 },
			{ name: 'After Approval', value: 2 },
			{ name: 'Both', value: 3 },
		],
		default: 1,
		displayOptions: { show: { approverMode: ['steps'] } },
	},
	optionsProperty([
		chooseDepartmentLocator,
		{
			displayName: 'Summary Lines',
			name: 'summary',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'e.g. Annual leave, 2 days',
			description:
				'What the approval list shows of it (摘要): one line per line of text, or an array from an expression; at most 3 lines, WeCom recommends up to 20 characters each',
		},
	]),
];

export const writes = true;

interface Step {
	attr: number;
	userid: string[];
}

interface Input {
	templateId: string;
	creator: UserRef;
	department?: NumericRef;
	contents: IDataObject[];
	attachments: Attachment[];
	entered: IDataObject | IDataObject[];
	approvers?: { steps: Step[]; notifiers: string[]; notifyType: number };
	summary: string[];
}

const contentsSchema = z
	.array(
		z
			.object({
				control: z.string().trim().min(1, 'every entry needs the control type, e.g. "Text"'),
				id: z.string().trim().min(1, 'every entry needs the control\'s id, e.g. "Text-1"'),
				value: z.record(z.string(), z.unknown()),
			})
			.passthrough(),
	)
	.min(1, 'must list at least one control');

const jsonFormSchema = z.union([
	contentsSchema,
	z.object({ contents: contentsSchema }).transform((data) => data.contents),
]);

function readSteps(read: ParameterReader): Step[] {
	const rows = read.raw('approvers.step', []);
	const steps = (Array.isArray(rows) ? rows : []).map((row: IDataObject, index) => {
		const userid = parseIdList(read.node, row?.userIds, {
			displayName: `Approver User IDs (step ${index + 1})`,
			itemIndex: read.itemIndex,
		});
		if (userid.length === 0) {
			throw createValidationError(read.node, `Approval step ${index + 1} has no approvers`, {
				itemIndex: read.itemIndex,
				description: 'Enter the UserIDs of its approvers, or remove the step.',
			});
		}
		const attr = Number(row?.attr ?? 1);
		if (attr !== 1 && attr !== 2) {
			throw createValidationError(
				read.node,
				`'How They Approve' of step ${index + 1} must be 1 (any one) or 2 (all), got ${JSON.stringify(row?.attr)}`,
				{ itemIndex: read.itemIndex },
			);
		}
		return { attr, userid };
	});
	if (steps.length === 0) {
		throw createValidationError(read.node, 'Approvers: no approval step is given', {
			itemIndex: read.itemIndex,
			description: "Add at least one step with approvers, or choose 'Use the Template's Flow'.",
		});
	}
	return steps;
}

function readSummary(read: ParameterReader): string[] {
	const raw = read.raw('options.summary', '');
	const lines = (Array.isArray(raw) ? raw : [raw])
		.map((entry, index) => {
			if (entry !== null && typeof entry === 'object') {
				throw createValidationError(
					read.node,
					`'Summary Lines' must be text, but line ${index + 1} is ${JSON.stringify(entry)}`,
					{ itemIndex: read.itemIndex },
				);
			}
			return entry === undefined || entry === null ? '' : String(entry);
		})
		.flatMap((entry) => entry.split(/\r?\n/))
		.map((line) => line.trim())
		.filter(Boolean);
	if (lines.length > CREATE_LIMITS.summaryLines) {
		throw createValidationError(
			read.node,
			`'Summary Lines' has ${lines.length} lines, more than WeCom's ${CREATE_LIMITS.summaryLines}`,
			{ itemIndex: read.itemIndex, description: 'Give at most 3 lines.' },
		);
	}
	return lines;
}

/** The file of an attachment, as media/upload takes it (more than 5 bytes, at most 20 MB). */
async function attachmentFile(
	ctx: IExecuteFunctions,
	attachment: Attachment,
	itemIndex: number,
): Promise<ItemFile> {
	const file = await readItemFile(ctx, itemIndex, attachment.field);
	const size = file.data.length;
	if (size < CREATE_LIMITS.minFileBytes || size > CREATE_LIMITS.maxFileBytes) {
		throw createValidationError(
			ctx.getNode(),
			`${attachment.label}: the file in binary field '${attachment.field}' is ${size} bytes; WeCom takes attachments of 6 bytes to 20 MB`,
			{ itemIndex },
		);
	}
	return file;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	const templateId = readTemplateId(read);
	const creator = readCreator(read);
	let contents: IDataObject[];
	let attachments: Attachment[] = [];
	let entered: Input['entered'];
	if (read.option<string>('formInput', 'fields') === 'json') {
		contents = read.json('formJson', 'Form (JSON)', jsonFormSchema) as IDataObject[];
		entered = contents;
	} else {
		const { values, autoMapped } = mappedValues(this, read);
		// The template is read once per run, so every item's form is checked before anything is sent.
		const { controls } = await templateForm(this, templateId, itemIndex);
		const encoded = encodeForm(controls, values, {
			node: read.node,
			itemIndex,
			timeZone: this.getTimezone(),
			binaryFields: Object.keys(this.getInputData()[itemIndex]?.binary ?? {}),
			ignoreUnknown: autoMapped,
		});
		contents = encoded.contents;
		attachments = encoded.attachments;
		const keys = new Set(sendable(controls).map((control) => control.key));
		entered = Object.fromEntries(Object.entries(values).filter(([key]) => keys.has(key)));
		// Each file is read once here to check its size, then again when the item is sent, so a run
		// holds one file at a time.
		const checked = new Set<string>();
		for (const attachment of attachments) {
			if (checked.has(attachment.field)) continue;
			checked.add(attachment.field);
			await attachmentFile(this, attachment, itemIndex);
		}
	}
	const mode = read.option<string>('approverMode', 'template');
	const approvers =
		mode === 'steps'
			? {
					steps: readSteps(read),
					notifiers: parseIdList(read.node, read.raw('notifierUserIds', ''), {
						displayName: 'Notifier User IDs',
						itemIndex,
					}),
					notifyType: Number(read.raw('notifyType', 1)) || 1,
				}
			: undefined;
	const department = readChooseDepartment(read);
	return {
		templateId,
		creator,
		...(department ? { department } : {}),
		contents,
		attachments,
		entered,
		...(approvers ? { approvers } : {}),
		summary: readSummary(read),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const creatorUserId = await resolveUserId(this, input.creator, itemIndex);
	// One upload per binary field, even when two File fields name the same one.
	const mediaIds = new Map<string, string>();
	for (const attachment of input.attachments) {
		let mediaId = mediaIds.get(attachment.field);
		if (mediaId === undefined) {
			const file = await attachmentFile(this, attachment, itemIndex);
			mediaId = await uploadFile(this, file, itemIndex);
			mediaIds.set(attachment.field, mediaId);
		}
		attachment.slot.file_id = mediaId;
	}
	const { approvers } = input;
	const spNo = await applyEvent(
		this,
		{
			creator_userid: creatorUserId,
			template_id: input.templateId,
			use_template_approver: approvers ? 0 : 1,
			...(input.department ? { choose_department: input.department.id } : {}),
			...(approvers
				? {
						approver: approvers.steps,
						...(approvers.notifiers.length
							? { notifyer: approvers.notifiers, notify_type: approvers.notifyType }
							: {}),
					}
				: {}),
			apply_data: { contents: input.contents },
			...(input.summary.length
				? {
						summary_list: input.summary.map((line) => ({
							summary_info: [{ text: line, lang: 'zh_CN' }],
						})),
					}
				: {}),
		},
		itemIndex,
	);
	return {
		json: {
			spNo,
			templateId: input.templateId,
			creatorUserId,
			form: input.entered as IDataObject,
		},
	};
}
