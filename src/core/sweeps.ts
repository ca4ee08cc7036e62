import { mnistPaperConfig, pythiaLaptopConfig, pythiaPaperConfig, syntheticSampleConfig, UNCONSTRAINED, type ConfigOverrides } from './presets';
import type { PenaltyConfig, TrainConfig } from './train/config';

/** One configuration of a sweep, trained once per seed. */
export interface SweepEntry {
  /** Short, file-name-safe label, e.g. `constrained-l2`. */
  name: string;
  config: TrainConfig;
}

export interface SweepPreset {
  name: string;
  description: string;
  /** MNIST, or activation shards (the runner's --shards DIR), whose width sets d_in. */
  dataset: 'mnist' | 'shards';
  seeds: number[];
  entries: SweepEntry[];
}

/** How a user may scale a sweep down (or up) from the command line or the UI. */
export interface SweepScaling {
  epochs?: number;
  seeds?: number;
  width?: number;
}

const constrained: ConfigOverrides['init'] = { tied: true, unitNormDecoder: true, removeParallelGrad: false, bDecInit: 'geometric-median', biases: true };

/**
 * The paper's MNIST grid: penalties {none, L1 1e-3, L2 1e-5} × {constrained, unconstrained}, seeds 0–2.
 * Its code uses the unsquared L2 norm in the constrained runs and the squared sum in the unconstrained ones.
 */
function mnistPaper(): SweepPreset {
  const variants = [
    { label: 'constrained', init: constrained, l2: 'l2-unsquared' as const },
    { label: 'unconstrained', init: UNCONSTRAINED, l2: 'l2' as const },
  ];
  const entries = variants.flatMap(({ label, init, l2 }) => {
    const penalties: [string, PenaltyConfig][] = [
      ['none', { kind: 'none', coeff: 0, on: 'both' }],
      ['l1', { kind: 'l1', coeff: 1e-3, on: 'both' }],
      ['l2', { kind: l2, coeff: 1e-5, on: 'both' }],
    ];
    return penalties.map(([p, penalty]) => ({ name: `${label}-${p}`, config: mnistPaperConfig({ init, penalty }) }));
  });
  return { name: 'mnist-paper', description: 'The paper\'s MNIST grid: 784→1568 ReLU SAEs, 100 epochs, 3 seeds, 6 configurations', dataset: 'mnist', seeds: [0, 1, 2], entries };
}

/**
 * A few minutes on two CPU cores: 256 latents, 3 epochs, constrained, L2 off vs on. At this length the
 * paper's 1e-5 barely moves alignment; an unsquared L2 of 1e-3 shows the effect (PAPER.md, "What a short run shows").
 */
function mnistQuick(): SweepPreset {
  const base = { d_sae: 256, init: constrained, length: { unit: 'epochs', value: 3 } } as const;
  return {
    name: 'mnist-quick',
    description: 'Laptop-sized: 784→256 constrained ReLU SAEs, 3 epochs, 3 seeds, L2 (unsquared, 1e-3) off vs on',
    dataset: 'mnist',
    seeds: [0, 1, 2],
    entries: [
      { name: 'l2-off', config: mnistPaperConfig({ ...base, penalty: { kind: 'none', coeff: 0, on: 'both' } }) },
      { name: 'l2-on', config: mnistPaperConfig({ ...base, penalty: { kind: 'l2-unsquared', coeff: 1e-3, on: 'both' } }) },
    ],
  };
}

/** The paper's Pythia comparison: TopK SAEs without and with squared L2 1e-4 on both matrices, seeds 0–2. */
function pythiaOffVersusOn(name: string, description: string, base: TrainConfig): SweepPreset {
  return {
    name,
    description,
    dataset: 'shards',
    seeds: [0, 1, 2],
    entries: [
      { name: 'l2-off', config: { ...base, penalty: { kind: 'none', coeff: 0, on: 'both' } } },
      { name: 'l2-on', config: { ...base, penalty: { kind: 'l2', coeff: 1e-4, on: 'both' } } },
    ],
  };
}

export const SWEEP_PRESETS: Record<string, () => SweepPreset> = {
  'mnist-paper': mnistPaper,
  'mnist-quick': mnistQuick,
  'pythia-paper': () =>
    pythiaOffVersusOn('pythia-paper', "The paper's Pythia-70M runs: TopK k=40, 16,384 latents, 24,414 steps of 2048 (50M tokens), 3 seeds, squared L2 1e-4 off vs on", pythiaPaperConfig()),
  'pythia-laptop': () => pythiaOffVersusOn('pythia-laptop', 'Laptop-sized Pythia: TopK k=40, 4096 latents, 3000 steps of 1024, 3 seeds, squared L2 1e-4 off vs on', pythiaLaptopConfig()),
  'synthetic-sample': () => pythiaOffVersusOn('synthetic-sample', 'The synthetic sample shards: TopK k=8, 256 latents, 300 steps, 3 seeds, squared L2 1e-4 off vs on', syntheticSampleConfig()),
};

export function sweepPreset(name: string, scaling: SweepScaling = {}): SweepPreset {
  const make = SWEEP_PRESETS[name];
  if (!make) throw new Error(`unknown sweep preset '${name}'; available: ${Object.keys(SWEEP_PRESETS).join(', ')}`);
  return scaleSweep(make(), scaling);
}

export function scaleSweep(preset: SweepPreset, { epochs, seeds, width }: SweepScaling): SweepPreset {
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
