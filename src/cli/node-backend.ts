import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { tf } from '../core/tf';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type NodeBackend = 'wasm' | 'cpu' | 'webgpu';

/**
 * WebGPU in Node through Dawn (the `webgpu` package) over the machine's Vulkan driver: the way to
 * train on a GPU server. Without a GPU, point VK_ICD_FILENAMES at a software Vulkan driver (e.g.
 * Chromium's vk_swiftshader_icd.json) to exercise the same kernels slowly.
 */
async function provideNodeWebGpu(): Promise<void> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  // Node 20 has no `navigator`; tfjs-backend-webgpu looks for navigator.gpu.
  const gpu = create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error('no WebGPU adapter in Node: Dawn needs a Vulkan loader (Debian: libvulkan1) and a driver; without a GPU set VK_ICD_FILENAMES to a software one such as /usr/lib/chromium/vk_swiftshader_icd.json');
  }
  const { vendor, architecture, description } = adapter.info;
  webGpuAdapter = { description: description || [vendor, architecture].filter(Boolean).join(' ') || 'unnamed adapter', software: /swiftshader|llvmpipe|lavapipe/i.test(`${vendor} ${architecture} ${description}`) };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
}

/** The adapter the webgpu backend runs on, once started: its name, and whether it is a CPU emulation. */
export let webGpuAdapter: { description: string; software: boolean } | null = null;

/**
 * tfjs backends that run in Node here. wasm (XNNPACK, SIMD) is several times faster than the
 * pure-JavaScript cpu backend; tfjs-node is not an option because its install downloads a binary.
 */
export async function initNodeBackend(name: NodeBackend = 'wasm'): Promise<string> {
  if (name === 'wasm') {
    // Emscripten reads the .wasm file from disk in Node; point it at the installed package.
    const wasmFile = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    setWasmPaths(`${dirname(wasmFile)}/`);
  }
  if (name === 'webgpu') await provideNodeWebGpu();
  if (!(await tf.setBackend(name))) throw new Error(`the tfjs ${name} backend failed to start`);
  await tf.ready();
  return tf.getBackend();
}
