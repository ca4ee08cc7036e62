import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openSafetensors, writeSafetensors, type TensorToWrite } from '../../../src/core/formats/safetensors';
import { loadGptNeoxModel, type HookName } from '../../../src/core/model';
import { bytesShardInput, exportActivations, loadActivationShards, parseManifest, type ExportOptions, type ExportProgress } from '../../../src/core/shards';
import { tf } from '../../../src/core/tf';
import { buildTinyNeox } from '../../helpers/tiny-neox';
import { roundToHalf, WINDOW } from './planted';

const neox = buildTinyNeox({ seed: 3 });
const loadModel = (weights: Uint8Array = neox.safetensors) =>
  loadGptNeoxModel({ config: neox.config, weights, tokenizer: neox.tokenizerJson, tokenizerConfig: neox.tokenizerConfig });
const { model, tokenizer } = loadModel();
afterAll(() => model.dispose());

const HOOK: HookName = 'blocks.1.hook_resid_pre';
const TEXTS = ['the cat sat on the mat.', 'in the water, a bird!', 'there the rain ran.', 'a tiny text', 'the end is near, the end is here.'];
const D = neox.config.hidden_size as number;

/** The contexts an export of `texts` must cut, built here from the token ids: documents joined by eos (0),
 *  then runs of context−1 tokens, each behind a bos (0), the last cut so the rows total `maxTokens`. */
function expectedContexts(texts: string[], context: number, maxTokens: number): number[][] {
  const stream = texts.flatMap((text, i) => [...(i > 0 ? [0] : []), ...tokenizer.encode(text)]);
  const contexts: number[][] = [];
  for (let start = 0; start < Math.min(stream.length, maxTokens); start += context - 1) {
    contexts.push([0, ...stream.slice(start, Math.min(start + context - 1, maxTokens))]);
  }
  return contexts;
}

/** Each context alone through the whole model (no stopAt, no batching), positions 1.. of the hook. */
async function directCapture(contexts: number[][]): Promise<{ rows: number[]; tokens: number[]; positions: number[] }> {
  const out = { rows: [] as number[], tokens: [] as number[], positions: [] as number[] };
  for (const context of contexts) {
    const { logits, activations } = model.forward([context], { capture: [HOOK] });
    logits!.dispose();
    const values = (await activations[HOOK]!.data()) as Float32Array;
    activations[HOOK]!.dispose();
    for (let p = 1; p < context.length; p++) {
      out.rows.push(...values.subarray(p * D, (p + 1) * D));
      out.tokens.push(context[p]);
      out.positions.push(p);
    }
  }
  return out;
}

async function runExport(overrides: Partial<ExportOptions> = {}): Promise<{ files: Map<string, Uint8Array>; progress: ExportProgress[] }> {
  const files = new Map<string, Uint8Array>();
  const progress: ExportProgress[] = [];
  await exportActivations(
    { model, tokenizer, texts: TEXTS, hook: HOOK, context: 9, maxTokens: 60, dtype: 'F32', shardTokens: 13, batchSize: 3, modelName: 'tiny-neox', onProgress: (p) => progress.push(p), ...overrides },
    async (file, bytes) => void files.set(file, bytes),
  );
  return { files, progress };
}

const close = (actual: Float32Array, expected: number[], tolerance: (value: number) => number) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tolerance(expected[i]));
};

