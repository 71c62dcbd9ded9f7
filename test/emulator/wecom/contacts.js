// @ts-check
'use strict';

const crypto = require('node:crypto');
const { isGiven, isPlainObject } = require('../values');
const { CODES, weComError, weComOk } = require('./errors');
const { corpIndex, subtreeIds, membersIn, normalizeMobile } = require('./org');

/**
 * Contacts reads (通讯录), as an internal (self-built) app sees them. Official pages (some are the
 * service-provider copies, which carry the same fields and notes as the internal ones):
 * department/list https://developer.work.weixin.qq.com/document/path/90208,
 * department/simplelist https://developer.work.weixin.qq.com/document/path/95406,
 * department/get https://developer.work.weixin.qq.com/document/path/95407,
 * user/get https://developer.work.weixin.qq.com/document/path/96255,
 * user/simplelist https://developer.work.weixin.qq.com/document/path/96259,
 * user/list https://developer.work.weixin.qq.com/document/path/96260,
 * user/list_id https://developer.work.weixin.qq.com/document/path/96067,
 * user/getuserid https://developer.work.weixin.qq.com/document/path/96267,
 * user/get_userid_by_email https://developer.work.weixin.qq.com/document/path/96268,
 * tag/list https://developer.work.weixin.qq.com/document/path/90352,
 * tag/get https://developer.work.weixin.qq.com/document/path/90349.
 *
 * What the app may read comes from two settings (state.settings.wecom):
 * - `contactsScope`: department ids visible with their sub-departments. Every page above says
 *   "应用须拥有指定成员/部门的查看权限"; a named member, department or tag outside it → 60011, and lists
 *   leave it out. Members' `department` lists show only visible ids ("仅返回该应用有查看权限的部门id"),
 *   `main_department` only when visible ("仅当应用对主部门有查看权限时返回"), `direct_leader` and
 *   `department_leader` only visible members ("返回在应用可见范围内的…").
 * - `contactsPermission`:
 *   'full' — everything within the scope.
 *   'noNames' — an app created after 2022-06-20 20:00 whose names are withheld as well: user/get and
 *   user/list leave out avatar, thumb_avatar, gender, mobile, email, biz_mail, qr_code, address
 *   ("不再返回以下字段：头像、性别、手机、邮箱、企业邮箱、员工个人二维码、地址", 96255/96260; the keys are
 *   omitted, as "不再返回" says). Names follow each page's note for apps that may not read them
 *   ("未返回名称的情况需要通过通讯录展示组件来展示名字"): members' `name` is the userid ("调用时返回userid以代替name",
 *   user/get, user/list, user/simplelist — so the key stays and clients that show `name` show the
 *   id), departments' `name` is the id as text ("返回的name字段使用id代替", department/list; also used
 *   for department/get, whose note only says the name needs the display component) and `name_en`
 *   is left out ("不再返回该字段"); tag/get members carry no `name` ("不再返回"). Tag names are kept.
 *   (Field notes: https://github.com/zsmhub/workweixin/blob/master/apis/%E6%88%90%E5%91%98%E7%AE%A1%E7%90%86-%E8%8E%B7%E5%8F%96%E9%83%A8%E9%97%A8%E6%88%90%E5%91%98%E8%AF%A6%E6%83%85.go
 *   and the department/tag files beside it, generated from the official pages.)
 *   'none' — no contacts permission. A call that names a member, department or tag (an id, a
 *   mobile, an e-mail) → 60011, as for anything outside the scope; a call that names nothing
 *   (department/list and simplelist without id, user/list_id, tag/list) → 48002 "api forbidden"
 *   (the API itself is not open to this secret, like list_id's "仅支持通过“通讯录同步secret”调用").
 *   Refused before the parameters are looked at.
 * 48009 "api forbidden for contact assistant" (contacts-sync secret from a new IP, 2022-08-15
 * rule) is not a setting: add an `errcode` fault with errcode 48009 (the wording is filled in).
 *
 * No separate contacts-sync secret is emulated: user/list_id answers the app's token under 'full'
 * and 'noNames' (it carries ids only).
 *
 * @typedef {import('../family').RequestContext} RequestContext
 * @typedef {import('./seed').WeComUser} WeComUser
 * @typedef {import('./seed').WeComDepartment} WeComDepartment
 * @typedef {import('./org').CorpIndex} CorpIndex
 * @typedef {{ index: CorpIndex, visible: Set<number>, permission: 'full'|'noNames'|'none', noNames: boolean }} View
 */

