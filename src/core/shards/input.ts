/**
 * Where shard bytes come from: a browser File or Blob or bytes in memory here; an HTTP response
 * (src/io/shards-web.ts) or a file on disk (src/io/shards-node.ts) at the edge. The loader only ever asks for one fresh stream per input and reads
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
