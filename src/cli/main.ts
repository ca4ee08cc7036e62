/**
 * The headless runner's command line (`npm run lab -- <command>`), on commander: each command's flags,
 * their checks and its --help live here; the work is in the modules each command calls.
 */
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { allPresets, findPreset, PRESET_ALIASES, PRESET_IDS, type DataTrack, type PresetId } from '../core/experiment-presets';
import { runAlign } from './align';
import { runBenchCommand, type BenchOptions } from './bench';
import { runExportActivations } from './export-activations';
import { cosineWorker, CosineThreads, isCosineThread } from './cosine-threads';
import { isJobThread, jobWorker } from './jobs';
import { buildGlossSample } from './make-gloss-sample';
import { buildSyntheticSample, writeSample } from './make-sample';
import { initNodeBackend, type NodeBackend } from './node-backend';
import { presetRun, runFile, UsageError, type PlannedRun } from './run-plan';
import { TASK_COUNT_ENV, taskSlot } from './tasks';
import { GLOSS_SAMPLE_DIR, runSteerEval, STEER_EVAL_DEFAULTS } from './steer-eval';
import { runTrainLm, TRAIN_LM_DEFAULTS, type TrainLmFlags } from './train-lm';
import { resumeRun, trainPlan } from './train-plan';

const BACKENDS: NodeBackend[] = ['wasm', 'cpu', 'webgpu'];

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number.');
  return n;
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('must be a positive number of seconds.');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('must be a positive number.');
  return n;
}

interface TrainingFlags {
  out: string;
  backend: NodeBackend;
  images?: number;
  shards?: string;
  maxMb?: number;
  ckpt?: number;
  task?: string;
  taskCount?: number;
  jobs?: number;
}

/** The flags train and sweep share: output, backend, data, checkpoints and the split into tasks and jobs. */
function trainingCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .requiredOption('--out <dir>', 'the folder the SAEs go to: DIR/<configuration>/seed-<s>/ (SAELens layout)')
    .addOption(new Option('--backend <name>', 'the tfjs backend').choices(BACKENDS).default('wasm'))
    .option('--images <n>', 'train on the first N MNIST training images only', positiveInteger)
    .option('--shards <dir>', 'train on the activation shards in DIR (manifest.json + shards, or .npy files)')
    .option('--max-mb <mb>', 'keep at most MB of the shards in memory (a uniform sample when they hold more)', positiveInteger)
    .option('--ckpt <seconds>', "write each configuration's state to DIR/<name>/checkpoint.safetensors every SECONDS of training", positiveSeconds)
    .option('--task <i/n>', "train only task i of n (0-based) of the run's (configuration, seed) pairs; default: SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
    .option('--task-count <n>', `the number of tasks of a Kubernetes Indexed Job (or ${TASK_COUNT_ENV})`, positiveInteger)
    .option('--jobs <n>', `worker threads training in parallel (default: the cores, ${availableParallelism()} here; 1 with --ckpt or webgpu)`, positiveInteger);
}

async function train(run: PlannedRun, flags: TrainingFlags): Promise<void> {
  if (flags.shards && flags.images) throw new UsageError('--images is for MNIST; with --shards the shards are the data');
  const task = taskSlot(flags.task, flags.taskCount);
  // One GPU is one device: webgpu jobs would queue on it; a checkpoint needs its configuration in one thread.
  const jobs = flags.jobs ?? (flags.ckpt !== undefined || flags.backend === 'webgpu' ? 1 : availableParallelism());
  const plan = { version: 1 as const, backend: flags.backend, data: { images: flags.images, shards: flags.shards, maxMb: flags.maxMb }, entries: run.entries, seeds: run.seeds, ckpt: flags.ckpt };
  await trainPlan(plan, flags.out, { task, jobs });
}

const dataOf = (flags: TrainingFlags): DataTrack => (flags.shards ? 'lm' : 'mnist');

/** The shards a preset made for a shipped sample trains on when --shards is not given (paths from the repository root, where npm runs). */
const SAMPLE_SHARDS: Partial<Record<PresetId, string>> = { 'lm-gloss': GLOSS_SAMPLE_DIR, 'lm-sample': 'public/samples/synthetic' };
const presetIds = (data: DataTrack) => allPresets().filter((p) => p.data === data).map((p) => p.id).join(', ');

