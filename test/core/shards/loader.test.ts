import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../../src/core/formats/npy';
import { writeSafetensors } from '../../../src/core/formats/safetensors';
import {
  blobShardInput,
  CONTEXT_WINDOW,
  loadActivationShards,
  type LoadedActivations,
  type LoadProgress,
} from '../../../src/core/shards';
import { urlShardInput } from '../../../src/io/shards-web';
import { inputs, plantedShards, plantedStream, roundToHalf, unsizedInput, WINDOW } from './planted';

// Contexts of 20 tokens (19 rows each) and a short last one; shard cuts fall inside contexts.
const stream = plantedStream([20, 20, 20, 7], 6);
const SIZES = [25, 1, 21, 16];

describe('loading activation shards', () => {
  it('round-trips F32 shards exactly, with tokens, positions and contexts across shard boundaries', async () => {
    expect(CONTEXT_WINDOW).toBe(WINDOW);
    const { files, manifest } = plantedShards(stream, SIZES, 'F32');
    const loaded = await loadActivationShards({ manifest, inputs: inputs(files) });
    expect(loaded).toMatchObject({ d_model: 6, count: stream.n, totalTokens: stream.n, sampled: false, dtype: 'F32', hook: 'blocks.3.hook_resid_post', model: 'planted', synthetic: false, note: null });
    expect(loaded.files).toEqual(files.map((file) => file.name));
    expect(loaded.rows).toEqual(stream.rows);
    expect(loaded.tokens).toEqual(stream.tokens);
    expect(loaded.positions).toEqual(stream.positions);
    expect(loaded.contexts).toEqual(stream.contexts);
  });

  it('round-trips F16 shards to the float16 rounding of the input', async () => {
    const { files, manifest } = plantedShards(stream, SIZES, 'F16');
    const loaded = await loadActivationShards({ manifest, inputs: inputs(files) });
    expect(loaded.dtype).toBe('F16');
    const expected = Float32Array.from(stream.rows, roundToHalf);
    expect(loaded.rows).toEqual(expected);
    expect(loaded.contexts).toEqual(stream.contexts);
  });

  it('reads the tensors in any order within the data section', async () => {
    const { files } = plantedShards(stream, [stream.n], 'F32');
    const reordered = writeSafetensors({
      activations: { dtype: 'F32', shape: [stream.n, stream.d], data: stream.rows },
      positions: { dtype: 'I32', shape: [stream.n], data: stream.positions },
      tokens: { dtype: 'I32', shape: [stream.n], data: stream.tokens },
    });
    expect(reordered).not.toEqual(files[0].bytes);
    const loaded = await loadActivationShards({ inputs: inputs([{ name: 'r.safetensors', bytes: reordered }]) });
    expect(loaded.rows).toEqual(stream.rows);
    expect(loaded.tokens).toEqual(stream.tokens);
    expect(loaded.contexts).toEqual(stream.contexts);
  });

  it('gives the same result whatever the chunk size, with and without known file sizes', async () => {
    const { files, manifest } = plantedShards(stream, SIZES, 'F16');
    const npy = { name: 'extra.npy', bytes: writeNpy(stream.rows.subarray(0, 5 * stream.d), [5, stream.d], { dtype: '<f2' }) };
    const load = (chunkSize: number | undefined) => loadActivationShards({ inputs: inputs([...files, npy], chunkSize) });
    const whole = await load(undefined);
    for (const chunkSize of [1, 7, 13]) expect(await load(chunkSize)).toEqual(whole);
    const unsized = await loadActivationShards({ manifest, inputs: files.map((file) => unsizedInput(file.bytes, file.name, 7)) });
    expect(unsized.rows).toEqual(whole.rows.subarray(0, stream.n * stream.d));
  });

  it('reads .npy files as activations without tokens, alone or between safetensors shards', async () => {
    const { files } = plantedShards(stream, SIZES, 'F32');
    const rows = (from: number, to: number) => stream.rows.slice(from * stream.d, to * stream.d);
    const npyA = { name: 'a.npy', bytes: writeNpy(rows(0, 10), [10, stream.d], { dtype: '<f8' }) };
    const alone = await loadActivationShards({ inputs: inputs([npyA]) });
    expect(alone).toMatchObject({ count: 10, dtype: 'F64', hook: null, model: null });
    expect(alone.rows).toEqual(rows(0, 10));
    expect(alone.tokens).toEqual(new Int32Array(10).fill(-1));
    expect(alone.contexts).toEqual(new Int32Array(10 * WINDOW).fill(-1));

    // safetensors, npy, safetensors: the npy rows have no tokens, and no context reaches across them.
    const npyB = { name: 'b.npy', bytes: writeNpy(rows(0, 4), [4, stream.d]) };
    const mixed = await loadActivationShards({ inputs: inputs([files[0], npyB, files[1], files[2]]) });
    expect(mixed.count).toBe(25 + 4 + 1 + 21);
    expect(mixed.rows.subarray(25 * stream.d, 29 * stream.d)).toEqual(rows(0, 4));
    expect(mixed.tokens.subarray(25, 29)).toEqual(new Int32Array(4).fill(-1));
    const afterNpy = mixed.contexts.subarray(29 * WINDOW, 30 * WINDOW); // row 25 of the stream, position 7 of context 2
    const expected = stream.contexts.slice(25 * WINDOW, 26 * WINDOW);
    expect(afterNpy).toEqual(expected.map(() => -1));
    expect(expected.some((token) => token >= 0)).toBe(true);
  });

  it('streams from Blobs and from fetch responses, naming HTTP errors', async () => {
    const { files, manifest } = plantedShards(stream, SIZES, 'F32');
    const fromBlob = await loadActivationShards({ manifest, inputs: files.map((file) => blobShardInput(new Blob([file.bytes as BlobPart]), file.name)) });
    expect(fromBlob.rows).toEqual(stream.rows);

    const served = new Map(files.map((file) => [`https://data.test/${file.name}`, file.bytes]));
    const fakeFetch = (async (url: string) => {
      const bytes = served.get(url);
      return bytes ? new Response(bytes as BodyInit) : new Response('gone', { status: 404, statusText: 'Not Found' });
    }) as typeof fetch;
    const fromUrl = await loadActivationShards({ manifest, inputs: files.map((file) => urlShardInput(`https://data.test/${file.name}`, file.name, fakeFetch)) });
    expect(fromUrl.rows).toEqual(stream.rows);
    expect(fromUrl.contexts).toEqual(stream.contexts);

    served.delete(`https://data.test/${files[2].name}`);
    const broken = loadActivationShards({ manifest, inputs: files.map((file) => urlShardInput(`https://data.test/${file.name}`, file.name, fakeFetch)) });
    await expect(broken).rejects.toThrow(/shard-2\.safetensors: HTTP 404 Not Found fetching https:\/\/data\.test\/shard-2\.safetensors/);
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(loadActivationShards({ inputs: [urlShardInput('https://data.test/x.safetensors', 'x.safetensors', offline)] })).rejects.toThrow(/x\.safetensors: cannot fetch .*fetch failed/);
  });

  it('reports progress per chunk and stops when aborted', async () => {
    const { files, manifest } = plantedShards(stream, SIZES, 'F32');
    const seen: LoadProgress[] = [];
    await loadActivationShards({ manifest, inputs: inputs(files, 100) }, { onProgress: (progress) => seen.push(progress) });
    for (const [index, file] of files.entries()) {
      const mine = seen.filter((progress) => progress.fileIndex === index);
      expect(mine.length).toBe(Math.ceil(file.bytes.length / 100));
      expect(mine.at(-1)).toMatchObject({ file: file.name, files: files.length, bytesDone: file.bytes.length, bytesTotal: file.bytes.length });
    }
    expect(seen.map((progress) => progress.rowsSeen)).toEqual([...seen.map((progress) => progress.rowsSeen)].sort((a, b) => a - b));

    const controller = new AbortController();
    const aborted = loadActivationShards({ manifest, inputs: inputs(files, 100) }, {
      signal: controller.signal,
      onProgress: ({ fileIndex }) => fileIndex === 1 && controller.abort(new Error('user cancelled')),
    });
    await expect(aborted).rejects.toThrow('user cancelled');
  });

  it('keeps its own arrays: a later load does not touch an earlier result', async () => {
    const { files, manifest } = plantedShards(stream, SIZES, 'F32');
    const first: LoadedActivations = await loadActivationShards({ manifest, inputs: inputs(files) });
    const copy = first.rows.slice();
    await expect(loadActivationShards({ manifest, inputs: inputs(files.slice(1)) })).rejects.toThrow();
    await loadActivationShards({ inputs: inputs(files.slice(2)) });
    expect(first.rows).toEqual(copy);
  });
});
