import { tf } from '../tf';
import { Rng } from '../rng';
import { initWeights } from '../sae/init';
import { disposeParams, paramsFromWeights, weightsFromParams, type SaeParams } from '../sae/model';
import type { SaeWeights } from '../sae/weights';
import { Adam } from './adam';
import { checkpointProblems, nonFiniteFields, trainedParams, type TrainerCheckpoint } from './checkpoint';
import type { TrainConfig } from './config';
import { DivergedError, likelyCause } from './divergence';
import { lossTerms } from './losses';
import type { StepMetrics } from './metrics';
import { savedTrainConfig } from './saved-config';
import { learningRate } from './schedule';
import type { BatchSource } from './source';
import { removeParallelComponent, unitRows } from './unit-norm';
import { validateTrainConfig } from './validate';

/**
 * Trains one SAE on one batch source. Each `trainStep` queues a step on the device; reading
 * metrics back (which stalls a GPU pipeline) happens only every `metricsEvery` steps.
 */
export class SaeTrainer {
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  private readonly params: SaeParams;
  private readonly trainable: tf.Variable[];
  private readonly adam: Adam;
  /** Tokens since each latent last fired [d_sae]; lives in the trainer, not the model. */
  private tokensSinceFired: tf.Tensor1D;
  /** Inputs each latent fired on since the last `takeFiringCounts` [d_sae], and how many inputs that was. */
  private firingCounts: tf.Tensor1D;
  private inputsCounted = 0;
  private order: Int32Array = new Int32Array(0);
  /** The epoch `order` belongs to; -1 until the first batch, and after a restore mid-epoch. */
  private orderEpoch = -1;
  private stepIndex = 0;

  private constructor(
    readonly config: TrainConfig,
    private readonly source: BatchSource,
    initial: SaeWeights,
    private readonly dataSeed: number,
  ) {
    ({ stepsPerEpoch: this.stepsPerEpoch, totalSteps: this.totalSteps } = runLength(config, source.size));
    this.params = paramsFromWeights(initial, config.init.biases);
    this.trainable = trainedParams(config).map((name) => this.params[name]);
    this.adam = new Adam(this.trainable, config.optim.beta1, config.optim.beta2, config.optim.eps);
    this.tokensSinceFired = tf.zeros([config.d_sae]);
    this.firingCounts = tf.zeros([config.d_sae]);
  }

  /** Seeded: the same config, seed and source give the same weights on the same backend. */
  static create(config: TrainConfig, source: BatchSource): SaeTrainer {
    validateTrainConfig(config, source);
    const rng = new Rng(config.seed);
    const initRng = rng.fork();
    const dataSeed = Math.floor(rng.next() * 2 ** 31);
    let firstBatch: { data: Float32Array; rows: number } | undefined;
    if (config.init.biases && config.init.bDecInit !== 'zeros') {
      const rows = Math.min(config.batchSize, source.size);
      firstBatch = { data: source.rowsOnHost(epochOrder(dataSeed, 0, source.size).subarray(0, rows)), rows };
    }
    return new SaeTrainer(config, source, initWeights(config.d_in, config.d_sae, config.init, initRng, firstBatch), dataSeed);
  }

  /**
   * A trainer that continues `checkpoint` exactly: trained to the end, it gives the weights the
   * uninterrupted run would have (bitwise on the same backend). The checkpoint must fit `source`.
   */
  static restore(saved: TrainerCheckpoint, source: BatchSource): SaeTrainer {
    // A checkpoint written before a config field existed resumes with the semantics it trained with.
    const checkpoint = { ...saved, config: savedTrainConfig(saved?.config) };
    const problems = checkpointProblems(checkpoint, source, (config) => runLength(config, source.size).totalSteps);
    if (problems.length > 0) throw new Error(`Cannot resume from this checkpoint: ${problems.join('; ')}`);
    const { weights: w } = checkpoint;
    // Copies: on host-memory backends a tensor may keep the very array it was made from, and the
    // caller may still transfer or reuse the checkpoint.
    const weights = { ...w, W_enc: w.W_enc.slice(), b_enc: w.b_enc.slice(), W_dec: w.W_dec.slice(), b_dec: w.b_dec.slice() };
    const trainer = new SaeTrainer(structuredClone(checkpoint.config), source, weights, checkpoint.dataSeed);
    const moments = trainedParams(checkpoint.config).map((name) => checkpoint.adam.moments[name]!);
    trainer.adam.load(checkpoint.adam.step, moments.map((x) => x.m), moments.map((x) => x.v));
    trainer.tokensSinceFired.dispose();
    trainer.tokensSinceFired = tf.tensor1d(checkpoint.tokensSinceFired.slice());
    trainer.firingCounts.dispose();
    trainer.firingCounts = tf.tensor1d(checkpoint.firingCounts.slice());
    trainer.inputsCounted = checkpoint.inputsCounted;
    trainer.stepIndex = checkpoint.step;
    return trainer;
  }

