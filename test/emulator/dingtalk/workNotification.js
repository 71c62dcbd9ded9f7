// @ts-check
'use strict';

const { EmulatorInputError } = require('../inputError');
const { isPlainObject, splitList, readBoolean, contentFingerprint } = require('../values');
const { OAPI, oapiAnswer, oapiError, badParameter } = require('./errors');
const { departmentTree, membersOf } = require('./org');
const { workMessageProblem } = require('./workMessage');

/**
 * Work notifications (工作通知): asyncsend_v2 creates a task; getsendprogress, getsendresult and
 * recall read or change it. Docs:
 * https://open.dingtalk.com/document/development/asynchronous-sending-of-enterprise-session-messages,
 * https://open.dingtalk.com/document/development/obtain-the-sending-progress-of-asynchronous-sending-of-enterprise-session,
 * https://open.dingtalk.com/document/development/gets-the-result-of-sending-messages-asynchronously-to-the-enterprise,
 * https://open.dingtalk.com/document/development/notification-of-work-withdrawal.
 * Flow control never fails the call ("going over these limits still returns success"); it shows
 * up in the task's send result instead.
 *
 * @typedef {object} WorkTask
 * @property {number} taskId
 * @property {string} appKey
 * @property {number} agentId
 * @property {number} createdAt                emulator clock, ms
 * @property {Record<string, any>} msg
 * @property {{ userid_list: string[], dept_id_list: string[], to_all_user: boolean }} request
 * @property {string[]} recipients             valid users after expanding departments, before flow control
 * @property {string[]} delivered              recipients that got the message
 * @property {string[]} invalidUserIds
 * @property {number[]} invalidDeptIds
 * @property {string[]} forbiddenUserIds
 * @property {Array<{ code: string, count: number, userid: string }>} forbidden
 * @property {string[]} failedUserIds          recipients beyond 5000 in one call
 * @property {string[]} readUserIds
 * @property {string[]} unreadUserIds
 * @property {{ progress_in_percent: number, status: number }} progress
 * @property {number | null} recalledAt
 *
 * @typedef {object} FlowControl
 * @property {number | null} day               China day the per-day counters belong to
 * @property {Record<string, number>} perUserDay      "appKey|userid" → messages delivered today
 * @property {Record<string, number>} perContentDay   "appKey|userid|fingerprint" → times delivered today
 * @property {Record<string, Array<{ at: number, count: number }>>} deliveredPerApp  last minute's deliveries
 */

const LIST_LIMITS = { doc: { users: 100, depts: 20 }, sdk: { users: 5000, depts: 500 } };
const MAX_RECIPIENTS_PER_CALL = 5000;
const MAX_RECIPIENTS_PER_MINUTE = 5000;
const MAX_MESSAGES_PER_USER_PER_DAY = 500;
const TASK_WINDOW_MS = 24 * 3600_000;
const MINUTE_MS = 60_000;
const TASK_ID_BASE = 700_000_000_000;

/** DingTalk's day is China time (UTC+8): the "same user, same day" rules reset at 00:00 there. */
const chinaDay = (/** @type {number} */ ms) => Math.floor((ms + 8 * 3600_000) / 86_400_000);

/** @returns {FlowControl} */
function createFlowControl() {
	return { day: null, perUserDay: {}, perContentDay: {}, deliveredPerApp: {} };
}

/** The body as an object; form bodies carry every value as a string. */
function readBody(/** @type {import('../family').RequestContext} */ ctx) {
	return isPlainObject(ctx.body) ? ctx.body : {};
}

/**
 * A comma list field: absent/string/number are fine, anything else is a client bug.
 * @returns {{ problem: string } | { items: string[] }}
 */
function listField(/** @type {Record<string, any>} */ body, /** @type {string} */ name) {
	const value = body[name];
	if (
		value !== undefined &&
		value !== null &&
		typeof value !== 'string' &&
		typeof value !== 'number'
	) {
		return { problem: `${name} 必须是逗号分隔的字符串` };
	}
	return { items: splitList(value, ',') };
}

/**
 * The recipients a send names, checked against the limits in force.
 * @returns {{ problem: string } | { userIds: string[], deptIds: string[], toAll: boolean }}
 */
