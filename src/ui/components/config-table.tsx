import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TrainConfig } from '../../core/train/config';
import { sideLabel, SIDE_COLORS } from '../labels';
import { configField, fieldApplies, LENGTH_KEYS, type ConfigField } from '../store/config-fields';
import { activeSides, type Side } from '../store/experiment';
import { labStore, useLab } from '../page';
import { ComparisonRow } from './comparison-row';
import { FieldControl } from './field-control';
import { NumberInput } from './number-input';

/** The fields the table shows, in order; the training length follows as its own row. */
const TABLE_KEYS = ['d_sae', 'activation.kind', 'activation.l1Coeff', 'activation.k', 'penalty.kind', 'penalty.coeff', 'penalty.on', 'init.tied', 'init.unitNormDecoder', 'init.removeParallelGrad', 'init.bDecInit', 'init.biases', 'optim.lr', 'batchSize'];
/** Settings the paper's presets fix and few people change: shown folded, under "Advanced". */
const ADVANCED_KEYS = ['activation.auxkCoeff', 'activation.kAux', 'optim.beta1', 'optim.beta2', 'optim.eps', 'optim.clipGradNorm', 'optim.warmupSteps', 'optim.decayStartFrac', 'deadAfterTokens', 'metricsEvery'];

const setField = (sides: Side[], key: string, text: string) => labStore.getState().setConfigField(sides, key, text);

/** Every training setting of A and B, side by side. */
export function ConfigTable() {
  const { configs, compare } = useLab(useShallow((s) => ({ configs: s.experiment.configs, compare: s.experiment.compare })));
  // Rows the person split although A and B agree there; not part of the experiment.
  const [split, setSplit] = useState<ReadonlySet<string>>(new Set());
  const splitChange = (key: string) => (on: boolean) =>
    setSplit((keys) => {
      const next = new Set(keys);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  const sides = activeSides({ compare });

  const fieldRow = (field: ConfigField) => {
    const applies = configs.map((c) => fieldApplies(field, c)) as [boolean, boolean];
    if (!sides.some((side) => applies[side])) return null;
    return (
      <ComparisonRow
        key={field.key}
        label={field.label}
        hint={field.hint}
        compare={compare}
        values={[field.get(configs[0]), field.get(configs[1])]}
        applies={applies}
        split={split.has(field.key)}
        onSplitChange={splitChange(field.key)}
        onUnify={() => setField([1], field.key, field.get(configs[0]))}
        cell={(editSides, name) => (
          <FieldControl
            field={field}
            name={name}
            testId={`field-${field.key}${editSides.length === 1 && compare ? `-${'AB'[editSides[0]]}` : ''}`}
            value={field.get(configs[editSides[0]])}
            onChange={(text) => setField(editSides, field.key, text)}
          />
        )}
      />
    );
  };

  const lengthText = (c: TrainConfig) => `${c.length.value} ${c.length.unit}`;
  const head = compare && (
    <thead>
      <tr>
        <th />
        {([0, 1] as Side[]).map((side) => (
          <th key={side} style={{ color: SIDE_COLORS[side] }}>
            {sideLabel(side, configs, compare)}
          </th>
        ))}
        <th />
      </tr>
    </thead>
  );
  return (
    <div className="config-table-wrap">
      <table className="config-table">
        {head}
        <tbody>
          {TABLE_KEYS.map((key) => fieldRow(configField(key)))}
          <ComparisonRow
            label="training length"
            hint="How long each seed trains: a number of steps, or of passes over the training images."
            compare={compare}
            values={[lengthText(configs[0]), lengthText(configs[1])]}
            applies={[true, true]}
            split={split.has('length')}
            onSplitChange={splitChange('length')}
            onUnify={() => labStore.getState().setConfig(1, { ...configs[1], length: configs[0].length })}
            cell={(editSides, name) => <LengthControl config={configs[editSides[0]]} sides={editSides} name={name} />}
          />
        </tbody>
      </table>
      <details className="config-advanced" data-testid="config-advanced">
        <summary>Advanced</summary>
        <table className="config-table">
          {head}
          <tbody>{ADVANCED_KEYS.map((key) => fieldRow(configField(key)))}</tbody>
        </table>
      </details>
    </div>
  );
}

function LengthControl({ config, sides, name }: { config: TrainConfig; sides: Side[]; name: string }) {
  const { unit, value } = config.length;
  return (
    <span className="length-control">
      <NumberInput label={name} testId="field-length" value={String(value)} onCommit={(text) => setField(sides, unit, text)} />
      <select aria-label={`${name} unit`} value={unit} onChange={(e) => setField(sides, e.target.value, String(value))}>
        {LENGTH_KEYS.map((key) => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </select>
    </span>
  );
}
