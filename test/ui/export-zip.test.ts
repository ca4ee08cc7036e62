import { strFromU8, strToU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { SAELENS_CFG_FILE, SAELENS_WEIGHTS_FILE } from '../../src/core/formats/saelens';
import { filesZip, folderName, METRICS_FILE, saeLensZip } from '../../src/ui/export-zip';

describe('SAELens zip export', () => {
  test('one folder per configuration and seed, each with cfg.json and the weights, byte for byte', async () => {
    const weights = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
    const files = { [SAELENS_CFG_FILE]: '{"d_in":784}', [SAELENS_WEIGHTS_FILE]: weights };
    const zip = await saeLensZip([
      { label: 'A · L2 off', seed: 0, files },
      { label: 'B · L2² 1e-5', seed: 2, files },
    ]);
    const entries = unzipSync(zip);
    expect(Object.keys(entries).filter((name) => !name.endsWith('/')).sort()).toEqual([
      'A-L2-off/seed-0/cfg.json',
      'A-L2-off/seed-0/sae_weights.safetensors',
      'B-L2sq-1e-5/seed-2/cfg.json',
      'B-L2sq-1e-5/seed-2/sae_weights.safetensors',
    ]);
    expect(strFromU8(entries['A-L2-off/seed-0/cfg.json'])).toBe('{"d_in":784}');
    expect(entries['B-L2sq-1e-5/seed-2/sae_weights.safetensors']).toEqual(weights);
  });

  test('a seed exported with its metrics carries them as metrics.jsonl, one read-back per line', async () => {
    const files = { [SAELENS_CFG_FILE]: '{}', [SAELENS_WEIGHTS_FILE]: new Uint8Array(8) };
    const metrics = [{ step: 10, loss: 0.5 }, { step: 20, loss: 0.25 }] as never[];
    const entries = unzipSync(await saeLensZip([{ label: 'A', seed: 1, files, metrics }]));
    const lines = strFromU8(entries[`A/seed-1/${METRICS_FILE}`]).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(metrics);
  });

  test('folder names keep only characters every file system accepts', () => {
    expect(folderName('B · width (latents) 32')).toBe('B-width-latents-32');
    expect(folderName('A')).toBe('A');
  });

  test('exported shards zip as their files, byte for byte', async () => {
    const files = { 'manifest.json': strToU8('{"version":1}'), 'shard-00000.safetensors': Uint8Array.from({ length: 5000 }, (_, i) => i % 253) };
    const entries = unzipSync(await filesZip(files));
    expect(entries).toEqual(files);
  });
});
