/**
 * Trains the lab's GPT-NeoX (src/core/model, the very forward pass inference runs) as a next-token language
 * model: AdamW (PyTorch's update; decoupled weight decay on matrices only), gradients clipped to a global norm,
 * linear warm-up then cosine decay, batches of token windows from a source the trainer does not know.
 *
 * Every step runs in one tf.tidy and queues its work on the device; the loss is read back only when asked
 * (a read stalls a GPU pipeline). The whole state (step, weights, Adam's moments) can be captured and
 * restored bit for bit; the batches are a pure function of (seed, step), so the step is the RNG state.
 */
import { Rng } from '../rng';
import { tf } from '../tf';
import type { GptNeoxConfig } from '../model/config';
import { GptNeox } from '../model/gptneox';
import { assignParams, initTrainableWeights, namedParams, type NamedParam } from '../model/trainable-weights';
import { disposeGptNeoxWeights } from '../model/weights';
import { Adam } from '../train/adam';
import { nextTokenLoss } from './lm-loss';
import { lmLearningRate, type LmSchedule } from './lm-schedule';

/** Where the trainer's tokens come from. Each row holds context + 1 token ids (inputs and, shifted by one, targets). */
export interface LmBatchSource {
  /** The rows of training step `step`: must depend on `step` alone, so that a resumed run sees the same batches. */
  trainBatch(step: number): readonly ArrayLike<number>[];
  /** The held-out rows, the same on every call. */
  heldOutRows(): readonly ArrayLike<number>[];
}

export interface LmTrainerOptions {
  config: GptNeoxConfig;
  /** Seeds the initial weights. */
  seed: number;
  schedule: LmSchedule;
  /** Decoupled (AdamW) weight decay on the matrices and embeddings; 0 for plain Adam. */
  weightDecay: number;
  /** Gradients are scaled down to this global L2 norm when larger. */
  clipNorm: number;
  beta1: number;
  beta2: number;
  adamEps: number;
  /** Held-out rows per forward when evaluating. */
  evalBatch: number;
}

export const LM_TRAINER_DEFAULTS = { weightDecay: 0.01, clipNorm: 1, beta1: 0.9, beta2: 0.95, adamEps: 1e-8, evalBatch: 16 } as const;

/** Everything a resumed run needs besides the options: parameters and moments aligned with `paramNames`. */
export interface LmTrainerState {
  step: number;
  paramNames: string[];
  params: Float32Array[];
  adamStep: number;
  m: Float32Array[];
  v: Float32Array[];
}

export interface StepReport {
  /** The step just taken (0-based). */
  step: number;
  loss: number;
  /** The global gradient norm before clipping. */
  gradNorm: number;
  lr: number;
}

export class LmTrainer {
  readonly model: GptNeox;
  readonly params: NamedParam[];
  private readonly variables: tf.Variable[];
  private readonly adam: Adam;
  private stepIndex = 0;

  constructor(
    readonly options: LmTrainerOptions,
    private readonly source: LmBatchSource,
  ) {
    const { config } = options;
    this.model = new GptNeox(config, initTrainableWeights(config, options.seed));
    this.params = namedParams(this.model.weights);
    this.variables = this.params.map((p) => p.tensor as tf.Variable);
    this.adam = new Adam(this.variables, options.beta1, options.beta2, options.adamEps);
  }

  /** Steps taken so far; the next step is this one. */
  get step(): number {
    return this.stepIndex;
  }

  /**
   * Changes the schedule's length. Only during the warm-up (every step taken so far within it), whose
   * rates do not depend on the length: the run is then the one it would have been with this length from the start.
   */
  setTotalSteps(totalSteps: number): void {
    if (this.stepIndex > this.options.schedule.warmupSteps) throw new Error(`LmTrainer.setTotalSteps: step ${this.stepIndex} is past the warm-up (${this.options.schedule.warmupSteps} steps)`);
    this.options.schedule.totalSteps = totalSteps;
  }

  /** One training step. With `read`, waits for its loss and gradient norm and returns them; otherwise returns null at once. */
  async trainStep(read = false): Promise<StepReport | null> {
    const { config, schedule, clipNorm, weightDecay } = this.options;
    const step = this.stepIndex;
    const { inputs, targets, batch, seq } = splitRows(this.source.trainBatch(step), config);
    const lr = lmLearningRate(schedule, step);
    const [loss, gradNorm] = tf.tidy(() => {
      const targetTensor = tf.tensor2d(targets, [batch, seq], 'int32');
      const { value, grads } = tf.variableGrads(() => nextTokenLoss(this.model.forward(inputs).logits!, targetTensor), this.variables);
      const gradList = this.variables.map((v) => grads[v.name]);
      const norm = tf.sqrt(tf.addN(gradList.map((g) => tf.sum(tf.square(g)))));
      const scale = tf.minimum(1, tf.div(clipNorm, tf.add(norm, 1e-6)));
      const clipped = gradList.map((g) => tf.mul(g, scale));
      if (weightDecay > 0) {
        this.params.forEach((param, i) => {
          if (param.decay) this.variables[i].assign(tf.mul(this.variables[i], 1 - lr * weightDecay));
        });
      }
      this.adam.apply(clipped, lr);
      return [value, norm];
    });
    this.stepIndex += 1;
    if (!read) {
      tf.dispose([loss, gradNorm]);
      return null;
    }
    const [lossValue, normValue] = await Promise.all([loss.data(), gradNorm.data()]);
    tf.dispose([loss, gradNorm]);
    return { step, loss: lossValue[0], gradNorm: normValue[0], lr };
  }

