import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	answerCallback,
	callbackSettingsProperty,
	commaList,
	consoleWebhookMethods,
	readCallbackRequest,
	startWith,
	testCallbackCredential,
	unparsedBodyParameter,
} from '../shared/callbacks/receiver';
import { SP_STATUS, STATU_CHANGE_EVENT } from './trigger/events';
import { cipherFor, receiveCallback } from './trigger/receiver';

const TRIGGER = 'WeCom Trigger';

const RECEIVER = { field: 'corpId', empty: 'The Corp ID is empty' };

export class WeComTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeCom Trigger',
		name: 'weComTrigger',
		icon: { light: 'file:wecom.svg', dark: 'file:wecom.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"] === "all" ? "Every event" : "Approval changes"}}',
		description:
			'Starts the workflow on WeCom (企业微信) callbacks: approval changes (审批) and other app events',
		// Also in the codex: n8n's Docs link uses this one as it is, where it would append its
		// tracking query to the codex URL after the #anchor (and GitHub would lose the section).
		documentationUrl:
			'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#wecom-trigger',
		defaults: { name: 'WeCom Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'weComCallbackApi', required: true, testedBy: 'weComCallbackApiTest' }],
		webhooks: [
			{
				// URL verification when the callback URL is saved in the admin console.
				name: 'setup',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: 'webhook',
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'Publish the workflow, then paste its Production URL (Webhook URLs above → Production URL) into the WeCom admin console: App Management → the app → Receive Messages (接收消息) → Set API Receiving (设置API接收), with the Token and EncodingAESKey of the credential. WeCom checks the URL when you save. For approval events, also choose the app under Approval (审批) → API.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'options',
				options: [
					{
						name: 'Approval Changes',
						value: 'approval',
						description: 'Only sys_approval_change and open_approval_change',
					},
					{
						name: 'Every Event',
						value: 'all',
						description:
							'Approval changes as clean items, every other event (contact changes, card clicks, …) as parsed fields',
					},
				],
				default: 'approval',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add filter',
				default: {},
				description:
					'Narrow the approval changes that start the workflow; the others are answered and dropped',
				options: [
					{
						displayName: 'Statuses',
						name: 'statuses',
						type: 'multiOptions',
						options: Object.entries(SP_STATUS).map(([value, name]) => ({
							name: `${name.charAt(0).toUpperCase()}${name.slice(1)} (${value})`,
							value,
						})),
						default: [],
						description:
							'Only applications now in one of these states; none selected: all. Matches SpStatus of sys_approval_change (every code listed) and OpenSpStatus of open_approval_change (codes 1–4 only, same meanings), the event of the older approval flow.',
					},
					{
						displayName: 'Change Events',
						name: 'changeEvents',
						type: 'multiOptions',
						options: Object.entries(STATU_CHANGE_EVENT).map(([value, name]) => ({
							name: `${name.charAt(0).toUpperCase()}${name.slice(1)} (${value})`,
							value,
						})),
						default: [],
						description:
							'Only sys_approval_change events for what just happened (StatuChangeEvent); none selected: all. With Statuses: Approved (2) and Rejected (3) in both gives the final decisions only, not earlier steps or later comments.',
					},
					{
						displayName: 'Template IDs',
						name: 'templateIds',
						type: 'string',
						default: '',
						placeholder: 'e.g. C4NyMabc…, 3TkZjxg…',
						description:
							'Only approval changes of these templates (comma-separated): TemplateId of sys_approval_change, OpenTemplateId of open_approval_change. Empty: every template.',
					},
				],
			},
			callbackSettingsProperty,
			unparsedBodyParameter,
		],
	};

	// The callback URL is pasted into the WeCom admin console: nothing to register or remove.
	webhookMethods = consoleWebhookMethods({
		trigger: TRIGGER,
		credentialType: 'weComCallbackApi',
		cipherFor,
		receiver: RECEIVER,
	});

	methods = {
		credentialTest: {
			async weComCallbackApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return testCallbackCredential(credential.data ?? {}, cipherFor, {
					...RECEIVER,
					ok: 'The Token and EncodingAESKey are well-formed',
				});
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = await readCallbackRequest(this, TRIGGER, 'weComCallbackApi', cipherFor);
		if ('misconfigured' in request) return request.misconfigured;
		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const outcome = receiveCallback(
			{ webhook: this.getWebhookName(), query: request.query, rawBody: request.rawBody },
			{
				...request,
				events: this.getNodeParameter('events', 'approval') as string,
				templateIds: commaList(filters.templateIds),
				statuses: (filters.statuses as string[] | undefined) ?? [],
				changeEvents: (filters.changeEvents as string[] | undefined) ?? [],
			},
		);
		answerCallback(this, { trigger: TRIGGER, outcome, contentType: 'text/plain' });
		return startWith(this, outcome.item);
	}
}
