import { writeSaeLens, type SaeLensFiles } from '../formats/saelens';
import { saeArchitecture } from '../sae/variants';
import type { SaeWeights } from '../sae/weights';
import type { TrainConfig } from '../train/config';

/** The lab's label for "the SAE reads MNIST pixels" where SAELens expects a model hook. */
export const MNIST_HOOK_NAME = 'mnist.pixels';

/** An MNIST SAE in SAELens layout, its training settings (with its seed) kept under `lab_training`. */
export function exportMnistSae(weights: SaeWeights, config: TrainConfig): SaeLensFiles {
  return writeSaeLens(weights, {
    hookName: MNIST_HOOK_NAME,
    modelName: 'mnist',
    architecture: saeArchitecture(config.activation),
    training: config,
  });
}
