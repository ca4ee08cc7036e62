import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { tf } from '../core/tf';
import { mnistPaperConfig, pythiaPaperConfig } from '../core/presets';
import { tensorSource } from '../core/train/source';
import { SaeTrainer } from '../core/train/trainer';
import type { TrainConfig } from '../core/train/config';
import { benchAssignment } from './benchAssignment';
import { initNodeBackend, type NodeBackend } from './nodeBackend';

export interface StepTiming {
  backend: string;
  shape: string;
  msPerStep: number;
  stepsPerSecond: number;
  gflops: number;
}

/** The parts of `npm run bench`; all of them when none is named. */
export const BENCH_PARTS = ['mnist', 'pythia', 'assignment'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

/**
 * `npm run bench [-- --full] [--only mnist,pythia,assignment]`. The assignment runs first: its peak
 * RSS is the process's, and the training steps before it would have grown the wasm heap (which never
 * shrinks) and so inflated that figure.
 */
export async function runBenchCommand(options: { full?: boolean; only?: string }): Promise<void> {
  const parts = options.only === undefined ? [...BENCH_PARTS] : options.only.split(',').map((s) => s.trim());
  const unknown = parts.filter((p) => !(BENCH_PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`--only takes ${BENCH_PARTS.join(', ')} (got ${unknown.join(', ')})`);
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, tfjs ${tf.version_core}`);
  // 16,384 features takes minutes and about 1.2 GB: only with --full.
  if (parts.includes('assignment')) await benchAssignment(options.full ? [1568, 4096, 16384] : [1568, 4096]);
  if (parts.includes('mnist')) await runBench(['wasm', 'cpu'], 7);
  if (parts.includes('pythia')) await runPythiaBench(3);
}

/**
 * FLOPs of one step counted as dense products, 2 per multiply-add: forward 2 and backward 4
 * [batch, d_in] × [d_in, d_sae]-sized products, plus 3 more for AuxK's decoding (forward, and the
 * backward to its activations and to W_dec). The sparse TopK path does fewer; this count is the
 * work a dense implementation does, so "effective" GFLOP/s compare like with like.
 */
export function stepFlops(c: TrainConfig): number {
  const products = c.activation.kind === 'topk' && c.activation.auxkCoeff > 0 ? 9 : 6;
  return products * 2 * c.batchSize * c.d_in * c.d_sae;
}

/** Median time of a training step at `config`'s shape, after warm-up, on fixed pseudo-random data. */
export async function timeTrainingStep(config: TrainConfig, steps: number): Promise<number> {
  const data = new Float32Array(config.batchSize * 4 * config.d_in).map((_, i) => ((i * 2654435761) % 997) / 997);
  const source = tensorSource(data, config.d_in);
  // Metrics every step: awaiting their small read-back forces the step to finish on asynchronous
  // backends without copying the weights out, as a snapshot would.
  const trainer = SaeTrainer.create({ ...config, length: { unit: 'steps', value: steps + 1 }, metricsEvery: 1 }, source);
  await trainer.trainStep();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await trainer.trainStep();
    times.push(performance.now() - t0);
  }
  trainer.dispose();
  source.dispose();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** The same step in NumPy (scripts/bench_numpy.py), or why it was skipped when python3/NumPy is missing. */
async function numpyStepMs(config: TrainConfig, steps: number): Promise<{ ms: number; version: string } | { missing: string }> {
  try {
    const args = ['scripts/bench_numpy.py', '--steps', String(steps), '--shape', `${config.batchSize},${config.d_in},${config.d_sae}`];
    if (config.activation.kind === 'topk') args.push('--topk', String(config.activation.k), '--aux-k', String(config.activation.kAux));
    const { stdout } = await promisify(execFile)('python3', args);
    const result = JSON.parse(stdout) as { step_ms: number; numpy: string };
    return { ms: result.step_ms, version: result.numpy };
  } catch (e) {
    return { missing: `NumPy reference skipped: python3 with NumPy not available (${(e as Error).message.split('\n')[0]})` };
  }
}

function describe(c: TrainConfig): string {
  const activation = c.activation.kind === 'relu' ? 'ReLU' : `TopK ${c.activation.k}`;
  return `batch ${c.batchSize}, ${c.d_in}→${c.d_sae} ${activation}`;
}

async function timeShape(name: string, config: TrainConfig, runs: { backend: NodeBackend; label?: string; config?: TrainConfig; steps: number }[]): Promise<StepTiming[]> {
  const reference = await numpyStepMs(config, runs[0].steps);
  console.log(`\n${name} (${describe(config)}), ${(stepFlops(config) / 1e9).toFixed(1)} GFLOP per dense step`);
  console.log('ms' in reference ? `NumPy ${reference.version}: ${reference.ms.toFixed(0)} ms/step (the reference for the ratios)` : reference.missing);
  const results: StepTiming[] = [];
  for (const run of runs) {
    await initNodeBackend(run.backend);
    const ms = await timeTrainingStep(run.config ?? config, run.steps);
    results.push({ backend: run.backend + (run.label ? `, ${run.label}` : ''), shape: describe(config), msPerStep: ms, stepsPerSecond: 1000 / ms, gflops: stepFlops(config) / ms / 1e6 });
  }
  const ratio = (ms: number) => ('ms' in reference ? `${(ms / reference.ms).toFixed(2)}×` : '–');
  const width = Math.max(8, ...results.map((r) => r.backend.length));
  console.log(
    [
      `${'backend'.padEnd(width)}  ms/step  steps/s  GFLOP/s  vs NumPy`,
      ...results.map((r) => `${r.backend.padEnd(width)}  ${r.msPerStep.toFixed(0).padStart(7)}  ${r.stepsPerSecond.toFixed(2).padStart(7)}  ${r.gflops.toFixed(1).padStart(7)}  ${ratio(r.msPerStep).padStart(8)}`),
    ].join('\n'),
  );
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
 * the same either way; the sparse path (src/core/sae/sparseTopK.ts) does more work in the second.
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
