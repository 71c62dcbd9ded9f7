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
 * the two approval events as clean items — `sys_approval_change` of the Approval app
 * (https://developer.work.weixin.qq.com/document/path/92633) and `open_approval_change` of a
 * self-built app's own approval flow (https://developer.work.weixin.qq.com/document/path/90269).
 *
 * The builders read a message as `readXml` returns it, and a JSON message converted to the same
 * shape (./message.ts). Names are matched exactly first, then regardless of case: WeCom's own
 * examples disagree on case (`ItemUserId` and `ItemUserid`, `ApproverStep` and `approverstep`), and
 * its JSON callbacks write keys in lower case (https://developer.work.weixin.qq.com/document/path/101033).
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

/**
 * SpStatus of the application (WxJava WxCpXmlApprovalInfo, doc 92633). The Statuses filter offers
 * these codes; OpenSpStatus uses 1–4 of them with the same meanings (OPEN_SP_STATUS).
 */
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

/** ApproverAttr of a sys_approval_change node, NodeAttr of an open_approval_change node. */
const APPROVER_ATTR: Record<string, string> = {
	'1': 'any one approves (或签)',
	'2': 'all approve (会签)',
};

/**
 * `open_approval_change` codes, as WxJava documents them from doc 90269
 * (https://github.com/Wechat-Group/WxJava/blob/develop/weixin-java-cp/src/main/java/me/chanjar/weixin/cp/bean/message/WxCpXmlApprovalInfo.java):
 * OpenSpStatus 1 审批中, 2 已通过, 3 已驳回, 4 已撤销 (SDKs generated from the doc say 已取消: the
 * applicant took it back either way).
 */
export const OPEN_SP_STATUS: Record<string, string> = {
	'1': 'pending',
	'2': 'approved',
	'3': 'rejected',
	'4': 'withdrawn',
};

/** NodeStatus of a node and ItemStatus of an approver in it: 1 审批中, 2 已同意, 3 已驳回, 4 已转审. */
const OPEN_NODE_STATUS: Record<string, string> = {
	'1': 'pending',
	'2': 'approved',
	'3': 'rejected',
	'4': 'redirected',
};

/** NodeType: 1 固定成员, 2 标签, 3 上级. */
const OPEN_NODE_TYPE: Record<string, string> = {
	'1': 'fixed members',
	'2': 'tag',
	'3': 'supervisor',
};

type Node = XmlNode | XmlNode[] | undefined;

/** The value under `name`: that exact name, else the first key equal to it regardless of case. */
export function field(parent: Node, name: string): Node {
	const found = object(parent);
	if (Object.prototype.hasOwnProperty.call(found, name)) return found[name];
	const lower = name.toLowerCase();
	const key = Object.keys(found).find((candidate) => candidate.toLowerCase() === lower);
	return key === undefined ? undefined : found[key];
}

export function text(node: Node): string {
	if (typeof node === 'string') return node;
	if (Array.isArray(node) && typeof node[0] === 'string') return node[0];
	return '';
}

function object(node: Node): XmlObject {
	if (Array.isArray(node)) return object(node[0]);
	return typeof node === 'object' && node !== null ? node : {};
}

function list(node: Node): XmlObject[] {
	if (node === undefined) return [];
	const all = Array.isArray(node) ? node : [node];
	return all.filter((entry): entry is XmlObject => typeof entry === 'object' && entry !== null);
}

/** Text of the child `name` of `parent`. */
function textOf(parent: Node, name: string): string {
	return text(field(parent, name));
}

/**
 * The entries of a wrapped list (`ApprovalNodes` → `ApprovalNode`, as doc 90269's example has
 * it), or of the wrapper itself repeated in place when there is no such child (how WxJava types
 * `ApprovalNodes`, `Items` and `NotifyNodes`).
 */
function wrapped(node: Node, child: string): XmlObject[] {
	return list(node).flatMap((entry) => {
		const inner = field(entry, child);
		return inner === undefined ? [entry] : list(inner);
	});
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

/** A count such as ApproverStep (0 is the first node); '' → null. */
function count(value: string): number | null {
	const number = Number(value);
	return value === '' || !Number.isInteger(number) ? null : number;
}

/** Attach elements: each is a media id (WxJava types them `List<String>`). */
function attachments(node: Node): string[] {
	if (node === undefined) return [];
	const all = Array.isArray(node) ? node : [node];
	return all
		.map((attach) => (typeof attach === 'string' ? attach : textOf(attach, 'FileId')))
		.filter((id) => id !== '');
}

/** ToUserName, AgentID and CreateTime, which every message carries. */
function envelope(message: XmlObject, event: string): IDataObject {
	return {
		event,
		corpId: textOf(message, 'ToUserName'),
		agentId: textOf(message, 'AgentID'),
		createTime: time(textOf(message, 'CreateTime')),
	};
}

/** A `sys_approval_change` message, read with SYS_APPROVAL_CHANGE_REPEATED, as a clean item. */
export function sysApprovalChangeItem(message: XmlObject, raw: string): IDataObject {
	const info = field(message, 'ApprovalInfo');
	const status = textOf(info, 'SpStatus');
	const change = textOf(info, 'StatuChangeEvent');
	const applyer = field(info, 'Applyer');
	return {
		...envelope(message, 'sys_approval_change'),
		spNo: textOf(info, 'SpNoStr') || textOf(info, 'SpNo'),
		spName: textOf(info, 'SpName'),
		templateId: textOf(info, 'TemplateId'),
		status: code(status, SP_STATUS),
		statuChangeEvent: {
			code: code(change, STATU_CHANGE_EVENT).code,
			meaning: STATU_CHANGE_EVENT[change] ?? 'unknown',
		},
		applyTime: time(textOf(info, 'ApplyTime')),
		applicant: { userId: textOf(applyer, 'UserId'), party: textOf(applyer, 'Party') },
		approvalNodes: list(field(info, 'SpRecord')).map((record) => ({
			status: code(textOf(record, 'SpStatus'), APPROVER_STATUS),
			approverAttr: code(textOf(record, 'ApproverAttr'), APPROVER_ATTR),
			approvers: list(field(record, 'Details')).map((detail) => ({
				userId: textOf(field(detail, 'Approver'), 'UserId'),
				status: code(textOf(detail, 'SpStatus'), APPROVER_STATUS),
				speech: textOf(detail, 'Speech'),
				time: time(textOf(detail, 'SpTime')),
				attachments: attachments(field(detail, 'Attach')),
			})),
		})),
		notifiers: list(field(info, 'Notifyer')).map((notifier) => textOf(notifier, 'UserId')),
		comments: list(field(info, 'Comments')).map((comment) => ({
			userId: textOf(field(comment, 'CommentUserInfo'), 'UserId'),
			time: time(textOf(comment, 'CommentTime')),
			content: textOf(comment, 'CommentContent'),
			id: textOf(comment, 'CommentId'),
			attachments: attachments(field(comment, 'Attach')),
		})),
		raw,
	};
}

/**
 * An approver or cc user of an open_approval_change: ItemUserId (ItemUserid in WxJava), ItemName,
 * ItemParty, ItemImage.
 */
function itemPerson(item: Node): IDataObject {
	return {
		userId: textOf(item, 'ItemUserId'),
		name: textOf(item, 'ItemName'),
		party: textOf(item, 'ItemParty'),
		image: textOf(item, 'ItemImage'),
	};
}

/**
 * An `open_approval_change` message (doc 90269), read with OPEN_APPROVAL_CHANGE_REPEATED, as a
 * clean item named like the sys_approval_change one: nodes have `status`, `approverAttr` (NodeAttr)
 * and `approvers`, people have `userId`.
 */
export function openApprovalChangeItem(message: XmlObject, raw: string): IDataObject {
	const info = field(message, 'ApprovalInfo');
	return {
		...envelope(message, 'open_approval_change'),
		thirdNo: textOf(info, 'ThirdNo'),
		openSpName: textOf(info, 'OpenSpName'),
		openTemplateId: textOf(info, 'OpenTemplateId'),
		openSpStatus: code(textOf(info, 'OpenSpStatus'), OPEN_SP_STATUS),
		applyTime: time(textOf(info, 'ApplyTime')),
		applicant: {
			userId: textOf(info, 'ApplyUserId'),
			name: textOf(info, 'ApplyUserName'),
			party: textOf(info, 'ApplyUserParty'),
			image: textOf(info, 'ApplyUserImage'),
		},
		approverStep: count(textOf(info, 'ApproverStep')),
		approvalNodes: wrapped(field(info, 'ApprovalNodes'), 'ApprovalNode').map((node) => ({
			status: code(textOf(node, 'NodeStatus'), OPEN_NODE_STATUS),
			approverAttr: code(textOf(node, 'NodeAttr'), APPROVER_ATTR),
			nodeType: code(textOf(node, 'NodeType'), OPEN_NODE_TYPE),
			approvers: wrapped(field(node, 'Items'), 'Item').map((item) => ({
				...itemPerson(item),
				status: code(textOf(item, 'ItemStatus'), OPEN_NODE_STATUS),
				speech: textOf(item, 'ItemSpeech'),
				time: time(textOf(item, 'ItemOpTime')),
			})),
		})),
		notifiers: wrapped(field(info, 'NotifyNodes'), 'NotifyNode').map(itemPerson),
		raw,
	};
}

/** Any other message: its parsed fields, the event name first, the message text under `raw`. */
export function genericItem(message: XmlObject, raw: string): IDataObject {
	const event = textOf(message, 'Event') || textOf(message, 'MsgType');
	return { event, ...(message as IDataObject), raw };
}

/**
 * Template id and status of an approval message, for the node's filters: TemplateId and SpStatus
 * of sys_approval_change, OpenTemplateId and OpenSpStatus of open_approval_change.
 */
export function approvalFacts(
	message: XmlObject,
	event: string,
): { templateId: string; status: string; change?: string } {
	const info = field(message, 'ApprovalInfo');
	if (event === 'open_approval_change') {
		return { templateId: textOf(info, 'OpenTemplateId'), status: textOf(info, 'OpenSpStatus') };
	}
	return {
		templateId: textOf(info, 'TemplateId'),
		status: textOf(info, 'SpStatus'),
		change: textOf(info, 'StatuChangeEvent'),
	};
}

/**
 * The id a redelivery repeats: MsgId for messages. For events WeCom advises FromUserName +
 * CreateTime, which two approvals of one application within a second share; a redelivery repeats
 * the whole decrypted message, so its SHA-256 is the id.
 */
export function dedupKey(message: XmlObject, decrypted: string, format: 'xml' | 'json'): string {
	const msgId = textOf(message, 'MsgId');
	if (msgId !== '') return `msg:${msgId}`;
	return `${format}:${createHash('sha256').update(decrypted, 'utf8').digest('hex')}`;
}
