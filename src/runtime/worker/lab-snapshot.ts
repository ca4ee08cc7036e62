/**
 * What the lab captures about a run about once a second: every seed's weights, firing frequencies
 * since the previous capture and their cross-seed alignment. The page gets a LabSnapshot; the
 * worker keeps the LabState, which the inspector, steering and export then work on.
 */
import { alignSeeds, LOCAL_COSINE, type AlignmentReport, type AlignSeedsOptions, type CosineEngine } from '../../core/align';
import { decoderNorms } from '../../core/analysis';
import type { SaeWeights } from '../../core/sae/weights';
import type { TrainConfig } from '../../core/train/config';
import type { LabSnapshot } from '../protocol/lab-api';
import type { MultiSeedTrainer } from './multi-seed';

export interface LabState {
  step: number;
  /** The run's configuration; `config.seed` is meaningless, each SAE has its own seed. */
  config: TrainConfig;
  seeds: number[];
  /** Per seed, in `seeds` order. */
  weights: SaeWeights[];
  /** Cross-seed alignment of `weights`; null with one seed. */
  alignment: AlignmentReport | null;
  /** Per seed [d_sae]: fraction of recent training inputs on which each feature fired. */
  firingFrequency: Float32Array[];
  /**
   * The buffer the alignment built its |cos| matrices in, which it is done with: the heatmap's first
   * pair matrix is built in it instead of a new one (1 GiB at 16,384 features, while the garbage
   * collector had not yet freed this one).
   */
  spareMatrix?: Float32Array;
}

export async function captureSnapshot(trainer: MultiSeedTrainer, config: TrainConfig): Promise<{ state: LabState; snapshot: LabSnapshot }> {
  const step = trainer.step;
  const [weights, firingFrequency] = await Promise.all([trainer.snapshots(), trainer.takeFiringFrequencies()]);
  return snapshotOf({ step, config, seeds: [...trainer.seeds], weights, firingFrequency });
}

/** The state and snapshot of any set of SAEs (trained here or imported), with their alignment computed now. */
export async function snapshotOf(
  { step, config, seeds, weights, firingFrequency }: Omit<LabState, 'alignment'>,
  alignOptions: Pick<AlignSeedsOptions, 'onProgress' | 'signal'> = {},
): Promise<{ state: LabState; snapshot: LabSnapshot }> {
  let spareMatrix: Float32Array | undefined;
  const cosine: CosineEngine = { ...LOCAL_COSINE, newMatrix: (length) => (spareMatrix = LOCAL_COSINE.newMatrix(length)) };
  const alignment = weights.length >= 2 ? await alignSeeds(weights, { ...alignOptions, cosine }) : null;
  const { d_in, d_sae } = weights[0];
  const snapshot: LabSnapshot = {
    step,
    d_in,
    d_sae,
    seeds: [...seeds],
    // Copies: the page's arrays are transferred away, the state keeps its own.
    decoders: weights.map((w) => w.W_dec.slice()),
    decoderNorms: weights.map(decoderNorms),
    // Copies, as for the decoders.
    firingFrequency: firingFrequency.map((f) => f.slice()),
    alignment: alignment?.summary ?? null,
    stability: alignment ? alignment.features.map((f) => f.meanMatched.slice()) : weights.map(() => new Float32Array(d_sae)),
  };
  return { state: { step, config, seeds: [...seeds], weights, alignment, firingFrequency, spareMatrix }, snapshot };
}
