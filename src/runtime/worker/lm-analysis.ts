/**
 * The language-model inspector, steering and export for one snapshot of a run on activation
 * shards: a feature's top contexts, activation histogram and logit lens, its partners, steered
 * against unsteered continuations, and the steering success rate (src/core/analysis/lm).
 *
 * The SAEs train on normalised activations (× scale). Whatever reads the model's own residual
 * stream uses the SAE with the scale folded in: encode(scale·x) = (scale·W_enc)ᵀ(x − b_dec/scale) + b_enc,
 * and decoding into the raw stream divides W_dec by the scale. Decoder directions are unchanged.
 */
import {
  featureDashboard,
  featureTopLabels,
  LM_STEERING_DEFAULTS,
  lmSteeringSuccess,
  logitLens,
  LM_STEERING_SUCCESS_DEFINITION,
  mostCommonLabel,
  NEUTRAL_PROMPTS,
  sampleLiveFeatures,
  steerPrompt,
  tokenActivations,
  type LmSteeringSuccess,
} from '../../core/analysis/lm';
import { decoderRow, successRate } from '../../core/analysis';
import { featureSuccesses } from '../../core/stats';
import { CONCEPT_STEERING_DEFINITION, conceptFeatures, conceptSteeringSuccess } from '../../core/analysis/lm/concept-steering';
import { classify } from '../../core/lm/concept-classifier';
import type { JudgeFile } from '../../core/lm/judge-file';
import { describeFeature, JUDGE_DEFINITION } from '../../core/judge';
import { judgeSteering } from '../../io/judge-http';
import { writeSaeLens, type SaeLensFiles } from '../../core/formats/saelens';
import { foldInputScale } from '../../core/shards/normalise';
import { saeArchitecture } from '../../core/sae/variants';
import type { SaeWeights } from '../../core/sae/weights';
import { cached } from './cached';
import type { FeatureLabels, JudgeSettings, LmContext, LmFeatureDetails, LmSteeringRequest, LmSteeringResult, SteeringSuccess, SteeringSuccessRequest } from '../protocol/lab-api';
import type { LabState } from './lab-snapshot';
import { SeedAnalysis } from './seed-analysis';
import { hookOf, type LoadedModel, type LmData } from './lm-data';

/** Contexts shown per feature, and features steered per success measurement (× the three prompts). */
const TOP_CONTEXTS = 10;
/** Rows behind a feature's frequency and histogram: at 16,384 latents a full encode costs ~4 ms a row on wasm. */
const HISTOGRAM_ROWS = 1024;
export const LM_STEERING_FEATURES = 30;
/** Rows behind the feature table's labels: one full encode each (see HISTOGRAM_ROWS). */
const LABEL_ROWS = 2048;

export class LmAnalysis extends SeedAnalysis {
  /** Keyed by seed index and α. */
  private readonly success = new Map<string, Promise<{ result: LmSteeringSuccess; prompts: number[][] }>>();
  /** Concept-grounded success, keyed by seed index and α. */
  private readonly conceptCache = new Map<string, Promise<NonNullable<SteeringSuccess['concept']>>>();
  /** Keyed by seed index: this analysis's weights do not change. */
  private readonly featureLabelCache = new Map<number, Promise<FeatureLabels>>();

  constructor(
    state: LabState,
    private readonly data: LmData,
    /** The model may be loaded after training: read it at each call. */
    private readonly model: () => LoadedModel | null,
  ) {
    super(state);
  }

  async inspectLm(seed: number, feature: number): Promise<LmFeatureDetails> {
    const index = this.seedIndex(seed);
    this.checkFeature(feature);
    const dashboard = await this.withSae(index, (sae) => featureDashboard(sae, this.data.rows, feature, { top: TOP_CONTEXTS, histogramRows: HISTOGRAM_ROWS }));
    const loaded = this.model();
    const contexts = await Promise.all(dashboard.top.map(({ row, activation }) => this.context(index, feature, row, activation, loaded)));
    const decoder = decoderRow(this.state.weights[index], feature);
    const lens = loaded ? await logitLens(loaded.model, unit(decoder), 8) : null;
    const text = (token: number) => (loaded ? loaded.tokenizer.decode([token]) : `#${token}`);
    const labels = this.data.labels;
    const topLabel = labels && mostCommonLabel(dashboard.top.map(({ row }) => labels.rows[row]));
    return {
      seed,
      feature,
      decoder,
      frequency: dashboard.frequency,
      histogram: dashboard.histogram,
      contexts,
      ...(labels && { topLabel: topLabel && { label: labels.names[topLabel.label], count: topLabel.count, total: topLabel.total } }),
      logitLens: lens && {
        promoted: lens.promoted.map(({ token, logit }) => ({ text: text(token), logit })),
        suppressed: lens.suppressed.map(({ token, logit }) => ({ text: text(token), logit })),
      },
      partners: this.partners(index, feature),
    };
  }

