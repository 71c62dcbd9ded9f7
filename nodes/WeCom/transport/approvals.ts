import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { CredentialContext } from '../../shared/transport/platformTransport';
import type { MultipartFile } from '../../shared/transport/multipart';
import { multipartBody } from '../../shared/transport/multipart';
import type { ApiRequest } from '../../shared/transport/types';
import { parseResponse } from '../../shared/validation';
import { APPROVAL_PATHS, LIST_RULES } from '../platform/approvals';
import { weCom } from './index';

/**
 * The approval calls (审批) over the shared client, typed: token in the query, every answer HTTP 200
 * with an errcode. Reads may be repeated after a timeout (they are POSTs, so they say so);
 * applyevent and uploads may not. https://developer.work.weixin.qq.com/document/path/91853 and
 * its sibling pages.
 */

async function call<T extends z.ZodTypeAny>(
	ctx: CredentialContext,
	request: Omit<ApiRequest, 'method'> & { path: string },
	schema: T,
	itemIndex?: number,
): Promise<z.infer<T>> {
	const sent = await weCom.request(ctx, { method: 'POST', ...request }, itemIndex);
	return parseResponse(ctx.getNode(), sent.body, schema, {
		platform: 'WeCom',
		method: 'POST',
		path: request.path,
		itemIndex,
	});
}

const langTexts = z
	.array(z.object({ text: z.string().nullish(), lang: z.string().nullish() }).passthrough())
	.nullish();

const templateAnswer = z
	.object({
		template_names: langTexts,
		template_content: z
			.object({ controls: z.array(z.unknown()).nullish() })
			.passthrough()
			.nullish(),
	})
	.passthrough();

export type WeComTemplate = z.infer<typeof templateAnswer>;

/** The template's names and controls (gettemplatedetail). */
export async function getTemplateDetail(
	ctx: CredentialContext,
	templateId: string,
	itemIndex?: number,
) {
	return await call(
		ctx,
		{ path: APPROVAL_PATHS.templateDetail, body: { template_id: templateId }, idempotent: true },
		templateAnswer,
		itemIndex,
	);
}

/** Submits an application (applyevent): its sp_no. */
export async function applyEvent(ctx: CredentialContext, body: IDataObject, itemIndex: number) {
	const answer = await call(
		ctx,
		{ path: APPROVAL_PATHS.applyEvent, body, idempotent: false },
		z.object({ sp_no: z.union([z.string().min(1), z.number()]).transform(String) }).passthrough(),
		itemIndex,
	);
	return answer.sp_no;
}

const detailSchema = z
	.object({
		sp_no: z.union([z.string(), z.number()]).nullish(),
		sp_name: z.string().nullish(),
		sp_status: z.number().nullish(),
		template_id: z.string().nullish(),
		apply_time: z.number().nullish(),
		applyer: z.object({}).passthrough().nullish(),
		sp_record: z.array(z.object({}).passthrough()).nullish(),
		notifyer: z.array(z.object({}).passthrough()).nullish(),
		apply_data: z
			.object({ contents: z.array(z.unknown()).nullish() })
			.passthrough()
			.nullish(),
		comments: z.array(z.object({}).passthrough()).nullish(),
	})
	.passthrough();

export type WeComApprovalInfo = z.infer<typeof detailSchema>;

/** One application with its flow, form and comments (getapprovaldetail). */
export async function getApprovalDetail(ctx: CredentialContext, spNo: string, itemIndex?: number) {
	const answer = await call(
		ctx,
		{ path: APPROVAL_PATHS.approvalDetail, body: { sp_no: spNo }, idempotent: true },
		z.object({ info: detailSchema }).passthrough(),
		itemIndex,
	);
	return answer.info;
}

export interface ApprovalQuery {
	/** Unix seconds; at most 31 days apart. */
	startTime: number;
	endTime: number;
	filters: Array<{ key: string; value: string }>;
}

/** One page of the sp_nos applied for in the range (getapprovalinfo); `next` is "" on the last. */
export async function listApprovalNumbers(
	ctx: CredentialContext,
	query: ApprovalQuery,
	cursor: string,
	itemIndex: number,
) {
	const answer = await call(
		ctx,
		{
			path: APPROVAL_PATHS.approvalInfo,
			body: {
				starttime: String(query.startTime),
				endtime: String(query.endTime),
				new_cursor: cursor,
				size: LIST_RULES.pageSize,
				...(query.filters.length ? { filters: query.filters } : {}),
			},
			idempotent: true,
		},
		z
			.object({
				sp_no_list: z.array(z.union([z.string(), z.number()]).transform(String)).nullish(),
				new_next_cursor: z.union([z.string(), z.number()]).nullish(),
			})
			.passthrough(),
		itemIndex,
	);
	const next = answer.new_next_cursor;
	return {
		spNos: answer.sp_no_list ?? [],
		next: next === null || next === undefined || next === '' ? undefined : String(next),
	};
}

/**
 * Uploads an attachment as temporary media (`media/upload?type=file`, multipart field `media`):
 * its media_id, which a File control takes as `file_id` within 3 days. https://developer.work.weixin.qq.com/document/path/96484
 */
export async function uploadFile(
	ctx: CredentialContext,
	file: MultipartFile,
	itemIndex: number,
): Promise<string> {
	const { body, contentType } = multipartBody('media', file);
	const answer = await call(
		ctx,
		{
			path: APPROVAL_PATHS.mediaUpload,
			qs: { type: 'file' },
			body,
			headers: { 'content-type': contentType },
			json: false,
			idempotent: false,
			timeoutMs: 60_000,
		},
		z.object({ media_id: z.string().min(1) }).passthrough(),
		itemIndex,
	);
	return answer.media_id;
}