/** Left out under 'noNames' (96255, 96260). */
const PRIVATE_FIELDS = [
	'avatar',
	'thumb_avatar',
	'gender',
	'mobile',
	'email',
	'biz_mail',
	'qr_code',
	'address',
];
/** user/list_id `limit`: "取值范围 1 ~ 10000" (96067). No default is documented; the emulator uses the maximum. */
const LIST_ID_MAX = 10000;
const LIST_ID_DEFAULT = 10000;

/** The caller's view of its corp: look-up tables, visible departments, permission. */
function viewOf(/** @type {RequestContext} */ ctx) {
	const { contactsScope, contactsPermission } = ctx.env.state.settings.wecom;
	const index = corpIndex(ctx.env.state.wecom, ctx.app.corpId);
	const key = contactsScope.join(',');
	let visible = index.visibility.get(key);
	if (!visible) {
		visible = new Set(contactsScope.flatMap((id) => subtreeIds(index, id)));
		index.visibility.set(key, visible);
	}
	return /** @type {View} */ ({
		index,
		visible,
		permission: contactsPermission,
		noNames: contactsPermission === 'noNames',
	});
}

const isVisibleUser = (/** @type {View} */ view, /** @type {WeComUser} */ user) =>
	user.department.some((id) => view.visible.has(id));

/** Visible members among userids (canonical spelling), unknown ones dropped. */
function visibleUserIds(/** @type {View} */ view, /** @type {string[] | undefined} */ userids) {
	return (userids ?? [])
		.map((userid) => view.index.byLowerId.get(String(userid).toLowerCase()))
		.filter((user) => user !== undefined && isVisibleUser(view, user))
		.map((user) => /** @type {WeComUser} */ (user).userid);
}

/** A department id from the query: digits only (anything else matches no department). */
function readDepartmentId(/** @type {unknown} */ value) {
	return typeof value === 'string' && /^\d{1,10}$/.test(value.trim())
		? Number(value.trim())
		: undefined;
}

/**
 * The department a query parameter names, or the error answer: unknown → 60123, outside the scope
 * → 60011.
 * @returns {{ dept: WeComDepartment } | { reply: import('../family').Reply }}
 */
function namedDepartment(
	/** @type {RequestContext} */ ctx,
	/** @type {View} */ view,
	/** @type {unknown} */ value,
) {
	const id = readDepartmentId(value);
	const dept = id === undefined ? undefined : view.index.byDeptId.get(id);
	if (!dept) return { reply: weComError(ctx, CODES.invalidDepartment) };
	if (!view.visible.has(dept.id)) return { reply: weComError(ctx, CODES.noPrivilege) };
	return { dept };
}

/** Every visible department, parents before children (siblings by `order`, larger first). */
function visibleDepartmentIds(/** @type {View} */ view) {
	const { index } = view;
	const roots = index.departments.filter(
		(dept) => dept.parentid === dept.id || !index.byDeptId.has(dept.parentid),
	);
	return [...new Set(roots.flatMap((root) => subtreeIds(index, root.id)))].filter((id) =>
		view.visible.has(id),
	);
}

/** department/list and department/get item: {id, name, name_en, department_leader, parentid, order}. */
function renderDepartment(/** @type {View} */ view, /** @type {WeComDepartment} */ dept) {
	return {
		id: dept.id,
		name: view.noNames ? String(dept.id) : dept.name,
		// Left out when empty, as in a live department/list answer without English names
		// (https://github.com/howie6879/liuli/issues/16).
		...(!view.noNames && dept.name_en ? { name_en: dept.name_en } : {}),
		department_leader: visibleUserIds(view, dept.department_leader),
		parentid: dept.parentid,
		order: dept.order,
	};
}

/** The member as user/get and user/list return it (field order of the doc sample, 96255). */
function renderMember(/** @type {View} */ view, /** @type {WeComUser} */ user) {
	const shown = user.department
		.map((id, at) => ({ id, at }))
		.filter(({ id }) => view.visible.has(id));
	const main = user.main_department ?? user.department[0];
	/** @type {Record<string, unknown>} */
	const member = {
		userid: user.userid,
		name: view.noNames ? user.userid : user.name,
		department: shown.map(({ id }) => id),
		order: shown.map(({ at }) => user.order?.[at] ?? 0),
		position: user.position ?? '',
		mobile: user.mobile ?? '',
		gender: String(user.gender ?? '0'),
		email: user.email ?? '',
		biz_mail: user.biz_mail ?? '',
		is_leader_in_dept: shown.map(({ at }) => user.is_leader_in_dept?.[at] ?? 0),
		direct_leader: visibleUserIds(view, user.direct_leader),
		avatar: user.avatar ?? '',
		thumb_avatar: user.thumb_avatar ?? '',
		telephone: user.telephone ?? '',
		alias: user.alias ?? '',
		address: user.address ?? '',
		// open_userid: "仅第三方应用可获取" — not sent to an internal app.
		...(view.visible.has(main) ? { main_department: main } : {}),
		extattr: /** @type {any} */ (user).extattr ?? { attrs: [] },
		status: user.status ?? 1,
		qr_code: user.qr_code ?? '',
		external_position: user.external_position ?? '',
		external_profile: /** @type {any} */ (user).external_profile ?? {
			external_corp_name: '',
			wechat_channels: { nickname: '', status: 0 },
			external_attr: [],
		},
	};
	if (view.noNames) for (const field of PRIVATE_FIELDS) delete member[field];
	return member;
}

