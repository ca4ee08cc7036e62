/**
 * A newcomer's first visits, in real Chromium: a demo link trains by itself, but a second visit to
 * the same link opens the saved, finished run instead of training and storing it again; and a
 * reload mid-run never starts a new run over the interrupted one: it is offered for Resume, and the
 * resumed run's pace counts only the resumed part.
 */
import { describe, expect, test } from 'vitest';
import type { LabPage } from '../../src/cli/browser/lab-page';
import { useLabServer, withLab } from './support/lab-server';

const server = useLabServer();

/** A small demo-like link that trains by itself (no auto=0), two seeds per side. */
const SHORT_DEMO = 'backend=wasm&images=1000&width=16&batch=50&seeds=2&every=5&steps=60&ckpt=1';
/** The same, long enough to reload in the middle. */
const LONG_DEMO = 'backend=wasm&images=1000&width=16&batch=50&seeds=2&every=5&steps=6000&ckpt=1';

const savedCount = (lab: LabPage) => lab.page.getByTestId('saved-comparison').count();

async function checkpointStep(lab: LabPage): Promise<number> {
  let step = 0;
  await expect
    .poll(
      async () => {
        step = Number(/checkpoint at step (\d+)/.exec(await lab.text('saved-A').catch(() => ''))?.[1] ?? 0);
        return step;
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(0);
  return step;
}

describe('first visits', () => {
  test('a second visit to a finished, saved experiment opens it instead of training another copy', { timeout: 180_000 }, async () => {
    await withLab(server, 'first-visit-reopen', SHORT_DEMO, async (lab) => {
      await lab.ready();
      await lab.phase(/^done$/, 90_000);
      await expect.poll(() => savedCount(lab), { timeout: 20_000 }).toBe(1);
      const mmcs = await lab.text('headline-mmcs-1');

      await lab.page.goto(`${server.url}?${SHORT_DEMO}`);
      await lab.page.getByTestId('arrival-reopened').waitFor({ timeout: 60_000 });
      await lab.phase(/^done$/, 30_000);
      expect(await savedCount(lab)).toBe(1);
      await expect.poll(() => lab.text('headline-mmcs-1'), { timeout: 20_000 }).toBe(mmcs);
      await lab.screenshot('view-arrival-reopened', 'arrival-reopened');

      // …with one clear way to train again, which does store a second run.
      await lab.page.getByTestId('arrival-train-again').click();
      await lab.phase(/training|done/, 30_000);
      expect(await lab.page.getByTestId('arrival-reopened').count()).toBe(0);
      await expect.poll(() => savedCount(lab), { timeout: 20_000 }).toBe(2);
    });
  });

  test('a reload mid-run starts nothing new: the interrupted run waits with Resume ready, and resumes at its own pace', { timeout: 240_000 }, async () => {
    await withLab(server, 'first-visit-reload', LONG_DEMO, async (lab) => {
      await lab.ready();
      await lab.phase(/^training$/, 60_000);
      const saved = await checkpointStep(lab);
      await expect.poll(async () => Number(/([\d.]+) steps\/s/.exec(await lab.text('pace-A').catch(() => ''))?.[1] ?? 0), { timeout: 20_000 }).toBeGreaterThan(0);
      const paceBefore = Number(/([\d.]+) steps\/s/.exec(await lab.text('pace-A'))![1]);

      await lab.page.reload();
      await lab.ready();
      const notice = lab.page.getByTestId('arrival-interrupted');
      await notice.waitFor({ timeout: 30_000 });
      expect(await notice.innerText()).toMatch(/was interrupted.*checkpoint at step \d+.*Nothing new was started/s);
      // Nothing trains, no second run is stored, and the saved run's buttons are ready.
      await lab.page.waitForTimeout(2000);
      expect(await lab.text('phase')).not.toMatch(/training/);
      expect(await savedCount(lab)).toBe(1);
      const row = lab.page.getByTestId('saved-comparison').first();
      expect(await row.getByTestId('saved-status').allTextContents()).toEqual(['interrupted', 'interrupted']);
      for (const button of ['open-saved', 'resume-saved', 'delete-saved']) expect(await row.getByTestId(button).isEnabled(), button).toBe(true);
      await lab.screenshot('view-arrival-interrupted', 'arrival-interrupted');

      await lab.page.getByTestId('arrival-resume').click();
      await lab.phase(/^training$/, 60_000);
      expect(await lab.number('step-A')).toBeGreaterThanOrEqual(saved);
      // While it trains, a saved run cannot be opened over it, and the buttons say why.
      expect(await row.getByTestId('open-saved').getAttribute('title')).toMatch(/stop it first/);
      expect(await row.getByTestId('delete-saved').getAttribute('title')).toMatch(/training now: stop it first/);
      // The pace counts the resumed stretch only: comparable to before the reload, not inflated by the steps before it.
      await expect.poll(async () => /since resuming/.test(await lab.text('pace-A').catch(() => '')), { timeout: 20_000 }).toBe(true);
      await lab.page.waitForTimeout(1500);
      const paceAfter = Number(/([\d.]+) steps\/s/.exec(await lab.text('pace-A'))![1]);
      expect(paceAfter, `before ${paceBefore}, after ${paceAfter}`).toBeLessThan(3 * paceBefore);
      expect(paceAfter).toBeGreaterThan(paceBefore / 3);
      await lab.page.getByTestId('stop').click();
      await lab.phase(/stopped/, 60_000);
    });
  });
});