function readRecipients(
	/** @type {Record<string, any>} */ body,
	/** @type {{ users: number, depts: number }} */ limits,
) {
	const users = listField(body, 'userid_list');
	if ('problem' in users) return users;
	const depts = listField(body, 'dept_id_list');
	if ('problem' in depts) return depts;
	const toAll = readBoolean(body.to_all_user);
	if (toAll === undefined) return { problem: 'to_all_user 必须是布尔值' };
	if (!toAll && users.items.length === 0 && depts.items.length === 0)
		return { problem: 'to_all_user 为 false 时必须指定 userid_list 或 dept_id_list' };
	if (users.items.length > limits.users)
		return { problem: `userid_list 最多 ${limits.users} 个，收到 ${users.items.length} 个` };
	if (depts.items.length > limits.depts)
		return { problem: `dept_id_list 最多 ${limits.depts} 个，收到 ${depts.items.length} 个` };
	const nonNumeric = depts.items.find((id) => !/^\d+$/.test(id));
	if (nonNumeric !== undefined) return { problem: `dept_id_list 含非数字的部门 ID ${nonNumeric}` };
	return { userIds: users.items, deptIds: depts.items, toAll };
}

/** Valid recipients (users, then department members, no repeats) and what was invalid. */
function resolveRecipients(
	/** @type {import('./seed').DingTalkOrg} */ org,
	/** @type {{ userIds: string[], deptIds: string[], toAll: boolean }} */ wanted,
) {
	/** @type {Set<string>} */
	const recipients = new Set();
	/** @type {string[]} */
	const invalidUserIds = [];
	/** @type {number[]} */
	const invalidDeptIds = [];
	if (wanted.toAll) {
		for (const user of org.users) recipients.add(user.userid);
		return { recipients: [...recipients], invalidUserIds, invalidDeptIds };
	}
	const known = new Set(org.users.map((user) => user.userid));
	for (const userid of wanted.userIds) {
		if (known.has(userid)) recipients.add(userid);
		else invalidUserIds.push(userid);
	}
	for (const id of wanted.deptIds.map(Number)) {
		const tree = departmentTree(org, id);
		if (tree.size === 0) invalidDeptIds.push(id);
		for (const user of membersOf(org, tree)) recipients.add(user.userid);
	}
	return { recipients: [...recipients], invalidUserIds, invalidDeptIds };
}

/**
 * Applies the delivery limits of https://open.dingtalk.com/document/development/asynchronous-sending-of-enterprise-session-messages
 * to one send, updating the counters.
 * @param {FlowControl} flow
 * @param {{ appKey: string, now: number, msg: unknown, candidates: string[] }} send
 */
function applyFlowControl(flow, { appKey, now, msg, candidates }) {
	const day = chinaDay(now);
	if (flow.day !== day) Object.assign(flow, { day, perUserDay: {}, perContentDay: {} });
	const recent = (flow.deliveredPerApp[appKey] ?? []).filter((entry) => entry.at > now - MINUTE_MS);
	let deliveredThisMinute = recent.reduce((sum, entry) => sum + entry.count, 0);
	const fingerprint = contentFingerprint(msg);

	/** @type {string[]} */
	const delivered = [];
	/** @type {Array<{ code: string, count: number, userid: string }>} */
	const forbidden = [];
	for (const userid of candidates) {
		const userKey = `${appKey}|${userid}`;
		const contentKey = `${userKey}|${fingerprint}`;
		// `count` is the threshold that was hit (流控阈值, https://open.dingtalk.com/document/development/gets-the-result-of-sending-messages-asynchronously-to-the-enterprise).
		if ((flow.perContentDay[contentKey] ?? 0) >= 1)
			forbidden.push({ code: '143106', count: 1, userid });
		else if ((flow.perUserDay[userKey] ?? 0) >= MAX_MESSAGES_PER_USER_PER_DAY)
			forbidden.push({ code: '143105', count: MAX_MESSAGES_PER_USER_PER_DAY, userid });
		else if (deliveredThisMinute >= MAX_RECIPIENTS_PER_MINUTE)
			forbidden.push({ code: '143103', count: MAX_RECIPIENTS_PER_MINUTE, userid });
		else {
			flow.perContentDay[contentKey] = (flow.perContentDay[contentKey] ?? 0) + 1;
			flow.perUserDay[userKey] = (flow.perUserDay[userKey] ?? 0) + 1;
			deliveredThisMinute += 1;
			delivered.push(userid);
		}
	}
	flow.deliveredPerApp[appKey] = [...recent, { at: now, count: delivered.length }];
	return { delivered, forbidden };
}

