/**
 * The steering judge with a ground truth: text → WordNet lexicographer category, by multinomial logistic
 * regression on a bag of tokens. Each text is its token ids' counts divided by its length (so long and short
 * texts weigh alike), plus a bias. Trained by mini-batch Adam over a seeded order with an L2 penalty on the
 * weights, in float64 on the CPU: the same texts and seed give the same classifier on every machine.
 */
import { Rng } from '../rng';

/** A text as token ids with its class. */
export interface LabelledTokens {
  tokens: ArrayLike<number>;
  label: number;
}

export interface ClassifierOptions {
  vocabSize: number;
  classes: number;
  epochs?: number;
  batch?: number;
  lr?: number;
  /** L2 penalty on the weights (not the biases), per example. */
  l2?: number;
  seed?: number;
}

export const CLASSIFIER_DEFAULTS = { epochs: 6, batch: 64, lr: 0.05, l2: 1e-6, seed: 0 } as const;

export interface ConceptClassifier {
  vocabSize: number;
  classes: number;
  /** [vocabSize, classes], row-major. */
  weights: Float64Array;
  bias: Float64Array;
}

/** Sparse bag of tokens: distinct ids and their counts / length. */
interface Bag {
  ids: number[];
  values: number[];
}

function bag(tokens: ArrayLike<number>, vocabSize: number): Bag {
  const counts = new Map<number, number>();
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new Error(`classifier: token id ${id} is not in [0, ${vocabSize})`);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const ids = [...counts.keys()];
  return { ids, values: ids.map((id) => counts.get(id)! / Math.max(tokens.length, 1)) };
}

/** Class probabilities of one text (a softmax over the logits). */
export function classProbabilities(model: ConceptClassifier, tokens: ArrayLike<number>): Float64Array {
  return bagProbabilities(model, bag(tokens, model.vocabSize));
}

function bagProbabilities(model: ConceptClassifier, { ids, values }: Bag): Float64Array {
  const logits = Float64Array.from(model.bias);
  ids.forEach((id, j) => {
    const row = id * model.classes;
    for (let c = 0; c < model.classes; c++) logits[c] += values[j] * model.weights[row + c];
  });
  const max = Math.max(...logits);
  let sum = 0;
  for (let c = 0; c < logits.length; c++) sum += logits[c] = Math.exp(logits[c] - max);
  return logits.map((v) => v / sum);
}

export function classify(model: ConceptClassifier, tokens: ArrayLike<number>): number {
  const p = classProbabilities(model, tokens);
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return best;
}

/** Mean cross-entropy plus the L2 term: what training minimises (the tests check its gradient). */
export function classifierLoss(model: ConceptClassifier, data: readonly LabelledTokens[], l2: number): number {
  let sum = 0;
  for (const { tokens, label } of data) sum -= Math.log(classProbabilities(model, tokens)[label]);
  let squares = 0;
  for (const w of model.weights) squares += w * w;
  return sum / data.length + 0.5 * l2 * squares;
}

/** The gradient of {@link classifierLoss} over `data`, into `gradWeights` and `gradBias` (overwritten). */
export function classifierGradient(model: ConceptClassifier, data: readonly LabelledTokens[], l2: number, gradWeights: Float64Array, gradBias: Float64Array): void {
  const { classes } = model;
  gradWeights.fill(0);
  gradBias.fill(0);
  for (const { tokens, label } of data) {
    const { ids, values } = bag(tokens, model.vocabSize);
    const p = bagProbabilities(model, { ids, values });
    p[label] -= 1; // d(−log p_label)/d logits
    for (let c = 0; c < classes; c++) gradBias[c] += p[c] / data.length;
    ids.forEach((id, j) => {
      const row = id * classes;
      for (let c = 0; c < classes; c++) gradWeights[row + c] += (values[j] * p[c]) / data.length;
    });
  }
  for (let i = 0; i < gradWeights.length; i++) gradWeights[i] += l2 * model.weights[i];
}

export function trainConceptClassifier(data: readonly LabelledTokens[], options: ClassifierOptions): ConceptClassifier {
  const { vocabSize, classes } = options;
  const { epochs, batch, lr, l2, seed } = { ...CLASSIFIER_DEFAULTS, ...options };
  if (data.length === 0) throw new Error('classifier: no training texts');
  const bad = data.find((d) => !Number.isInteger(d.label) || d.label < 0 || d.label >= classes);
  if (bad) throw new Error(`classifier: label ${bad.label} is not in [0, ${classes})`);
  const model: ConceptClassifier = { vocabSize, classes, weights: new Float64Array(vocabSize * classes), bias: new Float64Array(classes) };
  const params = [model.weights, model.bias];
  const grads = params.map((p) => new Float64Array(p.length));
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  const rng = new Rng(seed);
  const order = Int32Array.from({ length: data.length }, (_, i) => i);
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < order.length; start += batch) {
      const examples = Array.from(order.subarray(start, start + batch), (i) => data[i]);
      classifierGradient(model, examples, l2, grads[0], grads[1]);
      t++;
      // Adam; its dense moment update is cheap next to the bag products at these sizes.
      params.forEach((p, k) => {
        const [g, mk, vk] = [grads[k], m[k], v[k]];
        for (let i = 0; i < p.length; i++) {
          if (g[i] === 0 && mk[i] === 0) continue; // rows no text of this batch or before touched
          mk[i] = 0.9 * mk[i] + 0.1 * g[i];
          vk[i] = 0.999 * vk[i] + 0.001 * g[i] * g[i];
          p[i] -= (lr * (mk[i] / (1 - 0.9 ** t))) / (Math.sqrt(vk[i] / (1 - 0.999 ** t)) + 1e-8);
        }
      });
    }
  }
  return model;
}

export function accuracy(model: ConceptClassifier, data: readonly LabelledTokens[]): number {
  let right = 0;
  for (const { tokens, label } of data) if (classify(model, tokens) === label) right++;
  return right / data.length;
}
