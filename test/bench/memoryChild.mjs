// The memory case of the send benchmark: one sender, (a) the pack or (b) the bare loop, in a fresh
// process so its peak RSS is its own. Forked by sendThroughput.mjs with --expose-gc; the config is
// argv[2] as JSON. Steps: load the sender, build the items, one warm-up item, GC, baseline
// readings → 'ready'; on 'go' (the parent has restarted the emulator's quota) the run → 'result'
// with the peak RSS of the whole process (process.resourceUsage().maxRSS) and the heap after GC
// while the run's output is still held.
import { performance } from 'node:perf_hooks';

import { PLATFORMS, benchItems } from './platforms.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const { variant, platform: platformId, items: count, seed, baseUrls } = config;
const platform = PLATFORMS[/** @type {'dingtalk'|'wecom'} */ (platformId)];
// The benchmark went away (interrupted): stop rather than send into the void.
process.on('disconnect', () => process.exit(1));
const gc = /** @type {() => void} */ (globalThis.gc);
if (typeof gc !== 'function') throw new Error('memoryChild.mjs needs node --expose-gc');

const mb = (/** @type {number} */ bytes) => bytes / 1024 / 1024;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes

/** @type {(items: import('./platforms.mjs').BenchItem[]) => Promise<any>} */
let send;
if (variant === 'pack') {
	const { createPackRunner } = await import('./packRun.mjs');
	send = createPackRunner(platformId, seed, baseUrls);
} else {
	const { openBareSender } = await import('./senders.mjs');
	send = openBareSender(platform.calls(seed, baseUrls)).send;
}

const items = benchItems(seed, count, `memory-${variant}-${process.pid}`);
await send(benchItems(seed, 1, `memory-warm-up-${variant}-${process.pid}`));
gc();
const baseline = {
	rssMb: mb(process.memoryUsage().rss),
	heapUsedMb: mb(process.memoryUsage().heapUsed),
	peakRssMb: maxRssMb(),
};
await new Promise((resolve) => {
	process.on('message', (/** @type {any} */ message) => message?.go && resolve(undefined));
	process.send?.({ ready: true });
});

const started = performance.now();
const outcome = await send(items);
const ms = performance.now() - started;
const peakRssMb = maxRssMb();
const heapAtEndMb = mb(process.memoryUsage().heapUsed);
gc();
const heapAfterGcMb = mb(process.memoryUsage().heapUsed);
const { result: _output, ...figures } = outcome; // the output was held until the reading above
process.send?.(
	{ result: { ...figures, wallMs: ms, baseline, peakRssMb, heapAtEndMb, heapAfterGcMb } },
	() => process.exit(0),
);
