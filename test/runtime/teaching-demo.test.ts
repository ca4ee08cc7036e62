// The README's central claim, on the settings the page opens with: in the teaching demo, B's seeds
// (unsquared L2) agree more than A's (no penalty). Trained as the lab trains them (every seed side by
// side, all 60,000 MNIST training images) on tfjs's wasm backend.
import { describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/cli/node-backend';
import { alignSeeds, type AlignmentSummary } from '../../src/core/align/align-seeds';
import { MNIST_PIXELS } from '../../src/core/data/mnist';
import type { TrainConfig } from '../../src/core/train/config';
import { tensorSource, type BatchSource } from '../../src/core/train/source';
import { loadMnistNode } from '../../src/io/mnist-node';
import { MultiSeedTrainer } from '../../src/runtime/worker/multi-seed';
import { presetById } from '../../src/ui/store/presets';

async function trainAndAlign(config: TrainConfig, seeds: number[], source: BatchSource): Promise<AlignmentSummary> {
  const trainer = MultiSeedTrainer.create(config, seeds, source);
  const reads: Promise<unknown>[] = [];
  while (!trainer.done) {
    const read = trainer.trainStep();
    if (read) reads.push(read);
  }
  await Promise.all(reads);
  const weights = await trainer.snapshots();
  trainer.dispose();
  return (await alignSeeds(weights)).summary;
}

describe('the teaching demo', () => {
  // About 40 s of CPU: 6 × 300 steps of 256 images through 784 → 64.
  it("gives B (L2 on) a higher mean max cosine and more shared features across its seeds than A", async () => {
    await initNodeBackend('wasm');
    const { train } = await loadMnistNode();
    const source = tensorSource(train.images, MNIST_PIXELS);
    const { configs, seedCount } = presetById('mnist-demo').experiment();
    const seeds = Array.from({ length: seedCount }, (_, s) => s);
    const [a, b] = [await trainAndAlign(configs[0], seeds, source), await trainAndAlign(configs[1], seeds, source)];
    source.dispose();

    expect(configs[1].penalty.kind).not.toBe('none');
    expect(b.meanOverPairs.mmcs).toBeGreaterThan(a.meanOverPairs.mmcs);
    // Shared with the other seed of a pair, and seed 0's features shared with both other seeds.
    expect(b.meanOverPairs.sharedFrac).toBeGreaterThan(a.meanOverPairs.sharedFrac);
    expect(b.acrossSeeds.sharedWithAllFrac).toBeGreaterThan(a.acrossSeeds.sharedWithAllFrac);
  }, 300_000); // on two cores shared with other work it has taken 85 s
});
