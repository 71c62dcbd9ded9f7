// @ts-check
'use strict';

const { EmulatorInputError } = require('../inputError');
const { base64url } = require('../ids');
const {
	isPlainObject,
	isGiven,
	splitList,
	utf8Length,
	truncateUtf8,
	contentFingerprint,
	countInWindow,
	pruneOlderThan,
} = require('../values');
const { CODES, weComError, weComOk } = require('./errors');
const { usersByLowerId, departmentTree, membersOf } = require('./org');
const { appMessageProblem, isInteractiveCard } = require('./messageTypes');

/**
 * Application messages (应用消息): message/send (https://developer.work.weixin.qq.com/document/path/90236) and
 * message/recall (https://developer.work.weixin.qq.com/document/path/94867).
 *
 * @typedef {object} AppMessage
 * @property {string} msgid
 * @property {string} corpId
 * @property {number} agentId
 * @property {number} createdAt                 emulator clock, ms
 * @property {string} msgtype
 * @property {Record<string, any>} content      the msgtype body as delivered (text may be truncated)
 * @property {boolean} truncated                text.content was cut to 2048 bytes
 * @property {{ touser: string, toparty: string, totag: string, safe: number, enable_id_trans: number, enable_duplicate_check: number, duplicate_check_interval: number }} request
 * @property {string[]} recipients              canonical userids the message reached
 * @property {string[]} invalidUsers            lower-cased, as in the response
 * @property {string[]} invalidParties
 * @property {string[]} invalidTags
 * @property {string[]} unlicensedUsers         canonical userids in scope without a license (not delivered)
 * @property {string[]} droppedUsers            over 30/min or 1000/h from this app: silently not delivered
 * @property {string | null} duplicateOf        msgid of the identical message this one repeated (nothing delivered)
 * @property {string | null} responseCode       interactive template cards only
 * @property {string} fingerprint               identity for the duplicate check
 * @property {number | null} recalledAt
 */

const LIMITS = { users: 1000, parties: 100, tags: 100 };
const TEXT_MAX_BYTES = 2048;
const PER_MEMBER_PER_MINUTE = 30;
const PER_MEMBER_PER_HOUR = 1000;
const DEFAULT_DUPLICATE_INTERVAL_S = 1800;
const MAX_DUPLICATE_INTERVAL_S = 4 * 3600;
const RECALL_WINDOW_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;

/** 0/1 flags arrive as numbers or strings; absent means 0. */
function readFlag(/** @type {Record<string, any>} */ body, /** @type {string} */ name) {
	const value = body[name];
	if (value === undefined || value === null || value === '') return { value: 0 };
	if ([0, 1, '0', '1'].includes(value)) return { value: Number(value) };
	return { problem: `${name} must be 0 or 1` };
}

/** @returns {{ problem: string } | { toAll: boolean, users: string[], parties: string[], tags: string[] }} */
function readRecipients(/** @type {Record<string, any>} */ body) {
	for (const name of ['touser', 'toparty', 'totag']) {
		const value = body[name];
		if (
			value !== undefined &&
			value !== null &&
			typeof value !== 'string' &&
			typeof value !== 'number'
		)
			return { problem: `${name} must be a '|'-separated string` };
	}
	const toAll = String(body.touser ?? '').trim() === '@all';
	const users = toAll ? [] : splitList(body.touser, '|');
	const parties = splitList(body.toparty, '|');
	const tags = splitList(body.totag, '|');
	if (users.length > LIMITS.users)
		return { problem: `touser holds ${users.length} users, at most ${LIMITS.users}` };
	if (parties.length > LIMITS.parties)
		return { problem: `toparty holds ${parties.length} departments, at most ${LIMITS.parties}` };
	if (tags.length > LIMITS.tags)
		return { problem: `totag holds ${tags.length} tags, at most ${LIMITS.tags}` };
	return { toAll, users, parties, tags };
}

/**
 * Who is in scope: users named directly, members of departments (with sub-departments) and of
 * tags (their users and departments). `@all` means every member and ignores toparty/totag.
 * @param {import('./seed').WeComWorld} world
 * @param {string} corpId
 * @param {{ toAll: boolean, users: string[], parties: string[], tags: string[] }} wanted
 */
