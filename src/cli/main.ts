import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mnistPaperConfig, pythiaPaperConfig, type ConfigOverrides } from '../core/presets';
import { normaliseRows, rowBudget } from '../core/shards';
import { loadShardFolder } from '../io/shards-node';
import { ProgressBar } from './progress';
import { sweepPreset, type SweepEntry } from '../core/sweeps';
import { allPresets, type DataTrack } from '../core/experiment-presets';
import { tensorSource, type BatchSource } from '../core/train/source';
import { validateTrainConfig } from '../core/train/validate';
import { parseTrainConfig } from '../core/train/schema';
import { MNIST_PIXELS } from '../core/data/mnist';
import { loadMnistNode } from '../io/mnist-node';
import { initNodeBackend, type NodeBackend } from './node-backend';
import { alignmentTable } from './report';
import { runBenchCommand } from './bench';
import { trainEntry, type TrainedOn } from './train-entry';
import { readCheckpoint, type TrainedEntry } from './checkpoint-file';
import { runExportActivations } from './export-activations';
import { makeSample } from './make-sample';
import { runAlignArgs } from './align';

const presetIds = (data: DataTrack) => allPresets().filter((p) => p.data === data).map((p) => p.id).join(', ');

const USAGE = `Usage:
  npm run lab -- train --config run.json --out DIR [--backend wasm|cpu|webgpu] [--shards DIR] [--ckpt SECONDS]
  npm run lab -- sweep --preset NAME --out DIR [--epochs E] [--seeds S] [--width W] [--backend wasm|cpu|webgpu] [--shards DIR] [--ckpt SECONDS]
  npm run lab -- --resume DIR [--ckpt SECONDS]

train and sweep take --ckpt SECONDS to write each configuration's state to DIR/<name>/checkpoint.safetensors
every SECONDS of training (and DIR/runner.json, the run's plan); --resume DIR continues every configuration of
such a run from its checkpoint (a finished one is left as is) and ends with the weights an uninterrupted run has.

Sweep presets (the page's presets, plus the runner-only mnist-paper grid): ${presetIds('mnist')} (MNIST);
${presetIds('lm')} (the language-model track: need --shards DIR). The former names
(teaching-demo, paper-constrained, paper-unconstrained, synthetic-sample, pythia-laptop, pythia-paper) still work.
Both take --images N to train on the first N MNIST training images only, or --shards DIR to train on the
activation shards in DIR (manifest.json + shards, or .npy files), keeping at most --max-mb MB (default 1024)
of them in memory (a uniform sample when they hold more).
  npm run bench [-- --full] [--browser [--build DIR] [--backends webgpu,webgl,wasm,cpu]]
      [--only mnist,pythia,assignment,shards,browser,longtasks]
      (--full adds the 16,384-feature assignment; --browser adds the browser parts, which build the app, or
      serve the build in DIR, and run it in headless Chromium: the step on each backend and the main thread's long tasks)

run.json holds a (partial) training configuration, the same JSON the lab's URL encodes, on top of
the paper's MNIST defaults (the paper's Pythia defaults with --shards), plus optional "name" and "seeds" (default [0, 1, 2]).

  npm run lab -- export-activations --model DIR --text FILE... --tokens N --out DIR [--hook blocks.3.hook_resid_post]
      [--context 128] [--dtype f16|f32] [--shard-tokens 65536] [--backend wasm|cpu]
  npm run lab -- make-sample --out public/samples/synthetic
  npm run lab -- align DIR... [--json FILE]

export-activations runs a Hugging Face GPT-NeoX folder (config.json, model.safetensors, tokenizer.json) over
the text files (a .jsonl file: one document per line's "text"; any other file: one document) and writes
activation shards plus manifest.json. make-sample writes the synthetic sample the app ships. align reads SAE
folders in any supported layout (dictionary_learning's trainer_<n>/ with ae.pt + config.json, SAELens,
sparsify, the runner's --out), groups them into configurations (equal but for the seed) and prints the
cross-seed alignment of each configuration and seed pair; --json FILE writes it too.`;

const MNIST_HOOK = 'mnist.pixels';

