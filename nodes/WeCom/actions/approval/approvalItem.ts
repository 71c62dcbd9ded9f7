import type { IDataObject } from 'n8n-workflow';

import { APPLICATION_STATUSES, APPROVER_ATTRS, APPROVER_STATUSES } from '../../platform/approvals';
import type { WeComApprovalInfo } from '../../transport/approvals';
import { decodeContents, isoInZone } from './form';

const record = (value: unknown): IDataObject =>
	value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};

const list = (value: unknown): IDataObject[] => (Array.isArray(value) ? value.map(record) : []);

const text = (value: unknown): string =>
	typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);

/** Unix seconds as ISO text in the time zone; null for 0 (not acted yet) or nothing. */
function isoTime(seconds: unknown, timeZone: string): string | null {
	const value = Number(seconds);
	return Number.isFinite(value) && value > 0 ? isoInZone(value * 1000, timeZone) : null;
}

const statusName = (names: Record<number, string>, code: unknown) =>
	names[Number(code)] ?? (code === undefined || code === null ? null : String(code));

/**
 * An application as a clean item: its status as a code and a name (inReview, approved, …), the
 * applicant, times as ISO text in the workflow's time zone, the approval nodes with their
 * approvers, states and comments (speech), the notifiers, the comments, and the form as
 * `{title: value}`, decoded. WeCom's own answer stays under `raw`, so nothing is lost.
 * https://developer.work.weixin.qq.com/document/path/91983
 */
export function approvalItem(info: WeComApprovalInfo, timeZone: string): IDataObject {
	const applyer = record(info.applyer);
	return {
		spNo: text(info.sp_no),
		name: info.sp_name ?? '',
		templateId: info.template_id ?? '',
		status: info.sp_status ?? null,
		statusName: statusName(APPLICATION_STATUSES, info.sp_status),
		applicant: {
			userId: text(applyer.userid),
			departmentId: text(applyer.partyid),
		},
		appliedAt: isoTime(info.apply_time, timeZone),
		nodes: list(info.sp_record).map((node) => ({
			status: node.sp_status ?? null,
			statusName: statusName(APPROVER_STATUSES, node.sp_status),
			approveType: statusName(APPROVER_ATTRS, node.approverattr),
			approvers: list(node.details).map((detail) => ({
				userId: text(record(detail.approver).userid),
				status: detail.sp_status ?? null,
				statusName: statusName(APPROVER_STATUSES, detail.sp_status),
				comment: text(detail.speech),
				actedAt: isoTime(detail.sptime, timeZone),
				mediaIds: Array.isArray(detail.media_id) ? detail.media_id : [],
			})),
		})),
		notifiers: list(info.notifyer)
			.map((notifier) => text(notifier.userid))
			.filter(Boolean),
		comments: list(info.comments).map((comment) => ({
			userId: text(record(comment.commentUserInfo).userid),
			content: text(comment.commentcontent),
			commentedAt: isoTime(comment.commenttime, timeZone),
			commentId: text(comment.commentid),
			mediaIds: Array.isArray(comment.media_id) ? comment.media_id : [],
		})),
		form: decodeContents(info.apply_data?.contents, timeZone),
		raw: info as IDataObject,
	};
}