  /** Mean next-token loss (nats per token) over the held-out rows. */
  async evaluate(): Promise<number> {
    return meanLoss(this.model, this.source.heldOutRows(), this.options.evalBatch);
  }

  /** The state as it is now: copies, safe to keep while training goes on. */
  async capture(): Promise<LmTrainerState> {
    const params = await Promise.all(this.variables.map(async (v) => Float32Array.from((await v.data()) as Float32Array)));
    const moments = this.adam.capture();
    const read = (tensors: tf.Tensor[]) => Promise.all(tensors.map(async (t) => Float32Array.from((await t.data()) as Float32Array)));
    const [m, v] = await Promise.all([read(moments.m), read(moments.v)]);
    tf.dispose([...moments.m, ...moments.v]);
    return { step: this.stepIndex, paramNames: this.params.map((p) => p.name), params, adamStep: moments.step, m, v };
  }

  /** Continues from a captured state (of a trainer with the same options). */
  restore(state: LmTrainerState): void {
    const names = this.params.map((p) => p.name);
    if (state.paramNames.length !== names.length || state.paramNames.some((name, i) => name !== names[i])) {
      throw new Error('LmTrainer.restore: the state holds other parameters than this model (a different --layers?)');
    }
    assignParams(this.model.weights, state.params);
    this.adam.load(state.adamStep, state.m, state.v);
    this.stepIndex = state.step;
  }

  dispose(): void {
    this.adam.dispose();
    disposeGptNeoxWeights(this.model.weights);
  }
}

/** Mean next-token loss of `model` over `rows` (each context + 1 tokens), `batchSize` rows per forward. */
export async function meanLoss(model: GptNeox, rows: readonly ArrayLike<number>[], batchSize: number): Promise<number> {
  if (rows.length === 0) return NaN;
  const sums: tf.Tensor[] = [];
  for (let start = 0; start < rows.length; start += batchSize) {
    const chunk = rows.slice(start, start + batchSize);
    const { inputs, targets, batch, seq } = splitRows(chunk, model.config);
    sums.push(
      tf.tidy(() => {
        const loss = nextTokenLoss(model.forward(inputs).logits!, tf.tensor2d(targets, [batch, seq], 'int32'));
        return tf.mul(loss, batch);
      }),
    );
  }
  const total = tf.addN(sums);
  const value = (await total.data())[0];
  tf.dispose([...sums, total]);
  return value / rows.length;
}

/** Rows of context + 1 tokens → inputs (all but the last) and targets (all but the first). */
function splitRows(rows: readonly ArrayLike<number>[], config: GptNeoxConfig): { inputs: Int32Array[]; targets: Int32Array; batch: number; seq: number } {
  const batch = rows.length;
  if (batch === 0) throw new Error('LmTrainer: the source gave an empty batch');
  const seq = rows[0].length - 1;
  if (seq < 1) throw new Error('LmTrainer: rows need at least 2 tokens');
  if (seq > config.maxPositions) throw new Error(`LmTrainer: rows of ${seq + 1} tokens exceed the context ${config.maxPositions} + 1`);
  const targets = new Int32Array(batch * seq);
  const inputs = rows.map((row, b) => {
    if (row.length !== seq + 1) throw new Error(`LmTrainer: row ${b} has ${row.length} tokens, row 0 has ${seq + 1}`);
    const ids = Int32Array.from(row);
    targets.set(ids.subarray(1), b * seq);
    return ids.subarray(0, seq);
  });
  return { inputs, targets, batch, seq };
}

/** A seed for step `step` of a run seeded `seed`: independent streams per step (SplitMix-style mixing). */
export function stepSeed(seed: number, step: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export interface WindowSourceOptions {
  batch: number;
  context: number;
  seed: number;
  /** Held-out windows (fewer if the held-out stream is too short). */
  evalWindows: number;
}

/**
 * Windows of context + 1 tokens from token streams: for training, `batch` windows at uniformly random offsets
 * drawn by Rng(stepSeed(seed, step)); held out, `evalWindows` fixed windows spread evenly over `heldOut`.
 */
export function windowSource(train: Int32Array, heldOut: Int32Array, options: WindowSourceOptions): LmBatchSource {
  const width = options.context + 1;
  if (train.length < width) throw new Error(`windowSource: ${train.length} training tokens, fewer than one window of ${width}`);
  const count = Math.min(options.evalWindows, Math.floor(heldOut.length / width));
  const heldOutRows = Array.from({ length: count }, (_, i) => {
    const start = count > 1 ? Math.floor((i * (heldOut.length - width)) / (count - 1)) : 0;
    return heldOut.slice(start, start + width);
  });
  return {
    trainBatch(step: number) {
      const rng = new Rng(stepSeed(options.seed, step));
      return Array.from({ length: options.batch }, () => {
        const start = Math.floor(rng.next() * (train.length - width + 1));
        return train.subarray(start, start + width);
      });
    },
    heldOutRows: () => heldOutRows,
  };
}
