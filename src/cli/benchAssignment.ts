import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { absCosineMatrix, linearSumAssignment } from '../core/align';
import { Rng } from '../core/rng';
import { initNodeBackend } from './node-backend';

/** |cos| between two sets of n random unit vectors in 64 dimensions: a typical cross-seed matrix. */
async function randomSimilarity(n: number): Promise<Float32Array> {
  const rng = new Rng(n);
  const a = rng.fillNormal(new Float32Array(n * 64));
  const b = rng.fillNormal(new Float32Array(n * 64));
  return (await absCosineMatrix(a, n, b, n, 64)).values;
}

async function scipyMs(sizes: number[]): Promise<Record<string, number> | string> {
  try {
    const { stdout } = await promisify(execFile)('python3', ['scripts/bench_numpy.py', '--steps', '1', '--shape', '8,8,8', '--assign', sizes.join(',')], { maxBuffer: 1 << 20 });
    return (JSON.parse(stdout) as { assign_ms: Record<string, number> }).assign_ms;
  } catch (e) {
    return `SciPy reference skipped: python3 with SciPy not available (${(e as Error).message.split('\n')[0]})`;
  }
}

/**
 * Cross-seed assignment time and the process's peak memory at each size, next to SciPy's
 * linear_sum_assignment on a matrix of the same kind (same construction, its own random numbers).
 */
export async function benchAssignment(sizes: number[]): Promise<void> {
  // The lab's Node default; the similarity matrix is built on it in row blocks (src/core/align/cosine.ts).
  await initNodeBackend('wasm');
  const reference = await scipyMs(sizes);
  if (typeof reference === 'string') console.log(reference);
  console.log('\nCross-seed assignment (|cos| of random unit vectors in 64 dimensions, maximised)');
  console.log('features   assignment ms   SciPy ms   ratio   peak RSS MB');
  for (const n of sizes) {
    const matrix = await randomSimilarity(n);
    const started = performance.now();
    linearSumAssignment(matrix, n, n, { maximize: true });
    const ms = performance.now() - started;
    const peakMb = process.resourceUsage().maxRSS / 1024;
    const scipy = typeof reference === 'string' ? undefined : reference[String(n)];
    const cells = [String(n).padStart(8), ms.toFixed(0).padStart(15), (scipy?.toFixed(0) ?? '–').padStart(10), (scipy ? `${(ms / scipy).toFixed(1)}×` : '–').padStart(7), peakMb.toFixed(0).padStart(13)];
    console.log(cells.join(' '));
  }
}
