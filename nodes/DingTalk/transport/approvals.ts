import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CredentialContext } from '../../shared/transport/platformTransport';
import type { ApiRequest } from '../../shared/transport/types';
import { parseResponse } from '../../shared/validation';
import { APPROVAL_PATHS, LIST_WINDOW } from '../platform/approvals';
import { dingTalk } from './index';

/**
 * The v1.0 workflow calls approvals need, typed, over the shared client (new API: token in the
 * header, errors as HTTP 4xx with a code). https://open.dingtalk.com/document/orgapp/create-an-approval-instance
 * and its sibling pages. Reads may be repeated after a timeout; creates and actions may not.
 */

async function call<T extends z.ZodTypeAny>(
	ctx: CredentialContext,
	request: Omit<ApiRequest, 'family'>,
	schema: T,
	itemIndex?: number,
): Promise<z.infer<T>> {
	const answer = await dingTalk.request(ctx, { family: 'api', ...request }, itemIndex);
	return parseResponse(ctx.getNode(), answer.body, schema, {
		platform: 'DingTalk',
		method: request.method,
		path: request.path,
		itemIndex,
		requestId: answer.requestId,
	});
}

const templateSchema = z
	.object({ processCode: z.string(), name: z.string().nullish() })
	.passthrough();

/** One page of the templates a user may start (all of the organisation's without a user). */
export async function listVisibleTemplates(
	ctx: CredentialContext,
	page: { userId?: string; nextToken: number; maxResults: number },
) {
	const answer = await call(
		ctx,
		{
			method: 'GET',
			path: APPROVAL_PATHS.visibleTemplates,
			qs: {
				...(page.userId ? { userId: page.userId } : {}),
				maxResults: page.maxResults,
				nextToken: page.nextToken,
			},
		},
		z
			.object({
				result: z
					.object({
						processList: z.array(templateSchema).nullish(),
						nextToken: z.union([z.number(), z.string()]).nullish(),
					})
					.passthrough(),
			})
			.passthrough(),
	);
	const next = Number(answer.result.nextToken);
	return {
		templates: answer.result.processList ?? [],
		nextToken:
			answer.result.nextToken === null ||
			answer.result.nextToken === undefined ||
			answer.result.nextToken === '' ||
			!Number.isFinite(next)
				? undefined
				: next,
	};
}

/** The template's form schema: its name and `schemaContent.items`. */
export async function getFormSchema(
	ctx: CredentialContext,
	processCode: string,
	itemIndex?: number,
) {
	const answer = await call(
		ctx,
		{ method: 'GET', path: APPROVAL_PATHS.formSchema, qs: { processCode } },
		z
			.object({
				result: z
					.object({
						name: z.string().nullish(),
						schemaContent: z
							.object({ items: z.array(z.unknown()).nullish() })
							.passthrough()
							.nullish(),
					})
					.passthrough(),
			})
			.passthrough(),
		itemIndex,
	);
	return { name: answer.result.name ?? '', items: answer.result.schemaContent?.items ?? [] };
}

export async function createInstance(ctx: CredentialContext, body: IDataObject, itemIndex: number) {
	const answer = await call(
		ctx,
		{ method: 'POST', path: APPROVAL_PATHS.instances, body, idempotent: false },
		z.object({ instanceId: z.string().min(1) }).passthrough(),
		itemIndex,
	);
	return answer.instanceId;
}

const taskSchema = z
	.object({
		taskId: z.union([z.number(), z.string()]),
		userId: z.string().nullish(),
		status: z.string().nullish(),
		result: z.string().nullish(),
	})
	.passthrough();

export const instanceSchema = z
	.object({
		title: z.string().nullish(),
		status: z.string().nullish(),
		result: z.string().nullish(),
		originatorUserId: z.string().nullish(),
		tasks: z.array(taskSchema).nullish(),
		operationRecords: z.array(z.object({}).passthrough()).nullish(),
		formComponentValues: z.array(z.object({}).passthrough()).nullish(),
	})
	.passthrough();

export type DingTalkInstance = z.infer<typeof instanceSchema>;

export async function getInstance(ctx: CredentialContext, instanceId: string, itemIndex?: number) {
	const answer = await call(
		ctx,
		{ method: 'GET', path: APPROVAL_PATHS.instances, qs: { processInstanceId: instanceId } },
		z.object({ result: instanceSchema }).passthrough(),
		itemIndex,
	);
	return answer.result;
}

export interface InstanceIdQuery {
	processCode: string;
	startTime: number;
	endTime?: number;
	userIds: string[];
	statuses: string[];
}

/** One page (≤ 20) of instance ids; the next token is a string here, empty at the end. */
export async function listInstanceIds(
	ctx: CredentialContext,
	query: InstanceIdQuery,
	nextToken: string,
	itemIndex: number,
) {
	const answer = await call(
		ctx,
		{
			method: 'POST',
			path: APPROVAL_PATHS.instanceIds,
			body: {
				processCode: query.processCode,
				startTime: query.startTime,
				...(query.endTime !== undefined ? { endTime: query.endTime } : {}),
				nextToken: Number(nextToken),
				maxResults: LIST_WINDOW.pageSize,
				...(query.userIds.length ? { userIds: query.userIds } : {}),
				...(query.statuses.length ? { statuses: query.statuses } : {}),
			},
			idempotent: true,
		},
		z
			.object({
				result: z
					.object({
						list: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
						nextToken: z.union([z.string(), z.number()]).nullish(),
					})
					.passthrough(),
			})
			.passthrough(),
		itemIndex,
	);
	const next = answer.result.nextToken;
	return {
		ids: answer.result.list ?? [],
		nextToken: next === null || next === undefined || next === '' ? undefined : String(next),
	};
}

/** Approve, reject, terminate or comment: DingTalk answers `{result: true}`. */
export async function actOnInstance(
	ctx: CredentialContext,
	path: string,
	body: IDataObject,
	itemIndex: number,
): Promise<void> {
	await call(
		ctx,
		{ method: 'POST', path, body, idempotent: false },
		z.object({ result: z.literal(true) }).passthrough(),
		itemIndex,
	);
}
