// The memory estimate against an independent measurement: tfjs's own count of tensor bytes at the
// peak of training steps and a snapshot (tf.profile), and the wasm heap they grew, on the wasm backend
// the lab falls back to. The estimate must cover both, without overstating them more than 3×.
import { beforeAll, describe, expect, test } from 'vitest';
import { initNodeBackend } from '../../../src/cli/node-backend';
import { tf } from '../../../src/core/tf';
import { mnistPaperConfig, pythiaLaptopConfig, teachingDemoConfig } from '../../../src/core/presets';
import type { TrainConfig } from '../../../src/core/train/config';
import { estimateTrainingMemory } from '../../../src/core/train/memory-estimate';
import { tensorSource } from '../../../src/core/train/source';
import { captureSnapshot } from '../../../src/runtime/worker/lab-snapshot';
import { MultiSeedTrainer } from '../../../src/runtime/worker/multi-seed';
import { lcg } from '../../helpers/configs';

const wasmHeapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;

/** Peak tensor bytes (above what was live before) over one step of every seed and one snapshot, and the heap growth. */
async function measure(config: TrainConfig, seeds: number): Promise<{ peak: number; heapGrowth: number }> {
  const random = lcg(3);
  const data = Float32Array.from({ length: config.batchSize * 2 * config.d_in }, () => random());
  const source = tensorSource(data, config.d_in);
  const heapBefore = wasmHeapBytes();
  const base = tf.memory().numBytes;
  const profile = await tf.profile(async () => {
    const trainer = MultiSeedTrainer.create({ ...config, metricsEvery: 1 }, Array.from({ length: seeds }, (_, s) => s), source);
    for (let s = 0; s < seeds; s++) await trainer.trainStep();
    await captureSnapshot(trainer, config);
    trainer.dispose();
  });
  source.dispose();
  expect(tf.memory().numBytes).toBe(base);
  return { peak: profile.peakBytes - base, heapGrowth: wasmHeapBytes() - heapBefore };
}

describe('training memory estimate', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  // Smallest first: the wasm heap never shrinks, so each case's growth is its own.
  test.each([
    ['the teaching demo, 3 seeds', teachingDemoConfig({ penalty: { kind: 'l2-unsquared', coeff: 1e-3, on: 'both' } }), 3],
    ["the paper's MNIST SAE (1568 latents), 2 seeds", mnistPaperConfig({ penalty: { kind: 'l2-unsquared', coeff: 1e-5, on: 'both' } }), 2],
    ['Pythia laptop size (sparse TopK, 4096 latents, batch 1024), 1 seed', pythiaLaptopConfig({ penalty: { kind: 'l2', coeff: 1e-4, on: 'both' } }), 1],
  ] as const)('%s: at least what tfjs measures, at most 3× it', async (_, config, seeds) => {
    const estimate = estimateTrainingMemory(config, { seeds, backend: 'wasm' });
    const { peak, heapGrowth } = await measure(config, seeds);
    // Measured (MB): demo 29.7 tensors at the peak / 18 heap growth, estimate 59; paper 239 / 277, 442; laptop 321 / 63, 611.
    expect(estimate.bytes).toBeGreaterThanOrEqual(peak);
    expect(estimate.bytes).toBeLessThanOrEqual(3 * peak);
    expect(estimate.bytes).toBeGreaterThanOrEqual(heapGrowth);
  });

  test('the step dominates; parameters, batch and seeds each raise the estimate', () => {
    const base = teachingDemoConfig({ d_sae: 1024 });
    const at = (config: TrainConfig, seeds = 3) => estimateTrainingMemory(config, { seeds, backend: 'wasm' }).bytes;
    expect(at({ ...base, d_sae: 2048 })).toBeGreaterThan(at(base));
    expect(at({ ...base, batchSize: 1024 })).toBeGreaterThan(at(base));
    expect(at(base, 4)).toBeGreaterThan(at(base));
    // One seed has nothing to align: no similarity matrix on the host.
    expect(estimateTrainingMemory(base, { seeds: 1, backend: 'wasm' }).hostBytes).toBe(0);
    expect(estimateTrainingMemory(base, { seeds: 2, backend: 'wasm' }).hostBytes).toBe(2 * 1024 * 1024 * 4);
    // GPU backends hold the data and take TopK's dense path.
    const topk = pythiaLaptopConfig();
    expect(estimateTrainingMemory(topk, { seeds: 3, backend: 'wasm' }).sparse).toBe(true);
    expect(estimateTrainingMemory(topk, { seeds: 3, backend: 'webgpu', dataBytes: 1e8 })).toMatchObject({ sparse: false, parts: { data: 1e8 } });
  });
});
