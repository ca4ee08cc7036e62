import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { availableParallelism } from 'node:os';
import { assignmentTotal, decoderCosine, encoderCosine, linearSumAssignment, sparseLinearSumAssignment, type SimilarityMatrix } from '../core/align';
import { Rng } from '../core/rng';
import type { SaeWeights } from '../core/sae/weights';
import { CosineThreads } from './cosine-threads';
import { initNodeBackend } from './node-backend';

/** The Pythia paper's d_in. */
const D_IN = 512;
/** Share of B's features that are copies of A's (with noise); the rest are fresh random directions. */
const SHARED = 0.5;

/** Feature vectors as rows: [n, D_IN] for each SAE's decoder and encoder. */
interface PairRows {
  decA: Float32Array;
  encA: Float32Array;
  decB: Float32Array;
  encB: Float32Array;
}

/**
 * Two SAE-like feature sets of n features each. A's decoder directions are Gaussian; its encoder
 * vectors are the decoder's plus noise (encoders lean towards their decoders). Half of B's features
 * are A's, permuted and possibly sign-flipped, each with its own noise level so that the matched
 * |cos| spreads over about 0.45–0.98 (both sides of the paper's 0.7); the other half are fresh.
 */
function saeLikePair(n: number): PairRows {
  const rng = new Rng(1000 + n);
  const normal = (length: number) => rng.fillNormal(new Float32Array(length));
  const decA = normal(n * D_IN);
  const encA = decA.map((x) => x + 0.7 * rng.normal());
  const decB = normal(n * D_IN);
  const encB = normal(n * D_IN);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const k = Math.floor(rng.next() * (i + 1));
    [order[i], order[k]] = [order[k], order[i]];
  }
  for (let f = 0; f < SHARED * n; f++) {
    const target = order[f] * D_IN;
    const flip = rng.next() < 0.5 ? -1 : 1;
    // Per-coordinate noise σ gives |cos| ≈ 1/√(1 + σ²).
    const sigmaDec = rng.uniform(0.2, 2);
    const sigmaEnc = rng.uniform(0.2, 2);
    for (let t = 0; t < D_IN; t++) {
      decB[target + t] = flip * (decA[f * D_IN + t] + sigmaDec * rng.normal());
      encB[target + t] = flip * (encA[f * D_IN + t] + sigmaEnc * rng.normal());
    }
  }
  return { decA, encA, decB, encB };
}

/** The rows as an SAE (W_enc is [d_in, d_sae]: feature j's encoder vector is column j). */
function asSae(dec: Float32Array, enc: Float32Array, n: number): SaeWeights {
  const W_enc = new Float32Array(D_IN * n);
  for (let j = 0; j < n; j++) for (let t = 0; t < D_IN; t++) W_enc[t * n + j] = enc[j * D_IN + t];
  return { d_in: D_IN, d_sae: n, W_enc, b_enc: new Float32Array(n), W_dec: dec, b_dec: new Float32Array(D_IN) };
}

interface Reference {
  ms: number;
  cos_ms: number;
  lsa_ms: number;
  dec_total: number;
  enc_total: number;
}

/**
 * SciPy's side of the same work on the same vectors (written to a file): NumPy |cos| and
 * linear_sum_assignment(maximize=True), decoder and encoder.
 */
async function scipyAlign(folder: string, sizes: number[]): Promise<Record<string, Reference> | string> {
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE pin OpenBLAS's kernels in this environment; the reference runs
  // with OpenBLAS's own choice (unset in the child only).
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  try {
    const args = ['scripts/bench-numpy.py', '--steps', '1', '--shape', '8,8,8', '--align-dir', folder, '--align', sizes.join(',')];
    const { stdout } = await promisify(execFile)('python3', args, { maxBuffer: 1 << 20, env });
    return (JSON.parse(stdout) as { align: Record<string, Reference> }).align;
  } catch (e) {
    return `SciPy reference skipped: python3 with SciPy not available (${(e as Error).message.split('\n')[0]})`;
  }
}

function matchedTotal(s: SimilarityMatrix, rowToCol: Int32Array): number {
  return assignmentTotal(s.values, s.cols, { rowToCol, colToRow: new Int32Array(0) });
}

/**
 * The alignment of two SAE-like SAEs at each size — both |cos| matrices and both optimal
 * assignments, the calls alignPair makes — next to NumPy + SciPy doing the same work on the same
 * vectors, with the optimum totals of both compared.
 */
export async function benchAssignment(sizes: number[]): Promise<void> {
  // The lab's Node default; the similarity matrix is built on it in row blocks (src/core/align/cosine.ts).
  await initNodeBackend('wasm');
  const threads = await CosineThreads.start(availableParallelism());
  const folder = await mkdtemp(join(tmpdir(), 'sae-align-bench-'));
  try {
    console.log(`\nCross-seed alignment of two SAE-like SAEs (d_in ${D_IN}; ${SHARED * 100}% of features shared with noise, the rest random):`);
    console.log('both |cos| matrices + both optimal assignments (maximised), lab vs NumPy + SciPy on the same vectors');
    console.log(`the lab once in this thread and once with its |cos| products shared out among ${threads.size} threads (npm run lab -- align's default); SciPy's BLAS uses every core`);
    console.log('features  lab threads   lab s (cos + assign)   SciPy s (cos + assign)   ratio   dec total lab / SciPy     enc total lab / SciPy     peak RSS MB');
    // Size by size, SciPy right before the lab: the load on a shared machine drifts over minutes,
    // and running all of SciPy's sizes first measured the two sides under different loads.
    for (const n of sizes) {
      await writePairFile(folder, n);
      const reference = await scipyAlign(folder, [n]);
      await rm(join(folder, `pair-${n}.f32`));
      if (typeof reference === 'string') console.log(reference);
      const scipy = typeof reference === 'string' ? undefined : reference[String(n)];
      await benchOne(n, scipy, null);
      await benchOne(n, scipy, threads);
    }
  } finally {
    await threads.close();
    await rm(folder, { recursive: true, force: true });
  }
}

