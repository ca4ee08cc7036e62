/**
 * A steering success rate for language-model SAEs that needs no external service: instead of an LLM
 * judging whether the steered text is more about the feature, the SAE itself reads both continuations.
 * A trial (feature, prompt) succeeds when the feature, read by a clean forward pass (no steering) over
 * prompt + continuation, fires on at least `minExtraFirings` more generated positions of the steered
 * continuation than of the unsteered one, sampled with the same seed.
 *
 * The clean pass matters: during steered generation the feature's own direction is in the stream, so it
 * would fire trivially; without it, only the tokens that steering made the model write can make it fire.
 */
import { Rng } from '../../rng';
import { tf } from '../../tf';
import type { GptNeox, HookName } from '../../model';
import type { DeviceSae } from '../device-sae';
import { successRate } from '../wilson';
import { checkFeature } from './feature-columns';
import { LM_STEERING_DEFAULTS, steeredContinuation, steeringVector, unsteeredContinuation, type GenerationSettings } from './steer-prompt';
import { tokenFeatureActivations } from './token-activations';

/** The paper's three neutral prompts (tokenize them with the model's tokenizer). */
export const NEUTRAL_PROMPTS = ['The most important thing is', 'A common example of', 'Many people believe that'] as const;

/**
 * 5 of 30 generated tokens. A live feature of a k = 40, 16,384-wide TopK SAE fires on well under 5% of
 * tokens, i.e. on about 1.5 or fewer of 30; the difference between two independently sampled
 * continuations then has a standard deviation of about √(2 · 1.5) ≈ 1.7 firings, so 5 more is about
 * three standard deviations: sampling noise alone rarely passes it. It is still only a sixth of the
 * continuation, so steering that turns part of the text to the feature's subject counts as success.
 */
export const LM_MIN_EXTRA_FIRINGS = 5;

export const LM_STEERING_SUCCESS_DEFINITION =
  `Each chosen live feature steers each neutral prompt: ${LM_STEERING_DEFAULTS.alpha} × its unit decoder direction is added ` +
  `at the SAE's hook on generated tokens only, and ${LM_STEERING_DEFAULTS.maxNewTokens} new tokens are sampled ` +
  `(temperature ${LM_STEERING_DEFAULTS.temperature}, top-p ${LM_STEERING_DEFAULTS.topP}) with and without steering from the same seed; ` +
  `a trial succeeds when the feature, read by a clean pass of the model (no steering) over prompt and continuation, fires on ` +
  `at least ${LM_MIN_EXTRA_FIRINGS} more generated tokens of the steered continuation than of the unsteered one.`;

