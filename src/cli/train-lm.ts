/**
 * `npm run lab -- train-lm`: trains the lab's own GPT-NeoX (src/core/model's forward pass, the one inference
 * runs) as a language model and writes a Hugging Face model folder: config.json, model.safetensors (F16,
 * GPT-NeoX tensor names) and, when the corpus has one, tokenizer.json and tokenizer_config.json.
 *
 * The tokens come from a `CorpusLoader`: by default WordNet's glosses with a BPE tokenizer learned from them
 * (src/cli/gloss-tokens.ts); `--tokens FILE` (raw little-endian int32 ids) trains on anything else.
 *
 * With --ckpt SECONDS the whole training state goes to DIR/lm-checkpoint.safetensors every so often; --resume
 * continues from it and ends with exactly the weights an uninterrupted run would have (batches are a pure
 * function of seed and step, and the checkpoint holds weights and Adam's moments bit for bit).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeLmCheckpoint, encodeLmCheckpoint } from '../core/lm/lm-checkpoint';
import { exportHfModel } from '../core/lm/lm-export';
import { LM_TRAINER_DEFAULTS, LmTrainer, stepSeed, windowSource, type LmTrainerState } from '../core/lm/lm-trainer';
import type { TokenizedCorpus } from '../core/lm/tokenized-corpus';
import { GptNeox } from '../core/model/gptneox';
import { trainingConfig } from '../core/model/trainable-weights';
import { loadGlossCorpusTokens } from './gloss-tokens';
import { modelReport } from './lm-report';
import { initNodeBackend, type NodeBackend } from './node-backend';
import { formatSeconds, ProgressBar } from './progress';
import { UsageError } from './run-plan';

export const LM_CHECKPOINT_FILE = 'lm-checkpoint.safetensors';


export type CorpusLoader = (flags: TrainLmFlags) => Promise<TokenizedCorpus>;

/** The settings that define a run (kept in the checkpoint: a resumed run uses them, not the command line's). */
export interface LmRunSettings {
  layers: number;
  dModel: number;
  heads: number;
  context: number;
  batch: number;
  steps: number;
  lr: number;
  warmup: number;
  weightDecay: number;
  seed: number;
  evalEvery: number;
  evalWindows: number;
}

export interface TrainLmFlags extends Partial<LmRunSettings> {
  out: string;
  backend: NodeBackend;
  tokens?: string;
  vocab?: number;
  eos?: number;
  ckpt?: number;
  resume?: boolean;
  budgetMinutes?: number;
  /** Not a command-line flag: stop once this process has taken this many steps, after a checkpoint, as an interrupted run would (for tests). */
  stopAfter?: number;
}

/**
 * Defaults: a 1.8M-parameter model (at vocabulary 4096). One step (32 × 128 tokens) takes about 4–5 s on the
 * wasm backend of a 2-core machine (≈ 900 tokens/s), so 1200 steps (4.9M tokens) is about 1.5 hours.
 */
export const TRAIN_LM_DEFAULTS = { layers: 4, dModel: 128, heads: 4, context: 128, batch: 32, steps: 1200, lr: 1e-3, warmup: 100, weightDecay: 0.01, seed: 0, evalEvery: 100, evalWindows: 64 } as const;

/** The gloss tokenizer's vocabulary: a few thousand tokens, as many as fit the 2-hour budget's embedding. */
const GLOSS_VOCAB = 4096;

/** Losses are read back (a device sync) every this many steps, for the progress line. */
const READ_EVERY = 10;
/** Steps timed before --budget-minutes fixes the step count (all within the warm-up, whose rates do not depend on it). */
const TIMED_STEPS = 3;

