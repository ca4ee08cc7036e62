// The WordNet gloss sample the app ships (public/samples/wordnet-gloss): a model trained here that predicts
// glosses it never saw better than the best bigram model of its training glosses (both computed here, in
// float64); its labelled shards, which a fresh build from the shipped model reproduces byte for byte; and
// its concept judge, whose stated held-out accuracy is recounted here. (That training the judge again gives
// the same file rests on its seeded, float64 training: test/core/lm/concept-classifier.test.ts.)
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGlossShards } from '../../src/cli/make-gloss-sample';
import { classify } from '../../src/core/lm/concept-classifier';
import { GLOSS_MODEL_NAME, WORDNET_CATEGORIES } from '../../src/core/lm/gloss-corpus';
import { JUDGE_FILE, readJudgeFile } from '../../src/core/lm/judge-file';
import { loadGlossCorpusNode } from '../../src/io/wordnet-node';
import { loadModelFolder } from '../../src/io/model-folder-node';
import { loadShardFolder } from '../../src/io/shards-node';
import { meanRowNorm } from '../../src/core/shards/normalise';
import { DeviceSae } from '../../src/core/analysis/device-sae';
import { conceptSteeringSuccess } from '../../src/core/analysis/lm/concept-steering';
import { NEUTRAL_PROMPTS } from '../../src/core/analysis/lm/steering-success';

const SAMPLE_DIR = join(import.meta.dirname, '../../public/samples/wordnet-gloss');
/** Held-out windows the model is scored on: 64 × 128 predicted tokens keep the test under a minute on the cpu backend. */
const WINDOWS = 64;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** Each document's tokens followed by end-of-text, as train-lm streams them. */
function stream(texts: readonly string[], encode: (text: string) => number[], eos: number): Int32Array {
  const out: number[] = [];
  for (const text of texts) out.push(...encode(text), eos);
  return Int32Array.from(out);
}

/** The mean next-token loss (nats) of an interpolated bigram, at the β that suits these very targets best. */
function bestBigramLoss(train: Int32Array, vocab: number, previous: number[], target: number[]): number {
  const unigram = new Float64Array(vocab).fill(1);
  for (const t of train) unigram[t]++;
  const total = train.length + vocab;
  const pairCounts = new Map<number, number>();
  const contextCounts = new Float64Array(vocab);
  for (let i = 1; i < train.length; i++) {
    const key = train[i - 1] * vocab + train[i];
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
    contextCounts[train[i - 1]]++;
  }
  let best = Infinity;
  for (const beta of [0.01, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000]) {
    let nll = 0;
    for (let i = 0; i < target.length; i++) {
      const pair = pairCounts.get(previous[i] * vocab + target[i]) ?? 0;
      nll -= Math.log((pair + (beta * unigram[target[i]]) / total) / (contextCounts[previous[i]] + beta));
    }
    best = Math.min(best, nll / target.length);
  }
  return best;
}

describe('the shipped WordNet gloss sample', () => {
  it('is exactly what make-sample builds from its model (npm run lab -- make-sample --gloss-model DIR --out public/samples/wordnet-gloss)', async () => {
    const built = await buildGlossShards(join(SAMPLE_DIR, 'model'), { judge: false });
    const shipped = await filesUnder(SAMPLE_DIR);
    expect(shipped.sort()).toEqual([...built.keys(), JUDGE_FILE].sort());
    for (const [path, bytes] of built) {
      const onDisk = new Uint8Array(await readFile(join(SAMPLE_DIR, path)));
      expect(Buffer.compare(onDisk, bytes), `${path} differs from a fresh build`).toBe(0);
    }
    // The bound on what it adds to the repository.
    let total = 0;
    for (const path of shipped) total += (await readFile(join(SAMPLE_DIR, path))).length;
    expect(total).toBeLessThan(10 * 2 ** 20);
  }, 600_000);

  it("holds the shipped model's own activations: the first context's rows are its forward pass at the hook", async () => {
    const { model, config } = await loadModelFolder(join(SAMPLE_DIR, 'model'));
    try {
      const shards = await loadShardFolder(SAMPLE_DIR);
      const hook = 'blocks.1.hook_resid_post';
      expect(shards.hook).toBe(hook);
      const d = config.hiddenSize;
      const rows = config.maxPositions - 1; // the bos is left out
      const { activations } = model.forward([[0, ...shards.tokens.subarray(0, rows)]], { capture: [hook], stopAt: hook });
      const expected = (await activations[hook]!.data()) as Float32Array;
      activations[hook]!.dispose();
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < d; i++) {
          const want = expected[(r + 1) * d + i];
          expect(Math.abs(shards.rows[r * d + i] - want)).toBeLessThanOrEqual(Math.abs(want) * 2 ** -10 + 1e-6); // F16 rounding
        }
      }
    } finally {
      model.dispose();
    }
  });

  it("has a concept judge whose stated accuracy is what it scores on the held-out glosses, far above the most common category's", async () => {
    const judge = readJudgeFile(new Uint8Array(await readFile(join(SAMPLE_DIR, JUDGE_FILE))), JUDGE_FILE);
    expect(judge.categories).toEqual(WORDNET_CATEGORIES);
    const { model, tokenizer } = await loadModelFolder(join(SAMPLE_DIR, 'model'));
    model.dispose();
    const heldOut = (await loadGlossCorpusNode()).filter((d) => d.split === 'heldout');
    const right = heldOut.filter((d) => classify(judge.classifier, tokenizer.encode(d.synset.gloss)) === d.synset.categoryNumber).length;
    const counts = new Map<number, number>();
    for (const d of heldOut) counts.set(d.synset.categoryNumber, (counts.get(d.synset.categoryNumber) ?? 0) + 1);
    expect(judge.heldOut).toBe(heldOut.length);
    expect(judge.accuracy).toBe(right / heldOut.length);
    expect(judge.majority).toBe(Math.max(...counts.values()) / heldOut.length);
    expect(judge.accuracy).toBeGreaterThan(3 * judge.majority);
  }, 120_000);

  it("predicts held-out glosses better than the best bigram model of the training glosses", async () => {
    const { model, config, tokenizer } = await loadModelFolder(join(SAMPLE_DIR, 'model'));
    try {
      expect(config.hiddenSize).toBe(128);
      const card = await readFile(join(SAMPLE_DIR, 'model/README.md'), 'utf8');
      expect(card).toMatch(/WordNet/);
      expect(JSON.parse(await readFile(join(SAMPLE_DIR, 'model/config.json'), 'utf8'))._name_or_path).toBe(GLOSS_MODEL_NAME);
      const eos = tokenizer.eosTokenId!;
      const corpus = await loadGlossCorpusNode();
      const encode = (text: string) => tokenizer.encode(text);
      const heldOut = stream(corpus.filter((d) => d.split === 'heldout').map((d) => d.text), encode, eos);
      const train = stream(corpus.filter((d) => d.split === 'train').map((d) => d.text), encode, eos);
      const context = config.maxPositions;

      const previous: number[] = [];
      const target: number[] = [];
      let modelNll = 0;
      for (let w = 0; w < WINDOWS; w++) {
        const window = heldOut.subarray(w * context, w * context + context + 1);
        const { logits } = model.forward([[...window.subarray(0, context)]]);
        const values = (await logits!.data()) as Float32Array;
        logits!.dispose();
        for (let p = 0; p < context; p++) {
          const row = values.subarray(p * config.vocabSize, (p + 1) * config.vocabSize);
          let max = -Infinity;
          for (const v of row) max = Math.max(max, v);
          let sum = 0;
          for (const v of row) sum += Math.exp(v - max);
          modelNll -= row[window[p + 1]] - max - Math.log(sum);
          previous.push(window[p]);
          target.push(window[p + 1]);
        }
      }
      const modelLoss = modelNll / target.length;
      const bigram = bestBigramLoss(train, config.vocabSize, previous, target);
      const uniform = Math.log(config.vocabSize);
      console.log(`held-out, ${target.length} tokens: model ${modelLoss.toFixed(3)}, best bigram ${bigram.toFixed(3)}, uniform ${uniform.toFixed(3)} nats/token`);
      expect(modelLoss).toBeLessThan(bigram);
    } finally {
      model.dispose();
    }
  }, 600_000);
});

