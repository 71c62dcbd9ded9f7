// Contacts benchmark: Return All over a 20,000-user organisation, the pack's contacts reads next to
// hand-written undici loops making the very same calls, against the platform emulator in its own
// process seeded with a large org. Prints figures and a PASS/MISS table of the targets; asserts
// nothing (no timed assertion lives anywhere).
//
//   (a) pack  a real n8n-core run of the node from dist/ (contactsPackRun.mjs), typeVersion 1.1
//   (b) raw   undici, one keep-alive connection, sequential, token fetched once, the same calls in
//             the same order (contactsCases.mjs)
//
// Cases (contactsCases.mjs): DingTalk User → Get Many of department 1 with sub-departments (the
// breadth-first walk: v2/user/list pages of 100 per department, then listsubid); WeCom User →
// Get IDs (user/list_id pages of 10,000 rows); WeCom User → Get Many of department 1 with
// sub-departments, Full (one user/list?fetch_child=1). All with Return All.
//
// Calls are counted by the emulator per platform path and compared with the fewest a complete read
// can make, computed from the emulator's seeded state (not from any answer) and cross-checked with
// what the raw loop's answers imply. The credentials' "Quota per API" (maxRequestsPerSecond) is 0
// (no pacing) and the emulator enforces no quota, so the wall times measure the client, not the
// pacing; --pace N sets the field to N and paces the raw loop per API at the pack's own rate
// (N × the profile's margin). No per-call latency unless --latency (the emulator's `delay` fault
// on every call of the case's platform, token calls included).
//
// Runs are interleaved like sendThroughput.mjs: per repetition, per case, (a) and (b) in an order
// that alternates; each case is warmed up first (a small read that fetches the token, then one
// complete read of each, not recorded, which also builds the emulator's look-up tables); each run
// starts with a GC. Wall times are min/median/max over the repetitions; ratios use medians. The
// memory case runs (b) then (a) each in a fresh process (contactsMemoryChild.mjs) and reports the
// peak RSS growth of the Return All run over the RSS after loading, a warm-up and a GC.
//
// Usage: npm run bench:contacts [-- --reps 3 --platforms dingtalk,wecom --users 20000
//          --departments 300 --memory on|off --latency 0 --pace 0]
// --users / --departments seed both platforms alike. The defaults take well under a minute on
// 2 cores (the emulator answers the 620 DingTalk calls of one read in under a second).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';

import { CASES, CASE_IDS, METHOD_OF, openRawReader } from './contactsCases.mjs';
import { startEmulator } from './emulatorClient.mjs';
import { median, printTable, seconds, span, sum } from './figures.mjs';
import { PLATFORMS } from './platforms.mjs';

const require = createRequire(import.meta.url);
const here = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));

const USAGE = `npm run bench:contacts -- [--reps N] [--platforms dingtalk,wecom] [--users N]
  [--departments N] [--memory on|off] [--latency ms] [--pace calls/s]`;
const { values: flags } = parseArgs({
	options: {
		reps: { type: 'string', default: '3' },
		platforms: { type: 'string', default: 'dingtalk,wecom' },
		users: { type: 'string', default: '20000' },
		departments: { type: 'string', default: '300' },
		memory: { type: 'string', default: 'on' },
		latency: { type: 'string', default: '0' },
		pace: { type: 'string', default: '0' },
		help: { type: 'boolean', default: false },
	},
});
if (flags.help) {
	console.log(USAGE);
	process.exit(0);
}

function count(/** @type {string} */ name, /** @type {string} */ raw, min = 1) {
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min)
		throw new Error(`--${name} must be an integer ≥ ${min}, got ${raw}\n${USAGE}`);
	return value;
}
const REPS = count('reps', flags.reps);
const USERS = count('users', flags.users, 0);
// Both seeds keep their named departments (13 DingTalk, 6 WeCom) whatever is asked for.
const DEPARTMENTS = count('departments', flags.departments);
const LATENCY_MS = count('latency', flags.latency, 0);
const PACE = count('pace', flags.pace, 0);
if (!['on', 'off'].includes(flags.memory))
	throw new Error(`--memory must be on or off, got ${flags.memory}\n${USAGE}`);
