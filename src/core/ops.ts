import { tf } from './tf';

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/**
 * tf.customGrad for a one-input op, typed. Ops run inside `forward` are not recorded on the
 * gradient tape, which is what lets them use kernels that have no gradient (TopK).
 */
export function withCustomGradient<T extends tf.Tensor>(
  forward: (x: T, save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc },
): (x: T) => T {
  // tfjs types the variadic (inputs..., save) signature loosely; this is its documented use.
  const op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  return (x: T) => op(x) as T;
}

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
