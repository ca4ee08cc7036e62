/**
 * Activation shards: residual-stream activations exported once from a model, streamed into training.
 *
 *   const manifest = parseManifest(JSON.parse(text), 'manifest.json');
 *   const loaded = await loadActivationShards({ manifest, inputs: files.map((f) => blobShardInput(f, f.name)) },
 *     { maxBytes: 256 * 2 ** 20, onProgress, signal });   // at most rowBudget(d_model, maxBytes) rows, sampled
 *
 * A shard is a safetensors file with `activations` [n, d_model] F16/F32, `tokens` and `positions` [n] I32,
 * optionally `labels` [n] I32 (each row's document label, named by `__metadata__.labels`); a
 * plain 2-D float .npy is accepted too (activations only). `exportActivations` writes shards from a GPT-NeoX
 * model; Node folders: src/io/shards-node.ts.
 */
export { MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_VERSION, MAX_D_MODEL, buildManifest, parseManifest, type ManifestFields, type ShardDtype, type ShardEntry, type ShardManifest } from './manifest';
export { blobShardInput, bytesShardInput, type ShardInput } from './input';
export { CONTEXT_WINDOW } from './reservoir';
export { DEFAULT_MAX_BYTES, loadActivationShards, rowBudget, type LoadedActivations, type LoadProgress, type LoadShardsOptions } from './loader';
export type { RowDtype } from './rows';
export { encodeShard, shardFileName, type ShardContents } from './writer';
export { sha256Hex } from './hash';
export { exportActivations, type ExportOptions, type ExportProgress, type ShardSink } from './export';
export { foldInputScale, normaliseRows } from './normalise';
export { documentsOf, jsonlDocument, splitLines, type TextDocument } from './documents';
export { NO_LABEL } from './shard-file';
