import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, UserError } from 'n8n-workflow';

import { EventDeduplicator } from '../shared/callbacks/deduplicator';
import type { PlatformCredentials } from '../shared/platform/types';
import { approvalLoadOptions } from './methods/approvals';
import { includeFormValuesProperty } from './trigger/details';
import { eventProperties, readFilters } from './trigger/events';
import type { StreamEventSettings } from './trigger/stream/events';
import { handleStreamEvent } from './trigger/stream/events';
import type { AckStatus } from './trigger/stream/frames';
import type { StreamProblem } from './trigger/stream/gateway';
import { openStream } from './trigger/stream/gateway';
import { appKeyOf, subscribeToApp } from './trigger/stream/hub';
import type { StreamSocket } from './trigger/stream/session';

/** The WebSocket client built into Node 22 and later (n8n 2.41 requires Node 24). */
declare const WebSocket: (new (url: string) => StreamSocket) | undefined;

/** How the trigger opens sockets; replaced in tests that run on older Node versions. */
export const socketFactory = {
	connect(url: string): StreamSocket {
		if (typeof WebSocket !== 'function') {
			throw new UserError(
				'This Node.js has no built-in WebSocket client: the DingTalk Stream Trigger needs Node 22 or later',
			);
		}
		return new WebSocket(url);
	},
};

export class DingTalkStreamTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DingTalk Stream Trigger',
		name: 'dingTalkStreamTrigger',
		icon: { light: 'file:dingtalk.svg', dark: 'file:dingtalk.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"] === "all" ? "Every event" : "Approval events"}}',
		description:
			'Starts the workflow on DingTalk (钉钉) events received in Stream mode (Stream 模式): approval events (审批) without a public URL',
		// Also in the codex: n8n's Docs link uses this one as it is, where it would append its
		// tracking query to the codex URL after the #anchor (and GitHub would lose the section).
		documentationUrl:
			'https://github.com/n8n-nodes-dingtalk-wecom/n8n-nodes-dingtalk-wecom#dingtalk-stream-trigger',
		defaults: { name: 'DingTalk Stream Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dingTalkApi', required: true }],
		eventTriggerDescription:
			'Waiting for a DingTalk event (approve or reject an approval in DingTalk)',
		activationMessage:
			'The workflow keeps a Stream connection to DingTalk open and runs for each event the app receives.',
		properties: [
			{
				displayName:
					'In the DingTalk developer console: the app → Events & Callbacks (事件与回调) → push mode: Stream (Stream 模式推送), then tick the approval events (审批实例开始、结束 / 审批任务开始、结束、转交). No public URL is needed. All Stream triggers of the app in this n8n share one connection, and each sees every event.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			...eventProperties('the console subscribes the app to', 'picked'),
			includeFormValuesProperty,
		],
	};

	methods = { loadOptions: approvalLoadOptions };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const credentials = (await this.getCredentials('dingTalkApi')) as PlatformCredentials;
		const settings: StreamEventSettings = {
			filters: readFilters(
				this.getNodeParameter('events', 'approval'),
				this.getNodeParameter('filters', {}) as IDataObject,
			),
			includeFormValues: this.getNodeParameter('includeFormValues', false) === true,
			deduplicator: new EventDeduplicator(),
			inFlight: new Map<string, Promise<AckStatus>>(),
			testRun: { emitted: false },
		};
		const failure = (problem: StreamProblem) =>
			new NodeOperationError(this.getNode(), problem.message, { description: problem.advice });

		const subscription = await subscribeToApp(
			appKeyOf(credentials),
			{
				open: async () => await openStream(this, credentials),
				connect: (url) => socketFactory.connect(url),
				log: this.logger,
			},
			{
				handle: async (frame) => await handleStreamEvent(this, frame, settings),
				// The app was refused later on (its secret changed, Stream switched off): n8n
				// deactivates the workflow, runs the error workflow and retries the activation.
				fail: (problem) => this.emitError(failure(problem)),
			},
		);
		// Wrong credentials fail the activation (or the test run) at once, with what to fix.
		if ('problem' in subscription) throw failure(subscription.problem);
		// A test run ends with its first event (or a failed one): it leaves the connection then,
		// even if n8n never calls closeFunction (it does not when the run failed).
		settings.testRun.end = () => void subscription.unsubscribe();
		return { closeFunction: subscription.unsubscribe };
	}
}
