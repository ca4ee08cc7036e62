/**
 * PyTorch checkpoints (`torch.save`, the zip layout of PyTorch ≥ 1.6) read without torch and without
 * running anything: `<archive>/data.pkl` is a pickle whose tensors point at storages stored as
 * `<archive>/data/<key>`, little-endian (`<archive>/byteorder`). The pickle goes through
 * `readPickle` with an allowlist of the globals a state dict needs; anything else is refused by name.
 *
 *   const tensors = readTorchCheckpoint(bytes, 'trainer_0/ae.pt');   // Map: 'encoder.weight' → {dtype, shape, data}
 *
 * Floating tensors come back as Float32Array (f16, bf16 and f64 converted), integer ones as Int32Array
 * when every value fits. Strides are honoured: the result is always contiguous, row-major.
 */
import { unzipSync } from 'fflate';
import { bf16BitsToF32, f16BitsToF32 } from './float16';
import { isTuple, readPickle, type PickleHandlers, type PickleValue } from './pickle';

export type TorchDtype = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int32' | 'int64' | 'bool';

export interface TorchTensor {
  dtype: TorchDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

const STORAGES: Record<string, { dtype: TorchDtype; bytes: number }> = {
  'torch.FloatStorage': { dtype: 'float32', bytes: 4 },
  'torch.HalfStorage': { dtype: 'float16', bytes: 2 },
  'torch.BFloat16Storage': { dtype: 'bfloat16', bytes: 2 },
  'torch.DoubleStorage': { dtype: 'float64', bytes: 8 },
  'torch.IntStorage': { dtype: 'int32', bytes: 4 },
  'torch.LongStorage': { dtype: 'int64', bytes: 8 },
  'torch.BoolStorage': { dtype: 'bool', bytes: 1 },
};

const REBUILD_TENSOR = 'torch._utils._rebuild_tensor_v2';
const REBUILD_PARAMETER = 'torch._utils._rebuild_parameter';
const ORDERED_DICT = 'collections.OrderedDict';
export const TORCH_ALLOWED_GLOBALS: ReadonlySet<string> = new Set([ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER, ...Object.keys(STORAGES)]);

/** A storage as the pickle names it: its bytes are read when a tensor uses it. */
interface StorageRef {
  dtype: TorchDtype;
  elementBytes: number;
  key: string;
  numel: number;
}

/** Deflate cannot expand more than about 1032×: a larger claimed size is a lie, refused before allocating. */
const MAX_DEFLATE_RATIO = 1032;

export function readTorchCheckpoint(bytes: Uint8Array, fileName: string): Map<string, TorchTensor> {
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] <= 5) {
    throw new Error(
      `${fileName}: a legacy PyTorch checkpoint (a bare pickle, from before PyTorch 1.6 or saved with _use_new_zipfile_serialization=False). ` +
        'Re-save it as a zip: torch.save(torch.load(path, weights_only=True), path).',
    );
  }
  const entries = unzipEntries(bytes, fileName);
  const pickleName = [...entries.keys()].find((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (!pickleName) throw new Error(`${fileName}: not a PyTorch checkpoint: no <archive>/data.pkl in the zip (found ${[...entries.keys()].slice(0, 5).join(', ') || 'nothing'})`);
  const archive = pickleName.slice(0, -'/data.pkl'.length);
  const byteorder = entries.get(`${archive}/byteorder`);
  if (byteorder && new TextDecoder().decode(byteorder).trim() !== 'little') throw new Error(`${fileName}: big-endian storages are not supported`);

  const tensors = new Map<string, TorchTensor>();
  const handlers: PickleHandlers = {
    allowed: TORCH_ALLOWED_GLOBALS,
    persistent: (id) => wrap(storageRef(id, fileName)),
    reduce(global, args) {
      if (global === ORDERED_DICT) return new Map();
      if (global === REBUILD_PARAMETER) return args[0] ?? null;
      if (global === REBUILD_TENSOR) return wrap(rebuildTensor(args, (key) => entries.get(`${archive}/data/${key}`), fileName));
      throw new Error(`${fileName}: ${global} cannot be called`);
    },
    // An OrderedDict's BUILD state is its attributes (a state dict's `_metadata`): nothing the weights need.
    build: (target) => target,
  };
  const root = readPickle(entries.get(pickleName)!, handlers, `${fileName} (${pickleName})`);
  collectTensors(stateDictOf(root), '', tensors);
  if (tensors.size === 0) throw new Error(`${fileName}: the checkpoint holds no tensors (expected a state dict of name → tensor)`);
  return tensors;
}

function unzipEntries(bytes: Uint8Array, fileName: string): Map<string, Uint8Array> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: ({ name, size, originalSize, compression }) => {
        if (compression !== 0 && compression !== 8) throw new Error(`entry ${name} uses compression method ${compression}`);
        if (compression === 8 && originalSize > size * MAX_DEFLATE_RATIO + 1024) throw new Error(`entry ${name} claims ${originalSize} bytes from ${size} compressed`);
        return true;
      },
    });
  } catch (error) {
    throw new Error(`${fileName}: not a readable zip (${error instanceof Error ? error.message : String(error)})`);
  }
  return new Map(Object.entries(files));
}