describe("steering the shipped gloss model toward a WordNet category", () => {
  it("raises that category's share of the judge's verdicts, with a direction planted from the category's mean activation", async () => {
    const { model, tokenizer } = await loadModelFolder(join(SAMPLE_DIR, 'model'));
    try {
      const judge = readJudgeFile(new Uint8Array(await readFile(join(SAMPLE_DIR, JUDGE_FILE))), JUDGE_FILE);
      const shards = await loadShardFolder(SAMPLE_DIR);
      const d = shards.d_model;
      // A category's direction: its rows' mean minus the mean of all rows, to unit length.
      const mean = (keep: (row: number) => boolean) => {
        const sum = new Float64Array(d);
        let n = 0;
        for (let r = 0; r < shards.count; r++) {
          if (!keep(r)) continue;
          n++;
          for (let i = 0; i < d; i++) sum[i] += shards.rows[r * d + i];
        }
        return sum.map((v) => v / n);
      };
      const all = mean(() => true);
      const categories = ['noun.animal', 'noun.plant', 'noun.food', 'noun.body'];
      const W_dec = new Float32Array(categories.length * d);
      categories.forEach((name, c) => {
        const label = shards.labelNames.indexOf(name);
        const own = mean((r) => shards.labels[r] === label);
        const diff = own.map((v, i) => v - all[i]);
        const norm = Math.hypot(...diff);
        for (let i = 0; i < d; i++) W_dec[c * d + i] = diff[i] / norm;
      });
      const weights = { d_in: d, d_sae: categories.length, W_enc: new Float32Array(d * categories.length), b_enc: new Float32Array(categories.length), W_dec, b_dec: new Float32Array(d) };
      const sae = new DeviceSae(weights, { kind: 'relu', l1Coeff: 0 });
      // As steer-eval measures strengths: twice the residual stream's mean length (the rows as the model wrote them).
      const residualNorm = meanRowNorm(shards.rows, d);
      const features = categories.map((name, feature) => ({ feature, concept: judge.categories.indexOf(name), purity: 1 }));
      const prompts = NEUTRAL_PROMPTS.map((text) => tokenizer.encode(text, { prependBos: true }));
      let steeredIn = 0;
      let cleanIn = 0;
      let successes = 0;
      let trials = 0;
      try {
        for (const seed of [0, 1]) {
          const result = await conceptSteeringSuccess(model, sae, { hook: 'blocks.1.hook_resid_post', features, prompts, alpha: 2 * residualNorm, classify: (t) => classify(judge.classifier, t), seed });
          for (const trial of result.perTrial) {
            if (trial.steeredClass === trial.concept) steeredIn++;
            if (trial.cleanClass === trial.concept) cleanIn++;
          }
          successes += result.successes;
          trials += result.trials;
        }
      } finally {
        sae.dispose();
      }
      console.log(`planted category directions: steered in category ${steeredIn}/${trials}, clean ${cleanIn}/${trials}, successes ${successes}`);
      expect(steeredIn).toBeGreaterThan(cleanIn + trials / 4);
      expect(successes).toBeGreaterThan(trials / 4);
    } finally {
      model.dispose();
    }
  }, 300_000);
});
