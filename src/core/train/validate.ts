import type { TrainConfig } from './config';
import { configProblems } from './schema';
import type { BatchSource } from './source';

/**
 * Every problem with a configuration, each as a sentence naming the field; empty when it is valid.
 * The field rules are trainConfigSchema's (schema.ts); only the fit to the data is checked here.
 */
export function trainConfigProblems(c: TrainConfig, source?: Pick<BatchSource, 'd_in' | 'size'>): string[] {
  const problems = configProblems(c).map((p) => p.message);
  if (source) {
    if (source.d_in !== c.d_in) problems.push(`the data has ${source.d_in} values per row but the SAE expects d_in = ${c.d_in}`);
    if (source.size < c.batchSize) problems.push(`the data has ${source.size} rows, fewer than one batch of ${c.batchSize}`);
  }
  return problems;
}

export function validateTrainConfig(c: TrainConfig, source?: Pick<BatchSource, 'd_in' | 'size'>): void {
  const problems = trainConfigProblems(c, source);
  if (problems.length > 0) throw new Error(`Invalid training configuration: ${problems.join('; ')}`);
}
