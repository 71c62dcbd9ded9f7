// @ts-check
'use strict';

const crypto = require('node:crypto');
const { isPlainObject, isGiven } = require('../values');
const {
	OAPI,
	oapiAnswer,
	oapiError,
	badParameter,
	missingParameter,
	wrappedAuthError,
} = require('./errors');
const { orgIndex, departmentPath, subtreeMemberCount } = require('./org');

/**
 * Contacts (通讯录), old API: departments, users, the app's contacts scope. Doc pages (each
 * handler names its own):
 * https://open.dingtalk.com/document/development/user-management-acquires-the-list-departments (listsub),
 * https://open.dingtalk.com/document/development/obtain-the-list-of-sub-department-ids (listsubid),
 * https://open.dingtalk.com/document/development/query-department-details0-v2 (department/get),
 * https://open.dingtalk.com/document/development/query-the-list-of-all-parent-departments-of-a-department (listparentbydept),
 * https://open.dingtalk.com/document/development/queries-the-list-of-all-parent-departments-of-a-user (listparentbyuser),
 * https://open.dingtalk.com/document/development/query-user-details (v2/user/get),
 * https://open.dingtalk.com/document/development/query-the-list-of-department-userids (user/listid),
 * https://open.dingtalk.com/document/development/queries-the-complete-information-of-a-department-user (v2/user/list),
 * https://open.dingtalk.com/document/development/query-users-by-phone-number (v2/user/getbymobile),
 * https://open.dingtalk.com/document/development/query-a-user-by-the-union-id (user/getbyunionid),
 * https://open.dingtalk.com/document/development/user-management-acquires-number-employees (user/count),
 * https://open.dingtalk.com/document/development/obtain-corpsecret-authorization-scope (auth/scopes).
 * Field names also follow the old Java SDK's response classes
 * (https://github.com/opendingtalk/alibaba-dingtalk-service-sdk/tree/master/src/main/java/com/dingtalk/api/response).
 *
 * Order of checks (emulator choice): permission (setting `contactsPermission`), then parameters,
 * then existence, then scope (setting `contactsScope`).
 *
 * @typedef {import('../family').RequestContext} RequestContext
 * @typedef {import('../family').Reply} Reply
 * @typedef {import('./seed').DingTalkOrg} DingTalkOrg
 * @typedef {import('./seed').DingTalkUser} DingTalkUser
 * @typedef {import('./seed').DingTalkDepartment} DingTalkDepartment
 */

/** A refusal raised while reading parameters; the route wrapper answers it. */
class Refusal extends Error {
	/** @param {Reply} reply */
	constructor(reply) {
		super('refused');
		this.reply = reply;
	}
}

/**
 * The permission (权限点) each endpoint's doc page names under 权限要求. `auth/scopes` needs only
 * qyapi_base, which every app has, so it is never refused.
 */
const PERMISSIONS = {
	departments: 'qyapi_get_department_list',
	member: 'qyapi_get_member',
	departmentMembers: 'qyapi_get_department_member',
	memberByMobile: 'qyapi_get_member_by_mobile',
};

/**
 * Setting contactsPermission 'none': topapi answers errcode 88 with sub_code "60011" (observed,
 * reference A3 [OBS-4]; the same shape is the example of an older copy of the official error-code
 * page, quoted at https://www.mabiji.com/dingtalk/errcode.html with sub_msg "没有调用该接口的权限").
 * The sub_msg names the missing permission the way the live server now words it: "应用尚未开通所需的权限：
 * [<permission>]，点击链接申请并开通即可：https://open-dev.dingtalk.com/appscope/apply?content=<appKey>%23<permission>,
 * {requiredScopes=[<permission>]}" — seen (e.g. for qyapi_get_member_by_mobile on
 * v2/user/getbymobile) in live answers quoted by third-party client tests (2026) that a code
 * search turned up without a citable repository; the v1.0 form of the same refusal carries
 * `requiredScopes` too (https://github.com/casdoor/casdoor/pull/4469).
 */
function missingPermission(/** @type {RequestContext} */ ctx, /** @type {string} */ permission) {
	const applyUrl = `https://open-dev.dingtalk.com/appscope/apply?content=${ctx.app?.appKey ?? ''}%23${permission}`;
	return wrappedAuthError(
		ctx,
		'60011',
		`应用尚未开通所需的权限：[${permission}]，点击链接申请并开通即可：${applyUrl}, {requiredScopes=[${permission}]}`,
	);
}