describe('exporting activations', () => {
  it('writes shards whose rows equal a direct capture at the hook, bos dropped, documents joined by eos', async () => {
    await runExport(); // warm-up, so the tensor count below is steady
    const before = tf.memory().numTensors;
    const { files, progress } = await runExport();
    expect(tf.memory().numTensors).toBe(before);

    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(files.get('manifest.json'))));
    expect(manifest).toMatchObject({ model: 'tiny-neox', hook: HOOK, d_model: D, dtype: 'F32', context: 9, total_tokens: 60 });
    expect(manifest.shards.map((shard) => [shard.file, shard.tokens])).toEqual([
      ['shard-00000.safetensors', 13],
      ['shard-00001.safetensors', 13],
      ['shard-00002.safetensors', 13],
      ['shard-00003.safetensors', 13],
      ['shard-00004.safetensors', 8],
    ]);
    expect([...files.keys()].sort()).toEqual(['manifest.json', ...manifest.shards.map((shard) => shard.file)].sort());
    for (const shard of manifest.shards) expect(shard.sha256).toBe(createHash('sha256').update(files.get(shard.file)!).digest('hex'));
    expect(progress.at(-1)).toEqual({ tokens: 60, maxTokens: 60, shards: 4 }); // the last shard is written after

    const contexts = expectedContexts(TEXTS, 9, 60);
    const expected = await directCapture(contexts);
    const readBack = manifest.shards.map((shard) => openSafetensors(files.get(shard.file)!, shard.file));
    expect(readBack[0].metadata).toEqual({ hook: HOOK, model: 'tiny-neox' });
    const rows = Float32Array.from(readBack.flatMap((reader) => [...reader.readFloat32('activations').data]));
    close(rows, expected.rows, (value) => 1e-5 * Math.max(1, Math.abs(value)));
    expect(readBack.flatMap((reader) => [...reader.read('tokens').data])).toEqual(expected.tokens);
    expect(readBack.flatMap((reader) => [...reader.read('positions').data])).toEqual(expected.positions);

    // And through the loader: the context windows (8-row contexts across 13-row shards) come out of the token stream.
    const loaded = await loadActivationShards({ manifest, inputs: manifest.shards.map((shard) => bytesShardInput(files.get(shard.file)!, shard.file)) });
    const windows = contexts.flatMap((context) => context.slice(1).flatMap((_, i) => Array.from({ length: WINDOW }, (_, k) => (i + 1 - WINDOW + k >= 1 ? context[i + 1 - WINDOW + k] : -1))));
    expect([...loaded.contexts]).toEqual(windows);
  });

  it('rounds to float16 by default, and exports every token when maxTokens is not given', async () => {
    const { files } = await runExport({ dtype: undefined, maxTokens: undefined, shardTokens: 1000 });
    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(files.get('manifest.json'))));
    const stream = TEXTS.flatMap((text, i) => [...(i > 0 ? [0] : []), ...tokenizer.encode(text)]);
    expect(manifest).toMatchObject({ dtype: 'F16', total_tokens: stream.length });
    const expected = await directCapture(expectedContexts(TEXTS, 9, stream.length));
    const rows = openSafetensors(files.get('shard-00000.safetensors')!, 'shard').readFloat32('activations').data;
    // One float16 step either way: the capture itself may differ from the batched one in the last float32 bit.
    close(rows, expected.rows.map(roundToHalf), (value) => 2 ** (Math.floor(Math.log2(Math.max(Math.abs(value), 2 ** -14))) - 10));
  });

  it('takes async iterables of texts and stops when aborted', async () => {
    async function* texts() {
      for (const text of TEXTS) yield text;
    }
    const { files } = await runExport({ texts: texts() });
    const sync = await runExport();
    expect(files).toEqual(sync.files);
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(runExport({ signal: controller.signal })).rejects.toThrow('stop now');
  });

  it('refuses bad settings and values float16 cannot hold', async () => {
    await expect(runExport({ context: 1 })).rejects.toThrow(/context must be an integer from 2 to the model's 64 positions \(got 1\)/);
    await expect(runExport({ context: 65 })).rejects.toThrow(/got 65/);
    await expect(runExport({ hook: 'blocks.7.hook_resid_post' })).rejects.toThrow(/Unknown hook "blocks\.7\.hook_resid_post"/);
    await expect(runExport({ shardTokens: 0 })).rejects.toThrow(/shardTokens must be a positive integer/);
    await expect(runExport({ texts: [] })).rejects.toThrow(/the texts hold no tokens/);

    // An embedding 10^5 times too large: resid_pre of block 0 is the embedding itself, beyond ±65504.
    const reader = openSafetensors(neox.safetensors, 'model.safetensors');
    const tensors: Record<string, TensorToWrite> = {};
    for (const name of reader.entries.keys()) {
      const data = reader.readFloat32(name).data;
      tensors[name] = { dtype: 'F32', shape: reader.entries.get(name)!.shape, data: name === 'gpt_neox.embed_in.weight' ? data.map((v) => v * 1e5) : data };
    }
    const loud = loadModel(writeSafetensors(tensors));
    const before = tf.memory().numTensors;
    const loudExport = exportActivations({ model: loud.model, tokenizer, texts: TEXTS, hook: 'blocks.0.hook_resid_pre', context: 9, modelName: 'loud' }, async () => undefined);
    await expect(loudExport).rejects.toThrow(/blocks\.0\.hook_resid_pre has -?\d+(\.\d+)? at position \d+, dimension \d+: beyond float16's range ±65504, export with dtype F32/);
    expect(tf.memory().numTensors).toBe(before);
    loud.model.dispose();
  });
});
