// The memory case of the contacts benchmark: one reader, the pack or the raw loop, for one case, in
// a fresh process so its RSS is its own. Forked by contactsReturnAll.mjs with --expose-gc; the
// config is argv[2] as JSON ({ variant, caseId, identity, baseUrls, pace }). Steps: load the
// reader, the case's small warm-up (token fetched, code loaded), GC, baseline readings → 'ready';
// on 'go' the Return All run → 'result'. Peak RSS of the run = process.resourceUsage().maxRSS at
// the end when it rose during the run, else the highest RSS sampled every 5 ms during it (maxRSS
// also holds the loading phase); growth = that peak minus the RSS at the baseline. The heap after
// GC is read while the run's output is still held.
import { performance } from 'node:perf_hooks';

const config = JSON.parse(process.argv[2] ?? '{}');
const { variant, caseId, identity, baseUrls, pace } = config;
// The benchmark went away (interrupted): stop.
process.on('disconnect', () => process.exit(1));
const gc = /** @type {() => void} */ (globalThis.gc);
if (typeof gc !== 'function') throw new Error('contactsMemoryChild.mjs needs node --expose-gc');

const mb = (/** @type {number} */ bytes) => bytes / 1024 / 1024;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes

/** @type {{ run: () => Promise<any>, warmUp: () => Promise<any> }} */
let reader;
if (variant === 'pack') {
	const { createContactsPackRunner } = await import('./contactsPackRun.mjs');
	reader = createContactsPackRunner(caseId, identity, baseUrls, pace);
} else {
	const { openRawReader } = await import('./contactsCases.mjs');
	reader = openRawReader(caseId, identity, baseUrls, { perSecond: config.rawPerSecond ?? 0 });
}

await reader.warmUp();
gc();
const baseline = {
	rssMb: mb(process.memoryUsage.rss()),
	heapUsedMb: mb(process.memoryUsage().heapUsed),
	peakRssMb: maxRssMb(),
};
await new Promise((resolve) => {
	process.on('message', (/** @type {any} */ message) => message?.go && resolve(undefined));
	process.send?.({ ready: true });
});

let sampledPeakMb = baseline.rssMb;
const sampler = setInterval(() => {
	sampledPeakMb = Math.max(sampledPeakMb, mb(process.memoryUsage.rss()));
}, 5);
const started = performance.now();
const outcome = await reader.run();
const wallMs = performance.now() - started;
clearInterval(sampler);
sampledPeakMb = Math.max(sampledPeakMb, mb(process.memoryUsage.rss()));
const endMaxRssMb = maxRssMb();
const rose = endMaxRssMb > baseline.peakRssMb;
const peakRssMb = rose ? endMaxRssMb : sampledPeakMb;
gc();
const heapAfterGcMb = mb(process.memoryUsage().heapUsed);
const items = variant === 'pack' ? outcome.items : outcome.output.length;
const { result: _result, output: _output, ...figures } = outcome; // held until the reading above
process.send?.(
	{
		result: {
			...figures,
			items,
			wallMs,
			baseline,
			peakRssMb,
			peakSource: rose ? 'maxRSS' : 'sampled',
			growthMb: peakRssMb - baseline.rssMb,
			heapAfterGcMb,
		},
	},
	() => process.exit(0),
);
