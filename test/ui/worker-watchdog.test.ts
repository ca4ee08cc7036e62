/**
 * The watchdog on fake timers: a worker whose steps are slow but that answers pings is kept, a
 * silent one is reported once the patience has run out twice over (silence, then the ping), and a
 * run that keeps failing is given up after three fresh workers.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { MAX_RECOVERIES, RecoveryBudget, SILENCE_MS, watchWorker, WATCHDOG_EVERY_MS, type WatchdogOptions } from '../../src/ui/worker-watchdog';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

function watched(overrides: Partial<WatchdogOptions> = {}) {
  const onSilent = vi.fn();
  const ping = vi.fn(() => new Promise<true>(() => undefined));
  const options = { ping, current: () => true, training: () => true, msPerStep: () => 100, onSilent, ...overrides };
  return { ...options, watchdog: watchWorker(options) };
}

describe('worker watchdog', () => {
  test('a worker that keeps sending is never pinged', async () => {
    const { ping, onSilent, watchdog } = watched();
    for (let t = 0; t < 120_000; t += 1_000) {
      watchdog.heard();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(ping).not.toHaveBeenCalled();
    expect(onSilent).not.toHaveBeenCalled();
    watchdog.stop();
  });

  test('a slow worker (30 s steps, silent between them) that answers pings is kept', async () => {
    // A ping is answered between training chunks: here 25 s after it is sent, mid-step.
    const ping = vi.fn(() => new Promise<true>((resolve) => setTimeout(() => resolve(true), 25_000)));
    const { onSilent, watchdog } = watched({ ping, msPerStep: () => 30_000 });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    // Patience is 3 steps' time (90 s), not SILENCE_MS: pinged every 90 s or so, answered each time.
    expect(ping.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(ping.mock.calls.length).toBeLessThanOrEqual(10 * 60 / 90 + 1);
    expect(onSilent).not.toHaveBeenCalled();
    watchdog.stop();
  });

  test('a silent worker whose ping never resolves is reported after the patience, once', async () => {
    const { ping, onSilent } = watched();
    await vi.advanceTimersByTimeAsync(SILENCE_MS - 1);
    expect(ping).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(WATCHDOG_EVERY_MS);
    expect(ping).toHaveBeenCalledOnce();
    // The ping gets as long again to be answered.
    await vi.advanceTimersByTimeAsync(SILENCE_MS - WATCHDOG_EVERY_MS);
    expect(onSilent).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(WATCHDOG_EVERY_MS + 1);
    expect(onSilent).toHaveBeenCalledOnce();
    // It stops watching: no more pings, no second report.
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(ping).toHaveBeenCalledOnce();
    expect(onSilent).toHaveBeenCalledOnce();
  });

  test('a ping that fails (the worker is gone) counts as no answer', async () => {
    const { onSilent } = watched({ ping: vi.fn(() => Promise.reject(new Error('terminated'))) });
    await vi.advanceTimersByTimeAsync(SILENCE_MS + WATCHDOG_EVERY_MS);
    expect(onSilent).toHaveBeenCalledOnce();
  });

  test('a paused run is not pinged, and a replaced one stops the watchdog', async () => {
    let training = false;
    let current = true;
    const { ping, onSilent } = watched({ training: () => training, current: () => current });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ping).not.toHaveBeenCalled();
    training = true;
    current = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ping).not.toHaveBeenCalled();
    expect(onSilent).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('recovery budget', () => {
  test('three fresh workers, then the fourth failure gives up naming the attempts', () => {
    const budget = new RecoveryBudget();
    expect(MAX_RECOVERIES).toBe(3);
    expect([budget.take(), budget.take(), budget.take()]).toEqual([true, true, true]);
    expect(budget.take()).toBe(false);
    expect(budget.givingUp('A', 'it stopped responding')).toBe(
      'the A worker failed: it stopped responding. Gave up after 3 attempts to resume the run on a fresh worker from its checkpoint; Resume it from Saved runs to try again.',
    );
    budget.reset();
    expect(budget.take()).toBe(true);
  });
});
