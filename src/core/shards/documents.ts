/**
 * Text files as documents for the exporter: a .jsonl file holds one document per line, in its
 * "text" field (as The Pile does); any other file is one document.
 */

export function isJsonl(fileName: string): boolean {
  return fileName.endsWith('.jsonl');
}

/** One .jsonl line's document; null for a blank line. Errors name the file and the line. */
export function jsonlDocument(line: string, fileName: string, lineNumber: number): string | null {
  if (line.trim() === '') return null;
  let text: unknown;
  try {
    text = (JSON.parse(line) as { text?: unknown }).text;
  } catch (error) {
    throw new Error(`${fileName}:${lineNumber}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof text !== 'string') throw new Error(`${fileName}:${lineNumber}: no string "text" field`);
  return text;
}

/** The documents of files read as streams of text (a browser File's stream, decoded), line by line for .jsonl. */
export async function* documentsOf(files: readonly { name: string; text(): Promise<string>; lines(): AsyncIterable<string> }[]): AsyncGenerator<string> {
  for (const file of files) {
    if (!isJsonl(file.name)) {
      yield await file.text();
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
