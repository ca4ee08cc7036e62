/**
 * The page's single store and controller, built from the URL it was opened with. Components read
 * the store through useLab and act through labController.
 */
import { useStore } from 'zustand';
import { startLabWorker } from '../runtime/lab-client';
import { RunStore } from '../runtime/run-store';
import { createLabController } from './lab-controller';
import { isStartable } from './store/experiment';
import { createLabStore, type LabState } from './store/lab-store';
import { parseUrlState } from './store/url-state';
import { keepUrlInSync } from './url-sync';

const opened = parseUrlState(window.location.search);

export const labStore = createLabStore(opened.state, opened.notes);

/** A worker's own location is its script's; MNIST lives under the app's root. */
export const appBaseUrl = new URL(import.meta.env.BASE_URL, window.location.href).href;

export const labController = createLabController(labStore, startLabWorker, appBaseUrl, () => RunStore.open());

export function useLab<T>(selector: (state: LabState) => T): T {
  return useStore(labStore, selector);
}

/** Prepares the workers and, unless the link says auto=0, starts training once they are ready. */
export async function startPage(): Promise<void> {
  keepUrlInSync(labStore);
  void labController.refreshLibrary();
  await labController.prepare();
  const { experiment } = labStore.getState();
  if (experiment.autostart && isStartable(experiment)) await labController.start();
}
