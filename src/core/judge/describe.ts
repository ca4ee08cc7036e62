/** A short explanation of a feature, for the judge, when the feature has none of its own. */

export interface FeatureEvidence {
  /** Decoded tokens the feature's decoder direction promotes most (logit lens). */
  promoted: readonly string[];
  /** Text snippets on which the feature fires most (top contexts). */
  contexts: readonly string[];
}

const MAX_CONTEXTS = 5;
const MAX_PROMOTED = 10;
const MAX_SNIPPET = 120;

export function describeFeature({ promoted, contexts }: FeatureEvidence): string {
  const snippets = contexts.map(clean).filter((text) => text.length > 0).slice(0, MAX_CONTEXTS);
  const tokens = promoted.map(clean).filter((text) => text.length > 0).slice(0, MAX_PROMOTED);
  if (snippets.length === 0 && tokens.length === 0) throw new Error('describeFeature: needs at least one promoted token or context snippet');
  const parts: string[] = [];
  if (snippets.length > 0) parts.push(`Fires on text like: ${snippets.map((s) => `"${s}"`).join('; ')}.`);
  if (tokens.length > 0) parts.push(`Makes the model more likely to write: ${tokens.map((t) => `"${t}"`).join(', ')}.`);
  return parts.join(' ');
}

/** One line, trimmed, long snippets cut with an ellipsis (the judge needs the gist, not the page). */
function clean(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_SNIPPET ? line : `${line.slice(0, MAX_SNIPPET - 1)}…`;
}
