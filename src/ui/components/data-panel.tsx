import { labController, labStore, useLab } from '../page';
import type { Dataset } from '../store/experiment';
import { ModelLoader } from './model-loader';
import { ShardExporter } from './shard-exporter';
import { ShardLoader } from './shard-loader';

const DATASETS: { value: Dataset; label: string }[] = [
  { value: 'mnist', label: 'MNIST digits (built in)' },
  { value: 'lm', label: 'Language-model activations (shards)' },
];

/** What the SAEs train on: MNIST, or residual-stream activations of a language model, with the model that reads them. */
export function DataPanel() {
  const dataset = useLab((s) => s.experiment.dataset);
  const choose = (value: Dataset) => {
    labStore.getState().setDataset(value);
    void labController.prepare();
  };
  return (
    <section className="panel data-panel" data-testid="data-panel">
      <h2>Data</h2>
      <div className="dataset-choice" role="radiogroup" aria-label="Training data">
        {DATASETS.map(({ value, label }) => (
          <label key={value}>
            <input type="radio" name="dataset" value={value} data-testid={`dataset-${value}`} checked={dataset === value} onChange={() => choose(value)} /> {label}
          </label>
        ))}
      </div>
      {dataset === 'lm' && (
        <>
          <ShardLoader />
          <ShardExporter />
          <ModelLoader />
        </>
      )}
    </section>
  );
}
