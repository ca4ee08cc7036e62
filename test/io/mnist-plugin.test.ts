import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { mnistPlugin, type MnistMiddleware } from '../../build/mnist-plugin';
import { MNIST_FILES, type MnistFileKey, type MnistSplit } from '../../src/core/data/mnist';
import { loadMnistNode, mnistFilePath } from '../../src/io/mnist-node';
import { loadMnistWeb, type MnistDownloadProgress } from '../../src/io/mnist-web';

const KEYS = Object.keys(MNIST_FILES) as MnistFileKey[];

/** Vite hooks may be plain functions or `{ handler }` objects. */
function handler<T>(hook: T | { handler: T } | undefined): T {
  if (hook === undefined) throw new Error('hook missing');
  return typeof hook === 'object' && hook !== null && 'handler' in hook ? hook.handler : (hook as T);
}

function devMiddleware(plugin: Plugin, base: string): MnistMiddleware {
  let middleware: MnistMiddleware | undefined;
  const configResolved = handler(plugin.configResolved) as (config: { base: string }) => void;
  configResolved({ base });
  const configureServer = handler(plugin.configureServer) as (server: unknown) => void;
  configureServer({ middlewares: { use: (fn: MnistMiddleware) => (middleware = fn) } });
  return middleware!;
}

interface Served { status: number; headers: Record<string, unknown>; body?: Buffer; passedOn: boolean }

function request(middleware: MnistMiddleware, url: string, method = 'GET'): Promise<Served> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, unknown> = {};
    const res = {
      statusCode: 0,
      setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = value),
      end: (body?: Buffer) => resolve({ status: res.statusCode, headers, body, passedOn: false }),
    };
    const next = (error?: unknown) => (error ? reject(error) : resolve({ status: 0, headers, passedOn: true }));
    middleware({ url, method } as IncomingMessage, res as unknown as ServerResponse, next);
  });
}

async function emittedAssets(plugin: Plugin): Promise<Map<string, Uint8Array>> {
  const assets = new Map<string, Uint8Array>();
  const context = { emitFile: (file: { fileName: string; source: Uint8Array }) => assets.set(file.fileName, file.source) };
  await (handler(plugin.generateBundle) as (this: unknown) => Promise<void>).call(context);
  return assets;
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function sameSplit(a: MnistSplit, b: MnistSplit): boolean {
  return a.count === b.count && sameBytes(a.images, b.images) && sameBytes(a.labels, b.labels);
}

/** A fetch that serves `files` by URL path, the way a static host would, with Content-Length. */
function fakeFetch(files: Map<string, Uint8Array>): typeof fetch {
  return (async (input: string | URL | Request) => {
    const body = files.get(new URL(String(input)).pathname);
    if (!body) return new Response('missing', { status: 404, statusText: 'Not Found' });
    return new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(body.length) } });
  }) as typeof fetch;
}

const original = (key: MnistFileKey) => readFileSync(mnistFilePath(key));

describe('mnistPlugin', () => {
  const plugin = mnistPlugin(); // one instance: every file is compressed once and shared by the tests below

  it('dev middleware serves <base>mnist/<file>.gz as raw gzip of the IDX file, and passes other URLs on', async () => {
    const middleware = devMiddleware(plugin, '/lab/');
    const served = await request(middleware, '/lab/mnist/train-labels-idx1-ubyte.gz?v=1');
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('application/gzip');
    expect(served.headers['content-encoding']).toBeUndefined(); // or fetch would decompress it on the way
    expect(served.headers['content-length']).toBe(served.body!.length);
    expect(sameBytes(gunzipSync(served.body!), original('trainLabels'))).toBe(true);

    const head = await request(middleware, '/lab/mnist/t10k-labels-idx1-ubyte.gz', 'HEAD');
    expect([head.status, head.body]).toEqual([200, undefined]);
    expect((await request(middleware, '/lab/index.html')).passedOn).toBe(true);
    expect((await request(middleware, '/lab/mnist/other.gz')).passedOn).toBe(true);
    expect((await request(middleware, '/lab/mnist/t10k-labels-idx1-ubyte.gz', 'POST')).passedOn).toBe(true);
  });

  it('build emits the four files as mnist/<file>.gz assets that gunzip to the originals', async () => {
    const assets = await emittedAssets(plugin);
    expect([...assets.keys()].sort()).toEqual(KEYS.map((key) => `mnist/${MNIST_FILES[key]}.gz`).sort());
    for (const key of KEYS) {
      const gz = assets.get(`mnist/${MNIST_FILES[key]}.gz`)!;
      expect(gz.length).toBeLessThan(original(key).length);
      expect(sameBytes(gunzipSync(gz), original(key))).toBe(true);
    }
  });

  it('mnist-web fetches the emitted assets, gunzips them with DecompressionStream and parses them', async () => {
    const assets = await emittedAssets(plugin);
    const hosted = new Map([...assets].map(([fileName, bytes]) => [`/lab/${fileName}`, bytes]));
    const progress: MnistDownloadProgress[] = [];
    const web = await loadMnistWeb({ baseUrl: 'https://example.test/lab', fetch: fakeFetch(hosted), onProgress: (p) => progress.push(p) });
    const node = await loadMnistNode();
    expect(sameSplit(web.train, node.train) && sameSplit(web.test, node.test)).toBe(true);

    const compressedTotal = [...assets.values()].reduce((sum, bytes) => sum + bytes.length, 0);
    expect(progress.at(-1)).toEqual({ loadedBytes: compressedTotal, totalBytes: compressedTotal });
    expect(progress.every((p, i) => i === 0 || p.loadedBytes >= progress[i - 1].loadedBytes)).toBe(true);
  });

  it('mnist-web also accepts files a host already decompressed, and names the URL on a 404', async () => {
    const hosted = new Map(KEYS.map((key) => [`/mnist/${MNIST_FILES[key]}.gz`, new Uint8Array(original(key))]));
    const web = await loadMnistWeb({ baseUrl: 'https://example.test/', fetch: fakeFetch(hosted) });
    expect(sameSplit(web.test, (await loadMnistNode()).test)).toBe(true);

    await expect(loadMnistWeb({ baseUrl: 'https://example.test/elsewhere/', fetch: fakeFetch(hosted) })).rejects.toThrow(
      /https:\/\/example\.test\/elsewhere\/mnist\/.*\.gz: HTTP 404 Not Found \(is mnistPlugin\(\) registered/,
    );
  });
});