  get step(): number {
    return this.stepIndex;
  }

  get done(): boolean {
    return this.stepIndex >= this.totalSteps;
  }

  /**
   * One optimisation step. On metric steps (every `metricsEvery` and the last) it returns a promise of
   * the step's metrics, read back asynchronously; otherwise null and nothing leaves the device.
   */
  trainStep(): Promise<StepMetrics> | null {
    if (this.done) throw new Error('training is finished');
    const { config } = this;
    const lr = learningRate(config.optim, this.stepIndex, this.totalSteps);
    const x = this.source.gather(this.nextIndices());
    const dead = tf.tidy(() => tf.cast(tf.greaterEqual(this.tokensSinceFired, config.deadAfterTokens), 'float32')) as tf.Tensor1D;
    const wantMetrics = (this.stepIndex + 1) % config.metricsEvery === 0 || this.stepIndex + 1 === this.totalSteps;

    let kept: { firedOn: tf.Tensor1D; report?: tf.Tensor1D; termNames: string[] } | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const r = lossTerms(this.params, x, config, dead);
      const termNames = Object.keys(r.terms);
      kept = {
        firedOn: tf.keep(r.firedOn),
        report: wantMetrics ? tf.keep(this.reportVector(x, r.xHat, r.firedOn, r.total, Object.values(r.terms), dead)) : undefined,
        termNames,
      };
      return r.total;
    }, this.trainable);

    const gradList = this.trainable.map((v) => grads[v.name]);
    tf.tidy(() => this.adam.apply(this.prepareGradients(gradList), lr));
    if (config.init.unitNormDecoder) tf.tidy(() => this.params.W_dec.assign(unitRows(this.params.W_dec)));

    const previous = this.tokensSinceFired;
    this.tokensSinceFired = tf.tidy(() => tf.where(tf.greater(kept!.firedOn, 0), tf.zerosLike(previous), tf.add(previous, x.shape[0]))) as tf.Tensor1D;
    const counts = this.firingCounts;
    this.firingCounts = tf.add(counts, kept!.firedOn);
    this.inputsCounted += x.shape[0];
    tf.dispose([previous, counts, x, dead, value, kept!.firedOn, ...gradList]);

    this.stepIndex += 1;
    if (!kept!.report) return null;
    return this.readReport(kept!.report, kept!.termNames, lr);
  }

  /**
   * Everything `restore` needs to continue exactly, read back from the device (the only read-back it
   * costs). The state is captured when this is called, so steps queued while it reads do not
   * change it. Rejects with a DivergedError if any of it is non-finite: that run cannot be resumed.
   */
  async checkpoint(): Promise<TrainerCheckpoint> {
    const { config, stepIndex: step, inputsCounted } = this;
    const names = trainedParams(config);
    // Clones share the device buffers; the next steps give the variables new ones and leave these.
    const adam = this.adam.capture();
    const held = [this.params.W_enc, this.params.b_enc, this.params.W_dec, this.params.b_dec, this.tokensSinceFired, this.firingCounts].map((x) => tf.clone(x));
    let values: Float32Array[];
    try {
      // Copies: on host-memory backends a read returns the backend's own array.
      values = (await Promise.all([...held, ...adam.m, ...adam.v].map((x) => x.data()))).map((a) => (a as Float32Array).slice());
    } finally {
      tf.dispose([...held, ...adam.m, ...adam.v]);
    }
    const [W_enc, b_enc, W_dec, b_dec, tokensSinceFired, firingCounts] = values;
    const m = values.slice(6, 6 + names.length);
    const v = values.slice(6 + names.length);
    const checkpoint: TrainerCheckpoint = {
      version: 1,
      config: structuredClone(config),
      sourceSize: this.source.size,
      step,
      dataSeed: this.dataSeed,
      weights: { d_in: config.d_in, d_sae: config.d_sae, W_enc, b_enc, W_dec, b_dec },
      adam: { step: adam.step, moments: Object.fromEntries(names.map((name, i) => [name, { m: m[i], v: v[i] }])) },
      tokensSinceFired,
      firingCounts,
      inputsCounted,
    };
    const bad = nonFiniteFields(checkpoint);
    if (bad.length > 0) {
      const message =
        `Training diverged by step ${step} (seed ${config.seed}): non-finite values in ${bad.join(', ')}. ` +
        `Likely cause: ${likelyCause(config, [])}. A checkpoint of this state is refused: it cannot be resumed.`;
      throw new DivergedError({ step, seed: config.seed, terms: bad.map((field) => field.split(' ')[0]), message });
    }
    return checkpoint;
  }

  /** The current weights as plain arrays. */
  snapshot(): Promise<SaeWeights> {
    return weightsFromParams(this.params);
  }

  /**
   * On how many training inputs each latent fired since the previous call [d_sae], and how many
   * inputs that was; counting then starts afresh. The counts add up on the device every step and
   * are read only here, so firing frequencies cost no read-back per step. (float32 counts are exact
   * up to 2^24 inputs between two calls.)
   */
  async takeFiringCounts(): Promise<{ counts: Float32Array; inputs: number }> {
    const counts = this.firingCounts;
    const inputs = this.inputsCounted;
    this.firingCounts = tf.zeros([this.config.d_sae]);
    this.inputsCounted = 0;
    try {
      return { counts: (await counts.data()) as Float32Array, inputs };
    } finally {
      counts.dispose();
    }
  }

  dispose(): void {
    disposeParams(this.params);
    this.adam.dispose();
    this.tokensSinceFired.dispose();
    this.firingCounts.dispose();
  }

  /** Gradient clipping by global norm, then (if configured) the unit-norm constraint's projection. */
  private prepareGradients(grads: tf.Tensor[]): tf.Tensor[] {
    let out = [...grads]; // a copy: the caller disposes the original gradients
    const clip = this.config.optim.clipGradNorm;
    if (clip > 0) {
      const norm = tf.sqrt(tf.addN(out.map((g) => tf.sum(tf.square(g)))));
      // min(1, clip / norm) computed on the device: no readback in the hot loop.
      const scale = tf.div(clip, tf.maximum(norm, clip));
      out = out.map((g) => tf.mul(g, scale));
    }
    if (this.config.init.unitNormDecoder && this.config.init.removeParallelGrad) {
      const i = this.trainable.indexOf(this.params.W_dec);
      out[i] = removeParallelComponent(out[i] as tf.Tensor2D, this.params.W_dec);
    }
    return out;
  }

  /** Everything a metrics step reports, packed in one vector so it comes back in one read. */
  private reportVector(x: tf.Tensor2D, xHat: tf.Tensor2D, firedOn: tf.Tensor1D, total: tf.Scalar, terms: tf.Scalar[], dead: tf.Tensor1D): tf.Tensor1D {
    const residual = tf.sub(xHat, x);
    const centred = tf.sub(x, tf.mean(x, 0, true));
    return tf.stack([
      total,
      tf.mean(tf.square(residual)),
      tf.div(tf.sum(tf.square(residual)), tf.maximum(tf.sum(tf.square(centred)), 1e-12)),
      tf.div(tf.sum(firedOn), x.shape[0]),
      tf.mean(dead),
      // sqrt(Σw²) rather than tf.norm, which goes through Pow: 0.24 s per 16,384 × 512 matrix on wasm.
      tf.sqrt(tf.sum(tf.square(this.params.W_enc))),
      tf.sqrt(tf.sum(tf.square(this.params.W_dec))),
      ...terms,
    ]) as tf.Tensor1D;
  }

  private async readReport(report: tf.Tensor1D, termNames: string[], lr: number): Promise<StepMetrics> {
    const step = this.stepIndex;
    const values = await report.data();
    report.dispose();
    const [loss, mse, fvu, l0, deadFrac, encNorm, decNorm] = values;
    const terms = Object.fromEntries(termNames.map((name, i) => [name, values[7 + i]]));
    return { step, epoch: step / this.stepsPerEpoch, lr, loss, mse, fvu, l0, deadFrac, encNorm, decNorm, terms };
  }

  /** Row indices of the next batch: a fresh seeded permutation each epoch, last partial batch dropped. */
  private nextIndices(): Int32Array {
    const { batchSize } = this.config;
    const inEpoch = this.stepIndex % this.stepsPerEpoch;
    const epoch = Math.floor(this.stepIndex / this.stepsPerEpoch);
    if (epoch !== this.orderEpoch) {
      this.order = epochOrder(this.dataSeed, epoch, this.source.size);
      this.orderEpoch = epoch;
    }
    return this.order.subarray(inEpoch * batchSize, (inEpoch + 1) * batchSize);
  }
}

/** Steps per epoch (the last partial batch is dropped) and steps in the whole run. */
function runLength(config: TrainConfig, sourceSize: number): { stepsPerEpoch: number; totalSteps: number } {
  const stepsPerEpoch = Math.floor(sourceSize / config.batchSize);
  return { stepsPerEpoch, totalSteps: config.length.unit === 'steps' ? config.length.value : config.length.value * stepsPerEpoch };
}

/** The row order of one epoch: a function of the data seed and the epoch alone, so runs can resume. */
function epochOrder(dataSeed: number, epoch: number, size: number): Int32Array {
  return new Rng(dataSeed + Math.imul(epoch + 1, 0x9e3779b1)).permutation(size);
}
