import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildNodeProperties, buildSubtitle } from '../shared/actions/buildProperties';
import { PICKER_VERSION } from '../shared/actions/recipients';
import { resources } from './actions/resources';
import { weComProfile } from './platform/profile';
import { router } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class WeCom implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeCom',
		name: 'weCom',
		icon: { light: 'file:wecom.svg', dark: 'file:wecom.dark.svg' },
		group: ['output'],
		version: [1, PICKER_VERSION],
		defaultVersion: PICKER_VERSION,
		subtitle: buildSubtitle(resources),
		description:
			'Send WeCom (企业微信) app messages and group robot messages, submit and read approvals (审批), look up departments, members and tags, and call any WeCom API',
		// Also in the codex: n8n's Docs link uses this one as it is, where it would append its
		// tracking query to the codex URL after the #anchor (and GitHub would lose the section).
		documentationUrl:
			'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#wecom-app-message',
		defaults: { name: 'WeCom' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Robots post with their own credential and need no app; every other resource uses the app.
		credentials: [
			{ name: 'weComApi', required: true, displayOptions: { hide: { resource: ['groupRobot'] } } },
			{
				name: 'weComRobotApi',
				required: true,
				displayOptions: { show: { resource: ['groupRobot'] } },
			},
		],
		properties: buildNodeProperties(resources, weComProfile.concurrency),
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
