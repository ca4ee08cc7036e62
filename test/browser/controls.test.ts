/**
 * The controls in real Chromium: a link restores the experiment, edits write the URL back, bad
 * links and bad values are explained, and one click starts, pauses, resumes and stops both
 * configurations. Workers run forced wasm on a small slice of MNIST.
 */
import { describe, expect, test } from 'vitest';
import { BACKEND_ORDER, type BackendName } from '../../src/runtime/protocol/backend-types';
import { useLabServer, withLab } from './support/lab-server';

const server = useLabServer();

/** Loads quickly and never trains by itself. */
const IDLE = 'auto=0&backend=wasm&images=1000';

describe('controls', () => {
  test('a link restores the experiment, edits go back into the URL, and a reload keeps them', async () => {
    await withLab(server, 'controls-url', `${IDLE}&width=20&pen=l1&pc=0.002,0.004&seeds=2`, async (lab) => {
      const page = lab.page;
      await lab.ready();
      await lab.phase(/^ready$/, 30_000);
      expect(await page.getByTestId('field-d_sae').inputValue()).toBe('20');
      expect(await page.getByTestId('field-penalty.kind').inputValue()).toBe('l1');
      expect([await page.getByTestId('field-penalty.coeff-A').inputValue(), await page.getByTestId('field-penalty.coeff-B').inputValue()]).toEqual(['0.002', '0.004']);
      expect(await page.getByTestId('field-seeds').inputValue()).toBe('2');
      expect(await lab.text('preset-note')).toMatch(/Custom experiment/);

      await page.getByTestId('field-d_sae').fill('28');
      await page.getByTestId('field-batchSize').fill('48');
      // The link's short keys are written back as the settings' paths.
      await expect.poll(() => new URL(page.url()).searchParams.get('d_sae')).toBe('28');
      expect(new URL(page.url()).searchParams.get('penalty.coeff')).toBe('0.002,0.004');
      expect(new URL(page.url()).searchParams.has('width')).toBe(false);

      // The settings the presets fix are folded under "Advanced", and go into the URL like the rest.
      expect(await page.getByTestId('field-optim.beta1').isVisible()).toBe(false);
      await page.getByTestId('config-advanced').locator('summary').click();
      await page.getByTestId('field-optim.beta1').fill('0.8');
      await expect.poll(() => new URL(page.url()).searchParams.get('optim.beta1')).toBe('0.8');
      await lab.screenshot('view-experiment', 'experiment-panel');

      await page.reload();
      await lab.ready();
      expect(await page.getByTestId('field-d_sae').inputValue()).toBe('28');
      expect(await page.getByTestId('field-batchSize').inputValue()).toBe('48');
      expect(await page.getByTestId('field-penalty.coeff-B').inputValue()).toBe('0.004');
      expect(await page.getByTestId('field-optim.beta1').inputValue()).toBe('0.8');

      // A preset is one click, and says what it is.
      await page.getByTestId('preset-mnist-demo').click();
      expect(await lab.text('preset-note')).toMatch(/1e-5.*100 epochs/);
      await expect.poll(() => new URL(page.url()).searchParams.has('d_sae')).toBe(false);
    });
  });

  test('auto mode picks a backend and says why each better one was skipped', async () => {
    await withLab(server, 'controls-auto-backend', 'auto=0&images=1000', async (lab) => {
      await lab.ready();
      const name = (await lab.text('backend-name')) as BackendName;
      expect(BACKEND_ORDER).toContain(name);
      expect(await lab.text('backend-detail')).toMatch(/chosen automatically/);
      const better = BACKEND_ORDER.slice(0, BACKEND_ORDER.indexOf(name));
      const reasons = better.length > 0 ? await lab.text('backend-reasons') : '';
      for (const skipped of better) expect(reasons).toMatch(new RegExp(`^${skipped}: .+`, 'm'));
      await lab.screenshot('view-header', 'page-header');
    });
  });

  test('ignored link parameters are explained, and an invalid value disables Start with its reason', async () => {
    await withLab(server, 'controls-invalid', `${IDLE}&width=abc&frobnicate=1`, async (lab) => {
      const page = lab.page;
      const notes = await lab.text('url-notes');
      expect(notes).toMatch(/Ignored width=abc: width \(latents\) must be a number/);
      expect(notes).toMatch(/unknown parameter "frobnicate"/);
      // The address bar is rewritten to what the page actually runs.
      expect(new URL(page.url()).searchParams.has('frobnicate')).toBe(false);

      await lab.ready();
      await page.getByTestId('field-d_sae').fill('0');
      expect(await lab.text('config-problems')).toMatch(/width d_sae must be a positive integer \(got 0\)/);
      expect(await page.getByTestId('start').isDisabled()).toBe(true);
      await page.getByTestId('field-d_sae').fill('16');
      await expect.poll(() => page.getByTestId('config-problems').count()).toBe(0);
      expect(await page.getByTestId('start').isEnabled()).toBe(true);
    });
  });

  test("a configuration too large for its backend's memory cannot start, and the button and the list say how much it needs", async () => {
    // Autostart on: the link must not start it either.
    await withLab(server, 'controls-memory', 'backend=wasm&images=1000&width=100000', async (lab) => {
      const page = lab.page;
      await lab.ready();
      await lab.phase(/^ready$/, 30_000);
      const reason = /width 100,000 × 3 seeds at batch 256 needs about \d+(\.\d)? GiB of memory; the wasm backend can address 4 GiB: lower the width, batch or seeds/;
      const start = page.getByTestId('start');
      expect(await start.isDisabled()).toBe(true);
      expect(await start.getAttribute('title')).toMatch(reason);
      expect(await lab.text('config-problems')).toMatch(reason);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await lab.text('phase')).toBe('ready');
      await page.getByTestId('field-d_sae').fill('64');
      await expect.poll(() => page.getByTestId('config-problems').count()).toBe(0);
      expect(await start.isEnabled()).toBe(true);
      expect(await start.getAttribute('title')).toBeNull();
    });
  });

  test('one click starts both configurations; pause holds them, resume continues, stop ends them', { timeout: 180_000 }, async () => {
    await withLab(server, 'controls-pause', `${IDLE}&steps=100000&width=16&batch=32&every=10&seeds=2`, async (lab) => {
      const page = lab.page;
      await lab.ready();
      await lab.phase(/^ready$/, 30_000);
      await page.getByTestId('start').click();
      await lab.phase(/^training$/, 30_000);
      await expect.poll(() => Promise.all([lab.number('step-A'), lab.number('step-B')]), { timeout: 30_000 }).toSatisfy((steps: number[]) => steps.every((s) => s > 0));
      expect(await lab.text('time-left-A')).toMatch(/about .+ left/);

      await page.getByTestId('pause').click();
      await lab.phase(/^paused$/, 5_000);
      // The workers flush their last metrics on pausing; after that the counters must stand still.
      await page.waitForTimeout(600);
      const held = await Promise.all([lab.number('step-A'), lab.number('step-B')]);
      await page.waitForTimeout(700);
      expect(await Promise.all([lab.number('step-A'), lab.number('step-B')])).toEqual(held);

      await page.getByTestId('resume').click();
      await expect.poll(() => lab.number('step-A'), { timeout: 10_000 }).toBeGreaterThan(held[0]);
      await expect.poll(() => lab.number('step-B'), { timeout: 10_000 }).toBeGreaterThan(held[1]);
      await page.getByTestId('stop').click();
      await lab.phase(/^stopped$/, 10_000);
      expect(await lab.number('step-A')).toBeLessThan(100_000);
    });
  });
});
