// @ts-check
'use strict';

const { EmulatorInputError } = require('../inputError');
const { isPlainObject } = require('../values');
const { CODES, WRONG_JSON, weComError, weComOk } = require('./errors');
const { corpIndex, subtreeIds } = require('./org');
const { seedTemplates, addTemplate, templateName } = require('./approvalTemplates');
const { checkApplyData } = require('./approvalForm');
const { approvalEventXml, notifyersOf } = require('./approvalXml');
const { MEDIA_ROUTES, usableMedia } = require('./media');

/**
 * The WeCom approval engine (审批, the approval app's OA APIs), as a self-built app sees it:
 * - `POST /cgi-bin/oa/gettemplatedetail` (https://developer.work.weixin.qq.com/document/path/91982)
 * - `POST /cgi-bin/oa/applyevent` (https://developer.work.weixin.qq.com/document/path/91853)
 * - `POST /cgi-bin/oa/getapprovaldetail` (https://developer.work.weixin.qq.com/document/path/91983)
 * - `POST /cgi-bin/oa/getapprovalinfo` (https://developer.work.weixin.qq.com/document/path/91816)
 * - `POST /cgi-bin/media/upload` (temporary media for File controls, wecom/media.js)
 * Facts: reference B5, B7, B9, B17. Every answer is HTTP 200; every parameter refusal is 301025
 * "get approval param error[:<what>]" (the live wording, errors.js), to which the emulator adds
 * ", <detail>" before the usual hint tail.
 *
 * Applications move only when the control API acts as people would in the WeCom app
 * (`approvalControls`: act / withdraw). Every change appends an event to `state.approvalEvents`
 * with the decrypted `sys_approval_change` XML (wecom/approvalXml.js) for the callbacks to deliver.
 *
 * Status codes (B5): application `sp_status` 1 in review, 2 approved, 3 rejected, 4 withdrawn,
 * 6 withdrawn after approval (7 deleted, 10 paid: not reachable here); node and approver
 * `sp_status` 1 in review, 2 agreed, 3 rejected, 4 redirected (转审); `StatuChangeEvent` 1 submitted,
 * 2 agreed, 3 rejected, 4 redirected, 5 urged, 6 withdrawn, 8 withdrawn after approval, 10 comment.
 *
 * @typedef {import('../family').RequestContext} RequestContext
 * @typedef {import('./approvalTemplates').ApprovalTemplate} ApprovalTemplate
 * @typedef {import('./media').TempMedia} TempMedia
 *
 * @typedef {object} ApprovalDetail             one approver of a node
 * @property {string} userid
 * @property {string} speech
 * @property {number} spStatus                   1 in review, 2 agreed, 3 rejected, 4 redirected
 * @property {number} spTime                     unix s, 0 = not acted
 * @property {string[]} mediaIds                 attachments of the opinion
 *
 * @typedef {object} ProcessNode                a node of the flow, in order
 * @property {1|2|3} type                        1 approval, 2 cc (抄送), 3 handler (办理, acts like approval)
 * @property {number} attr                       sp_record `approverattr`: 1 OR-sign, 2 AND-sign (0 for cc)
 * @property {number} apvRel                     process `apv_rel`: 1 AND, 2 OR, 3 one after another (0 for cc)
 * @property {number} spStatus                   node status (0 for cc)
 * @property {ApprovalDetail[]} details          approvers (none for cc)
 * @property {string[]} userids                  cc users (none for approval nodes)
 *
 * @typedef {object} ApprovalComment
 * @property {string} userid
 * @property {number} time                       unix s
 * @property {string} content
 * @property {string} id
 * @property {string[]} mediaIds
 *
 * @typedef {object} ApprovalInstance           an application (审批单)
 * @property {string} spNo
 * @property {string} corpId
 * @property {number} agentId                    the app that submitted it
 * @property {string} templateId
 * @property {string} spName
 * @property {number} spStatus
 * @property {number} applyTime                  unix s
 * @property {{ userid: string, partyid: string }} applyer
 * @property {'template'|'approver'|'process'} flowSource  use_template_approver 1 / old approver shape / process.node_list
 * @property {ProcessNode[]} process
 * @property {number} notifyType
 * @property {import('./approvalForm').StoredContent[]} contents
 * @property {unknown[]} summaryList
 * @property {ApprovalComment[]} comments
 * @property {number} attachments                File attachments in the form
 *
 * @typedef {object} ApprovalEvent              a state change, as the callbacks will deliver it
 * @property {number} id                         1, 2, 3… (restart on reset)
 * @property {'sys_approval_change'} event
 * @property {number} createTime                 unix s
 * @property {number} statuChangeEvent
 * @property {string} spNo
 * @property {string} xml                        the decrypted inner XML
 */

const SUMMARY_MAX_LINES = 3;
/** getapprovalinfo: "时间跨度不超过31天", size "默认值为100，上限值为100" (B5/B17). */
const SPAN_MAX_S = 31 * 24 * 3600;
const PAGE_MAX = 100;
const CURSOR_PREFIX = 'emu-approval-cursor:';
const FILTER_KEYS = ['template_id', 'creator', 'department', 'sp_status', 'record_type'];
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** Runtime approval state, merged into the platform state by createState (reset() restores the seed). */
function createApprovalState() {
	return {
		approvalTemplates: seedTemplates(),
		approvalInstances: /** @type {ApprovalInstance[]} */ ([]),
		approvalEvents: /** @type {ApprovalEvent[]} */ ([]),
		/** Temporary media uploaded with media/upload (wecom/media.js). */
		tempMedia: /** @type {TempMedia[]} */ ([]),
		/** sp_no sequence per China-time day, comment ids, media ids, generated template ids. */
		approvalCounters: {
			spNo: /** @type {Record<string, number>} */ ({}),
			comment: 0,
			media: 0,
			template: 0,
		},
	};
}

