import { useState } from 'react';

interface NumberInputProps {
  value: string;
  /** Returns why the text was refused, or null once the value is taken. */
  onCommit(text: string): string | null;
  label: string;
  testId?: string;
  disabled?: boolean;
}

/**
 * A text box for numbers that accepts what people type on the way to a value ("1e-", "0.") and
 * scientific notation, which <input type="number"> turns into an empty string. The draft shows
 * while it is being edited; a refused draft says why and goes back to the value on blur.
 */
export function NumberInput({ value, onCommit, label, testId, disabled }: NumberInputProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <span className="number-input">
      <input
        type="text"
        inputMode="decimal"
        aria-label={label}
        data-testid={testId}
        disabled={disabled}
        value={draft ?? value}
        onChange={(e) => {
          setDraft(e.target.value);
          setProblem(onCommit(e.target.value));
        }}
        onBlur={() => {
          setDraft(null);
          setProblem(null);
        }}
      />
      {problem && <span className="field-problem">{problem}</span>}
    </span>
  );
}
