/**
 * The browser parts of `npm run bench -- --browser`: the app is built (or a build reused), served on
 * 127.0.0.1 with cross-origin isolation and opened in headless Chromium, with the helpers the browser
 * tests use too (src/cli/browser).
 *
 * - browser: bench.html times the MNIST paper step in a worker on each tfjs backend.
 * - longtasks: the lab page trains a short comparison while the page counts long tasks.
 * - import: three seeds × two configurations of 16,384-latent SAEs imported and aligned in the page.
 *
 * Every page has a time limit, so a backend that is too slow here (SwiftShader's WebGPU, cpu) ends
 * with what it measured so far instead of hanging the bench.
 */
import { stat, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { benchImportAlignment } from './bench-browser-align';
import { buildApp } from './browser/build-app';
import { launchChromium, CHROMIUM_PATH } from './browser/chromium';
import { openLab } from './browser/lab-page';
import { serveStatic } from './browser/static-server';
import type { BenchMessage } from '../bench/protocol';
import { median, stepFlops } from '../bench/step';
import { mnistPaperConfig } from '../core/presets';
import type { BackendName } from '../runtime/protocol/backend-types';
import { describeReference, numpyStepMs, stepTable, type StepTiming } from './bench-reference';

/** One backend's run on bench.html: at most `steps` timed steps after a warm-up, within `limitS` seconds from opening the page. */
export interface BrowserRun {
  backend: BackendName;
  steps: number;
  limitS: number;
  /** wasm: XNNPACK's thread count, past tfjs's cap of half the logical cores (workers/bench.worker.ts); tfjs's own choice when left out. */
  threads?: number;
}

/**
 * wasm first (the backend the lab uses here), then the software GPUs and cpu, whose steps take
 * seconds to a minute. A warm-up step and at least one timed step must fit in the limit.
 */
export const BROWSER_RUNS: readonly BrowserRun[] = [
  { backend: 'wasm', steps: 7, limitS: 120 },
  { backend: 'wasm', steps: 7, limitS: 120, threads: 2 },
  { backend: 'webgl', steps: 3, limitS: 180 },
  { backend: 'webgpu', steps: 2, limitS: 240 },
  { backend: 'cpu', steps: 3, limitS: 240 },
];

/** The lab page of the long-task measurement: a comparison of two configurations, three seeds each, on forced wasm. */
export const LONG_TASK_QUERY = 'backend=wasm&images=2000&steps=200&width=64';

export interface BrowserBenchOptions {
  /** A built app to serve (a folder holding index.html and bench.html); built afresh when left out. */
  build?: string;
  /** Only these backends of BROWSER_RUNS. */
  backends?: readonly string[];
  steps: boolean;
  longTasks: boolean;
  /** The import of three seeds × two configurations of 16,384-latent SAEs (bench-browser-align.ts). */
  importAlign: boolean;
}

interface Served {
  url: string;
  browser: Browser;
}

export async function runBrowserBench(options: BrowserBenchOptions): Promise<void> {
  const runs = BROWSER_RUNS.filter((run) => !options.backends || options.backends.includes(run.backend));
  if (options.steps && runs.length === 0) throw new Error(`--backends names none of ${[...new Set(BROWSER_RUNS.map((r) => r.backend))].join(', ')}`);
  // Start NumPy's step at once: it runs while the app builds.
  const reference = options.steps ? numpyStepMs(mnistPaperConfig(), 7) : null;
  const started = performance.now();
  const dir = options.build ? await reusedBuild(options.build) : await buildApp(process.cwd());
  console.log(`\nbrowser: ${options.build ? `serving the build in ${dir}` : `app built in ${((performance.now() - started) / 1000).toFixed(0)} s`}; ${CHROMIUM_PATH}, headless`);
  const server = await serveStatic(dir);
  const served: Served = { url: server.url, browser: await launchChromium() };
  console.log(`Chromium ${served.browser.version()}`);
  try {
    if (options.steps) await timeBackends(served, runs, await reference!);
    if (options.longTasks) await countLongTasks(served);
    if (options.importAlign) await benchImportAlignment(served.browser, served.url, dir);
  } finally {
    await within(served.browser.close(), 15_000);
    await server.close();
    if (!options.build) await rm(dir, { recursive: true, force: true });
  }
}

async function reusedBuild(folder: string): Promise<string> {
  const dir = resolve(folder);
  for (const page of ['index.html', 'bench.html']) {
    if (!(await stat(join(dir, page)).catch(() => null))?.isFile()) throw new Error(`--build ${folder}: no ${page} there (build the app with "npm run build" into it, or leave --build out)`);
  }
  return dir;
}

/** Resolves when `promise` does or after `ms`, whichever comes first: closing a wedged page or browser must not hang the bench. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

interface BrowserStepResult {
  label: string;
  /** What ran, as the worker's selectBackend reported it. */
  ran: string | null;
  detail: string;
  warmUpMs: number | null;
  timed: number[];
  /** Why the run ended early, if it did. */
  note: string | null;
}

