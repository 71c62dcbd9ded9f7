import { approvalHint, isApprovalPath } from './approvals';
import { classifyErrcodeAnswer } from '../../shared/platform/classify';
import { CONTACTS_PERMISSION_HINTS, isContactsPath } from './contacts';
import type {
	CallOutcome,
	FetchedToken,
	PlatformErrorDetails,
	PlatformProfile,
} from '../../shared/platform/types';

/**
 * WeCom errcodes (https://developer.work.weixin.qq.com/document/path/90313). 40001 on an API call means the token is no longer accepted
 * ("invalid credential"): refresh once; on the token endpoint itself it means a wrong secret.
 */
const WECOM_CODES = {
	token: [40014, 42001, 40001],
	rateLimit: [45009, 45033],
	busy: [-1],
};

const CREDENTIAL_CODES = [40001, 40013, 40091, 41004];

const RATE_LIMIT =
	'WeCom limits calls per company and API (10,000 a minute, 150,000 an hour) and to each member (30 messages a minute). If other systems or n8n workers use the same app, lower "Quota per API" in the credential so they share it; otherwise spread the workflow over time.';
const VISIBLE_RANGE =
	'The app may not reach this member, department or tag. In the WeCom admin console open the app → Visible Range (可见范围) and include them.';

const HINTS: Record<string, string> = {
	'40001':
		"WeCom rejected the Secret. Copy the app's Secret again from the WeCom admin console → App Management → the app (each app has its own Secret).",
	'40013':
		'The CorpID is wrong. Copy it from the WeCom admin console → My Company → Company Information.',
	'40091':
		'The Secret belongs to another company or app. Use the Secret of this app in this company.',
	'41004': 'The credential has no Secret.',
	'40056':
		"The Agent ID does not belong to the app whose Secret the credential uses. Copy the app's AgentId again.",
	'40003':
		'A user ID is not a valid WeCom UserID (the account ID shown in contacts, not a name or mobile number).',
	'48002':
		'This app may not call this API. Check the API permissions of the app, and that you use the right Secret (contacts APIs need the contacts-sync Secret).',
	'60011': VISIBLE_RANGE,
	'81013':
		"None of the recipients (users, departments, tags) is valid or inside the app's Visible Range (可见范围). Check the IDs and the app's Visible Range.",
	'82001': "None of the recipients is valid or inside the app's Visible Range.",
	'45009': RATE_LIMIT,
	'45033': 'Too many calls at the same time for this app. Process fewer items in parallel.',
	'40035': 'A parameter is missing or invalid. Check the fields of this operation.',
	'60111':
		'No member has this UserID. Check it in the admin console → Contacts (UserIDs are the account IDs, not names).',
	'46004':
		'No member matches. For an e-mail, check that it is the address on the member profile or in the company mailbox of this company; for a mobile number, that it is the one in the contacts.',
	'60123':
		'No department has this ID. Check it in the admin console → Contacts (the root department is 1).',
	'40068': 'No tag has this ID. Pick the tag from the list, or look the ID up with Tag → Get Many.',
	'60103':
		'WeCom does not accept this mobile number. Enter it as the contacts store it, e.g. 13700000001.',
	'60105': 'WeCom does not accept this e-mail address.',
	'93000': 'The webhook key is invalid. Copy the robot webhook URL again from the group settings.',
	'-1': 'WeCom was busy and stayed busy after several retries. Run the item again later.',
};

