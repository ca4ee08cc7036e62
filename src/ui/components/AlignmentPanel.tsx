import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEFAULT_TAU } from '../../core/align';
import { SIDE_COLORS } from '../labels';
import { pooledMatchedHistogram } from '../matched-histogram';
import { useLab } from '../page';
import { resultLabels } from '../selectors';
import { HeadlineNumbers, MatchedHistogram } from '../views';

/** The answer to the lab's question, live: how alike the seeds' features are, per configuration, and B − A. */
export function AlignmentPanel() {
  const { compare, snapshotA, snapshotB, labelA, labelB, seedCount } = useLab(
    useShallow((s) => {
      const [labelA, labelB] = resultLabels(s);
      return {
        compare: s.experiment.compare,
        snapshotA: s.runtime[0].snapshot,
        snapshotB: s.runtime[1].snapshot,
        labelA,
        labelB,
        seedCount: s.runtime[0].run?.seeds.length ?? s.experiment.seedCount,
      };
    }),
  );
  const { headline, histograms } = useMemo(() => {
    const shown = [
      { label: labelA, snapshot: snapshotA },
      { label: labelB, snapshot: snapshotB },
    ].slice(0, compare ? 2 : 1);
    return {
      headline: shown.map(({ label, snapshot }) => ({ label, alignment: snapshot?.alignment ?? null, step: snapshot?.step })),
      histograms: shown
        .map(({ label, snapshot }, side) => ({ label, color: SIDE_COLORS[side], histogram: pooledMatchedHistogram(snapshot?.alignment ?? null) }))
        .filter((run) => run.histogram.length > 0),
    };
  }, [snapshotA, snapshotB, compare, labelA, labelB]);
  const tau = snapshotA?.alignment?.tau ?? snapshotB?.alignment?.tau ?? DEFAULT_TAU;
  return (
    <section className="panel" data-testid="alignment-panel">
      <h2>Alignment across seeds</h2>
      <p className="caption">
        Each seed's features are matched one-to-one with another seed's (optimal assignment on decoder |cos|). Higher numbers mean the seeds learned the same
        features. Updated about once a second while training.
      </p>
      {seedCount > 1 ? (
        <div className="alignment-row">
          <HeadlineNumbers runs={headline} />
          <MatchedHistogram runs={histograms} tau={tau} />
        </div>
      ) : (
        <p className="muted placeholder">Alignment compares seeds: train two or more to see it.</p>
      )}
    </section>
  );
}
