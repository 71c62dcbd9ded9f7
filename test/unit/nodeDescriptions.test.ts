import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers, validateNodeCredentials } from 'n8n-workflow';

import { DingTalk, WeCom } from '../../index';
import { resources as dingTalkResources } from '../../nodes/DingTalk/actions/resources';
import type { ResourceModule } from '../../nodes/shared/actions/types';
import { resources as weComResources } from '../../nodes/WeCom/actions/resources';

describe.each([
	[
		'DingTalk',
		new DingTalk(),
		dingTalkResources,
		'workNotification',
		'dingTalkApi',
		'dingTalkRobotApi',
	],
	['WeCom', new WeCom(), weComResources, 'appMessage', 'weComApi', 'weComRobotApi'],
] as Array<[string, DingTalk | WeCom, ResourceModule[], string, string, string]>)(
	'%s node description',
	(_name, nodeType, modules, mainResource, credential, robotCredential) => {
		const { description } = nodeType;
		const properties = description.properties;
		const resources = modules.map((m) => m.resource.value);

		it('is an action node usable as an AI tool, with its credential', () => {
			expect(description.usableAsTool).toBe(true);
			// The app credential everywhere but on the Group Robot resource, which asks for the robot's
			// (on DingTalk also the app's, for the mention pickers, when they are switched on).
			expect(description.credentials).toEqual([
				{
					name: credential,
					required: true,
					displayOptions: {
						...(credential === 'dingTalkApi'
							? { show: { pickMentionsFromContacts: [true] } }
							: { hide: { resource: ['groupRobot'] } }),
					},
				},
				{
					name: robotCredential,
					required: true,
					displayOptions: { show: { resource: ['groupRobot'] } },
				},
			]);
			expect(description.inputs).toEqual(['main']);
		});

		it('lists every resource folder, the main resource first and as the default', () => {
			const resource = properties.find((p) => p.name === 'resource')!;
			expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(resources);
			expect(resources[0]).toBe(mainResource);
			expect(resource.default).toBe(mainResource);
		});

		it("names the managed-token call apart from n8n's own Custom API Call", () => {
			const resource = properties.find((p) => p.name === 'resource')!;
			const names = (resource.options as INodePropertyOptions[]).map((o) => o.name);
			expect(names).not.toContain('Custom API Call');
			expect(names).toContain('API Call with Managed Token');
		});

		it('gives every operation an action and a description, Send first where there is one', () => {
			const operationProps = properties.filter((p) => p.name === 'operation');
			expect(operationProps).toHaveLength(resources.length);
			for (const property of operationProps) {
				const options = property.options as INodePropertyOptions[];
				const values = options.map((o) => o.value);
				if (values.includes('send')) expect(values[0]).toBe('send');
				expect(property.default).toBe(values[0]);
				for (const option of options) {
					expect(option.action).toMatch(/^[A-Z][a-z]/);
					expect(option.description).toBeTruthy();
				}
			}
		});

		it('shows a subtitle users can read for every resource and operation', () => {
			const subtitle = String(description.subtitle);
			const labels = JSON.parse(/^=\{\{ (\{.*\})\[/.exec(subtitle)![1]) as Record<string, string>;
			for (const module of modules) {
				for (const [key, operation] of Object.entries(module.operations)) {
					expect(labels[`${module.resource.value}:${key}`]).toBe(
						`${operation.option.name}: ${module.resource.name}`,
					);
				}
			}
		});

		it('shows each operation field only for its resource and operation', () => {
			const fields = properties.filter(
				// The DingTalk app-credential switch is hidden on every resource but Group Robot.
				(p) => !['resource', 'operation', 'throughput'].includes(p.name) && p.type !== 'hidden',
			);
			for (const field of fields) {
				expect(field.displayOptions?.show?.resource).toHaveLength(1);
				expect(field.displayOptions?.show?.operation).toHaveLength(1);
			}
		});

		/**
		 * As the editor saves a node (values at their defaults left out), and as n8n runs it (defaults
		 * filled in again).
		 */
		const saved = (parameters: Record<string, unknown>) =>
			NodeHelpers.getNodeParameters(
				properties,
				parameters as never,
				false,
				false,
				null,
				description,
			)!;
		const running = (parameters: Record<string, unknown>) =>
			NodeHelpers.getNodeParameters(
				properties,
				parameters as never,
				true,
				false,
				null,
				description,
			)!;
		const node = (parameters: Record<string, unknown>, credentials: Record<string, unknown>) =>
			({
				id: 'n',
				name: 'Node',
				type: 'x',
				typeVersion: 1.1,
				position: [0, 0],
				parameters: saved(parameters),
				credentials,
			}) as never;
		const robot = { resource: 'groupRobot', operation: 'send', messageType: 'text' };

		it('shows the app credential where it is needed, when n8n runs the node and in the editor', () => {
			const [app] = description.credentials!;
			const shown = (parameters: Record<string, unknown>) =>
				NodeHelpers.displayParameter(running(parameters), app, null, description);
			expect(shown({})).toBe(true);
			expect(shown({ resource: resources[1] })).toBe(true);
			expect(shown(robot)).toBe(false);
			expect(shown({ ...robot, pickMentionsFromContacts: true })).toBe(
				credential === 'dingTalkApi',
			);
		});

		it('publishes a saved robot node without the app credential, and asks for it where it shows', () => {
			const publishIssues = (parameters: Record<string, unknown>, credentials: object) =>
				validateNodeCredentials(node(parameters, credentials as never), nodeType).map(
					(issue) => `${issue.type} ${issue.credentialName}`,
				);
			const robotOnly = { [robotCredential]: { id: '1', name: 'Robot' } };
			expect(publishIssues(robot, robotOnly)).toEqual([]);
			expect(publishIssues(robot, {})).toEqual([`missing ${robotCredential}`]);
			if (credential === 'dingTalkApi') {
				expect(publishIssues({ ...robot, pickMentionsFromContacts: true }, robotOnly)).toEqual([
					'missing dingTalkApi',
				]);
			}
		});

		it('gives every operation one Throughput option set, defaulting to its kind of concurrency', () => {
			const throughput = properties.filter((p) => p.name === 'throughput');
			const shown = throughput.flatMap((p) =>
				(p.displayOptions?.show?.operation as string[]).map(
					(operation) => `${String(p.displayOptions?.show?.resource)}:${operation}`,
				),
			);
			const operations = properties
				.filter((p) => p.name === 'operation')
				.flatMap((p) =>
					(p.options as INodePropertyOptions[]).map(
						(o) => `${String(p.displayOptions?.show?.resource)}:${String(o.value)}`,
					),
				);
			expect(shown.sort()).toEqual(operations.sort());
			for (const p of throughput) {
				const concurrency = (p.options as INodeProperties[]).find((o) => o.name === 'concurrency');
				expect(concurrency?.default).toBeGreaterThanOrEqual(1);
			}
		});

		it("offers Max Wait for Quota wherever the app's quota applies, and not on group robots (they have their own wait)", () => {
			for (const p of properties.filter((q) => q.name === 'throughput')) {
				const options = (p.options as INodeProperties[]).map((o) => o.name);
				const robot = p.displayOptions?.show?.resource?.includes('groupRobot');
				expect(options.includes('maxWaitSeconds')).toBe(!robot);
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
	},
);
