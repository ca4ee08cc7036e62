/**
 * Byte-level BPE training (GPT-2's scheme, as Pythia's tokenizer uses it), writing a Hugging Face
 * `tokenizer.json` + `tokenizer_config.json` that src/core/model/tokenizer.ts loads.
 *
 * Text is NFC-normalised, split by GPT-2's pre-tokenisation regex, and each piece's UTF-8 bytes are
 * written in GPT-2's byte→unicode alphabet. The vocabulary starts with the special token (id 0) and all
 * 256 byte symbols; then the most frequent adjacent pair of symbols, counted over distinct pieces
 * weighted by their frequency, is merged until the vocabulary reaches its size. Ties go to the
 * lexicographically smallest pair (left symbol's string, then right's, by UTF-16 code units), so
 * training is reproducible. Pair counts are kept up to date incrementally: a merge revisits only the
 * pieces that contain the merged pair.
 */

/** GPT-2's pre-tokenisation regex (also the one @huggingface/tokenizers' ByteLevel pre-tokenizer uses). */
export const GPT2_PRETOKENIZE_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export const END_OF_TEXT = '<|endoftext|>';

/**
 * GPT-2's bytes_to_unicode: printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100
 * upwards in byte order, so every byte is one visible character (space → `Ġ`, newline → `Ċ`).
 */
export const BYTE_TO_UNICODE: readonly string[] = (() => {
  const printable = (byte: number) => (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
  let next = 256;
  return Array.from({ length: 256 }, (_, byte) => String.fromCharCode(printable(byte) ? byte : next++));
})();

export interface BpeTrainOptions {
  /** Final vocabulary size, special token and 256 byte symbols included (default 4096). */
  vocabSize?: number;
}

export interface BpeModel {
  /** Token string → id: `<|endoftext|>` 0, byte symbols 1–256 (ordered by character), then one per merge. */
  vocab: Record<string, number>;
  /** Merges in the order learned, `"left right"` (Pythia's format; byte-level symbols contain no spaces). */
  merges: string[];
}

/** Distinct pre-tokenised pieces of `texts` (NFC first) with their counts, in first-seen order. */
export function countPieces(texts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const match of text.normalize('NFC').matchAll(GPT2_PRETOKENIZE_PATTERN)) {
      const piece = match[0];
      counts.set(piece, (counts.get(piece) ?? 0) + 1);
    }
  }
  return counts;
}

/** A piece's UTF-8 bytes as byte symbol indices 0–255. */
function pieceBytes(piece: string, encoder: TextEncoder): number[] {
  return Array.from(encoder.encode(piece));
}

/** Symbol ids stay below 2²⁰, so a pair packs into one safe integer. */
const PAIR_SHIFT = 2 ** 20;

/** Learns merges from piece counts (see {@link countPieces}). */
export function trainBpe(pieceCounts: ReadonlyMap<string, number>, options: BpeTrainOptions = {}): BpeModel {
  const vocabSize = options.vocabSize ?? 4096;
  if (!Number.isInteger(vocabSize) || vocabSize < 257 || vocabSize >= PAIR_SHIFT) throw new Error(`vocabSize ${vocabSize}: must be an integer from 257 (special token + 256 bytes) to ${PAIR_SHIFT - 1}`);

  // Symbols 0–255 are the bytes; merge k creates symbol 256 + k.
  const symbolText: string[] = [...BYTE_TO_UNICODE];
  const encoder = new TextEncoder();
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [piece, count] of pieceCounts) {
    words.push(pieceBytes(piece, encoder));
    freqs.push(count);
  }

  const pairCount = new Map<number, number>();
  /** Words that contained the pair when it was counted; may hold words that no longer do (checked on use). */
  const pairWords = new Map<number, Set<number>>();
  /** Adds (sign 1) or removes (-1) word w's pairs; new pairs with symbol `merged` go into `fresh`. */
  const addPairs = (w: number, sign: 1 | -1, fresh: Set<number> | null, merged = -1) => {
    const word = words[w];
    const f = sign * freqs[w];
    for (let i = 0; i + 1 < word.length; i++) {
      const key = word[i] * PAIR_SHIFT + word[i + 1];
      const count = (pairCount.get(key) ?? 0) + f;
      if (count === 0) pairCount.delete(key);
      else pairCount.set(key, count);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(w);
        if (word[i] === merged || word[i + 1] === merged) fresh?.add(key);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1, null);

  const heap = new PairHeap(symbolText);
  for (const [key, count] of pairCount) heap.push(count, key);

  const merges: string[] = [];
  const mergeTarget = vocabSize - 1 - 256;
  while (merges.length < mergeTarget) {
    const best = popBest(heap, pairCount);
    if (best === null) break; // every piece is a single symbol
    const left = Math.floor(best / PAIR_SHIFT);
    const right = best % PAIR_SHIFT;
    const merged = symbolText.length;
    symbolText.push(symbolText[left] + symbolText[right]);
    merges.push(`${symbolText[left]} ${symbolText[right]}`);

    // Only pairs with the new symbol can gain counts, so only they need fresh heap entries; pairs that
    // lost counts keep stale (too high) entries, which popBest corrects when they surface.
    const fresh = new Set<number>();
    for (const w of pairWords.get(best) ?? []) {
      const word = words[w];
      if (!containsPair(word, left, right)) continue;
      addPairs(w, -1, null);
      words[w] = mergeWord(word, left, right, merged);
      addPairs(w, 1, fresh, merged);
    }
    pairWords.delete(best);
    for (const key of fresh) {
      const count = pairCount.get(key);
      if (count !== undefined) heap.push(count, key);
    }
  }

  const vocab: Record<string, number> = { [END_OF_TEXT]: 0 };
  // Byte symbols in character order: GPT-2's order (printable bytes first, then U+0100…).
  const byteSymbols = [...BYTE_TO_UNICODE].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
  byteSymbols.forEach((symbol, i) => (vocab[symbol] = 1 + i));
  for (let k = 0; k < merges.length; k++) vocab[symbolText[256 + k]] = 257 + k;
  return { vocab, merges };
}