/** Request fields: JSON or form bodies (multipart: its text fields). */
function bodyOf(/** @type {RequestContext} */ ctx) {
	if (ctx.bodyInfo?.kind === 'multipart' && isPlainObject(ctx.body?.fields)) return ctx.body.fields;
	return isPlainObject(ctx.body) ? ctx.body : {};
}

/**
 * Parameter readers. Form bodies carry every value as a string, so digit strings count as numbers
 * and "true"/"false" as booleans. Absent (or null, or blank) required parameters → 40035
 * "缺少参数 <camelCase name>"; wrong types or ranges → 40035 "不合法的参数: <what>" (the
 * emulator's usual detail; the user/list page lists 40035 for "dept_id或cursor或size或order_field填写不合规范").
 */
function paramsOf(/** @type {RequestContext} */ ctx) {
	const body = bodyOf(ctx);
	return {
		/**
		 * @param {string} key snake_case body key
		 * @param {string} name camelCase name used in messages
		 * @param {{ required?: boolean, fallback?: number, min?: number, max?: number }} rules
		 * @returns {number | undefined}
		 */
		integer(key, name, { required = false, fallback, min, max } = {}) {
			const raw = body[key];
			if (!isGiven(raw)) {
				if (required) throw new Refusal(missingParameter(ctx, name));
				return fallback;
			}
			const value =
				typeof raw === 'number'
					? raw
					: typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
						? Number(raw)
						: NaN;
			if (!Number.isSafeInteger(value))
				throw new Refusal(badParameter(ctx, `${name} 必须是整数，收到 ${JSON.stringify(raw)}`));
			if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
				const range = max === undefined ? `≥ ${min}` : `${min ?? ''}…${max}`;
				throw new Refusal(badParameter(ctx, `${name} 取值范围 ${range}，收到 ${value}`));
			}
			return value;
		},
		/**
		 * @param {string} key
		 * @param {string} name
		 * @param {{ required?: boolean }} rules
		 * @returns {string | undefined}
		 */
		string(key, name, { required = false } = {}) {
			const raw = body[key];
			if (!isGiven(raw)) {
				if (required) throw new Refusal(missingParameter(ctx, name));
				return undefined;
			}
			if (typeof raw !== 'string' && typeof raw !== 'number')
				throw new Refusal(badParameter(ctx, `${name} 必须是字符串`));
			return String(raw).trim();
		},
		/**
		 * @param {string} key
		 * @param {string} name
		 * @param {{ required?: boolean }} rules
		 * @returns {boolean | undefined}
		 */
		boolean(key, name, { required = false } = {}) {
			const raw = body[key];
			if (!isGiven(raw)) {
				if (required) throw new Refusal(missingParameter(ctx, name));
				return undefined;
			}
			if (raw === true || raw === 'true') return true;
			if (raw === false || raw === 'false') return false;
			throw new Refusal(
				badParameter(ctx, `${name} 必须是布尔值 true/false，收到 ${JSON.stringify(raw)}`),
			);
		},
		/** `language`: zh_CN (default) or en_US, the two values the doc pages list. */
		language() {
			const value = this.string('language', 'language') ?? 'zh_CN';
			if (value !== 'zh_CN' && value !== 'en_US')
				throw new Refusal(badParameter(ctx, `language 只能是 zh_CN 或 en_US，收到 ${value}`));
			return value;
		},
	};
}

/**
 * One contacts route: the permission check, then the handler; refusals thrown while reading
 * parameters or looking records up are answered.
 * @param {string} method
 * @param {string} path
 * @param {string} permission
 * @param {(ctx: RequestContext, params: ReturnType<typeof paramsOf>, org: DingTalkOrg) => Reply} run
 * @returns {import('../family').Route}
 */
function contactsRoute(method, path, permission, run) {
	return {
		method,
		path,
		handler(ctx) {
			if (ctx.env.state.settings.dingtalk.contactsPermission === 'none')
				return missingPermission(ctx, permission);
			try {
				return run(ctx, paramsOf(ctx), ctx.env.state.dingtalk);
			} catch (error) {
				if (error instanceof Refusal) return error.reply;
				throw error;
			}
		},
	};
}

