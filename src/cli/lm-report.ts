/**
 * After `train-lm`: the model's held-out loss over every held-out token (not the trainer's sample of
 * windows), the n-gram baselines on the same predictions, greedy samples, and the model card (README.md).
 */
import { bigramLoss, heldOutWindows, targetPairs, unigramLoss } from '../core/lm/ngram-baselines';
import { meanLoss } from '../core/lm/lm-trainer';
import { modelCard, type HeldOutComparison } from '../core/lm/model-card';
import { generate } from '../core/model/generate';
import type { GptNeox } from '../core/model/gptneox';
import { createTokenizer } from '../core/model/tokenizer';
import type { TokenizedCorpus } from '../core/lm/tokenized-corpus';

/** Greedy samples in the card, and how long each may run. */
const SAMPLES = 8;
const SAMPLE_TOKENS = 40;
const EVAL_BATCH = 16;

export async function compareHeldOut(model: GptNeox, corpus: TokenizedCorpus, context: number): Promise<HeldOutComparison> {
  const windows = heldOutWindows(corpus.heldOut, context);
  const pairs = targetPairs(windows);
  const bigram = bigramLoss(corpus.train, pairs, corpus.vocabSize);
  return {
    targets: pairs.target.length,
    modelLoss: await meanLoss(model, windows, EVAL_BATCH),
    unigramLoss: unigramLoss(corpus.train, pairs, corpus.vocabSize),
    bigramLoss: bigram.loss,
    bigramBeta: bigram.beta,
  };
}

export interface ReportInput {
  model: GptNeox;
  corpus: TokenizedCorpus;
  context: number;
  command: string;
  architecture: string;
  training: string;
}

/** The card's markdown; prints the comparison as it goes. */
export async function modelReport({ model, corpus, context, command, architecture, training }: ReportInput): Promise<string> {
  const heldOut = await compareHeldOut(model, corpus, context);
  console.log(
    `held-out (${heldOut.targets} tokens): model ${heldOut.modelLoss.toFixed(3)}, bigram ${heldOut.bigramLoss.toFixed(3)} (β ${heldOut.bigramBeta}), unigram ${heldOut.unigramLoss.toFixed(3)} nats/token`,
  );
  const samples: { prompt: string; continuation: string; reference: string }[] = [];
  if (corpus.tokenizerJson !== null && corpus.samplePrompts) {
    const tokenizer = createTokenizer(corpus.tokenizerJson, corpus.tokenizerConfig ?? {});
    const stop = corpus.eosTokenId === null ? [] : [corpus.eosTokenId];
    for (const { prompt, reference } of corpus.samplePrompts.slice(0, SAMPLES)) {
      const { tokens } = await generate(model, tokenizer.encode(prompt), { maxNewTokens: SAMPLE_TOKENS, temperature: 0, stopTokens: stop });
      samples.push({ prompt, continuation: tokenizer.decode(tokens.filter((t) => !stop.includes(t))), reference });
    }
  }
  return modelCard({ title: corpus.modelTitle ?? 'A small GPT-NeoX', command, data: corpus.description, architecture, training, heldOut, samples, licence: corpus.licence ?? null });
}
