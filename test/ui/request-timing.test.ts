import { afterEach, describe, expect, test, vi } from 'vitest';
import { debounce } from '../../src/ui/lib/debounce';
import { latestOnly } from '../../src/ui/lib/latest-only';

/** A promise the test settles by hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('latestOnly', () => {
  test('runs one call at a time and, of the requests made meanwhile, only the newest', async () => {
    const calls: number[] = [];
    const pending: ReturnType<typeof deferred>[] = [];
    const requests = latestOnly(async (n: number) => {
      calls.push(n);
      const d = deferred();
      pending.push(d);
      await d.promise;
    });
    requests.request(1);
    requests.request(2);
    requests.request(3);
    expect(calls).toEqual([1]);
    pending[0].resolve();
    await vi.waitFor(() => expect(calls).toEqual([1, 3]));
    pending[1].resolve();
    await requests.idle();
    expect(calls).toEqual([1, 3]);
  });

  test('a failed call does not stop the next one', async () => {
    const calls: number[] = [];
    const requests = latestOnly(async (n: number) => {
      calls.push(n);
      if (n === 1) throw new Error('worker busy');
    });
    requests.request(1);
    requests.request(2);
    await requests.idle();
    expect(calls).toEqual([1, 2]);
  });
});

describe('debounce', () => {
  afterEach(() => void vi.useRealTimers());

  test('calls once, with the last arguments, after the calls pause', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const debounced = debounce(fn, 100);
    debounced(1);
    vi.advanceTimersByTime(60);
    debounced(2);
    vi.advanceTimersByTime(60);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(fn).toHaveBeenCalledExactlyOnceWith(2);
  });

  test('cancel drops the pending call', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const debounced = debounce(fn, 100);
    debounced(1);
    debounced.cancel();
    vi.advanceTimersByTime(200);
    expect(fn).not.toHaveBeenCalled();
  });
});
