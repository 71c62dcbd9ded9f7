import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { optionsProperty, ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { createValidationError } from '../../../shared/errors';
import { parseIdList } from '../../../shared/validation';
import { CREATE_LIMITS } from '../../platform/approvals';
import { createInstance } from '../../transport/approvals';
import type { DepartmentRef, UserRef } from '../contactFields';
import {
	departmentLocator,
	readDepartment,
	readUser,
	resolveUserId,
	userLocator,
} from '../contactFields';
import type { FormValue } from './form';
import { encodeForm } from './form';
import { readProcessCode, templateForm, templateLocator } from './fields';
import { formProperties, mappedValues } from '../../../shared/actions/formMapping';

export const option = {
	name: 'Create',
	value: 'create',
	action: 'Create an approval instance',
	description: "Submit an approval from a template, filling in the template's own form",
};

const APPROVER_KINDS = [
	{ name: 'One Person', value: 'NONE', description: 'A single approver' },
	{ name: 'All Must Approve (会签)', value: 'AND', description: 'Countersign: everyone listed' },
	{ name: 'Any One Approves (或签)', value: 'OR', description: 'The first of them to act decides' },
];

export const description: INodeProperties[] = [
	templateLocator("The approval template (审批模板) to submit; its form's fields load below"),
	userLocator({
		name: 'originatorUserId',
		displayName: 'Originator',
		description: "Who submits the approval (发起人): a member inside the template's visible range",
	}),
	...formProperties({
		method: 'getApprovalFormFields',
		dependsOn: 'processCode.value',
		jsonDescription: "DingTalk's formComponentValues as JSON, for anything the fields do not cover",
		noFieldsError: 'Pick a template above: its form fields load here',
	}),
	{
		displayName: 'Form (JSON)',
		name: 'formJson',
		type: 'json',
		default: '[\n  { "name": "请假事由", "value": "Family matters" }\n]',
		description:
			"An array of {name, value}: name is the field's label, value a string encoded as DingTalk documents it (arrays as JSON text)",
		displayOptions: { show: { formInput: ['json'] } },
	},
	{
		displayName: 'Approvers',
		name: 'approvers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Approval Step',
		default: {},
		description:
			"Steps of approvers in order, instead of the template's own flow (at most 20 people in all)",
		options: [
			{
				displayName: 'Step',
				name: 'step',
				values: [
					{
						displayName: 'How They Approve',
						name: 'actionType',
						type: 'options',
						options: APPROVER_KINDS,
						default: 'NONE',
					},
					{
						displayName: 'User IDs',
						name: 'userIds',
						type: 'string',
						default: '',
						placeholder: 'e.g. manager01, boss01',
						description:
							'Userids of this step, separated by commas, or an array from an expression',
					},
				],
			},
		],
	},
	optionsProperty([
		departmentLocator({
			name: 'deptId',
			displayName: 'Department',
			required: false,
			description:
				"The originator's department the approval is submitted for, when they are in several (their main one otherwise)",
		}),
		{
			displayName: 'CC User IDs',
			name: 'ccUserIds',
			type: 'string',
			default: '',
			placeholder: 'e.g. admin01',
			description:
				'Who is copied (抄送人), separated by commas, or an array from an expression; at most 50. Takes effect with Approvers.',
		},
		{
			displayName: 'CC When',
			name: 'ccPosition',
			type: 'options',
			options: [
				{ name: 'At Submission', value: 'START' },
				{ name: 'When Finished', value: 'FINISH' },
				{ name: 'Both', value: 'START_FINISH' },
			],
			default: 'START',
		},
	]),
];

export const writes = true;

interface Input {
	processCode: string;
	originator: UserRef;
	form: FormValue[];
	entered: IDataObject;
	approvers: Array<{ actionType: string; userIds: string[] }>;
	department?: DepartmentRef;
	cc: string[];
	ccPosition: string;
}

/** DingTalk's formComponentValues entries: a field by its label or ID, its value as a string. */
const formJsonSchema = z
	.array(
		z
			.object({
				name: z.string().trim().min(1).optional(),
				id: z.string().trim().min(1).optional(),
				bizAlias: z.string().optional(),
				value: z.union(
					[
						z.string(),
						z.number(),
						z.boolean(),
						z.array(z.unknown()),
						z.record(z.string(), z.unknown()),
					],
					{
						errorMap: () => ({ message: 'every entry needs a value (text, or JSON sent as text)' }),
					},
				),
				extValue: z.string().optional(),
				componentType: z.string().optional(),
				details: z.array(z.unknown()).optional(),
			})
			.strict()
			.refine((entry) => entry.name !== undefined || entry.id !== undefined, {
				message: "every entry needs the field's name (its label) or its id",
			}),
	)
	.min(1, 'must list at least one field');

function readApprovers(read: ParameterReader): Input['approvers'] {
	const rows = read.raw('approvers.step', []);
	const steps = (Array.isArray(rows) ? rows : []).map((row: IDataObject, index) => {
		const userIds = parseIdList(read.node, row?.userIds, {
			displayName: `Approvers: User IDs (step ${index + 1})`,
			itemIndex: read.itemIndex,
		});
		const actionType = String(row?.actionType ?? 'NONE');
		if (userIds.length === 0 || (actionType === 'NONE' && userIds.length !== 1)) {
			throw createValidationError(
				read.node,
				`Approval step ${index + 1} needs ${actionType === 'NONE' ? 'exactly one approver' : 'approvers'}`,
				{
					itemIndex: read.itemIndex,
					description:
						"'One Person' takes one userid; for several people choose 'All Must Approve' or 'Any One Approves'.",
				},
			);
		}
		if (actionType !== 'NONE' && userIds.length < 2) {
			throw createValidationError(
				read.node,
				`Approval step ${index + 1} has one approver but is set to '${actionType === 'AND' ? 'All Must Approve' : 'Any One Approves'}'`,
				{ itemIndex: read.itemIndex, description: "Choose 'One Person' for a single approver." },
			);
		}
		return { actionType, userIds };
	});
	const total = steps.reduce((sum, step) => sum + step.userIds.length, 0);
	if (total > CREATE_LIMITS.approvers) {
		throw createValidationError(
			read.node,
			`${total} approvers, more than DingTalk's ${CREATE_LIMITS.approvers}`,
			{ itemIndex: read.itemIndex, description: 'Give at most 20 approvers in all.' },
		);
	}
	return steps;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	const processCode = readProcessCode(read);
	const originator = readUser(read, 'originatorUserId', 'Originator');
	let form: FormValue[];
	let entered: IDataObject;
	if (read.option<string>('formInput', 'fields') === 'json') {
		form = read.json('formJson', 'Form (JSON)', formJsonSchema).map((entry) => ({
			...entry,
			value: typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value),
		}));
		entered = Object.fromEntries(form.map((entry) => [entry.name ?? entry.id ?? '', entry.value]));
	} else {
		const { values, autoMapped } = mappedValues(this, read);
		// The template's form is read once per run, so every item is checked before anything is created.
		const controls = await templateForm(this, processCode, itemIndex);
		form = encodeForm(controls, values, {
			node: read.node,
			itemIndex,
			timeZone: this.getTimezone(),
			ignoreUnknown: autoMapped,
		});
		const labels = new Set(controls.flatMap((c) => c.parts ?? [c.key]));
		entered = Object.fromEntries(Object.entries(values).filter(([key]) => labels.has(key)));
	}
	if (form.length > CREATE_LIMITS.formValues) {
		throw createValidationError(
			read.node,
			`The form has ${form.length} values, more than DingTalk's ${CREATE_LIMITS.formValues}`,
			{ itemIndex },
		);
	}
	const cc = parseIdList(read.node, read.raw('options.ccUserIds', ''), {
		displayName: 'CC User IDs',
		itemIndex,
	});
	if (cc.length > CREATE_LIMITS.cc) {
		throw createValidationError(read.node, `${cc.length} people to copy, more than DingTalk's 50`, {
			itemIndex,
		});
	}
	const department = read.raw('options.deptId', '');
	const hasDepartment =
		typeof department === 'object' && department !== null && 'value' in department
			? Boolean((department as { value?: unknown }).value)
			: Boolean(department);
	return {
		processCode,
		originator,
		form,
		entered,
		approvers: readApprovers(read),
		...(hasDepartment ? { department: readDepartment(read, 'options.deptId', 'Department') } : {}),
		cc,
		ccPosition: read.option<string>('options.ccPosition', 'START'),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const originatorUserId = await resolveUserId(this, input.originator, itemIndex);
	const instanceId = await createInstance(
		this,
		{
			processCode: input.processCode,
			originatorUserId,
			...(input.department ? { deptId: input.department.id } : {}),
			formComponentValues: input.form,
			...(input.approvers.length ? { approvers: input.approvers } : {}),
			...(input.cc.length ? { ccList: input.cc, ccPosition: input.ccPosition } : {}),
		},
		itemIndex,
	);
	return {
		json: {
			instanceId,
			processCode: input.processCode,
			originatorUserId,
			form: input.entered,
		},
	};
}
