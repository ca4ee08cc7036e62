import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { tf } from '../core/tf';
import { mnistPaperConfig } from '../core/presets';
import { tensorSource } from '../core/train/source';
import { SaeTrainer } from '../core/train/trainer';
import type { TrainConfig } from '../core/train/config';
import { initNodeBackend, type NodeBackend } from './nodeBackend';

export interface StepTiming {
  backend: string;
  shape: string;
  msPerStep: number;
  stepsPerSecond: number;
  gflops: number;
}

/** Multiply-adds of one dense ReLU SAE step: forward (2 products) and backward (4), 2 FLOPs each. */
export function stepFlops(c: TrainConfig): number {
  return 6 * 2 * c.batchSize * c.d_in * c.d_sae;
}

/** Median time of a training step at `config`'s shape, after warm-up, on random data. */
export async function timeTrainingStep(config: TrainConfig, steps: number): Promise<number> {
  const data = new Float32Array(config.batchSize * 4 * config.d_in).map((_, i) => (i * 2654435761) % 997 / 997);
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
    const shape = `${config.batchSize},${config.d_in},${config.d_sae}`;
    const { stdout } = await promisify(execFile)('python3', ['scripts/bench_numpy.py', '--steps', String(steps), '--shape', shape]);
    const result = JSON.parse(stdout) as { step_ms: number; numpy: string };
    return { ms: result.step_ms, version: result.numpy };
  } catch (e) {
    return { missing: `NumPy reference skipped: python3 with NumPy not available (${(e as Error).message.split('\n')[0]})` };
  }
}

export async function runBench(backends: NodeBackend[], steps: number): Promise<StepTiming[]> {
  const config = mnistPaperConfig();
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, tfjs ${tf.version_core}`);
  const reference = await numpyStepMs(config, steps);
  console.log('ms' in reference ? `NumPy ${reference.version}: ${reference.ms.toFixed(0)} ms/step (the reference for the ratios)` : reference.missing);
  const results: StepTiming[] = [];
  for (const backend of backends) {
    await initNodeBackend(backend);
    const ms = await timeTrainingStep(config, backend === 'cpu' ? Math.min(steps, 3) : steps);
    results.push({ backend, shape: `MNIST paper: batch ${config.batchSize}, ${config.d_in}→${config.d_sae} ReLU`, msPerStep: ms, stepsPerSecond: 1000 / ms, gflops: stepFlops(config) / ms / 1e6 });
  }
  const ratio = (ms: number) => ('ms' in reference ? `${(ms / reference.ms).toFixed(1)}×` : '–');
  console.log(
    [
      'backend  shape                                   ms/step  steps/s  GFLOP/s  vs NumPy',
      ...results.map((r) => `${r.backend.padEnd(8)} ${r.shape.padEnd(39)} ${r.msPerStep.toFixed(0).padStart(7)}  ${r.stepsPerSecond.toFixed(2).padStart(7)}  ${r.gflops.toFixed(1).padStart(7)}  ${ratio(r.msPerStep).padStart(8)}`),
    ].join('\n'),
  );
  return results;
}
