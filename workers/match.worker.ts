/**
 * The matching worker: a comlink shell around matchDirections (src/core/align), so that the page can
 * match features across the two configurations without computing on its own thread.
 */
import * as Comlink from 'comlink';
import { matchDirections } from '../src/core/align';
import { selectBackend } from '../src/runtime/worker/backend';
import type { MatchWorkerApi } from '../src/runtime/protocol/match-api';
import { ownedBuffers } from '../src/runtime/worker/transfer';
import { tfjsWasmUrls } from '../src/runtime/worker/wasm-urls';

// WebAssembly (plain JavaScript where it cannot start): the product is one [n, d] × [d, n] matrix,
// too small to be worth a GPU context beside the two training workers.
const backend = selectBackend({ request: 'wasm', wasmPaths: tfjsWasmUrls });

const api: MatchWorkerApi = {
  async matchDirections(a, nA, b, nB, dim) {
    await backend;
    const matching = await matchDirections(a, nA, b, nB, dim);
    return Comlink.transfer(matching, ownedBuffers(matching));
  },
};

Comlink.expose(api);
