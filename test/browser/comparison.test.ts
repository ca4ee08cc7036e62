/**
 * The lab's main room in real Chromium on forced wasm: a tiny L2-off vs L2-on comparison trains on
 * its own after the page loads, and every view shows what a person should see. One run serves
 * all checks, since training is the slow part. Screenshots of each view land in test-results/.
 */
import { strFromU8, unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { absCosineMatrix, linearSumAssignment } from '../../src/core/align';
import { readSaeLens } from '../../src/core/formats/saelens';
import { useLabServer, withLab } from './support/lab-server';
import { SCREENSHOT_DIR, type LabPage } from '../../src/cli/browser/lab-page';
import { horizontalOverflow, inView } from './support/layout';

/** Three seeds per side, 24 latents, 150 steps on 3000 images: about 20 s for both sides on two cores. */
const TINY_COMPARISON = 'backend=wasm&width=24&steps=150&batch=64&every=5&images=3000';

const server = useLabServer();

/**
 * The headline texts at every snapshot until the run ends: they must change while it trains, and
 * whenever B − A shows a number, both columns are labelled with one and the same step.
 */
async function headlinesUntilDone(lab: LabPage, timeoutMs: number): Promise<{ values: string[][]; comparedSteps: number[] }> {
  const seen: string[][] = [];
  const comparedSteps: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!/^done$/.test(await lab.text('phase'))) {
    if (Date.now() > deadline) throw new Error(`training did not finish; phase ${await lab.text('phase')}\n${lab.log.join('\n')}`);
    const state = await lab.page.evaluate(() => {
      const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
      return { values: [text('headline-mmcs-0'), text('headline-mmcs-1')], steps: [text('headline-step-0'), text('headline-step-1')], diff: text('headline-diff-mmcs') };
    });
    const values = state.values.map((v) => v ?? '');
    if (seen.length === 0 || seen[seen.length - 1].join() !== values.join()) seen.push(values);
    if (state.diff && state.diff !== '—') {
      expect(state.steps[0], JSON.stringify(state)).toBe(state.steps[1]);
      comparedSteps.push(Number(/\d+/.exec(state.steps[0] ?? '')?.[0]));
    }
    await lab.page.waitForTimeout(250);
  }
  return { values: seen, comparedSteps };
}