const ok = (/** @type {RequestContext} */ ctx, /** @type {unknown} */ result) =>
	oapiAnswer(ctx, { errcode: 0, errmsg: 'ok', result });

/** The department, or a 60003 refusal. */
function departmentOf(
	/** @type {DingTalkOrg} */ org,
	/** @type {RequestContext} */ ctx,
	/** @type {number} */ deptId,
) {
	const dept = orgIndex(org).deptById.get(deptId);
	if (!dept) throw new Refusal(oapiError(ctx, OAPI.deptNotFound));
	return dept;
}

/**
 * Setting contactsScope: the departments the app may see, each with its whole subtree. A
 * department is visible when it or one of its ancestors is listed. Because scopes are whole
 * subtrees, every sub-department and direct member of a visible department is visible too, so
 * lists never need filtering; what lies outside (including the ancestors of a scoped department,
 * such as the root when the scope is [5]) is refused with 50004 — as the old department/list
 * answered live when called on the root with a partial scope
 * (https://github.com/opsre/go-ldap-admin/issues/298, https://github.com/open-dingtalk/openapi-demo-java/issues/1,
 * where DingTalk's own account advises reading auth/scopes first). Clients start from
 * `auth/scopes` → auth_org_scopes.authed_dept.
 */
function deptVisible(/** @type {RequestContext} */ ctx, /** @type {number} */ deptId) {
	const scope = ctx.env.state.settings.dingtalk.contactsScope;
	return departmentPath(ctx.env.state.dingtalk, deptId).some((id) => scope.includes(id));
}
function requireVisibleDept(/** @type {RequestContext} */ ctx, /** @type {number} */ deptId) {
	if (!deptVisible(ctx, deptId)) throw new Refusal(oapiError(ctx, OAPI.deptOutOfScope));
}
/** A user is visible when one of their departments is (50002 otherwise). */
function requireVisibleUser(/** @type {RequestContext} */ ctx, /** @type {DingTalkUser} */ user) {
	if (!user.dept_id_list.some((id) => deptVisible(ctx, id)))
		throw new Refusal(oapiError(ctx, OAPI.userOutOfScope));
}

/** Depth from the root (root = 0). */
const depthOf = (/** @type {DingTalkOrg} */ org, /** @type {number} */ deptId) =>
	departmentPath(org, deptId).length - 1;

/**
 * Department group settings (emulator choice, deterministic): the root and the top-level
 * departments have a department group that new members join automatically; deeper ones have none.
 */
const hasDeptGroup = (/** @type {DingTalkOrg} */ org, /** @type {DingTalkDepartment} */ dept) =>
	depthOf(org, dept.dept_id) <= 1;

const deptName = (/** @type {DingTalkDepartment} */ dept, /** @type {string} */ language) =>
	language === 'en_US' ? dept.name_en : dept.name;

/** listsub's DeptBaseResponse. */
function deptBase(
	/** @type {DingTalkOrg} */ org,
	/** @type {DingTalkDepartment} */ dept,
	/** @type {string} */ language,
) {
	const group = hasDeptGroup(org, dept);
	return {
		dept_id: dept.dept_id,
		name: deptName(dept, language),
		parent_id: dept.parent_id,
		create_dept_group: group,
		auto_add_user: group,
	};
}

/**
 * department/get's DeptGetResponse. member_count counts distinct users in the department and all
 * its sub-departments ("部门员工数（包含子部门）"), owning_member_count the direct members only
 * ("部门直属员工数（不包含子部门）"), https://open.dingtalk.com/document/development/query-department-details0-v2.
 * Left out as the page says when unset: source_identifier, tags, code, outer_permit_*, user_permits,
 * dept_permits, union_dept_ext. The root has no parent_id (emulator choice: the page only says
 * "根部门为1" for the parent of top-level departments).
 */
