import { describe, expect, it } from 'vitest';
import { accuracy, classifierGradient, classifierLoss, trainConceptClassifier, type ConceptClassifier, type LabelledTokens } from '../../../src/core/lm/concept-classifier';
import { trainGlossTokenizer } from '../../../src/core/lm/gloss-tokenizer';
import { WORDNET_CATEGORIES } from '../../../src/core/lm/gloss-corpus';
import { createTokenizer } from '../../../src/core/model/tokenizer';
import { Rng } from '../../../src/core/rng';
import { loadGlossCorpusNode } from '../../../src/io/wordnet-node';

/** Texts whose tokens come mostly from their class's own block of ids, the rest uniformly. */
function planted(count: number, classes: number, vocab: number, seed: number): LabelledTokens[] {
  const rng = new Rng(seed);
  const block = vocab / classes;
  return Array.from({ length: count }, () => {
    const label = Math.floor(rng.next() * classes);
    const tokens = Array.from({ length: 12 }, () => (rng.next() < 0.4 ? label * block + Math.floor(rng.next() * block) : Math.floor(rng.next() * vocab)));
    return { tokens, label };
  });
}

describe('the concept classifier (the steering judge)', () => {
  it("has the gradient of its loss: central finite differences of the loss, entry by entry", () => {
    const data = planted(20, 3, 12, 1);
    const rng = new Rng(2);
    const model: ConceptClassifier = { vocabSize: 12, classes: 3, weights: Float64Array.from({ length: 36 }, () => rng.normal()), bias: Float64Array.from({ length: 3 }, () => rng.normal()) };
    const l2 = 0.3;
    const gw = new Float64Array(36);
    const gb = new Float64Array(3);
    classifierGradient(model, data, l2, gw, gb);
    const h = 1e-6;
    for (const [params, grad] of [[model.weights, gw], [model.bias, gb]] as const) {
      for (let i = 0; i < params.length; i++) {
        const keep = params[i];
        params[i] = keep + h;
        const up = classifierLoss(model, data, l2);
        params[i] = keep - h;
        const down = classifierLoss(model, data, l2);
        params[i] = keep;
        expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 6);
      }
    }
  });

  it('learns a planted rule nearly as well as the rule itself, and the same seed gives the same weights', () => {
    const options = { vocabSize: 60, classes: 5, epochs: 8, seed: 3 };
    const train = planted(3000, 5, 60, 4);
    const test = planted(1000, 5, 60, 5);
    const model = trainConceptClassifier(train, options);
    // The rule: the class whose block holds most of the text's tokens.
    const rule = test.filter(({ tokens, label }) => {
      const counts = new Array(5).fill(0);
      for (const t of Array.from(tokens)) counts[Math.floor(t / 12)]++;
      return counts.indexOf(Math.max(...counts)) === label;
    }).length / test.length;
    expect(accuracy(model, test)).toBeGreaterThan(rule - 0.05);
    expect(trainConceptClassifier(train, options).weights).toEqual(model.weights);
  });

  it("tells WordNet's categories from held-out glosses far better than the most common category does", async () => {
    const corpus = await loadGlossCorpusNode();
    const files = trainGlossTokenizer(corpus, 1024);
    const tokenizer = createTokenizer(files.tokenizerJson, files.tokenizerConfig);
    // The gloss after the lemma: what a steered continuation looks like.
    const labelled = (split: string, every: number) =>
      corpus.filter((d, i) => d.split === split && i % every === 0).map((d) => ({ tokens: tokenizer.encode(d.synset.gloss), label: d.synset.categoryNumber }));
    const train = labelled('train', 4);
    const heldOut = labelled('heldout', 1);
    const model = trainConceptClassifier(train, { vocabSize: tokenizer.vocabSize, classes: WORDNET_CATEGORIES.length });
    const counts = new Map<number, number>();
    for (const { label } of heldOut) counts.set(label, (counts.get(label) ?? 0) + 1);
    const majority = Math.max(...counts.values()) / heldOut.length;
    const acc = accuracy(model, heldOut);
    expect(acc).toBeGreaterThan(3 * majority);
  }, 120_000);
});
