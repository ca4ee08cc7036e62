// The views' public surface: React components that map computed data to pixels, and figure saving.
import './views.css';
import './figures.css';

export { AlignmentHeatmap } from './alignment-heatmap';
export { DecoderGrid } from './decoder-grid';
export { FeatureInspector } from './feature-inspector';
export { FeatureTable } from './feature-table';
export { HeadlineNumbers } from './headline-numbers';
export { ImageTile } from './image-tile';
export { MatchedHistogram } from './matched-histogram';
export { MetricCurves } from './metric-curves';
export { SaveFigureButton } from './save-figure-button';
export { SharedFeatures } from './shared-features';
export { SteeringView } from './steering-view';
export { LmFeatureInspector } from './lm-feature-inspector';
export { saveCanvasPng, saveSvg } from './save';
export type { CurveMetric, CurveRun } from './metric-series';
export type { FeatureSortKey } from './feature-order';
export type { HeadlineKey } from './headline-values';
export type { ImageMode } from './image-pixels';