function deptDetail(
	/** @type {DingTalkOrg} */ org,
	/** @type {DingTalkDepartment} */ dept,
	/** @type {string} */ language,
) {
	const index = orgIndex(org);
	const group = hasDeptGroup(org, dept);
	const managers = index.leaders.get(dept.dept_id) ?? [];
	const owner = managers[0] ?? org.users.find((user) => user.boss)?.userid;
	return {
		dept_id: dept.dept_id,
		name: deptName(dept, language),
		...(dept.parent_id === null ? {} : { parent_id: dept.parent_id }),
		order: dept.order,
		create_dept_group: group,
		auto_add_user: group,
		...(group
			? {
					dept_group_chat_id: `chat${crypto.createHash('md5').update(`emu-dept-group-${dept.dept_id}`).digest('hex')}`,
					group_contain_sub_dept: true,
					...(owner ? { org_dept_owner: owner } : {}),
				}
			: { group_contain_sub_dept: false }),
		dept_manager_userid_list: managers,
		outer_dept: false,
		hide_dept: false,
		from_union_org: false,
		auto_approve_apply: false,
		member_count: subtreeMemberCount(org, dept.dept_id),
		owning_member_count: (index.members.get(dept.dept_id) ?? []).length,
	};
}

/**
 * Setting contactsPermission 'noNames' (an app with the member permission but without the
 * personal-information ones): user objects leave out the name and avatar, the fields the doc pages
 * tie to "企业员工手机号信息" (mobile, state_code; hide_mobile goes with them) and those tied to
 * "邮箱等个人信息" (email, org_email, work_place, remark, extension), plus telephone. ids, titles,
 * job numbers, departments and flags stay.
 */
const PERSONAL_FIELDS = [
	'name',
	'avatar',
	'mobile',
	'state_code',
	'hide_mobile',
	'telephone',
	'email',
	'org_email',
	'work_place',
	'remark',
	'extension',
];
/** Optional fields a record may carry (e.g. added with addSeed); returned only when set, as the pages say. */
const OPTIONAL_FIELDS = ['telephone', 'org_email', 'work_place', 'remark', 'extension'];

function withoutPersonal(
	/** @type {RequestContext} */ ctx,
	/** @type {Record<string, unknown>} */ fields,
) {
	if (ctx.env.state.settings.dingtalk.contactsPermission !== 'noNames') return fields;
	for (const key of PERSONAL_FIELDS) delete fields[key];
	return fields;
}

/** The user's place in a department's member list, 1-based: their `order` there. */
function orderIn(
	/** @type {DingTalkOrg} */ org,
	/** @type {number} */ deptId,
	/** @type {DingTalkUser} */ user,
) {
	return (orderIndex(org).get(deptId)?.get(user.userid) ?? 0) + 1;
}
/** @type {WeakMap<object, Map<number, Map<string, number>>>} per index: dept → userid → position */
const ORDER_MEMO = new WeakMap();
function orderIndex(/** @type {DingTalkOrg} */ org) {
	const index = orgIndex(org);
	let memo = ORDER_MEMO.get(index);
	if (!memo) {
		memo = new Map();
		for (const [deptId, members] of index.members)
			memo.set(deptId, new Map(members.map((user, position) => [user.userid, position])));
		ORDER_MEMO.set(index, memo);
	}
	return memo;
}

/** Fields both user objects share, in the pages' order. */
function userCommon(/** @type {DingTalkUser} */ user) {
	/** @type {Record<string, any>} */
	const record = user;
	return {
		userid: user.userid,
		unionid: user.unionid,
		name: user.name,
		...(user.avatar ? { avatar: user.avatar } : {}),
		state_code: record.state_code ?? '86',
	};
}
function optionalFields(/** @type {DingTalkUser} */ user) {
	/** @type {Record<string, any>} */
	const record = user;
	return Object.fromEntries(
		OPTIONAL_FIELDS.filter((key) => isGiven(record[key])).map((key) => [key, record[key]]),
	);
}

/** v2/user/get's UserGetResponse. */
function userDetail(
	/** @type {RequestContext} */ ctx,
	/** @type {DingTalkOrg} */ org,
	/** @type {DingTalkUser} */ user,
) {
	return withoutPersonal(ctx, {
		...userCommon(user),
		...(user.manager_userid ? { manager_userid: user.manager_userid } : {}),
		mobile: user.mobile,
		hide_mobile: false,
		job_number: user.job_number,
		title: user.title,
		email: user.email,
		...optionalFields(user),
		exclusive_account: false,
		dept_id_list: user.dept_id_list,
		dept_order_list: user.dept_id_list.map((dept_id) => ({
			dept_id,
			order: orderIn(org, dept_id, user),
		})),
		...(user.hired_date ? { hired_date: user.hired_date } : {}),
		active: user.active !== false,
		real_authed: user.active !== false,
		senior: false,
		admin: user.admin,
		boss: user.boss,
		leader_in_dept: user.leader_in_dept,
		role_list: [],
	});
}

