// @ts-check
'use strict';

const crypto = require('node:crypto');
const { WORKFLOW, workflowError } = require('./errors');
const { readFormValues, checkFormItems } = require('./approvalForms');
const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');

/**
 * The DingTalk approval engine (OA 审批, v1.0 workflow APIs on https://api.dingtalk.com): templates
 * with form schemas, instances with their approver nodes and tasks, and the events a state change
 * produces. Pages (each handler cites its own):
 * - templates visible to a user https://open.dingtalk.com/document/development/obtains-a-list-of-approval-forms-visible-to-the-specified
 * - form schema https://open.dingtalk.com/document/development/obtain-the-form-schema
 * - create https://open.dingtalk.com/document/development/create-an-approval-instance
 * - get https://open.dingtalk.com/document/development/obtains-the-details-of-a-single-approval-instance-pop
 * - list ids https://open.dingtalk.com/document/development/obtain-an-approval-list-of-instance-ids
 * - terminate https://open.dingtalk.com/document/development/revoke-an-approval-instance
 * - execute https://open.dingtalk.com/document/development/approve-or-reject-the-approval-task
 * - comments https://open.dingtalk.com/document/development/official-approval-adds-approval-comments
 * - events https://open.dingtalk.com/document/development/event-bpms-instance-change and
 *   https://open.dingtalk.com/document/development/event-bpms-task-change (field lists of
 *   https://open.dingtalk.com/document/development/oa-approval-event)
 * Form values: ./approvalForms.js. Refusals: WORKFLOW in ./errors.js. Times are kept in ms and
 * shown as the get page's UTC "yyyy-MM-ddTHH:mmZ".
 *
 * @typedef {import('../family').RequestContext} RequestContext
 * @typedef {import('./approvalForms').FormItem} FormItem
 * @typedef {import('./approvalForms').FormValue} FormValue
 *
 * @typedef {'AND'|'OR'|'NONE'} ActionType   会签 / 或签 / 单人审批
 * @typedef {{ actionType: ActionType, userIds: string[] }} ApproverNode
 *
 * @typedef {object} ApprovalTemplate
 * @property {string} processCode
 * @property {string} name
 * @property {string} formUuid
 * @property {string} icon
 * @property {string} iconUrl
 * @property {string} dirId
 * @property {string} dirName
 * @property {string} bizCategoryId
 * @property {string} memo
 * @property {string} creatorUserId
 * @property {'PUBLISHED'|'INVALID'} status           INVALID (停用): cannot be started
 * @property {boolean} allowRevoke                    "允许提交人撤销审批中的审批单"
 * @property {{ everyone: boolean, deptIds: number[], userIds: string[] }} visibleTo  deptIds include their sub-departments
 * @property {{ approvers: ApproverNode[], ccList: string[], ccPosition: CcPosition }} flow  the admin-side default flow
 * @property {{ title: string, icon: string, items: FormItem[] }} schemaContent
 * @property {number} gmtCreate                        ms
 * @property {number} gmtModified                      ms
 *
 * @typedef {'START'|'FINISH'|'START_FINISH'} CcPosition
 *
 * @typedef {object} ApprovalTask
 * @property {number} taskId
 * @property {string} userId
 * @property {'NEW'|'RUNNING'|'PAUSED'|'CANCELED'|'COMPLETED'|'TERMINATED'} status
 * @property {'AGREE'|'REFUSE'|'REDIRECTED'|'NONE'} result
 * @property {number} createTime
 * @property {number | null} finishTime
 * @property {string} activityId
 * @property {number} node                             index into the instance's nodes
 *
 * @typedef {object} OperationRecord
 * @property {string} userId
 * @property {number} date                             ms
 * @property {string} type                             START_PROCESS_INSTANCE, EXECUTE_TASK_NORMAL, REDIRECT_TASK, ADD_REMARK, PROCESS_CC, TERMINATE_PROCESS_INSTANCE
 * @property {'AGREE'|'REFUSE'|'NONE'} result
 * @property {string} [remark]
 * @property {Array<Record<string, unknown>>} [attachments]
 * @property {string[]} [images]
 * @property {string[]} [ccUserIds]
 * @property {string} [activityId]
 * @property {string} [showName]
 *
 * @typedef {object} ApprovalInstance
 * @property {string} processInstanceId
 * @property {string} processCode
 * @property {string} title
 * @property {string} originatorUserId
 * @property {string} originatorDeptId                 "-1" = the root department
 * @property {string} originatorDeptName
 * @property {'NEW'|'RUNNING'|'TERMINATED'|'COMPLETED'} status
 * @property {'agree'|'refuse'|''} result
 * @property {number} createTime
 * @property {number | null} finishTime
 * @property {string} businessId
 * @property {'NONE'} bizAction
 * @property {Array<ApproverNode & { activityId: string }>} nodes
 * @property {number} currentNode                      index of the running node (nodes.length when done)
 * @property {string[]} approverUserIds
 * @property {string[]} ccUserIds
 * @property {CcPosition} ccPosition
 * @property {OperationRecord[]} operationRecords
 * @property {ApprovalTask[]} tasks
 * @property {FormValue[]} formComponentValues
 *
 * @typedef {object} ApprovalEvent
 * @property {string} eventId
 * @property {'bpms_instance_change'|'bpms_task_change'} eventType
 * @property {number} eventBornTime                    ms, emulator clock
 * @property {string} corpId
 * @property {Record<string, unknown>} data            the HTTP-push plaintext (EventType, EventTime, CorpId, BizId, eventId, …)
 *
 * @typedef {ReturnType<typeof createApprovalState>} ApprovalState
 * @typedef {import('./seed').DingTalkOrg & ApprovalState} ApprovalWorld
 */

const DAY_MS = 86_400_000;
/** terminate: "审批发起15秒内不能撤销审批流程". */
const REVOKE_GRACE_MS = 15_000;
/** create: approvers ≤ 20, ccList ≤ 50. */
const MAX_APPROVER_NODES = 20;
const MAX_CC = 50;
/** remark (execute, terminate) and comment text ≤ 1024; attachments ≤ 20. */
const MAX_REMARK = 1024;
const MAX_ATTACHMENTS = 20;
/** templates: maxResults ≤ 100. list ids: maxResults ≤ 20, userIds ≤ 10, 120-day span, start ≤ 365 days ago, 10 000 ids in all. */
const MAX_TEMPLATE_PAGE = 100;
const MAX_IDS_PAGE = 20;
const MAX_LIST_USERS = 10;
const MAX_SPAN_MS = 120 * DAY_MS;
const MAX_START_AGE_MS = 365 * DAY_MS;
const MAX_LISTED_IDS = 10_000;
/** Task ids are longs on the get page (e.g. 67583405630); the emulator counts from here. */
const TASK_ID_BASE = 69_000_000_000;
const ACTION_TYPES = ['AND', 'OR', 'NONE'];
const CC_POSITIONS = ['START', 'FINISH', 'START_FINISH'];
const LISTABLE_STATUSES = ['RUNNING', 'TERMINATED', 'COMPLETED'];
/** When the seeded templates were made (fixed, so schema answers are stable). */
const SEEDED_AT = Date.UTC(2024, 0, 2, 1, 0, 0);

// ---------------------------------------------------------------------------------------------
// Seed

