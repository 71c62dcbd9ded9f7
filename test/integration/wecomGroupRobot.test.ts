import { createHash } from 'crypto';
import { WECOM_TYPE, run, singleNodeWorkflow, useEmulator, useFrozenRobotClock } from './support';

/**
 * The pacing cases run one item at a time: the emulator's clock is frozen and moved by each wait,
 * which would also move the clock under posts still in flight if items ran concurrently.
 */
const ONE_AT_A_TIME = { concurrency: 1 };
const ROBOT = { credential: 'weComRobotApi' };
const send = (extra: Record<string, unknown>) => ({
	resource: 'groupRobot',
	operation: 'send',
	messageType: 'text',
	content: 'Disk usage on db-1 is 93%',
	options: {},
	...extra,
});

/** A tiny valid PNG (1×1), and an item carrying it as binary data. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64',
);
const withBinary = (data: Buffer, mimeType = 'image/png') => ({
	json: { name: 'chart' },
	binary: { data: { data: data.toString('base64'), mimeType, fileName: 'chart.png' } },
});

describe('WeCom group robot in a workflow run', () => {
	const ctx = useEmulator();
	const posted = () => ctx.emu.wecom.robotMessages();

	useFrozenRobotClock(ctx);

	it('posts text with mentions by UserID, mobile and everyone', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				send({ mentionUserIds: 'ZhangSan', mentionMobiles: ['13700000002'], mentionAll: true }),
				ROBOT,
			),
		);
		expect(result.status).toBe('success');
		expect(result.nodeOutput('Node')[0].json).toEqual({
			posted: true,
			msgtype: 'text',
			waitedMs: 0,
		});
		expect(posted()[0]).toMatchObject({
			msgtype: 'text',
			content: { content: 'Disk usage on db-1 is 93%' },
			mentionedList: ['ZhangSan', '@all'],
			mentionedMobileList: ['13700000002'],
		});
	});

	it.each([
		[
			'markdown',
			{ messageType: 'markdown', content: '**Build failed**' },
			{ content: '**Build failed**' },
		],
		[
			'markdown_v2',
			{ messageType: 'markdown_v2', content: '| a |\n| - |' },
			{ content: '| a |\n| - |' },
		],
		[
			'news',
			{
				messageType: 'news',
				articles: {
					article: [
						{ title: 'Report', description: 'Daily', url: 'https://example.com/r', picurl: '' },
					],
				},
			},
			{ articles: [{ title: 'Report', description: 'Daily', url: 'https://example.com/r' }] },
		],
		[
			'news',
			{
				// The articles as a JSON array from an expression over the item.
				messageType: 'news',
				articlesInput: 'json',
				articlesJson:
					'={{ [1, 2].map(n => ({ title: "Shop " + n, url: "https://example.com/s/" + n, picurl: null })) }}',
			},
			{
				articles: [
					{ title: 'Shop 1', url: 'https://example.com/s/1' },
					{ title: 'Shop 2', url: 'https://example.com/s/2' },
				],
			},
		],
		[
			'template_card',
			{
				// A text notice may have no title when it has a text.
				messageType: 'template_card',
				subTitleText: 'Nightly backup done',
				cardUrl: 'https://example.com/backups',
			},
			{ card_type: 'text_notice', sub_title_text: 'Nightly backup done' },
		],
		[
			'template_card',
			{
				messageType: 'template_card',
				cardType: 'news_notice',
				cardTitle: 'Orders today',
				cardImageUrl: 'https://example.com/chart.png',
				cardUrl: 'https://example.com/orders',
			},
			{
				card_type: 'news_notice',
				main_title: { title: 'Orders today' },
				card_image: { url: 'https://example.com/chart.png' },
				card_action: { type: 1, url: 'https://example.com/orders' },
			},
		],
		[
			'template_card',
			{
				messageType: 'template_card',
				cardTitle: 'Deploy finished',
				emphasisTitle: '42',
				emphasisDescription: 'services',
				subTitleText: 'All green',
				cardUrl: 'https://example.com/deploys/42',
			},
			{
				card_type: 'text_notice',
				emphasis_content: { title: '42', desc: 'services' },
				sub_title_text: 'All green',
			},
		],
		[
			'template_card',
			{
				messageType: 'customJson',
				messageJson: JSON.stringify({
					msgtype: 'template_card',
					template_card: {
						card_type: 'text_notice',
						main_title: { title: 'Deploy done' },
						card_action: { type: 1, url: 'https://example.com' },
					},
				}),
			},
			{ card_type: 'text_notice' },
		],
	])('posts a %s message as WeCom documents it', async (msgtype, parameters, content) => {
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send(parameters), ROBOT));
		expect(result.status).toBe('success');
		expect(posted()[0].msgtype).toBe(msgtype);
		expect(posted()[0].content).toMatchObject(content);
	});

	it("posts an image from the item's binary data with its base64 and md5", async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				send({ messageType: 'image', binaryPropertyName: 'data' }),
				ROBOT,
			),
			{ inputExecutionItems: [withBinary(PNG)] },
		);
		expect(result.status).toBe('success');
		expect(posted()[0]).toMatchObject({
			msgtype: 'image',
			image: { size: PNG.length, md5: createHash('md5').update(PNG).digest('hex') },
		});
	});

	it('uploads a file and a voice to the robot first, then sends them by media_id', async () => {
		const pdf = {
			json: {},
			binary: {
				data: {
					data: Buffer.from('%PDF-1.4 weekly report').toString('base64'),
					mimeType: 'application/pdf',
					fileName: 'weekly.pdf',
				},
			},
		};
		const amr = {
			json: {},
			binary: {
				data: {
					data: Buffer.from('#!AMR\nfake-voice').toString('base64'),
					mimeType: 'audio/amr',
					fileName: 'note.amr',
				},
			},
		};
		const file = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				send({ messageType: 'file', binaryPropertyName: 'data' }),
				ROBOT,
			),
			{ inputExecutionItems: [pdf] },
		);
		expect(file.status).toBe('success');
		const voice = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				send({ messageType: 'voice', binaryPropertyName: 'data' }),
				ROBOT,
			),
			{ inputExecutionItems: [amr] },
		);
		expect(voice.status).toBe('success');
		const uploads = ctx.emu.requests({ path: '/cgi-bin/webhook/upload_media' });
		expect(uploads.map((r) => r.query.type)).toEqual(['file', 'voice']);
		expect(posted().map((m) => m.msgtype)).toEqual(['file', 'voice']);
		expect(ctx.emu.state.wecom.robotMedia.map((m) => [m.filename, m.type])).toEqual([
			['weekly.pdf', 'file'],
			['note.amr', 'voice'],
		]);
		expect((posted()[0].content as { media_id: string }).media_id).toBe(
			ctx.emu.state.wecom.robotMedia[0].mediaId,
		);
	});

	it('refuses a voice that is not AMR before uploading anything', async () => {
		const mp3 = {
			json: {},
			binary: {
				data: {
					data: Buffer.from('ID3-not-amr-0000').toString('base64'),
					mimeType: 'audio/mpeg',
					fileName: 'a.mp3',
				},
			},
		};
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				send({ messageType: 'voice', binaryPropertyName: 'data' }),
				ROBOT,
			),
			{ inputExecutionItems: [mp3] },
		);
		expect(result.error.message).toBe("The voice in 'data' is not an AMR recording [item 0]");
		expect(ctx.emu.requests({ path: '/cgi-bin/webhook/upload_media' })).toHaveLength(0);
	});

	it('refuses an image over 2 MB, another format or a missing binary field, naming the item; the others go out', async () => {
		const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
		const gif = Buffer.from('GIF89a0000000000', 'latin1');
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, send({ messageType: 'image', binaryPropertyName: 'data' }), {
				...ROBOT,
				continueOnFail: true,
			}),
			{
				inputExecutionItems: [
					withBinary(big),
					withBinary(gif, 'image/gif'),
					{ json: {} },
					withBinary(PNG),
				],
			},
		);
		const output = result.nodeOutput('Node').map((item) => item.json);
		expect(output[0].error).toMatch(/is 2\.0 MB, more than WeCom's 2 MB \[item 0\]/);
		expect(output[1].error).toContain('is not a JPG or PNG image [item 1]');
		expect(output[2].error).toBe("The item has no binary field 'data' [item 2]");
		expect(output[3].posted).toBe(true);
		expect(posted()).toHaveLength(1);
	});

	it('refuses a text over 2048 bytes, an empty one and a news item without a URL before posting', async () => {
		const long = await run(
			ctx.emu,
			singleNodeWorkflow(WECOM_TYPE, send({ content: '告'.repeat(700) }), ROBOT),
		);
		expect(long.error.message).toBe("'Text' is 2100 bytes, more than WeCom's 2048 [item 0]");
		const news = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				send({
					messageType: 'news',
					articles: { article: [{ title: 'No link', description: '', url: '', picurl: '' }] },
				}),
				ROBOT,
			),
		);
		expect(news.error.message).toBe('Article 1 needs a title and a URL [item 0]');
		expect(posted()).toHaveLength(0);
	});

	it('refuses articles JSON with a key WeCom does not know, naming the key and what it takes', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				send({
					messageType: 'news',
					articlesInput: 'json',
					articlesJson: JSON.stringify([{ title: 'Report', link: 'https://example.com' }]),
				}),
				ROBOT,
			),
		);
		expect(result.error.message).toBe(
			"'Articles (JSON)' has an unknown key 'link' in article 1 [item 0]",
		);
		expect(result.error.description).toBe(
			'Each article takes title, description, url, picurl, picUrl.',
		);
		expect(posted()).toHaveLength(0);
	});

	it('posts long template card texts as they are (WeCom only recommends lengths) and refuses a text notice with neither title nor text', async () => {
		const card = (extra: Record<string, unknown>) =>
			send({
				messageType: 'template_card',
				cardTitle: 'Deploy finished',
				cardUrl: 'https://example.com/deploys/42',
				...extra,
			});
		const long = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				card({ cardTitle: '部'.repeat(40), subTitleText: 'z'.repeat(200) }),
				ROBOT,
			),
		);
		expect(long.status).toBe('success');
		expect(posted()[0].content).toMatchObject({
			main_title: { title: '部'.repeat(40) },
			sub_title_text: 'z'.repeat(200),
		});
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ cardTitle: '' }, "A text notice card needs a 'Title' or a 'Text'"],
			[
				{ cardType: 'news_notice', cardTitle: '', cardImageUrl: 'https://example.com/c.png' },
				"'Title' is empty",
			],
		];
		for (const [extra, message] of cases) {
			const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, card(extra), ROBOT));
			expect(result.error.message).toBe(`${message} [item 0]`);
		}
		expect(posted()).toHaveLength(1);
	});

	it('explains an invalid key (93000) and never shows the key', async () => {
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send({}), ROBOT), {
			credentials: {
				weComRobotApi: {
					webhookToken: `${ctx.emu.baseUrls.wecom}/cgi-bin/webhook/send?key=e0000000-0000-4000-8000-00000000dead`,
				},
			},
		});
		expect(result.status).toBe('error');
		expect(result.error.message).toContain('93000');
		expect(result.error.description).toContain('webhook key is invalid');
		expect(JSON.stringify(result.error)).not.toContain('00000000dead');
	});

	it('never repeats a post whose answer never came, and says it may have been posted', async () => {
		ctx.emu.faults.add({
			platform: 'wecom',
			path: '/cgi-bin/webhook/send',
			kind: 'reset',
			times: 1,
		});
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send({}), ROBOT));
		expect(result.status).toBe('error');
		expect(result.error.description).toContain('may have been posted');
		expect(ctx.emu.requests({ path: '/cgi-bin/webhook/send' })).toHaveLength(1);
	});

	it("waits out the platform's throttle when another sender filled the robot's minute", async () => {
		const url = ctx.emu.seed.wecom.robots[0].webhookUrl!;
		for (let i = 0; i < 20; i++) {
			await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ msgtype: 'text', text: { content: `other ${i}` } }),
			});
		}
		const result = await run(ctx.emu, singleNodeWorkflow(WECOM_TYPE, send({}), ROBOT));
		expect(result.status).toBe('success');
		expect(result.nodeOutput('Node')[0].json).toMatchObject({ attempts: 2 });
		expect(result.nodeOutput('Node')[0].json.waitedMs).toBeGreaterThanOrEqual(61_000);
		expect(posted()).toHaveLength(21);
	});

	it('keeps to 20 messages a minute per robot, waiting within Max Wait', async () => {
		const result = await run(
			ctx.emu,
			singleNodeWorkflow(
				WECOM_TYPE,
				send({
					content: '=alert {{ $json.n }}',
					options: { maxWaitSeconds: 90 },
					throughput: ONE_AT_A_TIME,
				}),
				ROBOT,
			),
			{ inputItems: Array.from({ length: 23 }, (_, n) => ({ n })) },
		);
		expect(result.status).toBe('success');
		expect(posted()).toHaveLength(23);
		const refused = ctx.emu
			.requests({ path: '/cgi-bin/webhook/send' })
			.filter((r) => (r.response as { errcode?: number }).errcode === 45009);
		expect(refused).toHaveLength(0);
		// The output pane says what the robot's limit held back.
		const hint = result
			.nodeHints('Node')
			.map((h) => h.message)
			.join(' ');
		expect(hint).toMatch(
			/Paced under the robot's 20 messages a minute: 1 of 23 messages waited for their turn, 61.0 s on average, 61.0 s at most\./,
		);
		expect(result.logs.join('\n')).toContain("Paced under the robot's 20 messages a minute");
	});
});
