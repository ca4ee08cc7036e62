import { useShallow } from 'zustand/react/shallow';
import { FOLDER_PICKER, pickedFiles } from '../lib/picked-files';
import { labController, useLab } from '../page';
import { CONTROL_SAMPLE, SAMPLE } from '../store/experiment';
import { UrlForm } from './url-form';


/**
 * The GPT-NeoX model (Hugging Face layout: config.json, model.safetensors, tokenizer.json) that
 * turns contexts into text, runs the logit lens and steers. Users bring their own copy of
 * Pythia-70M-deduped; each shipped sample's model comes with the app.
 */
export function ModelLoader() {
  const { modelLoad, hasData, shards } = useLab(useShallow((s) => ({ modelLoad: s.modelLoad, hasData: s.runtime[0].ready?.shards != null, shards: s.experiment.shards })));
  // The control's shards come from the control's model; any other shards are offered the gloss model.
  const sample = shards === CONTROL_SAMPLE ? CONTROL_SAMPLE : SAMPLE;
  const busy = modelLoad.phase === 'loading';
  const disabled = busy || !hasData;
  const why = busy ? 'A model is loading.' : !hasData ? 'Load activation shards first: the model must match their d_model.' : undefined;
  return (
    <div className="model-loader" data-testid="model-loader">
      <h3>Model</h3>
      <p className="caption">
        Needed for the contexts' text, the logit lens and steering; training needs only the shards. Its hidden size must match the shards' d_model.
      </p>
      <div className="loader-buttons">
        <button type="button" data-testid="load-sample-model" disabled={disabled} title={why} onClick={() => void labController.chooseModel({ kind: 'sample', name: sample })}>
          {sample === SAMPLE ? 'WordNet gloss model' : 'Random-weight control model'}
        </button>
        <label className="file-button" title={why}>
          Model folder…
          <input
            type="file"
            data-testid="model-folder"
            {...FOLDER_PICKER}
            disabled={disabled}
            onChange={(e) => {
              const files = pickedFiles(e.target.files);
              if (files.length > 0) void labController.chooseModel({ kind: 'files', files });
            }}
          />
        </label>
        <UrlForm
          placeholder="https://…/pythia-70m-deduped/"
          label="model folder URL"
          testId="model-url"
          disabled={disabled}
          disabledReason={why}
          onLoad={(url) => void labController.chooseModel({ kind: 'url', url })}
        />
      </div>
      <p className={modelLoad.error ? 'error' : 'muted'} data-testid="model-status" role={modelLoad.error ? 'alert' : undefined}>
        {busy
          ? 'Loading the model…'
          : modelLoad.error
            ? `Could not load the model: ${modelLoad.error}${modelLoad.info ? ` (still using ${modelLoad.info.name})` : ''}`
            : modelLoad.info
              ? `Loaded ${modelLoad.info.name}: ${modelLoad.info.layers} layers, d_model ${modelLoad.info.d_model}, vocabulary ${modelLoad.info.vocab.toLocaleString('en')}`
              : hasData
                ? 'No model loaded.'
                : 'Load shards first.'}
      </p>
    </div>
  );
}
