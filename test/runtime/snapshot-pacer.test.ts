import { describe, expect, it } from 'vitest';
import { SnapshotPacer } from '../../src/runtime/worker/snapshot-pacer';

/** A clock the test moves by hand, and snapshots that take `costMs` of it. */
function harness(options = { minIntervalMs: 1000, maxShare: 0.2 }) {
  let now = 0;
  const pacer = new SnapshotPacer(options, () => now);
  let taken = 0;
  const take = (costMs: number) => async () => {
    taken++;
    await Promise.resolve();
    now += costMs;
  };
  return { pacer, take, advance: (ms: number) => (now += ms), taken: () => taken };
}

const failOnError = (error: unknown) => {
  throw error;
};

describe('SnapshotPacer', () => {
  it('takes a snapshot at most once per minimum interval when snapshots are cheap', async () => {
    const h = harness();
    h.pacer.maybe(h.take(10), failOnError);
    await h.pacer.settle();
    expect(h.taken()).toBe(1);
    h.advance(500);
    h.pacer.maybe(h.take(10), failOnError);
    expect(h.taken()).toBe(1);
    h.advance(500);
    h.pacer.maybe(h.take(10), failOnError);
    await h.pacer.settle();
    expect(h.taken()).toBe(2);
  });

  it('stretches the interval so that costly snapshots take at most maxShare of the time', async () => {
    const h = harness();
    h.pacer.maybe(h.take(600), failOnError);
    await h.pacer.settle();
    expect(h.pacer.intervalMs).toBe(3000); // 600 ms is 20% of 3 s
    h.advance(2000); // 2.6 s since the start
    h.pacer.maybe(h.take(600), failOnError);
    expect(h.taken()).toBe(1);
    h.advance(400);
    h.pacer.maybe(h.take(600), failOnError);
    expect(h.taken()).toBe(2);
  });

  it('never runs two at once, and now() waits for the running one', async () => {
    const h = harness({ minIntervalMs: 0, maxShare: 1 });
    let running = 0;
    let most = 0;
    const take = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    h.pacer.maybe(take, failOnError);
    h.pacer.maybe(take, failOnError);
    await Promise.all([h.pacer.now(take), h.pacer.now(take)]);
    expect(most).toBe(1);
  });

  it('reports a failed background snapshot and stays usable', async () => {
    const h = harness({ minIntervalMs: 0, maxShare: 1 });
    const errors: unknown[] = [];
    h.pacer.maybe(() => Promise.reject(new Error('boom')), (e) => errors.push(e));
    await h.pacer.settle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toHaveLength(1);
    await h.pacer.now(h.take(1));
    expect(h.taken()).toBe(1);
  });
});
