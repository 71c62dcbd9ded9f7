/**
 * DingTalk approvals (审批, OA) on the v1.0 workflow APIs: paths, what their states mean, and what to
 * do about their error codes.
 * https://open.dingtalk.com/document/orgapp/create-an-approval-instance and its sibling pages.
 */
export const APPROVAL_PATHS = {
	visibleTemplates: '/v1.0/workflow/processes/userVisibilities/templates',
	formSchema: '/v1.0/workflow/forms/schemas/processCodes',
	instances: '/v1.0/workflow/processInstances',
	instanceIds: '/v1.0/workflow/processes/instanceIds/query',
	execute: '/v1.0/workflow/processInstances/execute',
	terminate: '/v1.0/workflow/processInstances/terminate',
	comments: '/v1.0/workflow/processInstances/comments',
} as const;

/** The instance as users say it: status and result together (COMPLETED + agree is approved). */
export function instanceOutcome(status: string, result: string): string {
	if (status === 'COMPLETED') {
		if (result === 'agree') return 'approved';
		if (result === 'refuse') return 'rejected';
		return 'completed';
	}
	const plain: Record<string, string> = {
		NEW: 'new',
		RUNNING: 'running',
		TERMINATED: 'terminated',
		CANCELED: 'canceled',
	};
	return plain[status] ?? status.toLowerCase();
}

export const TASK_RESULTS: Record<string, string> = {
	AGREE: 'approved',
	REFUSE: 'rejected',
	REDIRECTED: 'redirected',
	NONE: 'none',
};

/** Statuses Get Many can filter on (the list API takes these three). */
export const LISTABLE_STATUSES = [
	{ name: 'Running', value: 'RUNNING' },
	{ name: 'Completed (Approved or Rejected)', value: 'COMPLETED' },
	{ name: 'Terminated (Withdrawn)', value: 'TERMINATED' },
];

/** The list API's window rules (https://open.dingtalk.com/document/orgapp/obtain-an-approval-list-of-instance-ids). */
export const LIST_WINDOW = {
	maxSpanDays: 120,
	maxStartAgeDays: 365,
	maxIds: 10_000,
	pageSize: 20,
	maxUserIds: 10,
};

/** At most 20 approvers in one create; cc list at most 50 (the create page). */
export const CREATE_LIMITS = { approvers: 20, cc: 50, formValues: 150, valueChars: 65_535 };

const WORKFLOW_PERMISSION =
	'In the DingTalk Developer Console open the app → Permission Management (权限管理) and grant the workflow permissions (Workflow.Form.Read, Workflow.Instance.Read, Workflow.Instance.Write), then run again.';

/** Hints for the v1.0 workflow codes (https://open.dingtalk.com/document/orgapp/create-an-approval-instance, error table). */
export const APPROVAL_HINTS: Record<string, string> = {
	formNotExist:
		'No approval template has this process code. Pick the template from the list, or copy its process code (PROC-…) from the OA admin console.',
	processCodeError:
		'No approval template has this process code. Pick the template from the list, or copy its process code (PROC-…) from the OA admin console.',
	processGetFailed:
		'DingTalk could not load this approval template: check the process code, and that the template is published.',
	aflowProcessCodeIsError: 'The process code is wrong: it starts with PROC-.',
	formConverterError:
		"DingTalk refused a form value: the message names the field. Enter it the way the template's form takes it (see the field's label in the node).",
	illegalComponent:
		"A form field does not belong to this template, or cannot be filled through the API. Reload the template's fields in the node.",
	processInstanceInvalidParameter:
		'A value of the request is wrong: check the originator (an active member inside the template’s visible range), the department and the approvers.',
	targetSelectApproverMissing:
		'The template asks the originator to choose approvers: add them under Approvers.',
	targetSelectApproverScopeError:
		'An approver is outside the range the template allows for self-chosen approvers.',
	invalidInstanceListIdsStartTime:
		'The start time is too far back: DingTalk lists instances started in the last 365 days (120 days when no end time is given).',
	invalidEndTime:
		'The end time is before the start time, or the range is longer than 120 days: split it into shorter ranges.',
	invalidMaxResults: 'DingTalk returns at most 20 instance IDs per page.',
	invalidUserIds: 'Filter on at most 10 originators at a time.',
	invalidProcessCode: 'No approval template has this process code.',
	aflowProcessInstNotExist: 'No approval instance has this ID. Check the instance ID.',
	invalidInstanceId: 'No approval instance has this ID. Check the instance ID.',
	aflowProcessInstStatusException:
		'The instance is not in a state that allows this: it has finished, or was terminated. Get shows its status.',
	aflowProcessInstCanNotBeExecuted:
		'This task cannot be acted on now: it is not running (already done, or not yet reached).',
	invalidInstanceExecuteTaskId:
		'The task ID does not belong to this instance, or the task is not running. Leave Task ID empty to act on the approver’s running task.',
	invalidInstanceExecuteActionerUserId:
		"The approver is not the task's approver: only the person the task is assigned to can approve or reject it.",
	invalidInstanceExecuteResult: 'The result must be agree or refuse.',
	invalidInstanceTerminateOperatingUserId:
		'Only the originator can terminate (withdraw) an instance, unless it is terminated as the system.',
	invalidInstanceTerminateIsSystem:
		'Choose whether to terminate as the system or as the originator.',
	'820008':
		'The template does not let originators withdraw running instances, and then DingTalk refuses Terminate altogether: an OA admin must switch on 允许提交人撤销审批中的审批单 in the template’s settings.',
	invalidInstanceCommentText: 'The comment is empty or longer than 1024 characters.',
	invalidInstanceCommentUserId: 'The commenter is not an active member of the organisation.',
	userNotExist: 'A user ID is not an active member of the organisation. Check the userids.',
	needAuth: WORKFLOW_PERMISSION,
	noPermission: WORKFLOW_PERMISSION,
};

/**
 * Hints that depend on the call as well as the code: DingTalk answers needAuth both for an
 * originator outside a template's visible range and for someone acting on another's task, and a
 * withdrawal the template does not allow as internalError.
 */
export function approvalHint(code: string, message: string, path: string): string | undefined {
	if (code === 'needAuth' && path === APPROVAL_PATHS.instances)
		return "The originator may not submit this template: they are outside its visible range (可见范围). Choose someone the template is visible to, or widen the range in the OA admin console's template settings.";
	if (code === 'needAuth' && path === APPROVAL_PATHS.execute)
		return 'The task belongs to another approver: only the person it is assigned to can approve or reject it.';
	if (
		code === 'internalError' &&
		path === APPROVAL_PATHS.terminate &&
		/没有任务处理的权限/.test(message)
	)
		return APPROVAL_HINTS['820008'];
	if (code === 'aflowProcessInstStatusException' && /15/.test(message))
		return 'DingTalk refuses to terminate an instance within 15 seconds of its creation: try again a little later.';
	if (code === 'aflowProcessInstCanNotBeExecuted' && path === APPROVAL_PATHS.comments)
		return 'The instance was terminated: DingTalk takes no comments on it any more.';
	if (code === 'invalidParameter' && path === APPROVAL_PATHS.instances)
		return 'DingTalk refused the request: check the template, and that the originator is an active member (not one who has left).';
	if (code === 'processInstanceNotExist' || code === 'aflowProcessNotExist')
		return APPROVAL_HINTS.invalidInstanceId;
	return undefined;
}
