/**
 * One attempt per tfjs backend: probe what the platform offers, then import and activate it.
 * Backends are imported lazily with import(): their modules register themselves on import, and a
 * backend that cannot load here must not break the others.
 */
import { tf } from '../../core/tf';
import type { BackendName } from '../protocol/backend-types';

export type Attempt = { ok: true; detail: string } | { ok: false; reason: string };

/** Where the tfjs wasm binaries are: a folder prefix or one URL per file name (see setWasmPaths). */
export type WasmPaths = string | Record<string, string>;

export interface AttemptOptions {
  /** Forced by the user: use it even where auto mode would skip it as slow. */
  forced: boolean;
  wasmPaths?: WasmPaths;
}

const fail = (reason: string): Attempt => ({ ok: false, reason });

/** The few WebGPU fields used here; the DOM typings of this TypeScript do not include WebGPU. */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  /** Older spelling; Chromium now reports it on `info` only. */
  isFallbackAdapter?: boolean;
  info?: GpuAdapterInfoLike;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

function describeAdapter(info: GpuAdapterInfoLike | undefined): string {
  const words = [info?.vendor, info?.architecture, info?.description].filter((w) => w && w.length > 0);
  return words.length > 0 ? words.join(' ') : 'unnamed adapter';
}

async function activate(name: BackendName): Promise<string | null> {
  try {
    return (await tf.setBackend(name)) ? null : 'failed to initialise';
  } catch (e) {
    return `failed to initialise (${e instanceof Error ? e.message : String(e)})`;
  }
}

async function tryWebGpu({ forced }: AttemptOptions): Promise<Attempt> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return fail('no adapter (navigator.gpu missing)');
  // Same preference as tfjs's own factory, so we judge the adapter it will get.
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return fail('no adapter (requestAdapter returned none)');
  const fallback = adapter.isFallbackAdapter ?? adapter.info?.isFallbackAdapter ?? false;
  const name = describeAdapter(adapter.info);
  // A software adapter (SwiftShader) is slower than wasm: only a user who asks for it gets it.
  if (fallback && !forced) return fail(`only a software fallback adapter (${name})`);
  await import('@tensorflow/tfjs-backend-webgpu');
  const error = await activate('webgpu');
  if (error) return fail(error);
  return { ok: true, detail: fallback ? `${name} (software fallback adapter)` : name };
}

/** The WebGL renderer string, or why there is no WebGL2 context. */
function probeWebGl(): { renderer: string } | { missing: string } {
  if (typeof OffscreenCanvas === 'undefined') return { missing: 'no OffscreenCanvas here' };
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return { missing: 'no WebGL2 context' };
  const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debugInfo ? debugInfo.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  // Free the probe's context at once: browsers cap live WebGL contexts.
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { renderer };
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software/i;

async function tryWebGl({ forced }: AttemptOptions): Promise<Attempt> {
  const probe = probeWebGl();
  if ('missing' in probe) return fail(probe.missing);
  // Same reasoning as for WebGPU: a software rasteriser loses to wasm.
  const software = SOFTWARE_RENDERER.test(probe.renderer);
  if (software && !forced) return fail(`only a software renderer (${probe.renderer})`);
  await import('@tensorflow/tfjs-backend-webgl');
  const error = await activate('webgl');
  if (error) return fail(error);
  return { ok: true, detail: probe.renderer };
}

let wasmPathsSet = false;

async function tryWasm({ wasmPaths }: AttemptOptions): Promise<Attempt> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // setWasmPaths throws once the backend has initialised, so set the paths only once.
  if (wasmPaths !== undefined && !wasmPathsSet) {
    wasm.setWasmPaths(wasmPaths);
    wasmPathsSet = true;
  }
  const error = await activate('wasm');
  if (error) return fail(error);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // Threads need SharedArrayBuffer, which exists only on cross-origin isolated pages. tfjs sizes
  // its thread pool from the CPU count, so on a 2-core machine "threaded (1 thread)" is normal.
  const multithreaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const threads = wasm.getThreadsCount();
  const notIsolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false;
  const threading = multithreaded
    ? `threaded (${threads} thread${threads === 1 ? '' : 's'})`
    : `single-threaded${notIsolated ? ' (no SharedArrayBuffer: page not cross-origin isolated)' : ''}`;
  return { ok: true, detail: `${simd ? 'SIMD' : 'no SIMD'}, ${threading}` };
}

async function tryCpu(): Promise<Attempt> {
  await import('@tensorflow/tfjs-backend-cpu');
  const error = await activate('cpu');
  return error ? fail(error) : { ok: true, detail: 'plain JavaScript' };
}

export const attempts: Record<BackendName, (options: AttemptOptions) => Promise<Attempt>> = {
  webgpu: tryWebGpu,
  webgl: tryWebGl,
  wasm: tryWasm,
  cpu: tryCpu,
};
