// Significance tests for comparing rates (steering success of two SAEs).
export { compareRates, type RateComparison, type RateCount } from './compare-rates';
export { erfc } from './special';
export { fisherExact, pearsonChiSquare, type TwoByTwo } from './two-by-two';