describe('comparison on wasm', () => {
  test('trains both configurations live and shows curves, alignment, features, inspector and steering', { timeout: 240_000 }, async () => {
    await withLab(server, 'comparison-page', TINY_COMPARISON, async (lab) => {
      await lab.ready();
      expect(await lab.page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(await lab.text('backend-name')).toBe('wasm');
      expect(await lab.text('backend-detail')).toMatch(/forced by \?backend=wasm/);

      // Training started by itself (a demo link needs no click); headline numbers move while it runs.
      await lab.phase(/training|done/, 60_000);
      const { values: headlines, comparedSteps } = await headlinesUntilDone(lab, 90_000);
      const numeric = headlines.filter((values) => values.length === 2 && values.every((v) => Number.isFinite(Number(v))));
      expect(numeric.length, `headline values seen: ${JSON.stringify(headlines)}`).toBeGreaterThanOrEqual(3);
      expect(new Set(numeric.map((v) => v[0])).size).toBeGreaterThanOrEqual(2);
      // B − A was shown live at several equal steps, not only at the end.
      expect(new Set(comparedSteps).size, JSON.stringify(comparedSteps)).toBeGreaterThanOrEqual(2);
      expect(await lab.text('headline-diff-mmcs')).toMatch(/^[+−-]?\d\.\d{3}$/);
      expect(await lab.text('headline-step-0')).toMatch(/step 150/);
      expect(await lab.text('headline-step-1')).toMatch(/step 150/);
      // Spread over the 3 seed pairs, pair wins, sparsity, and one sentence with the result.
      expect(await lab.text('headline-spread-mmcs-0')).toMatch(/^\d\.\d{3}(–\d\.\d{3} over| in all) 3 pairs$/);
      expect(await lab.text('headline-wins-mmcs')).toMatch(/^B higher in [0-3] of 3 pairs$/);
      expect(await lab.number('headline-l0-0')).toBeGreaterThan(0);
      expect(await lab.text('result-sentence')).toMatch(/^At step 150, .+ seeds learned more alike features than .+ \(MMCS .+ seed pair/);

      for (const side of ['A', 'B']) {
        expect(await lab.number(`step-${side}`)).toBe(150);
        expect(await lab.number(`loss-now-${side}`)).toBeLessThan(await lab.number(`loss-first-${side}`));
      }

      // Curves: one line per configuration and seed, each with many vertices.
      const curves = lab.page.getByTestId('metric-curves-loss').locator('path.curve');
      expect(await curves.count()).toBe(6);
      for (const d of await curves.evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''))) expect(d.split(/[ML]/).length).toBeGreaterThan(20);
      expect(await lab.page.getByTestId('matched-histogram-decoder').locator('rect').count()).toBeGreaterThan(0);

      // Decoder tiles and the heatmap are drawn, not blank.
      const grid = await lab.canvasInk('decoder-grid-canvas');
      expect(grid.inked, JSON.stringify(grid)).toBeGreaterThan(0.3);
      expect(grid.colours).toBeGreaterThan(50);
      const heatmap = await lab.canvasInk('heatmap-canvas');
      expect(heatmap.colours, JSON.stringify(heatmap)).toBeGreaterThan(10);

      await lab.screenshot('view-progress', 'progress-panel');
      await lab.screenshot('view-curves', 'curves-panel');
      await lab.screenshot('view-alignment', 'alignment-panel');
      await lab.screenshot('view-features', 'features-panel');

      // Clicking the first tile opens the inspector, with the feature's partner in each other seed.
      const canvas = lab.page.getByTestId('decoder-grid-canvas');
      const margin = Number(await canvas.getAttribute('data-margin'));
      await canvas.click({ position: { x: margin + 5, y: margin + 5 } });
      await lab.page.getByTestId('feature-inspector').waitFor({ timeout: 20_000 });
      await expect.poll(() => lab.page.locator('[data-testid^=partner-]').count()).toBe(2);
      await expect.poll(() => lab.page.getByTestId('partner-1').isVisible()).toBe(true);
      await lab.screenshot('view-inspector', 'inspector-panel');

      // Steering: the strip's images differ with α, and moving the slider steers again.
      await lab.page.getByTestId('steering-strip').waitFor({ timeout: 20_000 });
      const strip = lab.page.locator('[data-testid^=steer-img-]');
      const count = await strip.count();
      expect(count).toBeGreaterThanOrEqual(5);
      const first = await lab.canvasPixels('steer-img-0');
      const last = await lab.canvasPixels(`steer-img-${count - 1}`);
      expect(first).not.toBe(last);
      const before = await lab.canvasPixels('steer-current');
      await lab.page.getByTestId('steer-alpha-slider').fill('-10');
      await expect.poll(() => lab.text('steer-alpha')).toBe('-10');
      await expect.poll(() => lab.canvasPixels('steer-current'), { timeout: 15_000 }).not.toBe(before);

      // The steering success rate of both configurations, with how it is judged.
      await lab.page.getByTestId('measure-steering').click();
      await lab.page.getByTestId('steering-success-B').waitFor({ timeout: 60_000 });
      expect(await lab.text('steering-success-A')).toMatch(/\d+\.\d% \(95% interval/);
      expect(await lab.text('steering-success-definition')).toMatch(/classifier/);
      expect(await lab.text('steering-success-comparison')).toMatch(/mean success per feature: [+−]\d+\.\d points · Mann–Whitney U/);
      expect(await lab.text('steering-success-pooled')).toMatch(/Fisher's exact p = /);
      await lab.screenshot('view-steering', 'steering-panel');

      await checkViews(lab);
    });
  });
});

/** The decoder rows W_dec [d_sae, d_in] of every configuration and seed in the exported SAELens zip, by "A/0", "B/2"… */
async function exportedDecoders(lab: LabPage): Promise<Map<string, { W_dec: Float32Array; d_sae: number; d_in: number }>> {
  const [download] = await Promise.all([lab.page.waitForEvent('download'), lab.page.getByTestId('export-saelens').click()]);
  const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const decoders = new Map<string, { W_dec: Float32Array; d_sae: number; d_in: number }>();
  for (const path of Object.keys(files)) {
    const found = /^([AB])[^/]*\/seed-(\d+)\/sae_weights\.safetensors$/.exec(path);
    if (!found) continue;
    const folder = path.slice(0, path.lastIndexOf('/'));
    const { weights } = readSaeLens({ 'cfg.json': strFromU8(files[`${folder}/cfg.json`]), 'sae_weights.safetensors': files[path] }, folder);
    decoders.set(`${found[1]}/${found[2]}`, weights);
  }
  return decoders;
}

/** The inspector's title: "Feature 12 · seed 0" → [12, 0]. */
async function inspectedFeature(lab: LabPage): Promise<[number, number]> {
  const title = await lab.page.getByTestId('feature-inspector').locator('h3').first().innerText();
  const found = /Feature (\d+) · seed (\d+)/.exec(title);
  if (!found) throw new Error(`inspector title "${title}"`);
  return [Number(found[1]), Number(found[2])];
}

/**
 * After the run: the inspector scrolls into view when opened at 1280×800, a heatmap cell opens its
 * row's and its column's feature, partners show encoder and decoder |cos|, switching A → B lands
 * on the matched partner (checked against the exported decoders), and at 390 px nothing hides
 * behind sideways scrolling.
 */
async function checkViews(lab: LabPage) {
  const page = lab.page;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('feature-inspector').getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('show-side-A').click();

  // Opening: a tile low on the screen opens the inspector below the fold, and it scrolls into view.
  // The mouse clicks where the tile is, so only the page can scroll.
  const grid = page.getByTestId('decoder-grid-canvas');
  const margin = Number(await grid.getAttribute('data-margin'));
  const inspector = page.getByTestId('inspector-panel');
  const clickFirstTile = async (startsOutOfView = false) => {
    await grid.evaluate((canvas) => window.scrollBy(0, canvas.getBoundingClientRect().top - 600));
    // Checked before the click: once clicked, the page may scroll before the next look.
    if (startsOutOfView) expect(await inView(page, inspector), 'the inspector starts out of view').toBe(false);
    const at = (await grid.boundingBox())!;
    await page.mouse.click(at.x + margin + 5, at.y + margin + 5);
  };
  await clickFirstTile(true);
  await page.getByTestId('feature-inspector').waitFor({ timeout: 20_000 });
  await expect.poll(() => inView(page, inspector), { timeout: 5_000 }).toBe(true);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/view-inspector-opened-1280x800.png` });

  // Partners: decoder and encoder |cos| of the same pair, and the verdict with its reason.
  for (const seed of [1, 2]) {
    expect(await lab.text(`cosines-of-partner-${seed}`)).toMatch(/^dec \|cos\| \d\.\d+ · enc \|cos\| \d\.\d+$/);
    expect(await lab.text(`verdict-of-partner-${seed}`)).toMatch(/^(shared|not shared(: .+)?)$/);
  }

  // An off-diagonal heatmap cell (first row, second column) opens both of its features.
  const heatmap = page.getByTestId('heatmap-canvas');
  await heatmap.evaluate((canvas) => window.scrollBy(0, canvas.getBoundingClientRect().top - 200));
  const size = Number(await heatmap.getAttribute('data-size'));
  const box = (await heatmap.boundingBox())!;
  const cell = { x: box.x + (1.5 / size) * box.width, y: box.y + (0.5 / size) * box.height };
  await page.mouse.move(cell.x, cell.y);
  const hover = /seed (\d+) #(\d+) ↔ seed (\d+) #(\d+): \|cos\| (\d\.\d+)/.exec(await lab.text('heatmap-hover'));
  expect(hover, await lab.text('heatmap-hover')).not.toBeNull();
  const [rowSeed, rowFeature, colSeed, colFeature] = hover!.slice(1, 5).map(Number);
  await page.mouse.click(cell.x, cell.y);
  await page.getByTestId('cell-comparison').waitFor({ timeout: 20_000 });
  await expect.poll(() => inspectedFeature(lab).catch(() => null), { timeout: 20_000 }).toEqual([rowFeature, rowSeed]);
  expect(await page.getByTestId('cell-inspected').getAttribute('data-feature')).toBe(String(rowFeature));
  expect(await page.getByTestId('cell-companion').getAttribute('data-feature')).toBe(String(colFeature));
  expect(await page.getByTestId('cell-companion').getAttribute('data-seed')).toBe(String(colSeed));
  expect(Number(await lab.text('cell-cosine'))).toBeCloseTo(Number(hover![5]), 2);
  await expect.poll(() => lab.text('cell-verdict')).toMatch(new RegExp(`^Not matched: #${rowFeature}'s partner in seed ${colSeed} is #\\d+`));
  await expect.poll(() => inView(page, inspector), { timeout: 5_000 }).toBe(true);
  await lab.screenshot('view-heatmap-cell-1280x800', 'inspector-panel');

  // A → B lands on the matched partner across the configurations: the optimal assignment of A's and
  // B's seed-0 decoder directions, computed here from the exported SAEs.
  await page.getByTestId('show-seed-0').click();
  await clickFirstTile();
  await expect.poll(async () => (await inspectedFeature(lab).catch(() => [-1, -1]))[1], { timeout: 20_000 }).toBe(0);
  const [fromFeature] = await inspectedFeature(lab);
  await page.getByTestId('show-side-B').click();
  const note = page.getByTestId('cross-partner-note');
  await note.waitFor({ timeout: 30_000 });
  expect(await note.getAttribute('data-from-side')).toBe('A');
  expect(Number(await note.getAttribute('data-from-feature'))).toBe(fromFeature);
  const claimedCosine = Number(await note.getAttribute('data-cosine'));
  const landedOn = Number(await note.getAttribute('data-to-feature'));
  await expect.poll(() => inspectedFeature(lab).catch(() => null), { timeout: 20_000 }).toEqual([landedOn, 0]);
  expect(await note.innerText()).toMatch(new RegExp(`^A · .+ seed 0 #${fromFeature} → B · .+ seed 0 #${landedOn}: its matched partner, decoder \\|cos\\| ${claimedCosine.toFixed(3)}`));

  const decoders = await exportedDecoders(lab);
  const [a, b] = [decoders.get('A/0')!, decoders.get('B/0')!];
  const similarity = await absCosineMatrix(a.W_dec, a.d_sae, b.W_dec, b.d_sae, a.d_in);
  const { rowToCol } = linearSumAssignment(similarity.values, a.d_sae, b.d_sae, { maximize: true });
  expect(landedOn).toBe(rowToCol[fromFeature]);
  expect(claimedCosine).toBeCloseTo(similarity.values[fromFeature * b.d_sae + landedOn], 3);
  await lab.screenshot('view-cross-partner-1280x800', 'inspector-panel');

  // At 1280×800 nothing is clipped or scrolls sideways.
  expect(await horizontalOverflow(page)).toEqual({ documentWidth: 1280, clipped: [] });
  await lab.screenshot('comparison-1280x800');

  // A phone: the configuration table, the whole steering strip and the saved runs fit without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => horizontalOverflow(page)).toEqual({ documentWidth: 390, clipped: [] });
  for (const id of ['experiment-panel', 'run-library', 'steering-panel', 'features-panel', 'inspector-panel']) await lab.screenshot(`view-390-${id}`, id);
  await lab.screenshot('comparison-390x844');
}

