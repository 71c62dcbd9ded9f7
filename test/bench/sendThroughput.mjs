// Send benchmark: DingTalk work notifications and WeCom app messages through the pack, side by
// side with hand-written undici senders, against the platform emulator in its own process with a
// per-call latency and the documented quotas. Prints figures and a PASS/MISS table of the targets;
// asserts nothing (no timed assertion lives anywhere).
//
//   (a) pack        a real n8n-core run of the node (packRun.mjs), default settings
//   (b) bare loop   undici, one keep-alive connection, sequential, token fetched once
//   (c) capped      undici, the pack's concurrency on a keep-alive pool, paced at the pack's pace
//
// Cases run interleaved: per repetition, per latency, per platform, (a) (b) (c) in an order that
// rotates, so a noisy minute on a shared machine hits every sender alike; a small warm-up of each
// goes first and is not recorded; each case starts with a GC. Wall times are reported as
// min/median/max over the repetitions; ratios use medians. The memory case runs (a) and (b) each
// in a fresh process (memoryChild.mjs) and compares their peak RSS.
//
// Usage: npm run bench [-- --items 1000 --reps 3 --latencies 0,50,150 --platforms dingtalk,wecom
//          --memory-items 10000 --memory-platforms wecom --concurrency 8 --warm-up-items 20]
// The defaults take about 45 minutes: at DingTalk's 20 calls/s each 1,000-item run takes ~55 s, the
// sequential loop at 150 ms ~150 s.
// Short run: npm run bench -- --items 200 --reps 1 --latencies 0,50
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { startEmulator } from './emulatorClient.mjs';
import { median, percent, printTable, seconds, span, sum } from './figures.mjs';
import { PLATFORMS, benchItems } from './platforms.mjs';
import { RETRY_AFTER_RATE_LIMIT_MS, bareLoop, cappedLoop } from './senders.mjs';

const require = createRequire(import.meta.url);
const here = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));

const USAGE = `npm run bench -- [--items N] [--reps N] [--latencies ms,ms] [--platforms dingtalk,wecom]
  [--memory-items N] [--memory-platforms wecom|dingtalk,wecom|none] [--concurrency N] [--warm-up-items N]`;
