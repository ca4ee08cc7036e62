/**
 * The GPT-NeoX (Pythia) forward pass in tfjs, with a KV cache and TransformerLens-style hooks on the
 * residual stream. Numerics follow Hugging Face's GPTNeoXForCausalLM in float32.
 */
import { openSafetensors } from '../formats/safetensors';
import { matMul } from '../ops';
import { tf } from '../tf';
import { attention, causalMask } from './attention';
import type { GptNeoxConfig } from './config';
import { checkHookName, HookRunner, hookOrder, residPost, residPre, type HookAddition, type HookName } from './hooks';
import { KvCache, type LayerCache } from './kvcache';
import { embedTokens, layerNorm, mlp } from './layers';
import { rotaryTables } from './rotary';
import { disposeGptNeoxWeights, loadGptNeoxWeights, type GptNeoxWeights } from './weights';

/** Token ids, one row per sequence; all rows the same length. */
export type TokenBatch = readonly ArrayLike<number>[];

export interface ForwardOptions {
  /** Attend to the positions cached so far, and append this call's keys and values to it. */
  cache?: KvCache;
  /** Hooks whose activations to return in `activations` ([batch, seq, d_model] each). */
  capture?: readonly HookName[];
  /** Vectors added to the residual stream at hooks (steering). */
  additions?: readonly HookAddition[];
  /** Logits for every position (default) or only the last one, which generation needs and is far cheaper
   *  with a 50k vocabulary. */
  logits?: 'all' | 'last';
  /** Stop right after this hook: later blocks and the unembedding are skipped, `logits` is null. For
   *  collecting activations; not allowed with a cache (it would be left half-filled). */
  stopAt?: HookName;
}

export interface ForwardResult {
  /** [batch, seq, vocab] (or [batch, 1, vocab] with logits: 'last'); null with stopAt. Caller disposes. */
  logits: tf.Tensor3D | null;
  /** One tensor per captured hook, [batch, seq, d_model]. Caller disposes. */
  activations: Partial<Record<HookName, tf.Tensor3D>>;
}

export class GptNeox {
  constructor(
    readonly config: GptNeoxConfig,
    readonly weights: GptNeoxWeights,
  ) {}

  /** Loads weights from the bytes of a Hugging Face `model.safetensors` (F32, F16 or BF16). */
  static fromSafetensors(bytes: Uint8Array | ArrayBuffer, config: GptNeoxConfig, fileName = 'model.safetensors'): GptNeox {
    return new GptNeox(config, loadGptNeoxWeights(openSafetensors(bytes, fileName), config));
  }

  createCache(batchSize = 1): KvCache {
    return new KvCache(this.config.numLayers, batchSize);
  }

  forward(tokens: TokenBatch, options: ForwardOptions = {}): ForwardResult {
    const { config, weights } = this;
    const { ids, batch, seq } = this.checkTokens(tokens);
    const { cache, stopAt } = options;
    const start = cache?.length ?? 0;
    this.checkOptions(options, batch, start + seq);
    const captures = new Set(options.capture ?? []);
    const stopOrder = stopAt ? hookOrder(stopAt) : Infinity;

    // tidy keeps exactly the tensors returned (nested in objects and arrays) and frees the rest.
    const { logits, activations, extended } = tidyForward(() => {
      const hooks = new HookRunner(options.additions ?? [], captures, start, seq);
      const rotary = rotaryTables(start, seq, config.rotaryDims, config.rotaryBase);
      const mask = seq > 1 ? causalMask(start, seq) : null;
      const extendedLayers: LayerCache[] = [];
      let h = embedTokens(weights.embedIn, tf.tensor2d(ids, [batch, seq], 'int32')); // [batch, seq, d_model]
      for (let layer = 0; layer < config.numLayers; layer++) {
        h = hooks.run(residPre(layer), h);
        if (hookOrder(residPre(layer)) >= stopOrder) break;
        const layerWeights = weights.layers[layer];
        const attn = attention(layerNorm(h, layerWeights.ln1, config.layerNormEps), layerWeights, config, rotary, mask, cache?.layer(layer) ?? null);
        extendedLayers.push(attn.extended);
        if (config.parallelResidual) {
          h = tf.addN([h, attn.output, mlp(layerNorm(h, layerWeights.ln2, config.layerNormEps), layerWeights)]) as tf.Tensor3D;
        } else {
          const afterAttention = tf.add<tf.Tensor3D>(h, attn.output);
          h = tf.add<tf.Tensor3D>(afterAttention, mlp(layerNorm(afterAttention, layerWeights.ln2, config.layerNormEps), layerWeights));
        }
        h = hooks.run(residPost(layer), h);
        if (hookOrder(residPost(layer)) >= stopOrder) break;
      }
      if (stopAt) return { logits: null, activations: hooks.captured, extended: extendedLayers };
      const last = options.logits === 'last' ? tf.slice(h, [0, seq - 1, 0], [batch, 1, config.hiddenSize]) : h;
      const normed = layerNorm(last, weights.finalLn, config.layerNormEps);
      const positions = normed.shape[1];
      const flat = tf.reshape(normed, [batch * positions, config.hiddenSize]) as tf.Tensor2D;
      const logits: tf.Tensor3D = tf.reshape(matMul(flat, weights.unembed), [batch, positions, config.vocabSize]);
      return { logits, activations: hooks.captured, extended: extendedLayers };
    });
    if (cache) cache.commit(extended, seq);
    else for (const entry of extended) tf.dispose([entry.keysT, entry.values]);
    return { logits, activations };
  }

