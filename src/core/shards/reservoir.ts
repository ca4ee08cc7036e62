/**
 * A uniform sample of at most `maxRows` activation rows from a stream of unknown length (Algorithm R,
 * Vitter 1985): the first maxRows rows are kept; row i > maxRows replaces a random kept row with probability
 * maxRows / (i + 1). Every row of the stream ends up kept with the same probability maxRows / n.
 *
 * Each kept row also carries its token, its position in its context, its document's label, and the
 * CONTEXT_WINDOW tokens before it in that context. Tokens may be stored after the activations in a file, so those labels are filled in
 * when a file ends; a rolling tail of the previous file's last tokens lets a context run across files.
 */
import { Rng } from '../rng';

/** Tokens of preceding context kept per row (for showing where a feature fires). */
export const CONTEXT_WINDOW = 16;
const UNKNOWN = -1;

export interface ReservoirContents {
  count: number;
  /** [count · d_model] row-major. */
  rows: Float32Array;
  /** [count]; -1 where the file stored no tokens. */
  tokens: Int32Array;
  /** [count]; -1 where unknown. */
  positions: Int32Array;
  /** [count · CONTEXT_WINDOW], oldest first, -1 before the context starts. */
  contexts: Int32Array;
  /** [count] the label of each row's document, as given to finishFile; -1 where none. */
  labels: Int32Array;
  /** Rows offered in all. */
  seen: number;
}

export class RowReservoir {
  private capacity = 0;
  private rows = new Float32Array(0);
  private tokens = new Int32Array(0);
  private positions = new Int32Array(0);
  private contexts = new Int32Array(0);
  private labels = new Int32Array(0);
  /** Stream index of the row in each slot. */
  private source = new Float64Array(0);
  /** Slots written since the current file began (may repeat). */
  private touched: number[] = [];
  private tailTokens: number[] = [];
  private tailPositions: number[] = [];
  private readonly rng: Rng;
  count = 0;
  seen = 0;

  constructor(
    private readonly dModel: number,
    readonly maxRows: number,
    seed: number,
  ) {
    if (!Number.isSafeInteger(maxRows) || maxRows < 1) throw new Error(`RowReservoir: maxRows must be a positive integer (got ${maxRows})`);
    this.rng = new Rng(seed);
  }

  /** Offers the next row of the stream; copies it if the sample keeps it. */
  offer(row: Float32Array): void {
    const index = this.seen++;
    let slot = index;
    if (index >= this.maxRows) {
      slot = Math.floor(this.rng.next() * (index + 1));
      if (slot >= this.maxRows) return;
    } else {
      this.grow(index + 1);
      this.count = index + 1;
    }
    this.rows.set(row, slot * this.dModel);
    this.source[slot] = index;
    this.touched.push(slot);
  }

  /**
   * Ends a file whose rows were offered from stream index `firstRow` on: labels the rows kept from it.
   * `tokens`/`positions`/`labels` hold one entry per row of the file, or null when the file has none (.npy).
   */
  finishFile(firstRow: number, tokens: Int32Array | null, positions: Int32Array | null, labels: Int32Array | null = null): void {
    const tailLength = this.tailTokens.length;
    const tokenAt = (i: number) => (i < tailLength ? this.tailTokens[i] : tokens![i - tailLength]);
    const positionAt = (i: number) => (i < tailLength ? this.tailPositions[i] : positions![i - tailLength]);
    // A slot written twice in this file appears twice: labelling it is idempotent.
    for (const slot of this.touched) {
      const context = this.contexts.subarray(slot * CONTEXT_WINDOW, (slot + 1) * CONTEXT_WINDOW).fill(UNKNOWN);
      this.labels[slot] = labels ? labels[this.source[slot] - firstRow] : UNKNOWN;
      if (!tokens || !positions) {
        this.tokens[slot] = this.positions[slot] = UNKNOWN;
        continue;
      }
      const at = tailLength + (this.source[slot] - firstRow);
      const position = positionAt(at);
      this.tokens[slot] = tokenAt(at);
      this.positions[slot] = position;
      // The row k back is in the same context exactly when its position is k less; the first row that is
      // not ends the context (a new one began there).
      for (let back = 1; back <= CONTEXT_WINDOW && at - back >= 0 && positionAt(at - back) === position - back; back++) {
        context[CONTEXT_WINDOW - back] = tokenAt(at - back);
      }
    }
    this.touched = [];
    this.updateTail(tokens, positions);
  }

  /** The sample, trimmed to `count` rows. */
  contents(): ReservoirContents {
    const n = this.count;
    const trim = <T extends Float32Array | Int32Array>(array: T, width: number) => (array.length === n * width ? array : (array.slice(0, n * width) as T));
    return {
      count: n,
      rows: trim(this.rows, this.dModel),
      tokens: trim(this.tokens, 1),
      positions: trim(this.positions, 1),
      contexts: trim(this.contexts, CONTEXT_WINDOW),
      labels: trim(this.labels, 1),
      seen: this.seen,
    };
  }

  private updateTail(tokens: Int32Array | null, positions: Int32Array | null): void {
    if (!tokens || !positions) {
      this.tailTokens = [];
      this.tailPositions = [];
      return;
    }
    this.tailTokens = [...this.tailTokens, ...tokens.subarray(-CONTEXT_WINDOW)].slice(-CONTEXT_WINDOW);
    this.tailPositions = [...this.tailPositions, ...positions.subarray(-CONTEXT_WINDOW)].slice(-CONTEXT_WINDOW);
  }

  /** Room for `needed` slots: doubles up to maxRows, so a short stream never allocates the whole budget. */
  private grow(needed: number): void {
    if (needed <= this.capacity) return;
    const capacity = Math.min(this.maxRows, Math.max(needed, 1024, 2 * this.capacity));
    const resized = <T extends Float32Array | Int32Array | Float64Array>(old: T, make: (n: number) => T, width: number): T => {
      const array = make(capacity * width);
      array.set(old as never);
      return array;
    };
    this.rows = resized(this.rows, (n) => new Float32Array(n), this.dModel);
    this.tokens = resized(this.tokens, (n) => new Int32Array(n), 1);
    this.positions = resized(this.positions, (n) => new Int32Array(n), 1);
    this.contexts = resized(this.contexts, (n) => new Int32Array(n), CONTEXT_WINDOW);
    this.labels = resized(this.labels, (n) => new Int32Array(n), 1);
    this.source = resized(this.source, (n) => new Float64Array(n), 1);
    this.capacity = capacity;
  }
}
