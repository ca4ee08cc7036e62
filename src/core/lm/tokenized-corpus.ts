/** A tokenized corpus: documents' token ids concatenated with an end-of-text id between them. */
export interface TokenizedCorpus {
  train: Int32Array;
  heldOut: Int32Array;
  vocabSize: number;
  /** Parsed tokenizer.json / tokenizer_config.json to ship with the model; null when there is none. */
  tokenizerJson: unknown | null;
  tokenizerConfig: unknown | null;
  bosTokenId: number | null;
  eosTokenId: number | null;
  /** What the model is trained on, for config.json (e.g. "WordNet glosses"). */
  description: string;
  /** The model card's title; held-out document openings to sample from, with their text; the data's licence. */
  modelTitle?: string;
  samplePrompts?: { prompt: string; reference: string }[];
  licence?: { name: string; text: string };
}