/** The two seeded templates (README, DingTalk approvals). @returns {ApprovalTemplate[]} */
function seedTemplates() {
	/** @param {string} componentName @param {Record<string, unknown>} props @param {FormItem[]} [children] @returns {FormItem} */
	const item = (componentName, props, children) =>
		children ? { componentName, props, children } : { componentName, props };
	/** @param {Partial<ApprovalTemplate> & Pick<ApprovalTemplate, 'processCode'|'name'|'flow'|'visibleTo'|'allowRevoke'|'schemaContent'>} fields @param {number} n @returns {ApprovalTemplate} */
	const template = (fields, n) => ({
		formUuid: `FORM-EMU${String(n).padStart(4, '0')}-${crypto.createHash('sha256').update(fields.processCode).digest('hex').slice(0, 24).toUpperCase()}`,
		icon: 'common',
		iconUrl: '',
		dirId: '',
		dirName: '',
		bizCategoryId: '',
		memo: '',
		creatorUserId: 'admin01',
		status: 'PUBLISHED',
		gmtCreate: SEEDED_AT,
		gmtModified: SEEDED_AT,
		...fields,
	});
	return [
		template(
			{
				processCode: 'PROC-EMU-LEAVE',
				name: '请假 Leave request',
				icon: 'leave',
				iconUrl: 'https://gw.alicdn.com/tfs/emu-approval-leave-102-102.png',
				dirId: '10001',
				dirName: '人事 HR',
				allowRevoke: true,
				visibleTo: { everyone: true, deptIds: [], userIds: [] },
				flow: {
					approvers: [
						{ actionType: 'NONE', userIds: ['manager01'] },
						{ actionType: 'NONE', userIds: ['boss01'] },
					],
					ccList: [],
					ccPosition: 'START',
				},
				schemaContent: {
					title: '请假 Leave request',
					icon: 'leave',
					items: [
						item('TextNote', { id: 'TextNote-K1', content: '请如实填写' }),
						item('DDSelectField', {
							id: 'DDSelectField-LT',
							label: '请假类型',
							required: true,
							options: ['年假', '事假', '病假'],
						}),
						item('DDDateRangeField', {
							id: 'DDDateRangeField-P',
							label: '["开始时间","结束时间"]',
							required: true,
							format: 'yyyy-MM-dd',
							unit: '天',
						}),
						item('NumberField', {
							id: 'NumberField-D',
							label: '请假天数',
							required: true,
							unit: '天',
						}),
						item('TextareaField', { id: 'TextareaField-R', label: '请假事由', required: false }),
						item('InnerContactField', {
							id: 'InnerContactField-H',
							label: '工作交接人',
							required: false,
							choice: 0,
						}),
					],
				},
			},
			1,
		),
		template(
			{
				processCode: 'PROC-EMU-EXPENSE',
				name: '报销 Expense claim',
				icon: 'expense',
				iconUrl: 'https://gw.alicdn.com/tfs/emu-approval-expense-102-102.png',
				dirId: '10002',
				dirName: '财务 Finance',
				allowRevoke: false,
				visibleTo: { everyone: false, deptIds: [2], userIds: [] },
				flow: {
					approvers: [{ actionType: 'NONE', userIds: ['boss01'] }],
					ccList: ['admin01'],
					ccPosition: 'FINISH',
				},
				schemaContent: {
					title: '报销 Expense claim',
					icon: 'expense',
					items: [
						item('MoneyField', {
							id: 'MoneyField-A',
							label: '报销金额',
							required: true,
							upper: '1',
						}),
						item('DDMultiSelectField', {
							id: 'DDMultiSelectField-T',
							label: '费用类型',
							required: true,
							options: ['交通', '餐饮', '住宿'],
						}),
						item('DDDateField', {
							id: 'DDDateField-O',
							label: '发生日期',
							required: true,
							format: 'yyyy-MM-dd',
						}),
						item('DepartmentField', {
							id: 'DepartmentField-B',
							label: '费用归属部门',
							required: false,
						}),
						item('TableField', { id: 'TableField-L', label: '费用明细', required: false }, [
							item('TextField', { id: 'TextField-I', label: '项目', required: true }),
							item('MoneyField', { id: 'MoneyField-S', label: '金额', required: true }),
						]),
						item('DDAttachment', { id: 'DDAttachment-F', label: '附件', required: false }),
					],
				},
			},
			2,
		),
	];
}

/** Runtime approval state, merged into the platform state by createState (reset() builds it anew). */
function createApprovalState() {
	return {
		approvalTemplates: seedTemplates(),
		approvalInstances: /** @type {ApprovalInstance[]} */ ([]),
		approvalEvents: /** @type {ApprovalEvent[]} */ ([]),
		/** Counters behind the deterministic instance, task and event ids. */
		approvalSeq: { instance: 0, task: 0, event: 0 },
	};
}

// ---------------------------------------------------------------------------------------------
// Look-ups and formatting

/** The DingTalk state with the approval collections. @returns {ApprovalWorld} */
const worldOf = (/** @type {RequestContext} */ ctx) =>
	/** @type {ApprovalWorld} */ (/** @type {unknown} */ (ctx.env.state.dingtalk));

const userOf = (/** @type {ApprovalWorld} */ world, /** @type {unknown} */ userid) =>
	typeof userid === 'string' ? world.users.find((user) => user.userid === userid) : undefined;
const departmentOf = (/** @type {ApprovalWorld} */ world, /** @type {number} */ id) =>
	world.departments.find((dept) => dept.dept_id === id);
const templateOf = (/** @type {ApprovalWorld} */ world, /** @type {unknown} */ code) =>
	typeof code === 'string'
		? world.approvalTemplates.find((item) => item.processCode === code)
		: undefined;
const instanceOf = (/** @type {ApprovalWorld} */ world, /** @type {unknown} */ id) =>
	typeof id === 'string'
		? world.approvalInstances.find((item) => item.processInstanceId === id)
		: undefined;

/** The department and its ancestors. */
function ancestorsOf(/** @type {ApprovalWorld} */ world, /** @type {number} */ deptId) {
	/** @type {number[]} */
	const chain = [];
	/** @type {number | null | undefined} */
	let id = deptId;
	while (id !== null && id !== undefined && !chain.includes(id)) {
		chain.push(id);
		id = departmentOf(world, id)?.parent_id;
	}
	return chain;
}

/** Whether a user may start (and sees) a template: everyone, a listed user, or a member of a listed department or one below it. */
function canSee(
	/** @type {ApprovalWorld} */ world,
	/** @type {ApprovalTemplate} */ template,
	/** @type {import('./seed').DingTalkUser} */ user,
) {
	const { everyone, deptIds, userIds } = template.visibleTo;
	if (everyone || userIds.includes(user.userid)) return true;
	return user.dept_id_list.some((dept) =>
		ancestorsOf(world, dept).some((id) => deptIds.includes(id)),
	);
}

/** The get page's UTC "yyyy-MM-ddTHH:mmZ". */
const utcMinute = (/** @type {number} */ ms) => `${new Date(ms).toISOString().slice(0, 16)}Z`;

/** Integers in JSON numbers or digit strings (Long fields). */
function readInteger(/** @type {unknown} */ value) {
	if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
	if (typeof value === 'string' && /^-?\d{1,16}$/.test(value.trim())) return Number(value.trim());
	return undefined;
}
const isBlankValue = (/** @type {unknown} */ value) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** 32 hex characters, e.g. an eventId. */
const hexId = (/** @type {string} */ label) =>
	crypto
		.createHash('sha256')
		.update(`n8n-emulator:dingtalk-approval:${label}`)
		.digest('hex')
		.slice(0, 32);

/**
 * A new instance id, shaped like the live ones: 22 URL-safe characters, a 3-digit counter and ten
 * digits (cf. "RgJJ1veyQl2A****6841748395993" in oa-formcomponent-message). Derived from a counter
 * only, so the same calls give the same ids whatever the clock.
 */
function newInstanceId(/** @type {ApprovalWorld} */ world) {
	const n = (world.approvalSeq.instance += 1);
	const digest = crypto
		.createHash('sha256')
		.update(`n8n-emulator:dingtalk-approval-instance:${n}`)
		.digest();
	const digits = String(digest.readUInt32BE(28) % 1e10).padStart(10, '0');
	return {
		n,
		id: `${digest.toString('base64url').slice(0, 22)}0${String(n % 100).padStart(2, '0')}${digits}`,
	};
}

