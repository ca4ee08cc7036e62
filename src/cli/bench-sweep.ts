/**
 * Sweep throughput for `npm run bench -- --only sweep`: SAEs per hour of a whole preset sweep (training,
 * then each configuration's seeds aligned), the runner with `--jobs 1` and with every core, against NumPy
 * training the same sweep (scripts/bench-numpy-sweep.py) in the same run. Each side's time is the wall
 * time of its whole command, data loading included, as a user would see it.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MNIST_PIXELS } from '../core/data/mnist';
import { sweepPreset, type SweepEntry } from '../core/sweeps';
import { loadMnistNode } from '../io/mnist-node';

/**
 * Set on these machines for old OpenBLAS builds; they slow a current NumPy by 10–20%, which would
 * flatter the lab's ratio. Unset for the NumPy command alone.
 */
const OPENBLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

export interface SweepBenchOptions {
  preset?: string;
  /** Shorter sweeps for a quick look; the recorded figures use the preset's own length. */
  epochs?: number;
}

interface NumpySweep {
  seconds: number;
  saes: number;
  alignment: Record<string, number[]>;
  numpy: string;
}

/** The NumPy script's description of one configuration: the settings its step uses, from the lab's own config. */
function numpyEntry(entry: SweepEntry, rows: number): object {
  const c = entry.config;
  if (c.activation.kind !== 'relu' || !c.init.tied || !c.init.unitNormDecoder) throw new Error(`the NumPy sweep trains constrained ReLU SAEs; ${entry.name} is not one`);
  const steps = c.length.unit === 'steps' ? c.length.value : c.length.value * Math.floor(rows / c.batchSize);
  const { lr, beta1, beta2, eps } = c.optim;
  return { name: entry.name, d_sae: c.d_sae, batch: c.batchSize, steps, l1: c.activation.l1Coeff, lr, beta1, beta2, eps, penalty: c.penalty };
}

async function runNumpy(input: object): Promise<NumpySweep> {
  const env = { ...process.env };
  for (const name of OPENBLAS_OVERRIDES) delete env[name];
  return new Promise((resolve, reject) => {
    const child = execFile('python3', ['scripts/bench-numpy-sweep.py'], { env, maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error) reject(new Error(`NumPy sweep failed: ${error.message.split('\n')[0]}`));
      else resolve(JSON.parse(stdout) as NumpySweep);
    });
    child.stdin!.end(JSON.stringify(input));
  });
}

/** The runner's own sweep command in a fresh process (this bundle), timed from spawn to exit. */
async function runRunner(preset: string, epochs: number | undefined, jobs: number): Promise<number> {
  const out = await mkdtemp(join(tmpdir(), 'sae-lab-bench-sweep-'));
  const args = [fileURLToPath(import.meta.url), 'sweep', '--preset', preset, '--out', out, '--jobs', String(jobs), ...(epochs ? ['--epochs', String(epochs)] : [])];
  const t0 = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      // Its progress bars are dropped; the end of stderr is kept for a failure's message.
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the runner's sweep (--jobs ${jobs}) exited with code ${code}: ${stderr.trim().split('\n').pop()}`))));
    });
    return (performance.now() - t0) / 1000;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

export async function benchSweep({ preset = 'mnist-quick', epochs }: SweepBenchOptions = {}): Promise<void> {
  const sweep = sweepPreset(preset, { epochs });
  if (sweep.data !== 'mnist') throw new Error(`the sweep bench trains MNIST presets; ${preset} is for activation shards`);
  const saes = sweep.entries.length * sweep.seeds.length;
  const cores = availableParallelism();
  console.log(`\nSweep throughput: ${preset}${epochs ? ` at ${epochs} epoch${epochs === 1 ? '' : 's'}` : ''}, ${sweep.entries.length} configurations × ${sweep.seeds.length} seeds = ${saes} SAEs, then each configuration's seed pairs aligned`);

  const { train } = await loadMnistNode();
  const folder = await mkdtemp(join(tmpdir(), 'sae-lab-bench-sweep-data-'));
  const rows = train.count;
  const data = join(folder, 'rows.f32');
  await writeFile(data, train.images.subarray(0, rows * MNIST_PIXELS));
  const lines: { who: string; seconds: number }[] = [];
  let numpy: NumpySweep | null = null;
  try {
    numpy = await runNumpy({ data, rows, d_in: MNIST_PIXELS, seeds: sweep.seeds, entries: sweep.entries.map((e) => numpyEntry(e, rows)) });
    lines.push({ who: `NumPy ${numpy.numpy} (its BLAS threads; ${OPENBLAS_OVERRIDES.join(', ')} unset)`, seconds: numpy.seconds });
  } catch (error) {
    console.log(`NumPy reference skipped: ${(error as Error).message}`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  for (const jobs of [...new Set([1, cores])]) lines.push({ who: `runner, --jobs ${jobs} (wasm)`, seconds: await runRunner(preset, epochs, jobs) });

  const width = Math.max(...lines.map((l) => l.who.length));
  console.log(`${'who'.padEnd(width)}  wall s  SAEs/hour  vs NumPy`);
  for (const { who, seconds } of lines) {
    const ratio = numpy ? `${(seconds / numpy.seconds).toFixed(2)}×` : '–';
    console.log(`${who.padEnd(width)}  ${seconds.toFixed(1).padStart(6)}  ${((saes / seconds) * 3600).toFixed(0).padStart(9)}  ${ratio.padStart(8)}`);
  }
  if (numpy) {
    const summary = Object.entries(numpy.alignment).map(([name, values]) => `${name} ${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}`);
    console.log(`NumPy's mean matched |cos| of the decoders across seed pairs (a check that it trained comparable SAEs): ${summary.join('; ')}`);
  }
}