function storageRef(id: PickleValue, fileName: string): StorageRef {
  // ('storage', torch.FloatStorage, '<key>', 'cpu', numel)
  const items = isTuple(id) ? id.items : [];
  const [tag, type, key, , numel] = items;
  const name = typeof type === 'object' && type !== null && 'kind' in type && type.kind === 'global' ? type.name : '?';
  const storage = STORAGES[name];
  if (tag !== 'storage' || !storage || typeof key !== 'string' || !isCount(numel)) throw new Error(`${fileName}: a storage reference that is not ('storage', <type>, key, location, numel)`);
  return { dtype: storage.dtype, elementBytes: storage.bytes, key, numel };
}

/** `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, ...)`. */
function rebuildTensor(args: readonly PickleValue[], storageBytes: (key: string) => Uint8Array | undefined, fileName: string): TorchTensor {
  const [storageArg, offset, size, stride] = args;
  const storage = unwrap<StorageRef>(storageArg);
  const shape = intTuple(size);
  const strides = intTuple(stride);
  if (!storage || !isCount(offset) || !shape || !strides || shape.length !== strides.length) throw new Error(`${fileName}: a tensor whose rebuild arguments are not (storage, offset, size, stride, ...)`);
  const where = `${fileName}: storage ${storage.key}`;
  const raw = storageBytes(storage.key);
  if (!raw) throw new Error(`${where} is missing from the zip`);
  if (raw.length !== storage.numel * storage.elementBytes) throw new Error(`${where} holds ${raw.length} bytes; ${storage.numel} ${storage.dtype} values need ${storage.numel * storage.elementBytes}`);
  const numel = shape.reduce((a, b) => a * b, 1);
  // A tensor never reads more values than its storage holds: this bounds the allocation by the file's bytes.
  let last = offset;
  for (let d = 0; d < shape.length; d++) if (shape[d] > 0) last += (shape[d] - 1) * strides[d];
  if (numel > 0 && (numel > storage.numel || last >= storage.numel)) throw new Error(`${where}: a [${shape.join(', ')}] view at offset ${offset} reads past its ${storage.numel} values`);
  const read = elementReader(storage.dtype, new DataView(raw.buffer, raw.byteOffset, raw.byteLength));
  const integer = storage.dtype === 'int32' || storage.dtype === 'int64' || storage.dtype === 'bool';
  const data = integer ? new Int32Array(numel) : new Float32Array(numel);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0, at = offset; i < numel; i++) {
    const value = read(at);
    if (integer && !(value >= -(2 ** 31) && value < 2 ** 31)) throw new Error(`${where}: the integer ${value} does not fit in 32 bits`);
    data[i] = value;
    // Row-major walk: advance the last index, carrying into earlier ones.
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]++;
      at += strides[d];
      if (index[d] < shape[d]) break;
      at -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return { dtype: storage.dtype, shape, data };
}

function elementReader(dtype: TorchDtype, view: DataView): (i: number) => number {
  switch (dtype) {
    case 'float32':
      return (i) => view.getFloat32(4 * i, true);
    case 'float16':
      return (i) => f16BitsToF32(view.getUint16(2 * i, true));
    case 'bfloat16':
      return (i) => bf16BitsToF32(view.getUint16(2 * i, true));
    case 'float64':
      return (i) => view.getFloat64(8 * i, true);
    case 'int32':
      return (i) => view.getInt32(4 * i, true);
    case 'int64':
      return (i) => Number(view.getBigInt64(8 * i, true));
    case 'bool':
      return (i) => view.getUint8(i);
  }
}

/**
 * The dict of tensors: the root itself, or the model's entry of a training checkpoint (dictionary_learning's
 * mid-training backups keep it under `ae`, beside the optimizer's state).
 */
function stateDictOf(root: PickleValue): Map<PickleValue, PickleValue> {
  if (!(root instanceof Map)) return new Map();
  for (const key of ['ae', 'state_dict', 'model', 'model_state_dict']) {
    const inner = root.get(key);
    if (inner instanceof Map) return inner;
  }
  return root;
}

function collectTensors(dict: Map<PickleValue, PickleValue>, prefix: string, out: Map<string, TorchTensor>): void {
  for (const [key, value] of dict) {
    if (typeof key !== 'string') continue;
    const tensor = unwrap<TorchTensor>(value);
    if (tensor && 'shape' in tensor) out.set(prefix + key, tensor);
    else if (value instanceof Map) collectTensors(value, `${prefix}${key}.`, out);
  }
}

const wrap = (value: object): PickleValue => ({ kind: 'object', value });
function unwrap<T>(v: PickleValue | undefined): T | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Uint8Array) && v.kind === 'object' ? (v.value as T) : null;
}

function isCount(v: PickleValue | undefined): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function intTuple(v: PickleValue | undefined): number[] | null {
  if (!v || !isTuple(v)) return null;
  return v.items.every(isCount) ? (v.items as number[]) : null;
}
