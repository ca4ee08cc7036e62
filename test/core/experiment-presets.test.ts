import { describe, expect, test } from 'vitest';
import { allPresets, findPreset, PRESET_ALIASES, PRESET_IDS } from '../../src/core/experiment-presets';
import { sweepPreset } from '../../src/core/sweeps';
import { trainConfigProblems } from '../../src/core/train/validate';

describe('the shared preset table', () => {
  test('ids are unique; every configuration has a unique, file-name-safe name and is a valid run', () => {
    expect(new Set(PRESET_IDS).size).toBe(PRESET_IDS.length);
    for (const preset of allPresets()) {
      const names = preset.entries.map((e) => e.name);
      expect(new Set(names).size, preset.id).toBe(names.length);
      for (const { name, config } of preset.entries) {
        expect(name).toMatch(/^[a-z0-9-]+$/);
        expect(trainConfigProblems(config), `${preset.id}/${name}`).toEqual([]);
      }
    }
  });

  test('every former name of the page or the runner resolves to the same preset as its new id, and runs as a sweep', () => {
    for (const [old, id] of Object.entries(PRESET_ALIASES)) {
      expect(findPreset(old)).toEqual(findPreset(id));
      expect(sweepPreset(old)).toEqual(sweepPreset(id));
    }
    expect(findPreset('pythia-paper')?.id).toBe('lm-pythia-paper');
    expect(findPreset('teaching-demo')?.id).toBe('mnist-demo');
    expect(() => sweepPreset('mnist-fast')).toThrow(/unknown sweep preset 'mnist-fast'; available: mnist-demo, .*lm-pythia-paper/);
  });

  test("keeps the values both former tables had: the paper's grid, the quick MNIST pair and the Pythia pairs", () => {
    const grid = findPreset('mnist-paper')!;
    expect(grid.entries.map((e) => e.name)).toEqual(['constrained-none', 'constrained-l1', 'constrained-l2', 'unconstrained-none', 'unconstrained-l1', 'unconstrained-l2']);
    expect(grid.entries.map((e) => [e.config.penalty.kind, e.config.penalty.coeff])).toEqual([
      ['none', 0], ['l1', 1e-3], ['l2-unsquared', 1e-5], ['none', 0], ['l1', 1e-3], ['l2', 1e-5],
    ]);
    // The page's paper pairs are two rows each of the runner's grid.
    const config = (id: string, i: number) => findPreset(id)!.entries[i].config;
    expect([config('mnist-paper-constrained', 0), config('mnist-paper-constrained', 1)]).toEqual([grid.entries[0].config, grid.entries[2].config]);
    expect([config('mnist-paper-unconstrained', 0), config('mnist-paper-unconstrained', 1)]).toEqual([grid.entries[3].config, grid.entries[5].config]);

    expect(config('mnist-quick', 1)).toMatchObject({ d_sae: 256, length: { unit: 'epochs', value: 3 }, penalty: { kind: 'l2-unsquared', coeff: 1e-3 } });
    expect(config('lm-pythia-paper', 1)).toMatchObject({ d_sae: 16_384, batchSize: 2048, length: { value: 24_414 }, optim: { lr: 5e-5, warmupSteps: 1000 }, penalty: { kind: 'l2', coeff: 1e-4 } });
    expect(config('lm-pythia-laptop', 1)).toMatchObject({ d_sae: 4096, batchSize: 1024, length: { value: 3000 }, optim: { lr: 2e-4, warmupSteps: 200 }, penalty: { kind: 'l2', coeff: 1e-4 } });
    expect(config('lm-sample', 1)).toMatchObject({ d_in: 64, d_sae: 256, activation: { kind: 'topk', k: 8 }, length: { value: 300 } });
    for (const preset of allPresets()) expect(preset.seeds).toEqual([0, 1, 2]);
  });

  test('a sweep scales seeds, width and epochs, and changes nothing else', () => {
    const scaled = sweepPreset('mnist-quick', { seeds: 2, width: 16, epochs: 1 });
    expect(scaled.seeds).toEqual([0, 1]);
    expect(scaled.entries.map((e) => [e.config.d_sae, e.config.length])).toEqual([
      [16, { unit: 'epochs', value: 1 }],
      [16, { unit: 'epochs', value: 1 }],
    ]);
    expect({ ...scaled.entries[1].config, d_sae: 0, length: null }).toEqual({ ...findPreset('mnist-quick')!.entries[1].config, d_sae: 0, length: null });
    expect(() => sweepPreset('mnist-quick', { seeds: 0 })).toThrow(/--seeds must be a positive whole number/);
  });
});
