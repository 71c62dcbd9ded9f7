import type { INode } from 'n8n-workflow';

import {
	decodeForm,
	encodeForm,
	formFields,
	parseFormSchema,
} from '../../nodes/DingTalk/actions/approval/form';

const node = {
	name: 'DingTalk',
	type: 'x',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as unknown as INode;
const ctx = { node, itemIndex: 0, timeZone: 'Asia/Shanghai' };
const item = (componentName: string, props: Record<string, unknown>, children: unknown[] = []) => ({
	componentName,
	props,
	children,
});

describe("a DingTalk approval template's form", () => {
	it('gives two controls with the same label a field each, and sends them by id', () => {
		const controls = parseFormSchema([
			item('TextareaField', { id: 'TextareaField-A', label: '备注' }),
			item('TextareaField', { id: 'TextareaField-B', label: '备注' }),
			item('TextField', { id: 'TextField-C', label: '地点' }),
		]);
		expect(formFields(controls).map((field) => field.id)).toEqual([
			'备注 (TextareaField-A)',
			'备注 (TextareaField-B)',
			'地点',
		]);
		expect(
			encodeForm(
				controls,
				{ '备注 (TextareaField-A)': 'one', '备注 (TextareaField-B)': 'two', 地点: 'Hangzhou' },
				ctx,
			),
		).toEqual([
			{ id: 'TextareaField-A', value: 'one' },
			{ id: 'TextareaField-B', value: 'two' },
			{ name: '地点', value: 'Hangzhou' },
		]);
	});

	it('skips text notes, and reads options given as text, JSON text or objects', () => {
		const controls = parseFormSchema([
			item('TextNote', { id: 'TextNote-1', label: 'Read me' }),
			item('DDSelectField', {
				id: 'DDSelectField-1',
				label: '类型',
				options: ['A', '{"key":"option_1","value":"B"}', { value: 'C' }],
			}),
		]);
		expect(formFields(controls)).toEqual([
			expect.objectContaining({
				id: '类型',
				type: 'options',
				options: [
					{ name: 'A', value: 'A' },
					{ name: 'B', value: 'B' },
					{ name: 'C', value: 'C' },
				],
			}),
		]);
	});

	it('decodes an instance form: multi-selects and contacts as arrays, departments split, tables as rows, numbers as numbers, a range as its two halves', () => {
		expect(
			decodeForm([
				{ name: '费用类型', value: '["交通","餐饮"]', componentType: 'DDMultiSelectField' },
				{ name: '交接人', value: '["user001"]', componentType: 'InnerContactField' },
				{ name: '部门', value: '22,221', componentType: 'DepartmentField' },
				{ name: '金额', value: '128.5', componentType: 'MoneyField' },
				{
					name: '明细',
					value: '[[{"name":"项目","value":"Taxi"},{"name":"金额","value":"28.5"}]]',
					componentType: 'TableField',
				},
				{
					name: '["开始时间","结束时间"]',
					value: '["2026-12-03","2026-12-04",1,"day"]',
					componentType: 'DDDateRangeField',
				},
			]),
		).toEqual({
			费用类型: ['交通', '餐饮'],
			交接人: ['user001'],
			部门: ['22', '221'],
			金额: 128.5,
			明细: [{ 项目: 'Taxi', 金额: '28.5' }],
			开始时间: '2026-12-03',
			结束时间: '2026-12-04',
		});
	});
});
