/**
 * The finished comparison in one plain sentence: which configuration's seeds agree more, by how
 * much, how consistently across seed pairs, and whether the sparsity was comparable.
 */
import type { AlignmentSummary } from '../core/align/align-seeds';
import { sparsityMismatch } from './equal-step';
import { formatHeadline, formatHeadlineDiff, HEADLINE_METRICS, pairWins } from './views/headline-values';
import { formatFixed } from './views/number-format';

export interface FinishedSide {
  label: string;
  alignment: AlignmentSummary;
  l0: number | null;
}

const metric = (key: string) => HEADLINE_METRICS.find((m) => m.key === key)!;

function consistency(higher: number, lower: number, pairs: number, winner: string): string {
  const wins = winner === 'B' ? higher : lower;
  if (wins === pairs) return pairs === 1 ? 'in the one seed pair' : `in all ${pairs} seed pairs`;
  return `in ${wins} of ${pairs} seed pairs, so not consistently`;
}

export function resultSentence(step: number, a: FinishedSide, b: FinishedSide): string {
  const mmcs = metric('mmcs');
  const shared = metric('shared');
  const diff = mmcs.read(b.alignment) - mmcs.read(a.alignment);
  const wins = pairWins(a.alignment, b.alignment, mmcs);
  const values = `MMCS ${formatHeadline(mmcs.read(b.alignment), mmcs)} against ${formatHeadline(mmcs.read(a.alignment), mmcs)}, ${formatHeadlineDiff(diff, mmcs)}`;
  const sharedPart = `features shared with all seeds: ${formatHeadline(shared.read(b.alignment), shared)} against ${formatHeadline(shared.read(a.alignment), shared)}`;
  let verdict: string;
  if (diff === 0) verdict = `At step ${step}, ${b.label} and ${a.label} align equally across seeds (${values}); ${sharedPart}.`;
  else {
    const [better, worse, winner] = diff > 0 ? [b, a, 'B'] : [a, b, 'A'];
    const how = wins ? `, higher ${consistency(wins.higher, wins.lower, wins.pairs, winner)}` : '';
    verdict = `At step ${step}, ${better.label}'s seeds learned more alike features than ${worse.label}'s (${values}${how}); ${sharedPart}.`;
  }
  const ratio = sparsityMismatch(a.l0, b.l0);
  if (ratio === null) return verdict;
  return `${verdict} Sparsity differs (L0 ${formatFixed(a.l0, 1)} for ${a.label}, ${formatFixed(b.l0, 1)} for ${b.label}, ${ratio.toFixed(1)}×): part of the difference may be sparsity, not the configuration.`;
}
