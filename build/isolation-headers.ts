/**
 * Cross-origin isolation gives the page SharedArrayBuffer, which tfjs's threaded wasm backend needs.
 * Shared by vite.config.ts (dev server, preview) and the static server of the browser tests and bench,
 * which import it from here so that they need not load the Vite config and its plugins.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
