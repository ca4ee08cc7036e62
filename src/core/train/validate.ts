import type { TrainConfig } from './config';
import type { BatchSource } from './source';

/** Every problem with a configuration, each as a sentence naming the field; empty when it is valid. */
export function trainConfigProblems(c: TrainConfig, source?: Pick<BatchSource, 'd_in' | 'size'>): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  const finiteNonNeg = (v: number) => Number.isFinite(v) && v >= 0;

  check(positiveInt(c.d_in), `d_in must be a positive integer (got ${c.d_in})`);
  check(positiveInt(c.d_sae), `width d_sae must be a positive integer (got ${c.d_sae})`);
  check(c.d_in * c.d_sae <= 2 ** 28, `d_in × d_sae = ${c.d_in * c.d_sae} weights is too large for one matrix (limit 2^28)`);
  check(positiveInt(c.batchSize), `batch size must be a positive integer (got ${c.batchSize})`);
  check(Number.isInteger(c.seed) && c.seed >= 0, `seed must be a non-negative integer (got ${c.seed})`);
  check(positiveInt(c.metricsEvery), `metricsEvery must be a positive integer (got ${c.metricsEvery})`);
  check(finiteNonNeg(c.deadAfterTokens), `deadAfterTokens must be ≥ 0 (got ${c.deadAfterTokens})`);
  check(positiveInt(c.length.value), `training length must be a positive whole number of ${c.length.unit} (got ${c.length.value})`);

  const a = c.activation;
  if (a.kind === 'relu') {
    check(finiteNonNeg(a.l1Coeff), `sparsity coefficient λ_s must be ≥ 0 (got ${a.l1Coeff})`);
  } else if (a.kind === 'topk') {
    check(positiveInt(a.k), `k must be a positive integer (got ${a.k})`);
    check(a.k <= c.d_sae, `k = ${a.k} is larger than the width d_sae = ${c.d_sae}`);
    check(finiteNonNeg(a.auxkCoeff), `AuxK coefficient must be ≥ 0 (got ${a.auxkCoeff})`);
    check(positiveInt(a.kAux), `k_aux must be a positive integer (got ${a.kAux})`);
  } else {
    problems.push(`unknown activation '${(a as { kind: string }).kind}'`);
  }

  check(['none', 'l1', 'l2', 'l2-unsquared'].includes(c.penalty.kind), `unknown weight penalty '${c.penalty.kind}'`);
  check(['both', 'encoder', 'decoder'].includes(c.penalty.on), `penalty target must be both, encoder or decoder (got '${c.penalty.on}')`);
  check(finiteNonNeg(c.penalty.coeff), `penalty coefficient must be ≥ 0 (got ${c.penalty.coeff})`);
  check(['geometric-median', 'mean', 'zeros'].includes(c.init.bDecInit), `unknown b_dec initialisation '${c.init.bDecInit}'`);
  for (const flag of ['tied', 'unitNormDecoder', 'removeParallelGrad', 'biases'] as const) {
    check(typeof c.init[flag] === 'boolean', `init.${flag} must be true or false (got ${String(c.init[flag])})`);
  }

  const o = c.optim;
  check(Number.isFinite(o.lr) && o.lr > 0, `learning rate must be positive (got ${o.lr})`);
  check(o.beta1 >= 0 && o.beta1 < 1, `Adam beta1 must be in [0, 1) (got ${o.beta1})`);
  check(o.beta2 >= 0 && o.beta2 < 1, `Adam beta2 must be in [0, 1) (got ${o.beta2})`);
  check(Number.isFinite(o.eps) && o.eps > 0, `Adam eps must be positive (got ${o.eps})`);
  check(finiteNonNeg(o.clipGradNorm), `gradient clipping norm must be ≥ 0 (got ${o.clipGradNorm})`);
  check(Number.isInteger(o.warmupSteps) && o.warmupSteps >= 0, `warm-up steps must be a whole number ≥ 0 (got ${o.warmupSteps})`);
  check(o.decayStartFrac >= 0 && o.decayStartFrac <= 1, `decay start must be a fraction in [0, 1] (got ${o.decayStartFrac})`);

  if (source) {
    check(source.d_in === c.d_in, `the data has ${source.d_in} values per row but the SAE expects d_in = ${c.d_in}`);
    check(source.size >= c.batchSize, `the data has ${source.size} rows, fewer than one batch of ${c.batchSize}`);
  }
  return problems;
}

export function validateTrainConfig(c: TrainConfig, source?: Pick<BatchSource, 'd_in' | 'size'>): void {
  const problems = trainConfigProblems(c, source);
  if (problems.length > 0) throw new Error(`Invalid training configuration: ${problems.join('; ')}`);
}
