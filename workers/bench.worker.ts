/**
 * The browser bench's worker (bench.html, src/bench/page.ts): picks the requested tfjs backend the way
 * the lab's workers do (selectBackend), then times the training step of src/bench/step.ts and posts
 * every step as it ends. One worker per backend: a backend cannot be swapped for another in place.
 */
import { mnistPaperConfig } from '../src/core/presets';
import { selectBackend } from '../src/runtime/backend';
import { tfjsWasmUrls } from '../src/runtime/wasm-urls';
import { stepFlops, timeTrainingStep } from '../src/bench/step';
import type { BenchRequest, BenchMessage } from '../src/bench/protocol';

const post = (message: BenchMessage) => postMessage(message);

addEventListener('message', (event: MessageEvent<BenchRequest>) => {
  void run(event.data).catch((error: unknown) => post({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
});

async function run({ backend, steps, threads }: BenchRequest): Promise<void> {
  if (threads !== undefined) {
    // Must precede the backend's initialisation; without it tfjs sizes XNNPACK's pool itself.
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount(threads);
  }
  const report = await selectBackend({ request: backend, wasmPaths: tfjsWasmUrls });
  post({ kind: 'backend', report, crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency });
  const config = mnistPaperConfig();
  const msPerStep = await timeTrainingStep(config, steps, (step) => post({ kind: 'step', ...step }));
  post({ kind: 'done', msPerStep, flops: stepFlops(config) });
}