function weComHint(
	details: PlatformErrorDetails,
	request?: { family: string; path: string },
): string | undefined {
	const code = String(details.errcode ?? '');
	if (request && isContactsPath(request.path) && CONTACTS_PERMISSION_HINTS[code]) {
		return CONTACTS_PERMISSION_HINTS[code];
	}
	// Before the "wrong json format" rule: WeCom puts that text before some 301025 answers too.
	const approval =
		request && isApprovalPath(request.path) ? approvalHint(details, request.path) : undefined;
	if (approval) return approval;
	if (details.errcode === 60020) {
		const ip = /from ip:\s*([0-9a-fA-F.:]+)/.exec(details.errmsg ?? '')?.[1];
		return `Add ${ip ? `the IP ${ip}` : "the n8n server's public IP"} to the app's Trusted IPs (企业可信IP) in the WeCom admin console → App Management → the app → Developer Interface.`;
	}
	if (typeof details.errmsg === 'string' && details.errmsg.includes('wrong json format')) {
		return 'WeCom could not parse the JSON body. Check the JSON you entered.';
	}
	return details.errcode !== undefined ? HINTS[String(details.errcode)] : undefined;
}

function parseWeComToken(httpStatus: number, body: unknown): FetchedToken | CallOutcome {
	const record = (body ?? {}) as Record<string, unknown>;
	if (
		httpStatus === 200 &&
		Number(record.errcode ?? 0) === 0 &&
		typeof record.access_token === 'string'
	) {
		return { token: record.access_token, expiresInSeconds: Number(record.expires_in ?? 7200) };
	}
	const outcome = classifyErrcodeAnswer(httpStatus, body, {
		token: [],
		rateLimit: WECOM_CODES.rateLimit,
		busy: [-1],
	});
	if (outcome.kind !== 'ok' && CREDENTIAL_CODES.includes(Number(outcome.details.errcode))) {
		return { kind: 'credentialsRejected', details: outcome.details };
	}
	return outcome;
}

export const weComProfile: PlatformProfile = {
	name: 'WeCom',
	credentialType: 'weComApi',
	families: {
		qyapi: {
			id: 'qyapi',
			label: 'the WeCom API (qyapi.weixin.qq.com)',
			defaultBaseUrl: 'https://qyapi.weixin.qq.com',
			baseUrlField: 'baseUrl',
			baseUrlLabel: 'Base URL',
			token: { in: 'query', name: 'access_token' },
			classify: (status, body) => classifyErrcodeAnswer(status, body, WECOM_CODES),
		},
	},
	appIdField: 'corpId',
	secretField: 'corpSecret',
	requiredCredentialFields: [
		{ name: 'corpId', displayName: 'Corp ID' },
		{ name: 'corpSecret', displayName: 'Secret' },
	],
	tokenCredentialsLabel: 'the Corp ID and Secret',
	// https://developer.work.weixin.qq.com/document/path/91039
	tokenEndpoint: {
		family: 'qyapi',
		method: 'GET',
		path: '/cgi-bin/gettoken',
		qs: { corpid: 'corpId', corpsecret: 'corpSecret' },
		parse: parseWeComToken,
	},
	credentialTestRules: [
		{
			type: 'responseSuccessBody',
			properties: { key: 'errcode', value: 40013, message: 'The Corp ID is wrong' },
		},
		{
			type: 'responseSuccessBody',
			properties: { key: 'errcode', value: 40001, message: 'The Secret is wrong' },
		},
		{
			type: 'responseSuccessBody',
			properties: {
				key: 'errcode',
				value: 40091,
				message: 'The Secret belongs to another company or app',
			},
		},
	],
	rateLimit: {
		field: 'maxRequestsPerSecond',
		// 10,000 a minute per company and API: https://developer.work.weixin.qq.com/document/path/90455
		defaultPerSecond: 166,
		platformLimit:
			'WeCom allows 10,000 a minute per API for the whole company, about 166 a second, and 150,000 an hour',
		// The window is a minute: 96 % leaves ~400 calls a minute of room, enough for jitter.
		margin: 0.96,
	},
	// 25 calls in flight keep ~150 calls/s going at up to ~160 ms per call.
	concurrency: { writes: 25, reads: 25 },
	contacts: { permissionCodes: Object.keys(CONTACTS_PERMISSION_HINTS) },
	hint: weComHint,
};
