// Document labels in activation shards: written, read back, kept aligned with their rows through the
// reservoir sample and the exporter, and refused when malformed.
import { afterAll, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/core/formats/safetensors';
import { loadGptNeoxModel } from '../../../src/core/model';
import { buildManifest, encodeShard, exportActivations, jsonlDocument, documentsOf, loadActivationShards, parseManifest, sha256Hex, type ShardManifest } from '../../../src/core/shards';
import { buildTinyNeox } from '../../helpers/tiny-neox';
import { inputs, plantedStream, type PlantedStream } from './planted';

const NAMES = ['noun.animal', 'noun.plant', 'verb.motion', 'adj.all'];

/** Labelled shards of `stream` cut at `sizes`: row r's label is labelOf(r), -1 for none. Each shard names
 *  only the labels it uses, in its own order, so the loader must map them into one list. */
function labelledShards(stream: PlantedStream, sizes: number[], labelOf: (row: number) => number, manifestLabels?: string[]) {
  const files: { name: string; bytes: Uint8Array }[] = [];
  let start = 0;
  sizes.forEach((size, i) => {
    const global = Array.from({ length: size }, (_, k) => labelOf(start + k));
    const local = [...new Set(global.filter((l) => l >= 0))].reverse();
    const bytes = encodeShard({
      activations: stream.rows.slice(start * stream.d, (start + size) * stream.d),
      d_model: stream.d,
      tokens: stream.tokens.slice(start, start + size),
      positions: stream.positions.slice(start, start + size),
      dtype: 'F32',
      metadata: { hook: 'blocks.3.hook_resid_post', model: 'planted' },
      labels: Int32Array.from(global, (l) => (l < 0 ? -1 : local.indexOf(l))),
      labelNames: local.map((l) => NAMES[l]),
    });
    files.push({ name: `shard-${i}.safetensors`, bytes });
    start += size;
  });
  const manifest = buildManifest({
    model: 'planted',
    hook: 'blocks.3.hook_resid_post',
    d_model: stream.d,
    dtype: 'F32',
    context: 1024,
    labels: manifestLabels,
    shards: files.map((file, i) => ({ file: file.name, tokens: sizes[i], sha256: sha256Hex(file.bytes) })),
  });
  return { files, manifest };
}

/** Row r's label by name, from the loaded sample (row r holds r in its first column). */
function labelsByRow(loaded: Awaited<ReturnType<typeof loadActivationShards>>): Map<number, string | null> {
  const byRow = new Map<number, string | null>();
  for (let slot = 0; slot < loaded.count; slot++) {
    const label = loaded.labels[slot];
    byRow.set(loaded.rows[slot * loaded.d_model], label < 0 ? null : loaded.labelNames[label]);
  }
  return byRow;
}

describe('labelled shards', () => {
  const stream = plantedStream([30, 30, 30, 12], 5, 7); // 29 + 29 + 29 + 11 = 98 rows
  const labelOf = (row: number) => (row % 7 === 6 ? -1 : row % NAMES.length);

  it('round-trip: every row keeps its label by name, with or without a manifest', async () => {
    const { files, manifest } = labelledShards(stream, [40, 30, 28], labelOf, NAMES);
    for (const source of [{ manifest, inputs: inputs(files, 11) }, { inputs: inputs(files, 11) }]) {
      const loaded = await loadActivationShards(source);
      expect(loaded.count).toBe(stream.n);
      expect(loaded.labels.length).toBe(stream.n);
      const byRow = labelsByRow(loaded);
      for (let r = 0; r < stream.n; r++) expect(byRow.get(r)).toBe(labelOf(r) < 0 ? null : NAMES[labelOf(r)]);
      expect([...loaded.labelNames].sort()).toEqual([...NAMES].sort());
    }
    expect((await loadActivationShards({ manifest, inputs: inputs(files) })).labelNames).toEqual(NAMES);
  });

  it('the manifest keeps its label list through parse and build', () => {
    const { manifest } = labelledShards(stream, [98], labelOf, NAMES);
    expect(parseManifest(JSON.parse(JSON.stringify(manifest))).labels).toEqual(NAMES);
    expect(parseManifest(JSON.parse(JSON.stringify({ ...manifest, labels: undefined }))).labels).toBeUndefined();
  });

  it('the reservoir sample keeps each kept row with its own label', async () => {
    const k = 3;
    const { files, manifest } = labelledShards(stream, [33, 33, 32], (r) => r % k, NAMES);
    const maxBytes = 4 * 5 * 20; // 20 of the 98 rows
    for (const seed of [0, 1, 2, 3]) {
      const loaded = await loadActivationShards({ manifest, inputs: inputs(files, 7) }, { maxBytes, seed });
      expect(loaded).toMatchObject({ count: 20, sampled: true });
      for (let slot = 0; slot < loaded.count; slot++) {
        const row = loaded.rows[slot * 5];
        expect(loaded.labelNames[loaded.labels[slot]]).toBe(NAMES[row % k]);
        expect(loaded.tokens[slot]).toBe(stream.tokens[row]);
        expect(loaded.positions[slot]).toBe(stream.positions[row]);
      }
    }
  });

  it('shards without labels load as before, every row unlabelled', async () => {
    const bytes = encodeShard({ activations: stream.rows, d_model: 5, tokens: stream.tokens, positions: stream.positions, dtype: 'F32' });
    const loaded = await loadActivationShards({ inputs: inputs([{ name: 'old.safetensors', bytes }]) });
    expect(loaded.count).toBe(stream.n);
    expect(loaded.labelNames).toEqual([]);
    expect([...loaded.labels].every((l) => l === -1)).toBe(true);
  });
});

describe('refusing bad labels', () => {
  const n = 4;
  const base = {
    activations: { dtype: 'F32' as const, shape: [n, 2], data: new Float32Array(2 * n).fill(0.5) },
    tokens: { dtype: 'I32' as const, shape: [n], data: new Int32Array(n).fill(3) },
    positions: { dtype: 'I32' as const, shape: [n], data: Int32Array.from([1, 2, 3, 4]) },
  };
  const names = JSON.stringify(['a', 'b']);
  const refusal = async (tensors: Parameters<typeof writeSafetensors>[0], metadata?: Record<string, string>, manifest?: ShardManifest) => {
    const bytes = writeSafetensors(tensors, { metadata });
    const error = await loadActivationShards({ manifest, inputs: inputs([{ name: 'bad.safetensors', bytes }]) }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  };

  it('labels of the wrong length or dtype, out of range, or unnamed', async () => {
    expect(await refusal({ ...base, labels: { dtype: 'I32', shape: [n - 1], data: new Int32Array(n - 1) } }, { labels: names })).toMatch(/^bad\.safetensors: tensor "labels" is I32 \[3\]; expected I32 \[4\]/);
    expect(await refusal({ ...base, labels: { dtype: 'F32', shape: [n], data: new Float32Array(n) } }, { labels: names })).toMatch(/^bad\.safetensors: tensor "labels" is F32 \[4\]; expected I32 \[4\]/);
    expect(await refusal({ ...base, labels: { dtype: 'I32', shape: [n], data: Int32Array.from([0, 1, 2, 0]) } }, { labels: names })).toMatch(/^bad\.safetensors: tensor "labels" has 2 at index 2; expected -1 \(none\) or an index into the 2 names/);
    expect(await refusal({ ...base, labels: { dtype: 'I32', shape: [n], data: Int32Array.from([0, -2, 0, 0]) } }, { labels: names })).toMatch(/^bad\.safetensors: tensor "labels" has -2 at index 1/);
    expect(await refusal({ ...base, labels: { dtype: 'I32', shape: [n], data: new Int32Array(n) } })).toMatch(/^bad\.safetensors: has a "labels" tensor but no "labels" list in __metadata__/);
  });

  it('label names that are not a list of distinct strings', async () => {
    const labels = { dtype: 'I32' as const, shape: [n], data: new Int32Array(n) };
    expect(await refusal({ ...base, labels }, { labels: 'noun.animal' })).toMatch(/^bad\.safetensors: __metadata__ "labels" must be a JSON list of distinct strings/);
    expect(await refusal({ ...base, labels }, { labels: '{"a": 1}' })).toMatch(/^bad\.safetensors: __metadata__ "labels" must be a JSON list/);
    expect(await refusal({ ...base, labels }, { labels: '["a", 3]' })).toMatch(/^bad\.safetensors: __metadata__ "labels" must be a JSON list of distinct strings: entry 1 is 3/);
    expect(await refusal({ ...base, labels }, { labels: '["a", "a"]' })).toMatch(/^bad\.safetensors: __metadata__ "labels" must be a JSON list of distinct strings: it repeats a name/);
  });

  it('a shard naming a label the manifest does not list', async () => {
    const bytes = writeSafetensors({ ...base, labels: { dtype: 'I32', shape: [n], data: Int32Array.from([0, 1, 1, 0]) } }, { metadata: { labels: names } });
    const manifest = buildManifest({ model: 'm', hook: 'blocks.0.hook_resid_post', d_model: 2, dtype: 'F32', context: 8, labels: ['a'], shards: [{ file: 'bad.safetensors', tokens: n, sha256: sha256Hex(bytes) }] });
    await expect(loadActivationShards({ manifest, inputs: inputs([{ name: 'bad.safetensors', bytes }]) })).rejects.toThrow(/^bad\.safetensors: __metadata__ "labels" names "b", which manifest\.json's "labels" does not list/);
  });

  it('a manifest whose labels are not a list of distinct strings', () => {
    const good = JSON.parse(JSON.stringify(buildManifest({ model: 'm', hook: 'h', d_model: 2, dtype: 'F32', context: 8, shards: [{ file: 'a.safetensors', tokens: 1, sha256: '0'.repeat(64) }] }))) as Record<string, unknown>;
    expect(() => parseManifest({ ...good, labels: 'noun.animal' }, 'm.json')).toThrow(/^m\.json: "labels" must be a list of label names \(strings\)/);
    expect(() => parseManifest({ ...good, labels: ['a', 7] }, 'm.json')).toThrow(/^m\.json: "labels\[1\]" must be a string \(got 7\)/);
    expect(() => parseManifest({ ...good, labels: ['a', 'a'] }, 'm.json')).toThrow(/^m\.json: "labels\[1\]" repeats an earlier label/);
  });
});

describe('labelled documents in .jsonl', () => {
  it('reads an optional string "label"; other files have none', async () => {
    expect(jsonlDocument('{"text": "a cat", "label": "noun.animal"}', 'g.jsonl', 1)).toEqual({ text: 'a cat', label: 'noun.animal' });
    expect(jsonlDocument('{"text": "a cat"}', 'g.jsonl', 1)).toEqual({ text: 'a cat', label: null });
    expect(jsonlDocument('   ', 'g.jsonl', 1)).toBeNull();
    const lines = ['{"text": "one", "label": "x"}', '', '{"text": "two"}'];
    const file = (name: string) => ({ name, text: async () => lines.join('\n'), lines: async function* () { yield* lines; } });
    const documents = [];
    for await (const document of documentsOf([file('a.jsonl'), file('b.txt')])) documents.push(document);
    expect(documents).toEqual([{ text: 'one', label: 'x' }, { text: 'two', label: null }, { text: lines.join('\n'), label: null }]);
  });

  it('refuses a label that is not a string, naming file and line', () => {
    expect(() => jsonlDocument('{"text": "a", "label": 3}', 'glosses.jsonl', 12)).toThrow(/^glosses\.jsonl:12: "label" must be a string \(got 3\)/);
    expect(() => jsonlDocument('{"text": "a", "label": ["x"]}', 'glosses.jsonl', 2)).toThrow(/^glosses\.jsonl:2: "label" must be a string/);
    expect(() => jsonlDocument('null', 'glosses.jsonl', 5)).toThrow(/^glosses\.jsonl:5: no string "text" field/);
  });
});

describe('exporting labelled documents', () => {
  const neox = buildTinyNeox({ seed: 3 });
  const { model, tokenizer } = loadGptNeoxModel({ config: neox.config, weights: neox.safetensors, tokenizer: neox.tokenizerJson, tokenizerConfig: neox.tokenizerConfig });
  afterAll(() => model.dispose());
  const DOCS = [
    { text: 'the cat sat on the mat.', label: 'noun.animal' },
    { text: 'in the water, a bird!', label: 'noun.animal' },
    { text: 'there the rain ran.', label: null },
    { text: 'a tiny text', label: 'adj.all' },
    { text: 'the end is near, the end is here.', label: 'noun.time' },
  ];

  it("gives every row its document's label (the joining eos: the document it ends)", async () => {
    const files = new Map<string, Uint8Array>();
    await exportActivations(
      { model, tokenizer, texts: DOCS, hook: 'blocks.1.hook_resid_pre', context: 9, dtype: 'F32', shardTokens: 13, batchSize: 3, modelName: 'tiny-neox' },
      async (file, bytes) => void files.set(file, bytes),
    );
    // Built from the token ids here: each document's tokens, then the eos that ends it (but the last).
    const expected = DOCS.flatMap((doc, i) => [...(i > 0 ? [DOCS[i - 1].label] : []), ...tokenizer.encode(doc.text).map(() => doc.label)]);
    const manifest = parseManifest(JSON.parse(new TextDecoder().decode(files.get('manifest.json'))));
    expect(manifest.labels).toEqual(['noun.animal', 'adj.all', 'noun.time']);
    const loaded = await loadActivationShards({ manifest, inputs: inputs(manifest.shards.map((s) => ({ name: s.file, bytes: files.get(s.file)! }))) });
    expect([...loaded.labels].map((l) => (l < 0 ? null : loaded.labelNames[l]))).toEqual(expected);
  });

  it('writes no labels for plain texts', async () => {
    const files = new Map<string, Uint8Array>();
    const manifest = await exportActivations(
      { model, tokenizer, texts: DOCS.map((d) => d.text), hook: 'blocks.1.hook_resid_pre', context: 9, maxTokens: 20, dtype: 'F32', modelName: 'tiny-neox' },
      async (file, bytes) => void files.set(file, bytes),
    );
    expect(manifest.labels).toBeUndefined();
    expect(new TextDecoder().decode(files.get('shard-00000.safetensors')!.subarray(0, 400))).not.toContain('"labels"');
  });
});
