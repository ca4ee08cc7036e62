/**
 * The inspector, steering, heatmap and export for one snapshot of a run (a LabState). Feature
 * statistics over the test digits are computed once per seed and snapshot, on first use, and
 * cached: inspecting feature after feature is then instant. SAEs are uploaded per call and
 * disposed after it, so replacing the analysis at the next snapshot leaves nothing on the device.
 */
import {
  computeFeatureStats,
  decoderRow,
  DeviceSae,
  digitImage,
  encoderColumn,
  exportMnistSae,
  featurePartners,
  featureSummary,
  orderedPairMatrix,
  steeringStrip,
  steeringSuccessRate,
  STEERING_SUCCESS_DEFINITION,
  type DigitClassifier,
  type DigitSet,
  type FeatureStats,
} from '../core/analysis';
import type { SaeLensFiles } from '../core/formats/saelens';
import type { FeatureDetails, FeaturePartner, PairMatrix, SteeringResult, SteeringSuccess } from './lab-api';
import type { LabState } from './lab-snapshot';

/** What every analysis uses and no run changes: the test digits on the device and the judge. */
export interface AnalysisResources {
  test: DigitSet;
  classifier: DigitClassifier;
}

export class LabAnalysis {
  private readonly stats = new Map<number, Promise<FeatureStats>>();
  private readonly success = new Map<number, Promise<SteeringSuccess>>();

  constructor(
    readonly state: LabState,
    private readonly resources: AnalysisResources,
  ) {}

  async pairMatrix(seedA: number, seedB: number): Promise<PairMatrix> {
    const { weights } = this.state;
    const ordered = await orderedPairMatrix(weights[this.seedIndex(seedA)], weights[this.seedIndex(seedB)]);
    return { seedA, seedB, ...ordered };
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

  private partners(index: number, feature: number): FeaturePartner[] {
    const stability = this.state.alignment?.features[index];
    if (!stability) return [];
    return featurePartners(stability, feature).map((p) => ({
      seed: this.state.seeds[p.otherIndex],
      feature: p.feature,
      cosine: p.cosine,
      shared: p.shared,
      decoder: decoderRow(this.state.weights[p.otherIndex], p.feature),
    }));
  }

  private async withSae<T>(index: number, use: (sae: DeviceSae) => Promise<T>): Promise<T> {
    const sae = new DeviceSae(this.state.weights[index], this.state.config.activation);
    try {
      return await use(sae);
    } finally {
      sae.dispose();
    }
  }

  private seedIndex(seed: number): number {
    const index = this.state.seeds.indexOf(seed);
    if (index < 0) throw new Error(`seed ${seed} is not in this run (seeds ${this.state.seeds.join(', ')})`);
    return index;
  }

  private checkFeature(feature: number): void {
    const { d_sae } = this.state.weights[0];
    if (!Number.isInteger(feature) || feature < 0 || feature >= d_sae) throw new Error(`feature ${feature} is not one of the ${d_sae}`);
  }
}

/** The promise cached under `key`, computing it on first use; a failure is not cached. */
function cached<T>(cache: Map<number, Promise<T>>, key: number, compute: () => Promise<T>): Promise<T> {
  let promise = cache.get(key);
  if (!promise) {
    promise = compute();
    cache.set(key, promise);
    promise.catch(() => cache.delete(key));
  }
  return promise;
}
