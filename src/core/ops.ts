import { tf } from './tf';

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/**
 * tf.customGrad for a one-input op, typed. Ops run inside `forward` are not recorded on the
 * gradient tape, which is what lets them use kernels that have no gradient (TopK).
 */
export function withCustomGradient<T extends tf.Tensor>(
  forward: (x: T, save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc },
): (x: T) => T {
  const op = tf.customGrad(asCustomGradFunc(forward));
  return (x: T) => op(x) as T;
}

/** tfjs types customGrad's variadic (inputs..., save) signature loosely; this is its documented use. */
function asCustomGradFunc(f: unknown): Parameters<typeof tf.customGrad>[0] {
  return f as Parameters<typeof tf.customGrad>[0];
}

/**
 * a [m, k] · b [k, n] whose backward pass uses explicit transposes instead of matMul's transpose
 * flags: tfjs-wasm runs transposed products about 20× slower than plain ones (XNNPACK is used only
 * for the plain layout), while a transpose is a cheap copy. See BENCHMARKS.md.
 */
export const matMul = tf.customGrad(
  asCustomGradFunc((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: tf.Tensor2D, [sa, sb]: tf.Tensor2D[]) => [tf.matMul(dy, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy)],
    };
  }),
) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * x [m, k] · w [k, n] + b [n], as tf.add(tf.matMul(x, w), b) (same values), with a backward pass of plain
 * products only: besides `matMul`'s, the bias gradient is ones [1, m] · dy rather than a column sum, which
 * tfjs-wasm runs as a transpose and a slow reduction.
 */
export const linear = tf.customGrad(
  asCustomGradFunc((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.add(tf.matMul(x, w), b),
      gradFunc: (dy: tf.Tensor2D, [sx, sw]: tf.Tensor2D[]) => [
        tf.matMul(dy, tf.transpose(sw)),
        tf.matMul(tf.transpose(sx), dy),
        tf.reshape(tf.matMul(tf.ones([1, dy.shape[0]]), dy), [dy.shape[1]]),
      ],
    };
  }),
) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/** Batched a [.., m, k] · b [.., k, n] (rank 4, as attention's) with the same explicit-transpose backward as `matMul`. */
export const batchMatMul = tf.customGrad(
  asCustomGradFunc((a: tf.Tensor4D, b: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([a, b]);
    const swapLast = [0, 1, 3, 2];
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: tf.Tensor4D, [sa, sb]: tf.Tensor4D[]) => [tf.matMul(dy, tf.transpose(sb, swapLast)), tf.matMul(tf.transpose(sa, swapLast), dy)],
    };
  }),
) as (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D;

/** The value of x with no gradient flowing back through it (PyTorch's `detach`). */
export function detach<T extends tf.Tensor>(x: T): T {
  return detachOp(x) as T;
}

const detachOp = withCustomGradient((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/**
 * Sum of same-shape tensors. Not tf.addN: in tfjs 4.22 its gradient receives a null dy when the
 * sum is the value being differentiated, so differentiable code adds pairwise.
 */
export function sumAll<T extends tf.Tensor>(tensors: T[]): T {
  if (tensors.length === 0) throw new Error('sumAll of nothing');
  return tensors.reduce((a, b) => tf.add(a, b) as T);
}
