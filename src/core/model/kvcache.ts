/**
 * Keys and values of every earlier position, per layer, so that generation feeds only the new token
 * through the model. Keys are stored already transposed ([.., head_dim, seq]) so that each step's
 * q·kᵀ is a plain matMul and the cache grows by a concat on the last axis.
 */
import { tf } from '../tf';

export interface LayerCache {
  keysT: tf.Tensor4D; // [batch, heads, head_dim, cached]
  values: tf.Tensor4D; // [batch, heads, cached, head_dim]
}

export class KvCache {
  private layers: (LayerCache | null)[];
  private cachedLength = 0;
  private disposed = false;

  constructor(
    readonly numLayers: number,
    readonly batchSize: number,
  ) {
    this.layers = new Array<LayerCache | null>(numLayers).fill(null);
  }

  /** Positions already cached; the next forward starts at this absolute position. */
  get length(): number {
    return this.cachedLength;
  }

  /** For the forward pass: the cached keys and values of one layer, or null before the first forward. */
  layer(index: number): LayerCache | null {
    this.assertUsable();
    return this.layers[index];
  }

  /**
   * For the forward pass: replaces every layer's entry with its extended one, once the whole forward has
   * succeeded, so that a failing forward leaves the cache as it was. Takes ownership of `extended`.
   */
  commit(extended: LayerCache[], addedPositions: number): void {
    this.assertUsable();
    if (extended.length !== this.numLayers) throw new Error(`KvCache: expected ${this.numLayers} layers, got ${extended.length}`);
    for (const old of this.layers) if (old) tf.dispose([old.keysT, old.values]);
    this.layers = extended;
    this.cachedLength += addedPositions;
  }

  dispose(): void {
    for (const entry of this.layers) if (entry) tf.dispose([entry.keysT, entry.values]);
    this.layers = [];
    this.disposed = true;
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('KvCache: used after dispose()');
  }
}
