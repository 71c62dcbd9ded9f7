import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DingTalkApi, WeComApi } from '../../index';
import { runWorkflow } from '../harness';
import { credentialsFor, useEmulator } from './support';

/**
 * What n8n's HTTP Request node does with a predefined credential type: call
 * httpRequestWithAuthentication, which runs the credential's preAuthentication (when the hidden
 * token is empty) and its authenticate. A tiny node stands in for the HTTP Request node here.
 */
class AuthenticatedCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Authenticated Call',
		name: 'authenticatedCall',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Authenticated Call' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'dingTalkApi' }, { name: 'weComApi' }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const { credentialType, url, method, body } = items[i].json as {
				credentialType: string;
				url: string;
				method: 'GET' | 'POST';
				body?: object;
			};
			const response = await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
				url,
				method,
				body,
				json: true,
			});
			output.push({ json: response, pairedItem: { item: i } });
		}
		return [output];
	}
}

function workflowUsing(credentialType: string) {
	return {
		nodes: [
			{
				id: 's',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'c',
				name: 'Call',
				type: 'test.authenticatedCall',
				typeVersion: 1,
				position: [200, 0],
				parameters: {},
				credentials: { [credentialType]: { id: 'cred-1', name: 'credential' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Call', type: 'main', index: 0 }]] } },
	};
}

describe('credentials used by n8n core (HTTP Request node style)', () => {
	const ctx = useEmulator();

	it('DingTalk: preAuthentication fetches one token, authenticate puts it in the query on the old API', async () => {
		const sent = await runWorkflow({
			workflow: workflowUsing('dingTalkApi'),
			nodeTypes: { 'test.authenticatedCall': new AuthenticatedCall() },
			credentialTypes: [new DingTalkApi()],
			credentials: { 'cred-1': credentialsFor(ctx.emu).dingTalkApi },
			inputItems: [1, 2].map((n) => ({
				credentialType: 'dingTalkApi',
				method: 'POST',
				url: `${ctx.emu.baseUrls.dingtalkOapi}/topapi/message/corpconversation/asyncsend_v2`,
				body: {
					agent_id: 3000001,
					userid_list: `user00${n}`,
					msg: { msgtype: 'text', text: { content: 'via core' } },
				},
			})),
		});
		expect(sent.status).toBe('success');
		expect(sent.nodeOutput('Call').map((item) => item.json.errcode)).toEqual([0, 0]);
		expect(sent.credentialsHelper.preAuthenticationCalls).toEqual({ dingTalkApi: 1 });
		const [token] = ctx.emu.requests({ path: '/v1.0/oauth2/accessToken' });
		const issued = (token.response as { accessToken: string }).accessToken;
		const calls = ctx.emu.requests({ path: '/topapi/message/corpconversation/asyncsend_v2' });
		expect(calls.map((c) => c.query.access_token)).toEqual([issued, issued]);
	});

	it('DingTalk: the new API gets the token in the x-acs-dingtalk-access-token header', async () => {
		await runWorkflow({
			workflow: workflowUsing('dingTalkApi'),
			nodeTypes: { 'test.authenticatedCall': new AuthenticatedCall() },
			credentialTypes: [new DingTalkApi()],
			credentials: { 'cred-1': credentialsFor(ctx.emu).dingTalkApi },
			inputItems: [
				{
					credentialType: 'dingTalkApi',
					method: 'GET',
					url: `${ctx.emu.baseUrls.dingtalkApi}/v1.0/contact/users/me`,
				},
			],
		});
		const [call] = ctx.emu.requests({ path: '/v1.0/contact/users/me' });
		expect(call.headers['x-acs-dingtalk-access-token']).toEqual(expect.any(String));
		expect(call.query.access_token).toBeUndefined();
	});

	it('WeCom: preAuthentication + generic authenticate send access_token', async () => {
		const result = await runWorkflow({
			workflow: workflowUsing('weComApi'),
			nodeTypes: { 'test.authenticatedCall': new AuthenticatedCall() },
			credentialTypes: [new WeComApi()],
			credentials: { 'cred-1': credentialsFor(ctx.emu).weComApi },
			inputItems: [
				{
					credentialType: 'weComApi',
					method: 'POST',
					url: `${ctx.emu.baseUrls.wecom}/cgi-bin/message/send`,
					body: {
						touser: 'LiSi',
						msgtype: 'text',
						agentid: 1000002,
						text: { content: 'via core' },
					},
				},
			],
		});
		expect(result.nodeOutput('Call')[0].json).toMatchObject({ errcode: 0 });
		expect(result.credentialsHelper.preAuthenticationCalls).toEqual({ weComApi: 1 });
	});

	it('a wrong secret fails inside preAuthentication with the platform hint', async () => {
		const result = await runWorkflow({
			workflow: workflowUsing('weComApi'),
			nodeTypes: { 'test.authenticatedCall': new AuthenticatedCall() },
			credentialTypes: [new WeComApi()],
			credentials: {
				'cred-1': credentialsFor(ctx.emu, { weComApi: { corpSecret: 'nope-nope-nope' } }).weComApi,
			},
			inputItems: [
				{
					credentialType: 'weComApi',
					method: 'GET',
					url: `${ctx.emu.baseUrls.wecom}/cgi-bin/message/send`,
				},
			],
		});
		expect(result.status).toBe('error');
		expect(result.error.message).toContain('WeCom refused the credentials');
		expect(result.error.message).toContain('(40001)');
		expect(ctx.emu.requests({ path: '/cgi-bin/message/send' })).toHaveLength(0);
	});
});
