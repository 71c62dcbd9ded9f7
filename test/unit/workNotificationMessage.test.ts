import { workNotificationMessageSchema } from '../../nodes/DingTalk/actions/workNotification/message';

const valid = [
	{ msgtype: 'text', text: { content: 'hi' } },
	{ msgtype: 'image', image: { media_id: '@lA' } },
	{ msgtype: 'voice', voice: { media_id: '@v', duration: '10' } },
	{ msgtype: 'file', file: { media_id: '@f' } },
	{ msgtype: 'link', link: { messageUrl: 'https://a', picUrl: '@p', title: 't', text: 'x' } },
	{
		msgtype: 'oa',
		oa: {
			message_url: 'https://a',
			head: { bgcolor: 'FFBBBBBB', text: 'h' },
			body: { title: 'b' },
		},
	},
	{ msgtype: 'markdown', markdown: { title: 't', text: '# x' } },
	{
		msgtype: 'action_card',
		action_card: { title: 't', markdown: 'm', single_title: 's', single_url: 'https://a' },
	},
	{
		msgtype: 'action_card',
		action_card: {
			title: 't',
			markdown: 'm',
			btn_orientation: '1',
			btn_json_list: [{ title: 'a', action_url: 'https://a' }],
		},
	},
];

// Message types: https://open.dingtalk.com/document/development/message-types-and-data-format
describe('work notification msg schema', () => {
	it.each(valid.map((msg) => [msg.msgtype, msg]))('accepts a valid %s message', (_type, msg) => {
		expect(workNotificationMessageSchema.safeParse(msg).success).toBe(true);
	});

	it.each([
		['an unknown msgtype', { msgtype: 'actionCard', actionCard: {} }, 'msgtype'],
		['empty text', { msgtype: 'text', text: { content: ' ' } }, 'text.content'],
		[
			'voice longer than 59 s',
			{ msgtype: 'voice', voice: { media_id: '@v', duration: '60' } },
			'voice.duration',
		],
		[
			'link with snake_case keys',
			{ msgtype: 'link', link: { message_url: 'x', pic_url: 'y', title: 't', text: 'x' } },
			'link.messageUrl',
		],
		[
			'an RGB oa colour',
			{ msgtype: 'oa', oa: { head: { bgcolor: '#FFBBBB', text: 'h' }, body: {} } },
			'oa.head.bgcolor',
		],
		[
			'an action card without buttons',
			{ msgtype: 'action_card', action_card: { title: 't', markdown: 'm' } },
			'action_card',
		],
	])('rejects %s and names the path', (_label, msg, path) => {
		const result = workNotificationMessageSchema.safeParse(msg);
		expect(result.success).toBe(false);
		if (!result.success) expect(result.error.issues.map((i) => i.path.join('.'))).toContain(path);
	});
});
