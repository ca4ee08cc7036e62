/**
 * Fetches what the selection shows from the selected configuration's worker: the seed pair's heatmap
 * matrix, the feature's details and its steering strip, as the selection changes or new weights
 * arrive. Requests the workers answer slower than the page asks are coalesced (only the latest runs
 * next), and an answer for a selection that has since moved is dropped.
 */
import type { LabSnapshot } from '../../runtime/protocol/lab-api';
import { debounce } from '../lib/debounce';
import { errorMessage } from '../lib/error-message';
import { latestOnly, type LatestOnly } from '../lib/latest-only';
import { steeringAlphas } from '../steering-alphas';
import type { Side } from '../store/experiment';
import type { LabStore } from '../store/lab-store';
import { STEERING_STRIP_ALPHAS, type Selection } from '../store/selection';
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

  // Heatmap: the selected pair's matrix from the selected configuration's current weights.
  const pairMatrix: LatestOnly<{ side: Side; pair: [number, number] }> = latestOnly(async ({ side, pair }) => {
    const worker = workerOf(side);
    if (!worker || pair[0] === pair[1]) return;
    const matrix = await worker.client.api.pairMatrix(pair[0], pair[1]);
    const { selection } = state();
    if (selection.side === side && selection.pair[0] === matrix.seedA && selection.pair[1] === matrix.seedB) {
      state().patchRuntime(side, { pairMatrix: matrix });
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
  function refreshSelection(what: { matrix: boolean; feature: boolean; steering: boolean }) {
    const { selection, runtime } = state();
    const { side, feature } = selection;
    if (!runtime[side].snapshot) return;
    if (what.matrix) pairMatrix.request({ side, pair: selection.pair });
    if (feature === null) return;
    if (what.feature) inspect.request({ side, seed: selection.seed, feature });
    if (what.steering && state().experiment.dataset === 'mnist') steer.request({ ...selection, feature });
  }

  const unsubscribe = store.subscribe((now, before) => {
    const a = now.selection;
    const b = before.selection;
    if (a === b) return;
    const moved = a.side !== b.side || a.seed !== b.seed || a.feature !== b.feature;
    const pairChanged = a.side !== b.side || a.pair[0] !== b.pair[0] || a.pair[1] !== b.pair[1];
    if (moved || pairChanged) refreshSelection({ matrix: pairChanged, feature: moved, steering: moved });
    else if ((a.digit !== b.digit || a.alpha !== b.alpha) && a.feature !== null && now.experiment.dataset === 'mnist') steerSoon({ ...a, feature: a.feature });
  });

  return {
    showSnapshot(side, snapshot) {
      state().setSnapshot(side, snapshot);
      if (state().selection.side === side) refreshSelection({ matrix: true, feature: true, steering: true });
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
