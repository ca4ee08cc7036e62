import { labStore, useLab } from '../page';
import { matchingPreset, presetsFor } from '../store/presets';

/** The experiments one click away for the data chosen; the one the controls match is marked and explained. */
export function PresetPicker() {
  const matching = useLab((s) => matchingPreset(s.experiment));
  const dataset = useLab((s) => s.experiment.dataset);
  return (
    <div className="presets">
      <div className="preset-buttons" role="group" aria-label="Presets">
        {presetsFor(dataset).map((preset) => (
          <button
            key={preset.id}
            type="button"
            data-testid={`preset-${preset.id}`}
            aria-pressed={matching?.id === preset.id}
            onClick={() => labStore.getState().applyPreset(preset.id)}
          >
            {preset.title}
          </button>
        ))}
      </div>
      <p className="preset-note" data-testid="preset-note">
        {matching ? matching.note : 'Custom experiment: the controls no longer match a preset.'}
      </p>
    </div>
  );
}
