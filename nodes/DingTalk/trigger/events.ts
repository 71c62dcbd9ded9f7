import { createHash } from 'crypto';

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { commaList } from '../../shared/callbacks/receiver';

/**
 * What both DingTalk triggers (HTTP event subscription and Stream mode) make of an event: approval
 * events as clean items, the node's filters, and the id a redelivery repeats. Event fields:
 * https://open.dingtalk.com/document/development/event-bpms-instance-change and
 * https://open.dingtalk.com/document/development/event-bpms-task-change
 */

export const APPROVAL_EVENTS = ['bpms_instance_change', 'bpms_task_change'];

/** `type` of an instance event. */
const INSTANCE_TYPES: Record<string, string> = {
	start: 'the approval was started',
	finish: 'the approval finished (approved or rejected)',
	terminate: 'the approval was terminated (withdrawn by its originator)',
	delete: 'the approval was deleted',
};

/** `type` of a task event. */
const TASK_TYPES: Record<string, string> = {
	start: 'a task was given to the approver',
	finish: 'the approver acted on the task',
	cancel: 'the task was cancelled (another approver of an OR step acted, or the approval ended)',
	comment: 'the approver commented',
};

const RESULTS: Record<string, string> = {
	agree: 'approved',
	refuse: 'rejected',
	redirect: 'redirected to someone else',
	audit: 'commented',
};

/** What an instance event says about the approval as a whole. */
function instanceOutcomeOf(type: string, result: string): string {
	if (type === 'start') return 'running';
	if (type === 'terminate') return 'terminated';
	if (type === 'delete') return 'deleted';
	if (type === 'finish') return RESULTS[result] ?? 'finished';
	return 'unknown';
}

const text = (value: unknown): string =>
	typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** Milliseconds (number or digits) → ISO string; absent or 0 → null. */
function isoTime(value: unknown): string | null {
	const ms = typeof value === 'number' ? value : Number(text(value));
	if (!Number.isFinite(ms) || ms <= 0 || text(value) === '') return null;
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** How an event reached the trigger: the envelope fields outside the event's own data. */
export interface EventEnvelope {
	eventType: string;
	eventId: string;
	corpId: string;
	/** When DingTalk produced the event (ms), if it said. */
	eventTime?: unknown;
}

/**
 * The envelope of an HTTP-pushed event. The current pages name `EventType, EventTime, CorpId,
 * BizId, eventId`; older pages and captures send `corpId` only.
 */
export function httpEnvelope(event: Record<string, unknown>): EventEnvelope {
	return {
		eventType: text(event.EventType),
		eventId: text(event.eventId) || text(event.EventId),
		corpId: text(event.CorpId) || text(event.corpId),
		eventTime: event.EventTime,
	};
}

/** The envelope and event fields of the HTTP push, without each other. */
const ENVELOPE_KEYS = ['EventType', 'EventTime', 'CorpId', 'corpId', 'BizId', 'eventId', 'EventId'];

/** An approval event (instance or task change) as a clean item. */
export function approvalEventItem(
	envelope: EventEnvelope,
	data: Record<string, unknown>,
): IDataObject {
	const task = envelope.eventType === 'bpms_task_change';
	const type = text(data.type);
	const result = text(data.result);
	const staffId = text(data.staffId);
	const item: IDataObject = {
		event: envelope.eventType,
		eventId: envelope.eventId,
		corpId: envelope.corpId,
		eventTime: isoTime(envelope.eventTime),
		processInstanceId: text(data.processInstanceId),
		processCode: text(data.processCode),
		title: text(data.title),
		type: { code: type, meaning: (task ? TASK_TYPES : INSTANCE_TYPES)[type] ?? 'unknown' },
		result: result === '' ? null : { code: result, meaning: RESULTS[result] ?? 'unknown' },
		// staffId is the originator in instance events and the task's approver in task events.
		staff: { userId: staffId, role: task ? 'approver' : 'originator' },
	};
	if (task) {
		item.taskId = text(data.taskId);
		item.remark = text(data.remark);
	} else {
		item.outcome = instanceOutcomeOf(type, result);
		item.url = text(data.url);
	}
	Object.assign(item, {
		businessId: text(data.businessId),
		bizCategoryId: text(data.bizCategoryId),
		createTime: isoTime(data.createTime),
		finishTime: isoTime(data.finishTime),
		raw: { ...data },
	});
	return item;
}

/** Any other event: its fields, the event type first, the whole event under `raw`. */
export function otherEventItem(
	envelope: EventEnvelope,
	data: Record<string, unknown>,
): IDataObject {
	return {
		event: envelope.eventType,
		eventId: envelope.eventId,
		corpId: envelope.corpId,
		eventTime: isoTime(envelope.eventTime),
		...(data as IDataObject),
		raw: { ...data },
	};
}

/** The event's own fields of an HTTP push (its envelope keys removed). */
export function httpEventData(event: Record<string, unknown>): Record<string, unknown> {
	const data: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(event)) {
		if (!ENVELOPE_KEYS.includes(key)) data[key] = value;
	}
	return data;
}

