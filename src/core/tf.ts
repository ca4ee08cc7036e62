// Single entry point to tfjs-core for the numerical core. tfjs-core on its own registers no
// gradient functions, so anything that trains must import them once; doing it here means every
// consumer (worker, Node runner, tests) gets them by importing the core. tfjs-core's index comes
// first: it registers the environment flags that the gradient modules read when they load.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
export * as tf from '@tensorflow/tfjs-core';