function containsPair(word: readonly number[], left: number, right: number): boolean {
  for (let i = 0; i + 1 < word.length; i++) if (word[i] === left && word[i + 1] === right) return true;
  return false;
}

/** Replaces each (left, right) occurrence, scanning left to right without overlaps (`a a a` → `aa a`). */
function mergeWord(word: readonly number[], left: number, right: number, merged: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < word.length; i++) {
    if (i + 1 < word.length && word[i] === left && word[i + 1] === right) {
      out.push(merged);
      i++;
    } else out.push(word[i]);
  }
  return out;
}

/** The live pair with the highest count (ties: smallest pair), or null when none is left. */
function popBest(heap: PairHeap, pairCount: ReadonlyMap<number, number>): number | null {
  while (heap.size > 0) {
    const { count, key } = heap.pop();
    const current = pairCount.get(key);
    if (current === count) return key;
    // Stale: the count changed since this entry was pushed. Re-queue the true count (if any).
    if (current !== undefined) heap.push(current, key);
  }
  return null;
}

/** A binary max-heap of (count, pair): higher count first, then the lexicographically smaller pair. */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];
  constructor(private readonly symbolText: readonly string[]) {}

  get size(): number {
    return this.counts.length;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { count: number; key: number } {
    const top = { count: this.counts[0], key: this.keys[0] };
    const lastCount = this.counts.pop() as number;
    const lastKey = this.keys.pop() as number;
    if (this.counts.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.counts.length && this.before(l, best)) best = l;
        if (r < this.counts.length && this.before(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }

  /** Does entry i come out before entry j? */
  private before(i: number, j: number): boolean {
    if (this.counts[i] !== this.counts[j]) return this.counts[i] > this.counts[j];
    return comparePairs(this.symbolText, this.keys[i], this.keys[j]) < 0;
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j], this.counts[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }
}

function comparePairs(symbolText: readonly string[], a: number, b: number): number {
  if (a === b) return 0;
  const byLeft = compareStrings(symbolText[Math.floor(a / PAIR_SHIFT)], symbolText[Math.floor(b / PAIR_SHIFT)]);
  return byLeft !== 0 ? byLeft : compareStrings(symbolText[a % PAIR_SHIFT], symbolText[b % PAIR_SHIFT]);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pythia's layout of `tokenizer.json`, with one special token. */
export function bpeTokenizerJson(model: BpeModel): Record<string, unknown> {
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: 0, content: END_OF_TEXT, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: { type: 'NFC' },
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      vocab: model.vocab,
      merges: model.merges,
    },
  };
}

/** `tokenizer_config.json` for a tokenizer from {@link bpeTokenizerJson}: `<|endoftext|>` is bos, eos and unk, as in Pythia. */
export function bpeTokenizerConfig(modelMaxLength = 2048): Record<string, unknown> {
  return {
    add_prefix_space: false,
    bos_token: END_OF_TEXT,
    eos_token: END_OF_TEXT,
    unk_token: END_OF_TEXT,
    clean_up_tokenization_spaces: false,
    model_max_length: modelMaxLength,
    tokenizer_class: 'GPTNeoXTokenizer',
  };
}
