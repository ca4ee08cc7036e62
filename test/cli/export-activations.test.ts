import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lab } from '../helpers/lab-cli';
import { loadGptNeoxModel, residPost } from '../../src/core/model';
import { loadShardFolder } from '../../src/io/shards-node';
import { buildTinyNeox } from '../helpers/tiny-neox';

const DOCUMENTS = ['the cat sat on the mat, and the rat ran.', 'a bird in the water!', 'there is the tiny tern at the inn.', 'in the rain the train ran on.'];
/** The .jsonl documents' labels (the .txt document has none). */
const LABELS = [null, 'noun.animal', null, 'verb.motion'];

describe('npm run lab -- export-activations', () => {
  it('exports a model folder over text and .jsonl files into shards the loader reads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-export-'));
    const modelDir = join(dir, 'tiny-model');
    const neox = buildTinyNeox({ seed: 5, dtype: 'F16' });
    await mkdir(modelDir);
    await writeFile(join(modelDir, 'config.json'), JSON.stringify(neox.config));
    await writeFile(join(modelDir, 'model.safetensors'), neox.safetensors);
    await writeFile(join(modelDir, 'tokenizer.json'), JSON.stringify(neox.tokenizerJson));
    await writeFile(join(modelDir, 'tokenizer_config.json'), JSON.stringify(neox.tokenizerConfig));
    await writeFile(join(dir, 'one.txt'), DOCUMENTS[0]);
    const lines = DOCUMENTS.slice(1).map((text, i) => JSON.stringify({ text, meta: {}, ...(LABELS[i + 1] !== null && { label: LABELS[i + 1] }) }));
    await writeFile(join(dir, 'more.jsonl'), `${lines.join('\n')}\n`);
    const out = join(dir, 'acts');

    const r = await lab('export-activations', '--model', modelDir, '--text', join(dir, 'one.txt'), '--text', join(dir, 'more.jsonl'), '--hook', 'blocks.1.hook_resid_post', '--context', '12', '--tokens', '70', '--shard-tokens', '32', '--out', out, '--backend', 'cpu');
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Wrote 70 tokens, labelled with \d document labels, in 3 shards and manifest\.json/);
    expect((await readdir(out)).sort()).toEqual(['manifest.json', 'shard-00000.safetensors', 'shard-00001.safetensors', 'shard-00002.safetensors']);

    const loaded = await loadShardFolder(out);
    expect(loaded).toMatchObject({ count: 70, d_model: 32, dtype: 'F16', hook: 'blocks.1.hook_resid_post', model: 'tiny-model' });

    // The same contexts through the model here: documents joined by eos, 11 tokens behind each bos.
    const { model, tokenizer } = loadGptNeoxModel({ config: neox.config, weights: neox.safetensors, tokenizer: neox.tokenizerJson, tokenizerConfig: neox.tokenizerConfig });
    const stream = DOCUMENTS.flatMap((text, i) => [...(i > 0 ? [0] : []), ...tokenizer.encode(text)]).slice(0, 70);
    expect([...loaded.tokens]).toEqual(stream);
    // Each row keeps its document's label; the eos joining two documents belongs to the one it ends.
    const labels = DOCUMENTS.flatMap((text, i) => [...(i > 0 ? [LABELS[i - 1]] : []), ...tokenizer.encode(text).map(() => LABELS[i])]).slice(0, 70);
    expect([...loaded.labels].map((l) => (l < 0 ? null : loaded.labelNames[l]))).toEqual(labels);
    for (let start = 0; start < 70; start += 11) {
      const context = [0, ...stream.slice(start, start + 11)];
      const { activations } = model.forward([context], { capture: [residPost(1)], stopAt: residPost(1) });
      const values = (await activations[residPost(1)]!.data()) as Float32Array;
      activations[residPost(1)]!.dispose();
      for (let p = 1; p < context.length; p++) {
        for (let i = 0; i < 32; i++) {
          const expected = values[p * 32 + i];
          // float16 storage, and the cpu backend on both sides: within a float16 step.
          expect(Math.abs(loaded.rows[(start + p - 1) * 32 + i] - expected)).toBeLessThanOrEqual(Math.max(Math.abs(expected), 2 ** -14) * 2 ** -10);
        }
      }
    }
    model.dispose();
  });

  it('refuses missing and bad options with the usage text', async () => {
    const missing = await lab('export-activations', '--text', 'a.txt', '--out', 'x', '--tokens', '5');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/required option '--model <dir>' not specified/);
    expect(missing.stderr).toMatch(/Usage: npm run lab -- export-activations/);
    const dtype = await lab('export-activations', '--model', 'm', '--text', 'a.txt', '--out', 'x', '--tokens', '5', '--dtype', 'f64');
    expect(dtype.stderr).toMatch(/--dtype <type>' argument 'f64' is invalid\. Allowed choices are f16, f32/);
    const tokens = await lab('export-activations', '--model', 'm', '--text', 'a.txt', '--out', 'x');
    expect(tokens.stderr).toMatch(/required option '--tokens <n>' not specified/);
    const folder = await lab('export-activations', '--model', join(tmpdir(), 'no-such-model'), '--text', 'a.txt', '--out', join(tmpdir(), 'no-out'), '--tokens', '5', '--backend', 'cpu');
    expect(folder.stderr).toMatch(/no-such-model\/config\.json: missing/);
  });
});
