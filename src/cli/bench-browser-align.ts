/**
 * The browser part `import`: the paper's scale in the page. Three seeds × two configurations of
 * 16,384-latent SAEs (SAELens folders in one sweep folder, their cfg.json differing in l2_penalty)
 * are picked in the lab's import panel, read, and aligned in the configurations' workers; then the
 * heatmap of the first pair is drawn. The bench times each stage as the page shows it and samples the
 * renderer's memory (the page and its workers share that process) from /proc.
 *
 * d_in is the Pythia paper's 512: the page imports SAEs for the data it has loaded, so the bench
 * serves a small shard folder of that width (random rows; only its width and hook matter here) beside
 * the app and opens the language-model track on it.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createHash } from 'node:crypto';
import { writeSaeLens } from '../core/formats/saelens';
import { buildManifest, MANIFEST_FILE } from '../core/shards/manifest';
import { encodeShard, shardFileName } from '../core/shards/writer';
import { Rng } from '../core/rng';
import type { SaeWeights } from '../core/sae/weights';
import { openLab } from './browser/lab-page';

const D_IN = 512;
const HOOK = 'blocks.3.hook_resid_post';
/** Rows of the served shard: enough for the page to start, nothing the import reads. */
const SHARD_ROWS = 2048;
/** The two configurations' penalties. */
const L2 = [0, 1e-4];

/** What is imported: `configurations` (1 or 2) of L2's, `seeds` SAEs each. */
interface ImportScenario {
  configurations: number;
  seeds: number;
}

/**
 * One pair alone (one configuration of two seeds: the memory of aligning one pair, above the page's),
 * then the paper's three seeds × two configurations, aligned side by side in their two workers.
 */
const SCENARIOS: readonly ImportScenario[] = [
  { configurations: 1, seeds: 2 },
  { configurations: 2, seeds: 3 },
];

/**
 * One configuration's seeds: each shares half of its features with a base set (up to noise that
 * varies per feature, as in the assignment bench), the rest its own. Encoder vectors are the
 * decoder's plus noise.
 */
function configurationSeeds(n: number, configuration: number, seeds: number): SaeWeights[] {
  const rng = new Rng(7000 + configuration);
  const base = rng.fillNormal(new Float32Array(n * D_IN));
  return Array.from({ length: seeds }, () => {
    const W_dec = rng.fillNormal(new Float32Array(n * D_IN));
    for (let f = 0; f < n / 2; f++) {
      const sigma = rng.uniform(0.2, 2);
      for (let t = f * D_IN; t < (f + 1) * D_IN; t++) W_dec[t] = base[t] + sigma * rng.normal();
    }
    const W_enc = new Float32Array(D_IN * n);
    for (let j = 0; j < n; j++) for (let t = 0; t < D_IN; t++) W_enc[t * n + j] = W_dec[j * D_IN + t] + 0.7 * rng.normal();
    return { d_in: D_IN, d_sae: n, W_enc, b_enc: new Float32Array(n), W_dec, b_dec: new Float32Array(D_IN) };
  });
}

/** The sweep folder: trainer_<t>/ with cfg.json (seed, l2_penalty) and sae_weights.safetensors. */
async function writeSweep(dir: string, n: number, { configurations, seeds }: ImportScenario): Promise<void> {
  let trainer = 0;
  for (const [configuration, l2] of L2.slice(0, configurations).entries()) {
    for (const [seed, weights] of configurationSeeds(n, configuration, seeds).entries()) {
      const files = writeSaeLens(weights, { hookName: HOOK, architecture: { kind: 'topk', k: 32 } });
      const folder = join(dir, `trainer_${trainer++}`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'cfg.json'), JSON.stringify({ ...JSON.parse(files['cfg.json']), seed, l2_penalty: l2 }));
      await writeFile(join(folder, 'sae_weights.safetensors'), files['sae_weights.safetensors']);
    }
  }
}

/** A one-shard folder of random D_IN-wide rows at HOOK, in `dir` (served with the app). */
async function writeShardFolder(dir: string): Promise<void> {
  const rng = new Rng(7100);
  const shard = encodeShard({
    activations: rng.fillNormal(new Float32Array(SHARD_ROWS * D_IN)),
    d_model: D_IN,
    tokens: Int32Array.from({ length: SHARD_ROWS }, (_, i) => i % 1000),
    positions: Int32Array.from({ length: SHARD_ROWS }, (_, i) => 1 + (i % 63)),
    dtype: 'F16',
  });
  const file = shardFileName(0);
  const manifest = buildManifest({
    model: 'random rows for the import bench',
    hook: HOOK,
    d_model: D_IN,
    dtype: 'F16',
    context: 64,
    shards: [{ file, tokens: SHARD_ROWS, sha256: createHash('sha256').update(shard).digest('hex') }],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), shard);
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
}

