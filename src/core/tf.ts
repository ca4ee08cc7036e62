// Single entry point to tfjs-core for the numerical core. tfjs-core on its own registers no
// gradient functions, so anything that trains must import them once; doing it here means every
// consumer (worker, Node runner, tests) gets them by importing the core.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
export * as tf from '@tensorflow/tfjs-core';