/** user/simplelist item: {userid, name, department}. */
const renderSimpleMember = (/** @type {View} */ view, /** @type {WeComUser} */ user) => ({
	userid: user.userid,
	name: view.noNames ? user.userid : user.name,
	department: user.department.filter((id) => view.visible.has(id)),
});

/** GET /cgi-bin/department/list[?id=] — the department and all its sub-departments, or the whole visible corp. */
function departmentList(/** @type {RequestContext} */ ctx) {
	return departmentListing(ctx, (view, dept) => renderDepartment(view, dept), 'department');
}

/** GET /cgi-bin/department/simplelist[?id=] — {department_id: [{id, parentid, order}]}, recursive. */
function departmentSimpleList(/** @type {RequestContext} */ ctx) {
	return departmentListing(
		ctx,
		(_, dept) => ({ id: dept.id, parentid: dept.parentid, order: dept.order }),
		'department_id',
	);
}

/**
 * @param {RequestContext} ctx
 * @param {(view: View, dept: WeComDepartment) => object} render
 * @param {string} key
 */
function departmentListing(ctx, render, key) {
	const view = viewOf(ctx);
	const given = isGiven(ctx.query.id);
	if (view.permission === 'none')
		return weComError(ctx, given ? CODES.noPrivilege : CODES.apiForbidden);
	let ids;
	if (given) {
		const named = namedDepartment(ctx, view, ctx.query.id);
		if ('reply' in named) return named.reply;
		ids = subtreeIds(view.index, named.dept.id);
	} else ids = visibleDepartmentIds(view);
	return weComOk({
		[key]: ids.map((id) =>
			render(view, /** @type {WeComDepartment} */ (view.index.byDeptId.get(id))),
		),
	});
}

/** GET /cgi-bin/department/get?id= */
function departmentGet(/** @type {RequestContext} */ ctx) {
	const view = viewOf(ctx);
	if (view.permission === 'none') return weComError(ctx, CODES.noPrivilege);
	const named = namedDepartment(ctx, view, ctx.query.id);
	if ('reply' in named) return named.reply;
	return weComOk({ department: renderDepartment(view, named.dept) });
}

/** GET /cgi-bin/user/get?userid= (case-insensitive) */
function userGet(/** @type {RequestContext} */ ctx) {
	const view = viewOf(ctx);
	if (view.permission === 'none') return weComError(ctx, CODES.noPrivilege);
	// 60111 "UserID不存在；UserID参数为空，或者不存在通讯录中" covers a missing userid too.
	const user = isGiven(ctx.query.userid)
		? view.index.byLowerId.get(ctx.query.userid.trim().toLowerCase())
		: undefined;
	if (!user) return weComError(ctx, CODES.userNotFound);
	if (!isVisibleUser(view, user)) return weComError(ctx, CODES.noPrivilege);
	return weComOk(renderMember(view, user));
}

/**
 * Members of `department_id`; with fetch_child=1 also of its sub-departments, each member once,
 * in seed order. fetch_child ("1-递归获取，0-只获取本部门") is on the older pages
 * (https://github.com/zsmhub/workweixin/blob/master/apis/%E6%88%90%E5%91%98%E7%AE%A1%E7%90%86-%E8%8E%B7%E5%8F%96%E9%83%A8%E9%97%A8%E6%88%90%E5%91%98.go,
 * from path/90336); the current pages (96259, 96260) no longer list it and tell clients to walk
 * the sub-departments themselves. Only "1" recurses.
 * @param {RequestContext} ctx
 * @param {(view: View, user: WeComUser) => object} render
 */
