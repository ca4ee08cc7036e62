/**
 * The shard exporter: a comlink shell around exportActivations (src/core/shards), so that the page
 * can turn text into activation shards without the Node runner. One export per worker.
 */
import * as Comlink from 'comlink';
import { exportActivations } from '../src/core/shards';
import { documentsOf, splitLines } from '../src/core/shards/documents';
import type { HookName } from '../src/core/model';
import { checkHookName } from '../src/core/model/hooks';
import { selectBackend } from '../src/runtime/worker/backend';
import type { ExportWorkerApi } from '../src/runtime/protocol/export-api';
import { readModel } from '../src/runtime/worker/lm-data';
import { ownedBuffers } from '../src/runtime/worker/transfer';
import { tfjsWasmUrls } from '../src/runtime/worker/wasm-urls';

/** A picked file as the exporter reads it: whole, or line by line (decoded as it streams). */
function textSource(file: File) {
  return {
    name: file.name,
    text: () => file.text(),
    lines: () => splitLines(file.stream().pipeThrough(new TextDecoderStream()) as unknown as AsyncIterable<string>),
  };
}

const api: ExportWorkerApi = {
  async exportShards(request, onProgress) {
    try {
      await selectBackend({ request: request.backend, wasmPaths: tfjsWasmUrls });
      if (request.texts.length === 0) throw new Error('choose at least one text file (.txt, or .jsonl with a "text" field per line)');
      const { model, tokenizer, info } = await readModel(request.model);
      try {
        checkHookName(request.hook, info.layers);
        const files: Record<string, Uint8Array> = {};
        const manifest = await exportActivations(
          {
            model,
            tokenizer,
            texts: documentsOf(request.texts.map(textSource)),
            hook: request.hook as HookName,
            context: request.context,
            maxTokens: request.tokens,
            dtype: request.dtype,
            modelName: info.name,
            onProgress: (p) => void onProgress({ rows: p.tokens, total: request.tokens }),
          },
          async (file, bytes) => void (files[file] = bytes),
        );
        return Comlink.transfer({ files, tokens: manifest.total_tokens, model: info.name }, ownedBuffers(files));
      } finally {
        model.dispose();
      }
    } finally {
      (onProgress as unknown as Comlink.ProxyMethods)[Comlink.releaseProxy]?.();
    }
  },
};

Comlink.expose(api);