/** The pair's vectors for the Python child; a function of its own so that they are garbage after it. */
async function writePairFile(folder: string, n: number): Promise<void> {
  const rows = saeLikePair(n);
  const bytes = (x: Float32Array) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  await writeFile(join(folder, `pair-${n}.f32`), Buffer.concat([rows.decA, rows.encA, rows.decB, rows.encB].map(bytes)));
}

/** The pair as two SAEs; the encoder rows are garbage once transposed into W_enc. */
function saeLikeSaes(n: number): [SaeWeights, SaeWeights] {
  const rows = saeLikePair(n);
  return [asSae(rows.decA, rows.encA, n), asSae(rows.decB, rows.encB, n)];
}

/** One alignment of the pair, its |cos| products in this thread (`pool` null) or in the pool's threads. */
async function benchOne(n: number, scipy: Reference | undefined, pool: CosineThreads | null): Promise<void> {
  const [a, b] = saeLikeSaes(n);
  const totals: number[] = [];
  let cosMs = 0;
  let assignMs = 0;
  const details: string[] = [];
  let buffer: Float32Array | undefined;
  for (const [name, build] of [['decoder', decoderCosine], ['encoder', encoderCosine]] as const) {
    let started = performance.now();
    const cosStarted = started;
    // As in alignPair: the encoder's matrix is written into the decoder's buffer.
    const s: SimilarityMatrix = await build(a, b, { out: buffer, engine: pool?.absCosine });
    buffer = s.values;
    cosMs += performance.now() - started;
    details.push(`${name}: |cos| ${(performance.now() - cosStarted).toFixed(0)} ms`);
    started = performance.now();
    // The solver alignPair's optimalMatching picks for square matrices of these sizes.
    const { rowToCol, stats } = sparseLinearSumAssignment(s.values, n, n, { maximize: true });
    assignMs += performance.now() - started;
    totals.push(matchedTotal(s, rowToCol));
    details.push(`${name}: ${stats.rounds} certification round(s), ${stats.initialCandidates} candidates + ${stats.addedByCertificate} added, ${stats.denseRows} dense rows, ${stats.searches} searches, ${stats.rowsCertified} rows certified; ms: top-K ${stats.ms.candidates.toFixed(0)}, searches ${stats.ms.searches.toFixed(0)}, certificate ${stats.ms.certificate.toFixed(0)}`);
    if (n <= 4096 && !pool) {
      // Exactness against the dense solver on the very same matrix (too slow to repeat at 16,384).
      started = performance.now();
      const dense = matchedTotal(s, linearSumAssignment(s.values, n, n, { maximize: true }).rowToCol);
      details.push(`${name}: dense Jonker–Volgenant ${(performance.now() - started).toFixed(0)} ms, total ${dense.toFixed(6)} (sparse ${totals[totals.length - 1].toFixed(6)})`);
    }
  }
  const labS = (cosMs + assignMs) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const ratio = scipy ? `${((cosMs + assignMs) / scipy.ms).toFixed(2)}×` : '–';
  const pairText = (lab: number, ref: number | undefined) => `${lab.toFixed(4)} / ${ref?.toFixed(4) ?? '–'}`.padStart(25);
  console.log(
    [
      String(n).padStart(8),
      String(pool?.size ?? 1).padStart(12),
      `${labS.toFixed(1)} (${(cosMs / 1000).toFixed(1)} + ${(assignMs / 1000).toFixed(1)})`.padStart(22),
      (scipy ? `${(scipy.ms / 1000).toFixed(1)} (${(scipy.cos_ms / 1000).toFixed(1)} + ${(scipy.lsa_ms / 1000).toFixed(1)})` : '–').padStart(24),
      ratio.padStart(7),
      pairText(totals[0], scipy?.dec_total),
      pairText(totals[1], scipy?.enc_total),
      peakMb.toFixed(0).padStart(13),
    ].join(' '),
  );
  if (scipy) {
    // The two sides' float32 |cos| differ by rounding (wasm vs BLAS), so the optima can differ by
    // about that much per matched entry: allow 2⁻²⁰ per feature.
    const agree = Math.abs(totals[0] - scipy.dec_total) <= n * 2 ** -20 && Math.abs(totals[1] - scipy.enc_total) <= n * 2 ** -20;
    details.push(`optimum totals agree with SciPy within ${n} × 2^-20: ${agree ? 'yes' : 'NO'}`);
  }
  for (const line of details) console.log(`          ${line}`);
}
