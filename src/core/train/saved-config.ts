import type { TrainConfig } from './config';

/**
 * A TrainConfig read back from storage (a checkpoint, a saved run), completed with the fields it was
 * written without, each set to the behaviour the lab had before the field existed, so an old run
 * resumes, and is described, as it trained. New configurations get their defaults from the presets
 * instead. Anything that is not a config is returned as it is, for validation to name.
 */
export function savedTrainConfig(config: TrainConfig): TrainConfig {
  const init = (config as Partial<TrainConfig> | null | undefined)?.init as Partial<TrainConfig['init']> | undefined;
  if (typeof init !== 'object' || init === null || init.removeParallelGrad !== undefined) return config;
  // Before the switch, the unit-norm constraint always removed the parallel gradient component.
  return { ...config, init: { ...config.init, removeParallelGrad: init.unitNormDecoder === true } };
}