export interface LmSteeringSuccessOptions extends GenerationSettings {
  hook: HookName;
  features: readonly number[];
  /** Prompts as token ids, e.g. NEUTRAL_PROMPTS tokenized. */
  prompts: readonly (readonly number[])[];
  alpha?: number;
  minExtraFirings?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface LmSteeringTrial {
  feature: number;
  /** Index into `prompts`. */
  prompt: number;
  /** Generated positions where the feature fires in the clean pass over the steered continuation. */
  steeredFirings: number;
  unsteeredFirings: number;
  success: boolean;
  /** The continuations (new tokens only). */
  steered: number[];
  unsteered: number[];
}

export interface LmSteeringSuccess {
  rate: number;
  ci95: [number, number];
  successes: number;
  trials: number;
  /** Number of features steered. */
  features: number;
  alpha: number;
  minExtraFirings: number;
  perTrial: LmSteeringTrial[];
}

export async function lmSteeringSuccess(model: GptNeox, sae: DeviceSae, options: LmSteeringSuccessOptions): Promise<LmSteeringSuccess> {
  const { hook, features, prompts, signal } = options;
  const alpha = options.alpha ?? LM_STEERING_DEFAULTS.alpha;
  const minExtraFirings = options.minExtraFirings ?? LM_MIN_EXTRA_FIRINGS;
  const maxNewTokens = options.maxNewTokens ?? LM_STEERING_DEFAULTS.maxNewTokens;
  checkOptions(model, sae, options, minExtraFirings, maxNewTokens);
  const directions = await unitDirections(sae, features);
  const total = features.length * prompts.length;

  // The unsteered continuation depends only on the prompt and the seed: sampled and read once per prompt.
  const baselines: { tokens: number[]; firings: number[] }[] = [];
  for (const prompt of prompts) {
    signal?.throwIfAborted();
    const tokens = await unsteeredContinuation(model, prompt, options);
    baselines.push({ tokens, firings: await generatedFirings(model, sae, hook, prompt, tokens, features) });
  }

  const perTrial: LmSteeringTrial[] = [];
  for (let i = 0; i < features.length; i++) {
    const vector = steeringVector(model, directions[i], alpha);
    for (let p = 0; p < prompts.length; p++) {
      signal?.throwIfAborted();
      const steered = await steeredContinuation(model, prompts[p], hook, vector, options);
      const [steeredFirings] = await generatedFirings(model, sae, hook, prompts[p], steered, [features[i]]);
      const unsteeredFirings = baselines[p].firings[i];
      const success = steeredFirings - unsteeredFirings >= minExtraFirings;
      perTrial.push({ feature: features[i], prompt: p, steeredFirings, unsteeredFirings, success, steered, unsteered: baselines[p].tokens });
      options.onProgress?.(perTrial.length, total);
    }
  }
  const successes = perTrial.filter((trial) => trial.success).length;
  return {
    ...successRate(successes, total),
    features: features.length,
    alpha,
    minExtraFirings,
    perTrial,
  };
}

function checkOptions(model: GptNeox, sae: DeviceSae, options: LmSteeringSuccessOptions, minExtraFirings: number, maxNewTokens: number): void {
  for (const feature of options.features) checkFeature(sae, feature, 'lmSteeringSuccess: feature');
  if (!Number.isSafeInteger(minExtraFirings) || minExtraFirings < 1) {
    // 0 would count every trial whose steering changed nothing as a success.
    throw new Error(`lmSteeringSuccess: minExtraFirings ${minExtraFirings} must be an integer ≥ 1`);
  }
  options.prompts.forEach((prompt, p) => {
    if (prompt.length === 0) throw new Error(`lmSteeringSuccess: prompt ${p} is empty`);
    // The clean pass reads the whole continuation, one position more than generation needs.
    if (prompt.length + maxNewTokens > model.config.maxPositions) {
      throw new Error(`lmSteeringSuccess: prompt ${p} has ${prompt.length} tokens; with ${maxNewTokens} new tokens it exceeds max_position_embeddings ${model.config.maxPositions}`);
    }
  });
}

/** The features' unit decoder rows, one read-back: [features][d_in]. */
export async function unitDirections(sae: DeviceSae, features: readonly number[]): Promise<Float32Array[]> {
  if (features.length === 0) return [];
  const rows = tf.gather(sae.unitDecoder, Int32Array.from(features));
  try {
    const values = (await rows.data()) as Float32Array;
    return features.map((_, i) => values.slice(i * sae.d_in, (i + 1) * sae.d_in));
  } finally {
    rows.dispose();
  }
}

/** Per feature: the generated positions (after the prompt) where it fires in a clean pass over prompt + continuation. */
async function generatedFirings(
  model: GptNeox,
  sae: DeviceSae,
  hook: HookName,
  prompt: readonly number[],
  continuation: readonly number[],
  features: readonly number[],
): Promise<number[]> {
  if (features.length === 0 || continuation.length === 0) return features.map(() => 0);
  const activations = await tokenFeatureActivations(model, sae, hook, [...prompt, ...continuation], features);
  return activations.map((values) => values.subarray(prompt.length).reduce((count, v) => count + (v > 0 ? 1 : 0), 0));
}

/** Up to `count` features with firing frequency > 0, drawn without replacement with a seed. */
export function sampleLiveFeatures(firingFrequency: Float32Array, count: number, seed: number): number[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`sampleLiveFeatures: count ${count} must be an integer ≥ 0`);
  const live = Array.from({ length: firingFrequency.length }, (_, i) => i).filter((i) => firingFrequency[i] > 0);
  const order = new Rng(seed).permutation(live.length);
  return Array.from(order.subarray(0, Math.min(count, live.length)), (k) => live[k]);
}
