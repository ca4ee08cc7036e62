/**
 * The lab worker: a comlink shell around LabSession, which trains every seed of one configuration
 * side by side and answers the inspector. The science is in src/core; the scheduling in
 * src/runtime. Results cross to the page with their typed arrays transferred, not copied.
 */
import * as Comlink from 'comlink';
import type { LabWorkerApi } from '../src/runtime/lab-api';
import { LabSession } from '../src/runtime/lab-session';
import { ownedBuffers } from '../src/runtime/transfer';
import { firstRows, loadWorkerMnist } from '../src/runtime/worker-mnist';

const CLASSIFIER_MIN_DIGITS = 5000;

let session: LabSession | null = null;

function requireSession(): LabSession {
  if (!session) throw new Error('call init() first');
  return session;
}

function transferred<T>(value: T): T {
  return Comlink.transfer(value, ownedBuffers(value));
}

/** Page callbacks are comlink proxies: calls are messages, so never wait on them while training. */
function post<T>(callback: (value: T) => void): (value: T) => void {
  return (value) => void Promise.resolve(callback(transferred(value))).catch(() => undefined);
}

function release(...callbacks: unknown[]): void {
  for (const callback of callbacks) (callback as Comlink.ProxyMethods)[Comlink.releaseProxy]?.();
}

const api: LabWorkerApi = {
  async init(options) {
    if (session) throw new Error('the lab worker is already initialised');
    const { backend, data, mnist, train } = await loadWorkerMnist(options);
    // The classifier that judges steering learns from at least CLASSIFIER_MIN_DIGITS digits even when
    // the SAEs train on fewer (500 digits gave it 49% held-out accuracy, 3000 gave 82%, all 60,000 95%).
    const classifierTrain = train.count < CLASSIFIER_MIN_DIGITS ? firstRows(mnist.train, CLASSIFIER_MIN_DIGITS) : undefined;
    session = await LabSession.create(train, mnist.test, { classifierTrain });
    return { backend, data, testSize: session.testSize, classifierAccuracy: session.classifierAccuracy };
  },

  async start(spec, onMetrics, onSnapshot) {
    try {
      return await requireSession().start(spec, post(onMetrics), post(onSnapshot));
    } finally {
      release(onMetrics, onSnapshot);
    }
  },

  pause: () => session?.pause(),
  resume: () => session?.resume(),
  stop: () => session?.stop(),

  pairMatrix: async (seedA, seedB) => transferred(await requireSession().pairMatrix(seedA, seedB)),
  inspect: async (seed, feature) => transferred(await requireSession().inspect(seed, feature)),
  steer: async (seed, feature, digitIndex, alphas) => transferred(await requireSession().steer(seed, feature, digitIndex, alphas)),
  steeringSuccess: (seed) => requireSession().steeringSuccess(seed),
  exportSaeLens: async (seed) => transferred(await requireSession().exportSaeLens(seed)),
};

Comlink.expose(api);
