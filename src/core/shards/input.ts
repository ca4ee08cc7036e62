/**
 * Where shard bytes come from: a browser File or Blob, bytes in memory, an HTTP response, or (in
 * src/io/shards-node.ts) a file on disk. The loader only ever asks for one fresh stream per input and reads
 * it once, front to back, so no input has to fit in memory.
 */

export interface ShardInput {
  /** File name, matched against the manifest's `file` entries and used in every message. */
  name: string;
  /** Total bytes when known up front; lets a header that points past the end be refused before streaming. */
  size?: number;
  stream(): ReadableStream<Uint8Array>;
}

export function blobShardInput(blob: Blob, name: string = (blob as Partial<File>).name ?? 'blob'): ShardInput {
  return { name, size: blob.size, stream: () => blob.stream() as ReadableStream<Uint8Array> };
}

/** Bytes in memory, handed out `chunkSize` bytes at a time (tests use tiny chunks to exercise the parser). */
export function bytesShardInput(bytes: Uint8Array, name: string, chunkSize = 1 << 16): ShardInput {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new Error(`bytesShardInput(${name}): chunkSize must be a positive integer (got ${chunkSize})`);
  return {
    name,
    size: bytes.length,
    stream() {
      let offset = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= bytes.length) return controller.close();
          controller.enqueue(bytes.subarray(offset, offset + chunkSize));
          offset += chunkSize;
        },
      });
    },
  };
}

/** A file over HTTP(S), streamed from the response body. Its size is not known until the response arrives. */
export function urlShardInput(url: string, name: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): ShardInput {
  return {
    name,
    stream() {
      let body: ReadableStreamDefaultReader<Uint8Array> | null = null;
      return new ReadableStream<Uint8Array>({
        async start() {
          let response: Response;
          try {
            response = await fetchImpl(url);
          } catch (error) {
            throw new Error(`${name}: cannot fetch ${url} (${(error as Error).message})`);
          }
          if (!response.ok) throw new Error(`${name}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} fetching ${url}`);
          if (!response.body) throw new Error(`${name}: the response from ${url} has no body`);
          body = response.body.getReader();
        },
        async pull(controller) {
          const { done, value } = await body!.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => body?.cancel(reason),
      });
    },
  };
}
