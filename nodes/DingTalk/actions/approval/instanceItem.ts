import type { IDataObject } from 'n8n-workflow';

import { instanceOutcome, TASK_RESULTS } from '../../platform/approvals';
import type { DingTalkInstance } from '../../transport/approvals';
import { decodeForm } from './form';

/** DingTalk's "2026-12-01T08:30Z" (UTC, to the minute) as a full ISO time; other text as it came. */
function isoTime(value: unknown): string | undefined {
	if (typeof value !== 'string' || !value) return undefined;
	const time = new Date(value);
	return Number.isNaN(time.getTime()) ? value : time.toISOString();
}

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

/**
 * An instance as a clean item: its outcome in plain words (approved, rejected, running,
 * terminated), times as ISO strings, tasks and records with readable states, and the form as a
 * `{label: value}` object, decoded. DingTalk's own values stay next to them (`status`, `result`,
 * `formComponentValues`), so nothing is lost.
 * https://open.dingtalk.com/document/orgapp/obtains-the-details-of-a-single-approval-instance-pop
 */
export function instanceItem(instanceId: string, instance: DingTalkInstance): IDataObject {
	const record = instance as IDataObject;
	return {
		instanceId,
		title: instance.title ?? '',
		outcome: instanceOutcome(instance.status ?? '', instance.result ?? ''),
		status: instance.status ?? '',
		result: instance.result ?? '',
		originatorUserId: instance.originatorUserId ?? '',
		originatorDeptId: record.originatorDeptId,
		originatorDeptName: record.originatorDeptName,
		createdAt: isoTime(record.createTime),
		finishedAt: isoTime(record.finishTime),
		approverUserIds: record.approverUserIds ?? [],
		ccUserIds: record.ccUserIds ?? [],
		businessId: record.businessId,
		tasks: (instance.tasks ?? []).map((task) => ({
			taskId: task.taskId,
			userId: task.userId ?? '',
			status: lower(task.status ?? ''),
			result: TASK_RESULTS[task.result ?? ''] ?? lower(task.result ?? ''),
			createdAt: isoTime(task.createTime),
			finishedAt: isoTime(task.finishTime),
			activityId: task.activityId,
			pcUrl: task.pcUrl,
			mobileUrl: task.mobileUrl,
		})),
		operationRecords: (instance.operationRecords ?? []).map((entry) => ({
			...entry,
			date: isoTime(entry.date) ?? entry.date,
		})),
		form: decodeForm(instance.formComponentValues),
		formComponentValues: instance.formComponentValues ?? [],
	};
}
