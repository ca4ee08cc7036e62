import { describe, expect, it } from 'vitest';
import { describeFeature, JUDGE_DEFINITION, judgeMessages, parseScore } from '../../../src/core/judge';

describe('parseScore', () => {
  it('reads the first stand-alone digit 1–5', () => {
    expect(parseScore('4')).toBe(4);
    expect(parseScore(' 2\n')).toBe(2);
    expect(parseScore('Score: 5/5')).toBe(5);
    expect(parseScore('**3**')).toBe(3);
    expect(parseScore('<think>I would say 1 or 2</think>\n4')).toBe(4);
    expect(parseScore('10')).toBeNull();
    expect(parseScore('0 or 6')).toBeNull();
    expect(parseScore('')).toBeNull();
  });
});

describe('judgeMessages', () => {
  it('asks for just the number, with the explanation and both continuations', () => {
    const messages = judgeMessages({ explanation: 'EXPL', prompt: 'PROMPT', steered: 'STEERED', unsteered: 'UNSTEERED' });
    const user = messages[messages.length - 1].content;
    expect(user.indexOf('UNSTEERED')).toBeLessThan(user.indexOf('Steered continuation: """STEERED'));
    for (const text of ['EXPL', 'PROMPT']) expect(user).toContain(text);
    expect(messages.map((m) => m.content).join(' ')).toMatch(/just the number|single digit/);
  });
});

describe('describeFeature', () => {
  it('builds a short explanation from contexts and promoted tokens', () => {
    const text = describeFeature({ promoted: [' ship', ' sea', '  '], contexts: ['the  boat\nsailed', 'x'.repeat(300)] });
    expect(text).toContain('"the boat sailed"');
    expect(text).toContain('"ship"');
    expect(text).toContain('"sea"');
    expect(text).toMatch(/x{100,}…"/);
    expect(text.length).toBeLessThan(400);
    expect(() => describeFeature({ promoted: [], contexts: [' '] })).toThrow(/describeFeature: needs at least one/);
  });

  it('has a definition for the UI that states the success threshold', () => {
    expect(JUDGE_DEFINITION).toMatch(/1 to 5.*score of 4 or 5/);
  });
});
