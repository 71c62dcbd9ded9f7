import { classifyErrcodeAnswer, classifyHttpCodeAnswer } from '../../shared/platform/classify';
import { APPROVAL_HINTS, approvalHint } from './approvals';
import { CONTACTS_PERMISSIONS, CONTACTS_RANGE_PAGE, PERMISSION_PAGE } from './contacts';
import type {
	CallOutcome,
	FetchedToken,
	PlatformErrorDetails,
	PlatformProfile,
} from '../../shared/platform/types';

/**
 * Errcodes of the old API; 88 is decided by its sub_code.
 * https://open.dingtalk.com/document/development/server-api-error-codes-1
 */
const OAPI_CODES = {
	token: [40014, 42001, 40001],
	rateLimit: [90018, 90002, 90006],
	busy: [-1],
};

const PERMISSION =
	"The app lacks the permission this API needs. In the DingTalk Developer Console open the app → Permission Management (权限管理), apply for the API's permission, then run again.";
const IP_WHITELIST =
	"The n8n server's public IP is not in the app's whitelist. Add it in the DingTalk Developer Console → the app → Development Configuration → Server Egress IP.";
const RATE_LIMIT =
	'DingTalk limits calls per app and API (20 per second on standard-edition organisations). If other systems or n8n workers use the same app, lower "Quota per API" in the credential so they share it, or lower Concurrent Calls in the node\'s Throughput options.';
const MONTHLY_QUOTA =
	"The organisation's monthly API quota is used up (standard edition: 5000 calls a month). Upgrade the DingTalk edition or wait for next month.";
const CREDENTIALS =
	'Copy the Client ID (AppKey) and Client Secret (AppSecret) again from the DingTalk Developer Console → the app → Credentials & Basic Info.';

const HINTS: Record<string, string> = {
	...APPROVAL_HINTS,
	'33012':
		'A user ID is not a valid DingTalk userid. Use the userid from DingTalk contacts (not a mobile number, unionid or name).',
	'60121':
		'No user of this organisation matches. Check the userid, mobile number or union ID (a mobile number as the contacts store it, without spaces).',
	'60003': 'The department does not exist. Check the department ID (the root department is 1).',
	'50004': `The department is outside the app's contacts range. Pick one inside it, or widen the range in ${CONTACTS_RANGE_PAGE}.`,
	'50002': `The user is outside the app's contacts range. Widen the range in ${CONTACTS_RANGE_PAGE}.`,
	'40104':
		'DingTalk does not accept this mobile number. Enter it as the contacts store it, e.g. 13800000001.',
	'60011': PERMISSION,
	'Forbidden.AccessDenied.AccessTokenPermissionDenied': PERMISSION,
	'60020': IP_WHITELIST,
	'Forbidden.AccessDenied.IpNotInWhiteList': IP_WHITELIST,
	'90018': RATE_LIMIT,
	'90002': RATE_LIMIT,
	'90006': RATE_LIMIT,
	'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi': RATE_LIMIT,
	'Forbidden.AccessDenied.QpsLimitForApi': RATE_LIMIT,
	'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi': RATE_LIMIT,
	'90020': MONTHLY_QUOTA,
	'Forbidden.AccessDenied.ApiCountLimitForOrg': MONTHLY_QUOTA,
	'40035':
		'A required parameter is missing or has a wrong value. Check the fields of this operation (IDs, agent ID, message content).',
	'400002':
		'The task ID or the agent ID is wrong, or the message is older than 24 hours: DingTalk recalls work notifications only within 24 hours.',
	'40096': CREDENTIALS,
	'40089': CREDENTIALS,
	invalidClientIdOrSecret: CREDENTIALS,
	'43004': 'DingTalk expects a JSON body with Content-Type application/json.',
	'-1': 'DingTalk was busy and stayed busy after several retries. Run the item again later.',
	IP_BANNED:
		'DingTalk banned the calling IP for about 5 minutes after more than 10,000 calls in 20 seconds. Wait, then spread the calls out.',
};

const PERMISSION_CODES = ['60011', 'Forbidden.AccessDenied.AccessTokenPermissionDenied'];