/** The approval app's links (the form of the url in the event samples of oa-approval-event). */
function approvalUrl(
	/** @type {string} */ corpId,
	/** @type {string} */ instanceId,
	/** @type {number | ''} */ taskId,
	/** @type {'mobile'|'pc'} */ kind = 'mobile',
) {
	const page = kind === 'pc' ? 'dingtalk/pc/query/pchomepage.htm' : 'dingtalk/mobile/homepage.htm';
	return `https://aflow.dingtalk.com/${page}?corpid=${corpId}&dd_share=false&showmenu=${kind === 'pc' ? 'false' : 'true'}&dd_progress=false&back=native&procInstId=${instanceId}&taskId=${taskId}&swfrom=isv&dinghash=approval&dtaction=os&dd_from=corp#approval`;
}

// ---------------------------------------------------------------------------------------------
// Events (bpms_instance_change / bpms_task_change)

/**
 * Appends an event. `data` is the HTTP-push plaintext of the event pages: the envelope
 * (EventType, EventTime, CorpId, BizId, eventId) then the instance fields. BizId carries the
 * instance id (emulator choice; the page sample masks it).
 * @param {ApprovalWorld} world @param {number} now
 * @param {ApprovalEvent['eventType']} eventType @param {Record<string, unknown>} fields
 */
function pushEvent(world, now, eventType, fields) {
	const n = (world.approvalSeq.event += 1);
	const eventId = hexId(`event:${n}`);
	world.approvalEvents.push({
		eventId,
		eventType,
		eventBornTime: now,
		corpId: world.corpId,
		data: {
			EventType: eventType,
			EventTime: now,
			CorpId: world.corpId,
			BizId: fields.processInstanceId,
			eventId,
			...fields,
		},
	});
}

/** Fields both kinds of event share. */
function eventBase(/** @type {ApprovalWorld} */ world, /** @type {ApprovalInstance} */ instance) {
	const template = templateOf(world, instance.processCode);
	return {
		processInstanceId: instance.processInstanceId,
		processCode: instance.processCode,
		bizCategoryId: template?.bizCategoryId ?? '',
		businessId: instance.businessId,
	};
}

/**
 * bpms_instance_change: type start | finish (result agree/refuse) | terminate (no result);
 * staffId = the originator; finishTime once finished (event-bpms-instance-change, oa-approval-event).
 * @param {ApprovalWorld} world @param {ApprovalInstance} instance @param {number} now
 * @param {'start'|'finish'|'terminate'} type
 */
function instanceEvent(world, instance, now, type) {
	pushEvent(world, now, 'bpms_instance_change', {
		...eventBase(world, instance),
		businessType: '',
		title: instance.title,
		type,
		...(type === 'finish' ? { result: instance.result } : {}),
		staffId: instance.originatorUserId,
		url: approvalUrl(world.corpId, instance.processInstanceId, ''),
		createTime: instance.createTime,
		...(instance.finishTime !== null ? { finishTime: instance.finishTime } : {}),
	});
}

/**
 * bpms_task_change: type start | finish (result agree/refuse/redirect, remark) | cancel (an
 * or-sign sibling, or any task a refusal ends) | comment (remark; result 'audit', as the callbacks
 * module's approval events); staffId = the task's approver or the user acting; taskId a number;
 * no url (the page samples have none); finishTime absent on start (event-bpms-task-change,
 * oa-approval-event).
 * @param {ApprovalWorld} world @param {ApprovalInstance} instance @param {number} now
 * @param {{ type: 'start'|'finish'|'cancel'|'comment', staffId: string, taskId?: number, result?: string, remark?: string, createTime: number, finishTime?: number }} fields
 */
function taskEvent(
	world,
	instance,
	now,
	{ type, staffId, taskId, result, remark, createTime, finishTime },
) {
	pushEvent(world, now, 'bpms_task_change', {
		...eventBase(world, instance),
		title: instance.title,
		type,
		...(result !== undefined ? { result } : {}),
		...(remark !== undefined ? { remark } : {}),
		staffId,
		...(taskId !== undefined ? { taskId } : {}),
		createTime,
		...(finishTime !== undefined ? { finishTime } : {}),
	});
}

// ---------------------------------------------------------------------------------------------
// The engine

/** Starts node `index`: one RUNNING task per approver, each announced; past the last node the instance is approved. */
function beginNode(
	/** @type {ApprovalWorld} */ world,
	/** @type {ApprovalInstance} */ instance,
	/** @type {number} */ index,
	/** @type {number} */ now,
) {
	instance.currentNode = index;
	const node = instance.nodes[index];
	if (!node) {
		finishInstance(world, instance, 'agree', now);
		return;
	}
	for (const userId of node.userIds) {
		world.approvalSeq.task += 1;
		/** @type {ApprovalTask} */
		const task = {
			taskId: TASK_ID_BASE + world.approvalSeq.task,
			userId,
			status: 'RUNNING',
			result: 'NONE',
			createTime: now,
			finishTime: null,
			activityId: node.activityId,
			node: index,
		};
		instance.tasks.push(task);
		taskEvent(world, instance, now, {
			type: 'start',
			staffId: userId,
			taskId: task.taskId,
			createTime: now,
		});
	}
}

/** A PROCESS_CC record when the cc position says so. */
function ccRecord(
	/** @type {ApprovalInstance} */ instance,
	/** @type {'START'|'FINISH'} */ at,
	/** @type {number} */ now,
) {
	if (instance.ccUserIds.length === 0) return;
	if (instance.ccPosition !== at && instance.ccPosition !== 'START_FINISH') return;
	instance.operationRecords.push({
		userId: instance.originatorUserId,
		date: now,
		type: 'PROCESS_CC',
		result: 'NONE',
		ccUserIds: [...instance.ccUserIds],
	});
}

/** Ends the instance: COMPLETED with the result, cc at FINISH, bpms_instance_change finish. */
function finishInstance(
	/** @type {ApprovalWorld} */ world,
	/** @type {ApprovalInstance} */ instance,
	/** @type {'agree'|'refuse'} */ result,
	/** @type {number} */ now,
) {
	instance.status = 'COMPLETED';
	instance.result = result;
	instance.finishTime = now;
	instance.currentNode = instance.nodes.length;
	ccRecord(instance, 'FINISH', now);
	instanceEvent(world, instance, now, 'finish');
}

/** Cancels the node's other running tasks (or-sign siblings, or everyone left after a refusal). */
function cancelRunning(
	/** @type {ApprovalWorld} */ world,
	/** @type {ApprovalInstance} */ instance,
	/** @type {number} */ node,
	/** @type {number} */ now,
) {
	for (const task of instance.tasks) {
		if (task.node !== node || task.status !== 'RUNNING') continue;
		task.status = 'CANCELED';
		task.finishTime = now;
		taskEvent(world, instance, now, {
			type: 'cancel',
			staffId: task.userId,
			taskId: task.taskId,
			createTime: task.createTime,
			finishTime: now,
		});
	}
}

/** Attachments and photos of execute/comment's `file` → record fields. */
function fileFields(/** @type {any} */ file) {
	if (!isPlainObject(file)) return {};
	return {
		...(Array.isArray(file.attachments) && file.attachments.length
			? { attachments: file.attachments.filter(isPlainObject).map((item) => ({ ...item })) }
			: {}),
		...(Array.isArray(file.photos) && file.photos.length
			? { images: file.photos.map(String) }
			: {}),
	};
}

/**
 * One approver acts on their RUNNING task (execute page): a refusal ends the instance (COMPLETED,
 * refuse); an agreement finishes an or-sign / single node at once (siblings CANCELED), an
 * and-sign node once every task agreed; then the next node starts, or the instance is approved.
 * @param {ApprovalWorld} world @param {ApprovalInstance} instance @param {ApprovalTask} task
 * @param {'agree'|'refuse'} result @param {string} remark @param {unknown} file @param {number} now
 */
