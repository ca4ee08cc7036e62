/**
 * URLs of tfjs's wasm binaries as Vite emits them (hashed, under /assets in a build). Browser only:
 * the `?url` suffix is a Vite feature, so Node callers pass a folder to selectBackend instead.
 * tfjs picks one of the three at run time: threaded SIMD where SharedArrayBuffer exists
 * (cross-origin isolated pages), else SIMD, else plain.
 */
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const tfjsWasmUrls: Record<string, string> = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
};
