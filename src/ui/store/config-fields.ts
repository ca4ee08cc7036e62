/**
 * The fields of one training configuration that the page lets a person set: each reads and writes
 * a TrainConfig as text, so one table drives both the controls and the URL.
 */
import { saeVariant, VARIANT_KINDS, type VariantKind } from '../../core/sae/variants';
import type { PenaltyKind, PenaltyTarget, TrainConfig } from '../../core/train/config';

export interface Choice {
  value: string;
  label: string;
}

export type FieldInput = { kind: 'select'; options: Choice[] } | { kind: 'number'; step: string } | { kind: 'checkbox' };

export interface ConfigField {
  /** The URL key: the field's path in TrainConfig (`optim.beta1`), or the length's unit (`steps`, `epochs`). */
  key: string;
  /** The short key links used before keys were paths (`width`, `pc`): still read, never written. */
  alias?: string;
  label: string;
  /** One sentence for the control's tooltip. */
  hint: string;
  /** How the controls edit it; absent for fields set through a combined control (training length). */
  input?: FieldInput;
  /** Whether the field means anything for this configuration (k only for TopK, …); default yes. */
  applies?(c: TrainConfig): boolean;
  /** The value as text; '' where the field does not apply. */
  get(c: TrainConfig): string;
  /**
   * The configuration with the field set from text, or a sentence saying why the text is not a value
   * of it. Only the form is checked here (a number, one of the choices): whether the value makes a
   * valid run is trainConfigProblems's call, so the controls show its sentences.
   */
  set(c: TrainConfig, raw: string): TrainConfig | string;
}

function numberField(
  spec: Omit<ConfigField, 'input' | 'get' | 'set'> & { step: string; read(c: TrainConfig): number; write(c: TrainConfig, n: number): TrainConfig },
): ConfigField {
  const { step, read, write, ...rest } = spec;
  return {
    ...rest,
    input: { kind: 'number', step },
    get: (c) => (spec.applies && !spec.applies(c) ? '' : String(read(c))),
    set(c, raw) {
      const n = raw.trim() === '' ? NaN : Number(raw);
      return Number.isFinite(n) ? write(c, n) : `${spec.label} must be a number (got '${raw}')`;
    },
  };
}

function choiceField(
  spec: Omit<ConfigField, 'input' | 'get' | 'set'> & { options: Choice[]; read(c: TrainConfig): string; write(c: TrainConfig, value: string): TrainConfig },
): ConfigField {
  const { options, read, write, ...rest } = spec;
  return {
    ...rest,
    input: { kind: 'select', options },
    get: (c) => (spec.applies && !spec.applies(c) ? '' : read(c)),
    set: (c, raw) =>
      options.some((o) => o.value === raw) ? write(c, raw) : `${spec.label} must be one of ${options.map((o) => o.value).join(', ')} (got '${raw}')`,
  };
}

/** Booleans are 1 and 0 in the URL. */
function flagField(spec: Omit<ConfigField, 'input' | 'get' | 'set'> & { read(c: TrainConfig): boolean; write(c: TrainConfig, on: boolean): TrainConfig }): ConfigField {
  const { read, write, ...rest } = spec;
  return {
    ...rest,
    input: { kind: 'checkbox' },
    get: (c) => (read(c) ? '1' : '0'),
    set: (c, raw) => (raw === '1' || raw === '0' ? write(c, raw === '1') : `${spec.label} must be 1 or 0 (got '${raw}')`),
  };
}

const isRelu = (c: TrainConfig) => c.activation.kind === 'relu';
const isTopK = (c: TrainConfig) => c.activation.kind === 'topk';
const penalised = (c: TrainConfig) => c.penalty.kind !== 'none';

const PENALTY_CHOICES: Choice[] = [
  { value: 'none', label: 'none' },
  { value: 'l1', label: 'L1: mean |W|' },
  { value: 'l2', label: 'L2 squared: ‖W‖²' },
  { value: 'l2-unsquared', label: 'L2 unsquared: ‖W‖' },
];

/** A number one or two levels down in the configuration (`batchSize`, `optim.beta1`), read and written by its path. */
function numberAt(key: string, spec: Omit<Parameters<typeof numberField>[0], 'key' | 'read' | 'write'>): ConfigField {
  const [outer, inner] = key.split('.') as [keyof TrainConfig, string | undefined];
  type Nested = Record<string, number>;
  return numberField({
    key,
    ...spec,
    read: (c) => (inner === undefined ? (c[outer] as number) : (c[outer] as unknown as Nested)[inner]),
    write: (c, n) => ({ ...c, [outer]: inner === undefined ? n : { ...(c[outer] as unknown as Nested), [inner]: n } }),
  });
}

