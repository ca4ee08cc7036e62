/**
 * `npm run lab -- align DIR... [--json FILE]`: SAEs from any supported layout (several folders, a sweep
 * folder, the runner's --out or the folders its tasks wrote), grouped into configurations and aligned
 * across seeds with the page's code. Prints one table per configuration and per seed pair.
 */
import { rename, writeFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { alignConfigurations, type ConfigurationAlignment } from '../core/align/configurations';
import type { CosineEngine, PairSummary } from '../core/align';
import { readSaeFolders } from '../io/sae-folders-node';

export interface AlignCommandOptions {
  json?: string;
  log?: (line: string) => void;
  /** What computes the |cos| products (the runner's threads); this thread's backend by default. */
  cosine?: CosineEngine;
}

export async function runAlign(dirs: readonly string[], options: AlignCommandOptions = {}): Promise<ConfigurationAlignment[]> {
  const log = options.log ?? console.log;
  if (dirs.length === 0) throw new Error('align needs at least one folder: npm run lab -- align DIR... [--json FILE]');
  const saes = await readSaeFolders(dirs);
  log(`Read ${saes.length} SAEs (${[...new Set(saes.map((s) => s.layout))].join(', ')}), ${saes[0].weights.d_in} → ${[...new Set(saes.map((s) => s.weights.d_sae))].join('/')} latents.`);
  const results = runnerLabels(await alignConfigurations(saes, (label, done, total) => log(`  ${label}: pair ${done} of ${total} aligned`), options.cosine));
  log('');
  log(configurationTable(results));
  log('');
  log(pairTable(results));
  if (options.json) {
    // Written beside the target and renamed: a failure leaves no half-written report.
    const temporary = `${options.json}.partial`;
    await writeFile(temporary, JSON.stringify({ configurations: results }, null, 2));
    await rename(temporary, options.json);
    log(`\nWrote ${options.json}.`);
  }
  return results;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const FIGURES = ['MMCS', 'mean matched', 'frac ≥ τ', 'shared (pairs)'];
const figures = (p: Pick<PairSummary, 'mmcs' | 'meanMatched' | 'fracAboveTau' | 'sharedFrac'>) => [p.mmcs.toFixed(3), p.meanMatched.toFixed(3), pct(p.fracAboveTau), pct(p.sharedFrac)];

export function configurationTable(results: readonly ConfigurationAlignment[]): string {
  const rows = results.map(({ label, members, summary }) =>
    summary ? [label, String(members.length), ...figures(summary.meanOverPairs), pct(summary.acrossSeeds.sharedWithAllFrac)] : [label, '1', '–', '–', '–', '–', '– (one seed)'],
  );
  const tau = results.find((r) => r.summary)?.summary?.tau ?? 0.7;
  return [
    'Per configuration (means over seed pairs)',
    table(['configuration', 'seeds', ...FIGURES, 'shared across all seeds'], rows),
    `τ = ${tau}; "shared" = encoder and decoder assignments agree and both |cos| ≥ τ; "across all seeds" counts the first seed's features.`,
  ].join('\n');
}

export function pairTable(results: readonly ConfigurationAlignment[]): string {
  const short = shortNames(results.flatMap((r) => r.members));
  const rows = results.flatMap(({ label, members, summary }) =>
    (summary?.pairs ?? []).map((p) => [label, `${short.get(members[p.seedA])} × ${short.get(members[p.seedB])}`, ...figures(p)]),
  );
  return ['Per seed pair', table(['configuration', 'pair', ...FIGURES], rows)].join('\n');
}

/**
 * The runner's folders (`DIR/<configuration>/seed-<s>/`, one process's or its tasks') are labelled by their
 * configuration's folder name: the lab_training settings that tell them apart make labels too long to read.
 * Any other layout, or configurations that do not each fill one such folder, keep the settings as labels.
 */
export function runnerLabels<T extends { label: string; members: string[] }>(results: T[]): T[] {
  const folders = results.map(({ members }) => {
    const names = new Set(members.map((m) => /([^/\\]+)[/\\]seed-\d+$/.exec(m)?.[1]));
    return names.size === 1 ? [...names][0] : undefined;
  });
  if (folders.some((f) => f === undefined) || new Set(folders).size !== folders.length) return results;
  return results.map((r, i) => ({ ...r, label: folders[i]! }));
}

/** Folder names without the folders every one of them is in: trainer_0 rather than /data/release/trainer_0. */
function shortNames(names: readonly string[]): Map<string, string> {
  const parts = names.map((n) => n.split(sep));
  let common = 0;
  while (parts.every((p) => common < p.length - 1 && p[common] === parts[0][common])) common++;
  return new Map(names.map((n, i) => [n, parts[i].slice(common).join(sep)]));
}
