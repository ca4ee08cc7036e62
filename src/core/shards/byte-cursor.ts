/**
 * Reads one stream front to back: small exact reads for headers, then the rest chunk by chunk. Every raw
 * chunk passes through `onChunk` exactly once, in order (hashing, progress, cancellation).
 */
export class ByteCursor {
  /** Bytes pulled from the stream so far. */
  bytesRead = 0;
  /** Unconsumed tail of the last chunk. */
  private pending: Uint8Array | null = null;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly onChunk: (chunk: Uint8Array) => void,
  ) {}

  /** Position in the file of the next byte handed out. */
  get offset(): number {
    return this.bytesRead - (this.pending?.length ?? 0);
  }

  /**
   * The next `n` bytes, or fewer when the stream ends first (the caller reports what was cut short).
   * Collects copies of the chunks as they arrive, so a claimed length costs memory only as bytes come in.
   */
  async read(n: number): Promise<Uint8Array> {
    const pieces: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      const chunk = this.pending ?? (await this.pull());
      this.pending = null;
      if (!chunk) break;
      const take = Math.min(n - have, chunk.length);
      pieces.push(chunk.slice(0, take));
      have += take;
      if (take < chunk.length) this.pending = chunk.subarray(take);
    }
    return concat(pieces, have);
  }

  /** The remaining bytes, chunk by chunk, until the stream ends. The chunks are only valid until the next one is asked for. */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.pending) {
      const pending = this.pending;
      this.pending = null;
      yield pending;
    }
    for (let chunk = await this.pull(); chunk; chunk = await this.pull()) yield chunk;
  }

  private async pull(): Promise<Uint8Array | null> {
    for (;;) {
      const { done, value } = await this.reader.read();
      if (done) return null;
      if (!(value instanceof Uint8Array)) throw new Error(`the stream yielded ${Object.prototype.toString.call(value)}, not bytes`);
      if (value.length === 0) continue;
      this.bytesRead += value.length;
      this.onChunk(value);
      return value;
    }
  }
}

function concat(pieces: Uint8Array[], total: number): Uint8Array {
  if (pieces.length === 1) return pieces[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
