/**
 * Where a run captures its cross-seed alignment for comparison with another configuration: at every
 * multiple of one step interval, so that A and B, trained side by side at different speeds, are
 * compared at equal steps (a live B − A between A at step 65 and B at step 25 says nothing).
 */
import { alignSeeds } from '../../core/align';
import type { SaeWeights } from '../../core/sae/weights';
import type { AlignmentAt } from '../protocol/run-records';
import type { Milestones } from './run-loop';

/** About this many milestones per run: enough for a curve, few enough to cost little. */
const MILESTONES_PER_RUN = 40;


/**
 * The milestone interval for a run of `totalSteps`: a round number (1, 2 or 5 × 10^k), so runs of
 * different lengths still meet on common steps.
 */
export function milestoneEvery(totalSteps: number): number {
  const raw = Math.max(1, totalSteps / MILESTONES_PER_RUN);
  const decade = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * decade).find((nice) => nice >= raw)!;
}

/**
 * Milestones for a multi-seed trainer: at each one the seeds' weights are read at once (the reads
 * are queued before the next step), and aligned afterwards, one milestone at a time, in the order
 * reached. `take()` hands over the alignments finished since its last call.
 */
export function alignmentMilestones(totalSteps: number, readWeights: () => Promise<SaeWeights[]>, onError: (error: unknown) => void): Milestones & { take(): AlignmentAt[]; settled(): Promise<void> } {
  const done: AlignmentAt[] = [];
  let chain: Promise<void> = Promise.resolve();
  return {
    every: milestoneEvery(totalSteps),
    reached(step) {
      const weights = readWeights();
      chain = chain.then(async () => {
        const report = await alignSeeds(await weights);
        done.push({ step, alignment: report.summary });
      }).catch(onError);
    },
    take: () => done.splice(0),
    settled: () => chain,
  };
}
