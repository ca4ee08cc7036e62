/**
 * SAEs from anywhere (a sweep folder, several folders, the runner's tasks) aligned as the paper does:
 * grouped into configurations (everything but the seed equal), then each configuration's seeds aligned
 * pair by pair. The page and `npm run lab -- align` both call this.
 */
import { groupBySeedlessConfig } from '../formats/sweep-groups';
import type { SaeWeights } from '../sae/weights';
import { alignSeeds, type AlignmentSummary } from './align-seeds';
import type { CosineEngine } from './cosine';

export interface AlignableSae {
  name: string;
  weights: SaeWeights;
  hookName: string | null;
  config: Record<string, unknown>;
}

export interface ConfigurationAlignment {
  /** What tells this configuration from the others ("all" when there is one). */
  label: string;
  /** Its SAEs' names, in seed order (folder order). */
  members: string[];
  /** Null when it has a single SAE: nothing to align it with. */
  summary: AlignmentSummary | null;
}

/** Refuses SAEs that cannot be compared, naming a folder on each side of the difference. */
export function checkComparable(saes: readonly AlignableSae[]): void {
  if (saes.length === 0) throw new Error('no SAEs to align');
  const first = saes[0];
  const otherWidth = saes.find((s) => s.weights.d_in !== first.weights.d_in);
  if (otherWidth) throw new Error(`${otherWidth.name} reads ${otherWidth.weights.d_in} values per input, ${first.name} reads ${first.weights.d_in}: SAEs of different inputs cannot be aligned`);
  const hooked = saes.filter((s) => s.hookName !== null);
  const otherHook = hooked.find((s) => s.hookName !== hooked[0].hookName);
  if (otherHook) throw new Error(`${otherHook.name} reads ${otherHook.hookName}, ${hooked[0].name} reads ${hooked[0].hookName}: SAEs of different hooks cannot be aligned`);
}

export function groupConfigurations(saes: readonly AlignableSae[]): { label: string; saes: AlignableSae[] }[] {
  return groupBySeedlessConfig(saes).map((g) => ({ label: g.label, saes: g.members.map((i) => saes[i]) }));
}

export async function alignConfigurations(
  saes: readonly AlignableSae[],
  onProgress?: (configuration: string, pairsDone: number, pairsTotal: number) => void,
  cosine?: CosineEngine,
): Promise<ConfigurationAlignment[]> {
  checkComparable(saes);
  const out: ConfigurationAlignment[] = [];
  for (const group of groupConfigurations(saes)) {
    const members = group.saes.map((s) => s.name);
    const summary =
      group.saes.length < 2 ? null : (await alignSeeds(group.saes.map((s) => s.weights), { onProgress: (done, total) => onProgress?.(group.label, done, total), cosine })).summary;
    out.push({ label: group.label, members, summary });
  }
  return out;
}