  dispose(): void {
    disposeGptNeoxWeights(this.weights);
  }

  private checkTokens(tokens: TokenBatch): { ids: Int32Array; batch: number; seq: number } {
    const batch = tokens.length;
    const seq = batch > 0 ? tokens[0].length : 0;
    if (batch === 0 || seq === 0) throw new Error('forward: tokens must hold at least one non-empty sequence');
    const ids = new Int32Array(batch * seq);
    tokens.forEach((row, b) => {
      if (row.length !== seq) throw new Error(`forward: sequence ${b} has ${row.length} tokens, sequence 0 has ${seq}; rows must be equally long`);
      for (let s = 0; s < seq; s++) {
        const id = row[s];
        if (!Number.isInteger(id) || id < 0 || id >= this.config.vocabSize) {
          throw new Error(`forward: token ${id} at [${b}, ${s}] is not an id in [0, ${this.config.vocabSize})`);
        }
        ids[b * seq + s] = id;
      }
    });
    return { ids, batch, seq };
  }

  private checkOptions(options: ForwardOptions, batch: number, end: number): void {
    const { numLayers, maxPositions } = this.config;
    const { cache } = options;
    if (cache) {
      if (cache.numLayers !== numLayers) throw new Error(`forward: the cache has ${cache.numLayers} layers, the model ${numLayers}`);
      if (cache.batchSize !== batch) throw new Error(`forward: the cache holds batch size ${cache.batchSize}, tokens have ${batch} rows`);
      if (options.stopAt) throw new Error('forward: stopAt cannot be combined with a cache (later layers would miss their keys and values)');
    }
    if (end > maxPositions) throw new Error(`forward: positions up to ${end - 1} exceed max_position_embeddings ${maxPositions}`);
    if (options.stopAt) checkHookName(options.stopAt, numLayers);
    for (const name of options.capture ?? []) {
      checkHookName(name, numLayers);
      if (options.stopAt && hookOrder(name) > hookOrder(options.stopAt)) throw new Error(`forward: cannot capture ${name}, which comes after stopAt ${options.stopAt}`);
    }
    for (const addition of options.additions ?? []) {
      checkHookName(addition.hook, numLayers);
      const bad = addition.positions?.find((position) => !Number.isSafeInteger(position) || position < 0);
      if (bad !== undefined) throw new Error(`forward: addition at ${addition.hook} has position ${bad}; positions are non-negative integers`);
    }
  }
}

interface ForwardTensors extends ForwardResult {
  extended: LayerCache[];
}

/** tf.tidy typed for the forward's result (its interfaces lack the index signature TensorContainer wants). */
function tidyForward(run: () => ForwardTensors): ForwardTensors {
  return tf.tidy(() => run() as unknown as tf.TensorContainer) as unknown as ForwardTensors;
}