function executeTask(world, instance, task, result, remark, file, now) {
	task.status = 'COMPLETED';
	task.result = result === 'agree' ? 'AGREE' : 'REFUSE';
	task.finishTime = now;
	instance.operationRecords.push({
		userId: task.userId,
		date: now,
		type: 'EXECUTE_TASK_NORMAL',
		result: task.result,
		...(remark ? { remark } : {}),
		...fileFields(file),
		activityId: task.activityId,
		showName: '审批人',
	});
	taskEvent(world, instance, now, {
		type: 'finish',
		staffId: task.userId,
		taskId: task.taskId,
		result,
		remark,
		createTime: task.createTime,
		finishTime: now,
	});
	const node = instance.nodes[task.node];
	if (result === 'refuse') {
		cancelRunning(world, instance, task.node, now);
		finishInstance(world, instance, 'refuse', now);
		return;
	}
	if (node.actionType === 'AND') {
		const waiting = instance.tasks.some(
			(item) => item.node === task.node && item.status === 'RUNNING',
		);
		if (waiting) return;
	} else {
		cancelRunning(world, instance, task.node, now);
	}
	beginNode(world, instance, task.node + 1, now);
}

/**
 * Redirect (转交), as an approver does in the app: the task ends REDIRECTED (bpms_task_change
 * finish, result redirect, staffId the redirecting user) and the new approver gets a RUNNING task
 * in the same node.
 * @param {ApprovalWorld} world @param {ApprovalInstance} instance @param {ApprovalTask} task
 * @param {string} toUserId @param {string} remark @param {number} now
 */
function redirectTask(world, instance, task, toUserId, remark, now) {
	task.status = 'COMPLETED';
	task.result = 'REDIRECTED';
	task.finishTime = now;
	instance.operationRecords.push({
		userId: task.userId,
		date: now,
		type: 'REDIRECT_TASK',
		result: 'NONE',
		...(remark ? { remark } : {}),
		activityId: task.activityId,
		showName: '审批人',
	});
	taskEvent(world, instance, now, {
		type: 'finish',
		staffId: task.userId,
		taskId: task.taskId,
		result: 'redirect',
		remark,
		createTime: task.createTime,
		finishTime: now,
	});
	world.approvalSeq.task += 1;
	/** @type {ApprovalTask} */
	const next = {
		taskId: TASK_ID_BASE + world.approvalSeq.task,
		userId: toUserId,
		status: 'RUNNING',
		result: 'NONE',
		createTime: now,
		finishTime: null,
		activityId: task.activityId,
		node: task.node,
	};
	instance.tasks.push(next);
	if (!instance.approverUserIds.includes(toUserId)) instance.approverUserIds.push(toUserId);
	taskEvent(world, instance, now, {
		type: 'start',
		staffId: toUserId,
		taskId: next.taskId,
		createTime: now,
	});
}

/**
 * A comment (评论): an ADD_REMARK record and bpms_task_change comment with the text as remark; the
 * taskId is the commenter's latest task in the instance, left out when they have none.
 * @param {ApprovalWorld} world @param {ApprovalInstance} instance @param {string} userId
 * @param {string} text @param {unknown} file @param {number} now
 */
function addComment(world, instance, userId, text, file, now) {
	instance.operationRecords.push({
		userId,
		date: now,
		type: 'ADD_REMARK',
		result: 'NONE',
		remark: text,
		...fileFields(file),
	});
	const own = instance.tasks.filter((task) => task.userId === userId).at(-1);
	taskEvent(world, instance, now, {
		type: 'comment',
		staffId: userId,
		...(own ? { taskId: own.taskId } : {}),
		result: 'audit',
		remark: text,
		createTime: now,
	});
}

/** Terminates (撤销): TERMINATED, running tasks TERMINATED, bpms_instance_change terminate. */
function terminateInstance(
	/** @type {ApprovalWorld} */ world,
	/** @type {ApprovalInstance} */ instance,
	/** @type {string} */ userId,
	/** @type {string} */ remark,
	/** @type {number} */ now,
) {
	instance.status = 'TERMINATED';
	instance.result = '';
	instance.finishTime = now;
	for (const task of instance.tasks) {
		if (task.status !== 'RUNNING') continue;
		task.status = 'TERMINATED';
		task.finishTime = now;
	}
	instance.operationRecords.push({
		userId,
		date: now,
		type: 'TERMINATE_PROCESS_INSTANCE',
		result: 'NONE',
		...(remark ? { remark } : {}),
	});
	instanceEvent(world, instance, now, 'terminate');
}

/** Node activity ids: stable per instance and position, in the "xxxx_xxxx" form. */
const activityIdFor = (/** @type {string} */ instanceId, /** @type {number} */ index) => {
	const hex = hexId(`activity:${instanceId}:${index}`);
	return `${hex.slice(0, 4)}_${hex.slice(4, 8)}`;
};

/**
 * Creates and starts an instance (already validated).
 * @param {ApprovalWorld} world @param {number} now
 * @param {{ template: ApprovalTemplate, originator: import('./seed').DingTalkUser, dept: import('./seed').DingTalkDepartment, nodes: ApproverNode[], ccList: string[], ccPosition: CcPosition, values: FormValue[] }} input
 */
function startInstance(
	world,
	now,
	{ template, originator, dept, nodes, ccList, ccPosition, values },
) {
	const { n, id } = newInstanceId(world);
	// businessId: the creation minute in China time, then a serial (cf. "202212141011000137xxx" in oa-approval-event).
	const china = new Date(now + 8 * 3_600_000).toISOString();
	const businessId = `${china.slice(0, 10).replace(/-/g, '')}${china.slice(11, 16).replace(':', '')}000${String(n).padStart(6, '0')}`;
	/** @type {ApprovalInstance} */
	const instance = {
		processInstanceId: id,
		processCode: template.processCode,
		title: `${originator.name}提交的${template.name}`,
		originatorUserId: originator.userid,
		originatorDeptId: dept.parent_id === null ? '-1' : String(dept.dept_id),
		originatorDeptName: dept.name,
		status: 'RUNNING',
		result: '',
		createTime: now,
		finishTime: null,
		businessId,
		bizAction: 'NONE',
		nodes: nodes.map((node, index) => ({
			actionType: node.actionType,
			userIds: [...node.userIds],
			activityId: activityIdFor(id, index),
		})),
		currentNode: 0,
		approverUserIds: [...new Set(nodes.flatMap((node) => node.userIds))],
		ccUserIds: [...new Set(ccList)],
		ccPosition,
		operationRecords: [
			{ userId: originator.userid, date: now, type: 'START_PROCESS_INSTANCE', result: 'NONE' },
		],
		tasks: [],
		formComponentValues: values,
	};
	world.approvalInstances.push(instance);
	ccRecord(instance, 'START', now);
	instanceEvent(world, instance, now, 'start');
	beginNode(world, instance, 0, now);
	return instance;
}

// ---------------------------------------------------------------------------------------------
// Views

/** A templates-list entry (processList[]). */
function templateListEntry(
	/** @type {ApprovalWorld} */ world,
	/** @type {ApprovalTemplate} */ template,
) {
	return {
		name: template.name,
		url: `https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm?corpid=${world.corpId}&dd_share=false&showmenu=true&dd_progress=false&back=native&processCode=${template.processCode}&swfrom=isv&dinghash=approval&dtaction=os&dd_from=corp#approval`,
		iconUrl: template.iconUrl,
		processCode: template.processCode,
		dirId: template.dirId,
		dirName: template.dirName,
	};
}

