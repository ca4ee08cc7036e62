// Significance tests for comparing rates (steering success of two SAEs).
export { compareRates, type RateComparison, type RateCount } from './compare-rates';
export { compareFeatureRates, featureSuccesses, type FeatureRateComparison, type FeatureSuccess } from './feature-rates';
export { mannWhitneyU, type MannWhitney } from './mann-whitney';
export { erfc } from './special';
export { fisherExact, pearsonChiSquare, type TwoByTwo } from './two-by-two';