function departmentMembers(ctx, render) {
	const view = viewOf(ctx);
	if (view.permission === 'none') return weComError(ctx, CODES.noPrivilege);
	const named = namedDepartment(ctx, view, ctx.query.department_id);
	if ('reply' in named) return named.reply;
	const ids =
		String(ctx.query.fetch_child ?? '').trim() === '1'
			? subtreeIds(view.index, named.dept.id)
			: [named.dept.id];
	return weComOk({ userlist: membersIn(view.index, ids).map((user) => render(view, user)) });
}

/** GET /cgi-bin/user/simplelist?department_id=[&fetch_child=1] */
const userSimpleList = (/** @type {RequestContext} */ ctx) =>
	departmentMembers(ctx, renderSimpleMember);

/** GET /cgi-bin/user/list?department_id=[&fetch_child=1] */
const userList = (/** @type {RequestContext} */ ctx) => departmentMembers(ctx, renderMember);

/** Rows of user/list_id for a visible-department set, cached while the index lives. */
const LIST_ID_ROWS = /** @type {WeakMap<Set<number>, { userid: string, department: number }[]>} */ (
	new WeakMap()
);

/** One row per visible member × visible department, members in seed order. */
function listIdRows(/** @type {View} */ view) {
	let rows = LIST_ID_ROWS.get(view.visible);
	if (!rows) {
		rows = [];
		for (const user of view.index.users)
			for (const department of new Set(user.department))
				if (view.visible.has(department)) rows.push({ userid: user.userid, department });
		LIST_ID_ROWS.set(view.visible, rows);
	}
	return rows;
}

/** Opaque, verifiable cursor: offset plus a check over corp and offset (forged ones fail). */
function cursorCheck(/** @type {string} */ corpId, /** @type {number} */ offset) {
	return crypto
		.createHash('sha256')
		.update(`wecom-list-id:${corpId}:${offset}`)
		.digest('hex')
		.slice(0, 16);
}
const encodeCursor = (/** @type {string} */ corpId, /** @type {number} */ offset) =>
	Buffer.from(`${offset}:${cursorCheck(corpId, offset)}`).toString('base64url');
function decodeCursor(/** @type {string} */ corpId, /** @type {string} */ cursor) {
	const match = /^(\d{1,9}):([0-9a-f]{16})$/.exec(Buffer.from(cursor, 'base64url').toString());
	if (!match || cursorCheck(corpId, Number(match[1])) !== match[2]) return undefined;
	return Number(match[1]);
}

/**
 * POST /cgi-bin/user/list_id {cursor?, limit?} → {next_cursor, dept_user: [{userid, department}]}.
 * next_cursor "" = no more ("如果该字段返回空则表示已没有更多数据", 96067). A limit outside 1..10000,
 * a cursor that is not a string or not one the emulator issued → 40035 (no specific code is
 * documented).
 */
function userListId(/** @type {RequestContext} */ ctx) {
	const view = viewOf(ctx);
	if (view.permission === 'none') return weComError(ctx, CODES.apiForbidden);
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	let offset = 0;
	if (body.cursor !== undefined && body.cursor !== null && body.cursor !== '') {
		const decoded =
			typeof body.cursor === 'string' ? decodeCursor(ctx.app.corpId, body.cursor) : undefined;
		if (decoded === undefined) return weComError(ctx, CODES.badParameter, 'invalid cursor');
		offset = decoded;
	}
	const limit = body.limit === undefined || body.limit === null ? LIST_ID_DEFAULT : body.limit;
	if (!Number.isInteger(limit) || limit < 1 || limit > LIST_ID_MAX)
		return weComError(ctx, CODES.badParameter, `limit must be an integer 1..${LIST_ID_MAX}`);
	const rows = listIdRows(view);
	const end = offset + limit;
	return weComOk({
		next_cursor: end < rows.length ? encodeCursor(ctx.app.corpId, end) : '',
		dept_user: rows.slice(offset, end),
	});
}

/**
 * The userid of the member a lookup found: not found → 46004 (指定的用户不存在), outside the scope →
 * 60011 ("应用须拥有指定成员的查看权限"). Another domain than the corp's is simply not found.
 * The daily block after too many misses ("若出错的次数超出企业人数上限的20%，会导致1天不可调用") is not
 * emulated; use a fault.
 */
function foundUser(
	/** @type {RequestContext} */ ctx,
	/** @type {View} */ view,
	/** @type {WeComUser | undefined} */ user,
) {
	if (!user) return weComError(ctx, CODES.userNotExist);
	if (!isVisibleUser(view, user)) return weComError(ctx, CODES.noPrivilege);
	return weComOk({ userid: user.userid });
}

/**
 * POST /cgi-bin/user/getuserid {mobile}. "长度为5~32个字节" (96267), digits, "+", "-" and spaces
 * (60103 手机号码不合法: "字符仅支持数字，加号和减号"); matched without spaces/dashes and a +86 prefix.
 */
