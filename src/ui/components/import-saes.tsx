/**
 * SAEs trained elsewhere into A and B: a folder of SAE folders (the paper's dictionary_learning
 * release of trainer_<n>/, SAELens, sparsify). Its folders are grouped into configurations from their
 * config files alone, before any weights are read; the user picks which group is A and which is B,
 * then each is imported and aligned across its seeds in its configuration's worker.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { sweepGroups } from '../../core/formats/sae-layouts';
import type { ImportProgress } from '../../runtime/protocol/lab-api';
import { pickedSaeFolders, type PickedSaeFolder } from '../../io/sae-folders-web';
import { errorMessage } from '../lib/error-message';
import { FOLDER_PICKER, pickedFiles } from '../lib/picked-files';
import { labController, useLab } from '../page';
import { SIDE_NAMES, SIDES, type Side } from '../store/experiment';

interface Group {
  label: string;
  folders: PickedSaeFolder[];
}

interface Picked {
  groups: Group[];
  /** Group index per side; null leaves that side as it is. */
  choice: [number | null, number | null];
}

export function ImportSaes({ busyReason }: { busyReason: string | null }) {
  const [picked, setPicked] = useState<Picked | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const importing = useLab(useShallow((s) => s.runtime.map((r) => r.importing)));
  const running = importing.some((p) => p !== null);

  async function choose(files: File[]) {
    setProblem(null);
    setPicked(null);
    try {
      const folders = await pickedSaeFolders(files);
      const byName = new Map(folders.map((f) => [f.name, f]));
      const groups = sweepGroups(folders).map((g) => ({ label: g.label, folders: g.folders.map((name) => byName.get(name)!) }));
      setPicked({ groups, choice: [0, groups.length > 1 ? 1 : null] });
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  function importChosen() {
    if (!picked) return;
    for (const side of SIDES) {
      const index = picked.choice[side];
      if (index === null) continue;
      const files = picked.groups[index].folders.flatMap((f) => [...f.files.values()]);
      void labController.importSaes(side, files);
    }
  }

  const sameTwice = picked !== null && picked.choice[0] !== null && picked.choice[0] === picked.choice[1];
  const nothingChosen = picked !== null && picked.choice.every((c) => c === null);
  const importReason = busyReason ?? (running ? 'an import is under way' : sameTwice ? 'choose two different configurations' : nothingChosen ? 'choose a configuration for A or B' : null);

  return (
    <div className="import-saes" data-testid="import-saes">
      Import SAEs trained elsewhere: a folder of SAE folders (dictionary_learning&apos;s <code>trainer_&lt;n&gt;/</code> with ae.pt + config.json, SAELens&apos;s cfg.json +
      sae_weights.safetensors, or EleutherAI&apos;s sae.safetensors).{' '}
      <label className="file-button" title={busyReason ?? undefined}>
        Folder…
        <input type="file" {...FOLDER_PICKER} data-testid="import-folder" disabled={busyReason !== null || running} onChange={(e) => void choose(pickedFiles(e.target.files))} />
      </label>
      {problem && (
        <p className="problem" role="alert" data-testid="import-problem">
          {problem}
        </p>
      )}
      {picked && (
        <div className="import-groups" data-testid="import-groups">
          <p>
            {picked.groups.length === 1 ? 'One configuration' : `${picked.groups.length} configurations`} (SAEs grouped by everything in their config but the seed):
          </p>
          <ul>
            {picked.groups.map((g, i) => (
              <li key={g.label} data-testid="import-group">
                <strong>{g.label}</strong>: {g.folders.length} {g.folders.length === 1 ? 'SAE' : 'SAEs'} ({g.folders.map((f) => f.name.split('/').pop()).join(', ')}){i === picked.choice[0] ? ' → A' : ''}
                {i === picked.choice[1] ? ' → B' : ''}
              </li>
            ))}
          </ul>
          {SIDES.map((side) => (
            <label key={side} className="import-choice">
              {SIDE_NAMES[side]}:{' '}
              <select
                data-testid={`import-group-${SIDE_NAMES[side]}`}
                value={picked.choice[side] ?? ''}
                onChange={(e) => {
                  const choice = [...picked.choice] as Picked['choice'];
                  choice[side] = e.target.value === '' ? null : Number(e.target.value);
                  setPicked({ ...picked, choice });
                }}
              >
                <option value="">(leave as it is)</option>
                {picked.groups.map((g, i) => (
                  <option key={g.label} value={i}>
                    {g.label}
                  </option>
                ))}
              </select>{' '}
            </label>
          ))}
          <button type="button" data-testid="import-run" disabled={importReason !== null} title={importReason ?? 'Read the chosen SAEs and align each configuration across its seeds'} onClick={importChosen}>
            Import
          </button>
        </div>
      )}
      {SIDES.map((side) => importing[side] && <ImportLine key={side} side={side} progress={importing[side]!} />)}
    </div>
  );
}

function ImportLine({ side, progress }: { side: Side; progress: ImportProgress }) {
  const what =
    progress.phase === 'reading'
      ? progress.total === 0
        ? 'finding SAE folders'
        : `reading ${progress.name} (${progress.done + 1} of ${progress.total})`
      : `aligning seed pairs: ${progress.done} of ${progress.total} done`;
  return (
    <p className="import-progress" data-testid={`import-progress-${SIDE_NAMES[side]}`}>
      Importing into {SIDE_NAMES[side]}: {what}.{' '}
      <button type="button" data-testid={`import-cancel-${SIDE_NAMES[side]}`} title="Stop this import between two folders or two seed pairs; what the configuration showed before stays" onClick={() => labController.cancelImport(side)}>
        Cancel
      </button>
    </p>
  );
}