  async lmFeatureLabels(seed: number): Promise<FeatureLabels | null> {
    const index = this.seedIndex(seed);
    const labels = this.data.labels;
    if (!labels) return null;
    return cached(this.featureLabelCache, index, async () => {
      const found = await this.withSae(index, (sae) => featureTopLabels(sae, this.data.rows, labels.rows, { top: TOP_CONTEXTS, sampleRows: LABEL_ROWS }));
      return { seed, names: labels.names, contexts: TOP_CONTEXTS, ...found };
    });
  }

  async steerLm(seed: number, feature: number, request: LmSteeringRequest): Promise<LmSteeringResult> {
    const index = this.seedIndex(seed);
    this.checkFeature(feature);
    const { model, tokenizer } = this.requireModel('steering');
    if (!Number.isFinite(request.alpha)) throw new Error(`the steering strength α must be a finite number (got ${request.alpha})`);
    if (!Number.isSafeInteger(request.samplingSeed)) throw new Error(`the sampling seed must be a whole number (got ${request.samplingSeed})`);
    const prompt = this.encodePrompt(request.prompt);
    const result = await steerPrompt(model, {
      prompt,
      hook: hookOf(this.data),
      direction: unit(decoderRow(this.state.weights[index], feature)),
      alpha: request.alpha,
      seed: request.samplingSeed,
    });
    return {
      seed,
      feature,
      prompt: request.prompt,
      alpha: request.alpha,
      unsteered: tokenizer.decode(result.unsteered),
      steered: tokenizer.decode(result.steered),
      nextToken: result.nextToken.map(({ token, before, after }) => ({ text: tokenizer.decode([token]), before, after })),
    };
  }

  /**
   * The SAE-read success rate over LM_STEERING_FEATURES live features × the paper's three prompts,
   * cached per seed and α; with a judge, the same continuations are also scored by it (not cached:
   * the endpoint or model may change between calls).
   */
  async steeringSuccess(seed: number, { alpha = LM_STEERING_DEFAULTS.alpha, judge }: SteeringSuccessRequest = {}): Promise<SteeringSuccess> {
    const index = this.seedIndex(seed);
    if (!Number.isFinite(alpha)) throw new Error(`the steering strength α must be a finite number (got ${alpha})`);
    const { result, prompts } = await cached(this.success, `${index}:${alpha}`, async () => {
      const { model } = this.requireModel('the steering success rate');
      const features = sampleLiveFeatures(this.state.firingFrequency[index], LM_STEERING_FEATURES, 0);
      if (features.length === 0) throw new Error(`seed ${seed} has no live features to steer with`);
      const prompts = NEUTRAL_PROMPTS.map((text) => this.encodePrompt(text));
      const result = await this.withSae(index, (sae) => lmSteeringSuccess(model, sae, { hook: hookOf(this.data), features, prompts, alpha, seed: 0 }), this.rawWeights(index));
      return { result, prompts };
    });
    const { rate, ci95, successes, trials, features } = result;
    const judged = judge ? await this.judgeTrials(seed, result.perTrial, prompts, judge) : null;
    const concept = this.data.judge ? await this.conceptSuccess(seed, alpha, this.data.judge) : null;
    return { rate, ci95, successes, trials, features, alpha, perFeature: featureSuccesses(result.perTrial), definition: LM_STEERING_SUCCESS_DEFINITION, judged, concept };
  }

  /**
   * Concept-grounded success (core/analysis/lm/concept-steering.ts), as `npm run lab -- steer-eval` measures
   * it: features whose top contexts mostly share a category steer the paper's three prompts, and the
   * judge shipped beside the shards reads both continuations. Cached per seed and α.
   */
  private conceptSuccess(seed: number, alpha: number, judge: JudgeFile): Promise<NonNullable<SteeringSuccess['concept']>> {
    const index = this.seedIndex(seed);
    return cached(this.conceptCache, `${index}:${alpha}`, async () => {
      const { model } = this.requireModel('the steering success rate');
      const labels = await this.lmFeatureLabels(seed);
      if (!labels) throw new Error('concept-grounded steering needs labelled shards');
      const features = conceptFeatures(labels, (label) => nullIfMissing(judge.categories.indexOf(labels.names[label])), { count: LM_STEERING_FEATURES });
      const prompts = NEUTRAL_PROMPTS.map((text) => this.encodePrompt(text));
      const result = await this.withSae(index, (sae) =>
        conceptSteeringSuccess(model, sae, { hook: hookOf(this.data), features, prompts, alpha, classify: (tokens) => classify(judge.classifier, tokens), seed: 0 }),
      );
      const { rate, ci95, successes, trials } = result;
      return {
        rate,
        ci95,
        successes,
        trials,
        features: features.length,
        alpha,
        perFeature: featureSuccesses(result.perTrial),
        definition: CONCEPT_STEERING_DEFINITION,
        judge: { accuracy: judge.accuracy, majority: judge.majority, heldOut: judge.heldOut },
      };
    });
  }

