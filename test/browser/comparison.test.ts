/**
 * The lab's main room in real Chromium on forced wasm: a tiny L2-off vs L2-on comparison trains on
 * its own after the page loads, and every view shows what a person should see. One run serves
 * all checks, since training is the slow part. Screenshots of each view land in test-results/.
 */
import { describe, expect, test } from 'vitest';
import { useLabServer, withLab } from './support/lab-server';
import type { LabPage } from './support/lab-page';

/** Three seeds per side, 24 latents, 150 steps on 3000 images: about 20 s for both sides on two cores. */
const TINY_COMPARISON = 'backend=wasm&width=24&steps=150&batch=64&every=5&images=3000';

const server = useLabServer();

/** The headline texts at every snapshot until the run ends: they must change while it trains. */
async function headlinesUntilDone(lab: LabPage, timeoutMs: number): Promise<string[][]> {
  const seen: string[][] = [];
  const deadline = Date.now() + timeoutMs;
  while (!/^done$/.test(await lab.text('phase'))) {
    if (Date.now() > deadline) throw new Error(`training did not finish; phase ${await lab.text('phase')}\n${lab.log.join('\n')}`);
    const values = await lab.page.locator('[data-testid^=headline-mmcs-]').allInnerTexts();
    if (seen.length === 0 || seen[seen.length - 1].join() !== values.join()) seen.push(values);
    await lab.page.waitForTimeout(250);
  }
  return seen;
}

describe('comparison on wasm', () => {
  test('trains both configurations live and shows curves, alignment, features, inspector and steering', { timeout: 150_000 }, async () => {
    await withLab(server, 'comparison-page', TINY_COMPARISON, async (lab) => {
      await lab.ready();
      expect(await lab.page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(await lab.text('backend-name')).toBe('wasm');
      expect(await lab.text('backend-detail')).toMatch(/forced by \?backend=wasm/);

      // Training started by itself (a demo link needs no click); headline numbers move while it runs.
      await lab.phase(/training|done/, 60_000);
      const headlines = await headlinesUntilDone(lab, 90_000);
      const numeric = headlines.filter((values) => values.length === 2 && values.every((v) => Number.isFinite(Number(v))));
      expect(numeric.length, `headline values seen: ${JSON.stringify(headlines)}`).toBeGreaterThanOrEqual(3);
      expect(new Set(numeric.map((v) => v[0])).size).toBeGreaterThanOrEqual(2);
      expect(await lab.text('headline-diff-mmcs')).toMatch(/^[+−-]?\d\.\d{3}$/);

      for (const side of ['A', 'B']) {
        expect(await lab.number(`step-${side}`)).toBe(150);
        expect(await lab.number(`loss-now-${side}`)).toBeLessThan(await lab.number(`loss-first-${side}`));
      }

      // Curves: one line per configuration and seed, each with many vertices.
      const curves = lab.page.getByTestId('metric-curves-loss').locator('path.curve');
      expect(await curves.count()).toBe(6);
      for (const d of await curves.evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''))) expect(d.split(/[ML]/).length).toBeGreaterThan(20);
      expect(await lab.page.getByTestId('matched-histogram').locator('rect').count()).toBeGreaterThan(0);

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
      await lab.screenshot('view-steering', 'steering-panel');
    });
  });
});