/** The get page's `result` for an instance. */
function instanceView(
	/** @type {ApprovalWorld} */ world,
	/** @type {ApprovalInstance} */ instance,
) {
	return {
		title: instance.title,
		createTime: utcMinute(instance.createTime),
		...(instance.finishTime !== null ? { finishTime: utcMinute(instance.finishTime) } : {}),
		originatorUserId: instance.originatorUserId,
		originatorDeptId: instance.originatorDeptId,
		originatorDeptName: instance.originatorDeptName,
		status: instance.status,
		result: instance.result,
		approverUserIds: [...instance.approverUserIds],
		ccUserIds: [...instance.ccUserIds],
		businessId: instance.businessId,
		bizAction: instance.bizAction,
		attachedProcessInstanceIds: [],
		operationRecords: instance.operationRecords.map((record) => ({
			...structuredClone(record),
			date: utcMinute(record.date),
		})),
		tasks: instance.tasks.map((task) => ({
			taskId: task.taskId,
			userId: task.userId,
			status: task.status,
			result: task.result,
			createTime: utcMinute(task.createTime),
			...(task.finishTime !== null ? { finishTime: utcMinute(task.finishTime) } : {}),
			mobileUrl: approvalUrl(world.corpId, instance.processInstanceId, task.taskId),
			pcUrl: approvalUrl(world.corpId, instance.processInstanceId, task.taskId, 'pc'),
			activityId: task.activityId,
			processInstanceId: instance.processInstanceId,
		})),
		formComponentValues: instance.formComponentValues.map((value) => ({ ...value })),
	};
}

// ---------------------------------------------------------------------------------------------
// Handlers

const ok = () => ({ body: { result: true, success: true } });
const bodyOf = (/** @type {RequestContext} */ ctx) => (isPlainObject(ctx.body) ? ctx.body : {});
/** `file` of execute/comment: photos[] and attachments[] (≤ 20). */
const fileIsValid = (/** @type {unknown} */ file) =>
	file === undefined ||
	file === null ||
	(isPlainObject(file) &&
		(file.photos === undefined || Array.isArray(file.photos)) &&
		(file.attachments === undefined ||
			(Array.isArray(file.attachments) && file.attachments.length <= MAX_ATTACHMENTS)));
const textWithin = (/** @type {unknown} */ value, /** @type {number} */ max) =>
	value === undefined || value === null || (typeof value === 'string' && value.length <= max);

/**
 * GET /v1.0/workflow/processes/userVisibilities/templates?userId=&maxResults=&nextToken= →
 * {result:{processList, nextToken}}: the forms the user may start (all forms without userId);
 * maxResults 1…100 and nextToken (an offset, 0 first) required; nextToken is a number and is left
 * out on the last page ("不为空表示有更多数据").
 */
function listTemplates(/** @type {RequestContext} */ ctx) {
	const world = worldOf(ctx);
	const E = WORKFLOW.templates;
	const maxResults = readInteger(ctx.query.maxResults);
	if (maxResults === undefined || maxResults < 1 || maxResults > MAX_TEMPLATE_PAGE)
		return workflowError(ctx, E.invalidMaxResults);
	const offset = readInteger(ctx.query.nextToken);
	if (offset === undefined || offset < 0) return workflowError(ctx, E.invalidNextToken);
	let templates = world.approvalTemplates;
	if (!isBlankValue(ctx.query.userId)) {
		const user = userOf(world, ctx.query.userId);
		if (!user) return workflowError(ctx, E.invalidParameter);
		templates = templates.filter(
			(template) => template.status === 'PUBLISHED' && canSee(world, template, user),
		);
	}
	const page = templates.slice(offset, offset + maxResults);
	const next = offset + maxResults;
	return {
		body: {
			result: {
				processList: page.map((template) => templateListEntry(world, template)),
				...(next < templates.length ? { nextToken: next } : {}),
			},
		},
	};
}

/** GET /v1.0/workflow/forms/schemas/processCodes?processCode= → {result:{…, schemaContent}} (schema page fields; gmt* are ms strings). */
function getSchema(/** @type {RequestContext} */ ctx) {
	const world = worldOf(ctx);
	const E = WORKFLOW.schema;
	if (isBlankValue(ctx.query.processCode)) return workflowError(ctx, E.invalidParameter);
	const template = templateOf(world, ctx.query.processCode);
	if (!template) return workflowError(ctx, E.formNotExist);
	return {
		body: {
			result: {
				creatorUserId: template.creatorUserId,
				appUuid: world.corpId,
				formCode: template.processCode,
				formUuid: template.formUuid,
				name: template.name,
				memo: template.memo,
				ownerIdType: 'orgId',
				schemaContent: structuredClone(template.schemaContent),
				icon: template.icon,
				appType: 0,
				bizType: '',
				engineType: 0,
				status: template.status,
				listOrder: world.approvalTemplates.indexOf(template) + 1,
				procType: 'inner',
				// PRIVATE is the page's example; PUBLIC for forms everyone sees is the emulator's word.
				visibleRange: template.visibleTo.everyone ? 'PUBLIC' : 'PRIVATE',
				gmtCreate: String(template.gmtCreate),
				gmtModified: String(template.gmtModified),
			},
		},
	};
}

/**
 * Reads `approvers[]` of create: ≤ 20 nodes, actionType AND|OR (more than one user) or NONE
 * (exactly one), every userid known.
 * @returns {ApproverNode[] | undefined} undefined when invalid
 */
function readApprovers(/** @type {ApprovalWorld} */ world, /** @type {unknown} */ approvers) {
	if (!Array.isArray(approvers) || approvers.length > MAX_APPROVER_NODES) return undefined;
	/** @type {ApproverNode[]} */
	const nodes = [];
	for (const node of approvers) {
		if (!isPlainObject(node) || !ACTION_TYPES.includes(node.actionType)) return undefined;
		const { userIds } = node;
		if (!Array.isArray(userIds) || userIds.some((userid) => !userOf(world, userid)))
			return undefined;
		if (node.actionType === 'NONE' ? userIds.length !== 1 : userIds.length < 2) return undefined;
		nodes.push({ actionType: node.actionType, userIds: [...userIds] });
	}
	return nodes;
}

/**
 * POST /v1.0/workflow/processInstances → {instanceId}. Checks, in order (first failure answers):
 * processCode, originatorUserId present (invalidParameter); template known (processCodeError),
 * enabled (processGetFailed); originator known (processInstanceInvalidParameter), activated
 * (invalidParameter: "或发起人已离职"), inside the visible range (needAuth); deptId one of the
 * originator's departments or -1 (processInstanceInvalidParameter); approvers / ccList /
 * ccPosition (processInstanceInvalidParameter); formComponentValues (illegalComponent,
 * formConverterError naming the control). Without approvers the template's flow and cc apply and
 * ccList/ccPosition are ignored ("通过接口设置的抄送人ccList和ccPosition参数不生效").
 */
function createInstance(/** @type {RequestContext} */ ctx) {
	const world = worldOf(ctx);
	const E = WORKFLOW.create;
	const body = bodyOf(ctx);
	if (isBlankValue(body.processCode) || isBlankValue(body.originatorUserId))
		return workflowError(ctx, E.invalidParameter);
	const template = templateOf(world, body.processCode);
	if (!template) return workflowError(ctx, E.processCodeError);
	if (template.status !== 'PUBLISHED') return workflowError(ctx, E.processGetFailed);
	const originator = userOf(world, body.originatorUserId);
	if (!originator) return workflowError(ctx, E.processInstanceInvalidParameter);
	if (!originator.active) return workflowError(ctx, E.invalidParameter);
	if (!canSee(world, template, originator)) return workflowError(ctx, E.needAuth);

	let deptId = originator.dept_id_list[0];
	if (!isBlankValue(body.deptId)) {
		const given = readInteger(body.deptId);
		const root = world.departments.find((dept) => dept.parent_id === null);
		if (given === -1 && root) deptId = root.dept_id;
		else if (given !== undefined && originator.dept_id_list.includes(given)) deptId = given;
		else return workflowError(ctx, E.processInstanceInvalidParameter);
	}
	const dept = departmentOf(world, deptId);
	if (!dept) return workflowError(ctx, E.processInstanceInvalidParameter);

	// An empty approvers list counts as none given (the template's flow applies).
	const explicit =
		body.approvers !== undefined &&
		body.approvers !== null &&
		!(Array.isArray(body.approvers) && body.approvers.length === 0);
	let { approvers: nodes, ccList, ccPosition } = template.flow;
	if (explicit) {
		const read = readApprovers(world, body.approvers);
		if (!read) return workflowError(ctx, E.processInstanceInvalidParameter);
		nodes = read;
		const cc = body.ccList ?? [];
		if (!Array.isArray(cc) || cc.length > MAX_CC || cc.some((userid) => !userOf(world, userid)))
			return workflowError(ctx, E.processInstanceInvalidParameter);
		ccList = cc;
		const position = body.ccPosition ?? 'START';
		if (!CC_POSITIONS.includes(position))
			return workflowError(ctx, E.processInstanceInvalidParameter);
		ccPosition = position;
	}

	const reading = readFormValues(template.schemaContent.items, body.formComponentValues, {
		user: (userid) => userOf(world, userid),
		department: (id) => departmentOf(world, id) !== undefined,
		instance: (id) => instanceOf(world, id) !== undefined,
	});
	if ('illegal' in reading) return workflowError(ctx, E.illegalComponent);
	if ('failed' in reading) return workflowError(ctx, E.formConverterError, reading.failed);

	const instance = startInstance(world, ctx.env.clock.now(), {
		template,
		originator,
		dept,
		nodes,
		ccList,
		ccPosition,
		values: reading.values,
	});
	return { body: { instanceId: instance.processInstanceId } };
}

