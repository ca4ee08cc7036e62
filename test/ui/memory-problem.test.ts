/**
 * The memory guard before Start: a configuration whose estimated memory exceeds its backend's
 * limit is refused with the estimate and the limit; every preset fits on every backend auto mode
 * may pick, and on wasm (what auto falls back to).
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_MAX_BYTES } from '../../src/core/shards/loader';
import { BACKEND_MEMORY_LIMIT, bytesAgainstLimit, estimateTrainingMemory, type MemoryBackend } from '../../src/core/train/memory-estimate';
import { experimentProblems, isStartable, SHARD_DATA_BYTES, type Experiment } from '../../src/ui/store/experiment';
import { defaultExperiment, LAB_PRESETS } from '../../src/ui/store/presets';
import { parseUrlState } from '../../src/ui/store/url-state';

const BACKENDS: MemoryBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

describe('memory guard', () => {
  test('?width=100000 cannot start: the reason gives the estimate and the wasm limit', () => {
    const { experiment } = parseUrlState('?width=100000').state;
    expect(isStartable(experiment)).toBe(false);
    const { perSide, shared } = experimentProblems(experiment);
    expect(shared).toEqual([]);
    for (const problems of perSide) {
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^width 100,000 × 3 seeds at batch 256 needs about \d+(\.\d)? GiB of memory; the wasm backend \(what auto falls back to\) can address 4 GiB: lower the width, batch or seeds$/);
    }
  });

  test('a forced backend is judged by its own limit; one seed less or a smaller batch can make it fit', () => {
    const at = (query: string) => experimentProblems(parseUrlState(query).state.experiment).perSide[0];
    expect(at('?width=100000&backend=webgpu')[0]).toMatch(/the webgpu backend is allowed 8 GiB \(browsers do not report GPU memory\)/);
    expect(at('?width=100000&backend=cpu')[0]).toMatch(/the cpu backend is allowed 8 GiB/);
    expect(at('?width=20000&mode=single&seeds=1')).toEqual([]);
    expect(at('?width=20000&mode=single&seeds=6')[0]).toMatch(/width 20,000 × 6 seeds/);
  });

  test.each(LAB_PRESETS.map((p) => [p.id, p] as const))('preset %s fits on every backend auto mode may pick', (_, preset) => {
    const experiment: Experiment = { ...defaultExperiment(), ...preset.experiment(), dataset: preset.dataset, shards: preset.dataset === 'lm' ? 'sample' : null };
    expect(experimentProblems(experiment)).toEqual({ perSide: [[], []], shared: [] });
    for (const backend of BACKENDS) {
      for (const config of experiment.configs) {
        const estimate = estimateTrainingMemory(config, { seeds: experiment.seedCount, backend, dataBytes: SHARD_DATA_BYTES });
        expect(bytesAgainstLimit(estimate, backend), `${preset.id} on ${backend}`).toBeLessThan(BACKEND_MEMORY_LIMIT[backend]);
      }
    }
  });

  test("the shard bound used for GPU uploads is the loader's", () => {
    expect(SHARD_DATA_BYTES).toBe(DEFAULT_MAX_BYTES);
  });
});
