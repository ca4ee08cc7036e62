/** Derived values several components read from the store. Each returns primitives or stored references, so useShallow can compare them. */
import { sideLabel } from './labels';
import type { LabState } from './store/lab-store';
import type { SideRuntime } from './store/runtime';

/**
 * The names of A and B as the results show them: from the configurations that were trained, since
 * the controls may have moved on since; from the controls before anything ran.
 */
export function resultLabels(s: Pick<LabState, 'experiment' | 'runtime'>): [string, string] {
  const configs = [s.runtime[0].run?.config ?? s.experiment.configs[0], s.runtime[1].run?.config ?? s.experiment.configs[1]] as const;
  return [sideLabel(0, configs, s.experiment.compare), sideLabel(1, configs, s.experiment.compare)];
}

/** How many SAEs a side shows that were imported (Saved runs → Import SAEs) rather than trained or opened from storage, or null. */
export function importedSaeCount(runtime: Pick<SideRuntime, 'run'>): number | null {
  return runtime.run?.imported ? runtime.run.seeds.length : null;
}