/**
 * GET /v1.0/workflow/processInstances?processInstanceId= → {result, success}. `success` is the
 * string "true", as the page's table (String), its example and the SDK model
 * (GetProcessInstanceResponseBody.success?: string) have it. Missing id → processInstanceIdError,
 * unknown → processInstanceNotExist.
 */
function getInstance(/** @type {RequestContext} */ ctx) {
	const world = worldOf(ctx);
	const E = WORKFLOW.get;
	if (isBlankValue(ctx.query.processInstanceId))
		return workflowError(ctx, E.processInstanceIdError);
	const instance = instanceOf(world, ctx.query.processInstanceId);
	if (!instance) return workflowError(ctx, E.processInstanceNotExist);
	return { body: { result: instanceView(world, instance), success: 'true' } };
}

/**
 * POST /v1.0/workflow/processes/instanceIds/query → {result:{list, nextToken}, success:true}: ids of
 * the template's instances started in [startTime, endTime] (endTime default now), oldest first,
 * optionally by originator (userIds ≤ 10) and status (RUNNING|TERMINATED|COMPLETED; others match
 * nothing). Window: startTime alone ≤ 120 days ago; with endTime: end ≥ start, span ≤ 120 days,
 * start ≤ 365 days ago. nextToken (an offset, 0 first) comes back as a string, left out on the
 * last page; at most 10 000 ids can be walked.
 */
function listInstanceIds(/** @type {RequestContext} */ ctx) {
	const world = worldOf(ctx);
	const E = WORKFLOW.listIds;
	const body = bodyOf(ctx);
	const now = ctx.env.clock.now();
	if (isBlankValue(body.processCode) || typeof body.processCode !== 'string')
		return workflowError(ctx, E.invalidProcessCode);
	const startTime = readInteger(body.startTime);
	if (startTime === undefined) return workflowError(ctx, E.invalidStartTime);
	const offset = readInteger(body.nextToken);
	if (offset === undefined || offset < 0) return workflowError(ctx, E.invalidNextToken);
	const maxResults = readInteger(body.maxResults);
	if (maxResults === undefined || maxResults < 1 || maxResults > MAX_IDS_PAGE)
		return workflowError(ctx, E.invalidMaxResults);
	const userIds = body.userIds ?? [];
	if (!Array.isArray(userIds) || userIds.length > MAX_LIST_USERS)
		return workflowError(ctx, E.invalidUserIds);
	const statuses = body.statuses ?? [];
	if (!Array.isArray(statuses)) return workflowError(ctx, E.internalError, 'statuses 必须是数组');

	let endTime = now;
	if (isBlankValue(body.endTime)) {
		if (now - startTime > MAX_SPAN_MS) return workflowError(ctx, E.invalidStartTime);
	} else {
		const end = readInteger(body.endTime);
		if (end === undefined || end < startTime || end - startTime > MAX_SPAN_MS)
			return workflowError(ctx, E.invalidEndTime);
		if (now - startTime > MAX_START_AGE_MS) return workflowError(ctx, E.invalidStartTime);
		endTime = end;
	}

	const matches = world.approvalInstances
		.filter(
			(instance) =>
				instance.processCode === body.processCode &&
				instance.createTime >= startTime &&
				instance.createTime <= endTime &&
				(userIds.length === 0 || userIds.includes(instance.originatorUserId)) &&
				(statuses.length === 0 || statuses.includes(instance.status)),
		)
		.sort((a, b) => a.createTime - b.createTime)
		.slice(0, MAX_LISTED_IDS);
	const next = offset + maxResults;
	return {
		body: {
			result: {
				list: matches.slice(offset, next).map((instance) => instance.processInstanceId),
				...(next < matches.length ? { nextToken: String(next) } : {}),
			},
			success: true,
		},
	};
}

/**
 * POST /v1.0/workflow/processInstances/execute {processInstanceId, taskId, actionerUserId, result,
 * remark?, file?} → {result:true, success:true}. Checks, in order: the four required fields
 * (invalidInstanceId, invalidInstanceExecuteActionerUserId, invalidInstanceExecuteTaskId,
 * invalidInstanceExecuteResult); remark ≤ 1024 and file.attachments ≤ 20 (invalidParameter);
 * actioner known (userNotExist); instance known (aflowProcessNotExist); instance RUNNING
 * (aflowProcessInstStatusException); task in the instance and RUNNING
 * (aflowProcessInstCanNotBeExecuted); task belongs to the actioner (needAuth).
 */
function execute(/** @type {RequestContext} */ ctx) {
	const world = worldOf(ctx);
	const E = WORKFLOW.execute;
	const body = bodyOf(ctx);
	if (isBlankValue(body.processInstanceId)) return workflowError(ctx, E.invalidInstanceId);
	if (isBlankValue(body.actionerUserId)) return workflowError(ctx, E.invalidActionerUserId);
	const taskId = readInteger(body.taskId);
	if (taskId === undefined) return workflowError(ctx, E.invalidTaskId);
	if (body.result !== 'agree' && body.result !== 'refuse')
		return workflowError(ctx, E.invalidResult);
	if (!textWithin(body.remark, MAX_REMARK) || !fileIsValid(body.file))
		return workflowError(ctx, E.invalidParameter);
	if (!userOf(world, body.actionerUserId)) return workflowError(ctx, E.userNotExist);
	const instance = instanceOf(world, body.processInstanceId);
	if (!instance) return workflowError(ctx, E.processNotExist);
	if (instance.status !== 'RUNNING') return workflowError(ctx, E.statusException);
	const task = instance.tasks.find((item) => item.taskId === taskId);
	if (!task || task.status !== 'RUNNING') return workflowError(ctx, E.cannotBeExecuted);
	if (task.userId !== body.actionerUserId) return workflowError(ctx, E.needAuth);
	executeTask(
		world,
		instance,
		task,
		body.result,
		body.remark ?? '',
		body.file,
		ctx.env.clock.now(),
	);
	return ok();
}

/**
 * Who may terminate and when (terminate page): not within 15 s of creation, not once finished,
 * only with the template's "允许提交人撤销审批中的审批单" on (otherwise internalError "您没有任务处理的权限",
 * the page's reason for errcode 820008), and with isSystem false only by the originator (same
 * answer). Returns the refusal, or undefined.
 * @param {RequestContext} ctx @param {ApprovalWorld} world @param {ApprovalInstance} instance
 * @param {boolean} isSystem @param {string | undefined} operatingUserId @param {number} now
 */
function terminateProblem(ctx, world, instance, isSystem, operatingUserId, now) {
	const E = WORKFLOW.terminate;
	if (instance.status !== 'RUNNING')
		return workflowError(ctx, E.statusException, '审批单已结束，不能撤销');
	if (now - instance.createTime < REVOKE_GRACE_MS)
		return workflowError(ctx, E.statusException, '提交审批单后15秒内不能进行撤回');
	if (!isSystem && operatingUserId !== instance.originatorUserId)
		return workflowError(ctx, E.internalError, '您没有任务处理的权限');
	if (!templateOf(world, instance.processCode)?.allowRevoke)
		return workflowError(ctx, E.internalError, '您没有任务处理的权限');
	return undefined;
}

