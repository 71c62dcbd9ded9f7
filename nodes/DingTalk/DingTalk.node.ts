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
import { dingTalkProfile } from './platform/profile';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class DingTalk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DingTalk',
		name: 'dingTalk',
		icon: { light: 'file:dingtalk.svg', dark: 'file:dingtalk.dark.svg' },
		group: ['output'],
		version: [1, PICKER_VERSION],
		defaultVersion: PICKER_VERSION,
		subtitle: buildSubtitle(resources),
		description:
			'Send DingTalk (钉钉) work notifications and group robot messages, look up departments and users, and call any DingTalk API',
		defaults: { name: 'DingTalk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Robots post with their own credential and need no app; every other resource uses the app.
		credentials: [
			{
				name: 'dingTalkApi',
				required: true,
				// Not on the Group Robot resource, unless its mentions are picked from the contacts;
				// other resources never have that switch, and a rule on a missing value never hides.
				displayOptions: { hide: { pickMentionsFromContacts: [false] } },
			},
			{
				name: 'dingTalkRobotApi',
				required: true,
				displayOptions: { show: { resource: ['groupRobot'] } },
			},
		],
		properties: buildNodeProperties(resources, dingTalkProfile.concurrency),
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
