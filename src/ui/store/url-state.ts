/**
 * The page's URL: one table of fields drives both writing and reading it, so a demo is a link.
 * Only values that differ from the default experiment are written. A configuration field holds
 * one value for both A and B, or `a,b` where they differ (an empty part: the field does not apply
 * to that side). A configuration key is the setting's path in TrainConfig (`optim.beta1`); the
 * short keys older links used (`width`, `pc`) and `data=shards` are still read, so those links open
 * the same experiment. Unknown keys and values that are not valid are ignored, each with a note
 * the page shows.
 */
import { trainConfigProblems } from '../../core/train/validate';
import { BACKEND_ORDER, type BackendRequest } from '../../runtime/protocol/backend-types';
import { CONFIG_FIELDS, type ConfigField } from './config-fields';
import { CONTROL_SAMPLE, isSample, PICKED_FILES, SAMPLE, seedCountProblem, SIDES, type Experiment, type Side } from './experiment';
import { DATASET_DEFAULT_PRESET, defaultExperiment, presetById } from './presets';
import { defaultSelection, type Selection } from './selection';

/** The part of the selection a demo link carries: it opens on the same feature and digit. */
export type LinkedSelection = Pick<Selection, 'side' | 'seed' | 'feature' | 'digit'>;

export interface UrlState {
  experiment: Experiment;
  link: LinkedSelection;
}

export interface UrlField {
  key: string;
  /** A former key, still read (old links open the same experiment) but never written. */
  alias?: string;
  get(state: UrlState): string;
  /** The state with the field set from text, or a sentence saying why the text was ignored. */
  set(state: UrlState, raw: string): UrlState | string;
}

export function defaultUrlState(): UrlState {
  const { side, seed, feature, digit } = defaultSelection();
  return { experiment: defaultExperiment(), link: { side, seed, feature, digit } };
}

const withExperiment = (state: UrlState, patch: Partial<Experiment>): UrlState => ({ ...state, experiment: { ...state.experiment, ...patch } });
const withLink = (state: UrlState, patch: Partial<LinkedSelection>): UrlState => ({ ...state, link: { ...state.link, ...patch } });

function wholeNumber(raw: string, min: number): number | null {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isInteger(n) && n >= min ? n : null;
}

/** A configuration field in the URL: `v` sets A and B, `a,b` each. A value that would make a valid config invalid is refused. */
function pairField(field: ConfigField): UrlField {
  return {
    key: field.key,
    alias: field.alias,
    get({ experiment: { configs } }) {
      const [a, b] = configs.map((c) => field.get(c));
      return a === b ? a : `${a},${b}`;
    },
    set(state, raw) {
      const parts = raw.split(',');
      if (parts.length > 2) return `${field.label} takes one value, or two separated by a comma (A,B)`;
      const configs = [...state.experiment.configs] as Experiment['configs'];
      for (const side of SIDES) {
        const part = parts.length === 1 ? parts[0] : parts[side];
        if (part === '') continue;
        const next = field.set(configs[side], part);
        if (typeof next === 'string') return next;
        const before = new Set(trainConfigProblems(configs[side]));
        const added = trainConfigProblems(next).filter((p) => !before.has(p));
        if (added.length > 0) return added.join('; ');
        configs[side] = next;
      }
      return withExperiment(state, { configs });
    },
  };
}

const BACKEND_CHOICES: readonly string[] = ['auto', ...BACKEND_ORDER];

/** A data or model location a link can carry: the shipped sample, or an http(s) URL (picked files cannot). */
function locationField(key: 'shards' | 'model', what: string): UrlField {
  return {
    key,
    get: (s) => (s.experiment[key] === PICKED_FILES ? '' : (s.experiment[key] ?? '')),
    set(s, raw) {
      if (isSample(raw) || /^https?:\/\//.test(raw)) return withExperiment(s, { [key]: raw });
      return `${key} must be "${SAMPLE}" (the WordNet gloss sample), "${CONTROL_SAMPLE}" (the random-weight control) or an http(s) URL of ${what}`;
    },
  };
}

/** Experiment-wide fields first: `seeds` must be known before a link's selected seed is checked. */
const EXPERIMENT_FIELDS: UrlField[] = [
  {
    key: 'data',
    get: (s) => s.experiment.dataset,
    // Read first: the data's default preset is the base that the link's configuration fields then change.
    set(s, raw) {
      // `shards` is the track's former name: links saved before the rename still open it.
      const dataset = raw === 'shards' ? 'lm' : raw;
      if (dataset !== 'mnist' && dataset !== 'lm') return 'data must be mnist or lm';
      // The language-model track opens on the gloss sample unless the link's `shards` says otherwise.
      const shards = dataset === 'lm' ? (s.experiment.shards ?? SAMPLE) : s.experiment.shards;
      return withExperiment(s, { dataset, shards, ...presetById(DATASET_DEFAULT_PRESET[dataset]).experiment() });
    },
  },
  locationField('shards', 'a manifest.json'),
  locationField('model', 'a model folder'),
  {
    key: 'mode',
    get: (s) => (s.experiment.compare ? 'compare' : 'single'),
    set: (s, raw) => (raw === 'compare' || raw === 'single' ? withExperiment(s, { compare: raw === 'compare' }) : `mode must be compare or single`),
  },
  {
    key: 'seeds',
    get: (s) => String(s.experiment.seedCount),
    set(s, raw) {
      const n = Number(raw);
      return seedCountProblem(n) ?? withExperiment(s, { seedCount: n });
    },
  },
  {
    key: 'backend',
    get: (s) => s.experiment.backend,
    set: (s, raw) => (BACKEND_CHOICES.includes(raw) ? withExperiment(s, { backend: raw as BackendRequest }) : `backend must be one of ${BACKEND_CHOICES.join(', ')}`),
  },
  {
    key: 'images',
    get: (s) => (s.experiment.trainLimit === null ? '' : String(s.experiment.trainLimit)),
    set(s, raw) {
      const n = wholeNumber(raw, 1);
      return n === null ? 'images must be a positive whole number' : withExperiment(s, { trainLimit: n });
    },
  },
  {
    key: 'ckpt',
    get: (s) => String(s.experiment.checkpointSeconds),
    set(s, raw) {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) && n >= 0.5 && n <= 3600 ? withExperiment(s, { checkpointSeconds: n }) : 'ckpt must be a number of seconds from 0.5 to 3600';
    },
  },
  {
    key: 'auto',
    get: (s) => (s.experiment.autostart ? '1' : '0'),
    set: (s, raw) => (raw === '1' || raw === '0' ? withExperiment(s, { autostart: raw === '1' }) : 'auto must be 1 (start on load) or 0'),
  },
];

