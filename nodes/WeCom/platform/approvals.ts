import type { PlatformErrorDetails } from '../../shared/platform/types';

/**
 * WeCom approvals (审批, the approval app's OA APIs) as a self-built app calls them: paths, what
 * their status codes mean, their limits, and what to do about their error codes.
 * https://developer.work.weixin.qq.com/document/path/91853 (applyevent), 91982 (gettemplatedetail),
 * 91983 (getapprovaldetail), 91816 (getapprovalinfo), 96484 (media/upload).
 */
export const APPROVAL_PATHS = {
	templateDetail: '/cgi-bin/oa/gettemplatedetail',
	applyEvent: '/cgi-bin/oa/applyevent',
	approvalDetail: '/cgi-bin/oa/getapprovaldetail',
	approvalInfo: '/cgi-bin/oa/getapprovalinfo',
	mediaUpload: '/cgi-bin/media/upload',
} as const;

const PATHS = new Set<string>(Object.values(APPROVAL_PATHS));

/** Whether a call is one of the approval APIs (or the upload of an approval's attachment). */
export const isApprovalPath = (path: string): boolean => PATHS.has(path);

/** The whole application's `sp_status`. */
export const APPLICATION_STATUSES: Record<number, string> = {
	1: 'inReview',
	2: 'approved',
	3: 'rejected',
	4: 'withdrawn',
	6: 'withdrawnAfterApproval',
	7: 'deleted',
	10: 'paid',
};

/** An approval node's or an approver's `sp_status`. */
export const APPROVER_STATUSES: Record<number, string> = {
	1: 'inReview',
	2: 'agreed',
	3: 'rejected',
	4: 'redirected',
};

/** sp_record `approverattr`: how the approvers of a node decide. */
export const APPROVER_ATTRS: Record<number, string> = { 1: 'anyOne', 2: 'all' };

/** Get Many's Status filter (`sp_status`). */
export const STATUS_FILTER_OPTIONS = [
	{ name: 'In Review (审批中)', value: '1' },
	{ name: 'Approved (已通过)', value: '2' },
	{ name: 'Rejected (已驳回)', value: '3' },
	{ name: 'Withdrawn (已撤销)', value: '4' },
	{ name: 'Withdrawn After Approval (通过后撤销)', value: '6' },
	{ name: 'Deleted (已删除)', value: '7' },
	{ name: 'Paid (已支付)', value: '10' },
];

/** Get Many's Record Type filter (`record_type`): the kind of the template. */
export const RECORD_TYPE_OPTIONS = [
	{ name: 'Leave (请假)', value: '1' },
	{ name: 'Punch Correction (打卡补卡)', value: '2' },
	{ name: 'Business Trip (出差)', value: '3' },
	{ name: 'Outing (外出)', value: '4' },
	{ name: 'Overtime (加班)', value: '5' },
	{ name: 'Shift Swap (调班)', value: '6' },
	{ name: 'Meeting Room Booking (会议室预定)', value: '7' },
	{ name: 'Refund (退款)', value: '8' },
	{ name: 'Red Packet Reimbursement (红包报销)', value: '9' },
];

/** getapprovalinfo: a range of at most 31 days, pages of at most 100 sp_nos. */
export const LIST_RULES = { maxSpanDays: 31, pageSize: 100 };

/**
 * applyevent: at most 6 attachments in one application ("全局仅支持上传6个附件"), at most 3
 * summary lines; media/upload takes files of more than 5 bytes and at most 20 MB (reference B9).
 */
export const CREATE_LIMITS = {
	attachments: 6,
	summaryLines: 3,
	minFileBytes: 6,
	maxFileBytes: 20 * 1024 * 1024,
};

const APPROVAL_PERMISSION =
	'The app may not use the approval APIs. In the WeCom admin console open App Management → Approval (审批) → API and add this app to the apps that may call the API (可调用接口的应用); the applicant must also be inside the app’s Visible Range (可见范围).';

