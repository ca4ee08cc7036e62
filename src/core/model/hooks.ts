/**
 * Hook points named as TransformerLens names them, so SAEs trained elsewhere (SAELens `hook_name`) plug in.
 * `blocks.L.hook_resid_pre` is the residual stream entering block L; `blocks.L.hook_resid_post` the stream
 * leaving it, which is the same value as `blocks.(L+1).hook_resid_pre`.
 *
 * At a hook, additions are applied first and captures then read the modified stream. An addition at
 * `blocks.L.hook_resid_post` is therefore also seen by `blocks.(L+1).hook_resid_pre`, as in TransformerLens.
 */
import { tf } from '../tf';

export type HookName = `blocks.${number}.hook_resid_pre` | `blocks.${number}.hook_resid_post`;

/** A vector added to the residual stream at a hook point (steering). */
export interface HookAddition {
  hook: HookName;
  /** [d_model]; added to every batch row. */
  vector: ArrayLike<number> | tf.Tensor1D;
  /**
   * Absolute positions (counting tokens already in the KV cache) that receive the vector; every position
   * when omitted. Positions outside the current forward are simply not touched.
   */
  positions?: readonly number[];
}

export function residPre(layer: number): HookName {
  return `blocks.${layer}.hook_resid_pre`;
}

export function residPost(layer: number): HookName {
  return `blocks.${layer}.hook_resid_post`;
}

const HOOK_PATTERN = /^blocks\.(0|[1-9]\d*)\.hook_resid_(pre|post)$/;

/** Throws naming the hook if it does not exist in a model with `numLayers` blocks. */
export function checkHookName(name: string, numLayers: number): asserts name is HookName {
  const match = HOOK_PATTERN.exec(name);
  if (!match || Number(match[1]) >= numLayers) {
    throw new Error(`Unknown hook "${name}": this model has blocks.L.hook_resid_pre and blocks.L.hook_resid_post for L = 0..${numLayers - 1}`);
  }
}

/** Order of hook points through the forward pass, used to stop early. */
export function hookOrder(name: HookName): number {
  const match = HOOK_PATTERN.exec(name) as RegExpExecArray;
  return 2 * Number(match[1]) + (match[2] === 'post' ? 1 : 0);
}

/**
 * Applies additions and records captures at each hook for one forward chunk covering absolute positions
 * start .. start+seq-1. Lives inside the forward's tf.tidy: captured tensors are returned from it.
 */
export class HookRunner {
  readonly captured: Partial<Record<HookName, tf.Tensor3D>> = {};

  constructor(
    private readonly additions: readonly HookAddition[],
    private readonly captures: ReadonlySet<HookName>,
    private readonly start: number,
    private readonly seq: number,
  ) {}

  /** h: [batch, seq, d_model] → the stream after additions at `name`. */
  run(name: HookName, h: tf.Tensor3D): tf.Tensor3D {
    let out = h;
    for (const addition of this.additions) {
      if (addition.hook !== name) continue;
      const added = this.addedAt(addition, h.shape[2]);
      if (added) out = tf.add(out, added);
    }
    // A clone, so that the caller may dispose each captured hook independently.
    if (this.captures.has(name)) this.captured[name] = tf.clone(out);
    return out;
  }

  /** [1, seq or 1, d_model] to add (broadcast over batch and positions), or null when none of this
   *  chunk's positions is selected. */
  private addedAt(addition: HookAddition, dModel: number): tf.Tensor3D | null {
    const vector = addition.vector instanceof tf.Tensor ? addition.vector : tf.tensor1d(Float32Array.from(addition.vector));
    if (vector.shape.length !== 1 || vector.shape[0] !== dModel) {
      throw new Error(`Addition at ${addition.hook}: vector has shape [${vector.shape.join(', ')}], expected [${dModel}] (d_model)`);
    }
    const row = tf.reshape(vector, [1, 1, dModel]) as tf.Tensor3D;
    if (!addition.positions) return row;
    const selected = new Float32Array(this.seq);
    for (const position of addition.positions) {
      const offset = position - this.start;
      if (offset >= 0 && offset < this.seq) selected[offset] = 1;
    }
    if (!selected.includes(1)) return null;
    return tf.mul(tf.tensor3d(selected, [1, this.seq, 1]), row) as tf.Tensor3D;
  }
}
