import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import { z } from 'zod';

import type { CredentialContext } from '../../shared/transport/platformTransport';
import { recordWith } from '../../shared/contacts/records';
import { parseResponse } from '../../shared/validation';
import { CONTACTS_PATHS } from '../platform/contacts';
import { weCom } from './index';

/**
 * The WeCom contacts reads, as typed functions over the shared client: operations and pickers both
 * use them. https://developer.work.weixin.qq.com/document/path/90193 and its sibling pages.
 */

const departmentSchema = recordWith('id', 'number');
const userSchema = recordWith('userid', 'string');

export type WeComDepartment = z.infer<typeof departmentSchema>;
export type WeComUser = z.infer<typeof userSchema>;

async function call<T>(
	ctx: CredentialContext,
	request: { method: IHttpRequestMethods; path: string; qs?: IDataObject; body?: IDataObject },
	schema: z.ZodType<T>,
	itemIndex?: number,
): Promise<T> {
	const answer = await weCom.request(ctx, { ...request, idempotent: true }, itemIndex);
	return parseResponse(ctx.getNode(), answer.body, schema, {
		platform: 'WeCom',
		method: request.method,
		path: request.path,
		itemIndex,
	});
}

export const getDepartment = async (ctx: CredentialContext, id: number, itemIndex?: number) =>
	(
		await call(
			ctx,
			{ method: 'GET', path: CONTACTS_PATHS.departmentGet, qs: { id } },
			z.object({ department: departmentSchema }).passthrough(),
			itemIndex,
		)
	).department;

/**
 * The department and every department below it, with names (where the app may read them); without
 * an ID every department in the app's Visible Range.
 */
export const listDepartments = async (
	ctx: CredentialContext,
	id: number | undefined,
	itemIndex?: number,
) =>
	(
		await call(
			ctx,
			{
				method: 'GET',
				path: CONTACTS_PATHS.departmentList,
				qs: id === undefined ? {} : { id },
			},
			z.object({ department: z.array(departmentSchema).nullish() }).passthrough(),
			itemIndex,
		)
	).department ?? [];

/** IDs only, the department and every one below it: works for apps that may not read names. */
export const listDepartmentIds = async (ctx: CredentialContext, id: number, itemIndex?: number) =>
	(
		await call(
			ctx,
			{ method: 'GET', path: CONTACTS_PATHS.departmentSimpleList, qs: { id } },
			z
				.object({
					department_id: z
						.array(z.object({ id: z.number(), parentid: z.number().nullish() }).passthrough())
						.nullish(),
				})
				.passthrough(),
			itemIndex,
		)
	).department_id ?? [];

export const getUser = async (ctx: CredentialContext, userId: string, itemIndex?: number) =>
	await call(
		ctx,
		{ method: 'GET', path: CONTACTS_PATHS.userGet, qs: { userid: userId } },
		userSchema,
		itemIndex,
	);

/** A department's members, with details or only userid and name; `withSubDepartments` recurses. */
export const listUsers = async (
	ctx: CredentialContext,
	query: { departmentId: number; withSubDepartments: boolean; details: boolean },
	itemIndex?: number,
) =>
	(
		await call(
			ctx,
			{
				method: 'GET',
				path: query.details ? CONTACTS_PATHS.userList : CONTACTS_PATHS.userSimpleList,
				qs: { department_id: query.departmentId, fetch_child: query.withSubDepartments ? 1 : 0 },
			},
			z.object({ userlist: z.array(userSchema).nullish() }).passthrough(),
			itemIndex,
		)
	).userlist ?? [];

/** Largest page of user/list_id. https://developer.work.weixin.qq.com/document/path/96067 */
export const USER_ID_PAGE_SIZE = 10_000;

/** One page of the company-wide member list: one row per member and department. */
export const listUserIdsPage = async (
	ctx: CredentialContext,
	page: { cursor?: string; limit: number },
	itemIndex?: number,
) => {
	const result = await call(
		ctx,
		{
			method: 'POST',
			path: CONTACTS_PATHS.userListIds,
			body: { ...(page.cursor ? { cursor: page.cursor } : {}), limit: page.limit },
		},
		z
			.object({
				next_cursor: z.string().nullish(),
				dept_user: z.array(recordWith('userid', 'string')).nullish(),
			})
			.passthrough(),
		itemIndex,
	);
	return { rows: result.dept_user ?? [], next: result.next_cursor || undefined };
};

const userIdAnswer = z.object({ userid: z.string() }).passthrough();

export const userIdByMobile = async (ctx: CredentialContext, mobile: string, itemIndex?: number) =>
	(
		await call(
			ctx,
			{ method: 'POST', path: CONTACTS_PATHS.userByMobile, body: { mobile } },
			userIdAnswer,
			itemIndex,
		)
	).userid;

/** email_type 1 is the company mailbox (the default), 2 a personal one. */
export const userIdByEmail = async (
	ctx: CredentialContext,
	query: { email: string; emailType: 1 | 2 },
	itemIndex?: number,
) =>
	(
		await call(
			ctx,
			{
				method: 'POST',
				path: CONTACTS_PATHS.userByEmail,
				body: { email: query.email, email_type: query.emailType },
			},
			userIdAnswer,
			itemIndex,
		)
	).userid;

export const listTags = async (ctx: CredentialContext, itemIndex?: number) =>
	(
		await call(
			ctx,
			{ method: 'GET', path: CONTACTS_PATHS.tagList },
			z
				.object({
					taglist: z
						.array(z.object({ tagid: z.number(), tagname: z.string() }).passthrough())
						.nullish(),
				})
				.passthrough(),
			itemIndex,
		)
	).taglist ?? [];

export const getTag = async (ctx: CredentialContext, tagId: number, itemIndex?: number) =>
	await call(
		ctx,
		{ method: 'GET', path: CONTACTS_PATHS.tagGet, qs: { tagid: tagId } },
		z
			.object({
				tagname: z.string().nullish(),
				userlist: z
					.array(z.object({ userid: z.string(), name: z.string().nullish() }).passthrough())
					.nullish(),
				partylist: z.array(z.number()).nullish(),
			})
			.passthrough(),
		itemIndex,
	);