/** A TopK setting: written only into a TopK activation (elsewhere it does not apply). */
function topkNumber(name: 'k' | 'auxkCoeff' | 'kAux', spec: Omit<Parameters<typeof numberField>[0], 'key' | 'read' | 'write' | 'applies'>): ConfigField {
  return numberField({
    key: `activation.${name}`,
    ...spec,
    applies: isTopK,
    read: (c) => (c.activation.kind === 'topk' ? c.activation[name] : NaN),
    write: (c, n) => (c.activation.kind === 'topk' ? { ...c, activation: { ...c.activation, [name]: n } } : c),
  });
}

/**
 * Every setting of a TrainConfig but d_in and seed (NOT_IN_URL), keyed by its path in TrainConfig; the
 * training length's two leaves are set together by `steps` or `epochs`. In the order the controls show
 * them and the URL is parsed: the width before k (which must not exceed it), and a kind before the
 * settings that depend on it.
 */
export const CONFIG_FIELDS: readonly ConfigField[] = [
  numberAt('d_sae', {
    alias: 'width',
    label: 'width (latents)',
    hint: 'd_sae: how many features the SAE has (the paper: 1568).',
    step: '1',
  }),
  choiceField({
    key: 'penalty.kind',
    alias: 'pen',
    label: 'weight penalty',
    hint: 'Added to the loss: L1 mean|W|, L2 squared ‖W‖_F² (the paper’s unconstrained runs) or L2 unsquared ‖W‖_F (its constrained runs).',
    options: PENALTY_CHOICES,
    read: (c) => c.penalty.kind,
    write: (c, kind) => ({ ...c, penalty: { ...c.penalty, kind: kind as PenaltyKind } }),
  }),
  numberAt('penalty.coeff', {
    alias: 'pc',
    label: 'penalty coefficient',
    hint: 'The weight of the penalty term in the loss (the paper: 1e-5 on MNIST).',
    step: 'any',
    applies: penalised,
  }),
  choiceField({
    key: 'penalty.on',
    alias: 'pon',
    label: 'penalty on',
    hint: 'Which weight matrices the penalty sums over.',
    options: [
      { value: 'both', label: 'encoder and decoder' },
      { value: 'encoder', label: 'encoder only' },
      { value: 'decoder', label: 'decoder only' },
    ],
    applies: penalised,
    read: (c) => c.penalty.on,
    write: (c, on) => ({ ...c, penalty: { ...c.penalty, on: on as PenaltyTarget } }),
  }),
  flagField({
    key: 'init.tied',
    alias: 'tied',
    label: 'tied init',
    hint: 'The encoder starts as the decoder’s transpose (tied at initialisation only).',
    read: (c) => c.init.tied,
    write: (c, tied) => ({ ...c, init: { ...c.init, tied } }),
  }),
  flagField({
    key: 'init.unitNormDecoder',
    alias: 'unit',
    label: 'unit-norm decoder',
    hint: 'Decoder directions are renormalised to length 1 after every step.',
    read: (c) => c.init.unitNormDecoder,
    write: (c, unitNormDecoder) => ({ ...c, init: { ...c.init, unitNormDecoder } }),
  }),
  flagField({
    key: 'init.removeParallelGrad',
    alias: 'perp',
    label: 'remove parallel gradient',
    hint:
      'With a unit-norm decoder: drop the part of each decoder row’s gradient along the row before the step (Gao et al.’s TopK trainer; ' +
      'not the paper’s code). It cancels a weight penalty’s pull on the decoder.',
    applies: (c) => c.init.unitNormDecoder,
    read: (c) => c.init.removeParallelGrad,
    write: (c, removeParallelGrad) => ({ ...c, init: { ...c.init, removeParallelGrad } }),
  }),
  choiceField({
    key: 'init.bDecInit',
    alias: 'bdec',
    label: 'b_dec starts at',
    hint: 'The decoder bias’s starting point: the geometric median of the first batch (Weiszfeld), its mean, or zero.',
    options: [
      { value: 'geometric-median', label: 'geometric median' },
      { value: 'mean', label: 'mean' },
      { value: 'zeros', label: 'zero' },
    ],
    read: (c) => c.init.bDecInit,
    write: (c, bDecInit) => ({ ...c, init: { ...c.init, bDecInit: bDecInit as TrainConfig['init']['bDecInit'] } }),
  }),
  flagField({
    key: 'init.biases',
    alias: 'bias',
    label: 'biases',
    hint: 'Train b_enc and b_dec; off keeps both at zero (the paper’s unconstrained runs).',
    read: (c) => c.init.biases,
    write: (c, biases) => ({ ...c, init: { ...c.init, biases } }),
  }),
  choiceField({
    key: 'activation.kind',
    alias: 'act',
    label: 'activation',
    hint: `${VARIANT_KINDS.map((kind) => saeVariant(kind).hint).join(', or ')}.`,
    options: VARIANT_KINDS.map((kind) => ({ value: kind, label: saeVariant(kind).label })),
    read: (c) => c.activation.kind,
    // Switching the activation keeps the other settings; the new kind starts from its variant's defaults.
    write: (c, kind) => (c.activation.kind === kind ? c : { ...c, activation: { ...saeVariant(kind as VariantKind).defaults } }),
  }),
  numberField({
    key: 'activation.l1Coeff',
    alias: 'l1',
    label: 'sparsity λ_s',
    hint: 'Weight of mean|f| in the loss (the paper: 0.1).',
    step: 'any',
    applies: isRelu,
    read: (c) => (c.activation.kind === 'relu' ? c.activation.l1Coeff : NaN),
    write: (c, l1Coeff) => (c.activation.kind === 'relu' ? { ...c, activation: { ...c.activation, l1Coeff } } : c),
  }),
  topkNumber('k', { alias: 'k', label: 'k', hint: 'Latents kept active per input.', step: '1' }),
  topkNumber('auxkCoeff', {
    label: 'AuxK coefficient',
    hint: 'Weight of the auxiliary loss in which dead latents model the residual (Gao et al.: 1/32); 0 turns it off.',
    step: 'any',
  }),
  topkNumber('kAux', { label: 'k_aux', hint: 'How many dead latents the AuxK loss may use (Gao et al.: 256 at width 16,384).', step: '1' }),
  numberAt('optim.lr', { alias: 'lr', label: 'learning rate', hint: 'Adam’s step size (the paper: 1e-3).', step: 'any' }),
  numberAt('optim.beta1', { label: 'Adam β1', hint: 'Decay of Adam’s running mean of the gradient (usually 0.9).', step: 'any' }),
  numberAt('optim.beta2', { label: 'Adam β2', hint: 'Decay of Adam’s running mean of the squared gradient (usually 0.999).', step: 'any' }),
  numberAt('optim.eps', { label: 'Adam ε', hint: 'Added to the root of Adam’s second moment so a step never divides by zero (usually 1e-8).', step: 'any' }),
  numberAt('optim.clipGradNorm', { label: 'gradient clipping', hint: 'Clip the global gradient norm to this value (the paper’s TopK runs: 1); 0 turns clipping off.', step: 'any' }),
  numberAt('optim.warmupSteps', { label: 'warm-up steps', hint: 'The learning rate rises linearly from 0 over this many steps.', step: '1' }),
  numberAt('optim.decayStartFrac', {
    label: 'decay starts at',
    hint: 'The fraction of the run after which the learning rate falls linearly to 0 (1: no decay; the paper’s TopK runs: 0.8).',
    step: 'any',
  }),
  numberAt('batchSize', { alias: 'batch', label: 'batch size', hint: 'Images per training step (the paper: 512).', step: '1' }),
  // The training length's two leaves (length.unit and length.value) are set together: the key names the unit.
  numberField({
    key: 'steps',
    label: 'steps',
    hint: 'Training length in steps.',
    step: '1',
    applies: (c) => c.length.unit === 'steps',
    read: (c) => c.length.value,
    write: (c, value) => ({ ...c, length: { unit: 'steps', value } }),
  }),
  numberField({
    key: 'epochs',
    label: 'epochs',
    hint: 'Training length in passes over the training images.',
    step: '1',
    applies: (c) => c.length.unit === 'epochs',
    read: (c) => c.length.value,
    write: (c, value) => ({ ...c, length: { unit: 'epochs', value } }),
  }),
  numberAt('deadAfterTokens', {
    label: 'dead after (tokens)',
    hint: 'A latent counts as dead once it has not fired for this many training inputs (tokens; images on MNIST): the dead fraction, and AuxK’s dead latents.',
    step: 'any',
  }),
  numberAt('metricsEvery', {
    alias: 'every',
    label: 'metrics every',
    hint: 'Read metrics back from the device every n steps (each read-back stalls the pipeline a little).',
    step: '1',
  }),
];

/**
 * The leaves of a TrainConfig that no field sets: d_in is the data's width (the page sets it when the data
 * loads) and seed is set per seed by the trainer (the experiment's seed count says how many).
 */
export const NOT_IN_URL = ['d_in', 'seed'] as const;

/** The paths of TrainConfig a field sets: its key, or both leaves of the training length. */
export function fieldPaths(field: ConfigField): string[] {
  return LENGTH_KEYS.includes(field.key as (typeof LENGTH_KEYS)[number]) ? ['length.unit', 'length.value'] : [field.key];
}

/** The training length's two fields are shown as one control (a number and its unit). */
export const LENGTH_KEYS = ['steps', 'epochs'] as const;

/** The field with this key or its former short name. */
export function configField(key: string): ConfigField {
  const field = CONFIG_FIELDS.find((f) => f.key === key || f.alias === key);
  if (!field) throw new Error(`no configuration field '${key}'`);
  return field;
}

export function fieldApplies(field: ConfigField, c: TrainConfig): boolean {
  return field.applies ? field.applies(c) : true;
}
