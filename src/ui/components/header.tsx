import { useShallow } from 'zustand/react/shallow';
import { GLOSS_MODEL_NAME } from '../../core/lm/gloss-corpus';
import type { ShardDataInfo } from '../../runtime/protocol/lab-api';
import type { Dataset } from '../store/experiment';
import { useLab } from '../page';
import { BackendLine } from './backend-line';

/** What the SAEs train on, in a few words: the shards' model and hook once loaded, and what the shipped samples' models are. */
export function dataPhrase(dataset: Dataset, shards: ShardDataInfo | null): string {
  if (dataset === 'mnist') return 'MNIST digits';
  if (!shards) return "a language model's residual-stream activations (load shards in the Data panel)";
  const source = shards.synthetic
    ? `a random-weight synthetic GPT-NeoX (${shards.model}, not Pythia)`
    : shards.model === GLOSS_MODEL_NAME
      ? `the ${GLOSS_MODEL_NAME} (a tiny GPT-NeoX trained here on WordNet's glosses, not Pythia)`
      : shards.model;
  return `residual-stream activations of ${source} at ${shards.hook}`;
}

/** Title, what the lab is for in two sentences, and where the computing happens. */
export function Header() {
  const { dataset, shards } = useLab(useShallow((s) => ({ dataset: s.experiment.dataset, shards: s.runtime[0].ready?.shards ?? s.runtime[1].ready?.shards ?? null })));
  return (
    <header className="page-header" data-testid="page-header">
      <h1>SAE Stability Lab</h1>
      <p className="intro" data-testid="header-intro">
        Sparse autoencoders (SAEs) trained on <span data-testid="header-data">{dataPhrase(dataset, shards)}</span> from different random seeds: do
        they learn the same features? Train two configurations side by side, by default without and with an L2 weight penalty, and watch how well the
        seeds' features line up.
      </p>
      <BackendLine />
    </header>
  );
}
