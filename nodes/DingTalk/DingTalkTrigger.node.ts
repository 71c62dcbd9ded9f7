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
	consoleWebhookMethods,
	readCallbackRequest,
	startWith,
	testCallbackCredential,
	unparsedBodyParameter,
} from '../shared/callbacks/receiver';
import { includeFormValuesProperty, withInstance } from './trigger/details';
import { eventProperties, readFilters } from './trigger/events';
import { cipherFor, receiveCallback } from './trigger/receiver';

const TRIGGER = 'DingTalk Trigger';

const RECEIVER = { field: 'ownerKey', empty: 'The owner key (AppKey or CorpId) is empty' };

export class DingTalkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DingTalk Trigger',
		name: 'dingTalkTrigger',
		icon: { light: 'file:dingtalk.svg', dark: 'file:dingtalk.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"] === "all" ? "Every event" : "Approval events"}}',
		description:
			'Starts the workflow on DingTalk (钉钉) HTTP event subscription pushes: approval events (审批) and other app events',
		// Also in the codex: n8n's Docs link uses this one as it is, where it would append its
		// tracking query to the codex URL after the #anchor (and GitHub would lose the section).
		documentationUrl:
			'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#dingtalk-trigger',
		defaults: { name: 'DingTalk Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'dingTalkCallbackApi', required: true, testedBy: 'dingTalkCallbackApiTest' },
			{
				name: 'dingTalkApi',
				required: true,
				displayOptions: { show: { includeFormValues: [true] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			// First: n8n shows the credentials after the last parameter their display rules name, so
			// they stay at the top of the form.
			includeFormValuesProperty,
			{
				displayName:
					'Publish the workflow, then paste its Production URL (Webhook URLs above → Production URL) into the DingTalk developer console: the app → Events & Callbacks (事件与回调) → HTTP push (HTTP 推送) → Request URL (请求网址), with the aes_key and token of the credential, and tick the approval events (审批实例开始、结束 / 审批任务开始、结束、转交). DingTalk checks the URL when you save. No public URL? Use the DingTalk Stream Trigger.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			...eventProperties('the subscription sends'),
			callbackSettingsProperty,
			unparsedBodyParameter,
		],
	};

	// The callback URL is pasted into the DingTalk developer console: nothing to register or remove.
	webhookMethods = consoleWebhookMethods({
		trigger: TRIGGER,
		credentialType: 'dingTalkCallbackApi',
		cipherFor,
		receiver: RECEIVER,
	});

	methods = {
		credentialTest: {
			async dingTalkCallbackApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return testCallbackCredential(credential.data ?? {}, cipherFor, {
					...RECEIVER,
					ok: 'The token and aes_key are well-formed',
				});
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = await readCallbackRequest(this, TRIGGER, 'dingTalkCallbackApi', cipherFor);
		if ('misconfigured' in request) return request.misconfigured;
		const outcome = receiveCallback(request, {
			...request,
			filters: readFilters(
				this.getNodeParameter('events', 'approval'),
				this.getNodeParameter('filters', {}) as IDataObject,
			),
		});
		// Answered before anything else is read: DingTalk counts a push failed after 1.5 s.
		answerCallback(this, { trigger: TRIGGER, outcome, contentType: 'application/json' });
		let item = outcome.item;
		if (item !== undefined && this.getNodeParameter('includeFormValues', false) === true) {
			item = await withInstance(this, item);
		}
		return startWith(this, item);
	}
}
