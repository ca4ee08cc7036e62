/**
 * Picks the tfjs backend in a worker (or Node): webgpu → webgl → wasm → cpu.
 * Auto mode skips software GPUs (SwiftShader is slower than wasm); a forced backend is honoured
 * even then, and falls back down the same order only if it cannot start at all.
 */
import { attempts, type WasmPaths } from './backend-attempts';
import { BACKEND_ORDER, type BackendName, type BackendReport, type BackendRequest } from '../protocol/backend-types';

export interface SelectBackendOptions {
  request: BackendRequest;
  wasmPaths?: WasmPaths;
}

export async function selectBackend({ request, wasmPaths }: SelectBackendOptions): Promise<BackendReport> {
  const forcedName = request === 'auto' ? null : request;
  const candidates: BackendName[] = forcedName
    ? [forcedName, ...BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(forcedName) + 1)]
    : [...BACKEND_ORDER];
  const reasons: string[] = [];
  for (const name of candidates) {
    const forced = name === forcedName;
    const attempt = await attempts[name]({ forced, wasmPaths }).catch((e: unknown) => ({
      ok: false as const,
      reason: `failed to load (${e instanceof Error ? e.message : String(e)})`,
    }));
    if (attempt.ok) return { name, requested: request, reasons, detail: attempt.detail };
    reasons.push(`${name}: ${forced ? 'forced, but ' : ''}${attempt.reason}`);
  }
  throw new Error(`No tfjs backend could start: ${reasons.join('; ')}`);
}
