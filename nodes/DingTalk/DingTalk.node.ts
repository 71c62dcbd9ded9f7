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
import { listSearch, loadOptions, resourceMapping } from './methods';
import { appCredentialSwitch } from './actions/groupRobot/message';

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
			'Send DingTalk (钉钉) work notifications and group robot messages, create and act on approvals (审批), look up departments and users, and call any DingTalk API',
		// Also in the codex: n8n's Docs link uses this one as it is, where it would append its
		// tracking query to the codex URL after the #anchor (and GitHub would lose the section).
		documentationUrl:
			'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#dingtalk-work-notification',
		defaults: { name: 'DingTalk' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Robots post with their own credential and need no app; every other resource uses the app.
		credentials: [
			{
				name: 'dingTalkApi',
				required: true,
				// Every resource but Group Robot has this switch as a hidden parameter that is always on;
				// on Group Robot it is the user's "Pick Mentions From Contacts" (off by default). n8n saves
				// only values that differ from their defaults, and checks credentials against them when
				// publishing: a rule on `resource` together with the switch cannot be written (display
				// rules AND their show keys and OR their hide keys), so one switch carries both.
				displayOptions: { show: { pickMentionsFromContacts: [true] } },
			},
			{
				name: 'dingTalkRobotApi',
				required: true,
				displayOptions: { show: { resource: ['groupRobot'] } },
			},
		],
		// The switch first: n8n shows the credentials just above the parameter their rule names.
		properties: [
			appCredentialSwitch,
			...buildNodeProperties(resources, dingTalkProfile.concurrency),
		],
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
