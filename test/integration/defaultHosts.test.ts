import nock from 'nock';

import { apiClient } from '../../nodes/shared/transport/apiClient';
import { DINGTALK_TYPE, run, singleNodeWorkflow, WECOM_TYPE } from './support';

/**
 * Without base URL overrides the nodes must call the real platform hosts. The emulator cannot show
 * that (it needs an override), so nock stands in for the real hosts here, through n8n-core's own
 * HTTP stack, with every other connection refused.
 */
describe('default platform hosts', () => {
	const emu = { seed: { dingtalk: {}, wecom: {} }, baseUrls: {} } as never;

	beforeAll(() => nock.disableNetConnect());
	afterAll(() => nock.enableNetConnect());
	beforeEach(() => apiClient.reset());
	afterEach(() => nock.cleanAll());

	const dingTalkCredentials = {
		appKey: 'dingrealkey',
		appSecret: 'real-secret-1',
		agentId: '123',
		oapiBaseUrl: '',
		apiBaseUrl: '',
	};
	const weComCredentials = {
		corpId: 'wwreal',
		corpSecret: 'real-secret-2',
		agentId: '1000002',
		baseUrl: '',
	};

	it('DingTalk: token from api.dingtalk.com, work notification to oapi.dingtalk.com', async () => {
		const token = nock('https://api.dingtalk.com')
			.post('/v1.0/oauth2/accessToken', { appKey: 'dingrealkey', appSecret: 'real-secret-1' })
			.reply(200, { accessToken: 'real-token', expireIn: 7200 });
		const send = nock('https://oapi.dingtalk.com')
			.post(
				'/topapi/message/corpconversation/asyncsend_v2',
				(body) => body.agent_id === 123 && body.userid_list === 'u1',
			)
			.query({ access_token: 'real-token' })
			.reply(200, { errcode: 0, task_id: 42, request_id: 'r' });
		const result = await run(
			emu,
			singleNodeWorkflow(DINGTALK_TYPE, {
				resource: 'workNotification',
				operation: 'send',
				sendTo: 'specific',
				userIds: 'u1',
				messageType: 'text',
				text: 'hello',
				options: {},
			}),
			{ credentials: { dingTalkApi: dingTalkCredentials } },
		);
		expect(result.nodeOutput('Node')[0].json).toMatchObject({ taskId: 42 });
		expect(token.isDone() && send.isDone()).toBe(true);
	});

	it('WeCom: token and message on qyapi.weixin.qq.com', async () => {
		const scope = nock('https://qyapi.weixin.qq.com')
			.get('/cgi-bin/gettoken')
			.query({ corpid: 'wwreal', corpsecret: 'real-secret-2' })
			.reply(200, { errcode: 0, errmsg: 'ok', access_token: 'wx-token', expires_in: 7200 })
			.post(
				'/cgi-bin/message/send',
				(body) => body.touser === 'zhangsan' && body.agentid === 1000002,
			)
			.query({ access_token: 'wx-token' })
			.reply(200, { errcode: 0, errmsg: 'ok', msgid: 'm-1' });
		const result = await run(
			emu,
			singleNodeWorkflow(WECOM_TYPE, {
				resource: 'appMessage',
				operation: 'send',
				sendTo: 'specific',
				userIds: 'zhangsan',
				messageType: 'text',
				content: 'hello',
				options: {},
			}),
			{ credentials: { weComApi: weComCredentials } },
		);
		expect(result.nodeOutput('Node')[0].json).toMatchObject({ msgid: 'm-1' });
		expect(scope.isDone()).toBe(true);
	});
});
