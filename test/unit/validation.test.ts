import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { parseIdList, parseJsonField } from '../../nodes/shared/validation';
import { node } from './fakes';

describe('parseIdList', () => {
	const read = (value: unknown, numeric = false) =>
		parseIdList(node, value, { displayName: 'User IDs', itemIndex: 2, numeric });

	it('reads commas, bars, Chinese commas, new lines and arrays; drops blanks and duplicates', () => {
		expect(read('a, b|c，d\ne ;a,,')).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(read(['x', ['y', 3], null])).toEqual(['x', 'y', '3']);
		expect(read(42)).toEqual(['42']);
		expect(read('')).toEqual([]);
		expect(read([{ value: 'rl' }])).toEqual(['rl']);
	});

	it('names the field and the item when a numeric list has a non-number', () => {
		expect(() => read('1, two', true)).toThrow(NodeOperationError);
		expect(() => read('1, two', true)).toThrow(
			"'User IDs' contains 'two', which is not a numeric ID (a whole number of at most 16 digits) [item 2]",
		);
	});
});

describe('parseJsonField', () => {
	const schema = z.object({ msgtype: z.literal('text'), text: z.object({ content: z.string() }) });

	it('parses strings and accepts objects', () => {
		expect(
			parseJsonField(node, '{"msgtype":"text","text":{"content":"hi"}}', schema, {
				displayName: 'Message JSON',
			}),
		).toEqual({
			msgtype: 'text',
			text: { content: 'hi' },
		});
		expect(
			parseJsonField(node, { msgtype: 'text', text: { content: 'x' } }, schema, {
				displayName: 'Message JSON',
			}),
		).toBeTruthy();
	});

	it('says which field of which item is not JSON', () => {
		expect(() =>
			parseJsonField(node, '{"msgtype": text}', schema, {
				displayName: 'Message JSON',
				itemIndex: 1,
			}),
		).toThrow(/^'Message JSON' is not valid JSON: .* \[item 1\]$/);
	});

	it('names the offending path of a wrong shape', () => {
		expect(() =>
			parseJsonField(node, '{"msgtype":"text","text":{}}', schema, {
				displayName: 'Message JSON',
				itemIndex: 0,
			}),
		).toThrow("'Message JSON' has a wrong shape: text.content: Required [item 0]");
	});
});
