/**
 * A sweep folder (the paper's release: `trainer_0/`, `trainer_1/`, …) holds SAEs of several
 * configurations, each trained with several seeds. SAEs whose configurations agree on everything but
 * the seed form one configuration; each is named by the settings that tell it from the others, e.g.
 * "l2_penalty 0" against "l2_penalty 0.0001".
 */

export interface SweepMember {
  /** The SAE's folder, as shown to the user. */
  name: string;
  /** Its training configuration as its files wrote it (nested objects allowed). */
  config: Record<string, unknown>;
}

export interface ConfigurationGroup {
  /** The settings that differ between groups, "key value" joined by ", "; "all" when there is one group. */
  label: string;
  /** The settings that label it, as values. */
  differing: Record<string, unknown>;
  /** Indices into the members, in folder order (numeric-aware: trainer_2 before trainer_10). */
  members: number[];
}

/**
 * Keys that differ between seeds of one configuration without changing it: the seed itself, and the
 * run's bookkeeping (dictionary_learning's wandb_name carries the trainer index; device is where it ran).
 */
const PER_RUN_KEYS = new Set(['seed', 'wandb_name', 'device']);

export function groupBySeedlessConfig(members: readonly SweepMember[]): ConfigurationGroup[] {
  const flat = members.map((m) => flatten(m.config));
  const keyOf = (settings: Map<string, unknown>) => JSON.stringify([...settings].filter(([k]) => !PER_RUN_KEYS.has(lastPart(k))).sort(([a], [b]) => (a < b ? -1 : 1)));
  const order = members.map((_, i) => i).sort((a, b) => members[a].name.localeCompare(members[b].name, 'en', { numeric: true }));
  const byKey = new Map<string, number[]>();
  for (const i of order) {
    const key = keyOf(flat[i]);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  }
  const groups = [...byKey.values()];
  const allKeys = [...new Set(flat.flatMap((f) => [...f.keys()]))].filter((k) => !PER_RUN_KEYS.has(lastPart(k))).sort();
  const differingKeys = allKeys.filter((k) => new Set(groups.map((g) => JSON.stringify(flat[g[0]].get(k)))).size > 1);
  return groups.map((indices) => {
    const differing = Object.fromEntries(differingKeys.map((k) => [k, flat[indices[0]].get(k)]));
    const label = differingKeys.length === 0 ? 'all' : differingKeys.map((k) => `${k} ${formatValue(differing[k])}`).join(', ');
    return { label, differing, members: indices };
  });
}

function flatten(value: Record<string, unknown>, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${prefix}${key}.`, out);
    else out.set(prefix + key, v);
  }
  return out;
}

const lastPart = (key: string) => key.slice(key.lastIndexOf('.') + 1);

function formatValue(v: unknown): string {
  if (v === undefined) return '(unset)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
