/**
 * Text files as documents for the exporter: a .jsonl file holds one document per line, in its
 * "text" field (as The Pile does), with an optional string "label" (e.g. a WordNet category) that
 * the exported rows keep; any other file is one document, without a label.
 */

/** One document: its text and its label, null when it has none. */
export interface TextDocument {
  text: string;
  label: string | null;
}

export function isJsonl(fileName: string): boolean {
  return fileName.endsWith('.jsonl');
}

/** One .jsonl line's document; null for a blank line. Errors name the file and the line. */
export function jsonlDocument(line: string, fileName: string, lineNumber: number): TextDocument | null {
  if (line.trim() === '') return null;
  let fields: { text?: unknown; label?: unknown } | null;
  try {
    fields = JSON.parse(line) as { text?: unknown; label?: unknown } | null;
  } catch (error) {
    throw new Error(`${fileName}:${lineNumber}: not valid JSON (${(error as Error).message})`);
  }
  const text = fields?.text;
  if (typeof text !== 'string') throw new Error(`${fileName}:${lineNumber}: no string "text" field`);
  const label = fields?.label;
  if (label !== undefined && label !== null && typeof label !== 'string') {
    throw new Error(`${fileName}:${lineNumber}: "label" must be a string (got ${JSON.stringify(label)})`);
  }
  return { text, label: label ?? null };
}

/** The documents of files read as streams of text (a browser File's stream, decoded), line by line for .jsonl. */
export async function* documentsOf(files: readonly { name: string; text(): Promise<string>; lines(): AsyncIterable<string> }[]): AsyncGenerator<TextDocument> {
  for (const file of files) {
    if (!isJsonl(file.name)) {
      yield { text: await file.text(), label: null };
      continue;
    }
    let lineNumber = 0;
    for await (const line of file.lines()) {
      const document = jsonlDocument(line, file.name, ++lineNumber);
      if (document !== null) yield document;
    }
  }
}

/** Splits a stream of text chunks into lines (without their line ends). */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const parts = (rest + chunk).split(/\r?\n/);
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest !== '') yield rest;
}
