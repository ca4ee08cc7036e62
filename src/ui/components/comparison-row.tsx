import type { ReactNode } from 'react';
import { SIDE_NAMES, type Side } from '../store/experiment';

interface ComparisonRowProps {
  label: string;
  hint: string;
  compare: boolean;
  /** The value of A and of B as text, to tell whether they agree. */
  values: readonly [string, string];
  applies: readonly [boolean, boolean];
  /** The person asked to set A and B separately although they agree. */
  split: boolean;
  onSplitChange(split: boolean): void;
  /** Gives B the value of A. */
  onUnify(): void;
  /** The input for these sides: [0, 1] edits both at once. */
  cell(sides: Side[], name: string): ReactNode;
}

/**
 * One row of the configuration table. Where A and B agree one control spans both columns (the
 * comparison's "same everything else" stays visible); where they differ the row is marked and
 * has one control per configuration. "separate" and "same as A" switch a row between the two.
 */
export function ComparisonRow({ label, hint, compare, values, applies, split, onSplitChange, onUnify, cell }: ComparisonRowProps) {
  if (!compare) {
    return (
      <tr>
        <th title={hint}>{label}</th>
        <td>{cell([0], `${label} A`)}</td>
      </tr>
    );
  }
  const agree = values[0] === values[1] && applies[0] === applies[1];
  if (agree && !split) {
    return (
      <tr>
        <th title={hint}>{label}</th>
        <td colSpan={2}>{cell([0, 1], label)}</td>
        <td>
          <button type="button" className="link-button" title="Set A and B separately" onClick={() => onSplitChange(true)}>
            separate
          </button>
        </td>
      </tr>
    );
  }
  return (
    <tr className={agree ? undefined : 'differs'}>
      <th title={hint}>{label}</th>
      {([0, 1] as Side[]).map((side) => (
        <td key={side}>{applies[side] ? cell([side], `${label} ${SIDE_NAMES[side]}`) : <span className="muted">—</span>}</td>
      ))}
      <td>
        <button
          type="button"
          className="link-button"
          title="Give B the value of A and edit them together"
          onClick={() => {
            if (!agree) onUnify();
            onSplitChange(false);
          }}
        >
          same as A
        </button>
      </td>
    </tr>
  );
}