/** --tokens FILE: raw int32 ids; the last 5% (at least two context windows) is held out. */
export async function loadTokenFile(file: string, flags: { vocab?: number; eos?: number; context: number }): Promise<TokenizedCorpus> {
  const bytes = await readFile(file);
  if (bytes.byteLength % 4 !== 0) throw new UsageError(`${file}: ${bytes.byteLength} bytes is not a whole number of int32 token ids`);
  const tokens = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let max = 0;
  for (const t of tokens) {
    if (t < 0) throw new UsageError(`${file}: negative token id ${t}`);
    if (t > max) max = t;
  }
  const vocabSize = flags.vocab ?? max + 1;
  if (max >= vocabSize) throw new UsageError(`${file}: token id ${max} is not below --vocab ${vocabSize}`);
  const heldOutLength = Math.max(Math.floor(tokens.length * 0.05), 2 * (flags.context + 1));
  if (tokens.length - heldOutLength < flags.context + 1) throw new UsageError(`${file}: ${tokens.length} tokens are too few for context ${flags.context}`);
  const split = tokens.length - heldOutLength;
  return {
    train: tokens.subarray(0, split),
    heldOut: tokens.subarray(split),
    vocabSize,
    tokenizerJson: null,
    tokenizerConfig: null,
    bosTokenId: flags.eos ?? null,
    eosTokenId: flags.eos ?? null,
    description: `token file ${file}`,
  };
}

export const defaultCorpusLoader: CorpusLoader = (flags) => {
  if (!flags.tokens) return loadGlossCorpusTokens(flags.vocab ?? GLOSS_VOCAB);
  return loadTokenFile(flags.tokens, { vocab: flags.vocab, eos: flags.eos, context: flags.context ?? TRAIN_LM_DEFAULTS.context });
};

/** FNV-1a over the token ids: a resumed run checks that it trains on the same tokens. */
function tokenHash(tokens: Int32Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < tokens.length; i++) h = Math.imul(h ^ tokens[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, bytes, { flush: true });
  await rename(temporary, path);
}

interface SavedRun {
  settings: LmRunSettings;
  corpus: { trainTokens: number; heldOutTokens: number; hash: string; vocabSize: number };
  elapsedMs: number;
  heldOutLosses: [number, number][];
  done: boolean;
  /** The command line that started the run (a resumed run's card names it, not the --resume). */
  command?: string;
}

