/**
 * The views that must scale to full-size SAEs, in real Chromium on a 512-latent language-model run:
 * the feature table keeps only the rows in view in the DOM and finds a feature by index, the heatmap
 * zooms into a dragged block and back out, and the alignment panel shows the sharing bars and both
 * matched-|cos| histograms, each with a save button saying its format. Screenshots at a laptop's and
 * a phone's width land in test-results/.
 */
import { describe, expect, test } from 'vitest';
import { useLabServer, withLab } from './support/lab-server';
import { horizontalOverflow } from './support/layout';

/** The sample shards and model, 3 TopK seeds a side at 512 latents, a few steps: enough to align. */
const WIDE_RUN = 'data=lm&shards=sample&model=sample&backend=wasm&auto=0&steps=20&every=5&width=512';

const server = useLabServer();

describe('views at scale', () => {
  test('a 512-latent run: virtualised table with search, zoomable heatmap, sharing bars and both histograms', { timeout: 400_000 }, async () => {
    await withLab(server, 'scale-page', WIDE_RUN, async (lab) => {
      const page = lab.page;
      await lab.ready(120_000);
      await page.getByTestId('start').click();
      await lab.phase(/^done$/, 240_000);

      // Virtualised: the table knows all 512 features but keeps only a window of rows in the DOM.
      const table = page.getByTestId('feature-table');
      await table.waitFor({ timeout: 30_000 });
      expect(await table.getAttribute('data-features')).toBe('512');
      const rowsInDom = await page.getByTestId('feature-row').count();
      expect(rowsInDom).toBeGreaterThan(5);
      expect(rowsInDom).toBeLessThan(60);

      // Search: typing an index scrolls the table to that feature and selects it.
      await page.getByTestId('feature-search').fill('400');
      await page.getByTestId('feature-search').press('Enter');
      const found = page.locator('[data-testid="feature-row"][data-feature="400"]');
      await expect.poll(() => found.getAttribute('aria-selected'), { timeout: 20_000 }).toBe('true');
      const inView = await found.evaluate((row) => {
        const scroller = row.closest('[data-testid="feature-scroller"]')!.getBoundingClientRect();
        const box = row.getBoundingClientRect();
        return box.top >= scroller.top && box.bottom <= scroller.bottom;
      });
      expect(inView).toBe(true);
      expect(await page.getByTestId('feature-row').count()).toBeLessThan(60);
      // Scrolling to the end brings the last rows in and still keeps the window small.
      await page.getByTestId('feature-scroller').evaluate((s) => (s.scrollTop = s.scrollHeight));
      await expect.poll(() => page.getByTestId('feature-row').last().getAttribute('data-feature')).toMatch(/^\d+$/);
      expect(await page.getByTestId('feature-row').count()).toBeLessThan(60);

      // Heatmap: the whole matrix first; a drag zooms into a block, Zoom out returns.
      const canvas = page.getByTestId('heatmap-canvas');
      await expect.poll(() => canvas.getAttribute('data-range'), { timeout: 30_000 }).toBe('0,0,512');
      // Zoom mode: a click zooms 4× around the cell. (A drag zooms too; its range maths is tested in
      // test/ui/views/heatmap-zoom.test.ts. Driven here it depends on nothing moving the page under the
      // mouse between press and release, which a loaded machine does not promise.)
      const box = (await canvas.boundingBox())!;
      await page.getByTestId('heatmap-click-mode').selectOption('zoom');
      await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
      await expect.poll(() => canvas.getAttribute('data-range')).toMatch(/,128$/);
      expect(await page.getByTestId('heatmap-breadcrumb').getAttribute('data-depth')).toBe('1');
      expect((await lab.canvasInk('heatmap-canvas')).colours).toBeGreaterThan(3);
      await lab.screenshot('scale-heatmap-zoomed', 'alignment-heatmap');
      await page.getByTestId('heatmap-zoom-out').click();
      await expect.poll(() => canvas.getAttribute('data-range')).toBe('0,0,512');
      // In inspect mode (the default) a click picks the cell's two features: the row's is inspected and
      // brought into view, selected, in the table.
      await page.getByTestId('heatmap-click-mode').selectOption('inspect');
      await canvas.click({ position: { x: 3, y: 3 } });
      await page.getByTestId('text-feature-inspector').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('[data-testid="feature-row"][aria-selected="true"]').count()).toBe(1);

      // The sharing bars: always / sometimes / never for A and B, with counts and percentages.
      const shared = page.getByTestId('shared-features');
      expect(await shared.locator('rect.bar').count()).toBe(6);
      expect(await shared.locator('text.bar-percent').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^\d+(\.\d)?%$/)]));
      expect(await shared.innerText()).toMatch(/shared with all 2 other seeds/);
      // Both matched-|cos| histograms, the decoder's and the encoder's, drawn.
      for (const side of ['decoder', 'encoder']) {
        expect(await page.getByTestId(`matched-histogram-${side}`).locator('rect.bar').count()).toBeGreaterThan(0);
      }
      // Each figure's save button says what it saves: canvas as PNG, svg as SVG.
      expect(await page.getByTestId('alignment-heatmap').getByTestId('save-figure').innerText()).toBe('Save PNG');
      expect(await shared.getByTestId('save-figure').innerText()).toBe('Save SVG');

      for (const [width, height] of [
        [1280, 900],
        [390, 844],
      ]) {
        await page.setViewportSize({ width, height });
        await expect.poll(() => horizontalOverflow(page)).toEqual({ documentWidth: width, clipped: [] });
        await lab.screenshot(`scale-alignment-${width}`, 'alignment-panel');
        await lab.screenshot(`scale-features-${width}`, 'features-panel');
        await lab.screenshot(`scale-shared-${width}`, 'shared-features');
      }
    });
  });
});