async function main(argv: string[]): Promise<void> {
  // `npm run lab -- --resume DIR` needs no command.
  const command = argv[0]?.startsWith('-') ? undefined : argv[0];
  const rest = command === undefined ? argv : argv.slice(1);
  if (command === 'align') return void (await runAlignArgs(rest));
  const { values } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string' },
      preset: { type: 'string' },
      out: { type: 'string' },
      epochs: { type: 'string' },
      seeds: { type: 'string' },
      width: { type: 'string' },
      images: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      help: { type: 'boolean', short: 'h' },
      full: { type: 'boolean' },
      only: { type: 'string' },
      browser: { type: 'boolean' },
      build: { type: 'string' },
      backends: { type: 'string' },
      model: { type: 'string' },
      text: { type: 'string', multiple: true },
      hook: { type: 'string' },
      context: { type: 'string' },
      tokens: { type: 'string' },
      dtype: { type: 'string' },
      'shard-tokens': { type: 'string' },
      shards: { type: 'string' },
      'max-mb': { type: 'string' },
      ckpt: { type: 'string' },
      resume: { type: 'string' },
    },
  });
  if (values.help || (!command && !values.resume)) return console.log(USAGE);
  if (command === 'bench') return runBenchCommand({ full: values.full, only: values.only, browser: values.browser, build: values.build, backends: values.backends });
  if (command === 'export-activations') return runExportActivations(values, (message) => new UsageError(message));
  if (command === 'make-sample') {
    if (!values.out) throw new UsageError('--out DIR is required');
    // Always cpu: plain JavaScript arithmetic gives the same bytes on every machine (the wasm backend's kernels
    // vary with SIMD support), so test/core/shards/sample.test.ts can check the shipped files against a fresh build.
    console.log(`backend: ${await initNodeBackend('cpu')}`);
    const files = await makeSample(values.out);
    return console.log(`Wrote ${[...files.keys()].join(', ')} to ${values.out}`);
  }
  if (values.resume) return resumeRun(values.resume, values.ckpt);
  if (command !== 'train' && command !== 'sweep') throw new UsageError(`unknown command '${command}'`);
  if (!values.out) throw new UsageError('--out DIR is required');
  if (!['wasm', 'cpu', 'webgpu'].includes(values.backend!)) throw new UsageError(`--backend must be wasm, cpu or webgpu (got '${values.backend}')`);

  if (values.shards && values.images) throw new UsageError('--images is for MNIST; with --shards the shards are the data');
  const dataset: DataTrack = values.shards ? 'lm' : 'mnist';
  const run = command === 'train' ? await runFile(values.config, dataset) : presetRun(values.preset, values);
  if (run.dataset !== dataset) throw new UsageError(run.dataset === 'lm' ? `preset ${values.preset} trains on activation shards: give --shards DIR` : `preset ${values.preset} trains on MNIST; leave out --shards`);
  const plan: RunPlan = {
    version: 1,
    backend: values.backend as NodeBackend,
    data: { images: positiveOption(values.images, '--images'), shards: values.shards, maxMb: positiveOption(values['max-mb'], '--max-mb') },
    entries: run.entries,
    seeds: run.seeds,
    ckpt: checkpointSeconds(values.ckpt),
  };
  await trainPlan(plan, values.out, false);
}

/** Everything a run needs to be resumed: kept as `DIR/runner.json` by runs with --ckpt. */
interface RunPlan {
  version: 1;
  backend: NodeBackend;
  data: { images?: number; shards?: string; maxMb?: number };
  entries: SweepEntry[];
  seeds: number[];
  ckpt?: number;
}

const PLAN_FILE = 'runner.json';

async function resumeRun(out: string, ckpt: string | undefined): Promise<void> {
  let plan: RunPlan;
  try {
    plan = JSON.parse(await readFile(join(out, PLAN_FILE), 'utf8'));
  } catch (e) {
    throw new Error(`${join(out, PLAN_FILE)}: cannot resume (${(e as Error).message}); only runs started with --ckpt can be resumed`);
  }
  if (plan.version !== 1) throw new Error(`${join(out, PLAN_FILE)}: version ${plan.version}, this runner resumes version 1`);
  await trainPlan({ ...plan, ckpt: checkpointSeconds(ckpt) ?? plan.ckpt }, out, true);
}

async function trainPlan(plan: RunPlan, out: string, resuming: boolean): Promise<void> {
  console.log(`backend: ${await initNodeBackend(plan.backend)}`);
  const { source, on } = plan.data.shards ? await shardSource(plan.data.shards, plan.data.maxMb ?? 1024) : { source: await mnistSource(plan.data.images), on: { hookName: MNIST_HOOK } };
  // The data's width is the SAE's input width.
  const entries = plan.entries.map((e) => ({ ...e, config: { ...e.config, d_in: source.d_in } }));
  for (const e of entries) validateTrainConfig(e.config, source);
  console.log(`seeds: ${plan.seeds.join(', ')}`);
  for (const e of entries) console.log(`${e.name}: ${JSON.stringify(e.config)}`);
  if (plan.ckpt !== undefined && !resuming) {
    await mkdir(out, { recursive: true });
    await writeFile(join(out, PLAN_FILE), JSON.stringify(plan, null, 2) + '\n');
  }

  const results: TrainedEntry[] = [];
  for (const entry of entries) {
    const saved = resuming ? await readCheckpoint(join(out, entry.name)) : null;
    if (saved?.status === 'done') {
      console.log(`${entry.name}: finished before, left as is`);
      results.push(saved.result);
      continue;
    }
    if (saved) console.log(`${entry.name}: resumed from step ${saved.checkpoint.step} (checkpoint of ${(saved.elapsedMs / 1000).toFixed(1)} s of training)`);
    else if (resuming) console.log(`${entry.name}: no checkpoint, training from step 0`);
    results.push(await trainEntry(entry, plan.seeds, source, out, on, { checkpointEverySeconds: plan.ckpt, ...(saved ? { resume: saved } : {}) }));
  }
  source.dispose();
  console.log(`\n${alignmentTable(results)}\nWritten to ${out}`);
}

function checkpointSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--ckpt must be a positive number of seconds (got '${value}')`);
  return n;
}

/** Activation shards streamed from `folder` into at most `maxMb` MB, normalised as the paper does. */
async function shardSource(folder: string, maxMb: number): Promise<{ source: BatchSource; on: TrainedOn }> {
  const maxBytes = maxMb * 2 ** 20;
  const bar = new ProgressBar(`shards ${folder}`, 1);
  const loaded = await loadShardFolder(folder, {
    maxBytes,
    onProgress: (p) => bar.update((p.fileIndex + (p.bytesTotal ? p.bytesDone / p.bytesTotal : 0)) / p.files, `${p.file} · ${p.rowsSeen} rows read, ${p.rowsKept} kept`),
  });
  const scale = normaliseRows(loaded.rows, loaded.d_model);
  console.log(
    `data: ${loaded.count} of ${loaded.totalTokens} activation rows of ${loaded.model ?? folder} at ${loaded.hook ?? 'an unnamed hook'}, d_model ${loaded.d_model}` +
      `${loaded.sampled ? ` (a uniform sample: at most ${rowBudget(loaded.d_model, maxBytes)} rows fit in ${maxMb} MB)` : ''}; scaled × ${scale.toPrecision(4)} to mean squared norm d_model`,
  );
  return { source: tensorSource(loaded.rows, loaded.d_model), on: { hookName: loaded.hook ?? 'unknown', ...(loaded.model ? { modelName: loaded.model } : {}), inputScale: scale } };
}

/** The MNIST training images, or only the first `limit` of them (quick trials, tests). */
async function mnistSource(limit?: number): Promise<BatchSource> {
  const { train } = await loadMnistNode();
  const rows = Math.min(train.count, limit ?? Infinity);
  if (rows < train.count) console.log(`data: the first ${rows} of ${train.count} MNIST training images`);
  return tensorSource(train.images.subarray(0, rows * MNIST_PIXELS), MNIST_PIXELS);
}

function positiveOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive whole number (got '${value}')`);
  return n;
}

async function runFile(path: string | undefined, dataset: DataTrack): Promise<{ entries: SweepEntry[]; seeds: number[]; dataset: DataTrack }> {
  if (!path) throw new UsageError('train needs --config run.json');
  let parsed: { name?: string; seeds?: number[] } & ConfigOverrides;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not a readable JSON file (${(e as Error).message})`);
  }
  const { name = 'run', seeds = [0, 1, 2], ...overrides } = parsed;
  if (typeof name !== 'string') throw new Error(`${path}: "name" must be a string`);
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every((s) => Number.isInteger(s) && s >= 0)) throw new Error(`${path}: "seeds" must be a non-empty list of whole numbers`);
  // The overrides are merged into the defaults and the whole parsed with the schema, which refuses a misspelt
  // key at any depth (it would otherwise be ignored silently and the run would train with the default).
  const defaults = dataset === 'lm' ? pythiaPaperConfig : mnistPaperConfig;
  const config = parseTrainConfig(defaults(overrides), path);
  return { entries: [{ name, config }], seeds, dataset };
}

function presetRun(name: string | undefined, v: { epochs?: string; seeds?: string; width?: string }) {
  if (!name) throw new UsageError('sweep needs --preset NAME');
  const preset = sweepPreset(name, { epochs: positiveOption(v.epochs, '--epochs'), seeds: positiveOption(v.seeds, '--seeds'), width: positiveOption(v.width, '--width') });
  console.log(`${preset.id}: ${preset.title}. ${preset.note}`);
  return { entries: preset.entries, seeds: preset.seeds, dataset: preset.data };
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`error: ${(error as Error).message}`);
  if (error instanceof UsageError) console.error(`\n${USAGE}`);
  process.exitCode = 1;
});
