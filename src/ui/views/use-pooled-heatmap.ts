import { useEffect, useRef } from 'react';
import { pooledSize, sameRange, type PooledMatrix, type ZoomRange } from '../../core/analysis/heatmap-pool';
import type { PairHeatmap } from '../../runtime/protocol/lab-api';

/** Asks for a block of the pair's ordered matrix (null: all of it) pooled to at most `size` pixels a side. */
export type HeatmapViewRequest = (range: ZoomRange | null, size: number) => void;

/**
 * The worker pools the matrix (it never crosses to the page: 1 GiB at 16,384 features); this hook
 * asks it for `range` at `size` device pixels whenever either changes, and draws what it last
 * answered. Until the answer for the current range and size arrives, the previous one stays up with
 * `pending` set; it carries its own range, so hit-testing it stays right meanwhile.
 */
export function usePooledHeatmap(
  heatmap: PairHeatmap | null,
  range: ZoomRange,
  size: number,
  requestView?: HeatmapViewRequest,
): { pooled: PooledMatrix | null; pending: boolean } {
  const n = heatmap?.n ?? 0;
  // The latest callback, so a new one each render does not ask again.
  const request = useRef(requestView);
  request.current = requestView;
  const { row0, col0, side } = range;
  useEffect(() => {
    if (n > 0) request.current?.(side >= n ? null : { row0, col0, side }, size);
  }, [n, row0, col0, side, size]);
  const pooled = heatmap && n > 0 ? heatmap.pooled : null;
  const pending = pooled !== null && !(sameRange(pooled.range, range) && pooled.size === pooledSize(side, size));
  return { pooled, pending };
}
