// Public surface of the language-model analysis of SAEs (Pythia): feature dashboards, logit lens,
// steering of prompts and the SAE-read steering success rate.
export { featureDashboard, sampleRowIndices, type FeatureDashboard, type FeatureDashboardOptions, type TopRow } from './dashboard';
export { logitLens, type LogitLens, type TokenLogit } from './logit-lens';
export { LM_STEERING_DEFAULTS, steerPrompt, type NextTokenChange, type SteeredPrompt, type SteerPromptOptions } from './steer-prompt';
export {
  LM_MIN_EXTRA_FIRINGS,
  LM_STEERING_SUCCESS_DEFINITION,
  lmSteeringSuccess,
  NEUTRAL_PROMPTS,
  sampleLiveFeatures,
  type LmSteeringSuccess,
  type LmSteeringSuccessOptions,
  type LmSteeringTrial,
} from './steering-success';
export { tokenActivations, tokenFeatureActivations } from './token-activations';
export { featureTopLabels, mostCommonLabel, type FeatureTopLabels, type FeatureTopLabelsOptions, type LabelCount } from './top-labels';
