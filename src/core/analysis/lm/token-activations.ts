/**
 * Feature activations along a token sequence, read by a clean forward pass (no steering): the model runs
 * only up to the SAE's hook, and the SAE encodes the residual stream at every position.
 */
import type { GptNeox, HookName } from '../../model';
import { tf } from '../../tf';
import type { DeviceSae } from '../device-sae';
import { checkFeature, encodeFeatureColumns } from './feature-columns';

/** One feature's activation at every position of `tokens` [seq] (what the dashboard highlights). */
export async function tokenActivations(model: GptNeox, sae: DeviceSae, hook: HookName, tokens: readonly number[], feature: number): Promise<Float32Array> {
  return (await tokenFeatureActivations(model, sae, hook, tokens, [feature]))[0];
}

/** Several features' activations along `tokens`, one forward and one read-back: [features][seq]. */
export async function tokenFeatureActivations(
  model: GptNeox,
  sae: DeviceSae,
  hook: HookName,
  tokens: readonly number[],
  features: readonly number[],
): Promise<Float32Array[]> {
  for (const feature of features) checkFeature(sae, feature, 'tokenActivations: feature');
  if (model.config.hiddenSize !== sae.d_in) throw new Error(`tokenActivations: the SAE reads d_in ${sae.d_in}, the model's ${hook} has d_model ${model.config.hiddenSize}`);
  const { activations } = model.forward([tokens], { capture: [hook], stopAt: hook });
  const stream = activations[hook]!; // [1, seq, d_model]
  const x = tf.reshape(stream, [tokens.length, sae.d_in]) as tf.Tensor2D;
  stream.dispose();
  try {
    return await encodeFeatureColumns(sae, x, features);
  } finally {
    x.dispose();
  }
}
