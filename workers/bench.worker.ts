/**
 * The browser bench's worker (bench.html, src/bench/page.ts): picks the requested tfjs backend the way
 * the lab's workers do (selectBackend), then times the training step of src/bench/step.ts and posts
 * every step as it ends. One worker per backend: a backend cannot be swapped for another in place.
 */
import { mnistPaperConfig } from '../src/core/presets';
import { selectBackend } from '../src/runtime/worker/backend';
import { tfjsWasmUrls } from '../src/runtime/worker/wasm-urls';
import { stepFlops, timeTrainingStep } from '../src/bench/step';
import type { BenchRequest, BenchMessage } from '../src/bench/protocol';

const post = (message: BenchMessage) => postMessage(message);

addEventListener('message', (event: MessageEvent<BenchRequest>) => {
  void run(event.data).catch((error: unknown) => post({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
});

async function run({ backend, steps, threads }: BenchRequest): Promise<void> {
  const cores = navigator.hardwareConcurrency;
  if (threads !== undefined) {
    // tfjs 4.22's wasm backend caps XNNPACK's pool at half of navigator.hardwareConcurrency (it assumes two
    // logical cores per physical core): 1 thread on a 2-core machine, whatever setThreadsCount asks. To
    // measure more threads anyway, this worker reports enough cores before the backend starts.
    if (navigator.hardwareConcurrency < 2 * threads) Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads });
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount(threads); // must precede the backend's initialisation
  }
  const report = await selectBackend({ request: backend, wasmPaths: tfjsWasmUrls });
  post({ kind: 'backend', report, crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: cores });
  const config = mnistPaperConfig();
  const msPerStep = await timeTrainingStep(config, steps, (step) => post({ kind: 'step', ...step }));
  post({ kind: 'done', msPerStep, flops: stepFlops(config) });
}
