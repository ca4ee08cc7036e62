import type { TrainedEntry } from './checkpoint-file';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** The alignment table printed at the end of a run: one row per configuration, means over seed pairs. */
export function alignmentTable(entries: TrainedEntry[]): string {
  const header = ['configuration', 'MMCS', 'mean matched', 'frac ≥ τ', 'shared (pairs)', 'shared across all seeds', 'steps/s'];
  const rows = entries.map(({ name, alignment: a, stepsPerSecond }) =>
    a
      ? [name, a.meanOverPairs.mmcs.toFixed(3), a.meanOverPairs.meanMatched.toFixed(3), pct(a.meanOverPairs.fracAboveTau), pct(a.meanOverPairs.sharedFrac), pct(a.acrossSeeds.sharedWithAllFrac), stepsPerSecond.toFixed(2)]
      : [name, '–', '–', '–', '–', '– (one seed)', stepsPerSecond.toFixed(2)],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const tau = entries.find((e) => e.alignment)?.alignment?.tau ?? 0.7;
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line), `τ = ${tau}; "shared" = encoder and decoder assignments agree and both |cos| ≥ τ (seed 0's features).`].join('\n');
}
