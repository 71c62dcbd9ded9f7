// @ts-check
'use strict';

/**
 * The contract between the shared server and a platform. A platform contributes one "family" per
 * base URL (DingTalk: old API `oapi` and new API `api`; WeCom: `qyapi`). The server does the common
 * work (recording, faults, routing, auth order, quotas) and asks the family only for what differs:
 * how a token is read and checked, what its errors look like, and the route handlers.
 *
 * @typedef {object} Reply
 * @property {number} [status]                 HTTP status, default 200
 * @property {unknown} body                    object → JSON; string → text (Content-Type from headers, default text/plain)
 * @property {Record<string, string>} [headers]
 *
 * @typedef {object} Env                       what handlers may use
 * @property {import('./state').EmulatorState} state   current in-memory state (replaced by reset)
 * @property {import('./clock').Clock} clock
 * @property {import('./ids').IdSource} ids
 * @property {import('./tokens').TokenStore} tokens
 *
 * @typedef {object} RequestContext
 * @property {'dingtalk'|'wecom'} platform
 * @property {'oapi'|'api'|'qyapi'} family
 * @property {string} method                   upper case
 * @property {string} path                     platform path, e.g. /topapi/message/corpconversation/asyncsend_v2
 * @property {Record<string, string>} query
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {import('./body').ParsedBody} bodyInfo
 * @property {any} body                        parsed body value (object for JSON, form and multipart)
 * @property {Record<string, string>} params   `:name` segments of the route path
 * @property {string} remoteAddress
 * @property {Env} env
 * @property {any} [app]                       the app whose token authenticated the call
 * @property {string} [appId]                  its quota key: DingTalk appKey, WeCom corpId
 * @property {string} [requestId]              memo for DingTalk request ids (one per request)
 *
 * @typedef {object} Route
 * @property {string} method
 * @property {string} path
 * @property {boolean} [public]                true: no app token (token endpoints; robots use their own keys)
 * @property {(ctx: RequestContext) => Reply} handler
 *
 * @typedef {{ app: any, appId: string } | { reply: Reply }} AuthResult
 *
 * @typedef {object} Family
 * @property {'dingtalk'|'wecom'} platform
 * @property {'oapi'|'api'|'qyapi'} name
 * @property {string} prefix                   emulator base path, e.g. /dingtalk/oapi
 * @property {Route[]} routes
 * @property {(ctx: RequestContext) => boolean} authBeforeRouting  false: an unknown path is answered before the token is looked at
 * @property {(ctx: RequestContext) => AuthResult} authenticate
 * @property {(ctx: RequestContext) => Reply | undefined} checkBody   content-type / malformed-JSON refusals
 * @property {(ctx: RequestContext, reason: 'invalid'|'expired'|'missing') => Reply} tokenError
 * @property {(ctx: RequestContext, window: 'second'|'minute') => Reply} rateLimited
 * @property {(ctx: RequestContext) => Reply} unknownPath
 * @property {(ctx: RequestContext, spec: import('./faults').FaultSpec) => Reply} customError  the `errcode` fault
 */

module.exports = {};
