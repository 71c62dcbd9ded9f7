#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Starts the emulator for manual runs and `npm run dev`:
 *   node test/emulator/cli.js [--port 9990] [--host 127.0.0.1] [--dingtalk-users 320] [--dingtalk-departments N] [--wecom-users 30] [--wecom-departments N] [--quiet]
 * Prints the base URLs and seeded credentials, logs one line per platform request, Ctrl-C stops.
 */

const { parseArgs } = require('node:util');
const { createEmulator } = require('./index');

const USAGE =
	'usage: node test/emulator/cli.js [--port 9990] [--host 127.0.0.1] [--dingtalk-users 320] [--dingtalk-departments N] [--wecom-users 30] [--wecom-departments N] [--quiet]';

/** One line per answered request: time, method, path, status and the platform code. */
function logLine(/** @type {import('./requestLog').RecordedRequest} */ entry) {
	const time = new Date().toISOString().slice(11, 19);
	const response = /** @type {Record<string, unknown> | undefined} */ (
		entry.response && typeof entry.response === 'object' ? entry.response : undefined
	);
	const code = response?.errcode ?? response?.code;
	const outcome =
		entry.status === 0
			? 'connection reset'
			: `${entry.status}${code !== undefined ? ` ${response?.errcode !== undefined ? 'errcode' : 'code'} ${code}` : ''}`;
	console.log(
		`${time} ${entry.method} /${entry.platform}${entry.family === 'qyapi' ? '' : `/${entry.family}`}${entry.path} → ${outcome}${entry.fault ? ` (fault: ${entry.fault})` : ''}`,
	);
}

function describe(/** @type {Awaited<ReturnType<typeof createEmulator>>} */ emu) {
	const { dingtalk, wecom } = emu.seed;
	const sample = (/** @type {string[]} */ ids, count = 6) =>
		ids.length > count
			? `${ids.slice(0, count).join(', ')} … ${ids.at(-1)} (${ids.length})`
			: ids.join(', ');
	return [
		`DingTalk / WeCom platform emulator listening on ${emu.url}`,
		'',
		'Base URLs (set them in the credentials):',
		`  DingTalk old API  (oapi.dingtalk.com)      ${emu.baseUrls.dingtalkOapi}`,
		`  DingTalk new API  (api.dingtalk.com)       ${emu.baseUrls.dingtalkApi}`,
		`  WeCom             (qyapi.weixin.qq.com)    ${emu.baseUrls.wecom}`,
		'',
		'DingTalk credential:',
		`  Client ID (AppKey) ${dingtalk.appKey}   Client Secret ${dingtalk.appSecret}   Agent ID ${dingtalk.agentId}   CorpId ${dingtalk.corpId}`,
		...dingtalk.apps
			.slice(1)
			.map((app) => `  other app: ${app.appKey} / ${app.appSecret} / agent ${app.agentId}`),
		`  users: ${sample(dingtalk.users)}`,
		`  departments: ${sample(
			dingtalk.departments.map((dept) => `${dept.dept_id} ${dept.name}`),
			13,
		)}`,
		...dingtalk.robots.map(
			(robot) =>
				`  robot "${robot.name}": ${robot.webhookUrl}${robot.secret ? `, secret ${robot.secret}` : ''}${robot.keywords.length ? `, keywords ${robot.keywords.join('/')}` : ''}`,
		),
		'',
		'WeCom credential:',
		`  Corp ID ${wecom.corpId}   Secret ${wecom.corpSecret}   Agent ID ${wecom.agentId}`,
		...wecom.apps
			.slice(1)
			.map(
				(app) => `  other app: corp ${app.corpId} / secret ${app.secret} / agent ${app.agentId}`,
			),
		`  users: ${sample(wecom.users, 8)}   without license: ${wecom.unlicensedUsers.join(', ')}`,
		`  departments: ${sample(
			wecom.departments.map((dept) => `${dept.id} ${dept.name}`),
			6,
		)}`,
		`  tags: ${wecom.tags.map((tag) => `${tag.tagid} ${tag.tagname}`).join(', ')}`,
		...wecom.robots.map((robot) => `  group robot "${robot.name}": ${robot.webhookUrl}`),
		'',
		`Control API: ${emu.url}/__emulator (routes: GET ${emu.url}/__emulator; docs: test/emulator/README.md)`,
		'Press Ctrl-C to stop.',
		'',
	].join('\n');
}

async function main() {
	let values;
	try {
		({ values } = parseArgs({
			options: {
				port: { type: 'string', default: '9990' },
				host: { type: 'string', default: '127.0.0.1' },
				'dingtalk-users': { type: 'string' },
				'dingtalk-departments': { type: 'string' },
				'wecom-users': { type: 'string' },
				'wecom-departments': { type: 'string' },
				quiet: { type: 'boolean', default: false },
				help: { type: 'boolean', default: false },
			},
		}));
	} catch (error) {
		console.error(`${/** @type {Error} */ (error).message}\n${USAGE}`);
		process.exit(2);
	}
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const port = Number(values.port);
	/** @type {import('./state').SeedOptions} */
	const seed = {};
	const sizes = /** @type {const} */ ([
		['dingtalk-users', 'dingtalkUserCount'],
		['dingtalk-departments', 'dingtalkDepartmentCount'],
		['wecom-users', 'wecomUserCount'],
		['wecom-departments', 'wecomDepartmentCount'],
	]);
	let valid = Number.isInteger(port) && port >= 0 && port <= 65535;
	for (const [flag, key] of sizes) {
		const raw = values[flag];
		if (raw === undefined) continue;
		const count = Number(raw);
		if (!(Number.isInteger(count) && count >= 0)) valid = false;
		seed[key] = count;
	}
	if (!valid) {
		console.error(USAGE);
		process.exit(2);
	}

	const emu = await createEmulator({
		port,
		host: values.host,
		seed,
		onRequest: values.quiet ? undefined : logLine,
	});
	console.log(describe(emu));

	const stop = async () => {
		await emu.close();
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error?.code === 'EADDRINUSE' ? `port already in use: ${error.message}` : error);
	process.exit(1);
});
