/**
 * The model card (README.md) of a language model trained by `train-lm`: what it is, the command that trained
 * it, the data, its held-out loss next to the n-gram baselines scored on the same tokens, greedy samples,
 * and the data's licence. Every figure comes from the evaluation passed in; nothing is written by hand.
 */

export interface HeldOutComparison {
  /** Next-token predictions scored (the same for all three). */
  targets: number;
  modelLoss: number;
  unigramLoss: number;
  bigramLoss: number;
  bigramBeta: number;
}

export interface ModelCardInput {
  title: string;
  /** The command line that trained it, as run. */
  command: string;
  data: string;
  architecture: string;
  training: string;
  heldOut: HeldOutComparison;
  /** Prompts the model never saw as training text, with its greedy continuation. */
  samples: { prompt: string; continuation: string; reference: string }[];
  /** The data's licence, repeated as it asks; null when the data has none to repeat. */
  licence: { name: string; text: string } | null;
}

const nats = (loss: number) => `${loss.toFixed(3)} nats/token (perplexity ${Math.exp(loss).toFixed(1)})`;

export function modelCard(input: ModelCardInput): string {
  const { heldOut: h } = input;
  return [
    `# ${input.title}`,
    '',
    "A tiny GPT-NeoX (the layout of the Pythia family) trained from scratch with the SAE Stability Lab's own tfjs code (`npm run lab -- train-lm`), the same forward pass the lab runs for inference. It is not Pythia.",
    '',
    '## How it was trained',
    '',
    '```sh',
    input.command,
    '```',
    '',
    `- Data: ${input.data}`,
    `- Model: ${input.architecture}`,
    `- Training: ${input.training}`,
    '',
    '## Held-out loss',
    '',
    `The shipped (F16) weights, scored on the held-out text (never trained on): ${h.targets} next-token predictions, the same ones for each row. The unigram is add-one smoothed; the bigram is interpolated with it at its best prior weight β = ${h.bigramBeta} (chosen on these very tokens, so its best case); both count the training split's tokens.`,
    '',
    '| model | held-out loss |',
    '| --- | --- |',
    `| this model | ${nats(h.modelLoss)} |`,
    `| bigram baseline | ${nats(h.bigramLoss)} |`,
    `| unigram baseline | ${nats(h.unigramLoss)} |`,
    '',
    ...(input.samples.length === 0
      ? []
      : [
          '## Greedy samples',
          '',
          "Each prompt is a held-out document's opening (the lemma and its colon); the model continues greedily (temperature 0) until the end-of-text token or the length limit. The document's own text follows for comparison.",
          '',
          ...input.samples.flatMap((s) => [`- **${s.prompt}**${s.continuation}`, `  - held-out text: ${s.reference}`]),
          '',
        ]),
    ...(input.licence === null ? [] : [`## Licence of the data (${input.licence.name})`, '', '```', input.licence.text.trimEnd(), '```', '']),
  ].join('\n');
}
