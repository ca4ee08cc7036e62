// Document labels (e.g. WordNet categories) as the feature table and inspector print them.
import type { FeatureLabels, TopLabel } from '../../runtime/protocol/lab-api';

/**
 * "noun.animal 7/10": the label and how many of the top contexts have it; a label longer than
 * `maxChars` is cut to that many characters, the last an ellipsis (the count is never cut).
 */
export function topLabelText({ label, count, total }: TopLabel, maxChars = Infinity): string {
  const shown = [...label].length > maxChars ? `${[...label].slice(0, Math.max(1, maxChars - 1)).join('')}…` : label;
  return `${shown} ${count}/${total}`;
}

/** A feature's most common label from the table-wide pass; null when its top contexts have none (or it never fired). */
export function featureTopLabel(labels: FeatureLabels, feature: number): TopLabel | null {
  const index = labels.label[feature];
  if (index === undefined || index < 0) return null;
  return { label: labels.names[index], count: labels.count[feature], total: labels.total[feature] };
}