/** POST /topapi/message/corpconversation/asyncsend_v2 */
function asyncSendV2(/** @type {import('../family').RequestContext} */ ctx) {
	const { state, clock, ids } = ctx.env;
	const body = readBody(ctx);
	const app = ctx.app;
	if (body.agent_id === undefined || body.agent_id === '')
		return badParameter(ctx, '缺少 agent_id');
	if (Number(body.agent_id) !== app.agentId)
		return badParameter(ctx, `agent_id ${body.agent_id} 不是当前应用的 AgentID`);

	let msg = body.msg;
	if (typeof msg === 'string') {
		try {
			msg = JSON.parse(msg);
		} catch {
			return badParameter(ctx, 'msg 不是合法的 JSON');
		}
	}
	if (msg === undefined) return badParameter(ctx, '缺少 msg');
	const msgProblem = workMessageProblem(msg, { maxBytes: state.settings.dingtalk.msgMaxBytes });
	if (msgProblem) return badParameter(ctx, msgProblem);

	const wanted = readRecipients(body, LIST_LIMITS[state.settings.dingtalk.recipientLimits]);
	if ('problem' in wanted) return badParameter(ctx, wanted.problem);

	const org = state.dingtalk;
	const { recipients, invalidUserIds, invalidDeptIds } = resolveRecipients(org, wanted);
	const now = clock.now();
	const { delivered, forbidden } = applyFlowControl(org.flowControl, {
		appKey: app.appKey,
		now,
		msg,
		candidates: recipients.slice(0, MAX_RECIPIENTS_PER_CALL),
	});

	/** @type {WorkTask} */
	const task = {
		taskId: TASK_ID_BASE + ids.next('dingtalk-task'),
		appKey: app.appKey,
		agentId: app.agentId,
		createdAt: now,
		msg: /** @type {Record<string, any>} */ (msg),
		request: {
			userid_list: wanted.userIds,
			dept_id_list: wanted.deptIds,
			to_all_user: wanted.toAll,
		},
		recipients,
		delivered,
		invalidUserIds,
		invalidDeptIds,
		forbiddenUserIds: forbidden.map((item) => item.userid),
		forbidden,
		failedUserIds: recipients.slice(MAX_RECIPIENTS_PER_CALL),
		readUserIds: [],
		unreadUserIds: [...delivered],
		progress: { ...state.settings.dingtalk.newTaskProgress },
		recalledAt: null,
	};
	org.tasks.push(task);
	return oapiAnswer(ctx, { errcode: 0, task_id: task.taskId });
}

/**
 * The caller's own task named in the body, if it may still be queried (24 h window).
 * @param {import('../family').RequestContext} ctx
 * @param {string} taskField  task_id or msg_task_id
 * @returns {{ task: WorkTask } | { problem: string }}
 */
function findOwnTask(ctx, taskField) {
	const body = readBody(ctx);
	if (body.agent_id === undefined || Number(body.agent_id) !== ctx.app.agentId)
		return { problem: `agent_id ${body.agent_id ?? '(缺少)'} 不是当前应用的 AgentID` };
	const taskId = Number(body[taskField]);
	if (!Number.isSafeInteger(taskId)) return { problem: `缺少或不合法的 ${taskField}` };
	const task = ctx.env.state.dingtalk.tasks.find(
		(item) => item.taskId === taskId && item.appKey === ctx.app.appKey,
	);
	if (!task) return { problem: `${taskField} ${taskId} 不存在` };
	if (ctx.env.clock.now() - task.createdAt > TASK_WINDOW_MS)
		return { problem: `${taskField} ${taskId} 已超过 24 小时` };
	return { task };
}

/** POST /topapi/message/corpconversation/getsendprogress */
function getSendProgress(/** @type {import('../family').RequestContext} */ ctx) {
	const found = findOwnTask(ctx, 'task_id');
	if ('problem' in found) return badParameter(ctx, found.problem);
	return oapiAnswer(ctx, { errcode: 0, errmsg: 'ok', progress: { ...found.task.progress } });
}

