// Public surface of the lab's analysis of trained SAEs: what the MNIST inspector, the steering
// panel and the heatmap show.
export { DigitClassifier, DEFAULT_CLASSIFIER, type ClassifierConfig, type LabelledRows } from './classifier';
export { DeviceSae } from './device-sae';
export { uploadDigits, digitImage, type DigitSet } from './digits';
export { computeFeatureStats, featureSummary, type FeatureStats, type FeatureStatsOptions } from './features';
export { exportMnistSae, MNIST_HOOK_NAME } from './export';
export { orderedPairMatrix, type OrderedPairMatrix } from './pair-matrix';
export { permuteSquareInPlace } from './permute-square';
export { binStart, maxPool, maxPoolRange, pooledSize, rangeFits, sameRange, wholeRange, type PooledMatrix, type ZoomRange } from './heatmap-pool';
export { featurePartners, type Partner } from './partners';
export { steerRows, steeringStrip, type SteeringStrip } from './steering';
export {
  steeringSuccessRate,
  STEERING_ALPHA,
  STEERING_DIGITS_PER_FEATURE,
  STEERING_FEATURES,
  STEERING_SUCCESS_DEFINITION,
  type SteeringSuccessOptions,
  type SteeringSuccessRate,
} from './steering-success';
export { decoderNorms, decoderRow, encoderColumn } from './weights-view';
export { firingFrequency } from './firing-frequency';
export { successRate, wilsonInterval } from './wilson';