async function timeBackends(served: Served, runs: readonly BrowserRun[], reference: Awaited<ReturnType<typeof numpyStepMs>>): Promise<void> {
  const config = mnistPaperConfig();
  console.log(`\nMNIST paper step in the browser (a worker per backend; batch ${config.batchSize}, ${config.d_in}→${config.d_sae} ReLU), ${(stepFlops(config) / 1e9).toFixed(1)} GFLOP per step`);
  console.log(describeReference(reference));
  const results: BrowserStepResult[] = [];
  for (const run of runs) {
    const result = await timeInPage(served, run);
    results.push(result);
    // A page that ran out of time may have left the GPU process or a thread busy: the next backend gets a fresh browser.
    if (result.note) {
      await within(served.browser.close(), 15_000);
      served.browser = await launchChromium();
    }
  }
  const timings: StepTiming[] = results
    .filter((r) => r.timed.length > 0)
    .map((r) => {
      const ms = median(r.timed);
      return { backend: `${r.label} (${r.timed.length} step${r.timed.length === 1 ? '' : 's'})`, shape: 'MNIST paper', msPerStep: ms, stepsPerSecond: 1000 / ms, gflops: stepFlops(config) / ms / 1e6 };
    });
  console.log('\nwhat ran:');
  for (const r of results) console.log(`  ${r.label}: ${r.ran ?? 'no backend started'}${r.detail ? ` (${r.detail})` : ''}`);
  if (timings.length > 0) console.log(`\n${stepTable(timings, reference)}`);
  for (const r of results.filter((r) => r.note)) console.log(`${r.label}: ${r.note}`);
}

function labelOf(run: BrowserRun): string {
  return run.threads === undefined ? run.backend : `${run.backend}, ${run.threads} threads forced`;
}

/** Opens bench.html for one backend and collects the worker's messages until it is done, fails, or runs out of time. */
async function timeInPage(served: Served, run: BrowserRun): Promise<BrowserStepResult> {
  const label = labelOf(run);
  const result: BrowserStepResult = { label, ran: null, detail: '', warmUpMs: null, timed: [], note: null };
  const page: Page = await served.browser.newPage();
  const limitMs = run.limitS * 1000;
  const opened = Date.now();
  let finish!: (note: string | null) => void;
  const finished = new Promise<string | null>((resolve) => (finish = resolve));
  const timer = setTimeout(() => finish(null), limitMs);
  try {
    await page.exposeFunction('benchReport', (message: BenchMessage) => {
      if (message.kind === 'backend') {
        result.ran = message.report.name;
        result.detail = [message.report.detail, ...message.report.reasons, message.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated', `${message.hardwareConcurrency} logical cores`].join('; ');
        console.log(`  ${label}: ${message.report.name}, ${message.report.detail}`);
      } else if (message.kind === 'step') {
        if (message.warmUp) result.warmUpMs = message.ms;
        else result.timed.push(message.ms);
        if (message.ms > 5000) console.log(`  ${label}: ${message.warmUp ? 'warm-up step' : `step ${message.index}`} took ${(message.ms / 1000).toFixed(1)} s`);
        // Stop before a step that would not fit in the time left, keeping the steps measured so far.
        const elapsed = Date.now() - opened;
        if (!message.warmUp && message.index < run.steps && elapsed + message.ms > limitMs) {
          finish(`${result.timed.length} of ${run.steps} timed steps: another would pass the ${run.limitS} s limit`);
        }
      } else if (message.kind === 'done') {
        finish('');
      } else {
        finish(`failed: ${message.message}`);
      }
    });
    page.on('crash', () => finish('the page crashed'));
    const query = new URLSearchParams({ backend: run.backend, steps: String(run.steps), ...(run.threads !== undefined && { threads: String(run.threads) }) });
    await page.goto(`${served.url}bench.html?${query}`);
    const note = await finished;
    if (note === null) {
      result.note =
        result.warmUpMs === null
          ? `no step finished within the ${run.limitS} s limit (backend ${result.ran ? 'started' : 'not started'})`
          : result.timed.length === 0
            ? `the warm-up step took ${(result.warmUpMs / 1000).toFixed(1)} s; no timed step finished within the ${run.limitS} s limit`
            : `${result.timed.length} of ${run.steps} timed steps within the ${run.limitS} s limit`;
    } else if (note !== '') {
      result.note = note;
    }
  } finally {
    clearTimeout(timer);
    await within(page.close(), 10_000);
  }
  return result;
}

/** What the page's monitor has seen: long-task entries and gaps of a 10 ms interval timer. */
interface MainThreadLog {
  longTasks: { start: number; duration: number }[];
  gaps: { start: number; duration: number }[];
  supported: boolean;
}

declare global {
  interface Window {
    benchMainThread?: MainThreadLog;
  }
}

/** Installed in the lab page: a PerformanceObserver for 'longtask' entries and, as a cross-check, a 10 ms interval timer whose late ticks show stalls. */
function installMonitor(): void {
  const log: MainThreadLog = { longTasks: [], gaps: [], supported: PerformanceObserver.supportedEntryTypes.includes('longtask') };
  window.benchMainThread = log;
  if (log.supported) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) log.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  }
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 50) log.gaps.push({ start: last, duration: now - last });
    last = now;
  }, 10);
}

