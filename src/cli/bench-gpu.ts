/**
 * `npm run bench -- --gpu`: the training step on WebGPU through Dawn (the `webgpu` package) at the MNIST
 * and Pythia paper shapes, as effective GFLOP/s and as a share of what the same card does on one large
 * fp32 matrix product, both measured in this run. On a software adapter (SwiftShader, a CPU emulation)
 * or with no adapter at all the GPU figures are unmeasured, and it says so; on SwiftShader it still
 * runs a small product and the demo's step, so the path is exercised.
 */
import { tf } from '../core/tf';
import { mnistPaperConfig, pythiaPaperConfig, teachingDemoConfig } from '../core/presets';
import type { TrainConfig } from '../core/train/config';
import { median, stepFlops, timeTrainingStep } from '../bench/step';
import { initNodeBackend, webGpuAdapter } from './node-backend';

/** Median GFLOP/s of an n × n × n fp32 product, each timed run finished by reading back one number. */
export async function matMulGflops(n: number, runs: number): Promise<number> {
  const [a, b] = [tf.randomUniform([n, n], -1, 1, 'float32', 1), tf.randomUniform([n, n], -1, 1, 'float32', 2)];
  // Several products per timed run, so the one small read-back is a small part of the time.
  const perRun = 8;
  const times: number[] = [];
  try {
    for (let r = 0; r <= runs; r++) {
      const t0 = performance.now();
      // A chain of adds: one addN over all of them would bind more buffers than WebGPU allows a kernel.
      const total = tf.tidy(() => {
        let sum = tf.scalar(0);
        for (let i = 0; i < perRun; i++) sum = tf.add(sum, tf.sum(tf.slice(tf.matMul(a, b), [0, 0], [1, 1])));
        return sum;
      });
      await total.data();
      total.dispose();
      if (r > 0) times.push((performance.now() - t0) / perRun);
    }
  } finally {
    tf.dispose([a, b]);
  }
  return (2 * n ** 3) / median(times) / 1e6;
}

async function stepRow(label: string, config: TrainConfig, steps: number, peak: number): Promise<string> {
  const ms = await timeTrainingStep(config, steps);
  const gflops = stepFlops(config) / ms / 1e6;
  return `${label.padEnd(44)}  ${ms.toFixed(1).padStart(9)}  ${gflops.toFixed(1).padStart(9)}  ${((100 * gflops) / peak).toFixed(1).padStart(6)}%`;
}

export async function benchGpu(): Promise<void> {
  console.log('\nGPU (webgpu through Dawn)');
  try {
    await initNodeBackend('webgpu');
  } catch (error) {
    console.log(`GPU figures: unmeasured. ${(error as Error).message}`);
    return;
  }
  const adapter = webGpuAdapter!;
  const software = adapter.software;
  console.log(`adapter: ${adapter.description}${software ? ' — a CPU emulation, not a GPU: the GPU figures are unmeasured; a small check of the path follows' : ''}`);
  const n = software ? 512 : 8192;
  const peak = await matMulGflops(n, software ? 2 : 10);
  console.log(`fp32 matrix product ${n} × ${n} × ${n}: ${peak.toPrecision(3)} GFLOP/s (the reference for the shares)`);
  console.log(`${'step'.padEnd(44)}  ${'ms/step'.padStart(9)}  ${'GFLOP/s'.padStart(9)}  ${'share'.padStart(7)}`);
  if (software) {
    console.log(await stepRow('teaching demo (batch 256, 784 → 64, ReLU)', teachingDemoConfig(), 2, peak));
    return;
  }
  console.log(await stepRow('MNIST paper (batch 512, 784 → 1568, ReLU)', mnistPaperConfig(), 20, peak));
  console.log(await stepRow('Pythia paper (batch 2048, 512 → 16,384, TopK)', pythiaPaperConfig(), 10, peak));
  console.log('GFLOP/s of a step count its dense products (as in the tables above); a share near 100% would mean the step runs at the card\'s product rate.');
}