function getUserId(/** @type {RequestContext} */ ctx) {
	const view = viewOf(ctx);
	if (view.permission === 'none') return weComError(ctx, CODES.noPrivilege);
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const mobile =
		typeof body.mobile === 'number'
			? String(body.mobile)
			: typeof body.mobile === 'string'
				? body.mobile
				: '';
	if (!/^\+?[0-9][0-9 -]{4,31}$/.test(mobile.trim())) return weComError(ctx, CODES.invalidMobile);
	return foundUser(ctx, view, view.index.byMobile.get(normalizeMobile(mobile.trim())));
}

/**
 * POST /cgi-bin/user/get_userid_by_email {email, email_type} — email_type 1 = corp mailbox
 * (biz_mail, default), 2 = the member's own e-mail ("邮箱类型：1-企业邮箱（默认）；2-个人邮箱", 96268).
 * A malformed e-mail → 60105 (邮箱不合法: "长度不超过64位，且为有效的email格式"); email_type other than
 * 1/2 → 40035. Compared case-insensitively.
 */
function getUserIdByEmail(/** @type {RequestContext} */ ctx) {
	const view = viewOf(ctx);
	if (view.permission === 'none') return weComError(ctx, CODES.noPrivilege);
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const email = typeof body.email === 'string' ? body.email.trim() : '';
	if (Buffer.byteLength(email) > 64 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
		return weComError(ctx, CODES.invalidEmail);
	const type = body.email_type === undefined || body.email_type === null ? 1 : body.email_type;
	if (![1, 2, '1', '2'].includes(type))
		return weComError(ctx, CODES.badParameter, 'email_type must be 1 or 2');
	const table = Number(type) === 1 ? view.index.byBizMail : view.index.byEmail;
	return foundUser(ctx, view, table.get(email.toLowerCase()));
}

/** GET /cgi-bin/tag/list — every tag of the corp ("自建应用…可以获取所有标签列表"). */
function tagList(/** @type {RequestContext} */ ctx) {
	const view = viewOf(ctx);
	if (view.permission === 'none') return weComError(ctx, CODES.apiForbidden);
	return weComOk({ taglist: view.index.tags.map(({ tagid, tagname }) => ({ tagid, tagname })) });
}

/**
 * GET /cgi-bin/tag/get?tagid= → {tagname, userlist: [{userid, name}], partylist: [id]}: the tag's
 * visible members and departments. Missing, malformed or unknown tagid → 40068 ("标签ID未指定，或者指定的
 * 标签ID不存在").
 */
function tagGet(/** @type {RequestContext} */ ctx) {
	const view = viewOf(ctx);
	if (view.permission === 'none') return weComError(ctx, CODES.noPrivilege);
	const id = readDepartmentId(ctx.query.tagid);
	const tag = id === undefined ? undefined : view.index.byTagId.get(id);
	if (!tag) return weComError(ctx, CODES.invalidTag);
	const userlist = visibleUserIds(view, tag.userlist).map((userid) => {
		const user = /** @type {WeComUser} */ (view.index.byLowerId.get(userid.toLowerCase()));
		return view.noNames ? { userid } : { userid, name: user.name };
	});
	const partylist = tag.partylist.filter(
		(party) => view.index.byDeptId.has(party) && view.visible.has(party),
	);
	return weComOk({ tagname: tag.tagname, userlist, partylist });
}

const CONTACTS_ROUTES = [
	{ method: 'GET', path: '/cgi-bin/department/list', handler: departmentList },
	{ method: 'GET', path: '/cgi-bin/department/simplelist', handler: departmentSimpleList },
	{ method: 'GET', path: '/cgi-bin/department/get', handler: departmentGet },
	{ method: 'GET', path: '/cgi-bin/user/get', handler: userGet },
	{ method: 'GET', path: '/cgi-bin/user/simplelist', handler: userSimpleList },
	{ method: 'GET', path: '/cgi-bin/user/list', handler: userList },
	{ method: 'POST', path: '/cgi-bin/user/list_id', handler: userListId },
	{ method: 'POST', path: '/cgi-bin/user/getuserid', handler: getUserId },
	{ method: 'POST', path: '/cgi-bin/user/get_userid_by_email', handler: getUserIdByEmail },
	{ method: 'GET', path: '/cgi-bin/tag/list', handler: tagList },
	{ method: 'GET', path: '/cgi-bin/tag/get', handler: tagGet },
];

module.exports = { CONTACTS_ROUTES };
