/**
 * The one description of a TrainConfig's fields: their names, their shapes and the values each may take.
 * Every reader of a configuration parses with it (run.json, a saved cfg.json's `lab_training`, a saved
 * run's record) and the page checks its edits with it, so a rule lives here and nowhere else (an SAE
 * variant's settings have theirs in its registry entry, core/sae/variants.ts, which this joins).
 * Objects are strict: a misspelt key is refused, naming the nearest real one, instead of being ignored
 * while the run trains with the default.
 */
import { z } from 'zod';
import { SAE_VARIANTS, saeArchitecture, saeVariant, VARIANT_KINDS, type VariantKind } from '../sae/variants';
import type { TrainConfig } from './config';
import { choice, flag, fraction, nonNegative, positive, positiveInt, show, strict, wholeNonNegative, words } from './schema-fields';

/** A problem with a configuration: where it is (dotted path, '' for the whole) and a sentence saying what. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** One SAE variant's settings object (core/sae/variants.ts). */
type VariantSchema = (typeof SAE_VARIANTS)[VariantKind]['schema'];

const activation = z.discriminatedUnion(
  'kind',
  // zod wants a non-empty tuple; the registry has an entry for every kind of the Activation union.
  VARIANT_KINDS.map((kind) => SAE_VARIANTS[kind].schema) as [VariantSchema, ...VariantSchema[]],
  { error: (issue) => `activation must be ${words(VARIANT_KINDS)} (got ${show((issue.input as { kind?: unknown } | undefined)?.kind ?? issue.input)})` },
);

/** One matrix may hold at most 2^28 weights. */
const MAX_WEIGHTS = 2 ** 28;

export const trainConfigSchema = strict('the configuration', {
  d_in: positiveInt('d_in'),
  d_sae: positiveInt('width d_sae'),
  activation,
  penalty: strict('penalty', {
    kind: choice('weight penalty', ['none', 'l1', 'l2', 'l2-unsquared']),
    coeff: nonNegative('penalty coefficient'),
    on: choice('penalty target', ['both', 'encoder', 'decoder']),
  }),
  init: strict('init', {
    tied: flag('tied'),
    unitNormDecoder: flag('unitNormDecoder'),
    removeParallelGrad: flag('removeParallelGrad'),
    bDecInit: choice('b_dec initialisation', ['geometric-median', 'mean', 'zeros']),
    biases: flag('biases'),
  }),
  optim: strict('optim', {
    lr: positive('learning rate'),
    beta1: fraction('Adam beta1', false),
    beta2: fraction('Adam beta2', false),
    eps: positive('Adam eps'),
    clipGradNorm: nonNegative('gradient clipping norm'),
    warmupSteps: wholeNonNegative('warm-up steps'),
    decayStartFrac: fraction('decay start', true),
  }),
  batchSize: positiveInt('batch size'),
  length: strict('length', { unit: choice('training length unit', ['epochs', 'steps']), value: positiveInt('training length') }),
  seed: wholeNonNegative('seed'),
  deadAfterTokens: nonNegative('deadAfterTokens'),
  metricsEvery: positiveInt('metricsEvery'),
}).superRefine((c, ctx) => {
  // Rules across fields; zod runs them once every field above has parsed.
  if (c.d_in * c.d_sae > MAX_WEIGHTS) ctx.addIssue({ code: 'custom', path: ['d_sae'], message: `d_in × d_sae = ${c.d_in * c.d_sae} weights is too large for one matrix (limit 2^28)` });
  // A variant's setting that counts latents (TopK's k) cannot exceed how many there are.
  const bound = saeVariant(c.activation.kind).widthBound;
  const value = bound ? bound.value(saeArchitecture(c.activation)) : 0;
  if (bound && value > c.d_sae) {
    ctx.addIssue({ code: 'custom', path: ['activation', bound.key], message: `${bound.key} = ${value} is larger than the width d_sae = ${c.d_sae}` });
  }
});

// The TrainConfig interfaces (config.ts) carry the fields' documentation; this fails to compile if they and the schema disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTrainConfig: Same<z.infer<typeof trainConfigSchema>, TrainConfig> = true;
void schemaMatchesTrainConfig;

/**
 * Every problem with `value` as a TrainConfig; empty when it is one. `at` is where the configuration sits
 * in its file (e.g. ['lab_training']), so paths name the key as the file spells it.
 */
export function configProblems(value: unknown, at: readonly string[] = []): ConfigProblem[] {
  const result = trainConfigSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue): ConfigProblem[] => {
    const path = issue.path.map(String);
    const dotted = (p: string[]) => [...at, ...p].join('.');
    if (issue.code !== 'unrecognized_keys') return [{ path: dotted(path), message: issue.message }];
    const valid = keysAt(path, value);
    return issue.keys.map((key) => {
      const near = nearest(key, valid);
      return { path: dotted([...path, key]), message: `${dotted([...path, key])} is not a setting${near ? ` (did you mean ${dotted([...path, near])}?)` : ''}` };
    });
  });
}

/** The problem as one line for a file's reader: the path first, unless the sentence already names it. */
export function describeProblem(p: ConfigProblem): string {
  return p.path === '' || p.message.startsWith(p.path) ? p.message : `${p.path}: ${p.message}`;
}

/** `value` as a TrainConfig, or an error naming `where` (a file, a record) and every problem. */
export function parseTrainConfig(value: unknown, where: string, at: readonly string[] = []): TrainConfig {
  const problems = configProblems(value, at);
  if (problems.length > 0) throw new Error(`${where}: ${problems.map(describeProblem).join('; ')}`);
  return value as TrainConfig;
}

/** The keys the schema allows at `path` inside `value` (the activation's depend on its kind). */
function keysAt(path: readonly string[], value: unknown): string[] {
  let schema: unknown = trainConfigSchema;
  let v = value;
  for (const key of path) {
    schema = objectAt(schema, v)?.shape[key];
    v = (v as Record<string, unknown> | undefined)?.[key];
  }
  return Object.keys(objectAt(schema, v)?.shape ?? {});
}

function objectAt(schema: unknown, value: unknown): z.ZodObject | undefined {
  if (schema instanceof z.ZodObject) return schema;
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const kind = (value as { kind?: unknown } | undefined)?.kind;
    return (schema.options as z.ZodObject[]).find((o) => (o.shape.kind as z.ZodLiteral).value === kind);
  }
  return undefined;
}

/** The valid key closest to `key` by edit distance, if one is close enough to be a likely typo. */
function nearest(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of valid) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 2)) ? best : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