/** v2/user/list's ListUserResponse for a member of `deptId`. */
function userListItem(
	/** @type {RequestContext} */ ctx,
	/** @type {DingTalkOrg} */ org,
	/** @type {DingTalkUser} */ user,
	/** @type {number} */ deptId,
) {
	return withoutPersonal(ctx, {
		...userCommon(user),
		mobile: user.mobile,
		hide_mobile: false,
		job_number: user.job_number,
		title: user.title,
		email: user.email,
		...optionalFields(user),
		dept_id_list: user.dept_id_list,
		dept_order: orderIn(org, deptId, user),
		...(user.hired_date ? { hired_date: user.hired_date } : {}),
		active: user.active !== false,
		admin: user.admin,
		boss: user.boss,
		leader: (user.leader_in_dept ?? []).some((entry) => entry.dept_id === deptId && entry.leader),
		exclusive_account: false,
	});
}

/** The user, or a refusal with `code` (60121 unless the page documents another). */
function userOf(
	/** @type {DingTalkOrg} */ org,
	/** @type {RequestContext} */ ctx,
	/** @type {string} */ userid,
	/** @type {{ errcode: number, errmsg: string }} */ code = OAPI.userNotFound,
) {
	const user = orgIndex(org).userById.get(userid);
	if (!user) throw new Refusal(oapiError(ctx, code));
	return user;
}

/**
 * v2/user/list order_field (page: entry_asc | entry_desc | modify_asc | modify_desc | custom,
 * default custom = "用户定义(未定义时按照拼音)排序"). The seed defines no custom order, so custom
 * sorts by the name's pinyin (ties: seed order); entry and modify times are the seed order (all
 * numbered users joined together and were never modified), desc reverses it.
 */
const ORDER_FIELDS = ['custom', 'entry_asc', 'entry_desc', 'modify_asc', 'modify_desc'];
const PINYIN = new Intl.Collator('zh-CN-u-co-pinyin');
/** @type {WeakMap<object, Map<string, DingTalkUser[]>>} per index: "dept|order" → sorted members */
const SORTED_MEMO = new WeakMap();
function sortedMembers(
	/** @type {DingTalkOrg} */ org,
	/** @type {number} */ deptId,
	/** @type {string} */ orderField,
) {
	const index = orgIndex(org);
	let memo = SORTED_MEMO.get(index);
	if (!memo) SORTED_MEMO.set(index, (memo = new Map()));
	const key = `${deptId}|${orderField}`;
	const known = memo.get(key);
	if (known) return known;
	const members = index.members.get(deptId) ?? [];
	let sorted;
	if (orderField === 'custom') {
		const position = new Map(members.map((user, i) => [user, i]));
		sorted = [...members].sort(
			(a, b) =>
				PINYIN.compare(a.name ?? '', b.name ?? '') ||
				/** @type {number} */ (position.get(a)) - /** @type {number} */ (position.get(b)),
		);
	} else sorted = orderField.endsWith('_desc') ? [...members].reverse() : members;
	memo.set(key, sorted);
	return sorted;
}

/** Mobile forms accepted: digits (5–15), optionally with a "+86-" style country prefix; ≤ 15 characters (SDK check). */
const MOBILE = /^(\+\d{1,4}-)?\d{5,15}$/;

