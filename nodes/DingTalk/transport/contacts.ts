import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CredentialContext } from '../../shared/transport/platformTransport';
import { recordWith } from '../../shared/contacts/records';
import { parseResponse } from '../../shared/validation';
import { CONTACTS_PATHS } from '../platform/contacts';
import { dingTalk } from './index';

/**
 * The DingTalk contacts reads, as typed functions over the shared client: operations and pickers
 * both use them. Every one is a read, so the client may repeat it after a timeout.
 * https://open.dingtalk.com/document/development/user-management-acquires-the-list-departments and
 * its sibling pages.
 */

export type Language = 'zh_CN' | 'en_US';

const departmentSchema = recordWith('dept_id', 'number');
const userSchema = recordWith('userid', 'string');

export type DingTalkDepartment = z.infer<typeof departmentSchema>;
export type DingTalkUser = z.infer<typeof userSchema>;

async function call<T>(
	ctx: CredentialContext,
	path: string,
	body: IDataObject,
	result: z.ZodType<T>,
	itemIndex?: number,
): Promise<T> {
	const answer = await dingTalk.request(
		ctx,
		{ family: 'oapi', method: 'POST', path, body, idempotent: true },
		itemIndex,
	);
	const parsed = parseResponse(ctx.getNode(), answer.body, z.object({ result }).passthrough(), {
		platform: 'DingTalk',
		method: 'POST',
		path,
		itemIndex,
		requestId: answer.requestId,
	});
	return parsed.result as T;
}

export const getDepartment = async (
	ctx: CredentialContext,
	deptId: number,
	language: Language,
	itemIndex?: number,
) =>
	await call(
		ctx,
		CONTACTS_PATHS.departmentGet,
		{ dept_id: deptId, language },
		departmentSchema,
		itemIndex,
	);

/** Direct sub-departments only (one level). */
export const listSubDepartments = async (
	ctx: CredentialContext,
	deptId: number,
	language: Language,
	itemIndex?: number,
) =>
	await call(
		ctx,
		CONTACTS_PATHS.departmentListSub,
		{ dept_id: deptId, language },
		z.array(departmentSchema),
		itemIndex,
	);

export const listSubDepartmentIds = async (
	ctx: CredentialContext,
	deptId: number,
	itemIndex?: number,
) =>
	(
		await call(
			ctx,
			CONTACTS_PATHS.departmentListSubIds,
			{ dept_id: deptId },
			z.object({ dept_id_list: z.array(z.number()).nullish() }).passthrough(),
			itemIndex,
		)
	).dept_id_list ?? [];

/** The department itself first, the root (1) last. */
export const listParentsOfDepartment = async (
	ctx: CredentialContext,
	deptId: number,
	itemIndex?: number,
) =>
	(
		await call(
			ctx,
			CONTACTS_PATHS.departmentParentsOfDepartment,
			{ dept_id: deptId },
			z.object({ parent_id_list: z.array(z.number()) }).passthrough(),
			itemIndex,
		)
	).parent_id_list;

/** One chain per department the user belongs to, each from that department up to the root. */
export const listParentsOfUser = async (
	ctx: CredentialContext,
	userId: string,
	itemIndex?: number,
) =>
	(
		await call(
			ctx,
			CONTACTS_PATHS.departmentParentsOfUser,
			{ userid: userId },
			z
				.object({
					parent_list: z.array(
						z.object({ parent_dept_id_list: z.array(z.number()) }).passthrough(),
					),
				})
				.passthrough(),
			itemIndex,
		)
	).parent_list.map((entry) => entry.parent_dept_id_list);

export const getUser = async (
	ctx: CredentialContext,
	userId: string,
	language: Language,
	itemIndex?: number,
) => await call(ctx, CONTACTS_PATHS.userGet, { userid: userId, language }, userSchema, itemIndex);

/** Largest page of user/list: the SDK's check() allows 1..100. */
export const USER_PAGE_SIZE = 100;

