import type { CallOutcome, PlatformErrorDetails } from './types';

/** Code sets a platform answers with, used to decide what to do about an errcode. */
export interface ErrcodeSets {
	token: number[];
	rateLimit: number[];
	busy: number[];
}

function asRecord(body: unknown): Record<string, unknown> | undefined {
	return body && typeof body === 'object' && !Array.isArray(body)
		? (body as Record<string, unknown>)
		: undefined;
}

function optionalString(value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

/**
 * Recognises "HTTP 200 + errcode" answers (DingTalk old API, WeCom). DingTalk's topapi wraps some
 * codes in errcode 88 + sub_code, so the sub_code decides when present.
 */
export function classifyErrcodeAnswer(
	httpStatus: number,
	body: unknown,
	codes: ErrcodeSets,
): CallOutcome {
	const record = asRecord(body);
	if (httpStatus >= 500) {
		return { kind: 'serverError', details: { httpStatus, errmsg: optionalString(record?.errmsg) } };
	}
	if (!record) {
		return {
			kind: 'failed',
			details: {
				httpStatus,
				errmsg: `unexpected response that is not JSON: ${String(body ?? '').slice(0, 120)}`,
			},
		};
	}
	// DingTalk's per-IP ban answers with a JSON that has no errcode.
	if (record.errcode === undefined && record.status === 1111) {
		return {
			kind: 'failed',
			details: {
				httpStatus,
				errcode: 'IP_BANNED',
				errmsg: `access denied for ${String(record.wait ?? 5)} minutes`,
			},
		};
	}
	const errcode = Number(record.errcode ?? 0);
	if (errcode === 0 && httpStatus < 400) return { kind: 'ok' };

	const details: PlatformErrorDetails = {
		errcode: Number.isNaN(errcode) ? String(record.errcode) : errcode,
		errmsg: optionalString(record.errmsg),
		subCode: optionalString(record.sub_code),
		subMsg: optionalString(record.sub_msg),
		requestId: optionalString(record.request_id ?? record.requestid),
		httpStatus,
	};
	const effective = details.subCode !== undefined ? Number(details.subCode) : errcode;
	if (codes.token.includes(effective) || codes.token.includes(errcode)) {
		return { kind: 'tokenRejected', details };
	}
	if (codes.rateLimit.includes(effective)) return { kind: 'rateLimited', details };
	if (codes.busy.includes(effective)) return { kind: 'busy', details };
	return { kind: 'failed', details };
}

/** Recognises DingTalk v1.0 answers: HTTP status + `{code, message, requestid}`. */
export function classifyHttpCodeAnswer(httpStatus: number, body: unknown): CallOutcome {
	if (httpStatus >= 200 && httpStatus < 300) return { kind: 'ok' };
	const record = asRecord(body) ?? {};
	const code = optionalString(record.code) ?? '';
	const details: PlatformErrorDetails = {
		errcode: code || undefined,
		errmsg:
			optionalString(record.message) ?? (typeof body === 'string' ? body.slice(0, 200) : undefined),
		requestId: optionalString(record.requestid ?? record.requestId ?? record.request_id),
		httpStatus,
	};
	if (httpStatus >= 500) return { kind: 'serverError', details };
	if (httpStatus === 401 || (httpStatus === 400 && /InvalidAuthentication/i.test(code))) {
		return { kind: 'tokenRejected', details };
	}
	if (/Qp[sm]Limit/i.test(code)) return { kind: 'rateLimited', details };
	return { kind: 'failed', details };
}