/** @type {import('../family').Route[]} */
const CONTACTS_ROUTES = [
	/** Direct sub-departments; dept_id defaults to the root. Scoped. */
	contactsRoute(
		'POST',
		'/topapi/v2/department/listsub',
		PERMISSIONS.departments,
		(ctx, params, org) => {
			const deptId = /** @type {number} */ (params.integer('dept_id', 'deptId', { fallback: 1 }));
			const language = params.language();
			departmentOf(org, ctx, deptId);
			requireVisibleDept(ctx, deptId);
			const index = orgIndex(org);
			const children = (index.children.get(deptId) ?? []).map(
				(id) => /** @type {DingTalkDepartment} */ (index.deptById.get(id)),
			);
			return ok(
				ctx,
				children.map((dept) => deptBase(org, dept, language)),
			);
		},
	),

	/** Direct sub-department ids. "本接口不受授权范围限制": not scoped. */
	contactsRoute(
		'POST',
		'/topapi/v2/department/listsubid',
		PERMISSIONS.departments,
		(ctx, params, org) => {
			const deptId = /** @type {number} */ (
				params.integer('dept_id', 'deptId', { required: true })
			);
			departmentOf(org, ctx, deptId);
			return ok(ctx, { dept_id_list: orgIndex(org).children.get(deptId) ?? [] });
		},
	),

	/** Department details. Scoped. */
	contactsRoute(
		'POST',
		'/topapi/v2/department/get',
		PERMISSIONS.departments,
		(ctx, params, org) => {
			const deptId = /** @type {number} */ (
				params.integer('dept_id', 'deptId', { required: true })
			);
			const language = params.language();
			const dept = departmentOf(org, ctx, deptId);
			requireVisibleDept(ctx, deptId);
			return ok(ctx, deptDetail(org, dept, language));
		},
	),

	/** [self, parent, …, 1]. "该接口不受通讯录权限范围限制": not scoped. */
	contactsRoute(
		'POST',
		'/topapi/v2/department/listparentbydept',
		PERMISSIONS.departments,
		(ctx, params, org) => {
			const deptId = /** @type {number} */ (
				params.integer('dept_id', 'deptId', { required: true })
			);
			departmentOf(org, ctx, deptId);
			return ok(ctx, { parent_id_list: departmentPath(org, deptId) });
		},
	),

	/**
	 * One [dept, …, 1] per department of the user. Unknown userid → 33012 (the page's only user
	 * code). "本接口不受通讯录权限范围限制": not scoped.
	 */
	contactsRoute(
		'POST',
		'/topapi/v2/department/listparentbyuser',
		PERMISSIONS.departments,
		(ctx, params, org) => {
			const userid = /** @type {string} */ (params.string('userid', 'userid', { required: true }));
			const user = userOf(org, ctx, userid, OAPI.invalidUserId);
			return ok(ctx, {
				parent_list: user.dept_id_list.map((deptId) => ({
					parent_dept_id_list: departmentPath(org, deptId),
				})),
			});
		},
	),

	/** User details. Unknown → 60121 (the general not-found, as for getbyunionid). Scoped. */
	contactsRoute('POST', '/topapi/v2/user/get', PERMISSIONS.member, (ctx, params, org) => {
		const userid = /** @type {string} */ (params.string('userid', 'userid', { required: true }));
		params.language();
		const user = userOf(org, ctx, userid);
		requireVisibleUser(ctx, user);
		return ok(ctx, userDetail(ctx, org, user));
	}),

	/** Direct members' userids, seed order. "本接口不受通讯录权限范围限制": not scoped. */
	contactsRoute('POST', '/topapi/user/listid', PERMISSIONS.member, (ctx, params, org) => {
		const deptId = /** @type {number} */ (
			params.integer('dept_id', 'deptId', { required: true, min: 1 })
		);
		departmentOf(org, ctx, deptId);
		const members = orgIndex(org).members.get(deptId) ?? [];
		return ok(ctx, { userid_list: members.map((user) => user.userid) });
	}),

	/**
	 * Direct members with details, cursor paging: cursor = offset (start 0), size 1…100 and cursor
	 * 0…100 000 (the SDK's check(), https://github.com/opendingtalk/alibaba-dingtalk-service-sdk/blob/master/src/main/java/com/dingtalk/api/request/OapiV2UserListRequest.java;
	 * the page gives no maximum), all three required (page and SDK). next_cursor is left out when
	 * has_more is false (emulator choice; the page: "如果has_more为false，表示没有更多的分页数据").
	 * Scoped: an invisible department → 50004 (the page lists "50004 部门不在权限范围内").
	 */
	contactsRoute(
		'POST',
		'/topapi/v2/user/list',
		PERMISSIONS.departmentMembers,
		(ctx, params, org) => {
			const deptId = /** @type {number} */ (
				params.integer('dept_id', 'deptId', { required: true, min: 1 })
			);
			const cursor = /** @type {number} */ (
				params.integer('cursor', 'cursor', { required: true, min: 0, max: 100_000 })
			);
			const size = /** @type {number} */ (
				params.integer('size', 'size', { required: true, min: 1, max: 100 })
			);
			const orderField = params.string('order_field', 'orderField') ?? 'custom';
			if (!ORDER_FIELDS.includes(orderField))
				throw new Refusal(
					badParameter(ctx, `orderField 只能是 ${ORDER_FIELDS.join('、')}，收到 ${orderField}`),
				);
			params.boolean('contain_access_limit', 'containAccessLimit');
			params.language();
			departmentOf(org, ctx, deptId);
			requireVisibleDept(ctx, deptId);
			const members = sortedMembers(org, deptId, orderField);
			const page = members.slice(cursor, cursor + size);
			const hasMore = cursor + size < members.length;
			return ok(ctx, {
				has_more: hasMore,
				...(hasMore ? { next_cursor: cursor + size } : {}),
				list: page.map((user) => userListItem(ctx, org, user, deptId)),
			});
		},
	),

	/**
	 * userid by mobile: a mobile nobody has → 60121, a malformed one → 40104 (both on the page).
	 * A "+86-" style prefix is ignored when matching. Scoped (50002).
	 */
	contactsRoute(
		'POST',
		'/topapi/v2/user/getbymobile',
		PERMISSIONS.memberByMobile,
		(ctx, params, org) => {
			const mobile = /** @type {string} */ (params.string('mobile', 'mobile', { required: true }));
			if (mobile.length > 15 || !MOBILE.test(mobile))
				throw new Refusal(oapiError(ctx, OAPI.invalidMobile));
			const user = orgIndex(org).userByMobile.get(mobile.replace(/^\+\d{1,4}-/, ''));
			if (!user) throw new Refusal(oapiError(ctx, OAPI.userNotFound));
			requireVisibleUser(ctx, user);
			return ok(ctx, { userid: user.userid });
		},
	),

	/** userid by unionid (contact_type 0 = internal employee); unknown → 60121 (observed, reference A5). Scoped (50002). */
	contactsRoute('POST', '/topapi/user/getbyunionid', PERMISSIONS.member, (ctx, params, org) => {
		const unionid = /** @type {string} */ (params.string('unionid', 'unionid', { required: true }));
		const user = orgIndex(org).userByUnionId.get(unionid);
		if (!user) throw new Refusal(oapiError(ctx, OAPI.userNotFound));
		requireVisibleUser(ctx, user);
		return ok(ctx, { contact_type: 0, userid: user.userid });
	}),

	/**
	 * Number of employees: only_active false = everyone, true = those who activated DingTalk.
	 * "本接口不受通讯录权限范围限制": the whole org whatever the scope.
	 */
	contactsRoute('POST', '/topapi/user/count', PERMISSIONS.member, (ctx, params, org) => {
		const onlyActive = params.boolean('only_active', 'onlyActive', { required: true });
		const index = orgIndex(org);
		return ok(ctx, { count: onlyActive ? index.activeUsers : org.users.length });
	}),

	/**
	 * The app's contacts scope (needs only qyapi_base, so 'none' still answers: with no user fields).
	 * No request_id, as in the page's sample. auth_user_field: the page's sample list for 'full'
	 * plus mobile and email (emulator additions in the sample's naming); 'noNames' drops name,
	 * avatar, mobile and email; 'none' → []. authed_user is always [] (the scope setting is by
	 * department).
	 */
	{
		method: 'GET',
		path: '/auth/scopes',
		handler(ctx) {
			const { contactsPermission, contactsScope } = ctx.env.state.settings.dingtalk;
			const named = [
				'jobnumber',
				'isLeader',
				'name',
				'position',
				'isAdmin',
				'avatar',
				'department',
				'userid',
				'deviceId',
				'isHide',
				'mobile',
				'email',
			];
			const personal = ['name', 'avatar', 'mobile', 'email'];
			const fields =
				contactsPermission === 'none'
					? []
					: contactsPermission === 'noNames'
						? named.filter((field) => !personal.includes(field))
						: named;
			return {
				body: {
					errcode: 0,
					condition_field: [],
					auth_user_field: fields,
					auth_org_scopes: { authed_user: [], authed_dept: [...contactsScope] },
					errmsg: 'ok',
				},
			};
		},
	},
];

module.exports = { CONTACTS_ROUTES, PERMISSIONS };
