import { tf } from '../tf';

/**
 * Adam (Kingma & Ba) with PyTorch's update rule, no weight decay. Written out rather than using
 * tf.train.adam because the learning rate changes every step (warm-up and decay) and because the
 * lab's trainer needs to see and modify gradients between backprop and the update.
 */
export class Adam {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;

  constructor(
    private readonly params: tf.Variable[],
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly eps: number,
  ) {
    // In a tidy: tf.variable would otherwise keep its zero-filled initial tensor alive.
    this.m = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
    this.v = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
  }

  /** One update with gradients aligned with the constructor's params. */
  apply(grads: tf.Tensor[], lr: number): void {
    this.t += 1;
    const biasCorrection1 = 1 - this.beta1 ** this.t;
    const biasCorrection2 = 1 - this.beta2 ** this.t;
    const stepSize = lr / biasCorrection1;
    tf.tidy(() => {
      grads.forEach((g, i) => {
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const denom = tf.add(tf.sqrt(tf.div(v, biasCorrection2)), this.eps);
        this.params[i].assign(tf.sub(this.params[i], tf.mul(tf.div(m, denom), stepSize)));
        this.m[i].assign(m);
        this.v[i].assign(v);
      });
    });
  }

  /** The optimiser state, for checkpoints that resume exactly. */
  get stepCount(): number {
    return this.t;
  }

  /**
   * The moments as they are now, as tensors the caller disposes. They share the variables' device
   * buffers (no copy); later updates give the variables new buffers and leave these as they were.
   */
  capture(): { step: number; m: tf.Tensor[]; v: tf.Tensor[] } {
    return { step: this.t, m: this.m.map((x) => tf.clone(x)), v: this.v.map((x) => tf.clone(x)) };
  }

  /** Sets the state `capture` read, moments aligned with the constructor's params. */
  load(step: number, m: Float32Array[], v: Float32Array[]): void {
    tf.tidy(() => {
      // Copies: on host-memory backends a tensor may keep the very array it was made from.
      m.forEach((values, i) => this.m[i].assign(tf.tensor(values.slice(), this.m[i].shape)));
      v.forEach((values, i) => this.v[i].assign(tf.tensor(values.slice(), this.v[i].shape)));
    });
    this.t = step;
  }

  dispose(): void {
    for (const s of [...this.m, ...this.v]) s.dispose();
  }
}
