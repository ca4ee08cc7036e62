import { useEffect, useState } from 'react';
import type { PairMatrix } from '../../runtime/protocol/lab-api';
import { maxPoolInSlices, type PooledMatrix, type ZoomRange } from './heatmap-pool';

/**
 * The matrix's `range` max-pooled to at most `size` pixels a side, computed outside React's render
 * in slices (see maxPoolInSlices) and only when the matrix, the range or the size change. Until the
 * new pooling is done the previous one stays up, with `pending` set; it carries its own range, so
 * hit-testing it stays right meanwhile.
 */
export function usePooledHeatmap(matrix: PairMatrix | null, range: ZoomRange, size: number): { pooled: PooledMatrix | null; pending: boolean } {
  const [pooled, setPooled] = useState<PooledMatrix | null>(null);
  const [pending, setPending] = useState(false);
  const { row0, col0, side } = range;
  useEffect(() => {
    if (!matrix || matrix.n === 0) {
      setPooled(null);
      setPending(false);
      return;
    }
    let cancelled = false;
    setPending(true);
    void maxPoolInSlices(matrix.values, matrix.n, { row0, col0, side }, size, () => cancelled).then((next) => {
      if (!next || cancelled) return;
      setPooled(next);
      setPending(false);
    });
    return () => {
      cancelled = true;
    };
  }, [matrix, row0, col0, side, size]);
  return { pooled: matrix && matrix.n > 0 ? pooled : null, pending };
}
