// The numbers behind the "always / sometimes / never shared" bars: the reference seed's features
// sorted by how many of the other seeds they are shared with (core/align/stability.ts decides
// "shared"), per configuration, as counts and fractions of that seed's features.

import type { ReferenceSharing } from '../../core/align';

export type SharingCategory = 'always' | 'sometimes' | 'never';

export const SHARING_CATEGORIES: readonly SharingCategory[] = ['always', 'sometimes', 'never'];

export interface SharingBar {
  /** The configuration's label and colour. */
  label: string;
  color: string;
  category: SharingCategory;
  /** Reference-seed features in the category, and that count over the reference seed's d_sae. */
  count: number;
  fraction: number;
}

export interface SharingRun {
  label: string;
  color: string;
  sharing: ReferenceSharing | null | undefined;
}

/**
 * One bar per category per configuration that has a sharing summary, categories in SHARING_CATEGORIES
 * order and configurations in the given order within each. Fractions are over the reference seed's
 * features, so configurations of different widths compare; a width of 0 gives fractions of 0.
 */
export function sharingBars(runs: readonly SharingRun[]): SharingBar[] {
  const known = runs.filter((r): r is SharingRun & { sharing: ReferenceSharing } => !!r.sharing);
  return SHARING_CATEGORIES.flatMap((category) =>
    known.map(({ label, color, sharing }) => ({
      label,
      color,
      category,
      count: sharing[category],
      fraction: sharing.features > 0 ? sharing[category] / sharing.features : 0,
    })),
  );
}

/** What each category means for `seeds` seeds, in words a reader of the figure needs. */
export function sharingCategoryNote(category: SharingCategory, seeds: number): string {
  const others = Math.max(1, seeds - 1);
  if (category === 'always') return others === 1 ? 'shared with the other seed' : `shared with all ${others} other seeds`;
  if (category === 'never') return 'shared with no other seed';
  return others === 2 ? 'shared with one of the 2 others' : `shared with 1 to ${others - 1} of the ${others} others`;
}
