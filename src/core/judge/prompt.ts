/**
 * What the judge is asked, and how its reply is read. The paper's scheme: an LLM scores 1–5 whether the
 * steered text is MORE related to the feature's explanation than the unsteered text; success = score ≥ 4.
 */

export interface SteeringTexts {
  /** What the feature stands for, e.g. from describeFeature. */
  explanation: string;
  prompt: string;
  /** The continuations (without the prompt). */
  steered: string;
  unsteered: string;
}

export const JUDGE_SUCCESS_SCORE = 4;

export const JUDGE_DEFINITION =
  `An LLM judge scores from 1 to 5 how much MORE related to the feature's explanation the steered continuation is than ` +
  `the unsteered one (same prompt, same sampling seed); a trial succeeds with a score of ${JUDGE_SUCCESS_SCORE} or 5, as in the paper.`;

const SYSTEM = 'You rate experiments that steer a language model. Reply with a single digit from 1 to 5 and nothing else.';

export function judgeMessages({ explanation, prompt, steered, unsteered }: SteeringTexts): { role: 'system' | 'user'; content: string }[] {
  const user = [
    "A language model's internal activations were steered towards a feature. The feature's explanation:",
    quote(explanation),
    '',
    `Prompt: ${quote(prompt)}`,
    `Unsteered continuation: ${quote(unsteered)}`,
    `Steered continuation: ${quote(steered)}`,
    '',
    'Is the steered continuation MORE related to the explanation than the unsteered continuation?',
    '1 = no (not more related, or less), 2 = barely, 3 = somewhat, 4 = clearly more related, 5 = much more related.',
    'Reply with just the number.',
  ].join('\n');
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: user },
  ];
}

function quote(text: string): string {
  return `"""${text}"""`;
}

/**
 * The first digit 1–5 that is not part of a longer number ("4", "Score: 4.", "4/5" → 4; "10" → none),
 * after dropping a <think>…</think> block that reasoning models emit before their answer. null when none.
 */
export function parseScore(reply: string): 1 | 2 | 3 | 4 | 5 | null {
  const answer = reply.replace(/<think>[\s\S]*?<\/think>/gi, '');
  const match = /(?<!\d)([1-5])(?!\d)/.exec(answer);
  return match ? (Number(match[1]) as 1 | 2 | 3 | 4 | 5) : null;
}
