// Every test file runs the core on tfjs's CPU backend with gradients registered,
// exactly as the Node runner does, so results are reproducible across files.
import '../src/core/tf';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

// IS_TEST silences tfjs's advice to install tfjs-node (not installable offline) in every file.
tf.env().set('IS_TEST', true);
await tf.setBackend('cpu');
await tf.ready();