/**
 * Hints for the codes the approval APIs (and the attachment upload) answer, by errcode. 301025 is
 * WeCom's answer to every wrong approval parameter ("get approval param error:<what>");
 * `approvalHint` picks the sentence for the <what>.
 */
export const APPROVAL_HINTS: Record<string, string> = {
	'301025':
		"WeCom refused a parameter of the approval; its message names which. Check the Template ID (the end of the template's edit page URL), that the creator and approvers are active members in the app's Visible Range, and the form: load the template's fields in the node again if the template changed.",
	'48002': APPROVAL_PERMISSION,
	'60011': APPROVAL_PERMISSION,
	'40004': 'WeCom refused the attachment file as a media type it does not take.',
	'40005': 'The upload type is wrong: approval attachments are uploaded as type file.',
	'40006':
		'An attachment is empty, 5 bytes or less, or larger than 20 MB: WeCom takes files from 6 bytes to 20 MB.',
	'44001': 'The attachment was empty: check the binary field of the item.',
};

/** What 301025's `<what>` means, by the words it starts with. */
const PARAM_HINTS: Array<[RegExp, string]> = [
	[
		/invalid template_id/,
		"No approval template has this ID in this company. Copy the Template ID from the end of the browser URL on the template's edit page (admin console → App Management → Approval → the template), or from an approval's details (Get).",
	],
	[
		/creator_userid not in app visiable range/,
		"The creator is not an active member inside the app's Visible Range (可见范围). Check the UserID, or add the member (or their department) to the app's Visible Range.",
	],
	[
		/invalid (approver|notifyer) userid/,
		'An approver or notifier is not an active member of the company. Check the UserIDs under Approvers and Notifiers.',
	],
	[
		/approver is empty|invalid approver attr|invalid process/,
		"Give at least one approval step with approvers, or use the template's flow.",
	],
	[
		/invalid choose_department/,
		"The department is not one of the creator's departments. Choose one the creator belongs to, or leave it empty for their main department.",
	],
	[
		/invalid control id|has no require control|is required/,
		"The form does not match the template: a field is unknown, or a required one is missing or empty. Reload the template's fields in the node if the template changed.",
	],
	[
		/no applydata content/,
		'The form is empty, or a Number or Money value was sent as a JSON number: WeCom takes them as strings, e.g. "3.5".',
	],
	[/invalid summary_list/, 'Give at most 3 summary lines of text.'],
	[
		/invalid sp_no/,
		'No approval of this company has this number. Check the approval number (sp_no) from Create, Get Many or an approval event.',
	],
	[
		/invalid starttime or endtime/,
		'The end must be after the start, and one call covers at most 31 days (the node splits longer ranges).',
	],
	[/invalid (new_)?cursor/, 'The page cursor is no longer valid: list again from the start.'],
	[/invalid filter/, 'A filter is wrong: only the department filter may be given several times.'],
];

/**
 * The hint for an approval API's refusal: 301025 by what its message names, the other codes from
 * APPROVAL_HINTS. The profile's `hint(details, request)` can call it for `isApprovalPath` calls.
 */
export function approvalHint(details: PlatformErrorDetails, path?: string): string | undefined {
	const code = String(details.errcode ?? '');
	if (code === '301025') {
		// "[Warning: wrong json format. ]get approval param error[:<what>][, <detail>], hint: [...]…"
		const errmsg = String(details.errmsg ?? '').replace(/^Warning: wrong json format\.\s*/, '');
		const what = /^get approval param error(?::([^,]*))?/.exec(errmsg)?.[1]?.trim() ?? '';
		if (!what && path === APPROVAL_PATHS.templateDetail) return PARAM_HINTS[0][1];
		const found = what ? PARAM_HINTS.find(([pattern]) => pattern.test(what)) : undefined;
		if (found) return found[1];
	}
	return APPROVAL_HINTS[code];
}
