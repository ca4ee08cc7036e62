/** `npm run lab -- export-activations`: a GPT-NeoX model folder + text files → shards and manifest.json. */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { documentsOf, exportActivations } from '../core/shards';
import type { ShardDtype, TextDocument } from '../core/shards';
import { loadModelFolder } from '../io/model-folder-node';
import { initNodeBackend } from './node-backend';
import { ProgressBar } from './progress';

export interface ExportArgs {
  model?: string;
  text?: string[];
  hook?: string;
  context?: string;
  tokens?: string;
  out?: string;
  dtype?: string;
  'shard-tokens'?: string;
  backend?: string;
}

/** `usageError` makes the errors that should print the usage text (bad or missing options). */
export async function runExportActivations(args: ExportArgs, usageError: (message: string) => Error): Promise<void> {
  const { model: modelDir, text: textFiles = [], hook = 'blocks.3.hook_resid_post', out, backend = 'wasm' } = args;
  if (!modelDir) throw usageError('export-activations needs --model DIR (a Hugging Face GPT-NeoX model folder)');
  if (textFiles.length === 0) throw usageError('export-activations needs at least one --text FILE');
  if (!out) throw usageError('--out DIR is required');
  if (backend !== 'wasm' && backend !== 'cpu') throw usageError(`export-activations runs on --backend wasm or cpu (got '${backend}')`);
  const dtype = (args.dtype ?? 'f16').toUpperCase();
  if (dtype !== 'F16' && dtype !== 'F32') throw usageError(`--dtype must be f16 or f32 (got '${args.dtype}')`);
  const context = wholeNumber(args.context ?? '128', '--context', usageError);
  const maxTokens = wholeNumber(args.tokens, '--tokens', usageError);
  const shardTokens = wholeNumber(args['shard-tokens'] ?? '65536', '--shard-tokens', usageError);

  console.log(`backend: ${await initNodeBackend(backend)}`);
  const { model, tokenizer, config } = await loadModelFolder(modelDir);
  const modelName = basename(resolve(modelDir));
  console.log(`model: ${modelName} (d_model ${config.hiddenSize}, ${config.numLayers} layers); hook ${hook}; context ${context}; ${maxTokens} tokens as ${dtype}`);
  await mkdir(out, { recursive: true });
  const bar = new ProgressBar('export', maxTokens);
  try {
    const manifest = await exportActivations(
      {
        model,
        tokenizer,
        texts: documents(textFiles),
        hook,
        context,
        maxTokens,
        dtype: dtype as ShardDtype,
        shardTokens,
        modelName,
        onProgress: ({ tokens, shards }) => bar.update(tokens, `${shards} shards written`),
      },
      (file, bytes) => writeFile(join(out, file), bytes),
    );
    bar.update(maxTokens);
    const note = manifest.total_tokens < maxTokens ? ` (the texts ran out before ${maxTokens})` : '';
    const labels = manifest.labels ? `, labelled with ${manifest.labels.length} document labels,` : '';
    console.log(`Wrote ${manifest.total_tokens} tokens${note}${labels} in ${manifest.shards.length} shards and manifest.json to ${out}`);
  } finally {
    model.dispose();
  }
}

/** The documents of the text files (see src/core/shards/documents.ts), read lazily, so a large corpus is never held whole. */
function documents(files: string[]): AsyncGenerator<TextDocument> {
  return documentsOf(
    files.map((file) => ({
      name: file,
      text: () => readText(file),
      lines: () => createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity }),
    })),
  );
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot be read (${(error as Error).message})`);
  }
}

function wholeNumber(value: string | undefined, name: string, usageError: (message: string) => Error): number {
  if (value === undefined) throw usageError(`${name} N is required`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw usageError(`${name} must be a positive whole number (got '${value}')`);
  return n;
}