function dingTalkHint(
	details: PlatformErrorDetails,
	request?: { family: string; path: string },
): string | undefined {
	const code = details.subCode ?? String(details.errcode ?? '');
	// DingTalk names the missing permission in its message ("…[qyapi_get_member]…"); that wins over
	// our table of what each path needs.
	const named = /\[(qyapi_[a-z_]+)\]/.exec(details.subMsg ?? details.errmsg ?? '')?.[1];
	const contactsPermission =
		(named &&
			(Object.values(CONTACTS_PERMISSIONS).find((label) => label.includes(`${named})`)) ??
				named)) ||
		(request && CONTACTS_PERMISSIONS[request.path]);
	if (contactsPermission && PERMISSION_CODES.includes(code)) {
		return `The app lacks the contacts permission "${contactsPermission}". Apply for it in ${PERMISSION_PAGE}, then run again.`;
	}
	const byCall =
		request && approvalHint(code, details.subMsg ?? details.errmsg ?? '', request.path);
	if (byCall) return byCall;
	if (details.subCode && HINTS[details.subCode]) return HINTS[details.subCode];
	if (details.errcode !== undefined && HINTS[String(details.errcode)])
		return HINTS[String(details.errcode)];
	return undefined;
}

function parseDingTalkToken(httpStatus: number, body: unknown): FetchedToken | CallOutcome {
	const record = (body ?? {}) as Record<string, unknown>;
	if (httpStatus === 200 && typeof record.accessToken === 'string' && record.accessToken) {
		return { token: record.accessToken, expiresInSeconds: Number(record.expireIn ?? 7200) };
	}
	const outcome = classifyHttpCodeAnswer(httpStatus, body);
	if (outcome.kind === 'failed' && httpStatus >= 400 && httpStatus < 500) {
		return { kind: 'credentialsRejected', details: outcome.details };
	}
	return outcome;
}

export const dingTalkProfile: PlatformProfile = {
	name: 'DingTalk',
	credentialType: 'dingTalkApi',
	families: {
		oapi: {
			id: 'oapi',
			label: 'the old API (oapi.dingtalk.com)',
			defaultBaseUrl: 'https://oapi.dingtalk.com',
			baseUrlField: 'oapiBaseUrl',
			baseUrlLabel: 'Old API Base URL',
			token: { in: 'query', name: 'access_token' },
			classify: (status, body) => classifyErrcodeAnswer(status, body, OAPI_CODES),
		},
		api: {
			id: 'api',
			label: 'the new API (api.dingtalk.com)',
			defaultBaseUrl: 'https://api.dingtalk.com',
			baseUrlField: 'apiBaseUrl',
			baseUrlLabel: 'New API Base URL',
			token: { in: 'header', name: 'x-acs-dingtalk-access-token' },
			pathPrefixes: ['/v1.0/', '/v2.0/'],
			classify: classifyHttpCodeAnswer,
		},
	},
	appIdField: 'appKey',
	secretField: 'appSecret',
	requiredCredentialFields: [
		{ name: 'appKey', displayName: 'Client ID (AppKey)' },
		{ name: 'appSecret', displayName: 'Client Secret (AppSecret)' },
	],
	tokenCredentialsLabel: 'the Client ID (AppKey) and Client Secret (AppSecret)',
	// The new token endpoint takes the secret in a JSON body, keeping it out of URLs and logs; its
	// token also works on the old API.
	// https://open.dingtalk.com/document/development/obtain-the-access-token-of-an-internal-app
	tokenEndpoint: {
		family: 'api',
		method: 'POST',
		path: '/v1.0/oauth2/accessToken',
		body: { appKey: 'appKey', appSecret: 'appSecret' },
		parse: parseDingTalkToken,
	},
	credentialTestRules: [
		{
			type: 'responseCode',
			properties: {
				value: 400,
				message: 'DingTalk rejected the Client ID (AppKey) or Client Secret (AppSecret)',
			},
		},
	],
	rateLimit: {
		field: 'maxRequestsPerSecond',
		defaultPerSecond: 20,
		platformLimit:
			'DingTalk allows 20 on standard-edition organisations and up to 60 with the developer add-on',
	},
	// 8 calls in flight keep 18 calls/s going at up to ~400 ms per call.
	concurrency: { writes: 8, reads: 8 },
	contacts: { permissionCodes: PERMISSION_CODES },
	hint: dingTalkHint,
};
