/**
 * Exports residual-stream activations of a GPT-NeoX model as shards plus manifest.json, the way the
 * paper's Pythia SAEs were trained: texts are tokenized and joined by eos into one stream, cut into
 * contexts of `context` tokens that each begin with bos, and run to the hook (later blocks skipped).
 *
 * Every position except the bos at position 0 is kept. In Pythia the bos position's residual stream is an
 * outlier, hundreds of times the norm of every other position (an attention sink); left in, it would
 * dominate the normalisation and the reconstruction loss of any SAE trained on the shards.
 *
 * A document may carry a label (e.g. its WordNet category): its rows, and the eos that ends it, keep the
 * label as an index into the manifest's `labels` (see shard-file.ts); unlabelled exports have none.
 *
 * Core code (no Node, no DOM): files go out through `sink`, so a worker can run it too.
 */
import type { GptNeox, HookName, TextTokenizer } from '../model';
import { checkHookName } from '../model/hooks';
import { sha256Hex } from './hash';
import type { TextDocument } from './documents';
import { buildManifest, MANIFEST_FILE, type ShardDtype, type ShardEntry, type ShardManifest } from './manifest';
import { NO_LABEL } from './shard-file';
import { encodeShard, shardFileName } from './writer';

/** Largest finite float16. */
const F16_MAX = 65504;

export type ShardSink = (file: string, bytes: Uint8Array) => Promise<void>;

export interface ExportProgress {
  /** Rows (tokens) exported so far. */
  tokens: number;
  maxTokens: number | null;
  shards: number;
}

export interface ExportOptions {
  model: GptNeox;
  tokenizer: TextTokenizer;
  /** Documents, plain or with a label; each is tokenized whole, so a huge one should be split by the caller. */
  texts: Iterable<string | TextDocument> | AsyncIterable<string | TextDocument>;
  hook: string;
  /** Tokens per context, bos included: each context gives context − 1 rows. */
  context: number;
  /** Rows to export; every token of the texts when omitted. The last context is cut short to hit it exactly. */
  maxTokens?: number;
  dtype?: ShardDtype;
  /** Rows per shard file. */
  shardTokens?: number;
  /** Contexts per forward pass. */
  batchSize?: number;
  /** Recorded in the manifest and each shard's metadata, e.g. "EleutherAI/pythia-70m-deduped". */
  modelName: string;
  synthetic?: boolean;
  note?: string;
  /** Called after every batch. */
  onProgress?: (progress: ExportProgress) => void;
  signal?: AbortSignal;
}