function buildProgram(): Command {
  const program = new Command('npm run lab --').description('SAE Stability Lab headless runner: trains SAEs across seeds and aligns them.').showHelpAfterError();

  trainingCommand(program, 'train', 'train one configuration (a run file) once per seed')
    .requiredOption('--config <file>', 'run.json: a (partial) training configuration, the JSON the lab\'s URL encodes, plus optional "name" and "seeds" (default [0, 1, 2])')
    .action(async (flags: TrainingFlags & { config: string }) => train(await runFile(flags.config, dataOf(flags)), flags));

  trainingCommand(program, 'sweep', "train a preset's configurations once per seed")
    .addOption(new Option('--preset <name>', 'the sweep preset').choices([...PRESET_IDS, ...Object.keys(PRESET_ALIASES)]).makeOptionMandatory())
    .option('--epochs <e>', 'epochs per configuration', positiveInteger)
    .option('--seeds <s>', 'seeds 0…S-1', positiveInteger)
    .option('--width <w>', 'the SAE width d_sae', positiveInteger)
    .addHelpText('after', `\nPresets: ${presetIds('mnist')} (MNIST); ${presetIds('lm')} (activation shards: give --shards DIR; lm-gloss and lm-sample default to their shipped sample's). Also accepted: ${Object.keys(PRESET_ALIASES).join(', ')}.`)
    .action(async (flags: TrainingFlags & { preset: string; epochs?: number; seeds?: number; width?: number }) => {
      const run = presetRun(flags.preset, { epochs: flags.epochs, seeds: flags.seeds, width: flags.width });
      const sampleShards = SAMPLE_SHARDS[findPreset(flags.preset)!.id];
      if (!flags.shards && !flags.images && sampleShards) flags.shards = sampleShards;
      if (run.dataset !== dataOf(flags)) throw new UsageError(run.dataset === 'lm' ? `preset ${flags.preset} trains on activation shards: give --shards DIR` : `preset ${flags.preset} trains on MNIST; leave out --shards`);
      await train(run, flags);
    });

  program
    .command('resume')
    .description('continue a run started with --ckpt from its checkpoints (also: npm run lab -- --resume DIR)')
    .argument('<dir>', "the run's --out folder (holds runner.json)")
    .option('--ckpt <seconds>', 'checkpoint every SECONDS from now on (default: as the run did)', positiveSeconds)
    .action((dir: string, flags: { ckpt?: number }) => resumeRun(dir, flags.ckpt));

  program
    .command('bench')
    .description('time training steps, the assignment and shard loading (npm run bench)')
    .option('--full', 'add the 16,384-feature assignment')
    .option('--only <parts>', 'comma-separated: mnist, pythia, assignment, shards, sweep, gpu, browser, longtasks, import')
    .option('--gpu', 'add the GPU part: the step on webgpu at the paper shapes, as a share of a large product')
    .option('--sweep-preset <name>', 'the MNIST preset the sweep part trains', 'mnist-quick')
    .option('--sweep-epochs <e>', 'shorten the sweep part to E epochs per configuration', positiveInteger)
    .option('--browser', 'add the browser parts (builds the app, runs it in headless Chromium)')
    .option('--build <dir>', 'serve this built app for the browser parts instead of building one')
    .option('--backends <list>', 'backends of the browser step bench, e.g. webgpu,webgl,wasm,cpu')
    .action((flags: BenchOptions) => runBenchCommand(flags));

  program
    .command('export-activations')
    .description("run a Hugging Face GPT-NeoX folder over text files and write activation shards plus manifest.json")
    .requiredOption('--model <dir>', 'config.json, model.safetensors, tokenizer.json')
    .requiredOption('--text <file...>', 'a .jsonl file (one document per line\'s "text", with an optional "label" its rows keep) or any other file (one document)')
    .requiredOption('--tokens <n>', 'tokens to export')
    .requiredOption('--out <dir>', 'the shard folder')
    .option('--hook <name>', 'the hook point', 'blocks.3.hook_resid_post')
    .option('--context <n>', 'tokens per context', '128')
    .addOption(new Option('--dtype <type>', 'the shards\' number format').choices(['f16', 'f32']).default('f16'))
    .option('--shard-tokens <n>', 'tokens per shard file', '65536')
    .addOption(new Option('--backend <name>', 'the tfjs backend').choices(['wasm', 'cpu']).default('wasm'))
    .action((f: { model: string; text: string[]; tokens: string; out: string; hook: string; context: string; dtype: string; shardTokens: string; backend: string }) =>
      runExportActivations({ ...f, 'shard-tokens': f.shardTokens }, (message) => new UsageError(message)),
    );

  const steer = STEER_EVAL_DEFAULTS;
  program
    .command('steer-eval')
    .description("the paper's steering experiment judged by WordNet: steering success per configuration of SAEs on the gloss model, with intervals, an α sweep and B against A")
    .requiredOption('--saes <dir...>', "folders holding the SAEs (any layout align reads; the runner's --out of a gloss sweep, say)")
    .option('--model <dir>', 'the GPT-NeoX model folder (default: the gloss sample\'s)')
    .option('--shards <dir>', 'labelled activation shards at the SAEs\' hook (default: the gloss sample\'s)')
    .option('--alpha <multiples>', `steering strengths as multiples of the mean residual norm at the hook, comma-separated (default ${steer.alphas.join(',')})`, (value: string) =>
      value.split(',').map((part) => {
        const n = Number(part);
        if (part.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${part}" is not a number ≥ 0.`);
        return n;
      }),
    )
    .option('--features <n>', `features of clear concept steered per SAE (default ${steer.features})`, positiveInteger)
    .option('--lemma-prompts <n>', `"<lemma>:" prompts of held-out words after the three neutral ones (default ${steer.lemmaPrompts})`, (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0.');
      return n;
    })
    .option('--seed <s>', `seed of the feature draw and of sampling (default ${steer.seed})`, (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0.');
      return n;
    })
    .option('--judge <file>', "the concept judge (default: the sample's concept-judge.safetensors with the sample's model; with --model, one trained on the glosses with its tokenizer)")
    .option('--json <file>', 'also write the report as JSON')
    .addOption(new Option('--backend <name>', 'the tfjs backend').choices(['wasm', 'cpu']).default('wasm'))
    .action(async (f: { saes: string[]; model?: string; shards?: string; judge?: string; alpha?: number[]; features?: number; lemmaPrompts?: number; seed?: number; json?: string; backend: NodeBackend }) => {
      console.log(`backend: ${await initNodeBackend(f.backend)}`);
      await runSteerEval({ saes: f.saes, model: f.model, shards: f.shards, judge: f.judge, alphas: f.alpha, features: f.features, lemmaPrompts: f.lemmaPrompts, seed: f.seed, json: f.json });
    });

  const lm = TRAIN_LM_DEFAULTS;
  program
    .command('train-lm')
    .description('train the lab\'s GPT-NeoX as a language model and write a Hugging Face model folder (config.json, model.safetensors in F16)')
    .requiredOption('--out <dir>', 'the model folder (also holds lm-checkpoint.safetensors with --ckpt)')
    .option('--tokens <file>', 'train on raw little-endian int32 token ids (documents separated by the end-of-text id; the last 5% held out) instead of WordNet\'s glosses')
    .option('--vocab <n>', 'vocabulary size: of the BPE tokenizer learned from the glosses (default 4096), or of --tokens (default: the largest id + 1)', positiveInteger)
    .option('--eos <id>', 'the end-of-text id, for config.json', (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a token id.');
      return n;
    })
    .option('--layers <n>', `transformer blocks (default ${lm.layers})`, positiveInteger)
    .option('--d-model <n>', `the residual width (default ${lm.dModel}); d_mlp is 4×`, positiveInteger)
    .option('--heads <n>', `attention heads (default ${lm.heads})`, positiveInteger)
    .option('--context <n>', `tokens per training window, = max_position_embeddings (default ${lm.context})`, positiveInteger)
    .option('--batch <n>', `windows per step (default ${lm.batch})`, positiveInteger)
    .option('--steps <n>', `training steps (default ${lm.steps})`, positiveInteger)
    .option('--budget-minutes <m>', 'instead of --steps: time the first steps and train as many as fit in M minutes', positiveNumber)
    .option('--lr <rate>', `peak learning rate (default ${lm.lr}); linear warm-up, then cosine decay to 10%`, positiveNumber)
    .option('--warmup <n>', `warm-up steps (default ${lm.warmup})`, positiveInteger)
    .option('--weight-decay <w>', `AdamW weight decay on the matrices (default ${lm.weightDecay})`, (value: string) => {
      const n = Number(value);
      if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError('must be a number ≥ 0.');
      return n;
    })
    .option('--seed <s>', `seeds the initial weights and the batches (default ${lm.seed})`, (value: string) => {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0.');
      return n;
    })
    .option('--eval-every <n>', `held-out loss every N steps (default ${lm.evalEvery})`, positiveInteger)
    .option('--eval-windows <n>', `held-out windows (default ${lm.evalWindows})`, positiveInteger)
    .option('--ckpt <seconds>', 'write the training state to DIR/lm-checkpoint.safetensors every SECONDS', positiveSeconds)
    .option('--resume', "continue from DIR's checkpoint with its settings (the result equals an uninterrupted run's)")
    .addOption(new Option('--backend <name>', 'the tfjs backend').choices(BACKENDS).default('wasm'))
    .action((flags: TrainLmFlags) => runTrainLm(flags));

  program
    .command('make-sample')
    .description('write a sample the app ships: the synthetic one, or with --gloss-model the WordNet gloss model and its labelled shards')
    .requiredOption('--out <dir>', 'e.g. public/samples/synthetic')
    .option('--gloss-model <dir>', 'a model folder written by train-lm on the glosses (config.json, model.safetensors, tokenizer files, README.md)')
    .action(async ({ out, glossModel }: { out: string; glossModel?: string }) => {
      // Always cpu: plain JavaScript arithmetic gives the same bytes on every machine (the wasm backend's kernels
      // vary with SIMD support), so test/core/shards/sample.test.ts can check the shipped files against a fresh build.
      console.log(`backend: ${await initNodeBackend('cpu')}`);
      const files = glossModel ? await buildGlossSample(glossModel) : await buildSyntheticSample();
      await writeSample(out, files);
      console.log(`Wrote ${[...files.keys()].join(', ')} to ${out}`);
    });

  program
    .command('align')
    .description('align SAE folders across seeds: any supported layout (dictionary_learning, SAELens, sparsify, the runner\'s --out or its tasks\' shared folder), grouped into configurations (equal but for the seed)')
    .argument('<dir...>', 'folders holding SAEs (searched below)')
    .option('--json <file>', 'also write the report as JSON')
    .option('--threads <n>', `threads computing the |cos| products (default: the cores, ${availableParallelism()} here)`, positiveInteger)
    .action(async (dirs: string[], { json, threads }: { json?: string; threads?: number }) => {
      // The |cos| products run on the runner's wasm backend, in this thread or in a pool of them.
      await initNodeBackend('wasm');
      const count = threads ?? availableParallelism();
      const pool = count > 1 ? await CosineThreads.start(count) : null;
      console.log(`|cos| products on ${count} thread${count === 1 ? '' : 's'}.`);
      try {
        await runAlign(dirs, { json, cosine: pool ?? undefined });
      } finally {
        await pool?.close();
      }
    });
  return program;
}

/** `npm run lab -- --resume DIR` is the resume command, as before there were commands for it. */
function withResumeCommand(argv: string[]): string[] {
  if (argv[0] === '--resume') return ['resume', ...argv.slice(1)];
  if (argv[0]?.startsWith('--resume=')) return ['resume', argv[0].slice('--resume='.length), ...argv.slice(1)];
  return argv;
}

if (isCosineThread) {
  void cosineWorker();
} else if (isJobThread) {
  void jobWorker();
} else {
  // A usage mistake found while a command runs is followed by that command's help, as commander's own are.
  let running: Command | undefined;
  const program = buildProgram().hook('preAction', (_, command) => void (running = command));
  program.parseAsync(withResumeCommand(process.argv.slice(2)), { from: 'user' }).catch((error: unknown) => {
    console.error(`error: ${(error as Error).message}`);
    if (error instanceof UsageError) running?.outputHelp({ error: true });
    process.exitCode = 1;
  });
}