/** POST /topapi/message/corpconversation/getsendresult */
function getSendResult(/** @type {import('../family').RequestContext} */ ctx) {
	const found = findOwnTask(ctx, 'task_id');
	if ('problem' in found) return badParameter(ctx, found.problem);
	const { task } = found;
	return oapiAnswer(ctx, {
		errcode: 0,
		errmsg: 'ok',
		send_result: {
			invalid_user_id_list: [...task.invalidUserIds],
			forbidden_user_id_list: [...task.forbiddenUserIds],
			failed_user_id_list: [...task.failedUserIds],
			read_user_id_list: [...task.readUserIds],
			unread_user_id_list: [...task.unreadUserIds],
			invalid_dept_id_list: [...task.invalidDeptIds],
			forbidden_list: task.forbidden.map((item) => ({ ...item })),
		},
	});
}

/** POST /topapi/message/corpconversation/recall */
function recall(/** @type {import('../family').RequestContext} */ ctx) {
	const found = findOwnTask(ctx, 'msg_task_id');
	if ('problem' in found) return oapiError(ctx, OAPI.badRecall);
	found.task.recalledAt ??= ctx.env.clock.now();
	return oapiAnswer(ctx, { errcode: 0, errmsg: 'ok' });
}

/** A task by id, for the control API. */
function taskById(/** @type {{ tasks: WorkTask[] }} */ dingtalk, /** @type {unknown} */ taskId) {
	const task = dingtalk.tasks.find((item) => item.taskId === Number(taskId));
	if (!task) throw new EmulatorInputError(`no work-notification task ${String(taskId)}`, 404);
	return task;
}

/** Control: recipients read the message (all unread ones when userIds is omitted). */
function markTaskRead(
	/** @type {{ tasks: WorkTask[] }} */ dingtalk,
	/** @type {unknown} */ taskId,
	/** @type {unknown} */ userIds,
) {
	const task = taskById(dingtalk, taskId);
	if (userIds !== undefined && !Array.isArray(userIds))
		throw new EmulatorInputError('userIds must be an array of userids');
	const reading = new Set((userIds ?? task.unreadUserIds).map(String));
	const notRecipients = [...reading].filter((userid) => !task.delivered.includes(userid));
	if (notRecipients.length)
		throw new EmulatorInputError(`not delivered to ${notRecipients.join(', ')}`);
	task.readUserIds = [
		...task.readUserIds,
		...task.unreadUserIds.filter((userid) => reading.has(userid)),
	];
	task.unreadUserIds = task.unreadUserIds.filter((userid) => !reading.has(userid));
	return task;
}

/** Control: set what getsendprogress reports. */
function setTaskProgress(
	/** @type {{ tasks: WorkTask[] }} */ dingtalk,
	/** @type {unknown} */ taskId,
	/** @type {any} */ progress,
) {
	const task = taskById(dingtalk, taskId);
	const next = { ...task.progress, ...(isPlainObject(progress) ? progress : {}) };
	if (
		!Number.isInteger(next.progress_in_percent) ||
		next.progress_in_percent < 0 ||
		next.progress_in_percent > 100
	) {
		throw new EmulatorInputError('progress_in_percent must be an integer 0..100');
	}
	if (![0, 1, 2].includes(next.status))
		throw new EmulatorInputError('status must be 0 (not started), 1 (processing) or 2 (done)');
	task.progress = { progress_in_percent: next.progress_in_percent, status: next.status };
	return task;
}

const WORK_NOTIFICATION_ROUTES = [
	{ method: 'POST', path: '/topapi/message/corpconversation/asyncsend_v2', handler: asyncSendV2 },
	{
		method: 'POST',
		path: '/topapi/message/corpconversation/getsendprogress',
		handler: getSendProgress,
	},
	{
		method: 'POST',
		path: '/topapi/message/corpconversation/getsendresult',
		handler: getSendResult,
	},
	{ method: 'POST', path: '/topapi/message/corpconversation/recall', handler: recall },
];

module.exports = {
	WORK_NOTIFICATION_ROUTES,
	createFlowControl,
	taskById,
	markTaskRead,
	setTaskProgress,
};
