/**
 * The training step that `npm run bench` times, shared by Node (src/cli/bench.ts) and the browser
 * bench worker (workers/bench.worker.ts): no Node or DOM imports.
 */
import { SaeTrainer } from '../core/train/trainer';
import { tensorSource } from '../core/train/source';
import type { TrainConfig } from '../core/train/config';
import { saeVariant } from '../core/sae/variants';

/**
 * FLOPs of one step counted as dense products, 2 per multiply-add: forward 2 and backward 4
 * [batch, d_in] × [d_in, d_sae]-sized products, plus what the variant's own terms add (AuxK's
 * decoding: forward, and the backward to its activations and to W_dec). The sparse TopK path does
 * fewer; this count is the work a dense implementation does, so "effective" GFLOP/s compare like with like.
 */
export function stepFlops(c: TrainConfig): number {
  return saeVariant(c.activation.kind).denseProducts(c.activation) * 2 * c.batchSize * c.d_in * c.d_sae;
}

/** One step's time as it finishes: the warm-up step has index 0, the timed ones 1…steps. */
export type StepListener = (step: { index: number; ms: number; warmUp: boolean }) => void;

/**
 * Median time of a training step at `config`'s shape, after one warm-up step, on fixed pseudo-random
 * data. `onStep` hears every step (the browser bench reports progress with it, so a backend that
 * runs out of time still says how far it got).
 */
export async function timeTrainingStep(config: TrainConfig, steps: number, onStep?: StepListener): Promise<number> {
  const data = new Float32Array(config.batchSize * 4 * config.d_in).map((_, i) => ((i * 2654435761) % 997) / 997);
  const source = tensorSource(data, config.d_in);
  // Metrics every step: awaiting their small read-back forces the step to finish on asynchronous
  // backends without copying the weights out, as a snapshot would.
  const trainer = SaeTrainer.create({ ...config, length: { unit: 'steps', value: steps + 1 }, metricsEvery: 1 }, source);
  const times: number[] = [];
  try {
    for (let i = 0; i <= steps; i++) {
      const t0 = performance.now();
      await trainer.trainStep();
      const ms = performance.now() - t0;
      if (i > 0) times.push(ms);
      onStep?.({ index: i, ms, warmUp: i === 0 });
    }
  } finally {
    trainer.dispose();
    source.dispose();
  }
  return median(times);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