/** Page loads of the long-task measurement; each prints its own line, then the medians. */
const LONG_TASK_RUNS = 3;

interface LongTaskRun {
  trainingS: number;
  longTasks: number[];
  stalls: number[];
  supported: boolean;
  planted: boolean;
}

async function countLongTasks(served: Served): Promise<void> {
  console.log(`\nMain thread during a comparison on the lab page (?${LONG_TASK_QUERY}: two workers, 3 seeds each), ${LONG_TASK_RUNS} page loads`);
  console.log("'longtask' entries (PerformanceObserver) are the page's own tasks over 50 ms; stalls are ticks of a 10 ms interval timer that came over 50 ms late (a long task, or no core free)");
  const runs: LongTaskRun[] = [];
  for (let i = 1; i <= LONG_TASK_RUNS; i++) {
    const run = await longTasksOnce(served);
    runs.push(run);
    const longest = (values: number[]) => (values.length ? `${Math.max(...values).toFixed(0)} ms` : '–');
    console.log(
      `run ${i}: training ${run.trainingS.toFixed(1)} s; long tasks: ${run.supported ? `${run.longTasks.length}, longest ${longest(run.longTasks)}` : 'not supported by this Chromium'}; ` +
        `stalls: ${run.stalls.length} (${run.stalls.filter((d) => d > 100).length} over 100 ms), longest ${longest(run.stalls)}` +
        `${run.supported && !run.planted ? '; the planted 120 ms task after the run was NOT reported' : ''}`,
    );
  }
  const med = (pick: (run: LongTaskRun) => number) => median(runs.map(pick));
  const longestOf = (values: number[]) => (values.length ? Math.max(...values) : 0);
  console.log(
    `median: long tasks ${med((r) => r.longTasks.length)}, longest ${med((r) => longestOf(r.longTasks)).toFixed(0)} ms; stalls ${med((r) => r.stalls.length)}, longest ${med((r) => longestOf(r.stalls)).toFixed(0)} ms; ` +
      `training ${med((r) => r.trainingS).toFixed(1)} s. A planted 120 ms task after each run was ${runs.every((r) => r.planted) ? 'reported every time' : 'not always reported'}.`,
  );
}

/** One page load: the monitor runs from the page's load; counts cover the time from "training" to "done" as the page shows them. */
async function longTasksOnce(served: Served): Promise<LongTaskRun> {
  const lab = await openLab(served.browser, served.url, LONG_TASK_QUERY);
  try {
    await lab.page.evaluate(installMonitor);
    await lab.ready(120_000);
    await lab.phase(/training|done/, 120_000);
    const start = await lab.page.evaluate(() => performance.now());
    await lab.phase(/^done$/, 300_000);
    const end = await lab.page.evaluate(() => performance.now());
    // A planted 120 ms task after the run shows whether this Chromium reports long tasks at all.
    await lab.page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            const t = performance.now();
            while (performance.now() - t < 120);
            setTimeout(resolve, 500);
          }, 0),
        ),
    );
    const log = await lab.page.evaluate(() => window.benchMainThread!);
    const inRun = (e: { start: number }) => e.start >= start && e.start <= end;
    return {
      trainingS: (end - start) / 1000,
      longTasks: log.longTasks.filter(inRun).map((e) => e.duration),
      stalls: log.gaps.filter(inRun).map((e) => e.duration),
      supported: log.supported,
      planted: log.longTasks.some((e) => e.start > end && e.duration >= 100),
    };
  } finally {
    await lab.close();
  }
}
