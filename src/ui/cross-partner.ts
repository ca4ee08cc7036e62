/**
 * Switching the feature views from one configuration to the other lands on the selected feature's
 * matched partner there, not on the same index (indices mean nothing across SAEs): the two
 * configurations' decoder directions of one seed each are matched by the optimal assignment on |cos|,
 * in the matching worker, once per pair of snapshots.
 */
import type { LabSnapshot } from '../runtime/protocol/lab-api';
import type { DirectionMatching } from '../runtime/protocol/match-api';
import type { Side } from './store/experiment';
import type { LabStore } from './store/lab-store';
import type { CrossPartner } from './store/selection';

export type MatchDirections = (a: Float32Array, nA: number, b: Float32Array, nB: number, dim: number) => Promise<DirectionMatching>;

/** Where a switch to the other configuration lands: that side's seed and feature, and how it was matched. */
export interface CrossLanding {
  seed: number;
  feature: number;
  arrivedFrom: CrossPartner;
}

/** The seed of `to` matched with `seed` of the other side: the same seed number where it has one (same initialisation), else its first. */
export function counterpartSeed(seed: number, to: LabSnapshot): number {
  return to.seeds.includes(seed) ? seed : to.seeds[0];
}

interface CacheEntry {
  a: LabSnapshot;
  b: LabSnapshot;
  seedA: number;
  seedB: number;
  matching: Promise<DirectionMatching>;
}

/**
 * Finds partners across the configurations, always matching A's seed (rows) against B's (columns)
 * so one matching answers both directions. The latest matching of each seed pair is kept until a
 * newer snapshot of either side arrives.
 */
export function crossPartnerFinder(match: MatchDirections) {
  const cache: CacheEntry[] = [];

  function matchingOf(a: LabSnapshot, seedA: number, b: LabSnapshot, seedB: number): Promise<DirectionMatching> {
    const hit = cache.find((e) => e.a === a && e.b === b && e.seedA === seedA && e.seedB === seedB);
    if (hit) return hit.matching;
    const matching = match(a.decoders[a.seeds.indexOf(seedA)], a.d_sae, b.decoders[b.seeds.indexOf(seedB)], b.d_sae, a.d_in);
    // One entry per seed pair: older snapshots' matchings are dropped with their entry.
    const stale = cache.findIndex((e) => e.seedA === seedA && e.seedB === seedB);
    if (stale >= 0) cache.splice(stale, 1);
    const entry = { a, b, seedA, seedB, matching };
    cache.push(entry);
    // A failed matching is not kept: the next switch tries again.
    matching.catch(() => {
      const at = cache.indexOf(entry);
      if (at >= 0) cache.splice(at, 1);
    });
    return matching;
  }

  /**
   * The partner in `snapshots[to]` of feature `feature` of seed `seed` in `snapshots[from]`; null
   * when the two cannot be compared (no snapshot yet, inputs of different widths).
   */
  async function find(snapshots: readonly [LabSnapshot | null, LabSnapshot | null], from: Side, seed: number, feature: number): Promise<CrossLanding | null> {
    const to: Side = from === 0 ? 1 : 0;
    const [a, b] = snapshots;
    const source = snapshots[from];
    const target = snapshots[to];
    if (!a || !b || !source || !target || a.d_in !== b.d_in || !source.seeds.includes(seed) || feature >= source.d_sae) return null;
    const toSeed = counterpartSeed(seed, target);
    const [seedA, seedB] = from === 0 ? [seed, toSeed] : [toSeed, seed];
    const m = await matchingOf(a, seedA, b, seedB);
    const [assigned, matched, best, bestCosine] = from === 0 ? [m.rowToCol, m.rowMatched, m.rowBest, m.rowBestCosine] : [m.colToRow, m.colMatched, m.colBest, m.colBestCosine];
    const optimal = assigned[feature] >= 0;
    return {
      seed: toSeed,
      feature: optimal ? assigned[feature] : best[feature],
      arrivedFrom: { side: from, seed, feature, cosine: optimal ? matched[feature] : bestCosine[feature], how: optimal ? 'assignment' : 'best' },
    };
  }

  return { find };
}

export type CrossPartnerFinder = ReturnType<typeof crossPartnerFinder>;

/**
 * Shows configuration `to`: with a feature selected, its matched partner there (the inspector says
 * which and its |cos|); without one, or where the two cannot be compared, no feature. Resolves once
 * the selection has moved, to why no partner was found (null when one was, or none was needed); a
 * selection the person changed meanwhile wins.
 */
export async function switchConfiguration(store: LabStore, finder: CrossPartnerFinder, to: Side): Promise<string | null> {
  const { selection, runtime } = store.getState();
  const { side, seed, feature } = selection;
  if (to === side) return null;
  if (feature === null) {
    store.getState().select({ side: to });
    return null;
  }
  let landing: CrossLanding | null = null;
  let problem: string | null = null;
  try {
    landing = await finder.find([runtime[0].snapshot, runtime[1].snapshot], side, seed, feature);
    if (!landing) problem = 'the two configurations have no features to compare yet';
  } catch (e) {
    problem = `matching the configurations failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  const now = store.getState().selection;
  if (now.side !== side || now.seed !== seed || now.feature !== feature) return null;
  if (!landing) store.getState().select({ side: to, feature: null });
  else store.getState().selectFeature(to, landing.seed, landing.feature, { arrivedFrom: landing.arrivedFrom });
  return problem;
}
