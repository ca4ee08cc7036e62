import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { mnistPaperConfig, type ConfigOverrides } from '../core/presets';
import { sweepPreset, type SweepEntry } from '../core/sweeps';
import { tensorSource, type BatchSource } from '../core/train/source';
import { validateTrainConfig } from '../core/train/validate';
import { MNIST_PIXELS } from '../core/data/mnist';
import { loadMnistNode } from '../io/mnist-node';
import { initNodeBackend, type NodeBackend } from './nodeBackend';
import { alignmentTable } from './report';
import { runBenchCommand } from './bench';
import { trainSeeds, type TrainedEntry } from './trainSeeds';
import { runExportActivations } from './exportActivations';
import { makeSample } from './makeSample';

const USAGE = `Usage:
  npm run lab -- train --config run.json --out DIR [--backend wasm|cpu|webgpu]
  npm run lab -- sweep --preset mnist-quick|mnist-paper --out DIR [--epochs E] [--seeds S] [--width W] [--backend wasm|cpu|webgpu]

Both take --images N to train on the first N MNIST training images only.
  npm run bench [-- --full] [--only mnist,pythia,assignment]      (--full adds the 16,384-feature assignment)

run.json holds a (partial) training configuration, the same JSON the lab's URL encodes, on top of
the paper's MNIST defaults, plus optional "name" and "seeds" (default [0, 1, 2]).

  npm run lab -- export-activations --model DIR --text FILE... --tokens N --out DIR [--hook blocks.3.hook_resid_post]
      [--context 128] [--dtype f16|f32] [--shard-tokens 65536] [--backend wasm|cpu]
  npm run lab -- make-sample --out public/samples/synthetic

export-activations runs a Hugging Face GPT-NeoX folder (config.json, model.safetensors, tokenizer.json) over
the text files (a .jsonl file: one document per line's "text"; any other file: one document) and writes
activation shards plus manifest.json. make-sample writes the synthetic sample the app ships.`;

const MNIST_HOOK = 'mnist.pixels';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
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
      model: { type: 'string' },
      text: { type: 'string', multiple: true },
      hook: { type: 'string' },
      context: { type: 'string' },
      tokens: { type: 'string' },
      dtype: { type: 'string' },
      'shard-tokens': { type: 'string' },
    },
  });
  if (values.help || !command) return console.log(USAGE);
  if (command === 'bench') return runBenchCommand({ full: values.full, only: values.only });
  if (command === 'export-activations') return runExportActivations(values, (message) => new UsageError(message));
  if (command === 'make-sample') {
    if (!values.out) throw new UsageError('--out DIR is required');
    // Always cpu: plain JavaScript arithmetic gives the same bytes on every machine (the wasm backend's kernels
    // vary with SIMD support), so test/core/shards/sample.test.ts can check the shipped files against a fresh build.
    console.log(`backend: ${await initNodeBackend('cpu')}`);
    const files = await makeSample(values.out);
    return console.log(`Wrote ${[...files.keys()].join(', ')} to ${values.out}`);
  }
  if (command !== 'train' && command !== 'sweep') throw new UsageError(`unknown command '${command}'`);
  if (!values.out) throw new UsageError('--out DIR is required');
  if (!['wasm', 'cpu', 'webgpu'].includes(values.backend!)) throw new UsageError(`--backend must be wasm, cpu or webgpu (got '${values.backend}')`);

  const { entries, seeds } = command === 'train' ? await runFile(values.config) : presetRun(values.preset, values);
  for (const e of entries) validateTrainConfig(e.config);
  console.log(`backend: ${await initNodeBackend(values.backend as NodeBackend)}`);
  console.log(`seeds: ${seeds.join(', ')}`);
  for (const e of entries) console.log(`${e.name}: ${JSON.stringify(e.config)}`);

  const source = await mnistSource(positiveOption(values.images, '--images'));
  const results: TrainedEntry[] = [];
  for (const entry of entries) results.push(await trainSeeds(entry, seeds, source, values.out, MNIST_HOOK));
  source.dispose();
  console.log(`\n${alignmentTable(results)}\nWritten to ${values.out}`);
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

async function runFile(path: string | undefined): Promise<{ entries: SweepEntry[]; seeds: number[] }> {
  if (!path) throw new UsageError('train needs --config run.json');
  let parsed: { name?: string; seeds?: number[] } & ConfigOverrides;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not a readable JSON file (${(e as Error).message})`);
  }
  const { name = 'run', seeds = [0, 1, 2], ...overrides } = parsed;
  const known = new Set(Object.keys(mnistPaperConfig()));
  const unknown = Object.keys(overrides).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`${path}: unknown field(s) ${unknown.join(', ')}; known: name, seeds, ${[...known].join(', ')}`);
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every((s) => Number.isInteger(s) && s >= 0)) throw new Error(`${path}: "seeds" must be a non-empty list of whole numbers`);
  return { entries: [{ name, config: mnistPaperConfig(overrides) }], seeds };
}

function presetRun(name: string | undefined, v: { epochs?: string; seeds?: string; width?: string }) {
  if (!name) throw new UsageError('sweep needs --preset NAME');
  const preset = sweepPreset(name, { epochs: positiveOption(v.epochs, '--epochs'), seeds: positiveOption(v.seeds, '--seeds'), width: positiveOption(v.width, '--width') });
  console.log(`${preset.name}: ${preset.description}`);
  return { entries: preset.entries, seeds: preset.seeds };
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`error: ${(error as Error).message}`);
  if (error instanceof UsageError) console.error(`\n${USAGE}`);
  process.exitCode = 1;
});
