// Every test file runs the core on tfjs's CPU backend (plain JavaScript, needs no assets) with
// gradients registered through src/core/tf, as every consumer of the core does.
import '../src/core/tf';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

await tf.setBackend('cpu');
// The cpu backend advises installing tfjs-node (not installable offline) on its first write, in every
// test file; mark it as used. (tfjs's IS_TEST flag would also silence it, but it turns on a leak check
// that misreads tensors saved by custom gradients.)
(tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
await tf.ready();
