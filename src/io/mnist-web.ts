/**
 * MNIST in browsers and Web Workers: fetches the gzip-compressed IDX files that `mnistPlugin()` serves
 * (build/mnist-plugin.ts), decompresses them with DecompressionStream and parses them with the core.
 */
import { gatherMnistFiles, MNIST_FILES, mnistFromIdx, type MnistDataset, type MnistFileKey } from '../core/data/mnist';
import { mnistAssetPath } from './mnist-assets';

export interface MnistDownloadProgress {
  /** Bytes received so far over all four files. */
  loadedBytes: number;
  /** Sum of the Content-Length headers, or null while any response lacks one. A host that adds
   *  Content-Encoding makes this the encoded size, which loadedBytes (decoded) can exceed. */
  totalBytes: number | null;
}

export interface MnistWebOptions {
  /**
   * Absolute URL of the app's root (the folder holding `mnist/`). Default: Vite's BASE_URL resolved
   * against the current page or worker location. Pass it explicitly from a worker when the app is built
   * with a relative base, since a worker's location is its script, not the page.
   */
  baseUrl?: string;
  onProgress?: (progress: MnistDownloadProgress) => void;
  signal?: AbortSignal;
  /** Injectable for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const MNIST_KEYS = Object.keys(MNIST_FILES) as MnistFileKey[];

export async function loadMnistWeb(options: MnistWebOptions = {}): Promise<MnistDataset> {
  const base = resolveBaseUrl(options.baseUrl);
  const fetchFn = options.fetch ?? fetch;
  // Per-file figures, so the four concurrent downloads add up to one progress report.
  const loaded = new Map<MnistFileKey, number>();
  const totals = new Map<MnistFileKey, number | null>();
  const report = () => {
    const sizes = MNIST_KEYS.map((key) => totals.get(key));
    const known = sizes.every((size) => typeof size === 'number');
    options.onProgress?.({
      loadedBytes: sum([...loaded.values()]),
      totalBytes: known ? sum(sizes as number[]) : null,
    });
  };

  const files = await gatherMnistFiles(async (key) => {
    const url = new URL(mnistAssetPath(key), base).href;
    const response = await fetchFn(url, { signal: options.signal });
    if (!response.ok) {
      throw new Error(`${url}: HTTP ${response.status} ${response.statusText} (is mnistPlugin() registered in vite.config.ts?)`);
    }
    const length = response.headers.get('content-length');
    totals.set(key, length !== null && Number.isSafeInteger(Number(length)) ? Number(length) : null);
    const body = await readBody(response, url, (bytesSoFar) => {
      loaded.set(key, bytesSoFar);
      report();
    });
    return gunzipIfCompressed(body, url);
  });
  return mnistFromIdx(files);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function resolveBaseUrl(baseUrl: string | undefined): URL {
  const base = baseUrl ?? import.meta.env?.BASE_URL ?? '/';
  const withSlash = base.endsWith('/') ? base : `${base}/`;
  const here = (globalThis as { location?: { href: string } }).location?.href;
  try {
    return new URL(withSlash, here);
  } catch {
    throw new Error(`MNIST base URL "${base}" is relative and there is no page location to resolve it against; pass an absolute baseUrl`);
  }
}

async function readBody(response: Response, url: string, onBytes: (bytesSoFar: number) => void): Promise<Uint8Array> {
  if (!response.body) throw new Error(`${url}: response has no body`);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    onBytes(total);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Some static hosts serve `.gz` files with `Content-Encoding: gzip`, so fetch has already decompressed
 *  them: only gunzip when the gzip magic number is there (IDX files start with two zero bytes). */
async function gunzipIfCompressed(bytes: Uint8Array, url: string): Promise<Uint8Array> {
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new Error(`${url}: gzip decompression failed (${(error as Error).message})`);
  }
}
