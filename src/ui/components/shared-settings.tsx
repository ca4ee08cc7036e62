import { useShallow } from 'zustand/react/shallow';
import { BACKEND_ORDER, type BackendRequest } from '../../runtime/protocol/backend-types';
import { debounce } from '../lib/debounce';
import { labController, labStore, useLab } from '../page';
import type { Experiment } from '../store/experiment';
import { NumberInput } from './number-input';

const set = (patch: Partial<Experiment>) => labStore.getState().setExperiment(patch);

/** A new backend or data set needs fresh workers; typing "2000" must not start four of them. */
const prepareSoon = debounce(() => void labController.prepare(), 600);

/** A number from text, or why not; the store's own checks say whether it makes a valid experiment. */
function commitNumber(text: string, apply: (n: number) => void): string | null {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) return `'${text}' is not a number`;
  apply(n);
  return null;
}

/** Settings both configurations share: what runs, how many seeds, on which backend and data. */
export function SharedSettings() {
  const { compare, seedCount, backend, trainLimit } = useLab(
    useShallow((s) => ({ compare: s.experiment.compare, seedCount: s.experiment.seedCount, backend: s.experiment.backend, trainLimit: s.experiment.trainLimit })),
  );
  const setAndPrepare = (patch: Partial<Experiment>) => {
    set(patch);
    prepareSoon();
  };
  return (
    <div className="shared-settings">
      <label>
        train{' '}
        <select data-testid="field-mode" value={compare ? 'compare' : 'single'} onChange={(e) => set({ compare: e.target.value === 'compare' })}>
          <option value="compare">A and B side by side</option>
          <option value="single">A only</option>
        </select>
      </label>
      <label title="Each configuration trains once per seed; alignment compares the seeds' features.">
        seeds <NumberInput label="seeds" testId="field-seeds" value={String(seedCount)} onCommit={(text) => commitNumber(text, (seedCount) => set({ seedCount }))} />
      </label>
      <label title="tfjs backend: auto picks the best that works (webgpu → webgl → wasm → cpu). Changing it restarts the workers.">
        backend{' '}
        <select data-testid="field-backend" value={backend} onChange={(e) => setAndPrepare({ backend: e.target.value as BackendRequest })}>
          {['auto', ...BACKEND_ORDER].map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label title="Train on only the first n of MNIST's 60,000 training images (empty: all). Changing it restarts the workers.">
        training images{' '}
        <NumberInput
          label="training images"
          testId="field-images"
          value={trainLimit === null ? '' : String(trainLimit)}
          onCommit={(text) => (text.trim() === '' ? (setAndPrepare({ trainLimit: null }), null) : commitNumber(text, (trainLimit) => setAndPrepare({ trainLimit })))}
        />
      </label>
    </div>
  );
}
