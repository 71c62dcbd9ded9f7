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
import { includeFormValuesProperty } from './trigger/details';
import { eventProperties, readFilters } from './trigger/events';
import type { AckStatus } from './trigger/stream/frames';
import { handleStreamEvent } from './trigger/stream/events';
import type { StreamProblem } from './trigger/stream/gateway';
import { openStream } from './trigger/stream/gateway';
import type { StreamSocket } from './trigger/stream/session';
import { StreamSession } from './trigger/stream/session';

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
					'In the DingTalk developer console: the app → Events & Callbacks (事件与回调) → push mode: Stream (Stream 模式推送), then tick the approval events (审批实例开始、结束 / 审批任务开始、结束、转交). No public URL is needed. Each event goes to one connection of the app: while this workflow is active, a test run here may receive an event instead of it.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			...eventProperties('the console subscribes the app to'),
			includeFormValuesProperty,
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const credentials = (await this.getCredentials('dingTalkApi')) as PlatformCredentials;
		const filters = readFilters(
			this.getNodeParameter('events', 'approval'),
			this.getNodeParameter('filters', {}) as IDataObject,
		);
		const includeFormValues = this.getNodeParameter('includeFormValues', false) === true;
		const deduplicator = new EventDeduplicator();
		const inFlight = new Map<string, Promise<AckStatus>>();
		const failure = (problem: StreamProblem) =>
			new NodeOperationError(this.getNode(), problem.message, { description: problem.advice });

		// The first connection is opened here, so that wrong credentials fail the activation (or
		// the test run) at once, with what to fix.
		const first = await openStream(this, credentials);
		if ('problem' in first) throw failure(first.problem);
		const session = new StreamSession({
			open: async () => await openStream(this, credentials),
			connect: (url) => socketFactory.connect(url),
			onEvent: async (frame) =>
				await handleStreamEvent(this, frame, {
					filters,
					includeFormValues,
					deduplicator,
					inFlight,
				}),
			// The app itself was refused (its secret changed, Stream switched off): n8n deactivates
			// the workflow, runs the error workflow and retries the activation with back-off.
			onFatal: (problem) => this.emitError(failure(problem)),
			log: this.logger,
		});
		session.start(first.grant);
		return {
			closeFunction: async () => await session.close(),
		};
	}
}
