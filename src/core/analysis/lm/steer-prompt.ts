/**
 * Steering one prompt with one direction, as in the paper: α·d is added at the SAE's hook only on
 * generated tokens (never on the prompt), and two continuations are sampled with the same seed, one
 * steered and one not, so that they differ only through the steering.
 *
 * With 'generated' positions the first new token is sampled from the last prompt position, which is
 * not steered: it is the same in both continuations, and steering shows from the second token on.
 * `nextToken` shows instead what the vector does right at the end of the prompt: the next-token
 * distribution with α·d added at the last prompt position, against the clean one.
 */
import { generate, softmax, type GptNeox, type HookAddition, type HookName } from '../../model';

import { LM_STEERING_DEFAULTS } from './settings';

export { LM_STEERING_DEFAULTS };

export interface SteerPromptOptions {
  prompt: readonly number[];
  hook: HookName;
  /** [d_model]; pass a unit vector so that α is the length added to the stream. */
  direction: ArrayLike<number>;
  alpha?: number;
  maxNewTokens?: number;
  temperature?: number;
  topP?: number;
  /** Sampling seed, shared by both continuations. Default 0. */
  seed?: number;
  /** How many tokens whose next-token probability rises most, and as many that fall most. Default 5. */
  nextTokens?: number;
}

export interface NextTokenChange {
  token: number;
  /** Probability without steering. */
  before: number;
  /** Probability with α·d added at the last prompt position. */
  after: number;
}

export interface SteeredPrompt {
  /** New tokens only (the prompt is not repeated). */
  unsteered: number[];
  steered: number[];
  /** The largest rises (largest first), then the largest falls (largest first). */
  nextToken: NextTokenChange[];
}

export async function steerPrompt(model: GptNeox, options: SteerPromptOptions): Promise<SteeredPrompt> {
  const { prompt, hook } = options;
  if (prompt.length === 0) throw new Error('steerPrompt: prompt must hold at least one token');
  const alpha = options.alpha ?? LM_STEERING_DEFAULTS.alpha;
  const vector = steeringVector(model, options.direction, alpha);
  const { unsteered, steered } = await steeredPair(model, prompt, hook, vector, options);
  const nextToken = await nextTokenChanges(model, prompt, hook, vector, options.nextTokens ?? 5);
  return { unsteered, steered, nextToken };
}

/** α·d as a Float32Array, checked against the model's d_model. */
export function steeringVector(model: GptNeox, direction: ArrayLike<number>, alpha: number): Float32Array {
  if (!Number.isFinite(alpha)) throw new Error(`steering: alpha ${alpha} must be a finite number`);
  if (direction.length !== model.config.hiddenSize) throw new Error(`steering: direction has ${direction.length} values, the model's d_model is ${model.config.hiddenSize}`);
  return Float32Array.from(direction, (v) => alpha * v);
}

export interface GenerationSettings {
  maxNewTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
}

/** The unsteered and the steered continuation of `prompt`, sampled with the same seed. */
export async function steeredPair(
  model: GptNeox,
  prompt: readonly number[],
  hook: HookName,
  vector: Float32Array,
  settings: GenerationSettings,
): Promise<{ unsteered: number[]; steered: number[] }> {
  const unsteered = await unsteeredContinuation(model, prompt, settings);
  const steered = await steeredContinuation(model, prompt, hook, vector, settings);
  return { unsteered, steered };
}

export async function unsteeredContinuation(model: GptNeox, prompt: readonly number[], settings: GenerationSettings): Promise<number[]> {
  return (await generate(model, prompt, samplerOptions(settings))).tokens;
}

export async function steeredContinuation(model: GptNeox, prompt: readonly number[], hook: HookName, vector: Float32Array, settings: GenerationSettings): Promise<number[]> {
  return (await generate(model, prompt, { ...samplerOptions(settings), hooks: [{ hook, vector, at: 'generated' }] })).tokens;
}

function samplerOptions(settings: GenerationSettings) {
  return {
    maxNewTokens: settings.maxNewTokens ?? LM_STEERING_DEFAULTS.maxNewTokens,
    temperature: settings.temperature ?? LM_STEERING_DEFAULTS.temperature,
    topP: settings.topP ?? LM_STEERING_DEFAULTS.topP,
    seed: settings.seed ?? 0,
  };
}

async function nextTokenChanges(model: GptNeox, prompt: readonly number[], hook: HookName, vector: Float32Array, count: number): Promise<NextTokenChange[]> {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`steerPrompt: nextTokens ${count} must be an integer ≥ 0`);
  const before = await nextTokenDistribution(model, prompt, []);
  const after = await nextTokenDistribution(model, prompt, [{ hook, vector, positions: [prompt.length - 1] }]);
  const tokens = Array.from({ length: before.length }, (_, t) => t);
  const change = (t: number) => after[t] - before[t];
  const rises = tokens.filter((t) => change(t) > 0).sort((a, b) => change(b) - change(a) || a - b);
  const falls = tokens.filter((t) => change(t) < 0).sort((a, b) => change(a) - change(b) || a - b);
  return [...rises.slice(0, count), ...falls.slice(0, count)].map((token) => ({ token, before: before[token], after: after[token] }));
}

/** softmax of the last position's logits (float64), one read-back. */
async function nextTokenDistribution(model: GptNeox, prompt: readonly number[], additions: HookAddition[]): Promise<Float64Array> {
  const { logits } = model.forward([prompt], { additions, logits: 'last' });
  try {
    return softmax((await logits!.data()) as Float32Array);
  } finally {
    logits!.dispose();
  }
}