export async function exportActivations(options: ExportOptions, sink: ShardSink): Promise<ShardManifest> {
  const { model, tokenizer, texts, hook, context, maxTokens, dtype = 'F16', shardTokens = 65536, batchSize = 8, modelName, onProgress, signal } = options;
  const { config } = model;
  checkHookName(hook, config.numLayers);
  positiveInteger(shardTokens, 'shardTokens');
  positiveInteger(batchSize, 'batchSize');
  if (maxTokens !== undefined) positiveInteger(maxTokens, 'maxTokens');
  if (!Number.isSafeInteger(context) || context < 2 || context > config.maxPositions) {
    throw new Error(`exportActivations: context must be an integer from 2 to the model's ${config.maxPositions} positions (got ${context})`);
  }
  const bos = tokenizer.bosTokenId ?? config.bosTokenId;
  const eos = tokenizer.eosTokenId ?? config.eosTokenId;
  if (bos === null || eos === null) throw new Error('exportActivations: the tokenizer and config.json name no bos/eos token to start contexts and join documents with');

  const dModel = config.hiddenSize;
  const shard = new ShardBuffer(dModel, shardTokens, dtype, hook);
  const shards: ShardEntry[] = [];
  const labelNames: string[] = [];
  let exported = 0;
  const flush = async () => {
    if (shard.count === 0) return;
    // Names are only ever appended, so an earlier shard's list is a prefix of the manifest's.
    const { labels, ...contents } = shard.contents();
    const labelled = labelNames.length > 0 ? { labels, labelNames: [...labelNames] } : {};
    const bytes = encodeShard({ ...contents, ...labelled, d_model: dModel, dtype, metadata: { hook, model: modelName } });
    const file = shardFileName(shards.length);
    const sha256 = sha256Hex(bytes); // before the sink, which may take the buffer (a transfer to another thread)
    await sink(file, bytes);
    shards.push({ file, tokens: shard.count, sha256 });
    shard.clear();
  };
  const run = async (batch: Context[]) => {
    signal?.throwIfAborted();
    const values = await captureHook(model, batch.map((c) => c.tokens), hook as HookName);
    const seq = batch[0].tokens.length;
    for (let b = 0; b < batch.length; b++) {
      for (let position = 1; position < seq; position++) {
        const offset = (b * seq + position) * dModel;
        shard.add(values.subarray(offset, offset + dModel), batch[b].tokens[position], position, batch[b].labels[position]);
        if (shard.full) await flush();
      }
    }
    exported += batch.length * (seq - 1);
    onProgress?.({ tokens: exported, maxTokens: maxTokens ?? null, shards: shards.length });
  };

  let batch: Context[] = [];
  for await (const next of contexts(texts, tokenizer, labelNames, { bos, eos, context, maxRows: maxTokens ?? Infinity })) {
    // Contexts in one forward pass must be equally long; only the last one can be shorter.
    if (batch.length === batchSize || (batch.length > 0 && batch[0].tokens.length !== next.tokens.length)) {
      await run(batch);
      batch = [];
    }
    batch.push(next);
  }
  if (batch.length > 0) await run(batch);
  await flush();
  if (shards.length === 0) throw new Error('exportActivations: the texts hold no tokens to export');

  const labels = labelNames.length > 0 ? labelNames : undefined;
  const manifest = buildManifest({ model: modelName, hook, d_model: dModel, dtype, context, shards, labels, synthetic: options.synthetic, note: options.note });
  await sink(MANIFEST_FILE, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return manifest;
}

/** [batch · seq · d_model] activations at `hook`, read back and freed. */
async function captureHook(model: GptNeox, batch: number[][], hook: HookName): Promise<Float32Array> {
  const tensor = model.forward(batch, { capture: [hook], stopAt: hook }).activations[hook]!;
  try {
    return (await tensor.data()) as Float32Array;
  } finally {
    tensor.dispose();
  }
}

interface ContextOptions {
  bos: number;
  eos: number;
  context: number;
  maxRows: number;
}

/** One context's tokens, and each token's label (an index into the label names, -1 for none; bos: -1). */
interface Context {
  tokens: number[];
  labels: number[];
}

/**
 * Contexts [bos, t1, …, t(context−1)] over the documents joined by eos; the last may be shorter. A
 * document's label is appended to `labelNames` when first met.
 */
async function* contexts(
  texts: Iterable<string | TextDocument> | AsyncIterable<string | TextDocument>,
  tokenizer: TextTokenizer,
  labelNames: string[],
  { bos, eos, context, maxRows }: ContextOptions,
): AsyncGenerator<Context> {
  let pending: number[] = [];
  let pendingLabels: number[] = [];
  let rowsLeft = maxRows;
  let previousLabel = NO_LABEL;
  let first = true;
  const labelIndex = new Map<string, number>();
  const cut = function* (final: boolean) {
    let start = 0;
    for (;;) {
      const rows = Math.min(context - 1, rowsLeft, pending.length - start);
      if (rows === 0 || (!final && rows < Math.min(context - 1, rowsLeft))) break;
      yield { tokens: [bos, ...pending.slice(start, start + rows)], labels: [NO_LABEL, ...pendingLabels.slice(start, start + rows)] };
      start += rows;
      rowsLeft -= rows;
    }
    pending = pending.slice(start);
    pendingLabels = pendingLabels.slice(start);
  };
  for await (const document of texts) {
    const { text, label: name } = typeof document === 'string' ? { text: document, label: null } : document;
    let label = NO_LABEL;
    if (name !== null) {
      label = labelIndex.get(name) ?? labelNames.push(name) - 1;
      labelIndex.set(name, label);
    }
    // The eos ends the previous document: its row belongs to that document.
    if (!first) {
      pending.push(eos);
      pendingLabels.push(previousLabel);
    }
    first = false;
    previousLabel = label;
    for (const id of tokenizer.encode(text)) {
      pending.push(id);
      pendingLabels.push(label);
    }
    yield* cut(false);
    if (rowsLeft === 0) return;
  }
  yield* cut(true);
}

/** One shard's rows being collected. */
class ShardBuffer {
  private readonly activations: Float32Array;
  private readonly tokens: Int32Array;
  private readonly positions: Int32Array;
  private readonly labels: Int32Array;
  count = 0;

  constructor(
    private readonly dModel: number,
    private readonly capacity: number,
    private readonly dtype: ShardDtype,
    private readonly hook: string,
  ) {
    this.activations = new Float32Array(capacity * dModel);
    this.tokens = new Int32Array(capacity);
    this.positions = new Int32Array(capacity);
    this.labels = new Int32Array(capacity);
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  add(row: Float32Array, token: number, position: number, label: number): void {
    const limit = this.dtype === 'F16' ? F16_MAX : Infinity;
    for (let i = 0; i < row.length; i++) {
      if (!(Math.abs(row[i]) <= limit)) {
        const fix = Number.isFinite(row[i]) ? `: beyond float16's range ±${F16_MAX}, export with dtype F32` : '';
        throw new Error(`exportActivations: ${this.hook} has ${row[i]} at position ${position}, dimension ${i}${fix}`);
      }
    }
    this.activations.set(row, this.count * this.dModel);
    this.tokens[this.count] = token;
    this.positions[this.count] = position;
    this.labels[this.count] = label;
    this.count++;
  }

  contents(): { activations: Float32Array; tokens: Int32Array; positions: Int32Array; labels: Int32Array } {
    return {
      activations: this.activations.subarray(0, this.count * this.dModel),
      tokens: this.tokens.subarray(0, this.count),
      positions: this.positions.subarray(0, this.count),
      labels: this.labels.subarray(0, this.count),
    };
  }

  clear(): void {
    this.count = 0;
  }
}

function positiveInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`exportActivations: ${name} must be a positive integer (got ${value})`);
}
