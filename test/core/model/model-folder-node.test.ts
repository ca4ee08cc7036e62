import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGptNeoxModel } from '../../../src/core/model';
import { loadModelFolder } from '../../../src/io/model-folder-node';
import { buildTinyNeox } from '../../helpers/tiny-neox';
import { flatten, referenceForward, relativeError } from './reference-neox';

const neox = buildTinyNeox({ seed: 21 });
let folder = '';

async function writeFolder(dir: string): Promise<void> {
  await writeFile(join(dir, 'config.json'), JSON.stringify(neox.config));
  await writeFile(join(dir, 'model.safetensors'), neox.safetensors);
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(neox.tokenizerJson));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(neox.tokenizerConfig));
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tiny-neox-'));
  await writeFolder(folder);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('loadModelFolder', () => {
  it('loads config, weights and tokenizer from a folder into a working model', async () => {
    const { config, model, tokenizer } = await loadModelFolder(folder);
    expect(config.numLayers).toBe(2);
    const tokens = tokenizer.encode('the cat sat.');
    const { logits } = model.forward([tokens]);
    const expected = flatten(referenceForward(neox.config, neox.tensors, tokens).logits);
    expect(relativeError((await logits!.data()) as Float32Array, expected)).toBeLessThan(1e-4);
    logits!.dispose();
    model.dispose();
  });

  it('treats tokenizer_config.json as optional', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiny-neox-'));
    await writeFolder(dir);
    await unlink(join(dir, 'tokenizer_config.json'));
    const { model, tokenizer } = await loadModelFolder(dir);
    expect(tokenizer.bosTokenId).toBeNull();
    model.dispose();
    await rm(dir, { recursive: true });
  });

  it('names a missing file', async () => {
    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json']) {
      const dir = await mkdtemp(join(tmpdir(), 'tiny-neox-'));
      await writeFolder(dir);
      await unlink(join(dir, file));
      await expect(loadModelFolder(dir)).rejects.toThrow(`${join(dir, file)}: missing`);
      await rm(dir, { recursive: true });
    }
  });

  it('names a file that is not valid JSON, and a config error with its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiny-neox-'));
    await writeFolder(dir);
    await writeFile(join(dir, 'tokenizer.json'), '{"model": ');
    await expect(loadModelFolder(dir)).rejects.toThrow(`${join(dir, 'tokenizer.json')}: not valid JSON`);
    await writeFolder(dir);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...neox.config, hidden_act: 'relu' }));
    await expect(loadModelFolder(dir)).rejects.toThrow(`${join(dir, 'config.json')}: "hidden_act" is "relu"`);
    await rm(dir, { recursive: true });
  });
});

describe('loadGptNeoxModel', () => {
  it('rejects a tokenizer with more ids than vocab_size, naming both files', () => {
    const files = { config: { ...neox.config, vocab_size: 20 }, weights: neox.safetensors, tokenizer: neox.tokenizerJson };
    expect(() => loadGptNeoxModel(files)).toThrow(/tokenizer\.json has token ids up to 38, beyond config\.json "vocab_size" 20/);
  });
});
