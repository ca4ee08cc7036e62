import { useState } from 'react';
import { downloadBlob } from '../lib/download';
import { plural } from '../format';
import { saeLensZip, type ExportedSae } from '../export-zip';
import { labController, labStore, useLab } from '../page';
import { resultLabels } from '../selectors';
import { activeSides } from '../store/experiment';

/** Downloads every seed's SAE of each configuration (current weights) and its metrics as one SAELens zip. */
export function ExportButton() {
  const ready = useLab((s) => activeSides(s.experiment).some((side) => s.runtime[side].snapshot !== null));
  const [status, setStatus] = useState<string | null>(null);

  async function exportAll() {
    const state = labStore.getState();
    const labels = resultLabels(state);
    setStatus('Exporting…');
    try {
      const saes: ExportedSae[] = [];
      for (const side of activeSides(state.experiment)) {
        const seeds = state.runtime[side].snapshot?.seeds ?? [];
        for (const seed of seeds) {
          const metrics = state.runtime[side].perSeed.find((curve) => curve.seed === seed)?.metrics;
          saes.push({ label: labels[side], seed, files: await labController.exportSeed(side, seed), ...(metrics ? { metrics } : {}) });
        }
      }
      const zip = await saeLensZip(saes);
      downloadBlob(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'sae-stability-lab-saelens.zip');
      setStatus(`Exported ${plural(saes.length, 'SAE')}.`);
    } catch (e) {
      setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  return (
    <span className="export">
      <button type="button" data-testid="export-saelens" disabled={!ready} onClick={() => void exportAll()} title="cfg.json + sae_weights.safetensors per configuration and seed">
        Export SAEs (SAELens zip)
      </button>
      {status && (
        <span className="muted" data-testid="export-status">
          {' '}
          {status}
        </span>
      )}
    </span>
  );
}
