/**
 * A Content-Security-Policy for the built app: loaded files are data, never code. Scripts come only
 * from the app itself (plus WebAssembly compilation, which tfjs-wasm needs); workers from the app or
 * blob: URLs (tfjs-wasm starts its threads that way); fetches may go to any http(s) URL, since shards,
 * models and the optional judge live wherever the user says. Only in builds: the dev server injects
 * inline scripts for hot reload.
 */
import type { Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' http: https: blob: data:",
  "img-src 'self' data: blob:",
  // React sets style attributes (colours, sizes) inline.
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function cspPlugin(): Plugin {
  return {
    name: 'sae-lab-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}
