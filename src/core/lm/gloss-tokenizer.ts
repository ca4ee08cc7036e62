/** The gloss model's tokenizer: byte-level BPE learned from the training split of WordNet's glosses. */
import { bpeTokenizerConfig, bpeTokenizerJson, countPieces, trainBpe } from './bpe-trainer';
import type { GlossDocument } from './gloss-corpus';

export interface GlossTokenizerFiles {
  /** The `tokenizer.json` object (Pythia's layout). */
  tokenizerJson: Record<string, unknown>;
  /** The `tokenizer_config.json` object. */
  tokenizerConfig: Record<string, unknown>;
  /** Merges learned: vocabSize − 257 unless the corpus ran out of pairs first. */
  mergeCount: number;
}

/**
 * Trains on the `train` documents only, so held-out glosses measure the tokenizer as they measure the
 * model. Deterministic: the same corpus and size give the same files.
 */
export function trainGlossTokenizer(corpus: readonly GlossDocument[], vocabSize = 4096, modelMaxLength = 2048): GlossTokenizerFiles {
  const pieces = countPieces(corpus.filter((doc) => doc.split === 'train').map((doc) => doc.text));
  const model = trainBpe(pieces, { vocabSize });
  return { tokenizerJson: bpeTokenizerJson(model), tokenizerConfig: bpeTokenizerConfig(modelMaxLength), mergeCount: model.merges.length };
}
