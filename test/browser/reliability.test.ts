/**
 * Runs survive what happens to a browser tab, in real Chromium: a reload mid-run (the run shows as
 * interrupted and resumes from its checkpoint), a worker that crashes (the run recovers by itself),
 * a loss that blows up (the run stops with a message naming the step and the cause), and storage
 * that refuses writes (the run goes on in memory and says so). Runs are saved every second here.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeSaeLens } from '../../src/core/formats/saelens';
import { lcg } from '../helpers/configs';
import type { LabPage } from '../../src/cli/browser/lab-page';
import { useLabServer, withLab } from './support/lab-server';

const server = useLabServer();

/** Two seeds per side, long enough to interrupt, a checkpoint every second of training. */
const LONG_RUN = 'auto=0&backend=wasm&images=1000&width=16&batch=50&seeds=2&every=5&steps=6000&ckpt=1';

async function checkpointStep(lab: LabPage, side: 'A' | 'B'): Promise<number> {
  let step = 0;
  await expect
    .poll(
      async () => {
        step = Number(/checkpoint at step (\d+)/.exec(await lab.text(`saved-${side}`).catch(() => ''))?.[1] ?? 0);
        return step;
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(0);
  return step;
}

/** The lab worker of configuration A, as Playwright sees it. */
async function workerA(lab: LabPage) {
  await expect.poll(() => lab.page.workers().filter((w) => /lab\.worker/.test(w.url())).length, { timeout: 30_000 }).toBeGreaterThan(0);
  for (const worker of lab.page.workers()) {
    if (/lab\.worker/.test(worker.url()) && (await worker.evaluate(() => (self as unknown as { name: string }).name)) === 'lab A') return worker;
  }
  throw new Error('no worker named "lab A"');
}

describe('reliability', () => {
  test('a reload mid-run leaves the run interrupted at its checkpoint, and Resume finishes it', async () => {
    await withLab(server, 'reliability-reload', LONG_RUN, async (lab) => {
      const page = lab.page;
      await lab.ready();
      await page.getByTestId('start').click();
      await lab.phase(/^training$/, 30_000);
      const saved = await checkpointStep(lab, 'A');
      const firstLoss = await lab.text('loss-first-A');
      await page.reload();
      await lab.ready();

      const row = page.getByTestId('saved-comparison').first();
      await expect.poll(() => row.getByTestId('saved-status').allTextContents(), { timeout: 20_000 }).toEqual(['interrupted', 'interrupted']);
      await lab.screenshot('view-run-library', 'run-library');
      await row.getByTestId('resume-saved').click();
      await lab.phase(/^training$/, 60_000);
      // The curves continue from the saved history, not from scratch.
      expect(await lab.text('loss-first-A')).toBe(firstLoss);
      expect(await lab.number('step-A')).toBeGreaterThanOrEqual(saved);
      // The button's own click event: on a loaded machine the live page re-renders under Playwright's
      // pointer checks until they time out, and what this test checks is the run's end, not hit-testing.
      await page.getByTestId('stop').dispatchEvent('click');
      await lab.phase(/^stopped$/, 60_000);
      await expect.poll(() => row.getByTestId('saved-status').allTextContents(), { timeout: 20_000 }).toEqual(['stopped', 'stopped']);
    });
  });

  test('a run renamed in Saved runs while it trains keeps the name through later checkpoints', async () => {
    await withLab(server, 'reliability-rename', LONG_RUN + '&mode=single', async (lab) => {
      const page = lab.page;
      await lab.ready();
      await page.getByTestId('start').click();
      await lab.phase(/^training$/, 30_000);
      await checkpointStep(lab, 'A');
      // Listed after a reload, and resumed: its worker writes its record again at every checkpoint.
      await page.reload();
      await lab.ready();
      const row = page.getByTestId('saved-comparison').first();
      await expect.poll(() => row.getByTestId('saved-status').allTextContents(), { timeout: 20_000 }).toEqual(['interrupted']);
      await row.getByTestId('resume-saved').click();
      await lab.phase(/^training$/, 60_000);
      await checkpointStep(lab, 'A');
      const name = row.getByTestId('saved-name');
      await name.fill('renamed while training');
      await name.blur();
      // Two checkpoints later the worker has rewritten the run's record at least once since the rename.
      const renamedAt = await checkpointStep(lab, 'A');
      await expect.poll(() => checkpointStep(lab, 'A'), { timeout: 60_000 }).toBeGreaterThan(renamedAt);
      const later = await checkpointStep(lab, 'A');
      await expect.poll(() => checkpointStep(lab, 'A'), { timeout: 60_000 }).toBeGreaterThan(later);
      // What the store holds, as a fresh page reads it.
      await page.reload();
      await lab.ready();
      await expect.poll(() => page.getByTestId('saved-comparison').first().getByTestId('saved-name').inputValue(), { timeout: 20_000 }).toBe('renamed while training');
    });
  });

  test('a worker that crashes is reported, and its run resumes from the last checkpoint on a fresh worker', async () => {
    await withLab(server, 'reliability-crash', LONG_RUN, async (lab) => {
      const page = lab.page;
      await lab.ready();
      await page.getByTestId('start').click();
      await lab.phase(/^training$/, 30_000);
      const saved = await checkpointStep(lab, 'A');
      const worker = await workerA(lab);
      await worker.evaluate(() => {
        setTimeout(() => {
          throw new Error('simulated crash');
        });
      });
      await expect.poll(() => lab.text('notice-A').catch(() => ''), { timeout: 60_000 }).toMatch(/worker failed .*simulated crash.*checkpoint at step \d+/);
      await lab.phase(/training/, 60_000);
      // Training goes on past the checkpoint it resumed from.
      await expect.poll(() => lab.number('step-A'), { timeout: 60_000 }).toBeGreaterThan(saved);
      await page.getByTestId('stop').click();
      await lab.phase(/stopped/, 60_000);
    });
  });

  test('a worker that dies without a word is found out and its run resumes on a fresh worker', async () => {
    await withLab(server, 'reliability-silent-death', LONG_RUN + '&mode=single', async (lab) => {
      const page = lab.page;
      await lab.ready();
      await page.getByTestId('start').click();
      await lab.phase(/^training$/, 30_000);
      const saved = await checkpointStep(lab, 'A');
      await (await workerA(lab)).evaluate(() => self.close());
      await expect.poll(() => lab.text('notice-A').catch(() => ''), { timeout: 90_000 }).toMatch(/stopped responding.*checkpoint at step \d+/);
      await expect.poll(() => lab.number('step-A'), { timeout: 60_000 }).toBeGreaterThan(saved);
      await page.getByTestId('stop').click();
      await lab.phase(/stopped/, 60_000);
    });
  });

  test('a loss that blows up stops the run with the step and the likely cause', async () => {
    await withLab(server, 'reliability-diverge', 'auto=0&backend=wasm&images=1000&width=16&batch=50&seeds=2&every=1&steps=200&mode=single&lr=1e30', async (lab) => {
      await lab.ready();
      await lab.page.getByTestId('start').click();
      await expect.poll(() => lab.text('phase'), { timeout: 60_000 }).toBe('diverged');
      expect(await lab.text('error')).toMatch(/diverged (at|by) step \d+[^]*learning rate 1e\+30 is probably too high/);
      const row = lab.page.getByTestId('saved-comparison').first();
      await expect.poll(() => row.getByTestId('saved-status').allTextContents(), { timeout: 20_000 }).toEqual(['diverged']);
    });
  });

  test('storage that refuses writes: the run goes on in memory and says so', async () => {
    await withLab(server, 'reliability-quota', LONG_RUN + '&mode=single', async (lab) => {
      const page = lab.page;
      await lab.ready();
      const worker = await workerA(lab);
      // As a full disk does: every IndexedDB write in the worker fails with QuotaExceededError.
      await worker.evaluate(() => {
        IDBObjectStore.prototype.put = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      });
      await page.getByTestId('start').click();
      await expect.poll(() => lab.text('storage-problem-A').catch(() => ''), { timeout: 60_000 }).toMatch(/storage is full.*goes on in memory/);
      const before = await lab.number('step-A');
      await expect.poll(() => lab.number('step-A'), { timeout: 30_000 }).toBeGreaterThan(before);
      await page.getByTestId('stop').click();
      await lab.phase(/stopped/, 60_000);
    });
  });

  test('a finished run opens again after a reload, and any two saved runs open side by side', async () => {
    await withLab(server, 'reliability-open', 'auto=0&backend=wasm&images=1000&width=16&batch=50&seeds=2&every=5&steps=40&ckpt=1&pc=0,0.01', async (lab) => {
      const page = lab.page;
      await lab.ready();
      await page.getByTestId('start').click();
      await lab.phase(/^done$/, 60_000);
      const mmcsB = await lab.text('headline-mmcs-1');
      await page.reload();
      await lab.ready();
      const row = page.getByTestId('saved-comparison').first();
      await expect.poll(() => row.getByTestId('saved-status').allTextContents(), { timeout: 20_000 }).toEqual(['done', 'done']);
      await row.getByTestId('open-saved').click();
      await lab.phase(/^done$/, 60_000);
      // The saved weights, not a retrained copy: the same alignment as before the reload.
      await expect.poll(() => lab.text('headline-mmcs-1'), { timeout: 30_000 }).toBe(mmcsB);
      expect(await lab.number('step-A')).toBe(40);

      // B's run as A and A's as B.
      const runs = await page.getByTestId('compare-a').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(runs).toHaveLength(2);
      await page.getByTestId('compare-a').selectOption(runs[1]);
      await page.getByTestId('compare-b').selectOption(runs[0]);
      await page.getByTestId('compare-open').click();
      await expect.poll(() => lab.text('headline-mmcs-0'), { timeout: 30_000 }).toBe(mmcsB);
      await lab.phase(/^done$/, 60_000);
      await lab.screenshot('view-compare-saved');
    });
  });

  test('SAEs trained elsewhere (SAELens folders) import as a configuration’s seeds, and bad ones are refused by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-import-'));
    const random = lcg(11);
    const make = (d_in: number, d_sae: number) => ({
      d_in,
      d_sae,
      W_enc: Float32Array.from({ length: d_in * d_sae }, () => random() - 0.5),
      b_enc: new Float32Array(d_sae),
      W_dec: Float32Array.from({ length: d_sae * d_in }, () => random() - 0.5),
      b_dec: new Float32Array(d_in),
    });
    for (const seed of [0, 1, 2]) {
      const files = writeSaeLens(make(784, 24), { hookName: 'mnist.pixels', architecture: { kind: 'relu' } });
      await mkdir(join(dir, 'good', `seed-${seed}`), { recursive: true });
      for (const [name, contents] of Object.entries(files)) await writeFile(join(dir, 'good', `seed-${seed}`, name), contents);
    }
    const wrong = writeSaeLens(make(100, 24), { hookName: 'x', architecture: { kind: 'relu' } });
    await mkdir(join(dir, 'wrong', 'sae'), { recursive: true });
    for (const [name, contents] of Object.entries(wrong)) await writeFile(join(dir, 'wrong', 'sae', name), contents);

    await withLab(server, 'reliability-import', 'auto=0&backend=wasm&images=1000&mode=single', async (lab) => {
      const page = lab.page;
      await lab.ready();
      await page.getByTestId('import-folder').setInputFiles(join(dir, 'wrong'));
      await page.getByTestId('import-run').click();
      await expect.poll(() => lab.text('library-problem').catch(() => ''), { timeout: 30_000 }).toMatch(/import into A failed: .*sae: the SAE reads 100 values, the loaded data has 784/);
      await page.getByTestId('import-folder').setInputFiles(join(dir, 'good'));
      // The folder is read asynchronously: wait for its groups to be listed.
      await expect.poll(() => page.getByTestId('import-group').allTextContents(), { timeout: 30_000 }).toEqual([expect.stringMatching(/^all: 3 SAEs \(seed-0, seed-1, seed-2\) → A$/)]);
      await page.getByTestId('import-run').click();
      await expect.poll(() => lab.text('notice-A').catch(() => ''), { timeout: 60_000 }).toMatch(/Imported .*seed-0.*seed-1.*seed-2 as seeds 0, 1, 2/);
      // Progress says what they are, not "done, step 0 / —".
      expect(await lab.text('phase-A')).toBe('imported');
      expect(await lab.text('imported-A')).toBe('imported · 3 SAEs trained elsewhere');
      // Three random SAEs: their alignment is computed, and a feature can be inspected.
      expect(await lab.text('headline-mmcs-0')).toMatch(/0\.\d{3}/);
      expect(await page.getByTestId('field-d_sae').inputValue()).toBe('24');
    });
  });

  test("the paper's release layout: a dictionary_learning sweep folder shows its configurations, and each imports as A or B", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-sweep-'));
    const random = lcg(5);
    const [dIn, dSae] = [784, 16];
    const specs = [0, 1, 2, 3].map((t) => {
      const rows = Array.from({ length: dSae * dIn }, () => random() - 0.5);
      return {
        out: join(dir, 'release', `trainer_${t}`, 'ae.pt'),
        archive: 'ae',
        tensors: {
          'encoder.weight': { dtype: 'float32', shape: [dSae, dIn], values: rows },
          'encoder.bias': { dtype: 'float32', shape: [dSae], values: new Array(dSae).fill(0) },
          'decoder.weight': { dtype: 'float32', shape: [dIn, dSae], values: rows },
          bias: { dtype: 'float32', shape: [dIn], values: new Array(dIn).fill(0) },
        },
      };
    });
    for (const t of specs.keys()) {
      await mkdir(join(dir, 'release', `trainer_${t}`), { recursive: true });
      const trainer = { dict_class: 'AutoEncoder', activation_dim: dIn, dict_size: dSae, seed: t % 2, l2_penalty: t < 2 ? 0 : 1e-5, wandb_name: `run_${t}` };
      await writeFile(join(dir, 'release', `trainer_${t}`, 'config.json'), JSON.stringify({ trainer }));
    }
    execFileSync('python3', [join(__dirname, '../helpers/python/torch-save.py'), '-'], { input: JSON.stringify(specs) });

    await withLab(server, 'reliability-sweep', 'auto=0&backend=wasm&images=1000', async (lab) => {
      const page = lab.page;
      await lab.ready();
      await page.getByTestId('import-folder').setInputFiles(join(dir, 'release'));
      const groups = page.getByTestId('import-group');
      await expect.poll(() => groups.allTextContents(), { timeout: 30_000 }).toEqual([
        expect.stringMatching(/^trainer\.l2_penalty 0: 2 SAEs \(trainer_0, trainer_1\) → A$/),
        expect.stringMatching(/^trainer\.l2_penalty 0\.00001: 2 SAEs \(trainer_2, trainer_3\) → B$/),
      ]);
      await lab.screenshot('import-sweep-groups');
      await page.getByTestId('import-run').click();
      await expect.poll(() => lab.text('notice-A').catch(() => ''), { timeout: 60_000 }).toMatch(/Imported .*trainer_0.*trainer_1 as seeds 0, 1/);
      await expect.poll(() => lab.text('notice-B').catch(() => ''), { timeout: 60_000 }).toMatch(/Imported .*trainer_2.*trainer_3 as seeds 0, 1/);
      expect(await lab.text('headline-mmcs-0')).toMatch(/0\.\d{3}/);
      expect(await lab.text('headline-mmcs-1')).toMatch(/0\.\d{3}/);
    });
  });

  test('an import in progress can be cancelled between two seed pairs: the page says so and shows no imported seeds', async () => {
    // Four seeds of 2048 latents: six pairs, seconds of aligning, so Cancel lands while it runs.
    const dir = await mkdtemp(join(tmpdir(), 'lab-cancel-'));
    const random = lcg(9);
    const [dIn, dSae] = [784, 2048];
    for (let seed = 0; seed < 4; seed++) {
      const values = (n: number) => Float32Array.from({ length: n }, () => random() - 0.5);
      const files = writeSaeLens({ d_in: dIn, d_sae: dSae, W_enc: values(dIn * dSae), b_enc: values(dSae), W_dec: values(dSae * dIn), b_dec: values(dIn) }, { hookName: 'mnist', architecture: { kind: 'topk', k: 16 } });
      const folder = join(dir, 'wide', `seed_${seed}`);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'cfg.json'), JSON.stringify({ ...JSON.parse(files['cfg.json']), seed }));
      await writeFile(join(folder, 'sae_weights.safetensors'), files['sae_weights.safetensors']);
    }
    await withLab(server, 'reliability-cancel', 'auto=0&backend=wasm&images=1000', async (lab) => {
      const page = lab.page;
      await lab.ready();
      await page.getByTestId('import-folder').setInputFiles(join(dir, 'wide'));
      await expect.poll(() => page.getByTestId('import-group').count(), { timeout: 30_000 }).toBe(1);
      await page.getByTestId('import-run').click();
      await expect.poll(() => lab.text('import-progress-A').catch(() => ''), { timeout: 60_000 }).toMatch(/aligning seed pairs: \d of 6 done/);
      await lab.screenshot('import-progress');
      await page.getByTestId('import-cancel-A').click();
      await expect.poll(() => lab.text('library-problem').catch(() => ''), { timeout: 60_000 }).toMatch(/import into A failed: import cancelled/);
      expect(await page.getByTestId('import-progress-A').count()).toBe(0);
      expect(await lab.text('notice-A').catch(() => '')).not.toMatch(/Imported/);
    });
  });
});
