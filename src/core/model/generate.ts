/**
 * Autoregressive generation for one prompt with a KV cache: the prompt goes through the model once, then
 * each sampled token alone. Steering vectors are hook additions whose positions are chosen relative to
 * the prompt.
 */
import type { GptNeox } from './gptneox';
import type { HookAddition } from './hooks';
import { createSampler, softmax, type SamplerOptions } from './sampling';

/**
 * Where a steering vector is added:
 * - 'all': every position, prompt included;
 * - 'generated': only at generated tokens (positions ≥ prompt length), never on the prompt; the first new
 *   token is therefore still unsteered;
 * - 'last': the last position of every forward pass (the last prompt token, then each generated token),
 *   i.e. every position whose output is sampled from;
 * - explicit absolute positions.
 */
export type SteeringPositions = 'all' | 'generated' | 'last' | readonly number[];

export interface GenerationHook extends Omit<HookAddition, 'positions'> {
  at?: SteeringPositions; // default 'all'
}

export interface GenerateOptions extends SamplerOptions {
  maxNewTokens: number;
  hooks?: readonly GenerationHook[];
  /** Stop once one of these is sampled (it is included in the output), e.g. the eos id. */
  stopTokens?: readonly number[];
  /** Also return, per generated token, the model's next-token distribution softmax(logits) at
   *  temperature 1, before temperature and top-p. */
  returnDistributions?: boolean;
}

export interface GenerateResult {
  /** The new tokens only (the prompt is not repeated). */
  tokens: number[];
  /** distributions[i] is the distribution token i was sampled from (untempered); with returnDistributions. */
  distributions?: Float32Array[];
}

export async function generate(model: GptNeox, prompt: readonly number[], options: GenerateOptions): Promise<GenerateResult> {
  const { maxNewTokens, stopTokens = [], returnDistributions = false } = options;
  if (!Number.isSafeInteger(maxNewTokens) || maxNewTokens < 0) throw new Error(`generate: maxNewTokens ${maxNewTokens} must be an integer ≥ 0`);
  if (prompt.length === 0) throw new Error('generate: the prompt must hold at least one token');
  // The last sampled token is never fed back, so the deepest position the model sees is end - 2.
  const maxPositions = model.config.maxPositions;
  if (prompt.length + Math.max(0, maxNewTokens - 1) > maxPositions) {
    throw new Error(`generate: ${prompt.length} prompt + ${maxNewTokens} new tokens exceed max_position_embeddings ${maxPositions}`);
  }
  const sample = createSampler(options);
  const end = prompt.length + maxNewTokens;
  const additions = (options.hooks ?? []).map(({ at = 'all', ...addition }) => ({ ...addition, positions: steeringPositions(at, prompt.length, end) }));

  const tokens: number[] = [];
  const distributions: Float32Array[] = [];
  const cache = model.createCache(1);
  try {
    let input: readonly number[] = prompt;
    while (tokens.length < maxNewTokens) {
      const { logits } = model.forward([input], { cache, additions, logits: 'last' });
      const row = (await logits!.data()) as Float32Array; // [vocab]: batch 1, last position
      logits!.dispose();
      if (returnDistributions) distributions.push(Float32Array.from(softmax(row)));
      const token = sample(row);
      tokens.push(token);
      if (stopTokens.includes(token)) break;
      input = [token];
    }
  } finally {
    cache.dispose();
  }
  return returnDistributions ? { tokens, distributions } : { tokens };
}

function steeringPositions(at: SteeringPositions, promptLength: number, end: number): number[] | undefined {
  if (at === 'all') return undefined;
  const from = at === 'generated' ? promptLength : at === 'last' ? promptLength - 1 : null;
  if (from === null) return [...(at as readonly number[])];
  return Array.from({ length: Math.max(0, end - from) }, (_, i) => from + i);
}
