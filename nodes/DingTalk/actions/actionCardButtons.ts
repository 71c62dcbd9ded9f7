import type { INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../../shared/actions/parameters';
import { textRowsProperty } from '../../shared/actions/parameters';
import { createValidationError } from '../../shared/errors';

/**
 * The buttons of an action card, as work notifications and custom robots both offer them: one
 * button, or a list laid out stacked or side by side ("0" / "1"). Each body names the keys its own
 * way, so only the fields and their reading are shared.
 */
export const actionCardButtonFields: INodeProperties[] = [
	{
		displayName: 'Buttons',
		name: 'buttonMode',
		type: 'options',
		options: [
			{ name: 'One Button', value: 'single' },
			{ name: 'Several Buttons', value: 'multiple' },
		],
		default: 'single',
	},
	{
		displayName: 'Button Title',
		name: 'singleTitle',
		type: 'string',
		default: 'View Details',
		displayOptions: { show: { buttonMode: ['single'] } },
	},
	{
		displayName: 'Button URL',
		name: 'singleUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/approve',
		displayOptions: { show: { buttonMode: ['single'] } },
	},
	textRowsProperty({
		displayName: 'Button List',
		name: 'buttons',
		placeholder: 'Add Button',
		displayOptions: { show: { buttonMode: ['multiple'] } },
		row: { displayName: 'Button', name: 'button' },
		fields: [
			{ displayName: 'Title', name: 'title' },
			{ displayName: 'URL', name: 'actionUrl', placeholder: 'e.g. https://example.com/approve' },
		],
	}),
	{
		displayName: 'Button Layout',
		name: 'buttonOrientation',
		type: 'options',
		options: [
			{ name: 'Vertical', value: '0' },
			{ name: 'Horizontal', value: '1' },
		],
		default: '0',
		displayOptions: { show: { buttonMode: ['multiple'] } },
	},
];

export type ActionCardButtons =
	| { single: { title: string; url: string } }
	| { list: Array<{ title: string; url: string }>; orientation: '0' | '1' };

export function readActionCardButtons(read: ParameterReader): ActionCardButtons {
	if (read.option<string>('buttonMode', 'single') !== 'multiple') {
		return {
			single: {
				title: read.text('singleTitle', 'Button Title'),
				url: read.text('singleUrl', 'Button URL'),
			},
		};
	}
	const rows = read.rows('buttons.button', { title: 'Button Title', actionUrl: 'Button URL' });
	if (!rows.length) {
		throw createValidationError(read.node, "'Button List' needs at least one button", {
			itemIndex: read.itemIndex,
			description: "Add a button, or choose 'One Button'.",
		});
	}
	rows.forEach((row, index) => {
		if (!row.title.trim() || !row.actionUrl.trim())
			throw createValidationError(read.node, `Button ${index + 1} needs a title and a URL`, {
				itemIndex: read.itemIndex,
			});
	});
	return {
		list: rows.map((row) => ({ title: row.title, url: row.actionUrl })),
		orientation: read.option<string>('buttonOrientation', '0') === '1' ? '1' : '0',
	};
}
