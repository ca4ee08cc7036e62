import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEFAULT_TAU } from '../../core/align';
import { alignmentAt, latestCommonStep, meanL0At, sparsityMismatch } from '../equal-step';
import { SIDE_COLORS } from '../labels';
import { pooledMatchedHistogram, type MatchedSide } from '../matched-histogram';
import { labStore, useLab } from '../page';
import { resultSentence } from '../result-sentence';
import { resultLabels } from '../selectors';
import { equalSparsityK, withTopK } from '../store/equal-sparsity';
import { isActive } from '../store/runtime';
import { HeadlineNumbers, MatchedHistogram, SharedFeatures } from '../views';
import type { HeadlineRun } from '../views/headline-numbers';
import { formatFixed } from '../views/number-format';

/**
 * The answer to the lab's question, live: how alike the seeds' features are, per configuration,
 * and B − A, always between the two configurations at the same step and with the sparsity they
 * were measured at.
 */
export function AlignmentPanel() {
  const { compare, runtimeA, runtimeB, labelA, labelB, seedCount } = useLab(
    useShallow((s) => {
      const [labelA, labelB] = resultLabels(s);
      return { compare: s.experiment.compare, runtimeA: s.runtime[0], runtimeB: s.runtime[1], labelA, labelB, seedCount: s.runtime[0].run?.seeds.length ?? s.experiment.seedCount };
    }),
  );
  const view = useMemo(() => {
    const sides = compare ? [runtimeA, runtimeB] : [runtimeA];
    const labels = [labelA, labelB];
    const common = compare ? latestCommonStep(sides.map((r) => r.alignmentHistory)) : null;
    // Two runs are shown at their latest common step; until they have one (or with one run), each at its latest.
    const shownStep = (i: number) => common ?? sides[i].alignmentHistory.at(-1)?.step ?? null;
    const runs: HeadlineRun[] = sides.map((runtime, i) => {
      const step = shownStep(i);
      return { label: labels[i], alignment: alignmentAt(runtime.alignmentHistory, step), ...(step === null ? {} : { step }), l0: meanL0At(runtime.perSeed, step)?.l0 ?? null };
    });
    const histogramsOf = (kind: MatchedSide) =>
      runs.map((run, side) => ({ label: run.label, color: SIDE_COLORS[side], histogram: pooledMatchedHistogram(run.alignment, kind) })).filter((run) => run.histogram.length > 0);
    const histograms = histogramsOf('decoder');
    const encoderHistograms = histogramsOf('encoder');
    // A run saved before the encoder's counts were recorded has only the decoder's: say whose are missing.
    const withoutEncoder = runs.filter((run) => run.alignment && pooledMatchedHistogram(run.alignment, 'encoder').length === 0).map((run) => run.label);
    const encoderNote =
      withoutEncoder.length > 0 ? `${withoutEncoder.join(' and ')}: saved before the encoder's histogram was recorded, so only its decoder histogram is shown.` : null;
    const sharing = runs.map((run, side) => ({ label: run.label, color: SIDE_COLORS[side], sharing: run.alignment?.acrossSeeds }));
    const finished = compare && common !== null && sides.every((r) => r.phase === 'done' && r.step === common) && runs.every((r) => r.alignment);
    const sentence = finished ? resultSentence(common, { label: labels[0], alignment: runs[0].alignment!, l0: runs[0].l0 ?? null }, { label: labels[1], alignment: runs[1].alignment!, l0: runs[1].l0 ?? null }) : null;
    const ahead = compare && common !== null && sides.some((r) => isActive(r.phase) && r.step > common);
    const note = !compare
      ? null
      : common === null
        ? sides.some((r) => r.alignmentHistory.length > 0)
          ? 'B − A appears once both configurations have reached the same step.'
          : null
        : ahead
          ? `Both at step ${common}, the latest step both have reached (A is at ${sides[0].step}, B at ${sides[1].step}).`
          : null;
    return { runs, histograms, encoderHistograms, encoderNote, sharing, sentence, note, mismatch: compare ? sparsityMismatch(runs[0].l0 ?? null, runs[1].l0 ?? null) : null };
  }, [compare, runtimeA, runtimeB, labelA, labelB]);
  const tau = view.runs.find((r) => r.alignment)?.alignment?.tau ?? DEFAULT_TAU;
  return (
    <section className="panel" data-testid="alignment-panel">
      <h2>Alignment across seeds</h2>
      <p className="caption">
        Each seed's features are matched one-to-one with another seed's (optimal assignment on decoder |cos|). Higher numbers mean the seeds learned the same
        features. Each number is a mean over seed pairs, with its range over the pairs below it; A and B are compared at the same step (alignment is taken at
        fixed steps of every run).
      </p>
      {seedCount > 1 ? (
        <>
          {view.sentence && (
            <p className="result-sentence" role="status" data-testid="result-sentence">
              {view.sentence}
            </p>
          )}
          {view.note && (
            <p className="muted" data-testid="equal-step-note">
              {view.note}
            </p>
          )}
          <div className="alignment-row">
            <HeadlineNumbers runs={view.runs} equalSteps={!compare || latestCommonStepShown(view.runs)} />
            <div className="alignment-figures">
              <MatchedHistogram runs={view.histograms} tau={tau} side="decoder" />
              <MatchedHistogram runs={view.encoderHistograms} tau={tau} side="encoder" note={view.encoderNote} />
              <SharedFeatures runs={view.sharing} seeds={seedCount} tau={tau} />
            </div>
          </div>
          {view.mismatch !== null && <SparsityWarning ratio={view.mismatch} l0A={view.runs[0].l0 ?? null} l0B={view.runs[1].l0 ?? null} />}
        </>
      ) : (
        <p className="muted placeholder">Alignment compares seeds: train two or more to see it.</p>
      )}
    </section>
  );
}

function latestCommonStepShown(runs: HeadlineRun[]): boolean {
  return runs.length === 2 && runs[0].step !== undefined && runs[0].step === runs[1].step;
}

/** Alignment at different sparsity is not like for like: say so, and offer TopK with one k on both sides. */
function SparsityWarning({ ratio, l0A, l0B }: { ratio: number; l0A: number | null; l0B: number | null }) {
  const k = equalSparsityK(l0A ?? 1, l0B ?? 1);
  const equalise = () => {
    const { experiment, setExperiment } = labStore.getState();
    setExperiment({ configs: [withTopK(experiment.configs[0], k), withTopK(experiment.configs[1], k)] });
  };
  return (
    <p className="notice" data-testid="sparsity-warning">
      A and B are compared at different sparsity: L0 {formatFixed(l0A, 1)} against {formatFixed(l0B, 1)} ({ratio.toFixed(1)}×). Alignment depends on sparsity, so
      part of B − A may come from it.{' '}
      <button type="button" data-testid="equal-sparsity" onClick={equalise} title={`Sets both configurations to TopK with k = ${k} (the sparser side's L0); press Start to train them`}>
        Compare at equal sparsity (TopK, k = {k} on both)
      </button>
    </p>
  );
}