  /** Every trial's steered and unsteered texts scored by the judge, against a description of the feature from its contexts and logit lens. */
  private async judgeTrials(seed: number, trials: LmSteeringSuccess['perTrial'], prompts: number[][], judge: JudgeSettings): Promise<SteeringSuccess['judged']> {
    const { tokenizer } = this.requireModel('the judge');
    const explanations = new Map<number, Promise<string>>();
    const explain = (feature: number) =>
      cached(explanations, feature, async () => {
        const details = await this.inspectLm(seed, feature);
        return describeFeature({
          promoted: details.logitLens?.promoted.map((t) => t.text) ?? [],
          contexts: details.contexts.map((c) => c.tokens.join('')),
        });
      });
    const verdicts: { feature: number; success: boolean }[] = [];
    for (const trial of trials) {
      const verdict = await judgeSteering(judge, {
        explanation: await explain(trial.feature),
        prompt: tokenizer.decode(prompts[trial.prompt].filter((id) => id !== tokenizer.bosTokenId)),
        steered: tokenizer.decode(trial.steered),
        unsteered: tokenizer.decode(trial.unsteered),
      });
      verdicts.push({ feature: trial.feature, success: verdict.success });
    }
    const successes = verdicts.filter((v) => v.success).length;
    const n = trials.length;
    return { ...successRate(successes, n), perFeature: featureSuccesses(verdicts), definition: JUDGE_DEFINITION };
  }

  /** In SAELens layout for the model's raw residual stream (the normalising scale folded in). */
  exportSaeLens(seed: number): SaeLensFiles {
    const index = this.seedIndex(seed);
    return writeSaeLens(this.rawWeights(index), {
      hookName: this.data.hook,
      modelName: this.data.info.model,
      architecture: saeArchitecture(this.state.config.activation),
      training: { ...this.state.config, seed },
    });
  }

  private async context(index: number, feature: number, row: number, activation: number, loaded: LoadedModel | null): Promise<LmContext> {
    const { contexts, tokens, contextWindow } = this.data;
    const ids = [...contexts.subarray(row * contextWindow, (row + 1) * contextWindow), tokens[row]].filter((id) => id >= 0);
    const labels = this.data.labels;
    const label = labels && { label: labels.rows[row] >= 0 ? labels.names[labels.rows[row]] : null };
    if (!loaded || ids.length === 0) return { activation, tokens: ids.map((id) => `#${id}`), tokenActivations: null, ...label };
    // Re-read over the window alone, after a bos as in the shards: earlier tokens of the original
    // context are not kept, so these activations approximate the stored row's.
    const bos = loaded.tokenizer.bosTokenId;
    const input = bos === null ? ids : [bos, ...ids];
    const perToken = await this.withSae(index, (sae) => tokenActivations(loaded.model, sae, hookOf(this.data), input, feature), this.rawWeights(index));
    return { activation, tokens: ids.map((id) => loaded.tokenizer.decode([id])), tokenActivations: [...perToken.subarray(input.length - ids.length)], ...label };
  }

  private encodePrompt(text: string): number[] {
    const { tokenizer } = this.requireModel('steering');
    const ids = tokenizer.encode(text, { prependBos: tokenizer.bosTokenId !== null });
    if (ids.length === 0) throw new Error('the prompt is empty');
    return ids;
  }

  private requireModel(what: string): LoadedModel {
    const loaded = this.model();
    if (!loaded) throw new Error(`${what} needs the model: load a GPT-NeoX model first`);
    return loaded;
  }

  private rawWeights(index: number): SaeWeights {
    return foldInputScale(this.state.weights[index], this.data.info.scale);
  }

}

function unit(vector: Float32Array): Float32Array {
  const norm = Math.hypot(...vector);
  return norm > 0 ? vector.map((v) => v / norm) : vector;
}

const nullIfMissing = (index: number) => (index < 0 ? null : index);