function resolveRecipients(world, corpId, wanted) {
	const byLowerId = usersByLowerId(world, corpId);
	/** @type {Map<string, import('./seed').WeComUser>} */
	const inScope = new Map();
	const add = (/** @type {import('./seed').WeComUser[]} */ users) =>
		users.forEach((user) => inScope.set(user.userid, user));
	const invalidUsers = new Set();
	/** @type {string[]} */
	const invalidParties = [];
	/** @type {string[]} */
	const invalidTags = [];
	let anyValid = wanted.toAll;

	if (wanted.toAll) add(world.users.filter((user) => user.corpId === corpId));
	for (const id of wanted.users) {
		const user = byLowerId.get(id.toLowerCase());
		if (user) add([user]);
		else invalidUsers.add(id.toLowerCase());
		anyValid ||= Boolean(user);
	}
	for (const id of wanted.toAll ? [] : wanted.parties) {
		const tree = /^\d+$/.test(id) ? departmentTree(world, corpId, Number(id)) : new Set();
		if (tree.size === 0) invalidParties.push(id);
		anyValid ||= tree.size > 0;
		add(membersOf(world, corpId, tree));
	}
	for (const id of wanted.toAll ? [] : wanted.tags) {
		const tag = world.tags.find((item) => item.corpId === corpId && String(item.tagid) === id);
		if (!tag) {
			invalidTags.push(id);
			continue;
		}
		anyValid = true;
		add(
			tag.userlist
				.map((userid) => byLowerId.get(userid.toLowerCase()))
				.filter((user) => user !== undefined),
		);
		for (const party of tag.partylist)
			add(membersOf(world, corpId, departmentTree(world, corpId, party)));
	}
	const users = [...inScope.values()];
	return {
		anyValid,
		licensed: users.filter((user) => user.licensed).map((user) => user.userid),
		unlicensed: users.filter((user) => !user.licensed).map((user) => user.userid),
		invalidUsers: [...invalidUsers],
		invalidParties,
		invalidTags,
	};
}

/**
 * Splits recipients into delivered and dropped by the per-member limits (30/min, 1000/h per app,
 * https://developer.work.weixin.qq.com/document/path/90236: "the excess is silently dropped"), recording the
 * deliveries.
 * @param {Record<string, number[]>} log "corpId/agentId/userid" → delivery times
 */
function applyMemberLimits(
	log,
	/** @type {string} */ appKey,
	/** @type {string[]} */ userIds,
	/** @type {number} */ now,
) {
	/** @type {string[]} */
	const delivered = [];
	/** @type {string[]} */
	const dropped = [];
	for (const userid of userIds) {
		const times = (log[`${appKey}/${userid}`] ??= []);
		pruneOlderThan(times, now, HOUR_MS);
		if (
			countInWindow(times, now, 60_000) >= PER_MEMBER_PER_MINUTE ||
			times.length >= PER_MEMBER_PER_HOUR
		) {
			dropped.push(userid);
			continue;
		}
		times.push(now);
		delivered.push(userid);
	}
	return { delivered, dropped };
}

