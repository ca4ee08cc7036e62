import { useState } from 'react';
import type { ShardExport } from '../../runtime/protocol/export-api';
import { exportShardsInWorker } from '../../runtime/page/export-client';
import { sampleModelPath } from '../lab-controller';
import { SAMPLE } from '../store/experiment';
import { filesZip } from '../export-zip';
import { plural } from '../format';
import { downloadBlob } from '../lib/download';
import { FOLDER_PICKER, pickedFiles } from '../lib/picked-files';
import { appBaseUrl, labController, labStore } from '../page';


/**
 * Activation shards made in the browser: a GPT-NeoX model (the WordNet gloss model, or one the
 * person picks) run over their text files, in a worker, as `npm run lab -- export-activations` does.
 * The result downloads as a zip, or loads straight into the lab.
 */
export function ShardExporter() {
  const [modelFiles, setModelFiles] = useState<File[] | null>(null);
  const [texts, setTexts] = useState<File[]>([]);
  const [hook, setHook] = useState('blocks.3.hook_resid_post');
  const [context, setContext] = useState('128');
  const [tokens, setTokens] = useState('100000');
  const [status, setStatus] = useState<string | null>(null);
  const [result, setResult] = useState<ShardExport | null>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    setResult(null);
    setStatus('Loading the model…');
    try {
      const baseUrl = new URL(sampleModelPath(SAMPLE), appBaseUrl).href;
      const exported = await exportShardsInWorker(
        {
          backend: labStore.getState().experiment.backend,
          model: modelFiles ? { kind: 'files', files: modelFiles } : { kind: 'url', baseUrl },
          texts,
          hook: hook.trim(),
          context: Number(context),
          tokens: Number(tokens),
          dtype: 'F16',
        },
        ({ rows, total }) => setStatus(`Exported ${rows.toLocaleString('en')} of ${total.toLocaleString('en')} tokens…`),
      );
      setResult(exported);
      const shards = Object.keys(exported.files).length - 1; // and manifest.json
      setStatus(`Exported ${exported.tokens.toLocaleString('en')} tokens of ${exported.model} in ${shards} shard${shards === 1 ? '' : 's'}.`);
    } catch (e) {
      setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }

  const asFiles = (exported: ShardExport) => Object.entries(exported.files).map(([name, bytes]) => new File([bytes as Uint8Array<ArrayBuffer>], name));

  return (
    <details className="shard-exporter" data-testid="shard-exporter">
      <summary>Export shards from text, in the browser</summary>
      <p className="caption">
        Runs a GPT-NeoX model (the WordNet gloss model unless you pick a folder) over text files (.txt, or .jsonl with a "text" field per line and an optional "label" each row keeps) and
        records the residual stream at the hook, as <code>npm run lab -- export-activations</code> does. Each context starts with the bos token, which is
        left out.
      </p>
      <div className="exporter-fields">
        <label className="file-button">
          {modelFiles ? `model: ${plural(modelFiles.length, 'file')}` : 'Model folder… (default: WordNet gloss model)'}
          <input type="file" {...FOLDER_PICKER} data-testid="export-model" onChange={(e) => setModelFiles(pickedFiles(e.target.files).length > 0 ? pickedFiles(e.target.files) : null)} />
        </label>
        <label className="file-button">
          {texts.length > 0 ? `${texts.length} text files` : 'Text files…'}
          <input type="file" multiple accept=".txt,.jsonl,text/plain" data-testid="export-texts" onChange={(e) => setTexts(pickedFiles(e.target.files))} />
        </label>
        <label>
          hook <input type="text" data-testid="export-hook" value={hook} onChange={(e) => setHook(e.target.value)} />
        </label>
        <label>
          context <input type="number" data-testid="export-context" value={context} onChange={(e) => setContext(e.target.value)} />
        </label>
        <label>
          tokens <input type="number" data-testid="export-tokens" value={tokens} onChange={(e) => setTokens(e.target.value)} />
        </label>
        <button type="button" data-testid="export-run" disabled={busy || texts.length === 0} title={busy ? 'An export is running' : texts.length === 0 ? 'Choose text files to run the model over first' : undefined} onClick={() => void run()}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
      </div>
      {status && (
        <p className={status.startsWith('Export failed') ? 'error' : 'muted'} data-testid="export-shards-status">
          {status}
        </p>
      )}
      {result && (
        <div className="loader-buttons">
          <button type="button" data-testid="export-use" onClick={() => void labController.chooseShards({ kind: 'files', files: asFiles(result) })}>
            Train on these shards
          </button>
          <button
            type="button"
            data-testid="export-download"
            onClick={async () => {
              const zip = await filesZip(result.files);
              downloadBlob(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'activation-shards.zip');
            }}
          >
            Download (zip)
          </button>
        </div>
      )}
    </details>
  );
}

