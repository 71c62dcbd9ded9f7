import { createHash } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import type { XmlNode, XmlObject } from '../../shared/callbacks/xml';
import {
	CHANGE_CONTACT_REPEATED,
	OPEN_APPROVAL_CHANGE_REPEATED,
	SYS_APPROVAL_CHANGE_REPEATED,
	TEMPLATE_CARD_EVENT_REPEATED,
} from '../../shared/callbacks/wecomRepeats';

/**
 * What the WeCom Trigger makes of a decrypted callback message: the repeating paths per event, and
 * `sys_approval_change` (https://developer.work.weixin.qq.com/document/path/92633) as a clean item.
 */

export const APPROVAL_EVENTS = ['sys_approval_change', 'open_approval_change'];

export function repeatedPathsFor(event: string): readonly string[] {
	switch (event) {
		case 'sys_approval_change':
			return SYS_APPROVAL_CHANGE_REPEATED;
		case 'open_approval_change':
			return OPEN_APPROVAL_CHANGE_REPEATED;
		case 'template_card_event':
			return TEMPLATE_CARD_EVENT_REPEATED;
		case 'change_contact':
			return CHANGE_CONTACT_REPEATED;
		default:
			return [];
	}
}

/** SpStatus of the application (WxJava WxCpXmlApprovalInfo, doc 92633). */
export const SP_STATUS: Record<string, string> = {
	'1': 'pending',
	'2': 'approved',
	'3': 'rejected',
	'4': 'withdrawn',
	'6': 'withdrawn after approval',
	'7': 'deleted',
	'10': 'paid',
};

/** StatuChangeEvent: what just happened to the application. */
export const STATU_CHANGE_EVENT: Record<string, string> = {
	'1': 'submitted',
	'2': 'approved',
	'3': 'rejected',
	'4': 'redirected',
	'5': 'urged',
	'6': 'withdrawn',
	'8': 'withdrawn after approval',
	'10': 'comment added',
};

/** SpStatus of one approver in a node. */
const APPROVER_STATUS: Record<string, string> = {
	'1': 'pending',
	'2': 'approved',
	'3': 'rejected',
	'4': 'redirected',
	'11': 'returned',
	'12': 'added approver',
	'13': 'added approver and approved',
	'14': 'processing',
	'15': 'redirected and approved',
};

const APPROVER_ATTR: Record<string, string> = {
	'1': 'any one approves (或签)',
	'2': 'all approve (会签)',
};

function text(node: XmlNode | XmlNode[] | undefined): string {
	if (typeof node === 'string') return node;
	if (Array.isArray(node) && typeof node[0] === 'string') return node[0];
	return '';
}

function object(node: XmlNode | XmlNode[] | undefined): XmlObject {
	if (Array.isArray(node)) return object(node[0]);
	return typeof node === 'object' && node !== null ? node : {};
}

function list(node: XmlNode | XmlNode[] | undefined): XmlObject[] {
	if (node === undefined) return [];
	const all = Array.isArray(node) ? node : [node];
	return all.filter((entry): entry is XmlObject => typeof entry === 'object' && entry !== null);
}

function code(value: string, names: Record<string, string>): IDataObject {
	const number = Number(value);
	return {
		code: value === '' || !Number.isFinite(number) ? value : number,
		name: names[value] ?? 'unknown',
	};
}

/** Unix seconds → ISO string; '' and 0 (not yet acted) → null. */
function time(value: string): string | null {
	const seconds = Number(value);
	if (value === '' || !Number.isFinite(seconds) || seconds <= 0) return null;
	return new Date(seconds * 1000).toISOString();
}

function attachments(node: XmlNode | XmlNode[] | undefined): string[] {
	return list(node).map((attach) => text(attach.FileId));
}

/** A `sys_approval_change` message, read with SYS_APPROVAL_CHANGE_REPEATED, as a clean item. */
export function sysApprovalChangeItem(message: XmlObject, raw: string): IDataObject {
	const info = object(message.ApprovalInfo);
	const status = text(info.SpStatus);
	const change = text(info.StatuChangeEvent);
	const applyer = object(info.Applyer);
	return {
		event: 'sys_approval_change',
		corpId: text(message.ToUserName),
		agentId: text(message.AgentID),
		createTime: time(text(message.CreateTime)),
		spNo: text(info.SpNoStr) || text(info.SpNo),
		spName: text(info.SpName),
		templateId: text(info.TemplateId),
		status: code(status, SP_STATUS),
		statuChangeEvent: {
			code: code(change, STATU_CHANGE_EVENT).code,
			meaning: STATU_CHANGE_EVENT[change] ?? 'unknown',
		},
		applyTime: time(text(info.ApplyTime)),
		applicant: { userId: text(applyer.UserId), party: text(applyer.Party) },
		approvalNodes: list(info.SpRecord).map((record) => ({
			status: code(text(record.SpStatus), APPROVER_STATUS),
			approverAttr: code(text(record.ApproverAttr), APPROVER_ATTR),
			approvers: list(record.Details).map((detail) => ({
				userId: text(object(detail.Approver).UserId),
				status: code(text(detail.SpStatus), APPROVER_STATUS),
				speech: text(detail.Speech),
				time: time(text(detail.SpTime)),
				attachments: attachments(detail.Attach),
			})),
		})),
		notifiers: list(info.Notifyer).map((notifier) => text(notifier.UserId)),
		comments: list(info.Comments).map((comment) => ({
			userId: text(object(comment.CommentUserInfo).UserId),
			time: time(text(comment.CommentTime)),
			content: text(comment.CommentContent),
			id: text(comment.CommentId),
			attachments: attachments(comment.Attach),
		})),
		raw,
	};
}

/** Any other message: its parsed fields, the event name first, the XML under `raw`. */
export function genericItem(message: XmlObject, raw: string): IDataObject {
	const event = text(message.Event) || text(message.MsgType);
	return { event, ...(message as IDataObject), raw };
}

/** Template id and SpStatus of an approval message, for the node's filters. */
export function approvalFacts(message: XmlObject): { templateId: string; status: string } {
	const info = object(message.ApprovalInfo);
	return { templateId: text(info.TemplateId), status: text(info.SpStatus) };
}

/**
 * The id a redelivery repeats: MsgId for messages. For events WeCom advises FromUserName +
 * CreateTime, which two approvals of one application within a second share; a redelivery repeats
 * the whole decrypted message, so its SHA-256 is the id.
 */
export function dedupKey(message: XmlObject, xml: string): string {
	const msgId = text(message.MsgId);
	if (msgId !== '') return `msg:${msgId}`;
	return `xml:${createHash('sha256').update(xml, 'utf8').digest('hex')}`;
}
