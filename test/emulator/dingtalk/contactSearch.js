// @ts-check
'use strict';

const { apiError } = require('./errors');
const { isPlainObject } = require('../values');

/**
 * POST /v1.0/contact/users/search {queryWord, offset, size ≤ 50, fullMatchField?} →
 * {hasMore, totalCount, list:[userId]}: the new API's server-side search of members by name
 * (https://developers.dingtalk.com/document/isvapp/address-book-search-user-id; the field names and the
 * size limit of 50 also appear in the dingtalk-mcp tool definition,
 * https://app.unpkg.com/dingtalk-mcp@1.1.16/files/dingtalk_contacts_mcp_server.yaml).
 * The page says internal apps may not use it (企业内部应用: 暂不支持), only third-party enterprise
 * apps: with setting userSearch 'internalApp' (the default: the emulator's apps are internal) and
 * under contactsPermission 'none' it answers
 * HTTP 403 Forbidden.AccessDenied.AccessTokenPermissionDenied (code from the global error table,
 * https://open.dingtalk.com/document/development/server-api-error-codes-1), and it lists only users
 * inside contactsScope. With userSearch 'allowed' it matches a case-insensitive substring of the
 * name, or the whole name with fullMatchField 1; pinyin matching is not emulated. The messages of
 * the refusals are the emulator's own wording.
 *
 * @typedef {import('../family').RequestContext} RequestContext
 */

const MAX_SIZE = 50;

/** Departments the app may see, with their sub-departments. */
function visibleDepartments(/** @type {RequestContext} */ ctx) {
	const { departments } = ctx.env.state.dingtalk;
	const visible = new Set(ctx.env.state.settings.dingtalk.contactsScope);
	let grew = true;
	while (grew) {
		grew = false;
		for (const dept of departments) {
			if (dept.parent_id !== null && visible.has(dept.parent_id) && !visible.has(dept.dept_id)) {
				visible.add(dept.dept_id);
				grew = true;
			}
		}
	}
	return visible;
}

function searchUsers(/** @type {RequestContext} */ ctx) {
	const { contactsPermission, userSearch } = ctx.env.state.settings.dingtalk;
	if (contactsPermission === 'none' || userSearch === 'internalApp') {
		return apiError(
			ctx,
			403,
			'Forbidden.AccessDenied.AccessTokenPermissionDenied',
			'没有调用该接口的权限，接口权限申请参考：https://open.dingtalk.com/document/orgapp/add-api-permission',
		);
	}
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const word = typeof body.queryWord === 'string' ? body.queryWord.trim() : '';
	const offset = body.offset === undefined ? 0 : Number(body.offset);
	const size = body.size === undefined ? 10 : Number(body.size);
	if (!word) return apiError(ctx, 400, 'InvalidParameter', 'queryWord 不能为空');
	if (!Number.isInteger(offset) || offset < 0)
		return apiError(ctx, 400, 'InvalidParameter', 'offset 参数不合法');
	if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE)
		return apiError(ctx, 400, 'InvalidParameter', `size 参数不合法，取值范围 1~${MAX_SIZE}`);
	const visible = visibleDepartments(ctx);
	const wanted = word.toLowerCase();
	const exact = Number(body.fullMatchField) === 1;
	const matches = ctx.env.state.dingtalk.users.filter(
		(user) =>
			user.dept_id_list.some((id) => visible.has(id)) &&
			(exact ? user.name === word : user.name.toLowerCase().includes(wanted)),
	);
	const list = matches.slice(offset, offset + size).map((user) => user.userid);
	return {
		body: { hasMore: offset + size < matches.length, totalCount: matches.length, list },
	};
}

const CONTACT_SEARCH_ROUTES = [
	{ method: 'POST', path: '/v1.0/contact/users/search', handler: searchUsers },
];

module.exports = { CONTACT_SEARCH_ROUTES };
