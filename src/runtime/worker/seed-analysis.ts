/**
 * What every analysis of a snapshot does whatever the data: the heatmap of a seed pair, a feature's
 * partners in the other seeds, and an SAE uploaded for the length of one call (so replacing the
 * analysis at the next snapshot leaves nothing on the device). MNIST and language-model analyses
 * extend it with what their data lets them show.
 */
import {
  DeviceSae,
  decoderRow,
  featurePartners,
  maxPoolRange,
  orderedPairMatrix,
  rangeFits,
  wholeRange,
  type OrderedPairMatrix,
  type ZoomRange,
} from '../../core/analysis';
import type { SaeLensFiles } from '../../core/formats/saelens';
import type { SaeWeights } from '../../core/sae/weights';
import type { FeaturePartner, PairHeatmap, SteeringSuccess, SteeringSuccessRequest } from '../protocol/lab-api';
import type { LabState } from './lab-snapshot';

export abstract class SeedAnalysis {
  /**
   * The ordered matrix of the last pair asked for (n×n: 1 GiB at 16,384 features), so that zooming
   * into it only pools again. One pair at a time; the next snapshot's analysis starts without it.
   */
  private ordered: { seedA: number; seedB: number; matrix: Promise<OrderedPairMatrix> } | null = null;

  constructor(readonly state: LabState) {}

  abstract steeringSuccess(seed: number, request?: SteeringSuccessRequest): Promise<SteeringSuccess>;
  abstract exportSaeLens(seed: number): SaeLensFiles;

  async pairHeatmap(seedA: number, seedB: number, range: ZoomRange | null, size: number): Promise<PairHeatmap> {
    if (!(size >= 1)) throw new Error(`a heatmap needs at least one pixel a side, got ${size}`);
    const { n, values, rowOrder, colOrder, matched } = await this.orderedPair(seedA, seedB);
    const block = range ?? wholeRange(n);
    if (!rangeFits(block, n)) throw new Error(`rows ${block.row0}, columns ${block.col0}, side ${block.side} is not a block of the ${n}×${n} matrix`);
    // Copies of the orders: the reply's arrays are transferred to the page, the cache keeps its own.
    return { seedA, seedB, n, rowOrder: rowOrder.slice(), colOrder: colOrder.slice(), matched: matched.slice(), pooled: maxPoolRange(values, n, block, size) };
  }

  private orderedPair(seedA: number, seedB: number): Promise<OrderedPairMatrix> {
    const cached = this.ordered;
    if (cached && cached.seedA === seedA && cached.seedB === seedB) return cached.matrix;
    const { weights } = this.state;
    const [a, b] = [weights[this.seedIndex(seedA)], weights[this.seedIndex(seedB)]];
    // The previous pair's matrix is let go first, so that it can be freed before the next is built.
    this.ordered = null;
    const entry = { seedA, seedB, matrix: orderedPairMatrix(a, b, this.takeSpareMatrix(a.d_sae * b.d_sae)) };
    this.ordered = entry;
    // A failed build is not kept: the next request tries again.
    entry.matrix.catch(() => {
      if (this.ordered === entry) this.ordered = null;
    });
    return entry.matrix;
  }

  /** The alignment's finished buffer (see LabState.spareMatrix), once, when it has the length asked for. */
  private takeSpareMatrix(length: number): Float32Array | undefined {
    const spare = this.state.spareMatrix;
    if (spare?.length !== length) return undefined;
    this.state.spareMatrix = undefined;
    return spare;
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
