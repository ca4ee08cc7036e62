import { useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DataChoice } from '../lab-controller';
import { FOLDER_PICKER, formatBytes, pickedFiles } from '../lib/picked-files';
import { labController, useLab } from '../page';
import { CONTROL_SAMPLE, SAMPLE } from '../store/experiment';
import { UrlForm } from './url-form';


/** The shipped samples, the gloss model's first. */
const SAMPLE_BUTTONS = [
  { name: SAMPLE, testId: 'load-sample-shards', text: 'WordNet gloss sample', about: "The middle layer of a tiny GPT-NeoX trained here on WordNet's glosses, each row labelled with its synset's category" },
  { name: CONTROL_SAMPLE, testId: 'load-control-shards', text: 'Random-weight control', about: 'A random-weight GPT-NeoX over synthetic sentences: its SAE features are token detectors, a control' },
] as const;

/** Why the shard buttons wait: one set of shards loads at a time. */
const LOADING = 'Shards are loading: wait until they have loaded.';

/**
 * Where the activation shards come from — the shipped WordNet gloss sample or random-weight control, a folder or files picked or
 * dropped, or a manifest URL — with the load's progress, what was loaded, and why a load failed.
 */
export function ShardLoader() {
  const { dataLoad, info, shards } = useLab(useShallow((s) => ({ dataLoad: s.dataLoad, info: s.runtime[0].ready?.shards ?? null, shards: s.experiment.shards })));
  const [dragging, setDragging] = useState(false);
  const load = (choice: DataChoice) => void labController.chooseShards(choice);
  const loadFiles = (files: File[]) => files.length > 0 && load({ kind: 'files', files });
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    loadFiles(pickedFiles(event.dataTransfer.files));
  };
  const busy = dataLoad.phase === 'loading';
  return (
    <div
      className={`shard-loader${dragging ? ' dragging' : ''}`}
      data-testid="shard-loader"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h3>Activation shards</h3>
      <p className="caption">
        Shards are safetensors files of residual-stream activations with a manifest.json, as <code>npm run lab -- export-activations</code> writes them, or
        plain .npy arrays. Pick or drop a folder or files, or give a manifest URL. Each worker keeps at most{' '}
        {formatBytes(info?.maxBytes ?? 256 * 2 ** 20)} of activations: a larger set is streamed through and a uniform sample of its rows kept.
      </p>
      <div className="loader-buttons">
        {SAMPLE_BUTTONS.map(({ name, testId, text, about }) => (
          <button key={name} type="button" data-testid={testId} disabled={busy} title={busy ? LOADING : about} onClick={() => load({ kind: 'sample', name })}>
            {text}
          </button>
        ))}
        <label className="file-button" title={busy ? LOADING : undefined}>
          Folder…
          <input type="file" data-testid="shard-folder" {...FOLDER_PICKER} disabled={busy} onChange={(e) => loadFiles(pickedFiles(e.target.files))} />
        </label>
        <label className="file-button" title={busy ? LOADING : undefined}>
          Files…
          <input type="file" data-testid="shard-files" multiple accept=".json,.safetensors,.npy" disabled={busy} onChange={(e) => loadFiles(pickedFiles(e.target.files))} />
        </label>
        <UrlForm placeholder="https://…/manifest.json" label="manifest URL" testId="shard-url" disabled={busy} disabledReason={LOADING} onLoad={(url) => load({ kind: 'url', url })} />
      </div>
      {busy && (
        <p className="muted" data-testid="shard-progress" aria-live="polite">
          {dataLoad.progress
            ? `Loading ${dataLoad.progress.file} (${dataLoad.progress.fileIndex + 1} of ${dataLoad.progress.files}): ${formatBytes(dataLoad.progress.bytesDone)}${dataLoad.progress.bytesTotal ? ` of ${formatBytes(dataLoad.progress.bytesTotal)}` : ''} · ${dataLoad.progress.rowsSeen.toLocaleString('en')} rows read, ${dataLoad.progress.rowsKept.toLocaleString('en')} kept`
            : 'Starting the workers…'}
        </p>
      )}
      {dataLoad.error && (
        <p className="error" role="alert" data-testid="shard-error">
          Could not load the shards: {sentence(dataLoad.error)}
          {info ? ' The data loaded before is still in use.' : ''}
        </p>
      )}
      {info ? (
        <dl className="data-facts" data-testid="shard-info">
          {(info.synthetic || info.note) && (
            <>
              <dt>about</dt>
              <dd className={info.synthetic ? 'synthetic-label' : undefined} data-testid="shard-note">
                {info.note ?? 'Synthetic sample, not Pythia'}
              </dd>
            </>
          )}
          <dt>model</dt>
          <dd>{info.model}</dd>
          <dt>hook</dt>
          <dd data-testid="shard-hook">{info.hook}</dd>
          <dt>rows</dt>
          <dd data-testid="shard-rows">
            {info.rows.toLocaleString('en')} of {info.totalTokens.toLocaleString('en')} tokens{info.sampled ? ' (a uniform sample: the bound was reached)' : ''}, d_model{' '}
            {info.d_model}
          </dd>
          <dt>normalised</dt>
          <dd>× {info.scale.toPrecision(3)}, so the mean squared norm is d_model, as in the paper</dd>
          <dt>files</dt>
          <dd>{info.files.join(', ')}</dd>
        </dl>
      ) : (
        !busy && !dataLoad.error && <p className="muted">{shards ? 'Loading…' : 'No shards loaded yet.'}</p>
      )}
    </div>
  );
}

/** A message as a sentence, ending with a full stop, so that another can follow it. */
function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
