/**
 * The lab page in real headless Chromium: build once, serve the build, train tiny SAEs on each
 * backend and read the results from the DOM. Screenshots land in test-results/.
 */
import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKEND_ORDER } from '../../src/runtime/backend-types';
import { buildApp } from './support/build-app';
import { launchChromium } from './support/chromium';
import { openLab, type LabPage } from './support/lab-page';
import { serveStatic, type StaticServer } from './support/static-server';

/** A run that trains in a second or two; the URL parameters are documented in src/ui/url-params.ts. */
const TINY_RUN = 'steps=40&width=32&batch=64&every=4&images=2000';

let outDir: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  outDir = await buildApp();
  server = await serveStatic(outDir);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** Opens the page, runs `body`, and always leaves a screenshot (after a failure it shows the error). */
async function withLab(name: string, query: string, body: (lab: LabPage) => Promise<void>): Promise<void> {
  const lab = await openLab(browser, server.url, query);
  try {
    await body(lab);
  } finally {
    await lab.screenshot(name);
    await lab.close();
  }
}

/** The run went the whole way, every metrics read-back reached the curve, and the loss fell. */
async function expectLossFalls(lab: LabPage, { steps, every }: { steps: number; every: number }): Promise<void> {
  expect(await lab.number('step')).toBe(steps);
  const first = await lab.number('loss-first');
  const now = await lab.number('loss-now');
  expect(Number.isFinite(first) && Number.isFinite(now), `loss first ${first}, now ${now}`).toBe(true);
  expect(now).toBeLessThan(first);
  expect(Number(await lab.page.getByTestId('loss-curve').getAttribute('data-points'))).toBe(Math.ceil(steps / every));
}

describe('lab page', () => {
  test('forced wasm: threaded on a cross-origin isolated page, and the loss falls', async () => {
    // wasm is quick enough for 100 steps, enough for the reconstruction error itself to fall.
    await withLab('lab-wasm', 'backend=wasm&steps=100&width=32&batch=128&every=5&images=2000', async (lab) => {
      await lab.ready();
      expect(await lab.page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(await lab.text('backend-name')).toBe('wasm');
      expect(await lab.text('backend-detail')).toMatch(/SIMD, threaded \(\d+ threads?\), forced by \?backend=wasm/);
      await lab.trainToEnd(60_000);
      await expectLossFalls(lab, { steps: 100, every: 5 });
      expect(await lab.number('mse-now')).toBeLessThan(await lab.number('mse-first'));
    });
  });

  test('forced webgpu runs on the software adapter, and the loss falls', { timeout: 150_000 }, async () => {
    // SwiftShader runs WebGPU on the CPU: ~10 s of shader compilation, then ~0.7 s a step.
    await withLab('lab-webgpu', 'backend=webgpu&steps=12&width=16&batch=32&every=2&images=500', async (lab) => {
      await lab.ready();
      expect(await lab.text('backend-name')).toBe('webgpu');
      expect(await lab.text('backend-detail')).toMatch(/software fallback adapter/);
      await lab.trainToEnd(100_000);
      await expectLossFalls(lab, { steps: 12, every: 2 });
    });
  });

  test('auto mode picks a backend, says why each better one was skipped, and trains', async () => {
    await withLab('lab-auto', TINY_RUN, async (lab) => {
      await lab.ready();
      const name = await lab.text('backend-name');
      expect(BACKEND_ORDER).toContain(name);
      expect(await lab.text('backend-detail')).toMatch(/chosen automatically/);
      const better = BACKEND_ORDER.slice(0, BACKEND_ORDER.indexOf(name as (typeof BACKEND_ORDER)[number]));
      const reasons = better.length > 0 ? await lab.text('backend-reasons') : '';
      for (const skipped of better) expect(reasons).toMatch(new RegExp(`^${skipped}: .+`, 'm'));
      await lab.trainToEnd(60_000);
      await expectLossFalls(lab, { steps: 40, every: 4 });
    });
  });

  test('pause holds the step counter, resume continues, stop ends the run', async () => {
    await withLab('lab-pause', 'backend=wasm&steps=100000&width=32&batch=64&every=10&images=2000', async (lab) => {
      await lab.ready();
      await lab.page.getByTestId('train').click();
      await lab.page.waitForFunction(() => Number(document.querySelector('[data-testid=step]')?.textContent) > 0);
      await lab.page.getByTestId('pause').click();
      await expect.poll(() => lab.text('phase')).toBe('paused');
      // The worker flushes its last metrics on pausing; after that the counter must stand still.
      await lab.page.waitForTimeout(300);
      const held = await lab.number('step');
      await lab.page.waitForTimeout(500);
      expect(await lab.number('step')).toBe(held);
      await lab.page.getByTestId('resume').click();
      await expect.poll(() => lab.number('step')).toBeGreaterThan(held);
      await lab.page.getByTestId('stop').click();
      await expect.poll(() => lab.text('phase')).toBe('stopped');
      expect(await lab.number('step')).toBeLessThan(100_000);
    });
  });
});
