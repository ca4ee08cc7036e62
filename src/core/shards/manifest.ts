/**
 * `manifest.json` of an activation export: which model and hook, the shape and dtype of every row, and the
 * list of shard files with their token counts and SHA-256 checksums, in stream order (a context may run
 * from one shard into the next).
 */

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'sae-lab-activations';
export const MANIFEST_VERSION = 1;
/** Far above any residual stream the lab meets (Pythia-70M: 512); past it a file is corrupt, not big. */
export const MAX_D_MODEL = 65536;

export type ShardDtype = 'F16' | 'F32';

export interface ShardEntry {
  /** File name in the same folder: no path separators. */
  file: string;
  /** Activation rows in the file. */
  tokens: number;
  /** Lower-case hex SHA-256 of the whole file. */
  sha256: string;
}

export interface ShardManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  /** Where the activations come from, e.g. "EleutherAI/pythia-70m-deduped". */
  model: string;
  /** TransformerLens hook name, e.g. "blocks.3.hook_resid_post". */
  hook: string;
  d_model: number;
  dtype: ShardDtype;
  /** Tokens per context, bos included (the bos row itself is not exported). */
  context: number;
  total_tokens: number;
  shards: ShardEntry[];
  /**
   * Names of the documents' labels (e.g. WordNet categories), when the shards carry a `labels` tensor:
   * every name a shard's `__metadata__.labels` lists is one of these. Absent for unlabelled exports.
   */
  labels?: string[];
  /** True for the generated sample, whose activations come from a random-weight model. */
  synthetic?: boolean;
  note?: string;
}

type Fail = (field: string, problem: string, value: unknown) => never;

/** Validates parsed JSON as a manifest; `fileName` labels every error, which also names the field. */
export function parseManifest(json: unknown, fileName: string = MANIFEST_FILE): ShardManifest {
  const fail: Fail = (field, problem, value) => {
    throw new Error(`${fileName}: "${field}" ${problem} (got ${describe(value)})`);
  };
  if (!isObject(json)) throw new Error(`${fileName}: not a JSON object (got ${describe(json)})`);
  const fields = json;
  if (fields.format !== MANIFEST_FORMAT) fail('format', `must be "${MANIFEST_FORMAT}"`, fields.format);
  if (fields.version !== MANIFEST_VERSION) fail('version', `must be ${MANIFEST_VERSION}, the only version this lab reads`, fields.version);
  const model = text(fields, 'model', fail);
  const hook = text(fields, 'hook', fail);
  const dModel = count(fields.d_model, 'd_model', fail, { min: 1 });
  if (dModel > MAX_D_MODEL) fail('d_model', `must be at most ${MAX_D_MODEL}`, dModel);
  if (fields.dtype !== 'F16' && fields.dtype !== 'F32') fail('dtype', 'must be "F16" or "F32"', fields.dtype);
  const context = count(fields.context, 'context', fail, { min: 2 });
  const totalTokens = count(fields.total_tokens, 'total_tokens', fail, { min: 0 });
  const shards = shardList(fields.shards, fail);
  const sum = shards.reduce((total, shard) => total + shard.tokens, 0);
  if (sum !== totalTokens) fail('total_tokens', `must equal the sum of the shards' tokens, ${sum}`, totalTokens);
  if (fields.synthetic !== undefined && typeof fields.synthetic !== 'boolean') fail('synthetic', 'must be true or false', fields.synthetic);
  if (fields.note !== undefined && typeof fields.note !== 'string') fail('note', 'must be a string', fields.note);
  const labels = fields.labels === undefined ? undefined : labelNames(fields.labels, fail);

  const manifest: ShardManifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    model,
    hook,
    d_model: dModel,
    dtype: fields.dtype as ShardDtype,
    context,
    total_tokens: totalTokens,
    shards,
  };
  if (labels !== undefined) manifest.labels = labels;
  if (fields.synthetic !== undefined) manifest.synthetic = fields.synthetic as boolean;
  if (fields.note !== undefined) manifest.note = fields.note as string;
  return manifest;
}

export type ManifestFields = Omit<ShardManifest, 'format' | 'version' | 'total_tokens'>;

/** A manifest with format, version and total_tokens filled in, validated like a parsed one. */
export function buildManifest(fields: ManifestFields): ShardManifest {
  const { labels, synthetic, note, ...required } = fields;
  const total = fields.shards.reduce((sum, shard) => sum + shard.tokens, 0);
  const manifest = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, ...required, total_tokens: total };
  const optional = { ...(labels !== undefined && { labels }), ...(synthetic !== undefined && { synthetic }), ...(note !== undefined && { note }) };
  return parseManifest({ ...manifest, ...optional }, MANIFEST_FILE);
}

function shardList(value: unknown, fail: Fail): ShardEntry[] {
  if (!Array.isArray(value) || value.length === 0) fail('shards', 'must be a non-empty list', value);
  const seen = new Set<string>();
  return (value as unknown[]).map((raw, i) => {
    const field = `shards[${i}]`;
    if (!isObject(raw)) fail(field, 'must be an object {file, tokens, sha256}', raw);
    const entry = raw as Record<string, unknown>;
    const file = shardFileName(entry.file, `${field}.file`, fail);
    if (seen.has(file)) fail(`${field}.file`, 'repeats an earlier shard', file);
    seen.add(file);
    const tokens = count(entry.tokens, `${field}.tokens`, fail, { min: 0 });
    if (typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256)) fail(`${field}.sha256`, 'must be 64 lower-case hex digits', entry.sha256);
    return { file, tokens, sha256: entry.sha256 as string };
  });
}

function labelNames(value: unknown, fail: Fail): string[] {
  if (!Array.isArray(value)) return fail('labels', 'must be a list of label names (strings)', value);
  const seen = new Set<string>();
  for (const [i, name] of value.entries()) {
    if (typeof name !== 'string') fail(`labels[${i}]`, 'must be a string', name);
    if (seen.has(name as string)) fail(`labels[${i}]`, 'repeats an earlier label', name);
    seen.add(name as string);
  }
  return [...(value as string[])];
}

/** A plain file name in the manifest's folder: a manifest must not point anywhere else. */
function shardFileName(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || value === '') return fail(field, 'must be a file name', value);
  if (/[/\\]/.test(value) || value === '.' || value === '..' || /^[A-Za-z]:/.test(value)) {
    fail(field, 'must be a plain file name in the manifest\'s folder (no paths, "..", or drive letters)', value);
  }
  if (!/\.(safetensors|npy)$/.test(value)) fail(field, 'must end in .safetensors or .npy', value);
  return value;
}

function text(fields: Record<string, unknown>, key: string, fail: Fail): string {
  const value = fields[key];
  if (typeof value !== 'string' || value === '') fail(key, 'must be a non-empty string', value);
  return value as string;
}

function count(value: unknown, field: string, fail: Fail, { min }: { min: number }): number {
  const kind = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
  if (!Number.isSafeInteger(value) || (value as number) < min) fail(field, `must be ${kind}`, value);
  return value as number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
