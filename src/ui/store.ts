/** The page's state and the actions that drive the trainer worker. Nothing here computes: it records. */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import { teachingDemoConfig } from '../core/presets';
import type { StepMetrics } from '../core/train/metrics';
import type { BackendReport } from '../runtime/backend-types';
import type { MetricsBatch, TrainerReady } from '../runtime/trainer-api';
import { startTrainerWorker, type TrainerClient } from './trainer-client';
import { readPageParams } from './url-params';

export type Phase = 'starting' | 'ready' | 'training' | 'paused' | 'done' | 'stopped' | 'error';

export interface LabState {
  phase: Phase;
  backend: BackendReport | null;
  data: TrainerReady['data'] | null;
  step: number;
  totalSteps: number;
  elapsedMs: number;
  /** Every metrics read-back of the current run, in step order. */
  history: StepMetrics[];
  error: string | null;
  init(): Promise<void>;
  train(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const params = readPageParams(window.location.search);
let client: TrainerClient | null = null;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useLab = create<LabState>()((set, get) => {
  const fail = (e: unknown) => set({ phase: 'error', error: message(e) });
  const onMetrics = (batch: MetricsBatch) =>
    set((s) => ({
      step: batch.step,
      totalSteps: batch.totalSteps,
      elapsedMs: batch.elapsedMs,
      history: batch.metrics.length > 0 ? [...s.history, ...batch.metrics] : s.history,
    }));

  return {
    phase: 'starting',
    backend: null,
    data: null,
    step: 0,
    totalSteps: 0,
    elapsedMs: 0,
    history: [],
    error: null,

    async init() {
      // React's StrictMode mounts twice in development: start one worker only.
      if (client) return;
      client = startTrainerWorker(fail);
      try {
        const appBaseUrl = new URL(import.meta.env.BASE_URL, window.location.href).href;
        const ready = await client.api.init({ backend: params.backend, appBaseUrl, trainLimit: params.trainLimit });
        set({ phase: 'ready', backend: ready.backend, data: ready.data });
      } catch (e) {
        fail(e);
      }
    },

    async train() {
      const { phase, backend } = get();
      if (!client || !backend || phase === 'training' || phase === 'paused') return;
      const config = teachingDemoConfig(params.configOverrides);
      set({ phase: 'training', step: 0, totalSteps: 0, elapsedMs: 0, history: [], error: null });
      try {
        const end = await client.api.start(config, Comlink.proxy(onMetrics));
        set({ phase: end.reason, step: end.step, elapsedMs: end.elapsedMs });
      } catch (e) {
        fail(e);
      }
    },

    async pause() {
      set({ phase: 'paused' });
      await client?.api.pause();
    },

    async resume() {
      set({ phase: 'training' });
      await client?.api.resume();
    },

    async stop() {
      await client?.api.stop();
    },
  };
});
