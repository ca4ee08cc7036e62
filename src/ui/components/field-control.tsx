import type { ConfigField } from '../store/config-fields';
import { NumberInput } from './number-input';

interface FieldControlProps {
  field: ConfigField;
  /** The field's value as text ('' where it does not apply). */
  value: string;
  onChange(text: string): string | null;
  /** Names the control for screen readers and tests, e.g. "width A". */
  name: string;
  testId: string;
}

/** One configuration field's input, chosen by the field's kind. */
export function FieldControl({ field, value, onChange, name, testId }: FieldControlProps) {
  const input = field.input;
  if (!input) return null;
  if (input.kind === 'checkbox') {
    return <input type="checkbox" aria-label={name} data-testid={testId} checked={value === '1'} onChange={(e) => onChange(e.target.checked ? '1' : '0')} />;
  }
  if (input.kind === 'select') {
    return (
      <select aria-label={name} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {input.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  return <NumberInput label={name} testId={testId} value={value} onCommit={onChange} />;
}
