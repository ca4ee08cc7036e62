import os from 'node:os';
import { tf } from '../core/tf';
import { mnistPaperConfig, pythiaPaperConfig } from '../core/presets';
import { saeVariant } from '../core/sae/variants';
import type { TrainConfig } from '../core/train/config';
import { stepFlops, timeTrainingStep } from '../bench/step';
import { benchAssignment } from './bench-assignment';
import { benchGpu } from './bench-gpu';
import { describeReference, numpyStepMs, stepTable, type StepTiming } from './bench-reference';
import { benchShards, SHARD_BENCH, SHARD_LOAD_ENV, shardLoadChild } from './bench-shards';
import { benchSweep } from './bench-sweep';
import { initNodeBackend, type NodeBackend } from './node-backend';

export { stepFlops, timeTrainingStep, type StepTiming };

/**
 * The parts of `npm run bench`. The sweep (minutes), the GPU and the browser ones (a build, Chromium,
 * minutes) run only when asked for; `import` (16,384-latent SAEs in the page, several GB) only by name.
 */
export const BENCH_PARTS = ['mnist', 'pythia', 'assignment', 'shards', 'sweep', 'gpu', 'browser', 'longtasks', 'import'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];
const DEFAULT_PARTS: readonly BenchPart[] = ['mnist', 'pythia', 'assignment', 'shards'];
const BROWSER_PARTS: readonly BenchPart[] = ['browser', 'longtasks'];

export interface BenchOptions {
  full?: boolean;
  /** Comma-separated parts; the default parts when left out. */
  only?: string;
  /** Adds the browser parts to the others (the default ones, or those of --only). */
  browser?: boolean;
  /** A built app for the browser parts to serve instead of building one. */
  build?: string;
  /** Comma-separated backends of the browser step bench. */
  backends?: string;
  /** Adds the GPU part. */
  gpu?: boolean;
  /** The sweep part's preset and (for a quick look) epochs. */
  sweepPreset?: string;
  sweepEpochs?: number;
}

/**
 * `npm run bench [-- --full] [--browser] [--gpu] [--only mnist,pythia,assignment,shards,sweep,gpu,browser,longtasks,import]`. The
 * assignment runs first: its peak RSS is the process's, and the training steps before it would have
 * grown the wasm heap (which never shrinks) and so inflated that figure.
 */
export async function runBenchCommand(options: BenchOptions): Promise<void> {
  // The child process of the shard bench (src/cli/bench-shards.ts): one load, one JSON line.
  const shardFolder = process.env[SHARD_LOAD_ENV];
  if (shardFolder) return shardLoadChild(shardFolder, SHARD_BENCH.batch, SHARD_BENCH.batches);
  const named = options.only === undefined ? [...DEFAULT_PARTS] : options.only.split(',').map((s) => s.trim());
  const unknown = named.filter((p) => !(BENCH_PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`--only takes ${BENCH_PARTS.join(', ')} (got ${unknown.join(', ')})`);
  const parts = new Set([...named, ...(options.browser ? BROWSER_PARTS : []), ...(options.gpu ? ['gpu'] : [])]);
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}, tfjs ${tf.version_core}`);
  // 16,384 features takes minutes and about 1.2 GB: only with --full.
  if (parts.has('assignment')) await benchAssignment(options.full ? [1568, 4096, 16384] : [1568, 4096]);
  if (parts.has('shards')) await benchShards();
  if (parts.has('mnist')) await runBench(['wasm', 'cpu'], 7);
  if (parts.has('pythia')) await runPythiaBench(3);
  // Child processes of their own: run before anything in this process grows its memory.
  if (parts.has('sweep')) await benchSweep({ preset: options.sweepPreset, epochs: options.sweepEpochs });
  // Last of the Node parts: it switches this process to the webgpu backend.
  if (parts.has('gpu')) await benchGpu();
  if (parts.has('browser') || parts.has('longtasks') || parts.has('import')) {
    // Loaded only here: it brings Vite and playwright-core.
    const { runBrowserBench } = await import('./bench-browser');
    await runBrowserBench({ build: options.build, backends: options.backends?.split(',').map((s) => s.trim()), steps: parts.has('browser'), longTasks: parts.has('longtasks'), importAlign: parts.has('import') });
  }
  console.log(`
load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

function describe(c: TrainConfig): string {
  return `batch ${c.batchSize}, ${c.d_in}→${c.d_sae} ${saeVariant(c.activation.kind).describe(c.activation)}`;
}

async function timeShape(name: string, config: TrainConfig, runs: { backend: NodeBackend; label?: string; config?: TrainConfig; steps: number }[]): Promise<StepTiming[]> {
  const reference = await numpyStepMs(config, runs[0].steps);
  console.log(`\n${name} (${describe(config)}), ${(stepFlops(config) / 1e9).toFixed(1)} GFLOP per dense step`);
  console.log(describeReference(reference));
  const results: StepTiming[] = [];
  for (const run of runs) {
    await initNodeBackend(run.backend);
    const ms = await timeTrainingStep(run.config ?? config, run.steps);
    results.push({ backend: run.backend + (run.label ? `, ${run.label}` : ''), shape: describe(config), msPerStep: ms, stepsPerSecond: 1000 / ms, gflops: stepFlops(config) / ms / 1e6 });
  }
  console.log(stepTable(results, reference));
  return results;
}

/** The MNIST paper's step (batch 512, 784 → 1568, ReLU + L1) on each backend. */
export async function runBench(backends: NodeBackend[], steps: number): Promise<StepTiming[]> {
  return timeShape(
    'MNIST paper step',
    mnistPaperConfig(),
    backends.map((backend) => ({ backend, steps: backend === 'cpu' ? Math.min(steps, 3) : steps })),
  );
}

/**
 * The Pythia paper's step (batch 2048, 512 → 16,384, TopK 40, AuxK 1/32 with k_aux 256, clipping 1)
 * on wasm, twice: with no latent dead, as in the paper's first 10M tokens (AuxK selects nothing), and
 * with every latent dead, AuxK's worst case (k_aux filled slots per row). The dense products cost
 * the same either way; the sparse path (src/core/sae/sparse-top-k.ts) does more work in the second.
 */
export async function runPythiaBench(steps: number): Promise<StepTiming[]> {
  const config = pythiaPaperConfig();
  const results = await timeShape('Pythia paper step', config, [
    { backend: 'wasm', label: 'no latent dead', steps },
    { backend: 'wasm', label: 'all latents dead', config: { ...config, deadAfterTokens: 0 }, steps },
  ]);
  console.log("cpu: not run. tfjs-cpu multiplies in plain JavaScript at about 0.5 GFLOP/s (MNIST table): the encoder's 34 GFLOP product alone would take over a minute per step");
  return results;
}
