/**
 * The MNIST inspector, steering and export for one snapshot of a run (a LabState). Feature
 * statistics over the test digits are computed once per seed and snapshot, on first use, and
 * cached: inspecting feature after feature is then instant.
 */
import {
  computeFeatureStats,
  decoderRow,
  digitImage,
  encoderColumn,
  exportMnistSae,
  featureSummary,
  steeringStrip,
  steeringSuccessRate,
  STEERING_SUCCESS_DEFINITION,
  type DigitClassifier,
  type DigitSet,
  type FeatureStats,
} from '../../core/analysis';
import type { SaeLensFiles } from '../../core/formats/saelens';
import { cached } from './cached';
import type { FeatureDetails, SteeringResult, SteeringSuccess } from '../protocol/lab-api';
import type { LabState } from './lab-snapshot';
import { SeedAnalysis } from './seed-analysis';

/** What every analysis uses and no run changes: the test digits on the device and the judge. */
export interface AnalysisResources {
  test: DigitSet;
  classifier: DigitClassifier;
}

export class MnistAnalysis extends SeedAnalysis {
  private readonly stats = new Map<number, Promise<FeatureStats>>();
  private readonly success = new Map<number, Promise<SteeringSuccess>>();

  constructor(
    state: LabState,
    private readonly resources: AnalysisResources,
  ) {
    super(state);
  }

  async inspect(seed: number, feature: number): Promise<FeatureDetails> {
    const index = this.seedIndex(seed);
    this.checkFeature(feature);
    const summary = featureSummary(await this.featureStats(index), feature);
    const { split } = this.resources.test;
    const weights = this.state.weights[index];
    return {
      seed,
      feature,
      decoder: decoderRow(weights, feature),
      encoder: encoderColumn(weights, feature),
      frequency: summary.frequency,
      histogram: summary.histogram,
      classProfile: summary.classProfile,
      preferredClass: summary.preferredClass,
      topDigits: summary.top.map(({ index: digit, activation }) => ({ index: digit, label: split.labels[digit], activation, image: digitImage(split, digit) })),
      partners: this.partners(index, feature),
    };
  }

  async steer(seed: number, feature: number, digitIndex: number, alphas: number[]): Promise<SteeringResult> {
    const index = this.seedIndex(seed);
    this.checkFeature(feature);
    const { split } = this.resources.test;
    if (!Number.isInteger(digitIndex) || digitIndex < 0 || digitIndex >= split.count) throw new Error(`digit ${digitIndex} is not one of the ${split.count} test digits`);
    if (alphas.some((a) => !Number.isFinite(a))) throw new Error(`steering strengths must be finite numbers, got ${alphas.join(', ')}`);
    const original = digitImage(split, digitIndex);
    const strip = await this.withSae(index, (sae) => steeringStrip(sae, original, feature, alphas));
    const stats = await this.featureStats(index);
    return {
      digitIndex,
      label: split.labels[digitIndex],
      original,
      reconstruction: strip.reconstruction,
      alphas: [...alphas],
      images: strip.images,
      probabilities: await this.resources.classifier.probabilitiesOf(strip.images),
      preferredClass: stats.preferredClass[feature],
    };
  }

  steeringSuccess(seed: number): Promise<SteeringSuccess> {
    const index = this.seedIndex(seed);
    return cached(this.success, index, async () => {
      const stats = await this.featureStats(index);
      const { test, classifier } = this.resources;
      const result = await this.withSae(index, (sae) => steeringSuccessRate(sae, stats, classifier, test));
      return { ...result, definition: STEERING_SUCCESS_DEFINITION };
    });
  }

  exportSaeLens(seed: number): SaeLensFiles {
    const index = this.seedIndex(seed);
    return exportMnistSae(this.state.weights[index], { ...this.state.config, seed });
  }

  private featureStats(index: number): Promise<FeatureStats> {
    return cached(this.stats, index, () => this.withSae(index, (sae) => computeFeatureStats(sae, this.resources.test)));
  }
}
