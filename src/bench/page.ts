/**
 * bench.html: runs one backend's step bench in a worker (workers/bench.worker.ts) when the URL names
 * a backend (?backend=wasm&steps=7[&threads=2]), shows each message, and hands it to
 * `window.benchReport` when the driver (src/cli/bench-browser.ts) has exposed one.
 */
import { parseBackendRequest } from '../runtime/protocol/backend-types';
import type { BenchMessage, BenchRequest } from './protocol';

declare global {
  interface Window {
    benchReport?: (message: BenchMessage) => void;
  }
}

const log = document.getElementById('log');

function show(message: BenchMessage): void {
  const line =
    message.kind === 'backend'
      ? `backend ${message.report.name} (${message.report.detail}); asked for ${message.report.requested}${message.report.reasons.length ? `; ${message.report.reasons.join('; ')}` : ''}`
      : message.kind === 'step'
        ? `${message.warmUp ? 'warm-up step' : `step ${message.index}`}: ${message.ms.toFixed(0)} ms`
        : message.kind === 'done'
          ? `median ${message.msPerStep.toFixed(0)} ms/step, ${(message.flops / message.msPerStep / 1e6).toFixed(1)} GFLOP/s`
          : `error: ${message.message}`;
  if (log) log.textContent += `${line}\n`;
  window.benchReport?.(message);
}

const params = new URLSearchParams(location.search);
const backend = params.get('backend');
if (backend) {
  const request: BenchRequest = { backend: parseBackendRequest(backend), steps: Math.max(1, Number(params.get('steps')) || 5) };
  const threads = Number(params.get('threads'));
  if (Number.isInteger(threads) && threads > 0) request.threads = threads;
  const worker = new Worker(new URL('../../workers/bench.worker.ts', import.meta.url), { type: 'module', name: `bench ${request.backend}` });
  worker.addEventListener('message', (event: MessageEvent<BenchMessage>) => {
    show(event.data);
    if (event.data.kind === 'done' || event.data.kind === 'error') worker.terminate();
  });
  worker.addEventListener('error', (event) => show({ kind: 'error', message: event.message || 'the bench worker failed to start' }));
  worker.postMessage(request);
}
