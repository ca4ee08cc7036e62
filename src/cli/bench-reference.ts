/** The NumPy reference of `npm run bench` (scripts/bench-numpy.py) and the step table every step bench prints. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ActivationOf, VariantKind } from '../core/sae/variants';
import type { TrainConfig } from '../core/train/config';

export type NumpyReference = { ms: number; version: string } | { missing: string };

export interface StepTiming {
  backend: string;
  shape: string;
  msPerStep: number;
  stepsPerSecond: number;
  gflops: number;
}

/** One measurement per shape and step count in a run: the Node and browser tables of one run share it. */
const measured = new Map<string, Promise<NumpyReference>>();

/**
 * scripts/bench-numpy.py's flags for each variant's step: none for its default, the paper's ReLU + L1
 * step. The script's, not the science's, so kept here; typed by kind, so a new variant must say its own.
 */
const NUMPY_FLAGS: { [K in VariantKind]: (a: ActivationOf<K>) => string[] } = {
  relu: () => [],
  topk: (a) => ['--topk', String(a.k), '--aux-k', String(a.kAux)],
};

/** The same step in NumPy, or why it was skipped when python3/NumPy is missing. */
export function numpyStepMs(config: TrainConfig, steps: number): Promise<NumpyReference> {
  const args = ['scripts/bench-numpy.py', '--steps', String(steps), '--shape', `${config.batchSize},${config.d_in},${config.d_sae}`];
  args.push(...(NUMPY_FLAGS[config.activation.kind] as (a: TrainConfig['activation']) => string[])(config.activation));
  const key = args.join(' ');
  let pending = measured.get(key);
  if (!pending) {
    pending = (async () => {
      try {
        const { stdout } = await promisify(execFile)('python3', args);
        const result = JSON.parse(stdout) as { step_ms: number; numpy: string };
        return { ms: result.step_ms, version: result.numpy };
      } catch (e) {
        return { missing: `NumPy reference skipped: python3 with NumPy not available (${(e as Error).message.split('\n')[0]})` };
      }
    })();
    measured.set(key, pending);
  }
  return pending;
}

export function describeReference(reference: NumpyReference): string {
  return 'ms' in reference ? `NumPy ${reference.version}: ${reference.ms.toFixed(0)} ms/step (the reference for the ratios)` : reference.missing;
}

/** backend · ms/step · steps/s · GFLOP/s · vs NumPy, one row per timing. */
export function stepTable(results: readonly StepTiming[], reference: NumpyReference): string {
  const ratio = (ms: number) => ('ms' in reference ? `${(ms / reference.ms).toFixed(2)}×` : '–');
  const width = Math.max(8, ...results.map((r) => r.backend.length));
  return [
    `${'backend'.padEnd(width)}  ms/step  steps/s  GFLOP/s  vs NumPy`,
    ...results.map((r) => `${r.backend.padEnd(width)}  ${r.msPerStep.toFixed(0).padStart(7)}  ${r.stepsPerSecond.toFixed(2).padStart(7)}  ${r.gflops.toFixed(1).padStart(7)}  ${ratio(r.msPerStep).padStart(8)}`),
  ].join('\n');
}
