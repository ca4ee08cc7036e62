import { labStore, useLab } from '../page';
import { matchingPreset, PRESETS } from '../store/presets';

/** The three experiments one click away; the one the controls match is marked and explained. */
export function PresetPicker() {
  const matching = useLab((s) => matchingPreset(s.experiment));
  return (
    <div className="presets">
      <div className="preset-buttons" role="group" aria-label="Presets">
        {PRESETS.map((preset) => (
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