const LINK_FIELDS: UrlField[] = [
  {
    key: 'side',
    get: (s) => (s.link.side === 0 ? 'A' : 'B'),
    set: (s, raw) => (raw === 'A' || raw === 'B' ? withLink(s, { side: (raw === 'A' ? 0 : 1) as Side }) : 'side must be A or B'),
  },
  {
    key: 'seed',
    get: (s) => String(s.link.seed),
    set(s, raw) {
      const n = wholeNumber(raw, 0);
      return n !== null && n < s.experiment.seedCount ? withLink(s, { seed: n }) : `seed must be a whole number below the number of seeds (${s.experiment.seedCount})`;
    },
  },
  {
    key: 'feature',
    get: (s) => (s.link.feature === null ? '' : String(s.link.feature)),
    set(s, raw) {
      const n = wholeNumber(raw, 0);
      const width = s.experiment.configs[s.link.side].d_sae;
      return n !== null && n < width ? withLink(s, { feature: n }) : `feature must be a whole number below the width (${width})`;
    },
  },
  {
    key: 'digit',
    get: (s) => String(s.link.digit),
    set(s, raw) {
      const n = wholeNumber(raw, 0);
      return n === null ? 'digit must be the index of a test image (a whole number ≥ 0)' : withLink(s, { digit: n });
    },
  },
];

/** Read in this order: the experiment, then each configuration (width before k), then the selection. */
export const URL_FIELDS: readonly UrlField[] = [...EXPERIMENT_FIELDS, ...CONFIG_FIELDS.map(pairField), ...LINK_FIELDS];

/** The query string (without `?`) for a state: only fields that differ from the default. */
export function serializeUrlState(state: UrlState): string {
  const defaults = defaultUrlState();
  // Reading `data` resets the configurations to that data's default preset: compare with those.
  const dataDefaults = state.experiment.dataset === defaults.experiment.dataset ? defaults : parseUrlState(`data=${state.experiment.dataset}`).state;
  return URL_FIELDS.flatMap((field) => {
    const value = field.get(state);
    // '' is a field that applies to neither side (steps in an epochs run): the other fields say so.
    if (value === '' || value === field.get(field.key === 'data' ? defaults : dataDefaults)) return [];
    // Commas stay readable: they separate A from B and are valid in a query.
    return [`${field.key}=${encodeURIComponent(value).replace(/%2C/g, ',')}`];
  }).join('&');
}

export interface ParsedUrl {
  state: UrlState;
  /** One sentence per parameter that was ignored, and why. */
  notes: string[];
}

export function parseUrlState(search: string): ParsedUrl {
  const params = new URLSearchParams(search);
  const notes: string[] = [];
  let state = defaultUrlState();
  for (const field of URL_FIELDS) {
    // The key itself wins over its former name when a link has both.
    const key = params.has(field.key) || !field.alias ? field.key : field.alias;
    if (field.alias && params.has(field.key) && params.has(field.alias)) notes.push(`Ignored ${field.alias}: ${field.key} sets the same field.`);
    const raw = params.get(key);
    if (raw === null) continue;
    const next = field.set(state, raw);
    if (typeof next === 'string') notes.push(`Ignored ${key}=${raw}: ${next}.`);
    else state = next;
  }
  const known = new Set(URL_FIELDS.flatMap((f) => (f.alias ? [f.key, f.alias] : [f.key])));
  for (const key of new Set(params.keys())) if (!known.has(key)) notes.push(`Ignored unknown parameter "${key}".`);
  return { state, notes };
}
