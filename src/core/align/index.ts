// Public surface of cross-seed alignment (see PAPER.md, "Cross-seed alignment").
export { linearSumAssignment, assignmentTotal, type Assignment, type AssignmentOptions, type DenseMatrix } from './assignment';
export { absCosineMatrix, CosineColumns, decoderCosine, encoderCosine, type AbsCosine, type CosineEngine, LOCAL_COSINE, type CosineOptions, type SaeCosineOptions, type SimilarityMatrix } from './cosine';
export {
  DEFAULT_TAU,
  columnMaxima,
  fractionAtLeast,
  fractionBestAtLeast,
  histogram,
  matchedSimilarities,
  mean,
  meanMatchedSimilarity,
  meanMaxCosine,
  rowMaxima,
} from './metrics';
export { sparseLinearSumAssignment, type SparseAssignment, type SparseAssignmentOptions, type SparseAssignmentStats } from './sparse-assignment';
export { alignPair, optimalMatching, SPARSE_ASSIGNMENT_MIN, sharedPartners, viewFromA, viewFromB, type DirectedMatch, type MatchedSide, type PairAlignment, type PairMetrics, type PairOptions } from './pair';
export { featureStability, referenceSharing, type FeatureStability, type ReferenceSharing } from './stability';
export { matchDirections, type DirectionMatching } from './matching';
export { alignSeeds, type AlignSeedsOptions, type AlignmentReport, type AlignmentSummary, type PairSummary } from './align-seeds';
