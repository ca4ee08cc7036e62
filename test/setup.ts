// Every test file runs the core on tfjs's CPU backend with gradients registered,
// exactly as the Node runner does, so results are reproducible across files.
import '../src/core/tf';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

await tf.setBackend('cpu');
await tf.ready();
