// @ts-check
'use strict';

const { APPROVAL_AGENT_ID } = require('../callbacks/wecom');

/**
 * The decrypted XML of a `sys_approval_change` event (审批申请状态变化回调通知), reference B7 and the
 * official examples (https://developer.work.weixin.qq.com/document/path/96508,
 * https://developer.work.weixin.qq.com/document/path/92633): envelope ToUserName (corpid),
 * FromUserName `sys`, CreateTime, MsgType `event`, Event `sys_approval_change`, AgentID 3010040;
 * then ApprovalInfo with SpNoStr (2025 docs) and SpNo, SpName, SpStatus, TemplateId, ApplyTime,
 * Applyer{UserId, Party}, one SpRecord per approval node with one Details per approver
 * (Approver{UserId}, Speech, SpStatus, SpTime, Attach per media id), one Notifyer{UserId} per cc
 * user, one Comments per comment (CommentUserInfo{UserId}, CommentTime, CommentContent, CommentId,
 * Attach…), StatuChangeEvent. Repeated elements repeat (B17 "which elements repeat", after
 * WxJava's WxCpXmlApprovalInfo @XStreamImplicit fields); Notifyer and Comments are left out when
 * there are none, as in third-party captures (B7). Text in CDATA, numbers bare (as in the examples),
 * no whitespace between elements.
 *
 * @typedef {import('./approvals').ApprovalInstance} ApprovalInstance
 */

/** A text element in CDATA (split where the text holds "]]>"). */
function text(/** @type {string} */ name, /** @type {unknown} */ value) {
	return `<${name}><![CDATA[${String(value ?? '')
		.split(']]>')
		.join(']]]]><![CDATA[>')}]]></${name}>`;
}

/** A number element, bare. */
const number = (/** @type {string} */ name, /** @type {number | string} */ value) =>
	`<${name}>${value}</${name}>`;

/**
 * @param {ApprovalInstance} instance the application after the change
 * @param {number} statuChangeEvent
 * @param {number} createTime unix seconds
 */
function approvalEventXml(instance, statuChangeEvent, createTime) {
	const records = instance.process
		.filter((node) => node.type !== 2)
		.map(
			(node) =>
				`<SpRecord>${number('SpStatus', node.spStatus)}${number('ApproverAttr', node.attr)}${node.details
					.map(
						(detail) =>
							`<Details><Approver>${text('UserId', detail.userid)}</Approver>${text('Speech', detail.speech)}${number('SpStatus', detail.spStatus)}${number('SpTime', detail.spTime)}${detail.mediaIds
								.map((id) => text('Attach', id))
								.join('')}</Details>`,
					)
					.join('')}</SpRecord>`,
		);
	const notifyers = notifyersOf(instance).map(
		(userid) => `<Notifyer>${text('UserId', userid)}</Notifyer>`,
	);
	const comments = instance.comments.map(
		(comment) =>
			`<Comments><CommentUserInfo>${text('UserId', comment.userid)}</CommentUserInfo>${number('CommentTime', comment.time)}${text('CommentContent', comment.content)}${text('CommentId', comment.id)}${comment.mediaIds
				.map((id) => text('Attach', id))
				.join('')}</Comments>`,
	);
	return [
		'<xml>',
		text('ToUserName', instance.corpId),
		text('FromUserName', 'sys'),
		number('CreateTime', createTime),
		text('MsgType', 'event'),
		text('Event', 'sys_approval_change'),
		number('AgentID', APPROVAL_AGENT_ID),
		'<ApprovalInfo>',
		text('SpNoStr', instance.spNo),
		number('SpNo', instance.spNo),
		text('SpName', instance.spName),
		number('SpStatus', instance.spStatus),
		text('TemplateId', instance.templateId),
		number('ApplyTime', instance.applyTime),
		`<Applyer>${text('UserId', instance.applyer.userid)}${text('Party', instance.applyer.partyid)}</Applyer>`,
		...records,
		...notifyers,
		...comments,
		number('StatuChangeEvent', statuChangeEvent),
		'</ApprovalInfo>',
		'</xml>',
	].join('');
}

/** The cc users of an application, in flow order, each once. */
function notifyersOf(/** @type {ApprovalInstance} */ instance) {
	return [...new Set(instance.process.flatMap((node) => (node.type === 2 ? node.userids : [])))];
}

module.exports = { approvalEventXml, notifyersOf };