/** POST /cgi-bin/message/send */
function sendAppMessage(/** @type {import('../family').RequestContext} */ ctx) {
	const { state, clock, ids } = ctx.env;
	const world = state.wecom;
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const app = ctx.app;
	if (!isGiven(body.agentid) || Number(body.agentid) !== app.agentId)
		return weComError(ctx, CODES.invalidAgentId);

	const typeProblem = appMessageProblem(body);
	if (typeProblem) return weComError(ctx, CODES.badParameter, typeProblem);
	/** @type {Record<string, number>} */
	const flags = {};
	for (const name of ['safe', 'enable_id_trans', 'enable_duplicate_check']) {
		const flag = readFlag(body, name);
		if ('problem' in flag) return weComError(ctx, CODES.badParameter, flag.problem);
		flags[name] = flag.value;
	}
	const interval =
		body.duplicate_check_interval === undefined
			? DEFAULT_DUPLICATE_INTERVAL_S
			: Number(body.duplicate_check_interval);
	if (!Number.isInteger(interval) || interval < 1)
		return weComError(
			ctx,
			CODES.badParameter,
			'duplicate_check_interval must be a positive number of seconds',
		);

	const content = { ...body[body.msgtype] };
	let truncated = false;
	if (body.msgtype === 'text' && utf8Length(String(content.content)) > TEXT_MAX_BYTES) {
		if (state.settings.wecom.overlongText === 'reject')
			return weComError(ctx, CODES.badParameter, `text.content exceeds ${TEXT_MAX_BYTES} bytes`);
		content.content = truncateUtf8(String(content.content), TEXT_MAX_BYTES);
		truncated = true;
	}

	const wanted = readRecipients(body);
	if ('problem' in wanted) return weComError(ctx, CODES.badParameter, wanted.problem);
	const scope = resolveRecipients(world, app.corpId, wanted);
	if (!scope.anyValid) return weComError(ctx, CODES.allRecipientsInvalid);

	const now = clock.now();
	const request = {
		touser: String(body.touser ?? ''),
		toparty: String(body.toparty ?? ''),
		totag: String(body.totag ?? ''),
		safe: flags.safe,
		enable_id_trans: flags.enable_id_trans,
		enable_duplicate_check: flags.enable_duplicate_check,
		duplicate_check_interval: Math.min(interval, MAX_DUPLICATE_INTERVAL_S),
	};
	const fingerprint = contentFingerprint({
		msgtype: body.msgtype,
		content: body[body.msgtype],
		touser: request.touser,
		toparty: request.toparty,
		totag: request.totag,
	});
	const original = request.enable_duplicate_check
		? world.messages.find(
				(message) =>
					message.corpId === app.corpId &&
					message.agentId === app.agentId &&
					message.duplicateOf === null &&
					message.fingerprint === fingerprint &&
					now - message.createdAt < request.duplicate_check_interval * 1000,
			)
		: undefined;
	const { delivered, dropped } = original
		? { delivered: [], dropped: [] }
		: applyMemberLimits(
				world.memberDeliveries,
				`${app.corpId}/${app.agentId}`,
				scope.licensed,
				now,
			);

	/** @type {AppMessage} */
	const message = {
		msgid: base64url(ids.digest('wecom-msgid'), 43),
		corpId: app.corpId,
		agentId: app.agentId,
		createdAt: now,
		msgtype: body.msgtype,
		content,
		truncated,
		request,
		recipients: delivered,
		invalidUsers: scope.invalidUsers,
		invalidParties: scope.invalidParties,
		invalidTags: scope.invalidTags,
		unlicensedUsers: scope.unlicensed,
		droppedUsers: dropped,
		duplicateOf: original ? original.msgid : null,
		responseCode: isInteractiveCard(body) ? base64url(ids.digest('wecom-response-code'), 43) : null,
		fingerprint,
		recalledAt: null,
	};
	world.messages.push(message);

	const lists = {
		invaliduser: message.invalidUsers.join('|'),
		invalidparty: message.invalidParties.join('|'),
		invalidtag: message.invalidTags.join('|'),
		unlicenseduser: message.unlicensedUsers.map((userid) => userid.toLowerCase()).join('|'),
	};
	const shownLists =
		state.settings.wecom.emptyRecipientLists === 'omit'
			? Object.fromEntries(Object.entries(lists).filter(([, value]) => value))
			: lists;
	return weComOk({
		...shownLists,
		msgid: message.msgid,
		...(message.responseCode ? { response_code: message.responseCode } : {}),
	});
}

/** POST /cgi-bin/message/recall {msgid} — this app's messages of the last 24 hours. */
function recallAppMessage(/** @type {import('../family').RequestContext} */ ctx) {
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	if (!isGiven(body.msgid)) return weComError(ctx, CODES.badParameter, 'missing msgid');
	const message = ctx.env.state.wecom.messages.find(
		(item) =>
			item.msgid === body.msgid &&
			item.corpId === ctx.app.corpId &&
			item.agentId === ctx.app.agentId,
	);
	if (!message) return weComError(ctx, CODES.badParameter, `msgid ${body.msgid} not found`);
	if (ctx.env.clock.now() - message.createdAt > RECALL_WINDOW_MS)
		return weComError(
			ctx,
			CODES.badParameter,
			`msgid ${body.msgid} was sent more than 24 hours ago`,
		);
	message.recalledAt ??= ctx.env.clock.now();
	return weComOk();
}

/** A message by msgid, for the control API. */
function messageById(
	/** @type {import('./seed').WeComWorld & { messages: AppMessage[] }} */ world,
	/** @type {string} */ msgid,
) {
	const message = world.messages.find((item) => item.msgid === msgid);
	if (!message) throw new EmulatorInputError(`no WeCom app message ${msgid}`, 404);
	return message;
}

const APP_MESSAGE_ROUTES = [
	{ method: 'POST', path: '/cgi-bin/message/send', handler: sendAppMessage },
	{ method: 'POST', path: '/cgi-bin/message/recall', handler: recallAppMessage },
];

module.exports = { APP_MESSAGE_ROUTES, messageById };