/** An integer given as a number or a string of digits (WeCom's JSON reader takes both). */
function intOf(/** @type {unknown} */ value) {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

/** The 301025 answer: "get approval param error[:what][, detail]". */
function approvalError(
	/** @type {RequestContext} */ ctx,
	/** @type {{ what?: string, detail?: string, wrongJson?: boolean }} */ problem,
) {
	const base = `${CODES.approvalParam.errmsg}${problem.what ? `:${problem.what}` : ''}`;
	return weComError(
		ctx,
		{
			errcode: CODES.approvalParam.errcode,
			errmsg: problem.wrongJson ? `${WRONG_JSON} ${base}` : base,
		},
		problem.detail,
	);
}

/**
 * The JSON object body, or the 40035 answer (an empty body counts as {}).
 * @returns {{ body: Record<string, any> } | { reply: import('../family').Reply }}
 */
function readBody(/** @type {RequestContext} */ ctx) {
	if (ctx.bodyInfo.kind === 'empty') return { body: /** @type {Record<string, any>} */ ({}) };
	if (!isPlainObject(ctx.body)) return { reply: weComError(ctx, CODES.badParameter, WRONG_JSON) };
	return { body: /** @type {Record<string, any>} */ (ctx.body) };
}

/** sp_no: the China-time date and a sequence per day, e.g. 202612010001 (B5 examples). */
function nextSpNo(/** @type {any} */ world, /** @type {number} */ nowMs) {
	const day = new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
	const counters = world.approvalCounters.spNo;
	counters[day] = (counters[day] ?? 0) + 1;
	return `${day}${String(counters[day]).padStart(4, '0')}`;
}

/** Appends the event of a change (the instance as it is now). */
function appendEvent(
	/** @type {any} */ world,
	/** @type {ApprovalInstance} */ instance,
	/** @type {number} */ statuChangeEvent,
	/** @type {number} */ nowMs,
) {
	const createTime = Math.floor(nowMs / 1000);
	/** @type {ApprovalEvent} */
	const event = {
		id: world.approvalEvents.length + 1,
		event: 'sys_approval_change',
		createTime,
		statuChangeEvent,
		spNo: instance.spNo,
		xml: approvalEventXml(instance, statuChangeEvent, createTime),
	};
	world.approvalEvents.push(event);
	return structuredClone(event);
}

/** An active (status 1) member of the corp, by userid (case-insensitive): the canonical spelling. */
function activeMember(
	/** @type {any} */ world,
	/** @type {string} */ corpId,
	/** @type {unknown} */ userid,
) {
	if (typeof userid !== 'string') return undefined;
	const user = corpIndex(world, corpId).byLowerId.get(userid.toLowerCase());
	return user && (user.status ?? 1) === 1 ? user : undefined;
}

/** Departments the app may see (settings.wecom.contactsScope, each with its subtree). */
function visibleDepartments(/** @type {RequestContext} */ ctx) {
	const index = corpIndex(ctx.env.state.wecom, ctx.app.corpId);
	return new Set(ctx.env.state.settings.wecom.contactsScope.flatMap((id) => subtreeIds(index, id)));
}

const templateOf = (
	/** @type {any} */ world,
	/** @type {string} */ corpId,
	/** @type {unknown} */ id,
) =>
	/** @type {ApprovalTemplate[]} */ (world.approvalTemplates).find(
		(template) => template.corpId === corpId && template.template_id === id,
	);

/** POST /cgi-bin/oa/gettemplatedetail {template_id} */
function getTemplateDetail(/** @type {RequestContext} */ ctx) {
	const read = readBody(ctx);
	if ('reply' in read) return read.reply;
	const template = templateOf(ctx.env.state.wecom, ctx.app.corpId, read.body.template_id);
	// Live answer for a wrong template_id: bare "get approval param error" with template_names: []
	// (https://developers.weixin.qq.com/community/personal/oCJUsw1ok4RjOzhrr5FjTWAxIcWA/answer).
	if (!template)
		return approvalError(ctx, {
			detail: `template_id ${JSON.stringify(read.body.template_id ?? null)} is not a template of this corp`,
		});
	return weComOk({
		template_names: structuredClone(template.template_names),
		template_content: structuredClone(template.template_content),
	});
}

/** A node of the flow with every approver waiting. @returns {ProcessNode} */
function approvalNode(
	/** @type {1|3} */ type,
	/** @type {number} */ attr,
	/** @type {number} */ apvRel,
	/** @type {string[]} */ userids,
) {
	return {
		type,
		attr,
		apvRel,
		spStatus: 1,
		details: userids.map((userid) => ({
			userid,
			speech: '',
			spStatus: 1,
			spTime: 0,
			mediaIds: [],
		})),
		userids: [],
	};
}

/** @returns {ProcessNode} */
const ccNode = (/** @type {string[]} */ userids) => ({
	type: 2,
	attr: 0,
	apvRel: 0,
	spStatus: 0,
	details: [],
	userids,
});

/**
 * The flow of a new application. `use_template_approver` 1: the template's (admin console) flow;
 * 0: `process.node_list` (doc since 2024-11, B17) when given, else the old `approver`/`notifyer`/
 * `notify_type` ("仅use_template_approver为0时生效", 91853 as in go-workwx docs/oa.md). Old `attr`:
 * 1 OR, 2 AND ("仅在节点为多人审批时有效", default 1). New nodes: `type` 1 approver, 2 cc, 3 handler;
 * `apv_rel` 1 AND (会签), 2 OR (或签), 3 one after another (依次审批) — unverified (B17: only
 * type 1 / apv_rel 1 are in the doc excerpt); the values follow an SDK's constants
 * (https://github.com/koderover/zadig/blob/main/pkg/tool/workwx/types.go: ApprovalRelAnd = 1,
 * ApprovalRelOr = 2, ApprovalTypeCC = 2) and a Python helper found by code search (repository not
 * identified): "1:审批人 2:抄送人 3:办理人 … 1-会签 2-或签 3-依次审批".
 * @returns {{ problem: { what: string, detail?: string } } | { source: ApprovalInstance['flowSource'], process: ProcessNode[], notifyType: number }}
 */
function readFlow(
	/** @type {Record<string, any>} */ body,
	/** @type {ApprovalTemplate} */ template,
	/** @type {number} */ useTemplate,
	/** @type {(userid: unknown) => string | undefined} */ member,
) {
	const unique = (/** @type {string[]} */ list) => [...new Set(list)];
	if (useTemplate === 1) {
		const process = template.approver.map((node) =>
			approvalNode(1, node.attr, node.attr === 2 ? 1 : 2, node.userid),
		);
		if (template.notifyer.length) process.push(ccNode([...template.notifyer]));
		return { source: 'template', process, notifyType: template.notify_type };
	}
	/** @returns {{ list: string[] } | { problem: { what: string, detail: string } }} */
	const users = (
		/** @type {unknown} */ list,
		/** @type {string} */ role,
		/** @type {string} */ at,
	) => {
		if (!Array.isArray(list) || list.length === 0)
			return {
				problem: {
					what: `invalid ${role} userid`,
					detail: `${at}.userid must be a non-empty array of userids`,
				},
			};
		/** @type {string[]} */
		const found = [];
		for (const userid of list) {
			const canonical = member(userid);
			if (!canonical)
				return {
					problem: {
						what: `invalid ${role} userid ${typeof userid === 'string' ? userid : JSON.stringify(userid)}`,
						detail: `${at}: not an active member of the corp`,
					},
				};
			found.push(canonical);
		}
		return { list: unique(found) };
	};
	if (body.process !== undefined && body.process !== null) {
		const nodes = isPlainObject(body.process) ? body.process.node_list : undefined;
		if (!Array.isArray(nodes) || nodes.length === 0)
			return {
				problem: {
					what: 'invalid process',
					detail: 'process.node_list must be a non-empty array of {type, apv_rel, userid}',
				},
			};
		/** @type {ProcessNode[]} */
		const process = [];
		for (const [n, node] of nodes.entries()) {
			const at = `process.node_list[${n}]`;
			const type = isPlainObject(node) ? intOf(node.type) : undefined;
			if (type !== 1 && type !== 2 && type !== 3)
				return {
					problem: {
						what: `invalid process node type ${JSON.stringify(isPlainObject(node) ? (node.type ?? null) : node)}`,
						detail: `${at}.type must be 1 (approver), 2 (cc) or 3 (handler)`,
					},
				};
			const found = users(node.userid, type === 2 ? 'notifyer' : 'approver', at);
			if ('problem' in found) return found;
			if (type === 2) {
				process.push(ccNode(found.list));
				continue;
			}
			const apvRel = intOf(node.apv_rel);
			if (apvRel !== 1 && apvRel !== 2 && apvRel !== 3)
				return {
					problem: {
						what: `invalid apv_rel ${JSON.stringify(node.apv_rel ?? null)}`,
						detail: `${at}.apv_rel must be 1 (AND), 2 (OR) or 3 (one after another)`,
					},
				};
			process.push(approvalNode(type, apvRel === 2 ? 1 : 2, apvRel, found.list));
		}
		if (!process.some((node) => node.type !== 2))
			return {
				problem: {
					what: 'approver is empty',
					detail: 'process.node_list has no approver node (type 1)',
				},
			};
		return { source: 'process', process, notifyType: 1 };
	}
	if (!Array.isArray(body.approver) || body.approver.length === 0)
		return {
			problem: {
				what: 'approver is empty',
				detail: 'use_template_approver 0 needs approver (or process.node_list)',
			},
		};
	/** @type {ProcessNode[]} */
	const process = [];
	for (const [n, node] of body.approver.entries()) {
		const at = `approver[${n}]`;
		const attr = isPlainObject(node) ? (node.attr === undefined ? 1 : intOf(node.attr)) : undefined;
		if (attr !== 1 && attr !== 2)
			return {
				problem: {
					what: `invalid approver attr ${JSON.stringify(isPlainObject(node) ? (node.attr ?? null) : node)}`,
					detail: `${at}.attr must be 1 (OR) or 2 (AND)`,
				},
			};
		const found = users(node.userid, 'approver', at);
		if ('problem' in found) return found;
		process.push(approvalNode(1, attr, attr === 2 ? 1 : 2, found.list));
	}
	const notifyer = body.notifyer ?? [];
	if (!Array.isArray(notifyer))
		return {
			problem: { what: 'invalid notifyer', detail: 'notifyer must be an array of userids' },
		};
	if (notifyer.length) {
		const found = users(notifyer, 'notifyer', 'notifyer');
		if ('problem' in found) return found;
		process.push(ccNode(found.list));
	}
	const notifyType =
		body.notify_type === undefined || body.notify_type === null ? 1 : intOf(body.notify_type);
	if (notifyType !== 1 && notifyType !== 2 && notifyType !== 3)
		return {
			problem: {
				what: `invalid notify_type ${JSON.stringify(body.notify_type)}`,
				detail: 'notify_type must be 1, 2 or 3',
			},
		};
	return { source: 'approver', process, notifyType };
}

/** summary_list: at most 3 lines ("最多3行"), each {summary_info: [{text, lang}]}. Optional here. */
function summaryProblem(/** @type {unknown} */ summary) {
	if (summary === undefined || summary === null) return undefined;
	if (!Array.isArray(summary))
		return {
			what: 'invalid summary_list',
			detail: 'summary_list must be an array of {summary_info: [{text, lang}]}',
		};
	if (summary.length > SUMMARY_MAX_LINES)
		return {
			what: 'invalid summary_list',
			detail: `summary_list has ${summary.length} lines, at most ${SUMMARY_MAX_LINES}`,
		};
	for (const line of summary) {
		const info = isPlainObject(line) ? line.summary_info : undefined;
		if (
			!Array.isArray(info) ||
			info.length === 0 ||
			info.some((item) => !isPlainObject(item) || typeof item.text !== 'string')
		)
			return {
				what: 'invalid summary_list',
				detail: 'each line must be {summary_info: [{text, lang}]}',
			};
	}
	return undefined;
}

/**
 * POST /cgi-bin/oa/applyevent. Checks, in this order (each refusal 301025):
 * template_id of the corp → creator_userid an active member within the app's visible range
 * (settings.wecom.contactsScope; "申请人需在应用可见范围内") → use_template_approver 0|1 (default 0)
 * → the flow (readFlow) → choose_department one of the creator's (default the main department:
 * "不填默认为主部门") → apply_data (wecom/approvalForm.js) → summary_list.
 */
function applyEvent(/** @type {RequestContext} */ ctx) {
	const read = readBody(ctx);
	if ('reply' in read) return read.reply;
	const { body } = read;
	const world = /** @type {any} */ (ctx.env.state.wecom);
	const corpId = ctx.app.corpId;

	const template = templateOf(world, corpId, body.template_id);
	if (!template)
		return approvalError(ctx, {
			what: `invalid template_id ${typeof body.template_id === 'string' ? body.template_id : ''}`.trim(),
			detail: 'not a template of this corp (see gettemplatedetail)',
		});

	// Observed: "get approval param error:creator_userid not in app visiable range"
	// (https://developers.weixin.qq.com/community/personal/oCJUsw1-8lehcJ_mF6HpAGphTQek/question).
	const creator = activeMember(world, corpId, body.creator_userid);
	const visible = visibleDepartments(ctx);
	if (!creator || !creator.department.some((/** @type {number} */ id) => visible.has(id)))
		return approvalError(ctx, {
			what: 'creator_userid not in app visiable range',
			detail: `${JSON.stringify(body.creator_userid ?? null)} is not an active member the app can see`,
		});

	const useTemplate =
		body.use_template_approver === undefined || body.use_template_approver === null
			? 0
			: intOf(body.use_template_approver);
	if (useTemplate !== 0 && useTemplate !== 1)
		return approvalError(ctx, {
			what: 'invalid use_template_approver',
			detail: "use_template_approver must be 0 (approvers given here) or 1 (the template's flow)",
		});
	const flow = readFlow(
		body,
		template,
		useTemplate,
		(userid) => activeMember(world, corpId, userid)?.userid,
	);
	if ('problem' in flow) return approvalError(ctx, flow.problem);

	let party = creator.main_department ?? creator.department[0];
	if (
		body.choose_department !== undefined &&
		body.choose_department !== null &&
		body.choose_department !== ''
	) {
		const chosen = intOf(body.choose_department);
		if (chosen === undefined || !creator.department.includes(chosen))
			return approvalError(ctx, {
				what: `invalid choose_department ${body.choose_department}`,
				detail: `${creator.userid} belongs to ${creator.department.join(', ')}`,
			});
		party = chosen;
	}

	const index = corpIndex(world, corpId);
	const now = ctx.env.clock.now();
	const form = checkApplyData(template.template_content.controls, body.apply_data, {
		isActiveMember: (userid) => activeMember(world, corpId, userid) !== undefined,
		isDepartment: (id) => index.byDeptId.has(id),
		isUsableMedia: (mediaId) => usableMedia(world, corpId, mediaId, now) !== undefined,
	});
	if ('problem' in form) return approvalError(ctx, form.problem);
	const summary = summaryProblem(body.summary_list);
	if (summary) return approvalError(ctx, summary);

	/** @type {ApprovalInstance} */
	const instance = {
		spNo: nextSpNo(world, now),
		corpId,
		agentId: ctx.app.agentId,
		templateId: template.template_id,
		spName: templateName(template),
		spStatus: 1,
		applyTime: Math.floor(now / 1000),
		applyer: { userid: creator.userid, partyid: String(party) },
		flowSource: flow.source,
		process: flow.process,
		notifyType: flow.notifyType,
		contents: form.contents,
		summaryList: structuredClone(body.summary_list ?? []),
		comments: [],
		attachments: form.attachments,
	};
	world.approvalInstances.push(instance);
	appendEvent(world, instance, 1, now);
	return weComOk({ sp_no: instance.spNo });
}

/**
 * getapprovaldetail `info` (field list of B5, WxJava WxCpApprovalDetailResult), plus
 * `process_list` ("流程信息列表（2024年新增）", https://github.com/xen0n/go-workwx/blob/develop/docs/oa.md):
 * approval nodes `{node_type, sp_status, apv_rel, sub_node_list[{userid, speech, sp_yj, sptime, media_ids}]}`,
 * cc nodes `{node_type: 2, sub_node_list[{userid, media_ids}]}` (layout of a live answer quoted in
 * a WxJava-based test; `sp_yj` = the approver's status here, an emulator choice).
 */
function renderDetail(/** @type {ApprovalInstance} */ instance) {
	const approvalNodes = instance.process.filter((node) => node.type !== 2);
	return {
		sp_no: instance.spNo,
		sp_name: instance.spName,
		sp_status: instance.spStatus,
		template_id: instance.templateId,
		apply_time: instance.applyTime,
		applyer: { ...instance.applyer },
		sp_record: approvalNodes.map((node) => ({
			sp_status: node.spStatus,
			approverattr: node.attr,
			details: node.details.map((detail) => ({
				approver: { userid: detail.userid },
				speech: detail.speech,
				sp_status: detail.spStatus,
				sptime: detail.spTime,
				media_id: [...detail.mediaIds],
			})),
		})),
		notifyer: notifyersOf(instance).map((userid) => ({ userid })),
		apply_data: { contents: structuredClone(instance.contents) },
		comments: instance.comments.map((comment) => ({
			commentUserInfo: { userid: comment.userid },
			commenttime: comment.time,
			commentcontent: comment.content,
			commentid: comment.id,
			media_id: [...comment.mediaIds],
		})),
		process_list: {
			node_list: instance.process.map((node) =>
				node.type === 2
					? {
							node_type: 2,
							sub_node_list: node.userids.map((userid) => ({ userid, media_ids: [] })),
						}
					: {
							node_type: node.type,
							sp_status: node.spStatus,
							apv_rel: node.apvRel,
							sub_node_list: node.details.map((detail) => ({
								userid: detail.userid,
								speech: detail.speech,
								sp_yj: detail.spStatus,
								sptime: detail.spTime,
								media_ids: [...detail.mediaIds],
							})),
						},
			),
		},
	};
}

/** POST /cgi-bin/oa/getapprovaldetail {sp_no} (string or number). */
function getApprovalDetail(/** @type {RequestContext} */ ctx) {
	const read = readBody(ctx);
	if ('reply' in read) return read.reply;
	const spNo = read.body.sp_no;
	const instance =
		typeof spNo === 'string' || typeof spNo === 'number'
			? /** @type {ApprovalInstance[]} */ (
					/** @type {any} */ (ctx.env.state.wecom).approvalInstances
				).find((item) => item.corpId === ctx.app.corpId && item.spNo === String(spNo).trim())
			: undefined;
	if (!instance)
		return approvalError(ctx, {
			what: `invalid sp_no ${spNo === undefined || spNo === null ? '' : String(spNo)}`.trim(),
			detail: 'no application of this corp has that sp_no',
		});
	return weComOk({ info: renderDetail(instance) });
}

/** new_cursor: opaque text the emulator hands out (the offset inside). */
const encodeCursor = (/** @type {number} */ offset) =>
	Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');
function decodeCursor(/** @type {string} */ cursor) {
	const text = Buffer.from(cursor, 'base64url').toString('utf8');
	if (!text.startsWith(CURSOR_PREFIX)) return undefined;
	const offset = intOf(text.slice(CURSOR_PREFIX.length));
	return offset !== undefined && offset >= 0 ? offset : undefined;
}

/**
 * POST /cgi-bin/oa/getapprovalinfo {starttime, endtime, new_cursor | cursor, size, filters}
 * → {sp_no_list, new_next_cursor} (and `next_cursor` when the old numeric `cursor` was used).
 * Rules (B17, 91816 as quoted in https://hexdocs.pm/wechat_sdk/WeChat.Work.OA.Approval.html):
 * starttime/endtime Unix seconds (numbers or strings), endtime > starttime, span ≤ 31 days, else
 * "invalid starttime or endtime" (observed wording, also for millisecond times:
 * https://developers.weixin.qq.com/community/personal/oCJUsw1GSBcvhlaCB6PgS_OfYYUA/question);
 * size 1…100, default 100 (0 counts as absent); applications of the caller's corp whose apply_time
 * lies in [starttime, endtime] and whose applicant the app can see ("仅允许获取在应用可见范围内申请人
 * 提交的表单"), by apply_time then sp_no. Filters: different keys AND, the same key OR, and only
 * `department` may be repeated ("仅“部门”支持同时配置多个筛选条件"); department = the applicant's
 * party (`choose_department`), record_type = the template's `record_type` (emulator addition).
 * `new_next_cursor` is "" on the last page.
 */
function getApprovalInfo(/** @type {RequestContext} */ ctx) {
	const read = readBody(ctx);
	if ('reply' in read) return read.reply;
	const { body } = read;
	const world = /** @type {any} */ (ctx.env.state.wecom);
	const start = intOf(body.starttime);
	const end = intOf(body.endtime);
	const badTimes = (/** @type {string} */ detail) =>
		approvalError(ctx, { what: 'invalid starttime or endtime', detail });
	if (start === undefined || end === undefined || start < 0 || end < 0)
		return badTimes('starttime and endtime must be Unix seconds');
	if (start > 9_999_999_999 || end > 9_999_999_999)
		return badTimes('starttime and endtime look like milliseconds; give seconds');
	if (end <= start) return badTimes('endtime must be later than starttime');
	if (end - start > SPAN_MAX_S) return badTimes('the span may be at most 31 days');

	let size = body.size === undefined || body.size === null ? 0 : intOf(body.size);
	if (size === undefined || size < 0 || size > PAGE_MAX)
		return approvalError(ctx, { what: 'invalid size', detail: `size must be 1 to ${PAGE_MAX}` });
	if (size === 0) size = PAGE_MAX;

	// new_cursor "" (WxJava's first call) or "0" (the old default) starts at the beginning.
	const newCursor = body.new_cursor ?? '';
	const startsOver = newCursor === '' || newCursor === '0' || newCursor === 0;
	const oldCursor = startsOver && body.cursor !== undefined && body.cursor !== null;
	let offset = 0;
	if (!startsOver) {
		const decoded = typeof newCursor === 'string' ? decodeCursor(newCursor) : undefined;
		if (decoded === undefined)
			return approvalError(ctx, {
				what: 'invalid new_cursor',
				detail: 'new_cursor must be the new_next_cursor of the last answer',
			});
		offset = decoded;
	} else if (oldCursor) {
		const decoded = intOf(body.cursor);
		if (decoded === undefined || decoded < 0)
			return approvalError(ctx, {
				what: 'invalid cursor',
				detail: 'cursor must be a non-negative number',
			});
		offset = decoded;
	}

	/** @type {Map<string, string[]>} */
	const filters = new Map();
	if (body.filters !== undefined && body.filters !== null) {
		if (!Array.isArray(body.filters))
			return approvalError(ctx, {
				what: 'invalid filters',
				detail: 'filters must be an array of {key, value}',
			});
		for (const filter of body.filters) {
			const key = isPlainObject(filter) ? filter.key : undefined;
			if (typeof key !== 'string' || !FILTER_KEYS.includes(key))
				return approvalError(ctx, {
					what: `invalid filter key ${typeof key === 'string' ? key : ''}`.trim(),
					detail: `key must be one of ${FILTER_KEYS.join(', ')}`,
				});
			const value = filter.value;
			if (typeof value !== 'string' && typeof value !== 'number')
				return approvalError(ctx, {
					what: `invalid filter value`,
					detail: `the ${key} filter needs a value`,
				});
			if (filters.has(key) && key !== 'department')
				return approvalError(ctx, {
					what: `invalid filter key ${key}`,
					detail: 'only department may be given more than once',
				});
			filters.set(key, [...(filters.get(key) ?? []), String(value).trim()]);
		}
	}

	const visible = visibleDepartments(ctx);
	const index = corpIndex(world, ctx.app.corpId);
	/** @type {ApprovalTemplate[]} */
	const templates = world.approvalTemplates;
	const matches = (/** @type {string} */ key, /** @type {(value: string) => boolean} */ test) =>
		!filters.has(key) || /** @type {string[]} */ (filters.get(key)).some(test);
	const list = /** @type {ApprovalInstance[]} */ (world.approvalInstances)
		.filter(
			(item) => item.corpId === ctx.app.corpId && item.applyTime >= start && item.applyTime <= end,
		)
		.filter((item) => {
			const applicant = index.byLowerId.get(item.applyer.userid.toLowerCase());
			return applicant?.department.some((id) => visible.has(id)) ?? false;
		})
		.filter(
			(item) =>
				matches('template_id', (value) => value === item.templateId) &&
				matches('creator', (value) => value.toLowerCase() === item.applyer.userid.toLowerCase()) &&
				matches('department', (value) => value === item.applyer.partyid) &&
				matches('sp_status', (value) => Number(value) === item.spStatus) &&
				matches(
					'record_type',
					(value) =>
						Number(value) ===
						templates.find((template) => template.template_id === item.templateId)?.record_type,
				),
		)
		.sort((a, b) => a.applyTime - b.applyTime || a.spNo.localeCompare(b.spNo));
	const page = list.slice(offset, offset + size);
	const next = offset + page.length;
	const more = next < list.length;
	return weComOk({
		sp_no_list: page.map((item) => item.spNo),
		new_next_cursor: more ? encodeCursor(next) : '',
		...(oldCursor ? { next_cursor: more ? next : 0 } : {}),
	});
}

/** API routes, spread into the platform's family routes (token checked by the family). @type {import('../family').Route[]} */
const APPROVAL_ROUTES = [
	{ method: 'POST', path: '/cgi-bin/oa/gettemplatedetail', handler: getTemplateDetail },
	{ method: 'POST', path: '/cgi-bin/oa/applyevent', handler: applyEvent },
	{ method: 'POST', path: '/cgi-bin/oa/getapprovaldetail', handler: getApprovalDetail },
	{ method: 'POST', path: '/cgi-bin/oa/getapprovalinfo', handler: getApprovalInfo },
	...MEDIA_ROUTES,
];

const ACTIONS = ['approve', 'reject', 'redirect', 'comment', 'urge'];

/** The approvers of the current node who may act now (one at a time in an apv_rel 3 node). */
function actionable(/** @type {ProcessNode} */ node) {
	const waiting = node.details.filter((detail) => detail.spStatus === 1);
	return node.apvRel === 3 ? waiting.slice(0, 1) : waiting;
}

/** The node waiting for approval, if the application is in review. */
const currentNode = (/** @type {ApprovalInstance} */ instance) =>
	instance.spStatus === 1
		? instance.process.find((node) => node.type !== 2 && node.spStatus === 1)
		: undefined;

/**
 * The programmatic controls (`emu.wecom.approvals`), over the live state.
 * @param {() => any} state the platform state (read anew on every call: reset() replaces it)
 * @param {{ clock: { now(): number } }} env
 */
function approvalControls(state, env) {
	/** @returns {ApprovalInstance} */
	const find = (/** @type {unknown} */ spNo) => {
		const instance = /** @type {ApprovalInstance[]} */ (state().approvalInstances).find(
			(item) => item.spNo === String(spNo ?? ''),
		);
		if (!instance)
			throw new EmulatorInputError(`no WeCom application with sp_no ${String(spNo)}`, 404);
		return instance;
	};
	/** A member of the application's corp (any status), canonical spelling. */
	const memberOf = (
		/** @type {ApprovalInstance} */ instance,
		/** @type {unknown} */ userid,
		/** @type {string} */ role,
	) => {
		if (typeof userid !== 'string' || !userid)
			throw new EmulatorInputError(`${role} must be a userid`);
		const user = corpIndex(state(), instance.corpId).byLowerId.get(userid.toLowerCase());
		if (!user) throw new EmulatorInputError(`${userid} is not a member of ${instance.corpId}`, 404);
		return /** @type {string} */ (user.userid);
	};
	const snapshot = (/** @type {ApprovalInstance} */ instance) => structuredClone(instance);

	return {
		/** Templates of every corp, with their admin-console flow. */
		templates: () => structuredClone(/** @type {ApprovalTemplate[]} */ (state().approvalTemplates)),
		/** Adds a template: { template_id?, corpId?, template_names, template_content: {controls}, approver, notifyer?, notify_type?, record_type? }. */
		addTemplate: (/** @type {unknown} */ template) => addTemplate(state(), template),
		/** Applications, oldest first. */
		instances: () => structuredClone(/** @type {ApprovalInstance[]} */ (state().approvalInstances)),
		/** One application by sp_no. @param {string} spNo */
		instance: (spNo) => snapshot(find(spNo)),
		/** sys_approval_change events, oldest first; `spNo` filters. @param {string} [spNo] */
		events: (spNo) =>
			structuredClone(
				/** @type {ApprovalEvent[]} */ (state().approvalEvents).filter(
					(event) => spNo === undefined || event.spNo === String(spNo),
				),
			),
		/** Temporary media uploaded with media/upload, oldest first. */
		media: () => structuredClone(/** @type {TempMedia[]} */ (state().tempMedia)),
		/**
		 * Someone acts in the WeCom app: `approve` / `reject` / `redirect` (转审, to `toUserId`) by a
		 * waiting approver of the current node, `comment` (备注) by any member, `urge` (催办) by the
		 * applicant. OR-sign nodes (attr 1) finish with one approval, AND-sign nodes (attr 2) need all;
		 * apv_rel 3 nodes take their approvers one after another. Returns { instance, event }.
		 * @param {string} spNo
		 * @param {{ userId: string, action: 'approve'|'reject'|'redirect'|'comment'|'urge', speech?: string, toUserId?: string, mediaIds?: string[] }} input
		 */
		act(spNo, input) {
			const instance = find(spNo);
			if (!isPlainObject(input))
				throw new EmulatorInputError('act needs {userId, action, speech?, toUserId?, mediaIds?}');
			const { action } = input;
			if (typeof action !== 'string' || !ACTIONS.includes(action))
				throw new EmulatorInputError(
					`action must be one of ${ACTIONS.join(', ')}, got ${JSON.stringify(action ?? null)}`,
				);
			const userid = memberOf(instance, input.userId, 'userId');
			const speech = input.speech ?? '';
			if (typeof speech !== 'string') throw new EmulatorInputError('speech must be a string');
			const mediaIds = input.mediaIds ?? [];
			if (!Array.isArray(mediaIds) || mediaIds.some((id) => typeof id !== 'string' || !id))
				throw new EmulatorInputError('mediaIds must be an array of media_ids');
			const world = state();
			const now = env.clock.now();
			const seconds = Math.floor(now / 1000);

			if (action === 'comment') {
				if (!speech.trim() && mediaIds.length === 0)
					throw new EmulatorInputError('a comment needs speech (its text) or mediaIds');
				world.approvalCounters.comment += 1;
				instance.comments.push({
					userid,
					time: seconds,
					content: speech,
					// Comment ids are long digit strings in the doc samples.
					id: `67${String(1_000_000_000_000_000 + world.approvalCounters.comment * 7919).padStart(17, '0')}`,
					mediaIds: [...mediaIds],
				});
				return { instance: snapshot(instance), event: appendEvent(world, instance, 10, now) };
			}
			if (instance.spStatus !== 1)
				throw new EmulatorInputError(
					`application ${instance.spNo} is not in review (sp_status ${instance.spStatus})`,
					409,
				);
			if (action === 'urge') {
				if (userid !== instance.applyer.userid)
					throw new EmulatorInputError(
						`only the applicant ${instance.applyer.userid} can urge`,
						409,
					);
				return { instance: snapshot(instance), event: appendEvent(world, instance, 5, now) };
			}
			const node = /** @type {ProcessNode} */ (currentNode(instance));
			const detail = actionable(node).find((item) => item.userid === userid);
			if (!detail)
				throw new EmulatorInputError(
					`${userid} is not a waiting approver of the current node (waiting: ${actionable(node)
						.map((item) => item.userid)
						.join(', ')})`,
					409,
				);
			detail.speech = speech;
			detail.spTime = seconds;
			detail.mediaIds = [...mediaIds];
			if (action === 'reject') {
				detail.spStatus = 3;
				node.spStatus = 3;
				instance.spStatus = 3;
				return { instance: snapshot(instance), event: appendEvent(world, instance, 3, now) };
			}
			if (action === 'redirect') {
				const target = memberOf(instance, input.toUserId, 'toUserId');
				if (!activeMember(world, instance.corpId, target))
					throw new EmulatorInputError(`${target} is not an active member`, 409);
				if (node.details.some((item) => item.userid === target && item.spStatus === 1))
					throw new EmulatorInputError(`${target} is already waiting in this node`, 409);
				detail.spStatus = 4;
				node.details.splice(node.details.indexOf(detail) + 1, 0, {
					userid: target,
					speech: '',
					spStatus: 1,
					spTime: 0,
					mediaIds: [],
				});
				return { instance: snapshot(instance), event: appendEvent(world, instance, 4, now) };
			}
			detail.spStatus = 2;
			const done =
				node.apvRel === 2 ||
				node.details.every((item) => item.spStatus === 2 || item.spStatus === 4);
			if (done) {
				node.spStatus = 2;
				if (!currentNode(instance)) instance.spStatus = 2;
			}
			return { instance: snapshot(instance), event: appendEvent(world, instance, 2, now) };
		},
		/**
		 * The applicant withdraws (撤销): in review → 4 (event 6), approved → 6 "withdrawn after
		 * approval" (event 8). Returns { instance, event }.
		 * @param {string} spNo
		 */
		withdraw(spNo) {
			const instance = find(spNo);
			const world = state();
			const now = env.clock.now();
			if (instance.spStatus === 1) {
				instance.spStatus = 4;
				return { instance: snapshot(instance), event: appendEvent(world, instance, 6, now) };
			}
			if (instance.spStatus === 2) {
				instance.spStatus = 6;
				return { instance: snapshot(instance), event: appendEvent(world, instance, 8, now) };
			}
			throw new EmulatorInputError(
				`application ${instance.spNo} can be withdrawn only in review or approved (sp_status ${instance.spStatus})`,
				409,
			);
		},
	};
}

/** Control-API routes, spread into control.js ROUTES. @type {import('../control').ControlRoute[]} */
const WECOM_APPROVAL_CONTROL_ROUTES = [
	{
		method: 'GET',
		path: '/wecom/approvals/templates',
		summary: 'WeCom approval templates (form + admin-console flow)',
		handler: (emu) => ({ templates: emu.wecom.approvals.templates() }),
	},
	{
		method: 'POST',
		path: '/wecom/approvals/templates',
		summary:
			'{template_id?, template_names, template_content: {controls}, approver, notifyer?, …}: add a template',
		handler: (emu, { body }) => emu.wecom.approvals.addTemplate(body),
	},
	{
		method: 'GET',
		path: '/wecom/approvals/instances',
		summary: 'WeCom applications (审批单)',
		handler: (emu) => ({ instances: emu.wecom.approvals.instances() }),
	},
	{
		method: 'GET',
		path: '/wecom/approvals/instances/:spNo',
		summary: 'one WeCom application',
		handler: (emu, { params }) => emu.wecom.approvals.instance(params.spNo),
	},
	{
		method: 'POST',
		path: '/wecom/approvals/instances/:spNo/act',
		summary:
			'{userId, action: approve|reject|redirect|comment|urge, speech?, toUserId?, mediaIds?}',
		handler: (emu, { params, body }) => emu.wecom.approvals.act(params.spNo, body),
	},
	{
		method: 'POST',
		path: '/wecom/approvals/instances/:spNo/withdraw',
		summary: 'the applicant withdraws the application',
		handler: (emu, { params }) => emu.wecom.approvals.withdraw(params.spNo),
	},
	{
		method: 'GET',
		path: '/wecom/approvals/events',
		summary: 'sys_approval_change events with their XML; ?spNo=',
		handler: (emu, { query }) => ({ events: emu.wecom.approvals.events(query.spNo) }),
	},
	{
		method: 'GET',
		path: '/wecom/approvals/media',
		summary: 'temporary media uploaded with media/upload',
		handler: (emu) => ({ media: emu.wecom.approvals.media() }),
	},
];

module.exports = {
	createApprovalState,
	APPROVAL_ROUTES,
	WECOM_APPROVAL_CONTROL_ROUTES,
	approvalControls,
};
