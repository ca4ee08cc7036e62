/**
 * A trainer's complete state as plain data (typed arrays, numbers, the config): structured-cloneable,
 * so it can be posted between threads or kept in IndexedDB, and restoring it continues the run
 * exactly where it stopped (see SaeTrainer.checkpoint / SaeTrainer.restore).
 */
import type { SaeParams } from '../sae/model';
import type { SaeWeights } from '../sae/weights';
import type { TrainConfig } from './config';
import type { BatchSource } from './source';
import { trainConfigProblems } from './validate';

export type ParamName = keyof SaeParams;

export interface TrainerCheckpoint {
  /** Bumped whenever a field changes meaning; restore refuses other versions. */
  version: 1;
  config: TrainConfig;
  /** Rows of the source it trained on: the batch order and the epoch length depend on it. */
  sourceSize: number;
  /** Steps completed. */
  step: number;
  /** Seed of the batch order: each epoch's order is a function of it and the epoch alone. */
  dataSeed: number;
  weights: SaeWeights;
  /** Adam's update count and its first (m) and second (v) moments per trained parameter. */
  adam: { step: number; moments: Partial<Record<ParamName, { m: Float32Array; v: Float32Array }>> };
  /** Dead-latent tracking [d_sae]: training tokens since each latent last fired. */
  tokensSinceFired: Float32Array;
  /** Firing counts [d_sae] since the last `takeFiringCounts`, and over how many inputs. */
  firingCounts: Float32Array;
  inputsCounted: number;
}

/** The parameters a config trains, in the trainer's order (biases only when they are trained). */
export function trainedParams(config: TrainConfig): ParamName[] {
  return config.init.biases ? ['W_enc', 'b_enc', 'W_dec', 'b_dec'] : ['W_enc', 'W_dec'];
}

/** Every array of a checkpoint, by field path, with the length its config implies. */
function arrays(cp: TrainerCheckpoint): { field: string; values: unknown; length: number }[] {
  const { d_in, d_sae } = cp.config;
  const sizes: Record<ParamName, number> = { W_enc: d_in * d_sae, b_enc: d_sae, W_dec: d_sae * d_in, b_dec: d_in };
  const out: { field: string; values: unknown; length: number }[] = (Object.keys(sizes) as ParamName[]).map((name) => ({ field: `weights.${name}`, values: cp.weights?.[name], length: sizes[name] }));
  for (const name of trainedParams(cp.config)) {
    const moments = cp.adam?.moments?.[name];
    out.push({ field: `adam.moments.${name}.m`, values: moments?.m, length: sizes[name] });
    out.push({ field: `adam.moments.${name}.v`, values: moments?.v, length: sizes[name] });
  }
  out.push({ field: 'tokensSinceFired', values: cp.tokensSinceFired, length: d_sae }, { field: 'firingCounts', values: cp.firingCounts, length: d_sae });
  return out;
}

/** The fields holding NaN or ±Infinity, each with how many such values. */
export function nonFiniteFields(cp: TrainerCheckpoint): string[] {
  return arrays(cp).flatMap(({ field, values }) => {
    if (!(values instanceof Float32Array)) return [];
    let bad = 0;
    for (const v of values) if (!Number.isFinite(v)) bad++;
    return bad > 0 ? [`${field} (${bad} of ${values.length} values)`] : [];
  });
}

/**
 * Every reason `cp` cannot resume training on `source`, each naming the field; empty when it can.
 * `totalSteps` gives the run length a (valid) config has on this source.
 */
export function checkpointProblems(cp: TrainerCheckpoint, source: BatchSource, totalSteps: (config: TrainConfig) => number): string[] {
  if (cp?.version !== 1) return [`version must be 1 (got ${cp?.version})`];
  const configProblems = cp.config ? trainConfigProblems(cp.config, source) : ['it has none'];
  if (configProblems.length > 0) return configProblems.map((p) => `config: ${p}`);

  const problems: string[] = [];
  const check = (ok: boolean, message: string) => void (ok || problems.push(message));
  const { d_in, d_sae } = cp.config;
  check(cp.sourceSize === source.size, `sourceSize is ${cp.sourceSize} but the data has ${source.size} rows: a run resumes only on the data it trained on`);
  const total = totalSteps(cp.config);
  check(Number.isInteger(cp.step) && cp.step >= 0 && cp.step <= total, `step must be a whole number from 0 to the run's ${total} steps (got ${cp.step})`);
  check(Number.isInteger(cp.dataSeed) && cp.dataSeed >= 0, `dataSeed must be a non-negative integer (got ${cp.dataSeed})`);
  check(cp.weights?.d_in === d_in && cp.weights?.d_sae === d_sae, `weights are ${cp.weights?.d_in} → ${cp.weights?.d_sae}, the config is ${d_in} → ${d_sae}`);
  // Adam counts its updates; one per step, so the two must agree or the bias correction is off.
  check(cp.adam?.step === cp.step, `adam.step is ${cp.adam?.step}, expected the step count ${cp.step}`);
  const extra = Object.keys(cp.adam?.moments ?? {}).filter((name) => !trainedParams(cp.config).includes(name as ParamName));
  check(extra.length === 0, `adam.moments has ${extra.join(', ')}, which this config does not train`);
  check(Number.isInteger(cp.inputsCounted) && cp.inputsCounted >= 0, `inputsCounted must be a non-negative integer (got ${cp.inputsCounted})`);
  for (const { field, values, length } of arrays(cp)) {
    if (!(values instanceof Float32Array)) problems.push(`${field} must be a Float32Array (got ${describe(values)})`);
    else check(values.length === length, `${field} has ${values.length} values, expected ${length} for d_in = ${d_in}, d_sae = ${d_sae}`);
  }
  const bad = nonFiniteFields(cp);
  check(bad.length === 0, `non-finite values in ${bad.join(', ')}`);
  return problems;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return (value as object).constructor?.name ?? typeof value;
}
