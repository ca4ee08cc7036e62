/** A Hugging Face GPT-NeoX model folder on disk (Node), e.g. a local copy of EleutherAI/pythia-70m-deduped. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_FILES, loadGptNeoxModel, type GptNeoxModel } from '../core/model';

/** Reads config.json, model.safetensors, tokenizer.json and (if present) tokenizer_config.json. */
export async function loadModelFolder(folder: string): Promise<GptNeoxModel> {
  const [config, weights, tokenizer, tokenizerConfig] = await firstFailureInOrder([
    readJson(folder, MODEL_FILES.config),
    readRequired(folder, MODEL_FILES.weights),
    readJson(folder, MODEL_FILES.tokenizer),
    readJson(folder, MODEL_FILES.tokenizerConfig, { optional: true }),
  ] as const);
  return loadGptNeoxModel({ config, weights, tokenizer, tokenizerConfig }, folder);
}

async function readRequired(folder: string, file: string): Promise<Buffer> {
  const bytes = await readOptional(folder, file);
  if (bytes) return bytes;
  const hint =
    file === MODEL_FILES.weights
      ? ' (only a single model.safetensors is read: convert pytorch_model.bin or merge sharded weights first)'
      : '';
  throw new Error(`${join(folder, file)}: missing; a GPT-NeoX model folder needs ${Object.values(MODEL_FILES).slice(0, 3).join(', ')}${hint}`);
}

async function readOptional(folder: string, file: string): Promise<Buffer | null> {
  try {
    return await readFile(join(folder, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${join(folder, file)}: cannot be read (${(error as Error).message})`);
  }
}

async function readJson(folder: string, file: string, { optional = false } = {}): Promise<unknown> {
  const bytes = optional ? await readOptional(folder, file) : await readRequired(folder, file);
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`${join(folder, file)}: not valid JSON (${(error as Error).message})`);
  }
}

/** Like Promise.all, but when several reads fail the error is the first one's in list order, not the first to settle. */
async function firstFailureInOrder<T extends readonly Promise<unknown>[]>(reads: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(reads);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