const MEMORY = flags.memory === 'on';
const PLATFORM_IDS = flags.platforms.split(',').map((id) => id.trim().toLowerCase());
for (const id of PLATFORM_IDS)
	if (!(id in PLATFORMS)) throw new Error(`--platforms: unknown platform ${id}\n${USAGE}`);
const CASE_LIST = CASE_IDS.filter((id) => PLATFORM_IDS.includes(CASES[id].platform));

const SEED = {
	dingtalkUserCount: USERS,
	dingtalkDepartmentCount: DEPARTMENTS,
	wecomUserCount: USERS,
	wecomDepartmentCount: DEPARTMENTS,
};
const VARIANTS = /** @type {const} */ (['pack', 'raw']);
const LABEL = { pack: '(a) pack', raw: '(b) raw loop' };
const TARGET_RATIO = 1.1;
const TARGET_GROWTH_MB = 100;
/**
 * @typedef {import('./contactsCases.mjs').CaseId} CaseId
 * @typedef {(typeof VARIANTS)[number]} Variant
 */

/** The pack's pace per API for a "Quota per API" of `pace`: pace × the profile's margin (dist). */
function packPace(/** @type {'dingtalk'|'wecom'} */ platform, /** @type {number} */ pace) {
	if (!(pace > 0)) return { perSecond: 0, text: 'unpaced' };
	const { module, name } = PLATFORMS[platform].profile;
	const profile = require(`../../dist/${module}`)[name];
	let margin = Number(profile?.rateLimit?.margin);
	let source = 'profile rateLimit.margin';
	if (!(margin > 0 && margin <= 1)) {
		margin = Number(require('../../dist/nodes/shared/transport/throttle').PACING_MARGIN);
		source = 'dist throttle PACING_MARGIN';
	}
	return {
		perSecond: pace * margin,
		text: `${(pace * margin).toFixed(1)}/s per API (${pace} × margin ${margin}, ${source})`,
	};
}

// ---------------------------------------------------------------------------------------------

const benchStarted = performance.now();
// `npm run bench:contacts` runs plain node: expose the GC here rather than on the command line.
if (typeof globalThis.gc !== 'function') {
	v8.setFlagsFromString('--expose-gc');
	globalThis.gc = vm.runInNewContext('gc');
}
// The pack is run from dist/: say so when it is missing or older than the sources.
const DIST_PROBE = here('../../dist/nodes/DingTalk/actions/user/getMany.operation.js');
if (!fs.existsSync(DIST_PROBE))
	throw new Error('dist/ has no contacts operations: run `npm run build` first');
const distBuilt = fs.statSync(DIST_PROBE).mtimeMs;
const newer = ['nodes', 'credentials']
	.filter((folder) => fs.existsSync(here(`../../${folder}`)))
	.flatMap((folder) =>
		fs.readdirSync(here(`../../${folder}`), { recursive: true }).map((file) => `${folder}/${file}`),
	)
	.filter(
		(file) =>
			file.endsWith('.ts') &&
			(fs.statSync(here(`../../${file}`), { throwIfNoEntry: false })?.mtimeMs ?? 0) > distBuilt,
	);
if (newer.length)
	console.log(
		`warning: dist/ is older than ${newer.length} source file(s) (${newer.slice(0, 3).join(', ')}${newer.length > 3 ? ', …' : ''}): run \`npm run build\` to measure the current code`,
	);
const emulator = await startEmulator({ seed: SEED });
let interrupted = false;
process.once('SIGINT', () => {
	interrupted = true;
	console.log('\ninterrupted: stopping the emulator process');
	void emulator.close().finally(() => process.exit(130));
});

