import type { OptimConfig } from './config';

/** Learning rate at `step` (0-based) of `totalSteps`: linear warm-up, constant, then linear decay to 0. */
export function learningRate(optim: OptimConfig, step: number, totalSteps: number): number {
  const warm = optim.warmupSteps > 0 ? Math.min(1, (step + 1) / optim.warmupSteps) : 1;
  const decayStart = Math.floor(optim.decayStartFrac * totalSteps);
  const decay = optim.decayStartFrac < 1 && step >= decayStart ? Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - decayStart)) : 1;
  return optim.lr * warm * decay;
}
