// The views' public surface: React components that map computed data to pixels, and figure saving.
import './views.css';

export { AlignmentHeatmap } from './AlignmentHeatmap';
export { DecoderGrid } from './DecoderGrid';
export { FeatureInspector } from './FeatureInspector';
export { FeatureTable } from './FeatureTable';
export { HeadlineNumbers } from './HeadlineNumbers';
export { ImageTile } from './ImageTile';
export { MatchedHistogram } from './MatchedHistogram';
export { MetricCurves } from './MetricCurves';
export { SaveFigureButton } from './SaveFigureButton';
export { SteeringView } from './SteeringView';
export { LmFeatureInspector } from './LmFeatureInspector';
export { saveCanvasPng, saveSvg } from './save';
export type { CurveMetric, CurveRun } from './metric-series';
export type { FeatureSortKey } from './feature-order';
export type { HeadlineKey } from './headline-values';
export type { ImageMode } from './image-pixels';
