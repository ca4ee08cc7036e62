/**
 * The concept judge as a file the page and the runner share (beside a sample's shards): the logistic
 * regression's weights [vocab, classes] and biases in F32, the class names and its measured held-out
 * accuracy in the metadata. Its weights are rounded to float32 before its accuracy is measured, so the
 * accuracy stated is the shipped judge's own. A file is checked, not trusted: shapes, finite numbers, names.
 */
import { assertFinite } from '../formats/finite';
import { openSafetensors, writeSafetensors } from '../formats/safetensors';
import type { ConceptClassifier } from './concept-classifier';

export const JUDGE_FILE = 'concept-judge.safetensors';

export interface JudgeFile {
  classifier: ConceptClassifier;
  /** Class names, in class order (WordNet's lexicographer categories). */
  categories: string[];
  /** Held-out texts classified right, and what answering the most common class alone scores. */
  accuracy: number;
  majority: number;
  heldOut: number;
}

/** The classifier as the file stores it: weights and biases rounded to float32. */
export function roundedToFloat32(classifier: ConceptClassifier): ConceptClassifier {
  return { ...classifier, weights: Float64Array.from(Float32Array.from(classifier.weights)), bias: Float64Array.from(Float32Array.from(classifier.bias)) };
}

export function writeJudgeFile(judge: JudgeFile): Uint8Array {
  const { classifier, categories, accuracy, majority, heldOut } = judge;
  return writeSafetensors(
    {
      weights: { dtype: 'F32', shape: [classifier.vocabSize, classifier.classes], data: Float32Array.from(classifier.weights) },
      bias: { dtype: 'F32', shape: [classifier.classes], data: Float32Array.from(classifier.bias) },
    },
    { fileName: JUDGE_FILE, metadata: { categories: JSON.stringify(categories), accuracy: String(accuracy), majority: String(majority), held_out: String(heldOut) } },
  );
}

export function readJudgeFile(bytes: Uint8Array, fileName: string): JudgeFile {
  const file = openSafetensors(bytes, fileName);
  const weights = file.readFloat32('weights');
  const bias = file.readFloat32('bias');
  const [vocabSize, classes] = weights.shape;
  if (weights.shape.length !== 2 || !(vocabSize > 0 && classes > 1)) throw new Error(`${fileName}: "weights" must be [vocab, classes] (got [${weights.shape.join(', ')}])`);
  if (bias.shape.length !== 1 || bias.shape[0] !== classes) throw new Error(`${fileName}: "bias" must be [${classes}] (got [${bias.shape.join(', ')}])`);
  assertFinite(weights.data, `${fileName}: "weights"`);
  assertFinite(bias.data, `${fileName}: "bias"`);
  const categories = parseCategories(file.metadata.categories, classes, fileName);
  const number = (key: string, low: number, high: number) => {
    const value = Number(file.metadata[key]);
    if (file.metadata[key] === undefined || !(value >= low && value <= high)) throw new Error(`${fileName}: metadata "${key}" must be a number in [${low}, ${high}] (got ${file.metadata[key]})`);
    return value;
  };
  return {
    classifier: { vocabSize, classes, weights: Float64Array.from(weights.data), bias: Float64Array.from(bias.data) },
    categories,
    accuracy: number('accuracy', 0, 1),
    majority: number('majority', 0, 1),
    heldOut: number('held_out', 1, Number.MAX_SAFE_INTEGER),
  };
}

function parseCategories(text: string | undefined, classes: number, fileName: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    throw new Error(`${fileName}: metadata "categories" must be a JSON list of ${classes} names`);
  }
  if (!Array.isArray(parsed) || parsed.length !== classes || !parsed.every((c) => typeof c === 'string' && c.length > 0 && c.length < 100)) {
    throw new Error(`${fileName}: metadata "categories" must be a JSON list of ${classes} names`);
  }
  return parsed as string[];
}
