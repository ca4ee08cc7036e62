/**
 * What every analysis of a snapshot does whatever the data: the heatmap's ordered pair matrix, a
 * feature's partners in the other seeds, and an SAE uploaded for the length of one call (so
 * replacing the analysis at the next snapshot leaves nothing on the device). MNIST and language-model
 * analyses extend it with what their data lets them show.
 */
import { DeviceSae, decoderRow, featurePartners, orderedPairMatrix } from '../../core/analysis';
import type { SaeLensFiles } from '../../core/formats/saelens';
import type { SaeWeights } from '../../core/sae/weights';
import type { FeaturePartner, PairMatrix, SteeringSuccess, SteeringSuccessRequest } from '../protocol/lab-api';
import type { LabState } from './lab-snapshot';

export abstract class SeedAnalysis {
  constructor(readonly state: LabState) {}

  abstract steeringSuccess(seed: number, request?: SteeringSuccessRequest): Promise<SteeringSuccess>;
  abstract exportSaeLens(seed: number): SaeLensFiles;

  async pairMatrix(seedA: number, seedB: number): Promise<PairMatrix> {
    const { weights } = this.state;
    const ordered = await orderedPairMatrix(weights[this.seedIndex(seedA)], weights[this.seedIndex(seedB)]);
    return { seedA, seedB, ...ordered };
  }

  protected partners(index: number, feature: number): FeaturePartner[] {
    const stability = this.state.alignment?.features[index];
    if (!stability) return [];
    return featurePartners(stability, feature).map(({ otherIndex, ...partner }) => ({
      ...partner,
      seed: this.state.seeds[otherIndex],
      decoder: decoderRow(this.state.weights[otherIndex], partner.feature),
    }));
  }

  /** Seed `index`'s SAE (or other weights of the run's architecture) uploaded for the length of `use`. */
  protected async withSae<T>(index: number, use: (sae: DeviceSae) => Promise<T>, weights: SaeWeights = this.state.weights[index]): Promise<T> {
    const sae = new DeviceSae(weights, this.state.config.activation);
    try {
      return await use(sae);
    } finally {
      sae.dispose();
    }
  }

  protected seedIndex(seed: number): number {
    const index = this.state.seeds.indexOf(seed);
    if (index < 0) throw new Error(`seed ${seed} is not in this run (seeds ${this.state.seeds.join(', ')})`);
    return index;
  }

  protected checkFeature(feature: number): void {
    const { d_sae } = this.state.weights[0];
    if (!Number.isInteger(feature) || feature < 0 || feature >= d_sae) throw new Error(`feature ${feature} is not one of the ${d_sae}`);
  }
}
