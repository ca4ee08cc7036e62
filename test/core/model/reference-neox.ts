/**
 * An independent, plain double-precision GPT-NeoX forward pass for one sequence, written from the Hugging
 * Face definition (modeling_gpt_neox.py) and sharing no code with src/core/model: loops over positions,
 * heads and dimensions on the HF-layout tensors ([out, in] Linear weights, fused per-head q|k|v).
 */
import type { HfTensor } from '../../helpers/tiny-neox';

export interface ReferenceAddition {
  hook: string; // TransformerLens name, e.g. blocks.1.hook_resid_post
  vector: ArrayLike<number>;
  positions?: number[];
}

export interface ReferenceResult {
  logits: Float64Array[]; // [seq][vocab]
  residPre: Float64Array[][]; // [layer][seq][d_model]
  residPost: Float64Array[][]; // [layer][seq][d_model]
}

export function referenceForward(
  config: Record<string, unknown>,
  tensors: Record<string, HfTensor>,
  tokens: number[],
  additions: ReferenceAddition[] = [],
): ReferenceResult {
  const d = config.hidden_size as number;
  const heads = config.num_attention_heads as number;
  const layers = config.num_hidden_layers as number;
  const eps = config.layer_norm_eps as number;
  const base = config.rotary_emb_base as number;
  const headDim = d / heads;
  const rotary = Math.floor(headDim * (config.rotary_pct as number));
  const w = (name: string) => tensors[name].data;

  const hook = (name: string, h: Float64Array[]): Float64Array[] =>
    h.map((row, position) => {
      const out = Float64Array.from(row);
      for (const addition of additions) {
        if (addition.hook !== name || (addition.positions && !addition.positions.includes(position))) continue;
        for (let i = 0; i < d; i++) out[i] += addition.vector[i];
      }
      return out;
    });

  let h: Float64Array[] = tokens.map((token) => Float64Array.from(w('gpt_neox.embed_in.weight').subarray(token * d, (token + 1) * d)));
  const residPre: Float64Array[][] = [];
  const residPost: Float64Array[][] = [];
  for (let layer = 0; layer < layers; layer++) {
    const p = `gpt_neox.layers.${layer}`;
    h = hook(`blocks.${layer}.hook_resid_pre`, h);
    residPre.push(h);
    const attnIn = h.map((x) => layerNorm(x, w(`${p}.input_layernorm.weight`), w(`${p}.input_layernorm.bias`), eps));
    const qkv = attnIn.map((x) => linear(x, w(`${p}.attention.query_key_value.weight`), w(`${p}.attention.query_key_value.bias`)));
    const merged = h.map(() => new Float64Array(d));
    for (let head = 0; head < heads; head++) {
      const slice = (row: Float64Array, part: number) => row.slice((head * 3 + part) * headDim, (head * 3 + part + 1) * headDim);
      const q = qkv.map((row, position) => rotate(slice(row, 0), position, rotary, base));
      const k = qkv.map((row, position) => rotate(slice(row, 1), position, rotary, base));
      const v = qkv.map((row) => slice(row, 2));
      for (let i = 0; i < tokens.length; i++) {
        const scores = Array.from({ length: i + 1 }, (_, j) => dot(q[i], k[j]) / Math.sqrt(headDim));
        const max = Math.max(...scores);
        const weights = scores.map((score) => Math.exp(score - max));
        const total = weights.reduce((a, b) => a + b, 0);
        for (let j = 0; j <= i; j++) for (let e = 0; e < headDim; e++) merged[i][head * headDim + e] += (weights[j] / total) * v[j][e];
      }
    }
    const attnOut = merged.map((x) => linear(x, w(`${p}.attention.dense.weight`), w(`${p}.attention.dense.bias`)));
    const mlp = (x: Float64Array) => {
      const normed = layerNorm(x, w(`${p}.post_attention_layernorm.weight`), w(`${p}.post_attention_layernorm.bias`), eps);
      const hidden = linear(normed, w(`${p}.mlp.dense_h_to_4h.weight`), w(`${p}.mlp.dense_h_to_4h.bias`)).map(gelu);
      return linear(hidden, w(`${p}.mlp.dense_4h_to_h.weight`), w(`${p}.mlp.dense_4h_to_h.bias`));
    };
    if (config.use_parallel_residual) {
      h = h.map((x, position) => add(add(x, attnOut[position]), mlp(x)));
    } else {
      const afterAttention = h.map((x, position) => add(x, attnOut[position]));
      h = afterAttention.map((x) => add(x, mlp(x)));
    }
    h = hook(`blocks.${layer}.hook_resid_post`, h);
    residPost.push(h);
  }
  const unembed = tensors['embed_out.weight'] ? w('embed_out.weight') : w('gpt_neox.embed_in.weight');
  const logits = h.map((x) => {
    const normed = layerNorm(x, w('gpt_neox.final_layer_norm.weight'), w('gpt_neox.final_layer_norm.bias'), eps);
    return linear(normed, unembed, new Float32Array(unembed.length / d));
  });
  return { logits, residPre, residPost };
}

/** W: [out, in] row-major. */
function linear(x: Float64Array, W: Float32Array, b: Float32Array): Float64Array {
  const out = new Float64Array(b.length);
  for (let o = 0; o < b.length; o++) {
    let acc = b[o];
    for (let i = 0; i < x.length; i++) acc += W[o * x.length + i] * x[i];
    out[o] = acc;
  }
  return out;
}

function layerNorm(x: Float64Array, gamma: Float32Array, beta: Float32Array, eps: number): Float64Array {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  return x.map((value, i) => ((value - mean) / Math.sqrt(variance + eps)) * gamma[i] + beta[i]);
}

/** Rotate-half: dimension i < r/2 pairs with i + r/2, angle position · base^(−2i/r); dims ≥ r pass. */
function rotate(x: Float64Array, position: number, rotary: number, base: number): Float64Array {
  const out = Float64Array.from(x);
  const half = rotary / 2;
  for (let i = 0; i < half; i++) {
    const angle = position * base ** ((-2 * i) / rotary);
    const [a, b] = [x[i], x[i + half]];
    out[i] = a * Math.cos(angle) - b * Math.sin(angle);
    out[i + half] = b * Math.cos(angle) + a * Math.sin(angle);
  }
  return out;
}

function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** erf by the everywhere-convergent series 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)): all terms positive,
 *  so no cancellation; double precision to ~1e-15. */
export function erf(x: number): number {
  if (Math.abs(x) > 6) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

function dot(a: Float64Array, b: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i] * b[i];
  return acc;
}

function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((value, i) => value + b[i]);
}

/** max |actual − expected| / max |expected|: the error relative to the tensor's scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

/** Rows [seq][n] flattened, for comparing with a tensor's data. */
export function flatten(rows: Float64Array[]): Float64Array {
  const out = new Float64Array(rows.length * (rows[0]?.length ?? 0));
  rows.forEach((row, i) => out.set(row, i * row.length));
  return out;
}