/**
 * POST /v1.0/workflow/processInstances/terminate {processInstanceId, isSystem, remark?,
 * operatingUserId?} → {result:true, success:true}. isSystem must be a boolean; the page lists it
 * as optional but has an error for it being empty, so it may be left out only when
 * operatingUserId is given (then it counts as false). Checks, in order: invalidInstanceId,
 * invalidInstanceTerminateIsSystem, invalidInstanceTerminateOperatingUserId (isSystem false
 * without operatingUserId), remark ≤ 1024 (invalidParameter), operatingUserId known
 * (userNotExist), instance known (aflowProcessInstNotExist), then terminateProblem.
 */
function terminate(/** @type {RequestContext} */ ctx) {
	const world = worldOf(ctx);
	const E = WORKFLOW.terminate;
	const body = bodyOf(ctx);
	if (isBlankValue(body.processInstanceId)) return workflowError(ctx, E.invalidInstanceId);
	const hasOperator = !isBlankValue(body.operatingUserId);
	if (body.isSystem === undefined || body.isSystem === null) {
		if (!hasOperator) return workflowError(ctx, E.invalidIsSystem);
	} else if (typeof body.isSystem !== 'boolean') {
		return workflowError(ctx, E.invalidIsSystem);
	}
	const isSystem = body.isSystem === true;
	if (!isSystem && !hasOperator) return workflowError(ctx, E.invalidOperatingUserId);
	if (!textWithin(body.remark, MAX_REMARK)) return workflowError(ctx, E.invalidParameter);
	if (hasOperator && !userOf(world, body.operatingUserId))
		return workflowError(ctx, E.userNotExist);
	const instance = instanceOf(world, body.processInstanceId);
	if (!instance) return workflowError(ctx, E.instanceNotExist);
	const now = ctx.env.clock.now();
	const refused = terminateProblem(
		ctx,
		world,
		instance,
		isSystem,
		hasOperator ? body.operatingUserId : undefined,
		now,
	);
	if (refused) return refused;
	terminateInstance(
		world,
		instance,
		hasOperator ? body.operatingUserId : instance.originatorUserId,
		body.remark ?? '',
		now,
	);
	return ok();
}

/**
 * POST /v1.0/workflow/processInstances/comments {processInstanceId, text ≤ 1024, commentUserId,
 * file?} → {result:true, success:true}. Checks, in order: invalidInstanceId,
 * invalidInstanceCommentText, invalidInstanceCommentUserId; text ≤ 1024 and file.attachments ≤ 20
 * (invalidParameter); commenter known (userNotExist); instance known (aflowProcessInstNotExist);
 * a TERMINATED instance takes no comments (aflowProcessInstCanNotBeExecuted; running and
 * completed ones do — emulator choice).
 */
function comment(/** @type {RequestContext} */ ctx) {
	const world = worldOf(ctx);
	const E = WORKFLOW.comment;
	const body = bodyOf(ctx);
	if (isBlankValue(body.processInstanceId)) return workflowError(ctx, E.invalidInstanceId);
	if (isBlankValue(body.text)) return workflowError(ctx, E.invalidText);
	if (isBlankValue(body.commentUserId)) return workflowError(ctx, E.invalidCommentUserId);
	if (
		typeof body.text !== 'string' ||
		!textWithin(body.text, MAX_REMARK) ||
		!fileIsValid(body.file)
	)
		return workflowError(ctx, E.invalidParameter);
	if (!userOf(world, body.commentUserId)) return workflowError(ctx, E.userNotExist);
	const instance = instanceOf(world, body.processInstanceId);
	if (!instance) return workflowError(ctx, E.instanceNotExist);
	if (instance.status === 'TERMINATED') return workflowError(ctx, E.cannotBeExecuted);
	addComment(world, instance, body.commentUserId, body.text, body.file, ctx.env.clock.now());
	return ok();
}

/** API routes, spread into the new-API family's routes (dingtalk/api.js). @type {import('../family').Route[]} */
const APPROVAL_ROUTES = [
	{
		method: 'GET',
		path: '/v1.0/workflow/processes/userVisibilities/templates',
		handler: listTemplates,
	},
	{ method: 'GET', path: '/v1.0/workflow/forms/schemas/processCodes', handler: getSchema },
	{ method: 'POST', path: '/v1.0/workflow/processInstances', handler: createInstance },
	{ method: 'GET', path: '/v1.0/workflow/processInstances', handler: getInstance },
	{ method: 'POST', path: '/v1.0/workflow/processes/instanceIds/query', handler: listInstanceIds },
	{ method: 'POST', path: '/v1.0/workflow/processInstances/execute', handler: execute },
	{ method: 'POST', path: '/v1.0/workflow/processInstances/terminate', handler: terminate },
	{ method: 'POST', path: '/v1.0/workflow/processInstances/comments', handler: comment },
];

// ---------------------------------------------------------------------------------------------
// Controls

/**
 * A template for addTemplate: processCode (PROC-…, unique), name and schemaContent.items (or
 * items) required; the rest defaults to a form everyone sees, no default approvers, revocable.
 * @param {ApprovalWorld} world @param {unknown} input
 * @returns {ApprovalTemplate}
 */
function readTemplate(world, input) {
	if (!isPlainObject(input)) throw new EmulatorInputError('the template must be an object');
	const { processCode, name } = input;
	if (typeof processCode !== 'string' || !/^PROC-[^\s]+$/.test(processCode))
		throw new EmulatorInputError('processCode must be a string starting with PROC-');
	if (templateOf(world, processCode))
		throw new EmulatorInputError(`template ${processCode} already exists`, 409);
	if (typeof name !== 'string' || name.trim() === '')
		throw new EmulatorInputError('name must be a non-empty string');
	const items = checkFormItems(input.schemaContent?.items ?? input.items);
	const visible = input.visibleTo ?? { everyone: true };
	if (!isPlainObject(visible))
		throw new EmulatorInputError('visibleTo must be {everyone?, deptIds?, userIds?}');
	const deptIds = visible.deptIds ?? [];
	const userIds = visible.userIds ?? [];
	if (!Array.isArray(deptIds) || deptIds.some((id) => !departmentOf(world, Number(id))))
		throw new EmulatorInputError('visibleTo.deptIds must list existing department ids');
	if (!Array.isArray(userIds) || userIds.some((id) => !userOf(world, id)))
		throw new EmulatorInputError('visibleTo.userIds must list existing userids');
	const everyone = visible.everyone ?? (deptIds.length === 0 && userIds.length === 0);
	const flow = input.flow ?? {};
	if (!isPlainObject(flow))
		throw new EmulatorInputError('flow must be {approvers?, ccList?, ccPosition?}');
	const approvers = readApprovers(world, flow.approvers ?? []);
	if (!approvers)
		throw new EmulatorInputError(
			'flow.approvers must be ≤ 20 nodes {actionType: AND|OR (2+ users) | NONE (1 user), userIds of existing users}',
		);
	const ccList = flow.ccList ?? [];
	if (!Array.isArray(ccList) || ccList.length > MAX_CC || ccList.some((id) => !userOf(world, id)))
		throw new EmulatorInputError('flow.ccList must list ≤ 50 existing userids');
	const ccPosition = flow.ccPosition ?? 'START';
	if (!CC_POSITIONS.includes(ccPosition))
		throw new EmulatorInputError(`flow.ccPosition must be one of ${CC_POSITIONS.join(', ')}`);
	const status = input.status ?? 'PUBLISHED';
	if (status !== 'PUBLISHED' && status !== 'INVALID')
		throw new EmulatorInputError('status must be PUBLISHED or INVALID');
	/** @param {string} key @param {string} fallback */
	const text = (key, fallback) => {
		const value = input[key] ?? fallback;
		if (typeof value !== 'string') throw new EmulatorInputError(`${key} must be a string`);
		return value;
	};
	const creatorUserId = text('creatorUserId', 'admin01');
	return {
		processCode,
		name,
		formUuid: text(
			'formUuid',
			`FORM-EMU-${hexId(`form:${processCode}`).slice(0, 24).toUpperCase()}`,
		),
		icon: text('icon', 'common'),
		iconUrl: text('iconUrl', ''),
		dirId: text('dirId', ''),
		dirName: text('dirName', ''),
		bizCategoryId: text('bizCategoryId', ''),
		memo: text('memo', ''),
		creatorUserId,
		status,
		allowRevoke: input.allowRevoke ?? true,
		visibleTo: { everyone: everyone === true, deptIds: deptIds.map(Number), userIds: [...userIds] },
		flow: { approvers, ccList: [...ccList], ccPosition },
		schemaContent: { title: text('title', name), icon: text('icon', 'common'), items },
		gmtCreate: SEEDED_AT,
		gmtModified: SEEDED_AT,
	};
}

