import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { DingTalk, WeCom } from '../../index';

describe.each([
	['DingTalk', new DingTalk(), ['customApiCall', 'workNotification'], 'dingTalkApi'],
	['WeCom', new WeCom(), ['appMessage', 'customApiCall'], 'weComApi'],
])('%s node description', (_name, nodeType, resources, credential) => {
	const { description } = nodeType;
	const properties = description.properties;

	it('is an action node usable as an AI tool, with its credential', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([{ name: credential, required: true }]);
		expect(description.inputs).toEqual(['main']);
	});

	it('lists its resources alphabetically', () => {
		const resource = properties.find((p) => p.name === 'resource')!;
		expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(resources);
	});

	it('gives every operation an action, a description and alphabetical order', () => {
		const operationProps = properties.filter((p) => p.name === 'operation');
		expect(operationProps).toHaveLength(resources.length);
		for (const property of operationProps) {
			const options = property.options as INodePropertyOptions[];
			expect(options.map((o) => o.name)).toEqual(
				[...options.map((o) => o.name)].sort((a, b) => a.localeCompare(b)),
			);
			for (const option of options) {
				expect(option.action).toMatch(/^[A-Z][a-z]/);
				expect(option.description).toBeTruthy();
			}
		}
	});

	it('shows each operation field only for its resource and operation', () => {
		const fields = properties.filter((p) => p.name !== 'resource' && p.name !== 'operation');
		for (const field of fields) {
			expect(field.displayOptions?.show?.resource).toHaveLength(1);
			expect(field.displayOptions?.show?.operation).toHaveLength(1);
		}
	});

	it('uses English UI text (Chinese only next to an English term, in parentheses)', () => {
		const texts: string[] = [];
		const collect = (props: INodeProperties[] | undefined) => {
			for (const p of props ?? []) {
				texts.push(p.displayName, p.description ?? '');
				for (const option of (p.options ?? []) as Array<
					INodePropertyOptions & { values?: INodeProperties[] }
				>) {
					texts.push(String(option.name), option.description ?? '');
					collect(option.values);
				}
			}
		};
		collect(properties);
		for (const text of texts) {
			const withoutParenthesised = text.replace(/\([^)]*\)/g, '');
			expect(withoutParenthesised).not.toMatch(/[\u4e00-\u9fff]/);
		}
	});
});
