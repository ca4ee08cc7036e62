/**
 * Next-token sampling on the CPU from one row of logits: temperature, then nucleus (top-p), then one
 * seeded uniform draw per token, so the same seed gives the same tokens on every backend.
 */
import { Rng } from '../rng';

export interface SamplerOptions {
  /** 0 = greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep the most probable tokens whose cumulative probability first reaches topP. Default 1 (all). */
  topP?: number;
  seed?: number;
}

export type Sampler = (logits: ArrayLike<number>) => number;

export function createSampler(options: SamplerOptions = {}): Sampler {
  const { temperature = 1, topP = 1, seed = 0 } = options;
  if (!Number.isFinite(temperature) || temperature < 0) throw new Error(`sampler: temperature ${temperature} must be a finite number ≥ 0`);
  if (!(topP > 0 && topP <= 1)) throw new Error(`sampler: topP ${topP} must be in (0, 1]`);
  if (temperature === 0) return argmax;
  const rng = new Rng(seed);
  return (logits) => {
    const probabilities = softmax(logits, temperature);
    const kept = nucleus(probabilities, topP);
    let mass = 0;
    for (const index of kept) mass += probabilities[index];
    let remaining = rng.next() * mass;
    for (const index of kept) {
      remaining -= probabilities[index];
      if (remaining < 0) return index;
    }
    return kept[kept.length - 1]; // rounding left a sliver of mass: the last kept token owns it
  };
}

/** softmax(logits / temperature) in float64. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp((logits[i] - max) / temperature);
    sum += out[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/**
 * Indices of the nucleus, most probable first: a token is kept while the mass of the tokens ranked above
 * it is still below topP (as HF's TopPLogitsWarper), so at least one token always survives. Ties keep
 * index order.
 */
export function nucleus(probabilities: ArrayLike<number>, topP: number): number[] {
  const order = Array.from({ length: probabilities.length }, (_, i) => i);
  if (topP >= 1) return order;
  order.sort((a, b) => probabilities[b] - probabilities[a] || a - b);
  const kept: number[] = [];
  let before = 0;
  for (const index of order) {
    if (before >= topP) break;
    kept.push(index);
    before += probabilities[index];
  }
  return kept;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