export function eventItem(envelope: EventEnvelope, data: Record<string, unknown>): IDataObject {
	return APPROVAL_EVENTS.includes(envelope.eventType)
		? approvalEventItem(envelope, data)
		: otherEventItem(envelope, data);
}

/**
 * The id a redelivery repeats: the eventId when there is one. Older pushes carry none; a
 * redelivery repeats the whole event, so its SHA-256 stands in.
 */
export function eventDedupKey(envelope: EventEnvelope, plaintext: string): string {
	if (envelope.eventId !== '') return `event:${envelope.eventId}`;
	return `text:${createHash('sha256').update(plaintext, 'utf8').digest('hex')}`;
}

/** The node's choice of events and its filters, read from its parameters. */
export interface EventFilters {
	/** 'approval': approval events only; 'all': every event the subscription sends. */
	events: string;
	approvalEvents: string[];
	processCodes: string[];
	types: string[];
	results: string[];
}

export function readFilters(events: unknown, options: IDataObject): EventFilters {
	const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
	return {
		events: events === 'all' ? 'all' : 'approval',
		approvalEvents: list(options.approvalEvents),
		// Typed (comma-separated) on the HTTP trigger, picked (a list) on the Stream trigger.
		processCodes: Array.isArray(options.processCodes)
			? options.processCodes.map(String)
			: commaList(options.processCodes),
		types: list(options.types),
		results: list(options.results),
	};
}

/** Whether the node's Events and filters let this event through. */
export function wanted(
	filters: EventFilters,
	eventType: string,
	data: Record<string, unknown>,
): boolean {
	if (!APPROVAL_EVENTS.includes(eventType)) return filters.events === 'all';
	const passes = (chosen: string[], value: string) => chosen.length === 0 || chosen.includes(value);
	return (
		passes(filters.approvalEvents, eventType) &&
		passes(filters.processCodes, text(data.processCode)) &&
		passes(filters.types, text(data.type)) &&
		passes(filters.results, text(data.result))
	);
}

/** Events and filters, the same on both DingTalk triggers. */
export function eventProperties(
	whereChosen: string,
	templates: 'typed' | 'picked' = 'typed',
): INodeProperties[] {
	// The Stream trigger has the app credential, so it lists the templates by name.
	const processCodes: INodeProperties =
		templates === 'picked'
			? {
					displayName: 'Template Names or IDs',
					name: 'processCodes',
					type: 'multiOptions',
					typeOptions: { loadOptionsMethod: 'getApprovalTemplates' },
					default: [],
					description:
						'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					hint: 'Only events of these approval templates; none selected: every template',
				}
			: {
					displayName: 'Process Codes',
					name: 'processCodes',
					type: 'string',
					default: '',
					placeholder: 'e.g. PROC-FF6Y4BE1N2-…',
					description:
						'Only events of these approval templates (comma-separated); empty: every template',
				};
	return [
		{
			displayName: 'Events',
			name: 'events',
			type: 'options',
			options: [
				{
					name: 'Approval Events',
					value: 'approval',
					description: 'Only bpms_instance_change and bpms_task_change, as clean items',
				},
				{
					name: 'Every Event',
					value: 'all',
					description: `Approval events as clean items, every other event ${whereChosen} as its fields`,
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
			description: `Narrow the approval events ${whereChosen}; events that do not match are acknowledged and dropped`,
			options: [
				{
					displayName: 'Approval Events',
					name: 'approvalEvents',
					type: 'multiOptions',
					options: [
						{
							name: 'Instance Changes',
							value: 'bpms_instance_change',
							description: 'An approval started, finished or was terminated (bpms_instance_change)',
						},
						{
							name: 'Task Changes',
							value: 'bpms_task_change',
							description: 'An approver got, finished, passed on or lost a task (bpms_task_change)',
						},
					],
					default: [],
					description: 'None selected: both',
				},
				processCodes,
				{
					displayName: 'Change Types',
					name: 'types',
					type: 'multiOptions',
					options: [
						{ name: 'Cancel (Task)', value: 'cancel' },
						{ name: 'Comment (Task)', value: 'comment' },
						{ name: 'Delete (Instance)', value: 'delete' },
						{ name: 'Finish', value: 'finish' },
						{ name: 'Start', value: 'start' },
						{ name: 'Terminate (Instance)', value: 'terminate' },
					],
					default: [],
					description: "The event's type; none selected: all",
				},
				{
					displayName: 'Results',
					name: 'results',
					type: 'multiOptions',
					options: [
						{ name: 'Agree (Approved)', value: 'agree' },
						{ name: 'Audit (Task Comment)', value: 'audit' },
						{ name: 'Redirect (Task)', value: 'redirect' },
						{ name: 'Refuse (Rejected)', value: 'refuse' },
					],
					default: [],
					description:
						'Only finished approvals or tasks with these results (start events have none, so choosing any drops them); none selected: all',
				},
			],
		},
	];
}