export async function runTrainLm(flags: TrainLmFlags, loadCorpus: CorpusLoader = defaultCorpusLoader): Promise<void> {
  const checkpointPath = join(flags.out, LM_CHECKPOINT_FILE);
  let resumed: { state: LmTrainerState; run: SavedRun } | null = null;
  if (flags.resume) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(checkpointPath));
    } catch (error) {
      throw new UsageError(`--resume: cannot read ${checkpointPath} (${(error as Error).message}); only runs started with --ckpt can be resumed`);
    }
    const { state, run } = decodeLmCheckpoint(bytes, checkpointPath);
    resumed = { state, run: run as unknown as SavedRun };
  }
  const settings: LmRunSettings = resumed?.run.settings ?? { ...TRAIN_LM_DEFAULTS, ...definedOnly(flags) };
  if (resumed) {
    const ignored = (Object.keys(TRAIN_LM_DEFAULTS) as (keyof LmRunSettings)[]).filter((key) => flags[key] !== undefined && flags[key] !== settings[key]);
    if (ignored.length) console.log(`resuming: the checkpoint's settings apply; ignored ${ignored.map((key) => `${key} ${flags[key]}`).join(', ')}`);
  }
  const budgetSteps = !resumed && flags.budgetMinutes !== undefined && flags.steps === undefined;
  if (budgetSteps && settings.warmup < TIMED_STEPS) throw new UsageError(`--budget-minutes times the first ${TIMED_STEPS} steps inside the warm-up: give --warmup ${TIMED_STEPS} or more, or --steps`);

  console.log(`backend: ${await initNodeBackend(flags.backend)}`);
  const corpus = await loadCorpus({ ...flags, context: settings.context });
  const corpusInfo = { trainTokens: corpus.train.length, heldOutTokens: corpus.heldOut.length, hash: tokenHash(corpus.train), vocabSize: corpus.vocabSize };
  if (resumed && JSON.stringify(resumed.run.corpus) !== JSON.stringify(corpusInfo)) {
    throw new UsageError(`--resume: the tokens differ from the checkpoint's (${JSON.stringify(resumed.run.corpus)} vs ${JSON.stringify(corpusInfo)})`);
  }
  const config = trainingConfig({ layers: settings.layers, dModel: settings.dModel, heads: settings.heads, context: settings.context, vocabSize: corpus.vocabSize, bosTokenId: corpus.bosTokenId, eosTokenId: corpus.eosTokenId });
  const schedule = { lr: settings.lr, warmupSteps: settings.warmup, totalSteps: settings.steps, finalFraction: 0.1 };
  const source = windowSource(corpus.train, corpus.heldOut, { batch: settings.batch, context: settings.context, seed: stepSeed(settings.seed, -1), evalWindows: settings.evalWindows });
  const trainer = new LmTrainer({ ...LM_TRAINER_DEFAULTS, config, seed: settings.seed, schedule, weightDecay: settings.weightDecay }, source);
  const parameterCount = trainer.params.reduce((n, p) => n + p.tensor.size, 0);
  console.log(`model: ${settings.layers} layers, d_model ${settings.dModel}, ${settings.heads} heads, context ${settings.context}, vocab ${corpus.vocabSize}: ${(parameterCount / 1e6).toFixed(2)}M parameters`);
  console.log(`corpus: ${corpus.description}: ${corpus.train.length} training tokens, ${corpus.heldOut.length} held out (${source.heldOutRows().length} windows)`);

  const heldOutLosses: [number, number][] = resumed?.run.heldOutLosses ?? [];
  const command = resumed?.run.command ?? `npm run lab -- ${process.argv.slice(2).join(' ')}`;
  let elapsedMs = resumed?.run.elapsedMs ?? 0;
  if (resumed) {
    trainer.restore(resumed.state);
    console.log(`resumed from step ${trainer.step} of ${settings.steps} (${formatSeconds(elapsedMs / 1000)} of training)`);
  }
  const saveCheckpoint = async (done: boolean) => {
    const run: SavedRun = { settings, corpus: corpusInfo, elapsedMs, heldOutLosses, done, command };
    await writeAtomically(checkpointPath, encodeLmCheckpoint({ state: await trainer.capture(), run: run as unknown as Record<string, unknown> }, checkpointPath));
  };
  await mkdir(flags.out, { recursive: true });

  try {
    if (resumed?.run.done) console.log('the checkpoint is of a finished run: writing the model folder again');
    else if (!(await trainLoop())) return;
    await writeModelFolder();
  } finally {
    trainer.dispose();
  }

  /** Trains to the last step (true), or stops early at flags.stopAfter (false). */
  async function trainLoop(): Promise<boolean> {
    const tokensPerStep = settings.batch * settings.context;
    let bar = new ProgressBar('train-lm', settings.steps, process.stderr, trainer.step);
    let lastCheckpoint = performance.now();
    let started = performance.now();
    let stepsHere = 0;
    let stepsTaken = 0;
    let recent = NaN;
    const evaluate = async () => {
      const loss = await trainer.evaluate();
      heldOutLosses.push([trainer.step, loss]);
      console.log(`step ${trainer.step}: held-out loss ${loss.toFixed(4)} nats/token (perplexity ${Math.exp(loss).toFixed(1)}), training loss ${Number.isNaN(recent) ? '–' : recent.toFixed(4)}`);
    };
    if (trainer.step === 0) await evaluate();
    while (trainer.step < settings.steps) {
      const read = (trainer.step + 1) % READ_EVERY === 0 || trainer.step + 1 === settings.steps;
      const stepStart = performance.now();
      const report = await trainer.trainStep(read);
      elapsedMs += performance.now() - stepStart;
      stepsHere += 1;
      stepsTaken += 1;
      if (report) recent = report.loss;
      if (budgetSteps && trainer.step === TIMED_STEPS) {
        const msPerStep = (performance.now() - started) / stepsHere;
        settings.steps = Math.max(TIMED_STEPS + 1, Math.floor((flags.budgetMinutes! * 60_000) / msPerStep));
        trainer.setTotalSteps(settings.steps);
        console.log(`--budget-minutes ${flags.budgetMinutes}: ${msPerStep.toFixed(0)} ms per step → ${settings.steps} steps`);
        bar = new ProgressBar('train-lm', settings.steps, process.stderr, trainer.step);
        started = performance.now();
        stepsHere = 0;
      }
      if (report || trainer.step === settings.steps) {
        const seconds = (performance.now() - started) / 1000;
        bar.update(trainer.step, `loss ${recent.toFixed(3)}, ${Math.round((stepsHere * tokensPerStep) / Math.max(seconds, 1e-9))} tokens/s`);
      }
      if (trainer.step % settings.evalEvery === 0 || trainer.step === settings.steps) await evaluate();
      if (flags.stopAfter !== undefined && stepsTaken >= flags.stopAfter && trainer.step < settings.steps) {
        await saveCheckpoint(false);
        console.log(`stopped at step ${trainer.step} (checkpoint written)`);
        return false;
      }
      if (flags.ckpt !== undefined && performance.now() - lastCheckpoint >= flags.ckpt * 1000 && trainer.step < settings.steps) {
        await saveCheckpoint(false);
        lastCheckpoint = performance.now();
      }
    }
    console.log(`trained ${settings.steps} steps (${settings.steps * tokensPerStep} tokens) in ${formatSeconds(elapsedMs / 1000)}`);
    if (flags.ckpt !== undefined) await saveCheckpoint(true);
    return true;
  }

  async function writeModelFolder(): Promise<void> {
    const files = await exportHfModel(config, trainer.model.weights, {
      // The name model loaders (the lab's page among them) show for the folder.
      ...(corpus.modelTitle ? { _name_or_path: corpus.modelTitle } : {}),
      trained_on: corpus.description,
      lab_training: { steps: settings.steps, batch: settings.batch, context: settings.context, lr: settings.lr, warmup: settings.warmup, weight_decay: settings.weightDecay, seed: settings.seed, held_out_loss: heldOutLosses.at(-1)?.[1] ?? null },
    });
    await writeAtomically(join(flags.out, 'config.json'), JSON.stringify(files.config, null, 2) + '\n');
    await writeAtomically(join(flags.out, 'model.safetensors'), files.safetensors);
    const written = ['config.json', 'model.safetensors'];
    if (corpus.tokenizerJson !== null) {
      await writeAtomically(join(flags.out, 'tokenizer.json'), JSON.stringify(corpus.tokenizerJson) + '\n');
      written.push('tokenizer.json');
    }
    if (corpus.tokenizerConfig !== null) {
      await writeAtomically(join(flags.out, 'tokenizer_config.json'), JSON.stringify(corpus.tokenizerConfig, null, 2) + '\n');
      written.push('tokenizer_config.json');
    }
    // The card scores the weights as shipped (F16), not the F32 ones they were rounded from.
    const shipped = GptNeox.fromSafetensors(files.safetensors, config);
    let card: string;
    try {
      card = await modelReport({
        model: shipped,
        corpus,
        context: settings.context,
        command,
        architecture: `GPT-NeoX, ${settings.layers} layer${settings.layers === 1 ? '' : 's'}, d_model ${settings.dModel}, ${settings.heads} heads, d_mlp ${4 * settings.dModel}, rotary on 25% of each head, parallel residual, LayerNorm, untied unembedding; context ${settings.context}, vocabulary ${corpus.vocabSize}; ${(parameterCount / 1e6).toFixed(2)}M parameters; weights stored in F16`,
        training: `${settings.steps} steps of ${settings.batch} × ${settings.context} tokens (${((settings.steps * settings.batch * settings.context) / 1e6).toFixed(1)}M tokens, ${(settings.steps * settings.batch * settings.context / corpus.train.length).toFixed(2)} epochs), AdamW lr ${settings.lr} (β 0.9/0.95, weight decay ${settings.weightDecay} on matrices), ${settings.warmup} warm-up steps then cosine decay to 10%, gradients clipped to norm 1, seed ${settings.seed}; ${formatSeconds(elapsedMs / 1000)} of training on tfjs ${flags.backend}`,
      });
    } finally {
      shipped.dispose();
    }
    await writeAtomically(join(flags.out, 'README.md'), card);
    written.push('README.md');
    console.log(`Wrote ${written.join(', ')} to ${flags.out}`);
  }
}

function definedOnly(flags: TrainLmFlags): Partial<LmRunSettings> {
  const out: Partial<LmRunSettings> = {};
  for (const key of Object.keys(TRAIN_LM_DEFAULTS) as (keyof LmRunSettings)[]) if (flags[key] !== undefined) out[key] = flags[key];
  return out;
}
