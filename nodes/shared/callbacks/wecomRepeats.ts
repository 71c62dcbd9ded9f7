/**
 * Which elements of WeCom's decrypted callback messages repeat, as paths below `<xml>` for
 * `readXml({ repeated })`. Declaring them keeps the shape stable: one approver or five, the
 * workflow gets an array.
 */

/**
 * `sys_approval_change` (https://developer.work.weixin.qq.com/document/path/92633): WxJava's
 * WxCpXmlApprovalInfo marks these `@XStreamImplicit` (repeated in place); the official example has
 * two SpRecord, two Details in the first, two Notifyer and two Comments, one with an Attach.
 */
export const SYS_APPROVAL_CHANGE_REPEATED: readonly string[] = [
	'ApprovalInfo.SpRecord',
	'ApprovalInfo.SpRecord.Details',
	'ApprovalInfo.SpRecord.Details.Attach',
	'ApprovalInfo.Notifyer',
	'ApprovalInfo.Comments',
	'ApprovalInfo.Comments.Attach',
];

/**
 * `open_approval_change` (a self-built app's approval flow,
 * https://developer.work.weixin.qq.com/document/path/90269): the lists are wrapped — `ApprovalNodes`
 * holds one `ApprovalNode` per node, each `Items` one `Item` per approver, `NotifyNodes` one
 * `NotifyNode` per cc user; the doc's example as SDK tests quote it has two nodes of one or two
 * items. Nothing else in the event repeats (it has no attachments or comments). WxJava reads the wrappers as repeated in place
 * (https://github.com/Wechat-Group/WxJava/blob/develop/weixin-java-cp/src/main/java/me/chanjar/weixin/cp/bean/message/WxCpXmlApprovalInfo.java);
 * the WeCom Trigger's item reads that layout too, without declaring it here.
 */
export const OPEN_APPROVAL_CHANGE_REPEATED: readonly string[] = [
	'ApprovalInfo.ApprovalNodes.ApprovalNode',
	'ApprovalInfo.ApprovalNodes.ApprovalNode.Items.Item',
	'ApprovalInfo.NotifyNodes.NotifyNode',
];

/** `template_card_event` (https://developer.work.weixin.qq.com/document/path/90376): one per question, one per option. */
export const TEMPLATE_CARD_EVENT_REPEATED: readonly string[] = [
	'SelectedItems.SelectedItem',
	'SelectedItems.SelectedItem.OptionIds.OptionId',
];

/**
 * `change_contact` (https://developer.work.weixin.qq.com/document/path/96302): list fields arrive as
 * comma-separated text; only the extended attributes repeat.
 */
export const CHANGE_CONTACT_REPEATED: readonly string[] = ['ExtAttr.Item'];