const { values: flags } = parseArgs({
	options: {
		items: { type: 'string', default: '1000' },
		reps: { type: 'string', default: '3' },
		latencies: { type: 'string', default: '0,50,150' },
		platforms: { type: 'string', default: 'dingtalk,wecom' },
		// 10,000 items of DingTalk at 20/s take ~9 minutes per sender; WeCom's 10,000/min ~1 minute.
		'memory-items': { type: 'string', default: '10000' },
		'memory-platforms': { type: 'string', default: 'wecom' },
		// Used for (c) only while dist exports no <profile>.concurrency.
		concurrency: { type: 'string', default: '8' },
		'warm-up-items': { type: 'string', default: '20' },
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
function platformList(/** @type {string} */ name, /** @type {string} */ raw) {
	if (raw === 'none' || raw === '') return [];
	const ids = raw.split(',').map((id) => id.trim().toLowerCase());
	for (const id of ids)
		if (!(id in PLATFORMS)) throw new Error(`--${name}: unknown platform ${id}\n${USAGE}`);
	return /** @type {Array<'dingtalk'|'wecom'>} */ (ids);
}
const ITEMS = count('items', flags.items);
const REPS = count('reps', flags.reps);
const LATENCIES = flags.latencies.split(',').map((ms) => count('latencies', ms.trim(), 0));
const PLATFORM_IDS = platformList('platforms', flags.platforms);
const MEMORY_ITEMS = count('memory-items', flags['memory-items']);
const MEMORY_PLATFORMS = platformList('memory-platforms', flags['memory-platforms']);
const FALLBACK_CONCURRENCY = count('concurrency', flags.concurrency);
const WARM_UP_ITEMS = count('warm-up-items', flags['warm-up-items']);

const VARIANTS = /** @type {const} */ (['pack', 'bare', 'capped']);
const LABEL = { pack: '(a) pack', bare: '(b) bare loop', capped: '(c) capped undici' };
/** @typedef {'dingtalk'|'wecom'} PlatformId @typedef {(typeof VARIANTS)[number]} Variant */

// ---------------------------------------------------------------------------------------------
// What the pack exports about its own limits (read from dist, so the bench follows the pack).

function packLimits(/** @type {PlatformId} */ id) {
	const platform = PLATFORMS[id];
	const { module, name } = platform.profile;
	const profile = require(`../../dist/${module}`)[name];
	// A number, or { writes, reads } (a send writes).
	const exported = profile?.concurrency;
	const writes = Number(typeof exported === 'object' ? exported?.writes : exported);
	const concurrency =
		Number.isInteger(writes) && writes > 0
			? {
					value: writes,
					source: `dist ${name}.concurrency${typeof exported === 'object' ? '.writes' : ''}`,
				}
			: {
					value: FALLBACK_CONCURRENCY,
					source: `--concurrency (dist/${module}.js exports no ${name}.concurrency)`,
				};
	let margin = NaN;
	try {
		margin = Number(require('../../dist/nodes/shared/transport/throttle').PACING_MARGIN);
	} catch {
		// no such module any more: no margin
	}
	const fieldDefault = Number(profile?.rateLimit?.defaultPerSecond ?? 0);
	const quota =
		fieldDefault > 0
			? { perSecond: fieldDefault, source: `credential field default ${fieldDefault}/s` }
			: {
					perSecond: platform.quota.perSecond,
					source: `platform quota ${platform.quota.text} (credential field default is 0 = unpaced)`,
				};
	if (profile?.rateLimit?.margin !== undefined) margin = Number(profile.rateLimit.margin);
	const hasMargin = margin > 0 && margin <= 1;
	return {
		concurrency,
		perSecond: quota.perSecond * (hasMargin ? margin : 1),
		paceSource: hasMargin
			? `${quota.source} × margin ${margin} (${profile?.rateLimit?.margin !== undefined ? 'profile rateLimit.margin' : 'dist throttle PACING_MARGIN'})`
			: `${quota.source} itself (dist throttle exports no PACING_MARGIN)`,
	};
}

// ---------------------------------------------------------------------------------------------

const benchStarted = performance.now();
if (typeof globalThis.gc !== 'function')
	console.log('warning: no global.gc (run with node --expose-gc): cases start without a GC');
const emulator = await startEmulator();
let interrupted = false;
process.once('SIGINT', () => {
	interrupted = true;
	console.log('\ninterrupted: stopping the emulator process');
	void emulator.close().finally(() => process.exit(130));
});

try {
	const setup = await emulator.call('setup');
	/** @type {Record<PlatformId, ReturnType<typeof packLimits>>} */
	const limits = /** @type {any} */ ({});
	for (const id of new Set([...PLATFORM_IDS, ...MEMORY_PLATFORMS])) limits[id] = packLimits(id);

	console.log(
		`Send benchmark: ${ITEMS} items × ${REPS} repetition(s) at ${LATENCIES.join(', ')} ms latency on ${PLATFORM_IDS.map((id) => PLATFORMS[id].name).join(', ') || 'no platform'}; memory case ${MEMORY_ITEMS} items on ${MEMORY_PLATFORMS.map((id) => PLATFORMS[id].name).join(', ') || 'no platform'}`,
	);
	console.log(
		`Machine: Node ${process.version}, ${os.cpus().length} CPUs, load average ${os
			.loadavg()
			.map((load) => load.toFixed(2))
			.join(' ')} at the start`,
	);
	console.log(
		`Emulator: own process (pid ${setup.pid}) at ${setup.url}; latency = a delay before answering every call of the case's platform, token calls included; quota set afresh per case; counters per case`,
	);
	for (const id of Object.keys(limits)) {
		const platform = PLATFORMS[/** @type {PlatformId} */ (id)];
		const limit = limits[/** @type {PlatformId} */ (id)];
		console.log(
			`${platform.name}: ${platform.what}; quota ${platform.quota.text} (${platform.quota.perSecond.toFixed(1)}/s)`,
		);
		console.log(
			`  (c) concurrency ${limit.concurrency.value} from ${limit.concurrency.source}; pace ${limit.perSecond.toFixed(1)}/s = ${limit.paceSource}`,
		);
	}
	console.log(
		`  (a) default node parameters and credential (no pacing field); (b)/(c) retry a rate-limit answer after ${RETRY_AFTER_RATE_LIMIT_MS} ms`,
	);

	/** @type {Record<string, (items: any[]) => Promise<any>>} */
	const packRunners = {};
	const { createPackRunner } = await import('./packRun.mjs');
	for (const id of PLATFORM_IDS)
		packRunners[id] = createPackRunner(id, setup.seeds[id], setup.baseUrls);
	/** @type {Record<string, any>} */
	const calls = {};
	for (const id of PLATFORM_IDS) calls[id] = PLATFORMS[id].calls(setup.seeds[id], setup.baseUrls);

	/**
	 * @param {PlatformId} id @param {number} latencyMs @param {Variant} variant
	 * @param {number} itemCount @param {string} tag
	 */
	async function runCase(id, latencyMs, variant, itemCount, tag) {
		const items = benchItems(setup.seeds[id], itemCount, tag);
		await emulator.call('startCase', { platform: id, latencyMs });
		globalThis.gc?.();
		let outcome;
		if (variant === 'pack') {
			const { result: _output, ...figures } = await packRunners[id](items);
			outcome = figures;
		} else if (variant === 'bare') outcome = await bareLoop(calls[id], items);
		else
			outcome = await cappedLoop(calls[id], items, {
				concurrency: limits[id].concurrency.value,
				perSecond: limits[id].perSecond,
			});
		const counters = await emulator.call('counters');
		return { id, latencyMs, variant, items: itemCount, ...outcome, counters };
	}

	/** @param {Awaited<ReturnType<typeof runCase>>} run */
	function describeRun(run) {
		const qps = run.items / (run.ms / 1000);
		const errors =
			run.variant === 'pack'
				? `, ${run.errorsSurfaced} error(s) surfaced${run.sent < run.items ? `, only ${run.sent} sent` : ''}`
				: '';
		const other = run.counters.otherAnswers
			? `, ${run.counters.otherAnswers} other error answer(s), first ${JSON.stringify(run.counters.firstOtherAnswer)}`
			: '';
		const first = run.firstError ? `\n      first error: ${run.firstError.slice(0, 300)}` : '';
		return `${LABEL[run.variant].padEnd(17)} ${seconds(run.ms).padStart(6)} s  ${qps.toFixed(1).padStart(6)}/s  conns ${run.counters.connections}  tokens ${run.counters.tokenRequests}  rate-limit answers ${run.counters.rateLimitAnswers}  peak ${run.counters.peakPerSecond}/1s${errors}${other}${first}`;
	}

	// Warm-up: every sender once per platform, small, not recorded (the pack's token is fetched here).
	/** @type {Array<Awaited<ReturnType<typeof runCase>>>} */
	const warmUps = [];
	for (const id of PLATFORM_IDS) {
		for (const variant of VARIANTS) {
			const run = await runCase(id, 0, variant, WARM_UP_ITEMS, `warm-up-${variant}`);
			warmUps.push(run);
			console.log(`warm-up  ${PLATFORMS[id].name.padEnd(8)} 0 ms    ${describeRun(run)}`);
		}
	}

	/** @type {Array<Awaited<ReturnType<typeof runCase>>>} */
	const runs = [];
	const total = REPS * LATENCIES.length * PLATFORM_IDS.length * VARIANTS.length;
	for (let rep = 0; rep < REPS && !interrupted; rep++) {
		for (const [li, latencyMs] of LATENCIES.entries()) {
			for (const [pi, id] of PLATFORM_IDS.entries()) {
				const shift = (rep + li + pi) % VARIANTS.length;
				const order = [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)];
				for (const variant of order) {
					const run = await runCase(
						id,
						latencyMs,
						variant,
						ITEMS,
						`r${rep + 1}-${latencyMs}ms-${variant}`,
					);
					runs.push(run);
					console.log(
						`[${String(runs.length).padStart(String(total).length)}/${total}] rep ${rep + 1} ${PLATFORMS[id].name.padEnd(8)} ${`${latencyMs} ms`.padEnd(6)} ${describeRun(run)}`,
					);
				}
			}
		}
	}

	// Memory: (b) then (a), each in a fresh process, 0 ms latency.
	/** @type {Array<{ id: PlatformId, variant: Variant, result: any, counters: any }>} */
	const memory = [];
	for (const id of MEMORY_PLATFORMS) {
		for (const variant of /** @type {const} */ (['bare', 'pack'])) {
			await emulator.call('startCase', { platform: id, latencyMs: 0 });
			const config = {
				variant,
				platform: id,
				items: MEMORY_ITEMS,
				seed: setup.seeds[id],
				baseUrls: setup.baseUrls,
			};
			const child = fork(here('./memoryChild.mjs'), [JSON.stringify(config)], {
				execArgv: ['--expose-gc'],
				stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			});
			const exited = new Promise((resolve) => child.once('exit', resolve));
			const result = await new Promise((resolve, reject) => {
				child.once('exit', (code) =>
					reject(new Error(`the ${variant} memory child exited (${code}) before reporting`)),
				);
				child.on('message', async (/** @type {any} */ message) => {
					if (message?.ready) {
						// Its warm-up item counted against the quota: start the window afresh.
						await emulator.call('restartQuota', { platform: id });
						child.send({ go: true });
					} else if (message?.result) resolve(message.result);
				});
			});
			await exited;
			const counters = await emulator.call('counters');
			memory.push({ id, variant, result, counters });
			const errors =
				variant === 'pack'
					? `, ${result.errorsSurfaced} error(s) surfaced${result.sent < MEMORY_ITEMS ? `, only ${result.sent} sent` : ''}`
					: '';
			console.log(
				`memory   ${PLATFORMS[id].name.padEnd(8)} 0 ms    ${LABEL[variant].padEnd(17)} ${seconds(result.wallMs).padStart(6)} s  peak RSS ${result.peakRssMb.toFixed(0)} MB  conns ${counters.connections}  tokens ${counters.tokenRequests}  rate-limit answers ${counters.rateLimitAnswers}${errors}`,
			);
		}
	}

	// ------------------------------------------------------------------------------------------
	// Report.

	const groupOf = (
		/** @type {PlatformId} */ id,
		/** @type {number} */ latencyMs,
		/** @type {Variant} */ variant,
	) =>
		runs.filter((run) => run.id === id && run.latencyMs === latencyMs && run.variant === variant);
	const medianMs = (
		/** @type {PlatformId} */ id,
		/** @type {number} */ latencyMs,
		/** @type {Variant} */ variant,
	) => {
		const group = groupOf(id, latencyMs, variant);
		return group.length ? median(group.map((run) => run.ms)) : NaN;
	};
	const qpsOf = (
		/** @type {PlatformId} */ id,
		/** @type {number} */ latencyMs,
		/** @type {Variant} */ variant,
	) => ITEMS / (medianMs(id, latencyMs, variant) / 1000);

	console.log(
		`\nPer case, ${REPS} repetition(s) of ${ITEMS} items: wall time min / median / max; QPS = items / median wall time; conns = TCP connections opened per run; tokens, rate-limit answers (from the emulator) and errors surfaced to the user (error items + failed executions, pack only) summed over the repetitions; peak = most calls accepted in any 1 s`,
	);
	/** @type {Array<Array<string|number>>} */
	const caseRows = [];
	for (const id of PLATFORM_IDS) {
		for (const latencyMs of LATENCIES) {
			for (const variant of VARIANTS) {
				const group = groupOf(id, latencyMs, variant);
				if (!group.length) continue;
				const walls = group.map((run) => run.ms);
				const qps = ITEMS / (median(walls) / 1000);
				caseRows.push([
					PLATFORMS[id].name,
					`${latencyMs} ms`,
					LABEL[variant],
					`${seconds(Math.min(...walls))} / ${seconds(median(walls))} / ${seconds(Math.max(...walls))}`,
					qps.toFixed(1),
					percent(qps / PLATFORMS[id].quota.perSecond),
					Math.max(...group.map((run) => run.counters.peakPerSecond)),
					span(group.map((run) => run.counters.connections)),
					sum(group.map((run) => run.counters.tokenRequests)),
					sum(group.map((run) => run.counters.rateLimitAnswers)),
					variant === 'pack' ? sum(group.map((run) => run.errorsSurfaced)) : '-',
				]);
			}
		}
	}
	printTable(
		[
			'platform',
			'latency',
			'case',
			'wall s min / med / max',
			'QPS',
			'of quota',
			'peak/1s',
			'conns',
			'tokens',
			'rate-limit answers',
			'errors',
		],
		caseRows,
		[4, 5, 6, 7, 8, 9, 10],
	);

	console.log('\nRatios of median wall times (1.00 = as fast as the hand-written sender)');
	/** @type {Array<Array<string|number>>} */
	const ratioRows = [];
	for (const id of PLATFORM_IDS) {
		for (const latencyMs of LATENCIES) {
			const pack = medianMs(id, latencyMs, 'pack');
			if (Number.isNaN(pack)) continue;
			const { concurrency, perSecond } = limits[id];
			const ceiling = latencyMs > 0 ? (concurrency.value * 1000) / latencyMs : Infinity;
			ratioRows.push([
				PLATFORMS[id].name,
				`${latencyMs} ms`,
				(pack / medianMs(id, latencyMs, 'capped')).toFixed(2),
				(pack / medianMs(id, latencyMs, 'bare')).toFixed(2),
				Math.min(ceiling, perSecond).toFixed(1),
			]);
		}
	}
	printTable(
		[
			'platform',
			'latency',
			'pack/(c)',
			'pack/(b)',
			'(c) bound/s = min(pace, concurrency / latency)',
		],
		ratioRows,
		[2, 3, 4],
	);

	if (memory.length) {
		console.log(
			`\nMemory, ${MEMORY_ITEMS} items at 0 ms, each sender in a fresh process: peak RSS = process.resourceUsage().maxRSS over its whole life; baseline after loading, one warm-up item and a GC; heap after GC with the run's output still held; tokens and conns over the whole child process`,
		);
		printTable(
			[
				'platform',
				'case',
				'peak RSS MB',
				'baseline RSS MB',
				'heap baseline MB',
				'heap after GC MB',
				'wall s',
				'tokens',
				'conns',
				'rate-limit answers',
				'errors',
			],
			memory.map(({ id, variant, result, counters }) => [
				PLATFORMS[id].name,
				LABEL[variant],
				result.peakRssMb.toFixed(0),
				result.baseline.rssMb.toFixed(0),
				result.baseline.heapUsedMb.toFixed(1),
				result.heapAfterGcMb.toFixed(1),
				seconds(result.wallMs),
				counters.tokenRequests,
				counters.connections,
				counters.rateLimitAnswers,
				variant === 'pack' ? result.errorsSurfaced : '-',
			]),
			[2, 3, 4, 5, 6, 7, 8, 9, 10],
		);
	}

	// ------------------------------------------------------------------------------------------
	// Targets.

	/** @type {Array<[string, string, string]>} */
	const targets = [];
	const verdict = (/** @type {boolean} */ pass) => (pass ? 'PASS' : 'MISS');
	for (const id of PLATFORM_IDS) {
		const name = PLATFORMS[id].name;
		if (LATENCIES.includes(50)) {
			const ratio = medianMs(id, 50, 'pack') / medianMs(id, 50, 'capped');
			targets.push([`${name}: pack/(c) ≤ 1.10 at 50 ms`, ratio.toFixed(2), verdict(ratio <= 1.1)]);
		} else targets.push([`${name}: pack/(c) ≤ 1.10 at 50 ms`, '50 ms not run', '-']);
	}
	for (const id of PLATFORM_IDS) {
		const { name, quota } = PLATFORMS[id];
		for (const latencyMs of LATENCIES) {
			const label = `${name}: pack ≥ 90 % of the quota at ${latencyMs} ms`;
			const qps = qpsOf(id, latencyMs, 'pack');
			const ceiling = latencyMs > 0 ? (limits[id].concurrency.value * 1000) / latencyMs : Infinity;
			const figure = `${qps.toFixed(1)}/s = ${percent(qps / quota.perSecond)} of ${quota.perSecond.toFixed(1)}/s`;
			if (ceiling < 0.9 * quota.perSecond)
				targets.push([
					label,
					`${figure}; concurrency ${limits[id].concurrency.value} / ${latencyMs} ms allows only ${ceiling.toFixed(1)}/s`,
					'n/a',
				]);
			else targets.push([label, figure, verdict(qps >= 0.9 * quota.perSecond)]);
		}
	}
	const packRuns = [...warmUps, ...runs].filter((run) => run.variant === 'pack');
	const memoryPack = memory.filter((entry) => entry.variant === 'pack');
	const rateLimitErrors =
		sum(packRuns.map((run) => run.rateLimitErrors)) +
		sum(memoryPack.map((entry) => entry.result.rateLimitErrors));
	const otherErrors =
		sum(packRuns.map((run) => run.errorsSurfaced - run.rateLimitErrors)) +
		sum(memoryPack.map((entry) => entry.result.errorsSurfaced - entry.result.rateLimitErrors));
	targets.push([
		'0 rate-limit errors surfaced to the user (every pack run)',
		`${rateLimitErrors} (other errors: ${otherErrors})`,
		verdict(rateLimitErrors === 0),
	]);
	for (const id of PLATFORM_IDS) {
		const tokens = sum(
			packRuns.filter((run) => run.id === id).map((run) => run.counters.tokenRequests),
		);
		targets.push([
			`${PLATFORMS[id].name}: 1 token request per process (bench process, ${packRuns.filter((run) => run.id === id).length} pack runs)`,
			String(tokens),
			verdict(tokens === 1),
		]);
	}
	for (const entry of memoryPack) {
		const tokens = entry.counters.tokenRequests;
		targets.push([
			`${PLATFORMS[entry.id].name}: 1 token request per process (memory child, ${MEMORY_ITEMS + 1} items)`,
			String(tokens),
			verdict(tokens === 1),
		]);
	}
	for (const id of MEMORY_PLATFORMS) {
		const pack = memory.find((entry) => entry.id === id && entry.variant === 'pack');
		const bare = memory.find((entry) => entry.id === id && entry.variant === 'bare');
		if (!pack || !bare) continue;
		const ratio = pack.result.peakRssMb / bare.result.peakRssMb;
		targets.push([
			`${PLATFORMS[id].name}: peak RSS for ${MEMORY_ITEMS} items ≤ 2× the bare loop's`,
			`${pack.result.peakRssMb.toFixed(0)} MB / ${bare.result.peakRssMb.toFixed(0)} MB = ${ratio.toFixed(2)}×`,
			verdict(ratio <= 2),
		]);
	}
	console.log('\nTargets');
	printTable(['target', 'figure', 'result'], targets);

	console.log(
		`\nTotal ${seconds(performance.now() - benchStarted)} s; load average ${os
			.loadavg()
			.map((load) => load.toFixed(2))
			.join(' ')} at the end`,
	);
} finally {
	await emulator.close();
}
