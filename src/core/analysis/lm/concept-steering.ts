/**
 * Steering success judged against a ground truth, for models whose activation rows carry concept labels
 * (the WordNet gloss model: each row's synset category). A feature's concept is the most common label of
 * its top-activating rows, and its purity that label's share of them. A trial (feature, prompt) steers
 * the prompt's continuation with α × the feature's unit decoder direction, on generated tokens only, and
 * samples a clean continuation with the same seed; a concept classifier reads both continuations (their
 * new tokens, not the prompt).
 *
 * Success: the classifier puts the steered continuation in the feature's concept and the clean one not.
 * This is the paper's question (is the steered text more about the feature than the clean one?) with a
 * judge whose accuracy is measured. The top class, not a rise in its probability by a chosen margin,
 * decides: it is what a reader would say the text is about, and it does not lean on the classifier's
 * calibration. At α = 0 the steered continuation is the clean one token for token (adding zero, same
 * seed), both get the same class, and no trial can succeed: the control is zero by construction.
 */
import { Rng } from '../../rng';
import type { GptNeox, HookName } from '../../model';
import type { DeviceSae } from '../device-sae';
import type { SteeringSuccessRate } from '../steering-success';
import { successRate } from '../wilson';
import { checkFeature } from './feature-columns';
import { steeredContinuation, steeringVector, unsteeredContinuation, type GenerationSettings } from './steer-prompt';
import { unitDirections } from './steering-success';
import type { FeatureTopLabels } from './top-labels';

/** A feature with a clear concept: a class of the judge. */
export interface ConceptFeature {
  feature: number;
  concept: number;
  /** Share of its top contexts with that concept. */
  purity: number;
}

/** Features steered per SAE, and what makes a concept clear: most of at least this many top contexts. */
export const CONCEPT_STEERING_DEFAULTS = { features: 24, minPurity: 0.5, minContexts: 10, seed: 0 } as const;

export const CONCEPT_STEERING_DEFINITION =
  `Features whose top-activating contexts mostly (at least ${100 * CONCEPT_STEERING_DEFAULTS.minPurity}% of at least ${CONCEPT_STEERING_DEFAULTS.minContexts}) share a WordNet ` +
  "category steer each prompt: α × the unit decoder direction is added at the SAE's hook on generated tokens only, and continuations are sampled " +
  "with and without it from the same seed; a trial succeeds when the concept judge (a classifier of glosses) puts the steered continuation in the " +
  "feature's category and the clean one not. At α = 0 the two continuations are the same, so no trial can succeed.";

/**
 * Up to `count` features, drawn with a seed, whose top contexts' most common label holds at least
 * `minPurity` of at least `minContexts` of them; `conceptOf` maps a row label to the judge's class
 * (null: a label the judge does not know, and the feature is left out).
 */
export function conceptFeatures(
  labels: FeatureTopLabels,
  conceptOf: (label: number) => number | null,
  options: { count?: number; minPurity?: number; minContexts?: number; seed?: number } = {},
): ConceptFeature[] {
  const { count, minPurity, minContexts, seed } = { ...CONCEPT_STEERING_DEFAULTS, count: CONCEPT_STEERING_DEFAULTS.features, ...options };
  const clear: ConceptFeature[] = [];
  for (let feature = 0; feature < labels.label.length; feature++) {
    const total = labels.total[feature];
    if (labels.label[feature] < 0 || total < minContexts || labels.count[feature] / total < minPurity) continue;
    const concept = conceptOf(labels.label[feature]);
    if (concept !== null) clear.push({ feature, concept, purity: labels.count[feature] / total });
  }
  const order = new Rng(seed).permutation(clear.length);
  return Array.from(order.subarray(0, Math.min(count, clear.length)), (k) => clear[k]);
}

export interface ConceptSteeringOptions extends GenerationSettings {
  hook: HookName;
  features: readonly ConceptFeature[];
  /** Prompts as token ids. */
  prompts: readonly (readonly number[])[];
  alpha: number;
  /** The judge: a continuation's tokens → its class. */
  classify: (tokens: readonly number[]) => number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ConceptTrial {
  feature: number;
  concept: number;
  /** Index into `prompts`. */
  prompt: number;
  steeredClass: number;
  cleanClass: number;
  success: boolean;
  /** The continuations (new tokens only). */
  steered: number[];
  clean: number[];
}

export interface ConceptSteeringResult extends Omit<SteeringSuccessRate, 'perFeature'> {
  perTrial: ConceptTrial[];
}

export async function conceptSteeringSuccess(model: GptNeox, sae: DeviceSae, options: ConceptSteeringOptions): Promise<ConceptSteeringResult> {
  const { hook, features, prompts, alpha, classify, signal } = options;
  for (const { feature } of features) checkFeature(sae, feature, 'conceptSteeringSuccess: feature');
  options.prompts.forEach((prompt, p) => {
    if (prompt.length === 0) throw new Error(`conceptSteeringSuccess: prompt ${p} is empty`);
  });
  const directions = await unitDirections(sae, features.map((f) => f.feature));
  const total = features.length * prompts.length;
  // The clean continuation depends only on the prompt and the seed: sampled and judged once per prompt.
  const clean: { tokens: number[]; judged: number }[] = [];
  for (const prompt of prompts) {
    signal?.throwIfAborted();
    const tokens = await unsteeredContinuation(model, prompt, options);
    clean.push({ tokens, judged: classify(tokens) });
  }
  const perTrial: ConceptTrial[] = [];
  for (let i = 0; i < features.length; i++) {
    const vector = steeringVector(model, directions[i], alpha);
    for (let p = 0; p < prompts.length; p++) {
      signal?.throwIfAborted();
      const steered = await steeredContinuation(model, prompts[p], hook, vector, options);
      const steeredClass = classify(steered);
      const { concept, feature } = features[i];
      const success = steeredClass === concept && clean[p].judged !== concept;
      perTrial.push({ feature, concept, prompt: p, steeredClass, cleanClass: clean[p].judged, success, steered, clean: clean[p].tokens });
      options.onProgress?.(perTrial.length, total);
    }
  }
  return { ...successRate(perTrial.filter((t) => t.success).length, total), features: features.length, alpha, perTrial };
}