try {
	const setup = await emulator.call('setup', { quotas: false });
	const facts = await emulator.call('contactsFacts');
	/** @type {Record<string, import('./contactsCases.mjs').Identity>} */
	const identities = {};
	for (const platform of ['dingtalk', 'wecom']) {
		const { users: _users, ...identity } = setup.seeds[platform];
		identities[platform] = identity;
	}
	const paces = {
		dingtalk: packPace('dingtalk', PACE),
		wecom: packPace('wecom', PACE),
	};

	console.log(
		`Contacts benchmark: Return All over a ${USERS.toLocaleString('en')}-user org, ${REPS} repetition(s) of ${CASE_LIST.map((id) => CASES[id].name).join(', ') || 'no case'}`,
	);
	console.log(
		`Machine: Node ${process.version}, ${os.cpus().length} CPUs, load average ${os
			.loadavg()
			.map((load) => load.toFixed(2))
			.join(' ')} at the start`,
	);
	console.log(
		`Emulator: own process (pid ${setup.pid}) at ${setup.url}, seed ${JSON.stringify(SEED)}; no quota enforced; ${LATENCY_MS ? `latency ${LATENCY_MS} ms before every call of the case's platform (delay fault), token calls included` : 'no added latency'}; counters per run`,
	);
	const dt = facts.dingtalk;
	const wc = facts.wecom;
	if (PLATFORM_IDS.includes('dingtalk'))
		console.log(
			`  DingTalk org: ${dt.users} users in ${dt.departments} departments (${dt.departmentsWalked} under the root); ${dt.memberships} memberships, largest department ${dt.largestDepartment} direct members → fewest calls: ${dt.userListPages} v2/user/list (Σ max(1, ⌈direct members / 100⌉)), ${dt.listSubIdCalls} listsubid`,
		);
	if (PLATFORM_IDS.includes('wecom'))
		console.log(
			`  WeCom org: ${wc.users} members in ${wc.departments} departments (${wc.departmentsUnderRoot} under 1); ${wc.listIdRows} user/list_id rows → fewest calls ${wc.listIdPages} (⌈rows / 10,000⌉); department 1 with its subtree: ${wc.distinctUsersUnderRoot} members, 1 user/list call`,
		);
	console.log(
		`Credentials: "Quota per API" (maxRequestsPerSecond) = ${PACE}${PACE ? ` (--pace): the pack paces DingTalk at ${paces.dingtalk.text}, WeCom at ${paces.wecom.text}; the raw loop the same per path` : ' (no pacing, in the pack or the raw loop): the figures measure the client, not the pacing'}`,
	);

	/** @type {Record<string, ReturnType<typeof import('./contactsPackRun.mjs').createContactsPackRunner>>} */
	const packs = {};
	/** @type {Record<string, ReturnType<typeof openRawReader>>} */
	const raws = {};
	const { createContactsPackRunner } = await import('./contactsPackRun.mjs');
	for (const id of CASE_LIST) {
		const { platform } = CASES[id];
		packs[id] = createContactsPackRunner(id, identities[platform], setup.baseUrls, PACE);
		raws[id] = openRawReader(id, identities[platform], setup.baseUrls, {
			perSecond: paces[platform].perSecond,
		});
	}

	/** The fewest calls per path a complete read of the case can make (from the seeded state). */
	const minimalOf = (/** @type {CaseId} */ id) =>
		/** @type {Record<string, number>} */ (
			{
				'dingtalk-getMany': {
					'/topapi/v2/user/list': dt.userListPages,
					'/topapi/v2/department/listsubid': dt.listSubIdCalls,
				},
				'wecom-getIds': { '/cgi-bin/user/list_id': wc.listIdPages },
				'wecom-getMany': { '/cgi-bin/user/list': 1 },
			}[id]
		);
	/** Distinct users a complete read must output. */
	const distinctOf = (/** @type {CaseId} */ id) =>
		({
			'dingtalk-getMany': dt.distinctUsersWalked,
			'wecom-getIds': wc.users,
			'wecom-getMany': wc.distinctUsersUnderRoot,
		})[id];

	/**
	 * @param {CaseId} id @param {Variant} variant @param {'warmUp'|'run'} what
	 */
	async function runCase(id, variant, what) {
		const { platform } = CASES[id];
		await emulator.call('startCase', { platform, latencyMs: LATENCY_MS, quota: false });
		globalThis.gc?.();
		const cpuBefore = process.cpuUsage();
		const outcome =
			variant === 'pack'
				? await packs[id][what]()
				: await (what === 'run' ? raws[id].run() : raws[id].warmUp());
		const cpu = process.cpuUsage(cpuBefore);
		const counters = await emulator.call('counters');
		const { result: _result, output, ...figures } = /** @type {any} */ (outcome);
		const tokenPaths = new Set(PLATFORMS[platform].tokenPaths);
		const tokens = sum(
			Object.entries(counters.byPath)
				.filter(([path]) => tokenPaths.has(path))
				.map(([, calls]) => /** @type {number} */ (calls)),
		);
		return {
			id,
			variant,
			...figures,
			items: variant === 'pack' ? figures.items : output.length,
			errorsSurfaced: variant === 'pack' ? figures.errorsSurfaced : 0,
			counters,
			tokens,
			// This process's CPU time over the run (user + system), GC included.
			cpuMs: (cpu.user + cpu.system) / 1000,
		};
	}

	/** @param {Awaited<ReturnType<typeof runCase>>} run */
	function describeRun(run) {
		const calls = CASES[run.id].paths
			.map((path) => `${path.split('/').slice(-2).join('/')} ${run.counters.byPath[path] ?? 0}`)
			.join(', ');
		const errors = run.variant === 'pack' ? `, ${run.errorsSurfaced} error(s) surfaced` : '';
		const other = run.counters.otherAnswers
			? `, ${run.counters.otherAnswers} error answer(s), first ${JSON.stringify(run.counters.firstOtherAnswer).slice(0, 300)}`
			: '';
		const first = run.firstError ? `\n      first error: ${run.firstError.slice(0, 300)}` : '';
		return `${LABEL[run.variant].padEnd(12)} ${seconds(run.ms).padStart(6)} s  ${String(run.items).padStart(6)} items (${run.distinct} distinct)  calls: ${calls}  CPU ${run.cpuMs.toFixed(0)} ms + emulator ${run.counters.cpuMs.toFixed(0)} ms  conns ${run.counters.connections}  tokens ${run.tokens}${errors}${other}${first}`;
	}

	// Warm-up: the small read (token fetched), then one complete read of each, not recorded.
	/** @type {Array<Awaited<ReturnType<typeof runCase>>>} */
	const warmUps = [];
	for (const id of CASE_LIST) {
		for (const what of /** @type {const} */ (['warmUp', 'run'])) {
			for (const variant of VARIANTS) {
				const run = await runCase(id, variant, what);
				warmUps.push(run);
				console.log(
					`warm-up  ${CASES[id].name.padEnd(24)} ${what === 'run' ? 'complete' : 'small   '} ${describeRun(run)}`,
				);
			}
		}
	}

	/** @type {Array<Awaited<ReturnType<typeof runCase>>>} */
	const runs = [];
	const total = REPS * CASE_LIST.length * VARIANTS.length;
	for (let rep = 0; rep < REPS && !interrupted; rep++) {
		for (const [ci, id] of CASE_LIST.entries()) {
			const shift = (rep + ci) % VARIANTS.length;
			const order = [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)];
			for (const variant of order) {
				const run = await runCase(id, variant, 'run');
				runs.push(run);
				console.log(
					`[${String(runs.length).padStart(String(total).length)}/${total}] rep ${rep + 1} ${CASES[id].name.padEnd(24)} ${describeRun(run)}`,
				);
			}
		}
	}

	// Memory: (b) then (a), each in a fresh process.
	/** @type {Array<{ id: CaseId, variant: Variant, result: any, counters: any }>} */
	const memory = [];
	for (const id of MEMORY ? CASE_LIST : []) {
		const { platform } = CASES[id];
		for (const variant of /** @type {const} */ (['raw', 'pack'])) {
			if (interrupted) break;
			await emulator.call('startCase', { platform, latencyMs: LATENCY_MS, quota: false });
			const config = {
				variant,
				caseId: id,
				identity: identities[platform],
				baseUrls: setup.baseUrls,
				pace: PACE,
				rawPerSecond: paces[platform].perSecond,
			};
			const child = fork(here('./contactsMemoryChild.mjs'), [JSON.stringify(config)], {
				execArgv: ['--expose-gc'],
				stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			});
			const exited = new Promise((resolve) => child.once('exit', resolve));
			const result = await new Promise((resolve, reject) => {
				child.once('exit', (code) =>
					reject(new Error(`the ${variant} memory child exited (${code}) before reporting`)),
				);
				child.on('message', (/** @type {any} */ message) => {
					if (message?.ready) child.send({ go: true });
					else if (message?.result) resolve(message.result);
				});
			});
			await exited;
			const counters = await emulator.call('counters');
			memory.push({ id, variant, result, counters });
			const errors = variant === 'pack' ? `, ${result.errorsSurfaced} error(s) surfaced` : '';
			console.log(
				`memory   ${CASES[id].name.padEnd(24)} ${LABEL[variant].padEnd(12)} ${seconds(result.wallMs).padStart(6)} s  ${result.items} items  peak RSS ${result.peakRssMb.toFixed(0)} MB (${result.peakSource}), baseline ${result.baseline.rssMb.toFixed(0)} MB → growth ${result.growthMb.toFixed(0)} MB${errors}`,
			);
		}
	}

	// ------------------------------------------------------------------------------------------
	// Report.

	const groupOf = (/** @type {CaseId} */ id, /** @type {Variant} */ variant) =>
		runs.filter((run) => run.id === id && run.variant === variant);
	const medianMs = (/** @type {CaseId} */ id, /** @type {Variant} */ variant) => {
		const group = groupOf(id, variant);
		return group.length ? median(group.map((run) => run.ms)) : NaN;
	};
	const callsOf = (
		/** @type {CaseId} */ id,
		/** @type {Variant} */ variant,
		/** @type {string} */ path,
	) => groupOf(id, variant).map((run) => run.counters.byPath[path] ?? 0);

	console.log(
		`\nCalls per complete read (every repetition; counted by the emulator per path) against the fewest possible: from the seeded state, and as the raw loop's answers imply (Σ max(1, ⌈listed / page⌉))`,
	);
	/** @type {Array<Array<string|number>>} */
	const callRows = [];
	for (const id of CASE_LIST) {
		const minimal = minimalOf(id);
		const fromAnswers = groupOf(id, 'raw')[0]?.minimalFromAnswers ?? {};
		for (const path of CASES[id].paths) {
			const pack = callsOf(id, 'pack', path);
			callRows.push([
				CASES[id].name,
				`${METHOD_OF[path]} ${path}`,
				pack.length ? span(pack) : '-',
				callsOf(id, 'raw', path).length ? span(callsOf(id, 'raw', path)) : '-',
				minimal[path],
				fromAnswers[path] ?? '-',
				pack.length && pack.every((calls) => calls === minimal[path]) ? 'yes' : 'no',
			]);
		}
	}
	printTable(
		['case', 'call', 'pack', 'raw', 'fewest (seed)', 'fewest (raw answers)', 'pack exactly fewest'],
		callRows,
		[2, 3, 4, 5],
	);

	console.log(
		`\nOutput per complete read: items (distinct users among them) against the distinct users a complete read must return`,
	);
	printTable(
		['case', 'pack items', 'pack distinct', 'raw items', 'raw distinct', 'users in the org'],
		CASE_LIST.map((id) => [
			CASES[id].name,
			span(groupOf(id, 'pack').map((run) => run.items)),
			span(groupOf(id, 'pack').map((run) => run.distinct)),
			span(groupOf(id, 'raw').map((run) => run.items)),
			span(groupOf(id, 'raw').map((run) => run.distinct)),
			distinctOf(id),
		]),
		[1, 2, 3, 4, 5],
	);

	console.log(
		`\nWall time per complete read over ${REPS} repetition(s): min / median / max; CPU = the reader's process (n8n + the node, or the raw loop), emulator CPU = the emulator's process, medians, both during the run; conns = TCP connections opened per run (the raw loop keeps the one of its warm-up unless the server closed it as idle); tokens and errors surfaced to the user summed over the repetitions`,
	);
	/** @type {Array<Array<string|number>>} */
	const wallRows = [];
	for (const id of CASE_LIST) {
		for (const variant of VARIANTS) {
			const group = groupOf(id, variant);
			if (!group.length) continue;
			const walls = group.map((run) => run.ms);
			const callsPerRun = median(group.map((run) => run.counters.platformCalls));
			wallRows.push([
				CASES[id].name,
				LABEL[variant],
				`${seconds(Math.min(...walls))} / ${seconds(median(walls))} / ${seconds(Math.max(...walls))}`,
				(median(walls) / callsPerRun || 0).toFixed(2),
				median(group.map((run) => run.cpuMs)).toFixed(0),
				median(group.map((run) => run.counters.cpuMs)).toFixed(0),
				span(group.map((run) => run.counters.connections)),
				sum(group.map((run) => run.tokens)),
				variant === 'pack' ? sum(group.map((run) => run.errorsSurfaced)) : '-',
			]);
		}
	}
	printTable(
		[
			'case',
			'reader',
			'wall s min / med / max',
			'ms per call',
			'CPU ms',
			'emulator CPU ms',
			'conns',
			'tokens',
			'errors',
		],
		wallRows,
		[3, 4, 5, 6, 7, 8],
	);

	console.log('\nRatio of median wall times (1.00 = as fast as the raw loop)');
	printTable(
		['case', 'pack / raw'],
		CASE_LIST.filter((id) => groupOf(id, 'pack').length && groupOf(id, 'raw').length).map((id) => [
			CASES[id].name,
			(medianMs(id, 'pack') / medianMs(id, 'raw')).toFixed(2),
		]),
		[1],
	);

	if (memory.length) {
		console.log(
			`\nMemory, one complete read in a fresh process: baseline = RSS after loading, a small warm-up read and a GC; peak = maxRSS when it rose during the read, else the highest RSS sampled every 5 ms; growth = peak − baseline; heap after GC with the read's output still held`,
		);
		printTable(
			[
				'case',
				'reader',
				'growth MB',
				'peak RSS MB',
				'baseline RSS MB',
				'heap baseline MB',
				'heap after GC MB',
				'wall s',
				'items',
				'conns',
			],
			memory.map(({ id, variant, result, counters }) => [
				CASES[id].name,
				LABEL[variant],
				result.growthMb.toFixed(0),
				`${result.peakRssMb.toFixed(0)}${result.peakSource === 'sampled' ? ' (sampled)' : ''}`,
				result.baseline.rssMb.toFixed(0),
				result.baseline.heapUsedMb.toFixed(1),
				result.heapAfterGcMb.toFixed(1),
				seconds(result.wallMs),
				result.items,
				counters.connections,
			]),
			[2, 3, 4, 5, 6, 7, 8, 9],
		);
	}

	// ------------------------------------------------------------------------------------------
	// Targets.

	/** @type {Array<[string, string, string]>} */
	const targets = [];
	const verdict = (/** @type {boolean} */ pass) => (pass ? 'PASS' : 'MISS');
	for (const id of CASE_LIST) {
		const name = CASES[id].name;
		const minimal = minimalOf(id);
		for (const path of CASES[id].paths) {
			const pack = callsOf(id, 'pack', path);
			if (!pack.length) continue;
			const what = path.endsWith('listsubid')
				? `${path.split('/').pop()} calls = departments walked`
				: `${path.split('/').slice(-2).join('/')} calls = fewest possible`;
			targets.push([
				`${name}: ${what}`,
				`${span(pack)} vs ${minimal[path]}`,
				verdict(pack.every((calls) => calls === minimal[path])),
			]);
		}
		const pack = groupOf(id, 'pack');
		if (pack.length)
			targets.push([
				`${name}: users output = distinct users in the org, none twice`,
				`${span(pack.map((run) => run.items))} items, ${span(pack.map((run) => run.distinct))} distinct vs ${distinctOf(id)}`,
				verdict(pack.every((run) => run.items === distinctOf(id) && run.distinct === run.items)),
			]);
		if (pack.length && groupOf(id, 'raw').length) {
			const ratio = medianMs(id, 'pack') / medianMs(id, 'raw');
			targets.push([
				`${name}: pack / raw ≤ ${TARGET_RATIO.toFixed(2)} (median wall time)`,
				`${seconds(medianMs(id, 'pack'))} s / ${seconds(medianMs(id, 'raw'))} s = ${ratio.toFixed(2)}`,
				verdict(ratio <= TARGET_RATIO),
			]);
		}
		const packMemory = memory.find((entry) => entry.id === id && entry.variant === 'pack');
		const rawMemory = memory.find((entry) => entry.id === id && entry.variant === 'raw');
		if (packMemory)
			targets.push([
				`${name}: peak RSS growth ≤ ${TARGET_GROWTH_MB} MB (fresh process)`,
				`${packMemory.result.growthMb.toFixed(0)} MB (raw loop ${rawMemory ? `${rawMemory.result.growthMb.toFixed(0)} MB` : 'not run'})`,
				verdict(packMemory.result.growthMb <= TARGET_GROWTH_MB),
			]);
	}
	const packRuns = [...warmUps, ...runs].filter((run) => run.variant === 'pack');
	targets.push([
		'0 errors surfaced to the user (every pack run, warm-ups included)',
		String(sum(packRuns.map((run) => run.errorsSurfaced))),
		verdict(sum(packRuns.map((run) => run.errorsSurfaced)) === 0),
	]);
	for (const platform of PLATFORM_IDS) {
		const ofPlatform = packRuns.filter((run) => CASES[run.id].platform === platform);
		const tokens = sum(ofPlatform.map((run) => run.tokens));
		targets.push([
			`${PLATFORMS[/** @type {'dingtalk'|'wecom'} */ (platform)].name}: 1 token request in the bench process (${ofPlatform.length} pack runs)`,
			String(tokens),
			verdict(tokens === 1),
		]);
	}
	// Where the pack's time goes, from the figures above (see the report for the profile).
	const notes = [];
	for (const id of CASE_LIST) {
		const pack = groupOf(id, 'pack');
		const raw = groupOf(id, 'raw');
		if (!pack.length || !raw.length) continue;
		const calls = median(pack.map((run) => run.counters.platformCalls));
		const perCall = (/** @type {typeof runs} */ group) =>
			(median(group.map((run) => run.cpuMs)) / calls).toFixed(2);
		notes.push(
			`${CASES[id].name}: the pack opened ${median(pack.map((run) => run.counters.connections))} TCP connection(s) for ${calls} call(s), the raw loop ${median(raw.map((run) => run.counters.connections))}; client CPU ${perCall(pack)} ms per call (pack) vs ${perCall(raw)} ms (raw), emulator CPU ${median(pack.map((run) => run.counters.cpuMs)).toFixed(0)} vs ${median(raw.map((run) => run.counters.cpuMs)).toFixed(0)} ms per read`,
		);
	}
	if (notes.length) {
		console.log('\nNotes');
		for (const note of notes) console.log(`  ${note}`);
	}

	console.log('\nTargets');
	printTable(['target', 'figure', 'result'], targets);

	console.log(
		`\nTotal ${seconds(performance.now() - benchStarted)} s; load average ${os
			.loadavg()
			.map((load) => load.toFixed(2))
			.join(' ')} at the end`,
	);
	for (const id of CASE_LIST) await raws[id].close();
} finally {
	await emulator.close();
}