/** One page of a department's direct members, with their details. */
export const listUsersPage = async (
	ctx: CredentialContext,
	page: { deptId: number; cursor: number; size: number; language: Language },
	itemIndex?: number,
) => {
	const result = await call(
		ctx,
		CONTACTS_PATHS.userList,
		{ dept_id: page.deptId, cursor: page.cursor, size: page.size, language: page.language },
		z
			.object({
				has_more: z.boolean().nullish(),
				next_cursor: z.number().nullish(),
				list: z.array(userSchema).nullish(),
			})
			.passthrough(),
		itemIndex,
	);
	return {
		users: result.list ?? [],
		next:
			result.has_more && typeof result.next_cursor === 'number' ? result.next_cursor : undefined,
	};
};

export const listUserIds = async (ctx: CredentialContext, deptId: number, itemIndex?: number) =>
	(
		await call(
			ctx,
			CONTACTS_PATHS.userListIds,
			{ dept_id: deptId },
			z.object({ userid_list: z.array(z.string()).nullish() }).passthrough(),
			itemIndex,
		)
	).userid_list ?? [];

export const userIdByMobile = async (ctx: CredentialContext, mobile: string, itemIndex?: number) =>
	(
		await call(
			ctx,
			CONTACTS_PATHS.userByMobile,
			{ mobile },
			z.object({ userid: z.string() }).passthrough(),
			itemIndex,
		)
	).userid;

export const userByUnionId = async (ctx: CredentialContext, unionId: string, itemIndex?: number) =>
	await call(
		ctx,
		CONTACTS_PATHS.userByUnionId,
		{ unionid: unionId },
		z.object({ userid: z.string(), contact_type: z.number().nullish() }).passthrough(),
		itemIndex,
	);

export const countUsers = async (ctx: CredentialContext, onlyActive: boolean, itemIndex?: number) =>
	(
		await call(
			ctx,
			CONTACTS_PATHS.userCount,
			{ only_active: onlyActive },
			z.object({ count: z.number() }).passthrough(),
			itemIndex,
		)
	).count;

/**
 * Server-side search of members by name (also pinyin or English name), 50 at most per page; it
 * answers userids only. Third-party enterprise apps only: internal apps are refused
 * (https://developers.dingtalk.com/document/isvapp/address-book-search-user-id).
 */
export const searchUserIds = async (
	ctx: CredentialContext,
	query: { word: string; offset: number; size: number },
) => {
	const answer = await dingTalk.request(ctx, {
		family: 'api',
		method: 'POST',
		path: CONTACTS_PATHS.userSearch,
		body: { queryWord: query.word, offset: query.offset, size: query.size },
		idempotent: true,
	});
	return parseResponse(
		ctx.getNode(),
		answer.body,
		z
			.object({
				hasMore: z.boolean().nullish(),
				list: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
			})
			.passthrough(),
		{ platform: 'DingTalk', method: 'POST', path: CONTACTS_PATHS.userSearch },
	);
};

/**
 * The departments the app may read (its contacts range, 权限范围): [1] for the whole organisation.
 * Walking from the root fails for an app limited to a part of it.
 * https://open.dingtalk.com/document/development/obtain-corpsecret-authorization-scope
 */
export const authorisedDepartments = async (ctx: CredentialContext): Promise<number[]> => {
	const answer = await dingTalk.request(ctx, {
		family: 'oapi',
		method: 'GET',
		path: CONTACTS_PATHS.authScopes,
	});
	const scopes = parseResponse(
		ctx.getNode(),
		answer.body,
		z
			.object({
				auth_org_scopes: z
					.object({ authed_dept: z.array(z.number()).nullish() })
					.passthrough()
					.nullish(),
			})
			.passthrough(),
		{ platform: 'DingTalk', method: 'GET', path: CONTACTS_PATHS.authScopes },
	);
	const depts = scopes.auth_org_scopes?.authed_dept ?? [];
	return depts.length ? depts : [1];
};
