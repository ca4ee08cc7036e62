/** The language model's learning-rate schedule: a pure function of the step, so a resumed run follows it exactly. */

export interface LmSchedule {
  /** Peak learning rate, reached at the end of the warm-up. */
  lr: number;
  warmupSteps: number;
  totalSteps: number;
  /** The learning rate at the last step, as a fraction of the peak (0.1: decay to 10%). */
  finalFraction: number;
}

/**
 * Learning rate for `step` (0-based): linear warm-up from lr/warmup at step 0 to lr at step warmup−1,
 * then cosine decay from lr to lr·finalFraction at step totalSteps−1 (held there after).
 */
export function lmLearningRate(schedule: LmSchedule, step: number): number {
  const { lr, warmupSteps, totalSteps, finalFraction } = schedule;
  if (step < warmupSteps) return (lr * (step + 1)) / warmupSteps;
  const decaySteps = totalSteps - 1 - Math.max(warmupSteps - 1, 0);
  if (decaySteps <= 0) return lr;
  const progress = Math.min(1, (step - Math.max(warmupSteps - 1, 0)) / decaySteps);
  const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
  return lr * (finalFraction + (1 - finalFraction) * cosine);
}
