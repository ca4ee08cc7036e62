import { findPreset, PRESET_IDS, type ExperimentPreset, type NamedConfig } from './experiment-presets';

/** One configuration of a sweep, trained once per seed. */
export type SweepEntry = NamedConfig;

/** How a user may scale a sweep down (or up) from the command line or the UI. */
export interface SweepScaling {
  epochs?: number;
  seeds?: number;
  width?: number;
}

/** A preset of the shared table (by id or a former name), scaled as asked. */
export function sweepPreset(name: string, scaling: SweepScaling = {}): ExperimentPreset {
  const preset = findPreset(name);
  if (!preset) throw new Error(`unknown sweep preset '${name}'; available: ${PRESET_IDS.join(', ')}`);
  return scaleSweep(preset, scaling);
}

export function scaleSweep(preset: ExperimentPreset, { epochs, seeds, width }: SweepScaling): ExperimentPreset {
  const check = (v: number | undefined, what: string) => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new Error(`${what} must be a positive whole number (got ${v})`);
  };
  check(epochs, '--epochs');
  check(seeds, '--seeds');
  check(width, '--width');
  return {
    ...preset,
    seeds: seeds === undefined ? preset.seeds : [...Array(seeds).keys()],
    entries: preset.entries.map((e) => ({
      ...e,
      config: {
        ...e.config,
        ...(width === undefined ? {} : { d_sae: width }),
        ...(epochs === undefined ? {} : { length: { unit: 'epochs' as const, value: epochs } }),
      },
    })),
  };
}