/** Resident memory of Chromium's renderer processes (the page and its workers), summed, in MiB. */
async function rendererRssMb(): Promise<number> {
  let total = 0;
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
      total += rss ? Number(rss[1]) / 1024 : 0;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

/**
 * Samples rendererRssMb until stopped. `lap()` returns the peak since the previous lap (or the start)
 * and the value now, so each stage of the import gets its own peak.
 */
function sampleMemory(intervalMs = 250): { lap(): Promise<{ peakMb: number; nowMb: number }>; stop(): Promise<void> } {
  let peakMb = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peakMb = Math.max(peakMb, await rendererRssMb());
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async lap() {
      const nowMb = await rendererRssMb();
      const stage = { peakMb: Math.max(peakMb, nowMb), nowMb };
      peakMb = nowMb;
      return stage;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not come within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function waitForText(page: Page, testId: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await page.getByTestId(testId).first().innerText({ timeout: 1000 }).catch(() => '');
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${testId} never read ${pattern} within ${timeoutMs / 1000} s (last: "${text}")`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** `served` is the folder the app is served from (at `url`): the shard folder is written into it. */
export async function benchImportAlignment(browser: Browser, url: string, served: string, n = 16_384): Promise<void> {
  const shardFolder = join(served, 'import-bench-shards');
  await writeShardFolder(shardFolder);
  try {
    for (const scenario of SCENARIOS) await importScenario(browser, `${url}import-bench-shards/${MANIFEST_FILE}`, url, n, scenario);
  } finally {
    await rm(shardFolder, { recursive: true, force: true });
  }
}

async function importScenario(browser: Browser, shardsUrl: string, url: string, n: number, scenario: ImportScenario): Promise<void> {
  const { configurations, seeds } = scenario;
  const pairs = (seeds * (seeds - 1)) / 2;
  const sides = ['A', 'B'].slice(0, configurations);
  console.log(`\nImport and alignment in the page: ${configurations} configuration${configurations > 1 ? 's' : ''} × ${seeds} seeds of ${D_IN} → ${n.toLocaleString('en')} SAEs (SAELens folders in one sweep folder)`);
  const dir = await mkdtemp(join(tmpdir(), 'lab-import-bench-'));
  try {
    let started = performance.now();
    await writeSweep(dir, n, scenario);
    console.log(`  files written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const lab = await openLab(browser, url, `auto=0&backend=wasm&data=lm&shards=${encodeURIComponent(shardsUrl)}`);
    const memory = sampleMemory();
    try {
      await lab.ready(120_000);
      const page = lab.page;
      const before = await memory.lap();
      console.log(`  renderer RSS (the page and its workers) before: ${before.nowMb.toFixed(0)} MiB`);
      console.log('  stage                                   at, s   peak RSS in stage, MiB   RSS at its end, MiB');
      started = performance.now();
      // Stages end in the order the page shows them; each is printed with the renderer's memory.
      const lap = async (stage: string) => {
        const seconds = (performance.now() - started) / 1000;
        const { peakMb, nowMb } = await memory.lap();
        console.log(`  ${stage.padEnd(36)} ${seconds.toFixed(1).padStart(7)} ${peakMb.toFixed(0).padStart(24)} ${nowMb.toFixed(0).padStart(21)}`);
      };
      await page.getByTestId('import-folder').setInputFiles(dir);
      await page.getByTestId('import-group').nth(configurations - 1).waitFor({ timeout: 120_000 });
      await lap('groups shown (config files only)');
      await page.getByTestId('import-run').click();
      const hour = 3_600_000;
      await waitForText(page, 'import-progress-A', /aligning/, hour);
      await lap('A: folders read');
      for (const side of sides) {
        await waitForText(page, `notice-${side}`, /Imported/, hour);
        await lap(`${side}: ${pairs} pair${pairs > 1 ? 's' : ''} aligned`);
      }
      await waitForText(page, 'headline-mmcs-0', /0\.\d{3}/, hour);
      const canvas = page.getByTestId('heatmap-canvas');
      await waitFor(async () => (await canvas.getAttribute('data-range').catch(() => null)) === `0,0,${n}`, 'the heatmap of the whole matrix', hour);
      await lap('heatmap drawn');
      // A click in zoom mode zooms 4× around the cell: the pooled view of a block.
      await page.getByTestId('heatmap-click-mode').selectOption('zoom');
      const box = (await canvas.boundingBox())!;
      await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
      await waitFor(async () => (await canvas.getAttribute('data-range'))?.endsWith(`,${n / 4}`) ?? false, 'the zoomed heatmap', 600_000);
      await lap('heatmap zoomed 4×');
      console.log(`  MMCS ${(await Promise.all(sides.map(async (side, i) => `${side} ${await lab.text(`headline-mmcs-${i}`)}`))).join(', ')}`);
      await lab.screenshot(`bench-import-${configurations}x${seeds}`);
    } finally {
      await memory.stop();
      await lab.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
