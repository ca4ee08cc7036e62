/**
 * The concept judge of steer-eval: WordNet's glosses (without their lemma, as a steered continuation
 * reads) → lexicographer category, a bag-of-tokens logistic regression over the model's own tokenizer,
 * trained on the training split and scored on the held-out one. Deterministic: the same WordNet files,
 * tokenizer and seed give the same judge.
 */
import { accuracy, trainConceptClassifier, type LabelledTokens } from '../core/lm/concept-classifier';
import { WORDNET_CATEGORIES } from '../core/lm/gloss-corpus';
import { roundedToFloat32, type JudgeFile } from '../core/lm/judge-file';
import type { TextTokenizer } from '../core/model/tokenizer';
import { loadGlossCorpusNode } from '../io/wordnet-node';

/** Trained, rounded to float32 as its file stores it, then scored: the accuracy is the shipped judge's. */
export async function trainGlossJudge(tokenizer: TextTokenizer): Promise<JudgeFile> {
  const corpus = await loadGlossCorpusNode();
  const labelled = (split: 'train' | 'heldout'): LabelledTokens[] =>
    corpus.filter((d) => d.split === split).map((d) => ({ tokens: tokenizer.encode(d.synset.gloss), label: d.synset.categoryNumber }));
  const heldOut = labelled('heldout');
  const classifier = roundedToFloat32(trainConceptClassifier(labelled('train'), { vocabSize: tokenizer.vocabSize, classes: WORDNET_CATEGORIES.length }));
  const counts = new Map<number, number>();
  for (const { label } of heldOut) counts.set(label, (counts.get(label) ?? 0) + 1);
  return {
    classifier,
    categories: [...WORDNET_CATEGORIES],
    accuracy: accuracy(classifier, heldOut),
    majority: Math.max(...counts.values()) / heldOut.length,
    heldOut: heldOut.length,
  };
}
