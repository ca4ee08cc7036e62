/**
 * When TopK training takes the sparse path (src/core/sae/sparse-top-k.ts), as plain rules without
 * tfjs, so that the page can tell too (the memory a step needs depends on the path).
 */
import type { TrainConfig } from '../train/config';
import { saeVariant } from './variants';

/**
 * Per backend whose tensors live in host memory: the sparse path is used when d_sae is at least this
 * many times the slots per row (k, plus k_aux with AuxK). Measured break-even (BENCHMARKS.md): on
 * wasm the dense products run through XNNPACK's SIMD kernels and the two paths tie at 256 latents with
 * 72 slots (ratio 3.6); tfjs-cpu's products are plain JavaScript, and the sparse path was 3× faster
 * there at that shape.
 */
const SPARSE_DENSITY_LIMIT: Record<string, number> = { wasm: 4, cpu: 1 };

/**
 * Whether TopK training takes the sparse path on `backend` (a tfjs backend name). On GPU backends
 * the loops would read every tensor back from the device: they keep the dense path.
 */
export function takesSparsePath(config: Pick<TrainConfig, 'activation' | 'd_sae'>, backend: string): boolean {
  const a = config.activation;
  const limit = SPARSE_DENSITY_LIMIT[backend];
  // Only variants with a sparse path say how many slots it keeps per row (TopK: k, plus k_aux with AuxK).
  const slots = saeVariant(a.kind).sparseSlots?.(a);
  if (slots === undefined || limit === undefined) return false;
  return slots * limit <= config.d_sae;
}
