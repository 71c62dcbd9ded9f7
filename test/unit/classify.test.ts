import { dingTalkProfile } from '../../nodes/DingTalk/platform/profile';
import { weComProfile } from '../../nodes/WeCom/platform/profile';

const oapi = dingTalkProfile.families.oapi.classify;
const api = dingTalkProfile.families.api.classify;
const wecom = weComProfile.families.qyapi.classify;

describe('recognising platform answers', () => {
	it('DingTalk old API: errcode 0 is success; 88 is decided by sub_code', () => {
		expect(oapi(200, { errcode: 0, errmsg: 'ok' }).kind).toBe('ok');
		expect(oapi(200, { errcode: 88, sub_code: '40014' }).kind).toBe('tokenRejected');
		expect(oapi(200, { errcode: 88, sub_code: '60011', sub_msg: 'no permission' })).toEqual({
			kind: 'failed',
			details: expect.objectContaining({ errcode: 88, subCode: '60011', subMsg: 'no permission' }),
		});
		expect(oapi(200, { errcode: 42001 }).kind).toBe('tokenRejected');
		expect(oapi(200, { errcode: 90018 }).kind).toBe('rateLimited');
		expect(oapi(200, { errcode: 90002 }).kind).toBe('rateLimited');
		expect(oapi(200, { errcode: -1 }).kind).toBe('busy');
		expect(oapi(200, { errcode: 90020 }).kind).toBe('failed');
		expect(oapi(200, { errcode: 43004 }).kind).toBe('failed');
		expect(oapi(502, 'Bad Gateway').kind).toBe('serverError');
	});

	it('DingTalk old API: the per-IP ban and HTML answers are failures with a reason', () => {
		const ban = oapi(200, { status: 1111, wait: 5, source: 'x5', punish: 'deny', uuid: 'u' });
		expect(ban).toMatchObject({ kind: 'failed', details: { errcode: 'IP_BANNED' } });
		expect(dingTalkProfile.hint((ban as { details: object }).details)).toContain('5 minutes');
		expect(oapi(200, '<html>denied</html>')).toMatchObject({
			kind: 'failed',
			details: { errmsg: expect.stringContaining('not JSON') },
		});
	});

	it('DingTalk new API: HTTP status with code/message/requestid', () => {
		expect(api(200, { result: 1 }).kind).toBe('ok');
		expect(api(400, { code: 'InvalidAuthentication', message: 'x', requestid: 'r' }).kind).toBe(
			'tokenRejected',
		);
		expect(api(401, {}).kind).toBe('tokenRejected');
		expect(api(400, { code: 'MissingParameter' }).kind).toBe('failed');
		expect(api(403, { code: 'Forbidden.AccessDenied.QpsLimitForApi' }).kind).toBe('rateLimited');
		expect(api(403, { code: 'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi' }).kind).toBe(
			'rateLimited',
		);
		expect(
			api(403, { code: 'Forbidden.AccessDenied.IpNotInWhiteList', message: 'ip', requestid: 'r9' }),
		).toEqual({
			kind: 'failed',
			details: {
				errcode: 'Forbidden.AccessDenied.IpNotInWhiteList',
				errmsg: 'ip',
				requestId: 'r9',
				httpStatus: 403,
			},
		});
		expect(api(500, {}).kind).toBe('serverError');
	});

	it('WeCom: errcode in HTTP 200', () => {
		expect(wecom(200, { errcode: 0, errmsg: 'ok' }).kind).toBe('ok');
		expect(wecom(200, { msgid: 'x' }).kind).toBe('ok');
		for (const code of [40014, 42001, 40001])
			expect(wecom(200, { errcode: code }).kind).toBe('tokenRejected');
		expect(wecom(200, { errcode: 45009 }).kind).toBe('rateLimited');
		expect(wecom(200, { errcode: 45033 }).kind).toBe('rateLimited');
		expect(wecom(200, { errcode: 81013, errmsg: 'user & party & tag all invalid' }).kind).toBe(
			'failed',
		);
	});

	it('token endpoints: a wrong secret is not a token expiry', () => {
		expect(dingTalkProfile.tokenEndpoint.parse(200, { accessToken: 'a', expireIn: 7200 })).toEqual({
			token: 'a',
			expiresInSeconds: 7200,
		});
		expect(
			dingTalkProfile.tokenEndpoint.parse(400, { code: 'invalidClientIdOrSecret' }),
		).toMatchObject({ kind: 'credentialsRejected' });
		expect(
			weComProfile.tokenEndpoint.parse(200, { errcode: 0, access_token: 'w', expires_in: 7200 }),
		).toEqual({ token: 'w', expiresInSeconds: 7200 });
		for (const errcode of [40001, 40013, 40091, 41004]) {
			expect(weComProfile.tokenEndpoint.parse(200, { errcode })).toMatchObject({
				kind: 'credentialsRejected',
			});
		}
		expect(weComProfile.tokenEndpoint.parse(200, { errcode: 45009 })).toMatchObject({
			kind: 'rateLimited',
		});
	});

	it('has a hint for every common code the issue names', () => {
		for (const code of [33012, 60011, 60020, 90018, 90002, 40096]) {
			expect(dingTalkProfile.hint({ errcode: code })).toEqual(expect.any(String));
		}
		expect(dingTalkProfile.hint({ errcode: 88, subCode: '60011' })).toContain('Permission');
		for (const code of [60020, 48002, 60011, 81013, 40001]) {
			expect(weComProfile.hint({ errcode: code, errmsg: '' })).toEqual(expect.any(String));
		}
	});
});
