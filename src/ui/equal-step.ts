/**
 * Like with like: the step at which two configurations' numbers are compared (the latest step at
 * which both have an alignment), and what each had at that step, sparsity included.
 */
import type { AlignmentSummary } from '../core/align/align-seeds';
import type { SeedMetrics } from '../core/train/metrics';
import type { AlignmentAt } from '../runtime/protocol/run-records';

/**
 * L0s further apart than this ratio mean alignment is compared at different sparsity: sparser
 * SAEs tend to align differently, so the difference is not the configuration's alone.
 */
export const SPARSITY_RATIO_WARNING = 1.25;

/** The latest step present in every history; null if they share none (or there are none). */
export function latestCommonStep(histories: readonly AlignmentAt[][]): number | null {
  if (histories.length === 0) return null;
  const [first, ...rest] = histories;
  const others = rest.map((h) => new Set(h.map((a) => a.step)));
  for (let i = first.length - 1; i >= 0; i--) {
    if (others.every((steps) => steps.has(first[i].step))) return first[i].step;
  }
  return null;
}

export function alignmentAt(history: readonly AlignmentAt[], step: number | null): AlignmentSummary | null {
  return step === null ? null : (history.find((a) => a.step === step)?.alignment ?? null);
}

/** Mean L0 over seeds, each seed's from its latest read-back at or before `step`. */
export function meanL0At(perSeed: readonly SeedMetrics[], step: number | null): { l0: number; readAt: number } | null {
  if (step === null) return null;
  const reads = perSeed.flatMap((curve) => {
    let latest = null;
    for (const m of curve.metrics) if (m.step <= step && (latest === null || m.step >= latest.step)) latest = m;
    return latest ? [latest] : [];
  });
  if (reads.length === 0) return null;
  return { l0: reads.reduce((sum, m) => sum + m.l0, 0) / reads.length, readAt: Math.min(...reads.map((m) => m.step)) };
}

/** How many times sparser one side is than the other (≥ 1), when that exceeds the warning ratio; else null. */
export function sparsityMismatch(l0A: number | null, l0B: number | null): number | null {
  if (l0A === null || l0B === null || l0A <= 0 || l0B <= 0) return null;
  const ratio = Math.max(l0A, l0B) / Math.min(l0A, l0B);
  return ratio > SPARSITY_RATIO_WARNING ? ratio : null;
}
