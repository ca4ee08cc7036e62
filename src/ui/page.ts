/**
 * The page's single store and controller, built from the URL it was opened with. Components read
 * the store through useLab and act through labController.
 */
import { useStore } from 'zustand';
import { startLabWorker } from '../runtime/page/lab-client';
import { matchDirectionsInWorker } from '../runtime/page/match-client';
import { RunStore } from '../runtime/storage/run-store';
import { crossPartnerFinder } from './cross-partner';
import { createLabController } from './lab-controller';
import { createLabStore, type LabState } from './store/lab-store';
import { parseUrlState } from './store/url-state';
import { keepUrlInSync } from './url-sync';

const opened = parseUrlState(window.location.search);

export const labStore = createLabStore(opened.state, opened.notes);

/** A worker's own location is its script's; MNIST lives under the app's root. */
export const appBaseUrl = new URL(import.meta.env.BASE_URL, window.location.href).href;

export const labController = createLabController(labStore, startLabWorker, appBaseUrl, () => RunStore.open());

/** Matches features across the two configurations (switching A ↔ B lands on the selected feature's partner). */
export const crossPartners = crossPartnerFinder(matchDirectionsInWorker);

export function useLab<T>(selector: (state: LabState) => T): T {
  return useStore(labStore, selector);
}

/** Prepares the workers and trains, resumes or reopens as the visit calls for (see LabController.arrive). */
export async function startPage(): Promise<void> {
  keepUrlInSync(labStore);
  await labController.arrive();
}
