/**
 * Fetches what the selection shows from the selected configuration's worker: the seed pair's heatmap
 * (the zoomed block pooled to the canvas's pixels), the feature's details and its steering strip, as
 * the selection changes or new weights arrive. Requests the workers answer slower than the page asks are coalesced (only the latest runs
 * next), and an answer for a selection that has since moved is dropped.
 */
import { rangeFits } from '../../core/analysis/heatmap-pool';
import type { LabSnapshot } from '../../runtime/protocol/lab-api';
import { debounce } from '../lib/debounce';
import { errorMessage } from '../lib/error-message';
import { latestOnly, type LatestOnly } from '../lib/latest-only';
import { steeringAlphas } from '../steering-alphas';
import type { Side } from '../store/experiment';
import type { LabStore } from '../store/lab-store';
import { sameHeatmapView, STEERING_STRIP_ALPHAS, type HeatmapView, type Selection } from '../store/selection';
import type { Worker } from './side-runner';

/** How long the α slider must rest before the steering strip is recomputed. */
const STEER_DEBOUNCE_MS = 120;

export interface SelectionFetchers {
  /** New weights for a side: the store takes them, and the selection's views on that side are fetched again. */
  showSnapshot(side: Side, snapshot: LabSnapshot): void;
  /** Steered and unsteered continuations for the selected feature (language-model data). */
  generate(): Promise<void>;
  /** Stops following the selection. */
  dispose(): void;
}

const stillSelected = (s: Selection, side: Side, seed: number, feature: number) => s.side === side && s.seed === seed && s.feature === feature;

export function createSelectionFetchers(store: LabStore, workerOf: (side: Side) => Worker | null): SelectionFetchers {
  const state = store.getState;

  // Heatmap: the selected pair's view from the selected configuration's current weights. Zooming
  // asks again; the worker keeps the pair's matrix, so only the first request for a pair builds it.
  const pairHeatmap: LatestOnly<{ side: Side; pair: [number, number]; view: HeatmapView }> = latestOnly(async ({ side, pair, view }) => {
    const worker = workerOf(side);
    if (!worker || pair[0] === pair[1]) return;
    // A zoom from a wider run's matrix does not fit this one: all of it, then.
    const n = state().runtime[side].snapshot?.d_sae ?? 0;
    const range = view.range && rangeFits(view.range, n) ? view.range : null;
    const heatmap = await worker.client.api.pairHeatmap(pair[0], pair[1], range, view.size);
    const { selection } = state();
    if (selection.side === side && selection.pair[0] === heatmap.seedA && selection.pair[1] === heatmap.seedB) {
      state().patchRuntime(side, { pairHeatmap: heatmap });
    }
  });

  const inspect = latestOnly(async ({ side, seed, feature }: { side: Side; seed: number; feature: number }) => {
    const worker = workerOf(side);
    if (!worker) return;
    if (state().experiment.dataset === 'lm') {
      const lm = await worker.client.api.inspectLm(seed, feature);
      if (stillSelected(state().selection, side, seed, feature)) state().setInspection({ lm });
      return;
    }
    const details = await worker.client.api.inspect(seed, feature);
    if (stillSelected(state().selection, side, seed, feature)) state().setInspection({ details });
  });

  const steer = latestOnly(async ({ side, seed, feature, digit, alpha }: Selection & { feature: number }) => {
    const worker = workerOf(side);
    if (!worker) return;
    const steering = await worker.client.api.steer(seed, feature, digit, steeringAlphas(STEERING_STRIP_ALPHAS, alpha));
    const now = state().selection;
    if (stillSelected(now, side, seed, feature) && now.digit === digit && now.alpha === alpha) state().setInspection({ steering });
  });
  const steerSoon = debounce(steer.request, STEER_DEBOUNCE_MS);

  /** Everything shown about the selection is fetched again (new weights, or a new selection). */
  function refreshSelection(what: { heatmap: boolean; feature: boolean; steering: boolean }) {
    const { selection, runtime } = state();
    const { side, feature } = selection;
    if (!runtime[side].snapshot) return;
    if (what.heatmap) pairHeatmap.request({ side, pair: selection.pair, view: selection.heatmapView });
    if (feature === null) return;
    if (what.feature) inspect.request({ side, seed: selection.seed, feature });
    if (what.steering && state().experiment.dataset === 'mnist') steer.request({ ...selection, feature });
  }

  const unsubscribe = store.subscribe((now, before) => {
    const a = now.selection;
    const b = before.selection;
    if (a === b) return;
    const moved = a.side !== b.side || a.seed !== b.seed || a.feature !== b.feature;
    const heatmapChanged = a.side !== b.side || a.pair[0] !== b.pair[0] || a.pair[1] !== b.pair[1] || !sameHeatmapView(a.heatmapView, b.heatmapView);
    if (moved || heatmapChanged) refreshSelection({ heatmap: heatmapChanged, feature: moved, steering: moved });
    else if ((a.digit !== b.digit || a.alpha !== b.alpha) && a.feature !== null && now.experiment.dataset === 'mnist') steerSoon({ ...a, feature: a.feature });
  });

  return {
    showSnapshot(side, snapshot) {
      state().setSnapshot(side, snapshot);
      if (state().selection.side === side) refreshSelection({ heatmap: true, feature: true, steering: true });
    },

    async generate() {
      const { selection, lmSteer } = state();
      const worker = workerOf(selection.side);
      if (!worker || selection.feature === null) return;
      const { side, seed, feature } = selection;
      state().setInspection({ generating: true });
      try {
        const lmSteering = await worker.client.api.steerLm(seed, feature, lmSteer);
        if (stillSelected(state().selection, side, seed, feature)) state().setInspection({ lmSteering });
      } catch (e) {
        state().patchRuntime(side, { error: `steering: ${errorMessage(e)}` });
      } finally {
        state().setInspection({ generating: false });
      }
    },

    dispose() {
      unsubscribe();
      steerSoon.cancel();
    },
  };
}