/**
 * The programmatic controls (`emu.dingtalk.approvals`), over the live state.
 * @param {() => any} state the platform state (read anew on every call: reset() replaces it)
 * @param {{ clock: { now(): number } }} env
 */
function approvalControls(state, env) {
	const world = () => /** @type {ApprovalWorld} */ (state());
	/** @returns {ApprovalInstance} */
	const find = (/** @type {unknown} */ instanceId) => {
		const instance = instanceOf(world(), instanceId);
		if (!instance) throw new EmulatorInputError(`no approval instance ${String(instanceId)}`, 404);
		return instance;
	};
	const running = (/** @type {ApprovalInstance} */ instance) => {
		if (instance.status !== 'RUNNING')
			throw new EmulatorInputError(
				`approval instance ${instance.processInstanceId} is ${instance.status}, not RUNNING`,
				409,
			);
	};
	return {
		/** The templates (live records, seed order). */
		templates: () => world().approvalTemplates,
		/** Adds a template (dropped by reset()); see readTemplate for the fields. @param {unknown} template */
		addTemplate(template) {
			const record = readTemplate(world(), template);
			world().approvalTemplates.push(record);
			return record;
		},
		/** Every instance, oldest first (live records, times in ms). */
		instances: () => world().approvalInstances,
		/** One instance (live record). @param {string} instanceId */
		instance: (instanceId) => find(instanceId),
		/** Every approval event, oldest first. */
		events: () => world().approvalEvents,
		/**
		 * An approver (or, for comments, anyone) acting in the app: agree / refuse / redirect their
		 * RUNNING task, or comment. Same effects and events as the API.
		 * @param {string} instanceId
		 * @param {{ userId?: unknown, action?: unknown, remark?: unknown, toUserId?: unknown }} input
		 */
		act(instanceId, input) {
			const instance = find(instanceId);
			if (!isPlainObject(input))
				throw new EmulatorInputError('act needs {userId, action, remark?, toUserId?}');
			const { userId, action, remark = '', toUserId } = input;
			if (!['agree', 'refuse', 'redirect', 'comment'].includes(/** @type {string} */ (action)))
				throw new EmulatorInputError(
					`action must be agree, refuse, redirect or comment, got ${JSON.stringify(action)}`,
				);
			if (typeof userId !== 'string' || !userOf(world(), userId))
				throw new EmulatorInputError(
					`userId must be an existing userid, got ${JSON.stringify(userId)}`,
				);
			if (typeof remark !== 'string' || remark.length > MAX_REMARK)
				throw new EmulatorInputError(`remark must be a string of at most ${MAX_REMARK} characters`);
			const now = env.clock.now();
			if (action === 'comment') {
				if (remark.trim() === '')
					throw new EmulatorInputError('a comment needs a remark (its text)');
				if (instance.status === 'TERMINATED')
					throw new EmulatorInputError(
						`approval instance ${instance.processInstanceId} is TERMINATED`,
						409,
					);
				addComment(world(), instance, userId, remark, undefined, now);
				return instance;
			}
			running(instance);
			const task = instance.tasks.find(
				(item) => item.userId === userId && item.status === 'RUNNING',
			);
			if (!task) {
				const waiting = instance.tasks
					.filter((item) => item.status === 'RUNNING')
					.map((item) => item.userId);
				throw new EmulatorInputError(
					`${userId} has no RUNNING task in ${instance.processInstanceId}; waiting for: ${waiting.join(', ')}`,
					409,
				);
			}
			if (action === 'redirect') {
				if (typeof toUserId !== 'string' || !userOf(world(), toUserId) || toUserId === userId)
					throw new EmulatorInputError('redirect needs toUserId: another existing userid');
				redirectTask(world(), instance, task, toUserId, remark, now);
			} else {
				executeTask(
					world(),
					instance,
					task,
					/** @type {'agree'|'refuse'} */ (action),
					remark,
					undefined,
					now,
				);
			}
			return instance;
		},
		/**
		 * The originator withdraws (撤销) a RUNNING instance in the app. No 15 s wait (that rule is
		 * the API's); with the template's allowRevoke off, only before any approver has acted.
		 * @param {string} instanceId
		 */
		withdraw(instanceId) {
			const instance = find(instanceId);
			running(instance);
			const template = templateOf(world(), instance.processCode);
			const acted = instance.tasks.some((task) => task.status === 'COMPLETED');
			if (!template?.allowRevoke && acted)
				throw new EmulatorInputError(
					`template ${instance.processCode} does not allow withdrawing once an approver has acted (allowRevoke false)`,
					409,
				);
			terminateInstance(world(), instance, instance.originatorUserId, '', env.clock.now());
			return instance;
		},
	};
}

/** Control-API routes, spread into control.js ROUTES. @type {import('../control').ControlRoute[]} */
const DINGTALK_APPROVAL_CONTROL_ROUTES = [
	{
		method: 'GET',
		path: '/dingtalk/approvals/templates',
		summary: 'approval templates (processCode, flow, schemaContent…)',
		handler: (emu) => ({ templates: emu.dingtalk.approvals.templates() }),
	},
	{
		method: 'POST',
		path: '/dingtalk/approvals/templates',
		summary:
			'{processCode, name, schemaContent:{items}, visibleTo?, flow?, allowRevoke?, status?}: add a template',
		handler: (emu, { body }) => emu.dingtalk.approvals.addTemplate(body),
	},
	{
		method: 'GET',
		path: '/dingtalk/approvals/instances',
		summary: 'approval instances (times in ms)',
		handler: (emu) => ({ instances: emu.dingtalk.approvals.instances() }),
	},
	{
		method: 'GET',
		path: '/dingtalk/approvals/instances/:instanceId',
		summary: 'one approval instance',
		handler: (emu, { params }) => emu.dingtalk.approvals.instance(params.instanceId),
	},
	{
		method: 'POST',
		path: '/dingtalk/approvals/instances/:instanceId/act',
		summary:
			'{userId, action: agree|refuse|redirect|comment, remark?, toUserId?}: act as in the app',
		handler: (emu, { params, body }) => emu.dingtalk.approvals.act(params.instanceId, body),
	},
	{
		method: 'POST',
		path: '/dingtalk/approvals/instances/:instanceId/withdraw',
		summary: 'the originator withdraws the instance',
		handler: (emu, { params }) => emu.dingtalk.approvals.withdraw(params.instanceId),
	},
	{
		method: 'GET',
		path: '/dingtalk/approvals/events',
		summary: 'bpms_instance_change / bpms_task_change events, oldest first',
		handler: (emu) => ({ events: emu.dingtalk.approvals.events() }),
	},
];

module.exports = {
	createApprovalState,
	APPROVAL_ROUTES,
	DINGTALK_APPROVAL_CONTROL_ROUTES,
	approvalControls,
};
